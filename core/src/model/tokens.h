// Python-like tokens and logical lines (statements) of pasted model code, the first step of every
// model reader: comments and import lines are dropped, brackets continue a line, indentation is kept.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/result.h"

namespace convtutor::lessons::reading {

enum class TokenKind { kName, kNumber, kString, kPunct, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // a dotted name ("keras.layers.Conv2D"), the number or string as written, or the punctuation
  int line = 0;
  std::size_t offset = 0;  // where the token starts in the text
};

// The tokens of `text`, whose first line is `first_line`; the last token is a kEnd.
Result<std::vector<Token>> Tokenize(std::string_view text, int first_line);

// One logical line of Python: tokens [begin, end), its first line and how deeply it is indented.
struct Statement {
  std::size_t begin = 0;
  std::size_t end = 0;
  int line = 0;
  std::size_t indent = 0;
};

std::vector<Statement> SplitStatements(std::string_view text, const std::vector<Token>& tokens);

// The statements indented under statements[head], up to the first one back at its level or less.
std::vector<Statement> BodyOf(const std::vector<Statement>& statements, std::size_t head);

bool IsWord(const Token& token, const char* word);

// "keras.layers.Conv2D" → "Conv2D".
std::string LastPart(const std::string& dotted);

}  // namespace convtutor::lessons::reading
