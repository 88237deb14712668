// Calls and their argument values, read from the tokens (see calls.h).
#include "model/calls.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace convtutor::lessons::reading {

Value NumberValue(double number, bool integral, std::string text) {
  Value value;
  value.kind = Value::Kind::kNumber;
  value.number = number;
  value.integral = integral;
  value.text = std::move(text);
  return value;
}

std::string Describe(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kString:
      return "'" + value.text + "'";
    case Value::Kind::kTuple: {
      std::string text = "(";
      for (std::size_t i = 0; i < value.items.size(); ++i) text += (i ? ", " : "") + Describe(value.items[i]);
      return text + ")";
    }
    default:
      return value.text;
  }
}

bool CallParser::TryAssignment() {
  const std::size_t mark = position_;
  std::vector<std::string> names;
  while (Peek().kind == TokenKind::kName && Peek().text.find('.') == std::string::npos) {
    names.push_back(Peek().text);
    Advance();
    if (!IsPunct(",")) break;
    Advance();
  }
  const bool a_keyword = !names.empty() && (names[0] == "else" || names[0] == "try" || names[0] == "finally");
  if (names.size() == 1 && !a_keyword && IsPunct(":")) SkipAnnotation();  // expansion: int = 4
  const bool assignment = !names.empty() && IsPunct("=") && !IsPunct("=", 1);
  if (assignment) {
    Advance();
    std::vector<Value> values;
    bool numeric = true;
    while (numeric) {
      Result<Value> value = ParseValue();
      numeric = value.ok() && IsNumeric(value.value());
      if (numeric) values.push_back(std::move(value.value()));
      if (!IsPunct(",")) break;
      Advance();
    }
    if (numeric && values.size() == names.size()) {
      for (std::size_t i = 0; i < names.size(); ++i) variables_[names[i]] = values[i];
      return true;
    }
    if (numeric && names.size() == 1 && values.size() > 1) {  // shape = 28, 28, 1
      Value tuple;
      tuple.kind = Value::Kind::kTuple;
      tuple.items = std::move(values);
      variables_[names[0]] = std::move(tuple);
      return true;
    }
  }
  position_ = mark;
  return false;
}

void CallParser::SkipAnnotation() {
  const std::size_t mark = position_;
  const int line = Peek().line;
  Advance();  // ':'
  int depth = 0;
  // A type is names, dots and brackets (Optional[Callable[..., nn.Module]]), on the name's line
  // outside brackets; anything else (else: on a line of its own) leaves the position as it was.
  while (!AtEnd() && (depth > 0 || Peek().line == line)) {
    if (IsPunct("[")) ++depth;
    if (IsPunct("]")) --depth;
    const bool part = Peek().kind == TokenKind::kName || IsPunct("[") || IsPunct("]") || IsPunct(".") || IsPunct(",");
    if (depth == 0 && IsPunct("=")) return;
    if (!part || depth < 0) break;
    Advance();
  }
  position_ = mark;
}

Result<bool> CallParser::SkipGroup() {
  const int line = Peek().line;
  int depth = 0;
  do {
    if (AtEnd()) return Error{"", "a bracket opened here is never closed", line};
    if (IsPunct("(") || IsPunct("[") || IsPunct("{")) ++depth;
    if (IsPunct(")") || IsPunct("]") || IsPunct("}")) --depth;
    Advance();
  } while (depth > 0);
  return true;
}

Result<Call> CallParser::ParseCall() {
  Call call;
  const Token& name = Peek();
  call.line = name.line;
  const std::size_t dot = name.text.find_last_of('.');
  call.name = dot == std::string::npos ? name.text : name.text.substr(dot + 1);
  const std::size_t start = name.offset;
  Advance();
  Advance();  // '('
  while (!IsPunct(")")) {
    if (AtEnd()) return Error{"", call.name + "( is never closed", call.line};
    Argument argument;
    argument.line = Peek().line;
    if (Peek().kind == TokenKind::kName && IsPunct("=", 1)) {
      argument.keyword = Peek().text;
      Advance();
      Advance();
    }
    Result<Value> value = ParseValue();
    if (!value) return value.error();
    argument.value = std::move(value.value());
    call.arguments.push_back(std::move(argument));
    if (IsPunct(",")) {
      Advance();
    } else if (!IsPunct(")")) {
      if (Peek().line > call.line) {
        return Error{"", call.name + "( is missing its closing ) before this line", Peek().line};
      }
      return Error{"", call.name + ": expected , or ) after an argument, got \"" + Peek().text + "\"", Peek().line};
    }
  }
  call.source = std::string(text_.substr(start, Peek().offset + 1 - start));
  Advance();  // ')'
  return call;
}

