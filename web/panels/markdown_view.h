// Draws a lesson's Markdown pieces with Dear ImGui: paragraphs of mixed-style spans laid out word by
// word so they wrap at any width (bold, faux-italic emphasis, inline code on a tinted ground, links),
// code blocks and tables. Knows nothing of scenes or exercises: links come back to the caller.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <imgui.h>

#include "convtutor/lesson.h"

namespace convtutor::app {

// How a link looks: a scene link gets a play mark, the scene on the stage is highlighted.
struct LinkLook {
  bool scene = false;
  bool active = false;
};

struct RichTextStyle {
  ImFont* font = nullptr;         // plain spans (the body or heading font)
  ImFont* strong_font = nullptr;  // **strong** spans (the body font's bold; the heading font itself)
  float size = 0.0f;              // pixel size of plain and strong text; 0: the plain font's own size
  ImU32 colour = 0;               // plain text colour
  float line_height = 1.5f;       // line pitch as a multiple of the font size
  std::function<LinkLook(const std::string& target)> link_look;  // optional
  // Optional: for a computed inline value the learner is still to predict, the placeholder's note
  // ("Predict it in exercise 2 first"); the value then reads "?". Empty: shown as computed.
  std::function<std::string(const lessons::Span& span)> hidden_note;
};

// A hard line break, and plain text as spans (its newlines become hard line breaks).
lessons::Span LineBreak();
std::vector<lessons::Span> PlainSpans(const std::string& text);

// Lays out `spans` from the cursor, wrapping at `wrap_width` pixels, and advances the cursor past
// them. Returns the target of the link clicked this frame, or an empty string. The words also go
// to ImGui's log when it is on (copying text; headless tests read what the learner would see).
std::string DrawRichText(const std::vector<lessons::Span>& spans, const RichTextStyle& style, float wrap_width);

// The width `spans` take on one unwrapped line (a table column's natural width).
float RichTextWidth(const std::vector<lessons::Span>& spans, const RichTextStyle& style);

// A code block: the monospace text on a tinted, rounded ground `width` wide; long lines scroll
// sideways instead of wrapping. `id` must be unique in the window.
void DrawCodeBlock(const char* id, const std::string& code, float width);

// A table; rows[0] is the header row. Returns the link clicked in a cell, or an empty string.
std::string DrawTable(const char* id, const std::vector<std::vector<std::vector<lessons::Span>>>& rows,
                      const RichTextStyle& body_style, float width);

// Content widths of a table's columns from each column's one-line (`natural`) width and its longest
// unbreakable word: columns narrower than an even share keep their natural width; when the table is
// too wide for `available`, the wide columns share what is left, never narrower than their longest word.
std::vector<float> ColumnWidths(const std::vector<float>& natural, const std::vector<float>& longest_word,
                                float available);

// The pixel size a font is drawn at (its own size times the global scale).
float FontPixelSize(const ImFont* font);

}  // namespace convtutor::app
