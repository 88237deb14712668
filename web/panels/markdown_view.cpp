// Rich text for lessons: spans are cut into words, laid out line by line at the available width
// (a word never splits from the punctuation glued to it), and drawn with the draw list so lines
// get a comfortable pitch and mixed fonts share one baseline. Also code blocks and tables.
#include "panels/markdown_view.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>

#include "panels/ui_theme.h"

namespace convtutor::app {

namespace {

constexpr float kItalicSlant = 0.2f;         // faux italic: x shift per pixel above the baseline
constexpr float kInlineCodeScale = 0.94f;    // inline code sits a touch smaller than the text
constexpr ImU32 kInlineCodeGround = IM_COL32(239, 236, 248, 255);
constexpr ImU32 kCodeBlockGround = IM_COL32(247, 246, 252, 255);
constexpr ImU32 kCodeBlockBorder = IM_COL32(226, 222, 242, 255);
constexpr ImU32 kCodeText = IM_COL32(52, 58, 64, 255);
constexpr ImU32 kLinkHovered = IM_COL32(84, 46, 190, 255);
constexpr ImU32 kTableHeaderGround = IM_COL32(246, 245, 251, 255);

// One word of one span and the spaces after it. The word points into the span's text (or the
// "?" of a hidden value), which outlives the tokens.
struct Token {
  std::size_t span = 0;
  std::string_view word;
  ImFont* font = nullptr;
  float size = 0.0f;         // pixel size the word is drawn at
  float lead = 0.0f;         // room before the word: the code ground's padding or a scene mark
  float word_width = 0.0f;   // lead + text + trailing code padding
  float space_width = 0.0f;
  bool has_space = false;
  bool line_break = false;
};

// A stretch of tokens of one span on one line: what gets a code ground, an underline, a hover.
struct Run {
  std::size_t span = 0;
  int line = 0;
  ImVec2 min, max;
};

float TextWidth(ImFont* font, float size, std::string_view text) {
  if (text.empty()) return 0.0f;
  return font->CalcTextSizeA(size, 1e9f, 0.0f, text.data(), text.data() + text.size()).x;
}

float Ascent(const ImFont* font, float size) { return font->Ascent * size / font->FontSize; }
float Descent(const ImFont* font, float size) { return -font->Descent * size / font->FontSize; }

ImFont* PlainFont(const RichTextStyle& style) { return style.font != nullptr ? style.font : ImGui::GetFont(); }

// Rounds to the nearest device pixel (a logical pixel holds several on high-DPI screens), so glyphs
// stay sharp without the uneven word gaps that rounding to whole logical pixels leaves.
float SnapToPixel(float value) {
  const float scale = std::max(ImGui::GetIO().DisplayFramebufferScale.x, 1.0f);
  return std::round(value * scale) / scale;
}

float PlainSize(const RichTextStyle& style) { return style.size > 0.0f ? style.size : FontPixelSize(PlainFont(style)); }

std::vector<Token> Tokenize(const std::vector<lessons::Span>& spans, const RichTextStyle& style) {
  ImFont* plain = PlainFont(style);
  const float base_size = PlainSize(style);
  const float code_pad = base_size * 0.25f;
  std::vector<Token> tokens;
  for (std::size_t s = 0; s < spans.size(); ++s) {
    const lessons::Span& span = spans[s];
    if (span.line_break) {
      Token token;
      token.span = s;
      token.line_break = true;
      tokens.push_back(token);
      continue;
    }
    ImFont* font = span.code ? MonoFont() : (span.strong && style.strong_font != nullptr ? style.strong_font : plain);
    const float size = span.code ? base_size * kInlineCodeScale : base_size;
    const bool scene_link = !span.link.empty() && style.link_look && style.link_look(span.link).scene;
    const std::size_t first = tokens.size();
    std::size_t at = 0;
    const bool hidden = span.computed && style.hidden_note && !style.hidden_note(span).empty();
    const std::string_view text = hidden ? std::string_view("?") : std::string_view(span.text);
    const float space_width = TextWidth(font, size, " ");
    while (at < text.size()) {
      const std::size_t word_end = std::min(text.find_first_of(" \n", at), text.size());
      const std::size_t space_end = std::min(text.find_first_not_of(" \n", word_end), text.size());
      Token token;
      token.span = s;
      token.font = font;
      token.size = size;
      token.word = text.substr(at, word_end - at);
      token.word_width = TextWidth(font, size, token.word);
      token.has_space = space_end > word_end;
      token.space_width = token.has_space ? space_width : 0.0f;
      tokens.push_back(token);
      at = space_end;
    }
    if (tokens.size() == first) continue;
    if (span.code) {
      tokens[first].lead = code_pad;
      tokens[first].word_width += code_pad;
      tokens.back().word_width += code_pad;
    }
    if (scene_link) {
      tokens[first].lead += base_size * 0.85f;
      tokens[first].word_width += base_size * 0.85f;
    }
  }
  return tokens;
}

// Places tokens on lines no wider than `wrap_width`; returns the number of lines.
int LayOut(const std::vector<Token>& tokens, float wrap_width, std::vector<float>& x_of, std::vector<int>& line_of) {
  x_of.assign(tokens.size(), 0.0f);
  line_of.assign(tokens.size(), 0);
  float x = 0.0f;
  int line = 0;
  std::size_t i = 0;
  while (i < tokens.size()) {
    if (tokens[i].line_break) {
      line_of[i] = line;
      ++line;
      x = 0.0f;
      ++i;
      continue;
    }
    // Words glued together (no space between spans, as in "**bold**,") move to a new line together.
    std::size_t end = i;
    float group_width = 0.0f;
    while (end < tokens.size() && !tokens[end].line_break) {
      group_width += tokens[end].word_width;
      const bool ends_group = tokens[end].has_space;
      ++end;
      if (ends_group) break;
    }
    if (x > 0.0f && x + group_width > wrap_width) {
      ++line;
      x = 0.0f;
    }
    for (std::size_t k = i; k < end; ++k) {
      if (x == 0.0f && tokens[k].word.empty()) continue;  // no leading space at a line start
      x_of[k] = x;
      line_of[k] = line;
      x += tokens[k].word_width + (tokens[k].has_space ? tokens[k].space_width : 0.0f);
    }
    i = end;
  }
  return line + 1;
}

void DrawWord(ImDrawList* draw, const Token& token, ImVec2 position, float baseline, ImU32 colour, bool italic) {
  if (token.word.empty()) return;
  const int first_vertex = draw->VtxBuffer.Size;
  draw->AddText(token.font, token.size, position, colour, token.word.data(), token.word.data() + token.word.size());
  if (!italic) return;
  for (int v = first_vertex; v < draw->VtxBuffer.Size; ++v) {
    ImDrawVert& vertex = draw->VtxBuffer[v];
    vertex.pos.x += (baseline - vertex.pos.y) * kItalicSlant;
  }
}

// The widest run of words glued together (no space to break at): a column's narrowest width.
float LongestWordWidth(const std::vector<lessons::Span>& spans, const RichTextStyle& style) {
  float longest = 0.0f;
  float group = 0.0f;
  for (const Token& token : Tokenize(spans, style)) {
    group += token.word_width;
    if (token.has_space || token.line_break) {
      longest = std::max(longest, group);
      group = 0.0f;
    }
  }
  return std::max(longest, group);
}

}  // namespace

float FontPixelSize(const ImFont* font) {
  if (font == nullptr) return ImGui::GetFontSize();
  return font->FontSize * font->Scale * ImGui::GetIO().FontGlobalScale;
}

float RichTextWidth(const std::vector<lessons::Span>& spans, const RichTextStyle& style) {
  float width = 0.0f;
  for (const Token& token : Tokenize(spans, style)) width += token.word_width + token.space_width;
  return width;
}

std::vector<float> ColumnWidths(const std::vector<float>& natural, const std::vector<float>& longest_word,
                                float available) {
  float total = 0.0f;
  for (float width : natural) total += width;
  if (total <= available) return natural;
  std::vector<float> widths(natural.size(), 0.0f);
  std::vector<bool> settled(natural.size(), false);
  float left = available;
  std::size_t open = natural.size();
  // Settle every column that fits in an even share of what is left, until none does.
  bool changed = true;
  while (changed && open > 0) {
    changed = false;
    const float share = left / static_cast<float>(open);
    for (std::size_t c = 0; c < natural.size(); ++c) {
      if (settled[c] || natural[c] > share) continue;
      widths[c] = natural[c];
      settled[c] = true;
      left -= natural[c];
      --open;
      changed = true;
    }
  }
  float open_natural = 0.0f;
  for (std::size_t c = 0; c < natural.size(); ++c) {
    if (!settled[c]) open_natural += natural[c];
  }
  for (std::size_t c = 0; c < natural.size(); ++c) {
    if (!settled[c]) widths[c] = std::max(longest_word[c], std::max(left, 0.0f) * natural[c] / open_natural);
  }
  return widths;
}

lessons::Span LineBreak() {
  lessons::Span span;
  span.line_break = true;
  return span;
}

std::vector<lessons::Span> PlainSpans(const std::string& text) {
  std::vector<lessons::Span> spans;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    if (!spans.empty()) spans.push_back(LineBreak());
    lessons::Span span;
    span.text = text.substr(at, end - at);
    spans.push_back(span);
    at = end + 1;
  }
  return spans;
}