Result<Value> CallParser::ParseValue() {
  Value value;
  const Token& token = Peek();
  bool negative = false;
  if (IsPunct("-")) {
    negative = true;
    Advance();
  }
  const Token& start = Peek();
  if (start.kind == TokenKind::kNumber) {
    char* end = nullptr;
    value.kind = Value::Kind::kNumber;
    value.number = std::strtod(start.text.c_str(), &end);
    if (end == nullptr || *end != '\0') return Error{"", "cannot read the number \"" + start.text + "\"", start.line};
    if (negative) value.number = -value.number;
    value.integral = start.text.find_first_of(".eE") == std::string::npos;
    value.text = (negative ? "-" : "") + start.text;
    Advance();
    return MultiplyOn(std::move(value));
  }
  if (negative) return Error{"", "expected a number after -", token.line};
  if (start.kind == TokenKind::kString) {
    value.kind = Value::Kind::kString;
    value.text = start.text;
    Advance();
    return value;
  }
  if (IsPunct("(") || IsPunct("[")) {
    const std::string close = IsPunct("(") ? ")" : "]";
    Advance();
    value.kind = Value::Kind::kTuple;
    while (!IsPunct(close.c_str())) {
      if (AtEnd()) return Error{"", "a bracket opened here is never closed", start.line};
      Result<Value> item = ParseValue();
      if (!item) return item.error();
      value.items.push_back(std::move(item.value()));
      if (IsPunct(",")) {
        Advance();
      } else if (!IsPunct(close.c_str())) {
        return Error{"", "expected , or " + close + " in a tuple, got \"" + Peek().text + "\"", Peek().line};
      }
    }
    Advance();
    return value;
  }
  if (start.kind == TokenKind::kName && !IsPunct("(", 1)) {
    const auto known = variables_.find(start.text);
    if (known != variables_.end()) {
      Advance();
      if (known->second.kind == Value::Kind::kNumber) return MultiplyOn(known->second);
      return known->second;
    }
  }
  if (start.kind == TokenKind::kName) {
    value.text = start.text;
    value.kind = start.text == "None"                             ? Value::Kind::kNone
                 : start.text == "True" || start.text == "False" ? Value::Kind::kBool
                                                                 : Value::Kind::kOther;
    value.number = start.text == "True" ? 1.0 : 0.0;
    Advance();
    if (IsPunct("(")) {  // a nested call such as l2(0.01): kept as text
      Result<bool> skipped = SkipGroup();
      if (!skipped) return skipped.error();
      value.kind = Value::Kind::kOther;
    }
    return value;
  }
  return Error{"", "expected a value, got \"" + start.text + "\"", start.line};
}

// Products such as nn.Linear(16 * 5 * 5, 120) and nn.Conv2d(2 * out_channels, ...), as PyTorch code
// writes sizes: numbers and names given numbers earlier.
Result<Value> CallParser::MultiplyOn(Value value) {
  while (IsPunct("*")) {
    const Token& next = Peek(1);
    const auto named = next.kind == TokenKind::kName && !IsPunct("(", 2) ? variables_.find(next.text) : variables_.end();
    const bool number = next.kind == TokenKind::kNumber;
    if (!number && (named == variables_.end() || named->second.kind != Value::Kind::kNumber)) break;
    Advance();
    const double factor = number ? std::strtod(next.text.c_str(), nullptr) : named->second.number;
    if (!(value.number * factor < 1e12)) return Error{"", "the product " + value.text + " * ... is too large", next.line};
    value.number *= factor;
    value.integral = value.integral && (number ? next.text.find_first_of(".eE") == std::string::npos : named->second.integral);
    value.text += " * " + next.text;
    Advance();
  }
  return value;
}

bool CallParser::IsNumeric(const Value& value) {
  if (value.kind == Value::Kind::kNumber) return true;
  if (value.kind != Value::Kind::kTuple || value.items.empty()) return false;
  return std::all_of(value.items.begin(), value.items.end(), IsNumeric);
}

}  // namespace convtutor::lessons::reading
