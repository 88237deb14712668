// Python-like tokens and logical lines of pasted model code (see tokens.h).
#include "model/tokens.h"

#include <algorithm>
#include <cctype>

namespace convtutor::lessons::reading {

// Python-ish tokens. Comments and import lines carry no layers, so they are skipped here.
Result<std::vector<Token>> Tokenize(std::string_view text, int first_line) {
  std::vector<Token> tokens;
  int line = first_line;
  bool line_start = true;
  std::size_t i = 0;
  const auto is_name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = true;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\\') {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (line_start && (text.compare(i, 7, "import ") == 0 || text.compare(i, 5, "from ") == 0)) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    line_start = false;
    Token token;
    token.line = line;
    token.offset = i;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = i;
      while (end < text.size() && (is_name_char(text[end]) || (text[end] == '.' && end + 1 < text.size() &&
                                                              (std::isalpha(static_cast<unsigned char>(text[end + 1])) ||
                                                               text[end + 1] == '_')))) {
        ++end;
      }
      token.kind = TokenKind::kName;
      token.text = std::string(text.substr(i, end - i));
      i = end;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      std::size_t end = i;
      while (end < text.size() && (is_name_char(text[end]) || text[end] == '.' ||
                                   ((text[end] == '-' || text[end] == '+') && (text[end - 1] == 'e' || text[end - 1] == 'E')))) {
        ++end;
      }
      token.kind = TokenKind::kNumber;
      token.text = std::string(text.substr(i, end - i));
      i = end;
    } else if (text.compare(i, 3, "\"\"\"") == 0 || text.compare(i, 3, "'''") == 0) {
      // A docstring: may span lines, which still count.
      const std::size_t close = text.find(text.substr(i, 3), i + 3);
      if (close == std::string_view::npos) return Error{"", "a docstring is not closed", line};
      token.kind = TokenKind::kString;
      token.text = std::string(text.substr(i + 3, close - i - 3));
      line += static_cast<int>(std::count(token.text.begin(), token.text.end(), '\n'));
      i = close + 3;
    } else if (c == '\'' || c == '"') {
      const std::size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos || text.substr(i, close - i).find('\n') != std::string_view::npos) {
        return Error{"", "a string is not closed (missing " + std::string(1, c) + ")", line};
      }
      token.kind = TokenKind::kString;
      token.text = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      token.kind = TokenKind::kPunct;
      token.text = std::string(1, c);
      ++i;
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.line = line;
  end.offset = text.size();
  tokens.push_back(end);
  return tokens;
}

std::vector<Statement> SplitStatements(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<Statement> statements;
  int depth = 0;  // open brackets continue a statement over lines, as in Python
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {  // the last token marks the end
    const Token& token = tokens[i];
    if (statements.empty() || (depth == 0 && token.line != tokens[i - 1].line)) {
      Statement statement;
      statement.begin = i;
      statement.line = token.line;
      const std::size_t newline = token.offset == 0 ? std::string_view::npos : text.rfind('\n', token.offset - 1);
      statement.indent = newline == std::string_view::npos ? token.offset : token.offset - newline - 1;
      statements.push_back(statement);
    }
    if (token.kind == TokenKind::kPunct) {
      if (token.text == "(" || token.text == "[" || token.text == "{") ++depth;
      if ((token.text == ")" || token.text == "]" || token.text == "}") && depth > 0) --depth;
    }
    statements.back().end = i + 1;
  }
  return statements;
}

bool IsWord(const Token& token, const char* word) { return token.kind == TokenKind::kName && token.text == word; }

std::string LastPart(const std::string& dotted) {
  const std::size_t dot = dotted.find_last_of('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}


std::vector<Statement> BodyOf(const std::vector<Statement>& statements, std::size_t head) {
  std::vector<Statement> body;
  for (std::size_t i = head + 1; i < statements.size() && statements[i].indent > statements[head].indent; ++i) {
    body.push_back(statements[i]);
  }
  return body;
}

}  // namespace convtutor::lessons::reading
