// The Lab panel: the open lab's current step — its text, the predictions to make
// before running, a Check button and each check's result (passed or failed, what
// was measured, what was expected, points) — with Previous/Next between steps.
// Without an open lab it lists the labs. The work is in lab_state.cpp; this only
// draws it. Predictions lock once the step is checked: a prediction made after
// seeing the answer teaches nothing.
#include <imgui.h>

#include <nlohmann/json.hpp>
#include <string>

#include "app_context.h"
#include "appearance.h"
#include "lab_state.h"
#include "panels/lab_list.h"
#include "panels/rich_text_view.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

using json = nlohmann::json;

// A check's share of each frame, in simulated cycles: about what the session
// itself runs per frame (session::Speed), so the page keeps drawing.

// Where the last item is, for tests that click it (trapeze.lab().controls).
void note_control(AppContext& ctx, std::string name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ctx.lab.controls.push_back({std::move(name), int((a.x + b.x) / 2), int((a.y + b.y) / 2)});
}

// A tick or a cross, a line high, in the good or bad colour.
void mark(bool passed) {
  const float h = ImGui::GetTextLineHeight();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 c = ImGui::ColorConvertFloat4ToU32(passed ? palette().good : palette().bad);
  const float t = std::max(1.5f, h * 0.13f);
  if (passed) {
    dl->AddLine(ImVec2(p.x + h * 0.15f, p.y + h * 0.55f), ImVec2(p.x + h * 0.4f, p.y + h * 0.8f), c, t);
    dl->AddLine(ImVec2(p.x + h * 0.4f, p.y + h * 0.8f), ImVec2(p.x + h * 0.9f, p.y + h * 0.2f), c, t);
  } else {
    dl->AddLine(ImVec2(p.x + h * 0.2f, p.y + h * 0.2f), ImVec2(p.x + h * 0.8f, p.y + h * 0.8f), c, t);
    dl->AddLine(ImVec2(p.x + h * 0.8f, p.y + h * 0.2f), ImVec2(p.x + h * 0.2f, p.y + h * 0.8f), c, t);
  }
  ImGui::Dummy(ImVec2(h, h));
}

std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
int int_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}
bool bool_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

