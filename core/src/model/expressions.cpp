// Python expressions read from a statement's tokens (see expressions.h).
#include "model/expressions.h"

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

// a == b, a != b, a < b, a <= b, a > b, a >= b, a is None, a is not None, a in b, a not in b.
Result<Expr> ExprParser::ParseComparison() {
  Result<Expr> left = ParseSum();
  if (!left || AtEnd()) return left;
  std::string op;
  if (IsWord(Peek(), "in")) {
    op = "in";
    Advance();
  } else if (IsWord(Peek(), "not") && position_ + 1 < end_ && IsWord(tokens_[position_ + 1], "in")) {
    op = "not in";
    Advance();
    Advance();
  } else if (IsWord(Peek(), "is")) {
    Advance();
    op = "is";
    if (!AtEnd() && IsWord(Peek(), "not")) {
      Advance();
      op = "is not";
    }
  } else if ((IsPunct("=") || IsPunct("!")) && IsPunct("=", 1)) {
    op = Peek().text + "=";
    Advance();
    Advance();
  } else if (IsPunct("<") || IsPunct(">")) {
    op = Peek().text;
    Advance();
    if (IsPunct("=")) {
      op += "=";
      Advance();
    }
  } else {
    return left;
  }
  Result<Expr> right = ParseSum();
  if (!right) return right;
  return Binary(std::move(left.value()), op, std::move(right.value()));
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
        Result<Expr> argument = ParseExpression();
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
      Result<Expr> at = ParseExpression();
      if (!at || !IsPunct("]")) {
        return Error{"", "not supported yet: slicing or indexing tensors in forward", index.line};
      }
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

Result<Expr> ExprParser::ParsePrimary() {
  if (AtEnd()) return Error{"", "forward: an expression ends too early", tokens_[end_ - 1].line};
  const Token& token = Peek();
  Expr expr;
  expr.line = token.line;
  expr.begin = token.offset;
  expr.end = token.offset + token.text.size();
  expr.text = token.text;
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
