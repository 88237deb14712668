// Turns a lesson's Markdown into the UI-neutral block list with md4c (a CommonMark parser):
// headings, paragraphs, list items, code, tables and rules made of styled spans, each with its
// source line. Fenced scene/model/exercise blocks are handed back raw for lesson.cpp to interpret.
#include "lesson_markdown.h"

#include <md4c.h>

#include <algorithm>
#include <cstdint>

namespace convtutor::lessons {
namespace {

struct ListState {
  bool ordered = false;
  int next_number = 1;
};

// A list item still open, and the line it was entered at (its marker's line).
struct EnteredItem {
  int index = -1;
  int entered_line = 0;
};

// Everything md4c's callbacks need while they walk one document.
class MarkdownBuilder {
 public:
  explicit MarkdownBuilder(std::string_view text) : text_(text) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  MarkdownDocument Take() { return std::move(document_); }

  int EnterBlock(MD_BLOCKTYPE type, void* detail) {
    switch (type) {
      case MD_BLOCK_DOC:
        break;
      case MD_BLOCK_QUOTE:
        ++quote_depth_;
        break;
      case MD_BLOCK_UL:
        lists_.push_back(ListState{false, 1});
        inline_block_ = -1;
        break;
      case MD_BLOCK_OL:
        lists_.push_back(ListState{true, static_cast<int>(static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start)});
        inline_block_ = -1;
        break;
      case MD_BLOCK_LI: {
        Block& item = NewBlock(BlockKind::kListItem);
        item.depth = static_cast<int>(lists_.size());
        if (!lists_.empty()) {
          item.ordered = lists_.back().ordered;
          item.number = lists_.back().next_number++;
        }
        inline_block_ = LastIndex();
        open_item_ = LastIndex();
        open_items_.push_back(EnteredItem{LastIndex(), NextLineWhere(IsNonBlankLine)});
        break;
      }
      case MD_BLOCK_HR:
        NewBlock(BlockKind::kRule).line = NextLineWhere(IsRuleLine);
        break;
      case MD_BLOCK_H:
        NewBlock(BlockKind::kHeading).level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level);
        inline_block_ = LastIndex();
        break;
      case MD_BLOCK_CODE:
        EnterCode(*static_cast<MD_BLOCK_CODE_DETAIL*>(detail));
        break;
      case MD_BLOCK_P:
        // The first paragraph of a list item is the item's own text.
        if (open_item_ >= 0 && open_item_ == LastIndex() && document_.blocks.back().spans.empty()) {
          inline_block_ = open_item_;
        } else {
          NewBlock(BlockKind::kParagraph);
          inline_block_ = LastIndex();
        }
        break;
      case MD_BLOCK_TABLE:
        NewBlock(BlockKind::kTable);
        table_block_ = LastIndex();
        break;
      case MD_BLOCK_TR:
        if (table_block_ >= 0) document_.blocks[Index(table_block_)].rows.emplace_back();
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        if (table_block_ >= 0) document_.blocks[Index(table_block_)].rows.back().emplace_back();
        in_cell_ = true;
        break;
      case MD_BLOCK_THEAD:
      case MD_BLOCK_TBODY:
      case MD_BLOCK_HTML:  // never sent: the parser flags turn raw HTML into text
        break;
    }
    return 0;
  }

  int LeaveBlock(MD_BLOCKTYPE type) {
    switch (type) {
      case MD_BLOCK_QUOTE:
        --quote_depth_;
        break;
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        lists_.pop_back();
        inline_block_ = -1;
        break;
      case MD_BLOCK_LI: {
        // An item whose text gave no line ("-" alone): it starts where it was entered.
        Block& item = document_.blocks[Index(open_items_.back().index)];
        if (item.line == 0) item.line = open_items_.back().entered_line;
        open_items_.pop_back();
        inline_block_ = -1;
        open_item_ = -1;
        break;
      }
      case MD_BLOCK_H:
      case MD_BLOCK_P:
        PlaceIfLineless(inline_block_);
        inline_block_ = -1;
        open_item_ = -1;
        break;
      case MD_BLOCK_CODE:
        LeaveCode();
        break;
      case MD_BLOCK_TABLE:
        PlaceIfLineless(table_block_);
        table_block_ = -1;
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        in_cell_ = false;
        break;
      default:
        break;
    }
    return 0;
  }