std::string DrawRichText(const std::vector<lessons::Span>& spans, const RichTextStyle& style, float wrap_width) {
  const std::vector<Token> tokens = Tokenize(spans, style);
  std::vector<float> x_of;
  std::vector<int> line_of;
  const int lines = LayOut(tokens, std::max(wrap_width, 1.0f), x_of, line_of);

  ImFont* plain = PlainFont(style);
  const float base_size = PlainSize(style);
  const float pitch = std::round(base_size * style.line_height);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 extent(wrap_width, static_cast<float>(lines) * pitch);
  std::string clicked;
  if (!ImGui::IsRectVisible(origin, ImVec2(origin.x + extent.x, origin.y + extent.y))) {
    ImGui::Dummy(extent);
    return clicked;
  }
  const auto baseline_of = [&](int line) {
    return SnapToPixel(origin.y + static_cast<float>(line) * pitch + (pitch - base_size) * 0.5f +
                      Ascent(plain, base_size));
  };

  // Runs: stretches of one span on one line, for grounds, underlines and hovering.
  std::vector<Run> runs;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.line_break || token.word.empty()) continue;
    const float baseline = baseline_of(line_of[i]);
    const ImVec2 min(origin.x + x_of[i], baseline - Ascent(token.font, token.size) - 1.0f);
    const ImVec2 max(origin.x + x_of[i] + token.word_width, baseline + Descent(token.font, token.size) + 1.0f);
    if (!runs.empty() && runs.back().span == token.span && runs.back().line == line_of[i]) {
      runs.back().max.x = max.x;
    } else {
      runs.push_back(Run{token.span, line_of[i], min, max});
    }
  }

  std::size_t hovered_span = spans.size();
  std::size_t hovered_value = spans.size();
  if (ImGui::IsWindowHovered()) {
    for (const Run& run : runs) {
      if (!ImGui::IsMouseHoveringRect(run.min, run.max)) continue;
      if (!spans[run.span].link.empty()) hovered_span = run.span;
      if (spans[run.span].computed) hovered_value = run.span;
    }
  }

  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (const Run& run : runs) {
    const lessons::Span& span = spans[run.span];
    if (span.code) draw->AddRectFilled(run.min, run.max, kInlineCodeGround, base_size * 0.2f);
    if (span.computed && span.link.empty()) {
      // A dotted underline marks a value the tutor computed (the lesson's author never typed it).
      const float y = baseline_of(run.line) + std::max(1.0f, base_size * 0.14f);
      const float dot = std::max(1.0f, std::round(base_size * 0.08f));
      const ImU32 colour = run.span == hovered_value ? colours::kAccent : colours::kAccentSoft;
      for (float x = run.min.x; x + dot <= run.max.x; x += dot * 2.5f) {
        draw->AddRectFilled(ImVec2(x, y), ImVec2(x + dot, y + dot), colour);
      }
    }
    if (span.link.empty()) continue;
    const LinkLook look = style.link_look ? style.link_look(span.link) : LinkLook{};
    if (look.active) {
      draw->AddRectFilled(ImVec2(run.min.x - 2.0f, run.min.y), ImVec2(run.max.x + 2.0f, run.max.y),
                          colours::kAccentFaint, base_size * 0.2f);
    }
    const bool hovered = run.span == hovered_span;
    const float underline_y = baseline_of(run.line) + std::max(1.0f, base_size * 0.12f);
    draw->AddLine(ImVec2(run.min.x, underline_y), ImVec2(run.max.x, underline_y),
                  hovered ? kLinkHovered : colours::kAccentSoft, hovered ? 1.5f : 1.0f);
  }

  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.line_break) continue;
    const lessons::Span& span = spans[token.span];
    const float baseline = baseline_of(line_of[i]);
    ImU32 colour = span.code ? kCodeText : style.colour;
    if (!span.link.empty()) colour = token.span == hovered_span ? kLinkHovered : colours::kAccent;
    const bool span_starts = i == 0 || tokens[i - 1].span != token.span;
    if (span_starts && !span.link.empty() && style.link_look && style.link_look(span.link).scene) {
      // A small play mark before a link that shows a scene.
      const float mark = base_size * 0.5f;
      const float left = origin.x + x_of[i] + base_size * 0.1f;
      const float middle = baseline - base_size * 0.33f;
      draw->AddTriangleFilled(ImVec2(left, middle - mark * 0.5f), ImVec2(left, middle + mark * 0.5f),
                              ImVec2(left + mark * 0.85f, middle), colour);
    }
    const ImVec2 position(SnapToPixel(origin.x + x_of[i] + token.lead),
                          SnapToPixel(baseline - Ascent(token.font, token.size)));
    DrawWord(draw, token, position, baseline, colour, span.emphasis && !span.code);
    ImGui::LogText("%.*s%s", static_cast<int>(token.word.size()), token.word.data(), token.has_space ? " " : "");
  }

  if (hovered_value < spans.size() && hovered_span >= spans.size()) {
    const std::string note = style.hidden_note ? style.hidden_note(spans[hovered_value]) : std::string();
    if (note.empty()) {
      ImGui::SetTooltip("Computed by the tutor from this lesson's scene or model");
    } else {
      ImGui::SetTooltip("%s", note.c_str());
    }
  }
  if (hovered_span < spans.size()) {
    ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    const std::string& link = spans[hovered_span].link;
    if (link[0] != '#') ImGui::SetTooltip("%s", link.c_str());
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) clicked = link;
  }
  ImGui::Dummy(extent);
  return clicked;
}

