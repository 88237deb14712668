// Python expressions in model code, as much as following tensors needs: names, numbers, calls,
// attributes, indexing, tuples, lists, dicts and arithmetic (self.pool(F.relu(self.conv1(x))), out + identity).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "convtutor/result.h"
#include "model/tokens.h"

namespace convtutor::lessons::reading {

struct Expr {
  enum class Kind {
    kName, kNumber, kString, kCall, kAttribute, kIndex, kTuple, kDict, kBinary, kNegate, kNot, kComprehension, kConditional
  };
  Kind kind = Kind::kName;
  std::string text;                   // the name, number, string, attribute or operator; ":" for a slice (kIndex)
  std::vector<Expr> parts;            // kCall: callee then arguments; kAttribute, kIndex: object (then index, or a
                                      // slice's start and stop, None when left out);
                                      // kBinary (arithmetic, comparisons, and, or): both sides; kNegate,
                                      // kNot: the operand; kTuple: the items; kDict: each key then its value;
                                      // kComprehension: the item, what it runs over (then its `if`);
                                      // kConditional (a if c else b, as an argument): a, c, b
  std::vector<std::string> keywords;  // kCall: one per argument, empty when positional; kComprehension:
                                      // the names each item is given
  std::size_t call_token = 0;         // kCall: the token before '(' (CallParser reads the call from there)
  bool formatted = false;             // kString: an f-string, whose {name} parts take the names' values
  std::size_t begin = 0, end = 0;     // where it is in the text, for the source shown with a row
  int line = 0;
};

// Reads one expression from the tokens [begin, end) of a statement.
class ExprParser {
 public:
  ExprParser(const std::vector<Token>& tokens, std::size_t begin, std::size_t end)
      : tokens_(tokens), position_(begin), end_(end) {}

  bool AtEnd() const { return position_ >= end_; }
  const Token& Peek() const { return tokens_[std::min(position_, end_)]; }
  bool IsPunct(const char* text, std::size_t ahead = 0) const {
    const std::size_t at = position_ + ahead;
    return at < end_ && tokens_[at].kind == TokenKind::kPunct && tokens_[at].text == text;
  }

  // Deeper nesting than any real model needs would only risk the stack (the browser's is small).
  Result<Expr> ParseExpression();

  // Lets calls unpack a list or a dict into their arguments (block(*sizes), ResNet(block, layers,
  // **kwargs)): such an argument's keyword is then "*" or "**".
  void AcceptUnpacking() { unpacking_ = true; }

 private:
  static constexpr int kMaxNesting = 64;

  void Advance() { ++position_; }
  static Expr Binary(Expr left, const std::string& op, Expr right);
  Result<Expr> ParseOr();
  Result<Expr> ParseAnd();
  Result<Expr> ParseNot();
  Result<Expr> ParseComparison();
  Result<Expr> ParseShift();
  Result<Expr> ParseSum();
  Result<Expr> ParseProduct();
  Result<Expr> ParseUnary();
  Result<Expr> ParsePostfix();
  Result<Expr> ParsePrimary();
  Result<Expr> ParseComprehension(Expr list, Expr element);
  Result<Expr> ParseArgument();
  std::string ReadComparisonOperator();

  const std::vector<Token>& tokens_;
  std::size_t position_;
  std::size_t end_;
  int depth_ = 0;
  bool unpacking_ = false;
};

}  // namespace convtutor::lessons::reading