  int EnterSpan(MD_SPANTYPE type, void* detail) {
    switch (type) {
      case MD_SPAN_EM:
        ++emphasis_;
        break;
      case MD_SPAN_STRONG:
        ++strong_;
        break;
      case MD_SPAN_CODE:
        ++code_;
        break;
      case MD_SPAN_A:
        links_.push_back(AttributeText(static_cast<MD_SPAN_A_DETAIL*>(detail)->href));
        break;
      default:  // images show their alt text; other extensions are off
        break;
    }
    return 0;
  }

  int LeaveSpan(MD_SPANTYPE type) {
    switch (type) {
      case MD_SPAN_EM:
        --emphasis_;
        break;
      case MD_SPAN_STRONG:
        --strong_;
        break;
      case MD_SPAN_CODE:
        --code_;
        break;
      case MD_SPAN_A:
        links_.pop_back();
        break;
      default:
        break;
    }
    return 0;
  }

  int Text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size) {
    const std::string_view piece(text, size);
    NoteTextPosition(text, size);
    if (in_code_) {
      Block& block = document_.blocks.back();
      // A fenced block starts at its fence, the line before its first text.
      if (block.line == 0 && InBuffer(text)) block.line = LineOf(text) - (fenced_ ? 1 : 0);
      block.code.append(piece);
      return 0;
    }
    switch (type) {
      case MD_TEXT_SOFTBR:
        AppendText(" ");
        break;
      case MD_TEXT_BR: {
        Span line_break;
        line_break.line_break = true;
        InlineSpans(text).push_back(line_break);
        break;
      }
      case MD_TEXT_ENTITY:
        AppendText(DecodeEntity(piece), text);
        break;
      case MD_TEXT_NULLCHAR:
        AppendText("\xEF\xBF\xBD", text);  // U+FFFD, as CommonMark asks
        break;
      default:
        AppendText(piece, text);
        break;
    }
    return 0;
  }

 private:
  std::size_t Index(int block) const { return static_cast<std::size_t>(block); }
  int LastIndex() const { return static_cast<int>(document_.blocks.size()) - 1; }

  Block& NewBlock(BlockKind kind) {
    Block block;
    block.kind = kind;
    block.depth = static_cast<int>(lists_.size());
    block.quote = quote_depth_ > 0;
    document_.blocks.push_back(std::move(block));
    return document_.blocks.back();
  }

  bool InBuffer(const char* pointer) const {
    return pointer != nullptr && pointer >= text_.data() && pointer < text_.data() + text_.size();
  }

  int LineAtOffset(std::size_t offset) const {
    const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    return static_cast<int>(after - line_starts_.begin());
  }

  // 1-based line of a pointer md4c gave us, or 0 when it points at one of md4c's own strings.
  int LineOf(const char* pointer) const {
    if (!InBuffer(pointer)) return 0;
    return LineAtOffset(static_cast<std::size_t>(pointer - text_.data()));
  }

  void NoteTextPosition(const char* text, MD_SIZE size) {
    if (InBuffer(text)) cursor_ = static_cast<std::size_t>(text - text_.data()) + size;
  }

  // For blocks that carry no text (rules, empty code blocks): the first line after the last text
  // seen that looks like the block's marker.
  template <class LineTest>
  int NextLineWhere(LineTest looks_right) const {
    std::size_t position = cursor_;
    while (position < text_.size()) {
      const std::size_t newline = text_.find('\n', position);
      const std::size_t end = newline == std::string_view::npos ? text_.size() : newline;
      if (looks_right(text_.substr(position, end - position))) return LineAtOffset(position);
      position = end + 1;
    }
    return LineAtOffset(cursor_ < text_.size() ? cursor_ : (text_.empty() ? 0 : text_.size() - 1));
  }

  // A block whose text gave no line ("#" alone, a table of empty cells, only a NUL byte, which md4c
  // replaces with its own string) gets the first non-blank line after the last text seen.
  void PlaceIfLineless(int index) {
    if (index < 0) return;
    Block& block = document_.blocks[Index(index)];
    if (block.line != 0) return;
    block.line = NextLineWhere(IsNonBlankLine);
    // Later lineless blocks are looked for after this one.
    cursor_ = std::max(cursor_, line_starts_[static_cast<std::size_t>(block.line) - 1] + 1);
  }

