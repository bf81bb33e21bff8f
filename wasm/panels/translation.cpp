// Binary translation, seen from inside: the translation cache's blocks (where each
// starts, how long it is, how often it ran, its chains and its callout), the
// selected block's original and translated code side by side, and the bt counters.
// Everything comes from the cache's read-only inspection API (translation_cache.h:
// blocks(), rows()) and the counter table (vmm_counters.h), nothing is restated.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <string>
#include <string_view>
#include <vector>

#include "app_context.h"
#include "appearance.h"
#include "vmm/translation_cache.h"
#include "widgets.h"

namespace trapeze::ui {
namespace {

struct TranslationView {
  uint64_t block = 0;  // the selected block (its id)
  bool hot_first = false;
  bool follow_pc = true;  // select the block holding the guest's pc
};


// A count as an integer ("780,178"), shortened only when long ("1.23M").
std::string count_text(uint64_t n) { return n < 1'000'000 ? grouped(n) : short_number(double(n)); }

void offer_bt(AppContext& ctx, size_t gi) {
  session::Session& s = ctx.session;
  const vmm::StrategyKind now = s.vmm()->guest(gi).strategy_kind();
  ImGui::TextWrapped("\"%s\" runs under %s: it has no translation cache.",
                     s.guest(gi).spec.name.c_str(), std::string(vmm::strategy_name(now)).c_str());
  ImGui::TextWrapped("%s", std::string(vmm::strategy_info(vmm::StrategyKind::BT).summary).c_str());
  ImGui::BeginDisabled(ctx.read_only);
  if (ImGui::Button("Switch it to binary translation (bt)")) {
    std::string error;
    ctx.notice = s.set_strategy(gi, vmm::StrategyKind::BT, &error) ? "" : error;
  }
  ImGui::EndDisabled();
  tooltip(
      "Switched live, at the next safe point: its state carries over and the cache fills as its "
      "kernel runs.");
}

// The bt_* counters of the table, and the callouts by instruction.
void draw_counters(const vmm::VmmCounters& c) {
  constexpr std::string_view kPrefix = "bt_";
  if (ImGui::BeginTable("bt_counters", 4,
                        ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    for (const vmm::VmmCounterInfo& info : vmm::kVmmCounterInfo) {
      const std::string_view name = info.name;
      if (name.substr(0, kPrefix.size()) != kPrefix) continue;
      ImGui::TableNextColumn();
      ImGui::TextColored(palette().dim, "%s", info.name + kPrefix.size());
      tooltip(info.doc);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(grouped(c.*info.field).c_str());
    }
    ImGui::EndTable();
  }
  std::string by_op;
  for (size_t op = 0; op < c.bt_callouts_by_op.size(); ++op) {
    if (!c.bt_callouts_by_op[op]) continue;
    const isa::InsnInfo* info = isa::info(uint8_t(op));
    by_op += (by_op.empty() ? "" : ", ") + std::string(info ? info->mnemonic : "?") + " " +
             count_text(c.bt_callouts_by_op[op]);
  }
  ImGui::TextColored(palette().dim, "callouts by instruction:");
  ImGui::SameLine();
  ImGui::TextWrapped("%s", by_op.empty() ? "none yet" : by_op.c_str());
}

// The mnemonic of a block's callout row ("" if it has none).
std::string callout_of(const vmm::TranslationCache& tc, const vmm::TranslationCache::BlockInfo& b) {
  if (!b.callout) return "";
  const std::vector<vmm::TranslationCache::Row> rows = tc.rows(b.id);
  if (rows.empty()) return "";
  const std::string& text = rows.back().original;
  return text.substr(0, text.find(' '));
}

void draw_blocks(TranslationView& view, const vmm::TranslationCache& tc,
                 std::vector<vmm::TranslationCache::BlockInfo>& blocks) {
  if (view.hot_first)
    std::stable_sort(blocks.begin(), blocks.end(),
                     [](const auto& a, const auto& b) { return a.runs > b.runs; });
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerV;
  if (!ImGui::BeginTable("blocks", 5, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("guest pc");
  ImGui::TableSetupColumn("rows");
  ImGui::TableSetupColumn("runs");
  ImGui::TableSetupColumn("chains");
  ImGui::TableSetupColumn("callout");
  ImGui::TableHeadersRow();
  ImGuiListClipper clip;
  clip.Begin(int(blocks.size()));
  while (clip.Step()) {
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const vmm::TranslationCache::BlockInfo& b = blocks[size_t(r)];
      ImGui::PushID(r);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char label[16];
      std::snprintf(label, sizeof label, "%08X", b.gva);
      if (ImGui::Selectable(label, b.id == view.block, ImGuiSelectableFlags_SpanAllColumns)) {
        view.block = b.id;
        view.follow_pc = false;
      }
      if (ImGui::IsItemHovered()) {
        char tip[256];
        std::snprintf(
            tip, sizeof tip,
            "guest-physical %08X; %u of %u rows run in place\nchains: T the taken successor, F the "
            "fall-through, chained ('.' not yet, '-' none): a chained transfer needs no lookup",
            b.gpa, b.kept, b.length);
        tooltip(tip);
      }
      ImGui::TableNextColumn();
      ImGui::Text("%u", b.length);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(count_text(b.runs).c_str());
      ImGui::TableNextColumn();
      // T: the taken successor is chained, F: the fall-through; '-' no such successor.
      const auto mark = [&](int k, char c) {
        return b.successor[k] == vmm::kNoPc ? '-' : b.chained[k] ? c : '.';
      };
      ImGui::Text("%c%c", mark(0, 'T'), mark(1, 'F'));
      ImGui::TableNextColumn();
      if (b.callout) ImGui::TextColored(palette().changed, "%s", callout_of(tc, b).c_str());
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

void draw_rows(const vmm::TranslationCache& tc, uint64_t id, uint32_t pc) {
  const std::vector<vmm::TranslationCache::Row> rows = tc.rows(id);
  if (rows.empty()) {
    ImGui::TextDisabled(id ? "that block is gone (evicted or invalidated)"
                           : "empty: blocks appear as the guest kernel runs");
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("rows", 3, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("pc", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn("original", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("translated", ImGuiTableColumnFlags_WidthStretch, 1.3f);
  ImGui::TableHeadersRow();
  for (const vmm::TranslationCache::Row& r : rows) {
    ImGui::TableNextRow();
    if (r.pc == pc) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, palette().row_current);
    ImGui::TableNextColumn();
    ImGui::TextColored(palette().dim, "%08X", r.pc);
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", r.original.c_str());
    ImGui::TableNextColumn();
    // Kept rows run in place, identical: only what the translation changed stands out.
    ImGui::PushStyleColor(ImGuiCol_Text, r.translated == r.original ? palette().dim : palette().changed);
    ImGui::TextWrapped("%s", r.translated.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::EndTable();
}

}  // namespace

void draw_translation_panel(AppContext& ctx) {
  const session::Session& s = ctx.session;
  const int gi = ctx.guest();
  if (gi < 0) return;
  const vmm::Guest& g = s.vmm()->guest(size_t(gi));
  const vmm::TranslationCache* tc = g.strategy->translation_cache();
  if (!tc) {
    offer_bt(ctx, size_t(gi));
    return;
  }
  std::vector<vmm::TranslationCache::BlockInfo> blocks = tc->blocks();
  TranslationView& view = ctx.view<TranslationView>(PanelId::translation);
  const uint32_t pc = g.vcpu.cpu.pc;
  if (view.follow_pc) {
    for (const auto& b : blocks)
      if (pc >= b.gva && pc < b.gva + 4 * b.length) view.block = b.id;
  }
  // Nothing (still) selected: show the hottest block rather than an empty side.
  if (std::none_of(blocks.begin(), blocks.end(),
                   [&](const auto& b) { return b.id == view.block; })) {
    const auto hot = std::max_element(blocks.begin(), blocks.end(),
                                      [](const auto& a, const auto& b) { return a.runs < b.runs; });
    view.block = hot == blocks.end() ? 0 : hot->id;
  }

  ImGui::Text("%zu blocks", tc->block_count());
  ImGui::SameLine();
  const float used = tc->capacity() ? float(tc->used()) / float(tc->capacity()) : 0.0f;
  const std::string fill =
      grouped(tc->used()) + " of " + grouped(tc->capacity()) + " translated instructions";
  ImGui::ProgressBar(used, ImVec2(-FLT_MIN, 0), fill.c_str());
  tooltip(
      "The cache's capacity is counted in translated instructions; when full, the oldest blocks "
      "are evicted.");
  ImGui::Checkbox("hottest first", &view.hot_first);
  ImGui::SameLine();
  ImGui::Checkbox("follow pc", &view.follow_pc);
  tooltip("Select the block holding the guest's pc (a guest in user mode runs untranslated).");

  if (ImGui::CollapsingHeader("bt counters", ImGuiTreeNodeFlags_DefaultOpen))
    draw_counters(g.counters.vmm);

  const float list_w = ImGui::GetFontSize() * 22;
  ImGui::BeginChild("block_list", ImVec2(list_w, 0), true);
  draw_blocks(view, *tc, blocks);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("block_rows", ImVec2(0, 0), true);
  if (view.block) {
    const auto it = std::find_if(blocks.begin(), blocks.end(),
                                 [&](const auto& b) { return b.id == view.block; });
    if (it != blocks.end()) {
      ImGui::PushStyleColor(ImGuiCol_Text, palette().good);
      ImGui::TextWrapped("block %08X (guest-physical %08X): %u row%s, %u run in place%s", it->gva,
                         it->gpa, it->length, it->length == 1 ? "" : "s", it->kept,
                         it->callout ? ", then a callout" : "");
      ImGui::PopStyleColor();
    }
  }
  draw_rows(*tc, view.block, pc);
  ImGui::EndChild();
}

}  // namespace trapeze::ui