void DrawCodeBlock(const char* id, const std::string& code, float width) {
  ImFont* mono = MonoFont();
  const float size = FontPixelSize(mono);
  const float pad = std::round(size * 0.7f);
  const float pitch = std::round(size * 1.4f);

  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < code.size()) {
    const std::size_t end = std::min(code.find('\n', at), code.size());
    lines.push_back(code.substr(at, end - at));
    at = end + 1;
  }
  if (lines.empty()) lines.emplace_back();
  float widest = 0.0f;
  for (const std::string& line : lines) widest = std::max(widest, TextWidth(mono, size, line));

  const bool overflows = widest + 2.0f * pad > width;
  const float text_height = static_cast<float>(lines.size() - 1) * pitch + size;
  const float height = text_height + 2.0f * pad + (overflows ? ImGui::GetStyle().ScrollbarSize : 0.0f) + 2.0f;

  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(kCodeBlockGround));
  ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(kCodeBlockBorder));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(pad, pad));
  ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, size * 0.35f);
  ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 1.0f);
  if (ImGui::BeginChild(id, ImVec2(width, height), true, ImGuiWindowFlags_HorizontalScrollbar)) {
    ImGui::PushFont(mono);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kCodeText));
    for (std::size_t i = 0; i < lines.size(); ++i) {
      ImGui::SetCursorPosY(pad + static_cast<float>(i) * pitch);
      ImGui::TextUnformatted(lines[i].c_str());
    }
    ImGui::PopStyleColor();
    ImGui::PopFont();
  }
  ImGui::EndChild();
  ImGui::PopStyleVar(3);
  ImGui::PopStyleColor(2);
}