  static bool IsNonBlankLine(std::string_view line) { return line.find_first_not_of(" \t\r>") != std::string_view::npos; }

  static bool IsRuleLine(std::string_view line) {
    char mark = 0;
    int count = 0;
    for (const char c : line) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '>') continue;
      if ((c != '-' && c != '*' && c != '_') || (mark != 0 && c != mark)) return false;
      mark = c;
      ++count;
    }
    return count >= 3;
  }

  static bool IsFenceLine(std::string_view line) {
    const std::size_t start = line.find_first_not_of(" \t>");
    return start != std::string_view::npos && (line.compare(start, 3, "```") == 0 || line.compare(start, 3, "~~~") == 0);
  }

  std::string AttributeText(const MD_ATTRIBUTE& attribute) const {
    std::string result;
    if (attribute.text == nullptr) return result;
    for (unsigned part = 0; attribute.substr_offsets[part] < attribute.size; ++part) {
      const MD_OFFSET begin = attribute.substr_offsets[part];
      const MD_OFFSET end = attribute.substr_offsets[part + 1];
      const std::string_view piece(attribute.text + begin, end - begin);
      if (attribute.substr_types[part] == MD_TEXT_ENTITY) {
        result += DecodeEntity(piece);
      } else if (attribute.substr_types[part] == MD_TEXT_NULLCHAR) {
        result += "\xEF\xBF\xBD";
      } else {
        result.append(piece);
      }
    }
    return result;
  }

  void EnterCode(const MD_BLOCK_CODE_DETAIL& detail) {
    Block& block = NewBlock(BlockKind::kCode);
    const std::string info = AttributeText(detail.info);
    const std::size_t word_end = info.find_first_of(" \t");
    block.language = info.substr(0, word_end);
    if (word_end != std::string::npos) {
      const std::size_t argument = info.find_first_not_of(" \t", word_end);
      if (argument != std::string::npos) document_.info_arguments[document_.blocks.size() - 1] = info.substr(argument);
    }
    fenced_ = detail.fence_char != 0;
    // A fence without an info word may come with no pointer into the text: the fence is then the
    // first fence line after the last text seen.
    if (InBuffer(detail.info.text)) {
      block.line = LineOf(detail.info.text);
    } else if (fenced_) {
      block.line = NextLineWhere(IsFenceLine);
    }
    in_code_ = true;
    inline_block_ = -1;
  }

  void LeaveCode() {
    in_code_ = false;
    Block& block = document_.blocks.back();
    if (block.line == 0) block.line = NextLineWhere(IsFenceLine);
  }

  // Where inline text goes now: a table cell, the open heading/paragraph/item, or a new paragraph
  // (text after a nested list inside a tight list item).
  std::vector<Span>& InlineSpans(const char* text) {
    if (in_cell_ && table_block_ >= 0) {
      Block& table = document_.blocks[Index(table_block_)];
      if (table.line == 0) table.line = LineOf(text);
      return table.rows.back().back();
    }
    if (inline_block_ < 0) {
      NewBlock(BlockKind::kParagraph);
      inline_block_ = LastIndex();
    }
    Block& block = document_.blocks[Index(inline_block_)];
    if (block.line == 0) block.line = LineOf(text);
    return block.spans;
  }

  void AppendText(std::string_view piece, const char* text = nullptr) {
    std::vector<Span>& spans = InlineSpans(text);
    Span span;
    span.emphasis = emphasis_ > 0;
    span.strong = strong_ > 0;
    span.code = code_ > 0;
    if (!links_.empty()) span.link = links_.back();
    // Consecutive pieces of one style (md4c splits text at entities and breaks) form one span.
    if (!spans.empty()) {
      Span& last = spans.back();
      if (!last.line_break && last.emphasis == span.emphasis && last.strong == span.strong &&
          last.code == span.code && last.link == span.link) {
        last.text.append(piece);
        return;
      }
    }
    span.text = std::string(piece);
    spans.push_back(std::move(span));
  }

  static void AppendUtf8(std::uint32_t code_point, std::string& out) {
    if (code_point == 0 || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      code_point = 0xFFFD;
    }
    if (code_point < 0x80) {
      out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
      out += static_cast<char>(0xC0 | (code_point >> 6));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
      out += static_cast<char>(0xE0 | (code_point >> 12));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code_point >> 18));
      out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
  }

  // Numeric entities and the named ones a lesson plausibly uses; others stay as written.
  static std::string DecodeEntity(std::string_view entity) {
    std::string out;
    if (entity.size() > 3 && entity[1] == '#') {
      const bool hex = entity[2] == 'x' || entity[2] == 'X';
      std::uint32_t code_point = 0;
      for (std::size_t i = hex ? 3 : 2; i + 1 < entity.size(); ++i) {
        const char c = entity[i];
        const std::uint32_t digit = c >= '0' && c <= '9'   ? static_cast<std::uint32_t>(c - '0')
                                    : c >= 'a' && c <= 'f' ? static_cast<std::uint32_t>(c - 'a' + 10)
                                                           : static_cast<std::uint32_t>(c - 'A' + 10);
        code_point = code_point * (hex ? 16u : 10u) + digit;
        if (code_point > 0x10FFFF) break;
      }
      AppendUtf8(code_point, out);
      return out;
    }
    struct Named {
      std::string_view name;
      std::uint32_t code_point;
    };
    constexpr Named kNamed[] = {{"&amp;", '&'},      {"&lt;", '<'},       {"&gt;", '>'},     {"&quot;", '"'},
                                {"&apos;", '\''},    {"&nbsp;", 0xA0},    {"&times;", 0xD7}, {"&minus;", 0x2212},
                                {"&middot;", 0xB7},  {"&rarr;", 0x2192},  {"&larr;", 0x2190}, {"&ndash;", 0x2013},
                                {"&mdash;", 0x2014}, {"&hellip;", 0x2026}, {"&le;", 0x2264}, {"&ge;", 0x2265},
                                {"&lfloor;", 0x230A}, {"&rfloor;", 0x230B}, {"&lceil;", 0x2308}, {"&rceil;", 0x2309}};
    for (const Named& named : kNamed) {
      if (named.name == entity) {
        AppendUtf8(named.code_point, out);
        return out;
      }
    }
    return std::string(entity);
  }

  std::string_view text_;
  std::vector<std::size_t> line_starts_;
  std::size_t cursor_ = 0;
  MarkdownDocument document_;
  std::vector<ListState> lists_;
  int quote_depth_ = 0;
  int inline_block_ = -1;  // block receiving inline text
  int open_item_ = -1;     // list item still waiting for its first paragraph
  std::vector<EnteredItem> open_items_;  // every list item entered and not yet left, innermost last
  int table_block_ = -1;
  bool in_cell_ = false;
  bool in_code_ = false;
  bool fenced_ = false;
  int emphasis_ = 0;
  int strong_ = 0;
  int code_ = 0;
  std::vector<std::string> links_;
};

MarkdownBuilder& Builder(void* user_data) { return *static_cast<MarkdownBuilder*>(user_data); }

}  // namespace

MarkdownDocument ParseMarkdown(std::string_view text) {
  MarkdownBuilder builder(text);
  MD_PARSER parser{};
  parser.flags = MD_FLAG_TABLES | MD_FLAG_NOHTML;
  parser.enter_block = [](MD_BLOCKTYPE type, void* detail, void* user) { return Builder(user).EnterBlock(type, detail); };
  parser.leave_block = [](MD_BLOCKTYPE type, void*, void* user) { return Builder(user).LeaveBlock(type); };
  parser.enter_span = [](MD_SPANTYPE type, void* detail, void* user) { return Builder(user).EnterSpan(type, detail); };
  parser.leave_span = [](MD_SPANTYPE type, void*, void* user) { return Builder(user).LeaveSpan(type); };
  parser.text = [](MD_TEXTTYPE type, const MD_CHAR* chars, MD_SIZE size, void* user) {
    return Builder(user).Text(type, chars, size);
  };
  md_parse(text.data(), static_cast<MD_SIZE>(text.size()), &parser, &builder);
  return builder.Take();
}

}  // namespace convtutor::lessons
