// Python expressions read from a statement's tokens (see expressions.h).
#include "model/expressions.h"

#include <optional>
#include <utility>

namespace convtutor::lessons::reading {

Result<Expr> ExprParser::ParseExpression() {
  if (depth_ >= kMaxNesting) return Error{"", "forward: brackets nested too deeply to follow", Peek().line};
  ++depth_;
  Result<Expr> expr = ParseOr();
  --depth_;
  return expr;
}

Result<Expr> ExprParser::ParseOr() {
  Result<Expr> left = ParseAnd();
  while (left && !AtEnd() && IsWord(Peek(), "or")) {
    Advance();
    Result<Expr> right = ParseAnd();
    if (!right) return right;
    left = Binary(std::move(left.value()), "or", std::move(right.value()));
  }
  return left;
}

Result<Expr> ExprParser::ParseAnd() {
  Result<Expr> left = ParseNot();
  while (left && !AtEnd() && IsWord(Peek(), "and")) {
    Advance();
    Result<Expr> right = ParseNot();
    if (!right) return right;
    left = Binary(std::move(left.value()), "and", std::move(right.value()));
  }
  return left;
}

Result<Expr> ExprParser::ParseNot() {
  if (AtEnd() || !IsWord(Peek(), "not")) return ParseComparison();
  const Token& word = Peek();
  Advance();
  Result<Expr> operand = ParseNot();
  if (!operand) return operand;
  Expr expr;
  expr.kind = Expr::Kind::kNot;
  expr.line = word.line;
  expr.begin = word.offset;
  expr.end = operand.value().end;
  expr.parts.push_back(std::move(operand.value()));
  return expr;
}

// The comparison operator at the current token, read past (""  when there is none).
std::string ExprParser::ReadComparisonOperator() {
  if (AtEnd()) return "";
  if (IsWord(Peek(), "in")) {
    Advance();
    return "in";
  }
  if (IsWord(Peek(), "not") && position_ + 1 < end_ && IsWord(tokens_[position_ + 1], "in")) {
    Advance();
    Advance();
    return "not in";
  }
  if (IsWord(Peek(), "is")) {
    Advance();
    if (AtEnd() || !IsWord(Peek(), "not")) return "is";
    Advance();
    return "is not";
  }
  if ((IsPunct("=") || IsPunct("!")) && IsPunct("=", 1)) {
    std::string op = Peek().text + "=";
    Advance();
    Advance();
    return op;
  }
  if ((IsPunct("<") || IsPunct(">")) && !IsPunct(Peek().text.c_str(), 1)) {  // not << or >>
    std::string op = Peek().text;
    Advance();
    if (IsPunct("=")) {
      op += "=";
      Advance();
    }
    return op;
  }
  return "";
}

// a == b, a != b, a < b, a <= b, a > b, a >= b, a is None, a is not None, a in b, a not in b; a
// chain (0.0 < bias < 1.0) is each pair in turn, joined by `and`, as Python reads it.
Result<Expr> ExprParser::ParseComparison() {
  Result<Expr> left = ParseShift();
  if (!left) return left;
  std::optional<Expr> chain;
  Expr previous = left.value();
  for (std::string op = ReadComparisonOperator(); !op.empty(); op = ReadComparisonOperator()) {
    Result<Expr> right = ParseShift();
    if (!right) return right;
    Expr comparison = Binary(previous, op, right.value());
    chain = chain ? Binary(std::move(*chain), "and", std::move(comparison)) : std::move(comparison);
    previous = std::move(right.value());
  }
  return chain ? std::move(*chain) : std::move(left.value());
}

Expr ExprParser::Binary(Expr left, const std::string& op, Expr right) {
  Expr expr;
  expr.kind = Expr::Kind::kBinary;
  expr.text = op;
  expr.line = left.line;
  expr.begin = left.begin;
  expr.end = right.end;
  expr.parts.push_back(std::move(left));
  expr.parts.push_back(std::move(right));
  return expr;
}

// a << b, a >> b (branch_features << 1).
Result<Expr> ExprParser::ParseShift() {
  Result<Expr> left = ParseSum();
  while (left && ((IsPunct("<") && IsPunct("<", 1)) || (IsPunct(">") && IsPunct(">", 1)))) {
    const std::string op = Peek().text + Peek().text;
    Advance();
    Advance();
    Result<Expr> right = ParseSum();
    if (!right) return right;
    left = Binary(std::move(left.value()), op, std::move(right.value()));
  }
  return left;
}

Result<Expr> ExprParser::ParseSum() {
  Result<Expr> left = ParseProduct();
  while (left && (IsPunct("+") || IsPunct("-"))) {
    const std::string op = Peek().text;
    Advance();
    Result<Expr> right = ParseProduct();
    if (!right) return right;
    left = Binary(std::move(left.value()), op, std::move(right.value()));
  }
  return left;
}

Result<Expr> ExprParser::ParseProduct() {
  Result<Expr> left = ParseUnary();
  while (left && (IsPunct("*") || IsPunct("/") || IsPunct("%") || IsPunct("@"))) {
    std::string op = Peek().text;
    Advance();
    if ((op == "*" || op == "/") && IsPunct(op.c_str())) {  // ** and //
      op += op;
      Advance();
    }
    Result<Expr> right = ParseUnary();
    if (!right) return right;
    left = Binary(std::move(left.value()), op, std::move(right.value()));
  }
  return left;
}

Result<Expr> ExprParser::ParseUnary() {
  if (!IsPunct("-")) return ParsePostfix();
  const Token& minus = Peek();
  Advance();
  Result<Expr> operand = ParseUnary();
  if (!operand) return operand;
  Expr expr;
  expr.kind = Expr::Kind::kNegate;
  expr.line = minus.line;
  expr.begin = minus.offset;
  expr.end = operand.value().end;
  expr.parts.push_back(std::move(operand.value()));
  return expr;
}

Result<Expr> ExprParser::ParsePostfix() {
  Result<Expr> primary = ParsePrimary();
  if (!primary) return primary;
  Expr expr = std::move(primary.value());
  while (true) {
    if (IsPunct("(")) {
      Expr call;
      call.kind = Expr::Kind::kCall;
      call.line = expr.line;
      call.begin = expr.begin;
      call.call_token = position_ - 1;
      Advance();
      call.parts.push_back(std::move(expr));
      while (!IsPunct(")")) {
        if (AtEnd()) return Error{"", "a bracket opened here is never closed", call.line};
        std::string keyword;
        if (Peek().kind == TokenKind::kName && IsPunct("=", 1) && !IsPunct("=", 2)) {
          keyword = Peek().text;
          Advance();
          Advance();
        }
        if (IsPunct("*") && keyword.empty()) {
          if (!unpacking_) return Error{"", "not supported yet: *args or **kwargs in forward", Peek().line};
          keyword = IsPunct("*", 1) ? "**" : "*";
          Advance();
          if (keyword == "**") Advance();
        }
        Result<Expr> argument = ParseArgument();
        if (!argument) return argument;
        call.parts.push_back(std::move(argument.value()));
        call.keywords.push_back(keyword);
        if (IsPunct(",")) {
          Advance();
        } else if (!IsPunct(")")) {
          return Error{"", "forward: expected , or ) after an argument, got \"" + Peek().text + "\"", Peek().line};
        }
      }
      call.end = Peek().offset + 1;
      Advance();
      expr = std::move(call);
    } else if (IsPunct("[")) {
      Expr index;
      index.kind = Expr::Kind::kIndex;
      index.line = expr.line;
      index.begin = expr.begin;
      Advance();
      index.parts.push_back(std::move(expr));
      // a[start:stop] (either left out: None) is a slice, its text ":".
      const auto bound = [&]() -> Result<Expr> {
        if (IsPunct(":") || IsPunct("]")) {
          Expr none;
          none.kind = Expr::Kind::kName;
          none.text = "None";
          none.line = index.line;
          none.begin = none.end = Peek().offset;
          return none;
        }
        return ParseExpression();
      };
      Result<Expr> at = bound();
      if (at && IsPunct(":")) {
        index.text = ":";
        Advance();
        index.parts.push_back(std::move(at.value()));
        at = bound();
      }
      if (!at || !IsPunct("]")) return Error{"", "not supported yet: this slicing or indexing", index.line};
      index.parts.push_back(std::move(at.value()));
      index.end = Peek().offset + 1;
      Advance();
      expr = std::move(index);
    } else if (IsPunct(".") && position_ + 1 < end_ && tokens_[position_ + 1].kind == TokenKind::kName) {
      Advance();
      Expr attribute;
      attribute.kind = Expr::Kind::kAttribute;
      attribute.text = Peek().text;
      attribute.line = expr.line;
      attribute.begin = expr.begin;
      attribute.end = Peek().offset + Peek().text.size();
      attribute.parts.push_back(std::move(expr));
      Advance();
      expr = std::move(attribute);
    } else {
      return expr;
    }
  }
}

// A call's argument, which may pick one of two values: nn.Conv2d(inp if stride > 1 else half, ...).
Result<Expr> ExprParser::ParseArgument() {
  Result<Expr> chosen = ParseExpression();
  if (!chosen || AtEnd() || !IsWord(Peek(), "if")) return chosen;
  Expr conditional;
  conditional.kind = Expr::Kind::kConditional;
  conditional.line = chosen.value().line;
  conditional.begin = chosen.value().begin;
  Advance();
  Result<Expr> condition = ParseExpression();
  if (!condition) return condition;
  if (AtEnd() || !IsWord(Peek(), "else")) return Error{"", "expected `else` after `... if ...`", conditional.line};
  Advance();
  Result<Expr> otherwise = ParseArgument();
  if (!otherwise) return otherwise;
  conditional.end = otherwise.value().end;
  conditional.parts = {std::move(chosen.value()), std::move(condition.value()), std::move(otherwise.value())};
  return conditional;
}

// [f(d) for d in depths if d > 8] from its `for`; `list` is the bracket's expression so far.
Result<Expr> ExprParser::ParseComprehension(Expr list, Expr element) {
  list.kind = Expr::Kind::kComprehension;
  Advance();  // for
  while (!AtEnd() && Peek().kind == TokenKind::kName && !IsWord(Peek(), "in")) {
    list.keywords.push_back(Peek().text);
    Advance();
    if (!IsPunct(",")) break;
    Advance();
  }
  if (list.keywords.empty() || AtEnd() || !IsWord(Peek(), "in")) {
    return Error{"", "expected `for name in ...` in a list comprehension", list.line};
  }
  Advance();
  Result<Expr> over = ParseExpression();
  if (!over) return over;
  list.parts.push_back(std::move(element));
  list.parts.push_back(std::move(over.value()));
  if (!AtEnd() && IsWord(Peek(), "if")) {
    Advance();
    Result<Expr> condition = ParseExpression();
    if (!condition) return condition;
    list.parts.push_back(std::move(condition.value()));
  }
  if (!IsPunct("]")) return Error{"", "not supported yet: this list comprehension (one `for`, an optional `if`)", list.line};
  list.end = Peek().offset + 1;
  Advance();
  return list;
}

Result<Expr> ExprParser::ParsePrimary() {
  if (AtEnd()) return Error{"", "forward: an expression ends too early", tokens_[end_ - 1].line};
  const Token& token = Peek();
  Expr expr;
  expr.line = token.line;
  expr.begin = token.offset;
  expr.end = token.offset + token.text.size();
  expr.text = token.text;
  const bool f_string = token.kind == TokenKind::kName && token.text == "f" && position_ + 1 < end_ &&
                        tokens_[position_ + 1].kind == TokenKind::kString && tokens_[position_ + 1].offset == token.offset + 1;
  if (f_string) {  // f"stage{i}"
    Advance();
    expr.kind = Expr::Kind::kString;
    expr.text = Peek().text;
    expr.formatted = true;
    expr.end = Peek().offset + Peek().text.size() + 2;
    Advance();
    return expr;
  }
  if (token.kind == TokenKind::kName || token.kind == TokenKind::kNumber || token.kind == TokenKind::kString) {
    expr.kind = token.kind == TokenKind::kName     ? Expr::Kind::kName
                : token.kind == TokenKind::kNumber ? Expr::Kind::kNumber
                                                   : Expr::Kind::kString;
    Advance();
    return expr;
  }
  if (IsPunct("(") || IsPunct("[")) {
    const char* close = IsPunct("(") ? ")" : "]";
    const bool parenthesis = IsPunct("(");
    Advance();
    expr.kind = Expr::Kind::kTuple;
    bool trailing_comma = false;
    while (!IsPunct(close)) {
      if (AtEnd()) return Error{"", "a bracket opened here is never closed", expr.line};
      Result<Expr> item = ParseExpression();
      if (!item) return item;
      if (!parenthesis && expr.parts.empty() && !AtEnd() && IsWord(Peek(), "for")) {
        return ParseComprehension(std::move(expr), std::move(item.value()));
      }
      expr.parts.push_back(std::move(item.value()));
      trailing_comma = IsPunct(",");
      if (trailing_comma) {
        Advance();
      } else if (!IsPunct(close)) {
        return Error{"", "forward: expected , or " + std::string(close) + ", got \"" + Peek().text + "\"", Peek().line};
      }
    }
    expr.end = Peek().offset + 1;
    Advance();
    if (parenthesis && expr.parts.size() == 1 && !trailing_comma) return std::move(expr.parts[0]);  // (a * b)
    return expr;
  }
  if (IsPunct("{")) {  // {'VGG11': [64, 'M', ...], ...}
    Advance();
    expr.kind = Expr::Kind::kDict;
    while (!IsPunct("}")) {
      if (AtEnd()) return Error{"", "a bracket opened here is never closed", expr.line};
      Result<Expr> key = ParseExpression();
      if (!key) return key;
      if (!IsPunct(":")) return Error{"", "expected : after a key of a dict, got \"" + Peek().text + "\"", Peek().line};
      Advance();
      Result<Expr> value = ParseExpression();
      if (!value) return value;
      expr.parts.push_back(std::move(key.value()));
      expr.parts.push_back(std::move(value.value()));
      if (IsPunct(",")) {
        Advance();
      } else if (!IsPunct("}")) {
        return Error{"", "expected , or } in a dict, got \"" + Peek().text + "\"", Peek().line};
      }
    }
    expr.end = Peek().offset + 1;
    Advance();
    return expr;
  }
  return Error{"", "forward: cannot follow \"" + token.text + "\" here", token.line};
}

}  // namespace convtutor::lessons::reading
