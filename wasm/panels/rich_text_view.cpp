#include "panels/rich_text_view.h"

#include <SDL.h>
#include <imgui.h>

#include <algorithm>
#include <string_view>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#endif

#include "appearance.h"

namespace trapeze::ui {
namespace {

constexpr float kSlant = 0.2f;  // emphasis: x shift per unit of height above the baseline

ImU32 colour(const ImVec4& c) { return ImGui::ColorConvertFloat4ToU32(c); }

struct SpanStyle {
  ImU32 text;
  bool bold = false, slant = false, shade = false, underline = false;
};

SpanStyle style_of(const lab::Span& s, bool heading) {
  SpanStyle st{colour(ImGui::GetStyleColorVec4(ImGuiCol_Text))};
  st.bold = s.strong || heading;
  st.slant = s.emphasis;
  if (s.code) st.text = colour(palette().changed), st.shade = true;
  if (!s.link.empty()) st.text = colour(palette().accent), st.underline = true;
  return st;
}

// Draws one piece of a span at `pos`; returns its width.
void draw_piece(ImDrawList* dl, ImVec2 pos, std::string_view text, const SpanStyle& st, float line_h) {
  const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
  if (st.shade)
    dl->AddRectFilled(ImVec2(pos.x - 1, pos.y), ImVec2(pos.x + size.x + 1, pos.y + line_h),
                      ImGui::GetColorU32(ImGuiCol_FrameBg), 2.0f);
  const int first = dl->VtxBuffer.Size;
  dl->AddText(pos, st.text, text.data(), text.data() + text.size());
  if (st.bold) dl->AddText(ImVec2(pos.x + 1, pos.y), st.text, text.data(), text.data() + text.size());
  if (st.slant) {
    // Slant the glyphs just drawn about the baseline: the font has no italic.
    const float base = pos.y + ImGui::GetFontSize();
    for (int i = first; i < dl->VtxBuffer.Size; ++i) dl->VtxBuffer[i].pos.x += (base - dl->VtxBuffer[i].pos.y) * kSlant;
  }
  if (st.underline) {
    const float y = pos.y + ImGui::GetFontSize();
    dl->AddLine(ImVec2(pos.x, y), ImVec2(pos.x + size.x, y), st.text, 1.0f);
  }
}

// A run of text without spaces, in one span's style; words are atoms with no
// space between them ("(" then inline code), so a line never breaks inside one.
struct Atom {
  const lab::Span* span;
  std::string_view text;
  bool space_after;  // whitespace follows it
};

std::vector<Atom> atoms_of(const std::vector<lab::Span>& spans) {
  std::vector<Atom> out;
  for (const lab::Span& span : spans) {
    std::string_view rest = span.text;
    // Leading whitespace belongs after the previous atom.
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\n')) {
      if (!out.empty()) out.back().space_after = true;
      rest.remove_prefix(1);
    }
    while (!rest.empty()) {
      size_t end = rest.find_first_of(" \n");
      if (end == std::string_view::npos) end = rest.size();
      size_t after = end;
      while (after < rest.size() && (rest[after] == ' ' || rest[after] == '\n')) ++after;
      out.push_back({&span, rest.substr(0, end), after > end});
      rest.remove_prefix(after);
    }
  }
  return out;
}

float width_of(std::string_view t) { return ImGui::CalcTextSize(t.data(), t.data() + t.size()).x; }

// Lays out `spans` from the cursor, wrapping at the content region's right edge,
// each line starting at `indent` px from the region's left; `heading` draws them
// bold. Advances the cursor past them.
void flow(const std::vector<lab::Span>& spans, float indent, bool heading) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float left = origin.x + indent;
  const float right = std::max(left + ImGui::GetFontSize() * 4,
                               ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x);
  const float line_h = ImGui::GetTextLineHeight();
  const float step = ImGui::GetTextLineHeightWithSpacing();
  const float space = width_of(" ");
  float x = left, y = origin.y;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hovered_window = ImGui::IsWindowHovered();
  const std::string* hovered_link = nullptr;
  const std::vector<Atom> atoms = atoms_of(spans);
  for (size_t w = 0; w < atoms.size();) {
    // The word: atoms up to one followed by a space.
    size_t end = w;
    float word_w = 0;
    while (end < atoms.size()) {
      word_w += width_of(atoms[end].text);
      if (atoms[end++].space_after) break;
    }
    if (x + word_w > right && x > left) x = left, y += step;
    for (size_t a = w; a < end; ++a) {
      const Atom& atom = atoms[a];
      const SpanStyle st = style_of(*atom.span, heading);
      std::string_view text = atom.text;
      // A word longer than the line (a URL) is cut where the line ends.
      while (!text.empty()) {
        std::string_view piece = text;
        if (x + width_of(piece) > right) {
          size_t n = 1;
          while (n < text.size() && x + width_of(text.substr(0, n + 1)) <= right) ++n;
          piece = text.substr(0, n);
        }
        const float pw = width_of(piece);
        draw_piece(dl, ImVec2(x, y), piece, st, line_h);
        if (!atom.span->link.empty() && hovered_window && mouse.x >= x && mouse.x < x + pw + space &&
            mouse.y >= y && mouse.y < y + step)
          hovered_link = &atom.span->link;
        x += pw;
        text.remove_prefix(piece.size());
        if (!text.empty()) x = left, y += step;
      }
      if (atom.space_after) {
        // A space inside one span (a link's or code's words) keeps its underline or shade.
        const bool same_span = a + 1 < atoms.size() && atoms[a + 1].span == atom.span;
        if (same_span && x + space <= right) {
          const std::string_view blank = " ";
          if (st.shade || st.underline) draw_piece(dl, ImVec2(x, y), blank, SpanStyle{st.text, false, false, st.shade, st.underline}, line_h);
        }
        x += space;
      }
    }
    w = end;
  }
  ImGui::SetCursorScreenPos(origin);
  ImGui::Dummy(ImVec2(right - origin.x, y + line_h - origin.y));
  if (hovered_link) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    const bool ok = lab::is_openable_link(*hovered_link);
    ImGui::SetTooltip("%s%s", hovered_link->c_str(), ok ? "  (opens in a new tab)" : "  (not opened: not a web link)");
    if (ok && ImGui::IsMouseClicked(0)) open_link(*hovered_link);
  }
}

