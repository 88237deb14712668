// Calls as model code writes them, Conv2D(32, (3, 3), activation='relu'): the argument values
// (numbers, strings, tuples, names given earlier such as img_rows = 28) read from the tokens.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "convtutor/result.h"
#include "model/tokens.h"

namespace convtutor::lessons::reading {

// An argument value: a number, a string, True/False/None, a tuple/list of values, a dict (a
// PyTorch class's cfg = {'VGG11': [64, 'M', ...]}), a module a reader made (downsample =
// nn.Sequential(...), handed to a block), or something else (a name, a nested call) kept only as text.
struct Value {
  enum class Kind { kNumber, kString, kBool, kNone, kTuple, kDict, kModule, kOther };
  Kind kind = Kind::kOther;
  double number = 0.0;
  bool integral = false;
  std::size_t module = 0;  // kModule: which of the reader's modules
  std::string text;
  std::vector<Value> items;
  std::vector<Value> keys;  // kDict: the key of each item
};

struct Argument {
  std::string keyword;  // empty for positional arguments
  Value value;
  int line = 0;
};

struct Call {
  std::string name;  // last part of the dotted name: "Conv2D"
  std::vector<Argument> arguments;
  int line = 0;
  std::string source;
};

// A number as a value, with its text for messages.
Value NumberValue(double number, bool integral, std::string text);

// A value as the learner wrote it, for messages: 'same', (3, 3), 0.5.
std::string Describe(const Value& value);

// Walks the tokens reading calls and numeric assignments; remembers the numbers named on the way.
class CallParser {
 public:
  CallParser(std::string_view text, const std::vector<Token>& tokens) : text_(text), tokens_(tokens) {}

  std::size_t Position() const { return position_; }
  void Seek(std::size_t position) { position_ = std::min(position, tokens_.size() - 1); }
  // A number (or tuple of numbers) named earlier in the text, or nullptr.
  const Value* Variable(const std::string& name) const {
    const auto known = variables_.find(name);
    return known == variables_.end() ? nullptr : &known->second;
  }
  void Define(const std::string& name, Value value) { variables_[name] = std::move(value); }
  // Every name given a value so far, and a way back to such a set (a method's own names end with it).
  const std::map<std::string, Value>& Variables() const { return variables_; }
  void SetVariables(std::map<std::string, Value> variables) { variables_ = std::move(variables); }

  const Token& Peek(std::size_t ahead = 0) const { return tokens_[std::min(position_ + ahead, tokens_.size() - 1)]; }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  void Advance() { position_ = std::min(position_ + 1, tokens_.size() - 1); }
  bool IsPunct(const char* text, std::size_t ahead = 0) const {
    return Peek(ahead).kind == TokenKind::kPunct && Peek(ahead).text == text;
  }

  // Reads "name = value" or "a, b = 28, 28" when every value is a number or a tuple of numbers
  // (img_rows = 28; input_shape = (img_rows, img_cols, 1)), so later layers can use the names as
  // Keras examples do. Anything else (model = Sequential(...)) is left for the layer scan.
  bool TryAssignment();
  // Steps over a type written after a name (expansion: int = 4), up to its `=`; stays put when
  // what follows the `:` is not a type followed by `=` on the same line.
  void SkipAnnotation();
  // Skips a bracketed group starting at the current opening bracket.
  Result<bool> SkipGroup();
  // Parses "Name(args)" with the current token at the name.
  Result<Call> ParseCall();

 private:
  Result<Value> ParseValue();
  Result<Value> MultiplyOn(Value value);
  static bool IsNumeric(const Value& value);

  std::string_view text_;
  const std::vector<Token>& tokens_;
  std::size_t position_ = 0;
  std::map<std::string, Value> variables_;  // numbers and shapes named earlier in the text
};

}  // namespace convtutor::lessons::reading