// The list of labs, each a button that opens it (also the welcome panel's).
void lab_list(AppContext& ctx) {
  for (const LabEntry& e : lab_catalog()) {
    ImGui::PushID(e.name.c_str());
    const bool current = ctx.lab.progress.open == e.name;
    if (ImGui::Selectable(e.title().c_str(), current)) {
      std::string error;
      if (!open_lab(ctx, e.name, 0, &error)) ctx.lab.notice = error;
    }
    if (e.lab) {
      tooltip(e.lab->summary.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("%zu steps%s", e.lab->steps.size(),
                          e.lab->minutes ? (", " + std::to_string(e.lab->minutes) + " min").c_str() : "");
    } else {
      ImGui::SameLine();
      ImGui::TextColored(palette().bad, "has errors");
      tooltip(e.errors.c_str());
    }
    ImGui::PopID();
  }
  if (lab_catalog().empty()) ImGui::TextDisabled("No labs are bundled with this build.");
}

void header(AppContext& ctx, const lab::Lab& l, int n) {
  ImGui::TextColored(palette().accent, "%s", l.title.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", l.name.c_str());
  std::string error;
  ImGui::BeginDisabled(n <= 1);
  if (ImGui::ArrowButton("##previous", ImGuiDir_Left) && !go_to_step(ctx, n - 1, &error)) ctx.lab.notice = error;
  ImGui::EndDisabled();
  note_control(ctx, "previous");
  tooltip("Previous step (what you typed here is kept)");
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::Text("Step %d of %zu", n, l.steps.size());
  ImGui::SameLine();
  ImGui::BeginDisabled(n >= int(l.steps.size()));
  if (ImGui::ArrowButton("##next", ImGuiDir_Right) && !go_to_step(ctx, n + 1, &error)) ctx.lab.notice = error;
  ImGui::EndDisabled();
  note_control(ctx, "next");
  tooltip("Next step (what you typed here is kept)");
  ImGui::SameLine();
  if (ImGui::SmallButton("Labs")) ImGui::OpenPopup("labs");
  if (ImGui::BeginPopup("labs")) {
    lab_list(ctx);
    ImGui::EndPopup();
  }
}

const json* prediction_result(const json& results, const std::string& id) {
  auto steps = results.find("steps");
  if (steps == results.end() || !steps->is_array() || steps->empty()) return nullptr;
  auto preds = (*steps)[0].find("predictions");
  if (preds == (*steps)[0].end() || !preds->is_array()) return nullptr;
  for (const json& p : *preds)
    if (text_of(p, "id") == id) return &p;
  return nullptr;
}

// Each prediction: its question, then the input (before the check) or the
// answer made and how it compares with what was measured (after).
void predictions(AppContext& ctx, const lab::Step& step, scenario::lab::StepProgress& sp, const json& results) {
  if (step.predictions.empty()) return;
  ImGui::TextColored(palette().changed, sp.checked ? "Your predictions" : "Predict before you check");
  for (const lab::Prediction& q : step.predictions) {
    ImGui::PushID(q.id.c_str());
    draw_spans(q.question);
    auto it = sp.answers.find(q.id);
    const std::string answer = it == sp.answers.end() ? "" : it->second;
    std::string error;
    if (sp.checked) {
      const json* r = prediction_result(results, q.id);
      if (r && bool_of(*r, "answered")) {
        mark(bool_of(*r, "correct"));
        ImGui::SameLine();
      }
      ImGui::TextWrapped("You predicted %s; measured %s (right: %s)", answer.empty() ? "nothing" : answer.c_str(),
                         r ? text_of(*r, "measured").c_str() : "?", r ? text_of(*r, "expected").c_str() : "?");
    } else if (q.kind == lab::Prediction::Kind::Number) {
      char buf[64] = {};
      answer.copy(buf, sizeof buf - 1);
      ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
      if (ImGui::InputText("##answer", buf, sizeof buf, ImGuiInputTextFlags_CharsScientific) &&
          !set_answer(ctx, q.id, buf, &error))
        ctx.lab.notice = error;
      note_control(ctx, "answer:" + q.id);
      ImGui::SameLine();
      ImGui::TextDisabled("a number");
    } else {
      for (const std::string& option : q.options) {
        if (ImGui::RadioButton(option.c_str(), answer == option) && !set_answer(ctx, q.id, option, &error))
          ctx.lab.notice = error;
        note_control(ctx, "answer:" + q.id + "=" + option);
        ImGui::SameLine();
      }
      ImGui::NewLine();
    }
    ImGui::PopID();
  }
}

// The results of the last check: one row per check.
void results_table(const json& results) {
  auto steps = results.find("steps");
  if (steps == results.end() || !steps->is_array() || steps->empty()) return;
  const json& s = (*steps)[0];
  if (!text_of(s, "error").empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().bad);
    ImGui::TextWrapped("The step could not run: %s", text_of(s, "error").c_str());
    ImGui::PopStyleColor();
  }
  auto checks = s.find("checks");
  if (checks == s.end() || !checks->is_array()) return;
  // Three columns, so that a narrow panel keeps its width for the words: the
  // mark, then the check's name with what was measured and expected under it,
  // then the points.
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH;
  if (!ImGui::BeginTable("checks", 3, flags)) return;
  ImGui::TableSetupColumn("##mark", ImGuiTableColumnFlags_WidthFixed, ImGui::GetTextLineHeight());
  ImGui::TableSetupColumn("check", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("points", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableHeadersRow();
  for (const json& c : *checks) {
    const bool passed = bool_of(c, "passed");
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    mark(passed);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s%s", text_of(c, "name").c_str(), bool_of(c, "task") ? "  (your task)" : "");
    ImGui::PushStyleColor(ImGuiCol_Text, passed ? palette().dim : palette().bad);
    ImGui::TextWrapped("measured: %s", text_of(c, "measured").c_str());
    ImGui::PopStyleColor();
    ImGui::PushStyleColor(ImGuiCol_Text, palette().dim);
    ImGui::TextWrapped("expected: %s", text_of(c, "expected").c_str());
    ImGui::PopStyleColor();
    ImGui::TableNextColumn();
    ImGui::Text("%d/%d", int_of(c, "points"), int_of(c, "max_points"));
  }
  ImGui::EndTable();
}

// The Check button and the score line, at the panel's foot.
void footer(AppContext& ctx, const lab::Step& step, const scenario::lab::StepProgress& sp, const json& results) {
  bool unanswered = false;
  for (const lab::Prediction& q : step.predictions) unanswered |= !sp.answers.count(q.id);
  const bool busy = checking(ctx);
  ImGui::BeginDisabled(busy || (unanswered && !sp.checked));
  std::string error;
  if (ImGui::Button(busy ? "Checking..." : "Check") && !start_check(ctx, &error)) ctx.lab.notice = error;
  ImGui::EndDisabled();
  note_control(ctx, "check");
  tooltip("Runs this step with your sources from the editor and checks what ran.");
  ImGui::SameLine();
  if (unanswered && !sp.checked) {
    ImGui::TextColored(palette().changed, "Make your predictions first.");
  } else if (results.is_object()) {
    const bool passed = bool_of(results, "passed");
    mark(passed);
    ImGui::SameLine();
    ImGui::TextColored(passed ? palette().good : palette().bad, "%s: %d of %d points",
                       passed ? "Every check passes" : "Not yet", int_of(results, "score"),
                       int_of(results, "max_score"));
  } else {
    ImGui::TextDisabled("Not checked yet.");
  }
}

// The parsed results of the step shown, remade when they change.
const json& parsed(const std::string& text) {
  static std::string last = "\x01";
  static json value;
  if (text != last) {
    last = text;
    value = text.empty() ? json() : json::parse(text, nullptr, false);
    if (value.is_discarded()) value = json();
  }
  return value;
}

}  // namespace

void draw_lab_list(AppContext& ctx) { lab_list(ctx); }

void draw_lab_panel(AppContext& ctx) {
  ctx.lab.controls.clear();
  if (!ctx.lab.notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().bad);
    ImGui::TextWrapped("%s", ctx.lab.notice.c_str());
    ImGui::PopStyleColor();
    if (ImGui::SmallButton("Dismiss")) ctx.lab.notice.clear();
    ImGui::Separator();
  }
  const lab::Lab* l = open_lab(ctx);
  if (!l || l->steps.empty()) {
    ImGui::TextWrapped("Labs are guided exercises: each step has a task, predictions to make before running, "
                       "and checks that Trapeze runs on your code. Choose one:");
    lab_list(ctx);
    return;
  }
  auto& p = ctx.lab.progress.labs[l->name];
  const int n = std::clamp(p.step, 1, int(l->steps.size()));
  header(ctx, *l, n);
  if (!lab_step_loaded(ctx)) {
    // Another scenario was opened since: Check still uses the sources kept for
    // this step; the button brings the step back into the other panels.
    ImGui::TextColored(palette().changed, "The other panels show another scenario.");
    ImGui::SameLine();
    std::string error;
    if (ImGui::SmallButton("Load this step") && !go_to_step(ctx, n, &error)) ctx.lab.notice = error;
  }
  ImGui::Separator();

  const lab::Step& step = l->steps[size_t(n) - 1];
  auto& sp = p.at(n);
  const json& results = parsed(sp.results_json);
  // The step's text and the last results scroll; the predictions and the Check
  // button stay at the foot, in view. The text keeps a few lines even in a small
  // embed: when the foot does not fit below them, the whole panel scrolls.
  const float text_height = std::max(ImGui::GetContentRegionAvail().y - ctx.lab.footer_height,
                                     5 * ImGui::GetTextLineHeightWithSpacing());
  if (ImGui::BeginChild("step", ImVec2(0, text_height))) {
    if (n == 1 && !l->intro.empty()) draw_rich_text(l->intro);  // the lab's introduction, before its first step
    draw_rich_text({lab::Block{lab::Block::Kind::Heading, 2, 0, 0, {lab::Span{step.title}}, {}, {}}});
    draw_rich_text(step.text);
    if (results.is_object()) {
      ImGui::Separator();
      if (ctx.lab.scroll_to_results) ImGui::SetScrollHereY(0.0f), ctx.lab.scroll_to_results = false;
      ImGui::TextColored(palette().accent, "Results of your last check");
      results_table(results);
    }
  }
  ImGui::EndChild();
  const float top = ImGui::GetCursorPosY();
  if (!step.predictions.empty()) ImGui::Separator();
  predictions(ctx, step, sp, results);
  ImGui::Separator();
  footer(ctx, step, sp, results);
  ctx.lab.footer_height = ImGui::GetCursorPosY() - top + ImGui::GetStyle().ItemSpacing.y;
}

}  // namespace trapeze::ui