void heading(const lab::Block& b) {
  if (ImGui::GetCursorPosY() > ImGui::GetStyle().WindowPadding.y + 1) ImGui::Spacing();
  flow(b.spans, 0, true);
  if (b.level <= 2) {
    // A rule under the two top levels: the one font has no larger size.
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y - 1), ImVec2(right, p.y - 1), colour(palette().accent),
                                        b.level == 1 ? 2.0f : 1.0f);
    ImGui::Dummy(ImVec2(0, 2));
  }
}

void list_item(const lab::Block& b) {
  const float em = ImGui::GetFontSize();
  const float indent = em * 1.5f * float(std::max(1, b.depth));
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  if (b.number > 0) {
    const std::string n = std::to_string(b.number) + ".";
    dl->AddText(ImVec2(p.x + indent - ImGui::CalcTextSize(n.c_str()).x - em * 0.4f, p.y), text, n.c_str());
  } else {
    const ImVec2 c(p.x + indent - em * 0.7f, p.y + ImGui::GetTextLineHeight() * 0.5f);
    if (b.depth > 1)
      dl->AddCircle(c, em * 0.18f, text, 8, 1.2f);
    else
      dl->AddCircleFilled(c, em * 0.18f, text, 8);
  }
  flow(b.spans, indent, false);
}

void code_block(const lab::Block& b, int index) {
  const int lines = int(std::count(b.code.begin(), b.code.end(), '\n')) + (b.code.empty() || b.code.back() != '\n');
  const ImGuiStyle& s = ImGui::GetStyle();
  const float h = float(lines) * ImGui::GetTextLineHeight() + s.WindowPadding.y * 2 + s.ScrollbarSize;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  ImGui::PushID(index);
  // Its own scrolling region: code is never wrapped.
  if (ImGui::BeginChild("code", ImVec2(-1, h), false, ImGuiWindowFlags_HorizontalScrollbar)) {
    std::string_view text = b.code;
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    ImGui::TextUnformatted(text.data(), text.data() + text.size());
  }
  ImGui::EndChild();
  ImGui::PopID();
  ImGui::PopStyleColor();
}

}  // namespace

void draw_spans(const std::vector<lab::Span>& spans) { flow(spans, 0, false); }

void draw_rich_text(const lab::RichText& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const lab::Block& b = text[i];
    switch (b.kind) {
      case lab::Block::Kind::Heading: heading(b); break;
      case lab::Block::Kind::Paragraph: {
        // A block quote's paragraphs: indented behind a bar.
        const float indent = ImGui::GetFontSize() * 1.2f * float(b.depth);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        flow(b.spans, indent, false);
        for (int d = 0; d < b.depth; ++d) {
          const float x = p.x + ImGui::GetFontSize() * (1.2f * float(d) + 0.3f);
          ImGui::GetWindowDrawList()->AddLine(ImVec2(x, p.y), ImVec2(x, ImGui::GetCursorScreenPos().y),
                                              colour(palette().dim), 2.0f);
        }
        break;
      }
      case lab::Block::Kind::ListItem: list_item(b); break;
      case lab::Block::Kind::Code: code_block(b, int(i)); break;
      case lab::Block::Kind::Rule: ImGui::Separator(); break;
    }
    // A paragraph's gap after it, none between the items of one list.
    const bool next_item = i + 1 < text.size() && text[i + 1].kind == lab::Block::Kind::ListItem &&
                           b.kind == lab::Block::Kind::ListItem;
    if (!next_item) ImGui::Dummy(ImVec2(0, ImGui::GetFontSize() * 0.35f));
  }
}

bool open_link(const std::string& url) {
  if (!lab::is_openable_link(url)) return false;
#ifdef __EMSCRIPTEN__
  // The page opens it (noopener) after checking the resolved URL's protocol again.
  EM_ASM({ if (window.trapezeLab) window.trapezeLab.openLink(UTF8ToString($0)); }, url.c_str());
#else
  if (url.rfind("http", 0) == 0) SDL_OpenURL(url.c_str());
#endif
  return true;
}

}  // namespace trapeze::ui