std::string DrawTable(const char* id, const std::vector<std::vector<std::vector<lessons::Span>>>& rows,
                      const RichTextStyle& body_style, float width) {
  std::string clicked;
  std::size_t columns = 0;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  if (columns == 0) return clicked;

  RichTextStyle header_style = body_style;
  if (body_style.strong_font != nullptr) header_style.font = body_style.strong_font;
  const float cell_padding = ImGui::GetStyle().CellPadding.x;
  std::vector<float> natural(columns, PlainSize(body_style));
  std::vector<float> longest_word(columns, 0.0f);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const RichTextStyle& style = r == 0 ? header_style : body_style;
      natural[c] = std::max(natural[c], std::ceil(RichTextWidth(rows[r][c], style)) + 1.0f);
      longest_word[c] = std::max(longest_word[c], std::ceil(LongestWordWidth(rows[r][c], style)) + 1.0f);
    }
  }
  const float padding_total = 2.0f * cell_padding * static_cast<float>(columns);
  const std::vector<float> widths = ColumnWidths(natural, longest_word, width - padding_total);

  const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
  if (!ImGui::BeginTable(id, static_cast<int>(columns), flags)) return clicked;
  for (std::size_t c = 0; c < columns; ++c) {
    ImGui::TableSetupColumn(nullptr, ImGuiTableColumnFlags_WidthFixed, widths[c]);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ImGui::TableNextRow();
    if (r == 0) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, kTableHeaderGround);
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      ImGui::TableSetColumnIndex(static_cast<int>(c));
      const std::string link = DrawRichText(rows[r][c], r == 0 ? header_style : body_style, widths[c]);
      if (!link.empty()) clicked = link;
    }
  }
  ImGui::EndTable();
  return clicked;
}

}  // namespace convtutor::app
