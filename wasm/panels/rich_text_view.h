// Draws a lab's rich text (core/lab/rich_text.h) with Dear ImGui's one font:
// paragraphs wrapped at the panel's width, headings set off by weight and a rule,
// lists indented with bullets or numbers, code blocks on a shaded ground, and
// spans styled by what the font allows: strong is drawn twice a pixel apart,
// emphasis is slanted, inline code is shaded, links are underlined in the accent
// colour and open in a new browser tab when clicked (http and https only; a
// link's text is never run).
#pragma once

#include <string>
#include <vector>

#include "lab/rich_text.h"

namespace trapeze::ui {

void draw_rich_text(const lab::RichText& text);
// One paragraph of spans, wrapped at the panel's edge (a prediction's question).
void draw_spans(const std::vector<lab::Span>& spans);

// Opens `url` (when lab::is_openable_link allows it) in a new tab (the browser) or the system's browser (the desktop);
// false when it is not openable.
bool open_link(const std::string& url);

}  // namespace trapeze::ui
