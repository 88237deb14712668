// TensorFlow 1 graph code, followed as Python runs it: assignments name tensors, weight variables
// and shapes; the learner's own functions (def weight_variable(shape), def conv2d(x, W)) are called
// with their arguments; `with tf.name_scope(...)` blocks are read in place; training loops, sessions
// and other code that makes no layers are passed over. The ops themselves are in tensorflow1_ops.cpp.
// The input is the placeholder the first layer reads (or an Input(H, W, C) line before the code).
#include "model/tensorflow1_reader.h"

#include <algorithm>
#include <cstdlib>

#include "lesson_text.h"
#include "model/layer_names.h"
#include "model/readers.h"

namespace convtutor::lessons::reading {
namespace {

using std::to_string;

constexpr int kMaxDepth = 100;  // nested expressions and calls of the learner's functions
constexpr int kMaxBlocks = 32;  // with/def blocks inside each other

// "tf.compat.v1.layers.conv2d" and "tensorflow.nn.relu" are written "tf.layers.conv2d", "tf.nn.relu".
std::string Normalized(const std::string& dotted) {
  for (const char* prefix : {"tf.compat.v1.", "tensorflow.compat.v1.", "tensorflow."}) {
    const std::string written(prefix);
    if (dotted.compare(0, written.size(), written) == 0) return "tf." + dotted.substr(written.size());
  }
  return dotted;
}

bool StartsWith(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Names that only TensorFlow 1 graph code writes (tf.nn.relu alone is also a Keras activation).
bool IsTensorFlow1Marker(const std::string& name) {
  const std::string op = Normalized(name);
  if (StartsWith(op, "tf.layers.")) return true;
  constexpr const char* kMarkers[] = {"tf.placeholder", "tf.Variable", "tf.get_variable", "tf.matmul",
                                      "tf.nn.conv2d", "tf.nn.max_pool", "tf.nn.avg_pool", "tf.nn.max_pool2d",
                                      "tf.nn.avg_pool2d", "tf.nn.bias_add", "tf.nn.depthwise_conv2d",
                                      "tf.nn.conv2d_transpose"};
  return std::any_of(std::begin(kMarkers), std::end(kMarkers), [&](const char* marker) { return op == marker; });
}

}  // namespace

bool WritesTensorFlow1(const std::vector<Token>& tokens) {
  return std::any_of(tokens.begin(), tokens.end(), [](const Token& token) {
    return token.kind == TokenKind::kName && IsTensorFlow1Marker(token.text);
  });
}

Result<ModelSummary> ReadTensorFlow1(std::string_view text, const std::vector<Token>& tokens, int first_line) {
  for (const Token& token : tokens) {
    if (token.kind != TokenKind::kName) continue;
    const Dialect dialect = DialectOf(LastPart(token.text));
    if (dialect == Dialect::kEither) continue;
    return Error{"", "mixes TensorFlow 1 ops and " + std::string(dialect == Dialect::kKeras ? "Keras" : "PyTorch") +
                         " layers (" + LastPart(token.text) + "); write the model in one of them", token.line};
  }
  TensorFlow1Reader reader(text, tokens);
  return reader.Read(first_line);
}

TensorFlow1Reader::TensorFlow1Reader(std::string_view text, const std::vector<Token>& tokens)
    : text_(text), tokens_(tokens), statements_(SplitStatements(text, tokens)), builder_(false) {
  scopes_.emplace_back();
  input_.kind = TfValue::Kind::kNone;
}

Result<ModelSummary> TensorFlow1Reader::Read(int first_line) {
  Result<Flow> read = ReadRange(0, statements_.size());
  if (!read) return read.error();
  // def main(_): ... run by tf.app.run(main=main): the model is in main.
  for (std::size_t i = 0; i < functions_.size() && builder_.LastRow() < 1; ++i) {
    if (functions_[i].name != "main" || functions_[i].called) continue;
    Expr call;
    call.kind = Expr::Kind::kCall;
    call.line = statements_[functions_[i].body_begin > 0 ? functions_[i].body_begin - 1 : 0].line;
    call.parts.emplace_back();
    Result<TfValue> ran = CallFunction(static_cast<int>(i), call);
    if (!ran) return ran.error();
  }
  // The last convolution or matmul (y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2) waits for a reader.
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    if (tensors_[i].row >= 0 || tensors_[i].absorbed) continue;
    Result<int> flushed = Flush(static_cast<int>(i));
    if (!flushed) return flushed.error();
  }
  if (builder_.LastRow() < 1) {
    return Error{"", "no layers found: the tutor follows tensors from x = tf.placeholder(...) through tf.layers.conv2d, "
                     "tf.nn.conv2d, tf.nn.max_pool, tf.reshape, tf.matmul, ... (e.g. conv1 = "
                     "tf.layers.conv2d(x, 32, 5))", first_line};
  }
  return builder_.Finish(first_line);
}

// ---- Statements ----

bool TensorFlow1Reader::IsPunctAt(std::size_t at, const char* text) const {
  return at < tokens_.size() && tokens_[at].kind == TokenKind::kPunct && tokens_[at].text == text;
}

std::size_t TensorFlow1Reader::FindTopLevel(std::size_t begin, std::size_t end, const char* punct) const {
  int depth = 0;
  for (std::size_t i = begin; i < end; ++i) {
    if (IsPunctAt(i, "(") || IsPunctAt(i, "[") || IsPunctAt(i, "{")) ++depth;
    if (IsPunctAt(i, ")") || IsPunctAt(i, "]") || IsPunctAt(i, "}")) --depth;
    if (depth == 0 && IsPunctAt(i, punct)) return i;
  }
  return end;
}

std::vector<std::pair<std::size_t, std::size_t>> TensorFlow1Reader::SplitAtCommas(std::size_t begin,
                                                                                  std::size_t end) const {
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  while (begin < end) {
    const std::size_t comma = FindTopLevel(begin, end, ",");
    parts.emplace_back(begin, comma);
    begin = comma + 1;
  }
  return parts;
}

// Whether tokens make or apply layers: a TensorFlow op or one of the learner's functions.
bool TensorFlow1Reader::MentionsModel(std::size_t begin, std::size_t end) const {
  for (std::size_t i = begin; i < end && i < tokens_.size(); ++i) {
    if (tokens_[i].kind != TokenKind::kName) continue;
    const std::string op = Normalized(tokens_[i].text);
    if (IsTensorFlow1LayerOp(op)) return true;
    const TfValue* known = Lookup(op);
    if (known != nullptr && known->kind == TfValue::Kind::kFunction && IsPunctAt(i + 1, "(")) return true;
  }
  return false;
}

Result<TensorFlow1Reader::Flow> TensorFlow1Reader::ReadRange(std::size_t begin, std::size_t end) {
  if (++block_depth_ > kMaxBlocks) {
    return Error{"", "blocks nested too deeply to follow", begin < statements_.size() ? statements_[begin].line : 0};
  }
  std::size_t i = begin;
  while (i < end) {
    std::size_t body_end = i + 1;
    while (body_end < end && statements_[body_end].indent > statements_[i].indent) ++body_end;
    Result<Flow> flow = ReadStatement(statements_[i], i + 1, body_end);
    if (!flow) {
      --block_depth_;
      return flow;
    }
    if (flow.value().returned) {
      --block_depth_;
      return flow;
    }
    i = body_end;
  }
  --block_depth_;
  return Flow{};
}

Result<TensorFlow1Reader::Flow> TensorFlow1Reader::ReadStatement(const Statement& statement, std::size_t body_begin,
                                                                std::size_t body_end) {
  const Token& first = tokens_[statement.begin];
  const std::size_t colon = FindTopLevel(statement.begin, statement.end, ":");
  const bool inline_body = colon + 1 < statement.end;
  if (IsWord(first, "def")) {
    Result<bool> defined = Define(statement, colon, body_begin, body_end);
    if (!defined) return defined.error();
    return Flow{};
  }
  if (IsWord(first, "with")) {
    // with tf.name_scope('conv1'): holds layers; with tf.Session() as sess: runs them.
    constexpr const char* kScopes[] = {"name_scope", "variable_scope", "device", "as_default", "control_dependencies"};
    bool in_place = false;
    for (std::size_t i = statement.begin + 1; i < colon; ++i) {
      const std::string name = LastPart(tokens_[i].text);
      in_place = in_place || std::any_of(std::begin(kScopes), std::end(kScopes), [&](const char* s) { return name == s; });
    }
    if (in_place) {
      if (inline_body) {
        Statement body = statement;
        body.begin = colon + 1;
        return ReadStatement(body, body_end, body_end);
      }
      return ReadRange(body_begin, body_end);
    }
  }
  if (IsWord(first, "if") && statement.begin + 1 < statement.end && IsWord(tokens_[statement.begin + 1], "__name__")) {
    return ReadRange(body_begin, body_end);  // if __name__ == '__main__': the script runs it
  }
  constexpr const char* kBlocks[] = {"with", "for", "while", "if", "elif", "else", "try", "except", "finally", "class",
                                     "async"};
  for (const char* block : kBlocks) {
    if (!IsWord(first, block)) continue;
    const std::size_t last = body_end > body_begin ? statements_[body_end - 1].end : statement.end;
    if (MentionsModel(statement.begin, last)) {
      return Error{"", "not supported yet: layers made inside `" + std::string(block) + "`; write each layer on its "
                       "own line, outside loops, conditions and classes", statement.line};
    }
    return Flow{};  // a training loop, a session, ...: no layers
  }
  constexpr const char* kHarmless[] = {"print", "assert", "pass", "global", "nonlocal", "del", "raise", "break",
                                       "continue", "@"};
  if (std::any_of(std::begin(kHarmless), std::end(kHarmless), [&](const char* word) { return first.text == word; })) {
    return Flow{};
  }
  if (IsWord(first, "return")) {
    Flow flow;
    flow.returned = true;
    flow.value.kind = TfValue::Kind::kNone;
    if (statement.begin + 1 < statement.end) {
      Result<TfValue> value = EvaluateTokens(statement.begin + 1, statement.end, statement.line);
      if (!value) return value.error();
      flow.value = value.value();
    }
    return flow;
  }
  const std::size_t equals = FindTopLevel(statement.begin, statement.end, "=");
  const bool assignment = equals < statement.end && !IsPunctAt(equals + 1, "=") && equals > statement.begin &&
                          !IsPunctAt(equals - 1, "=") && !IsPunctAt(equals - 1, "<") && !IsPunctAt(equals - 1, ">") &&
                          !IsPunctAt(equals - 1, "!");
  if (assignment) {
    Result<bool> assigned = Assign(statement, equals);
    if (!assigned) return assigned.error();
    return Flow{};
  }
  Result<TfValue> value = EvaluateTokens(statement.begin, statement.end, statement.line);
  if (!value) return value.error();
  return Flow{};
}

// def name(a, b=1): the parameters and where the body is; called later with its arguments.
Result<bool> TensorFlow1Reader::Define(const Statement& statement, std::size_t colon, std::size_t body_begin,
                                       std::size_t body_end) {
  Function function;
  const std::size_t open = statement.begin + 2;
  if (statement.begin + 1 >= statement.end || tokens_[statement.begin + 1].kind != TokenKind::kName ||
      !IsPunctAt(open, "(")) {
    return Error{"", "def: expected a function name and its parameters, as in def conv2d(x, W):", statement.line};
  }
  function.name = tokens_[statement.begin + 1].text;
  const std::size_t close = FindTopLevel(open, colon, ")");
  for (const auto& [begin, end] : SplitAtCommas(open + 1, close)) {
    if (begin == end) continue;
    if (tokens_[begin].kind != TokenKind::kName || IsPunctAt(begin, "*")) {
      return Error{"", "not supported yet: " + function.name + "'s parameter \"" + tokens_[begin].text +
                       "\" (*args, **kwargs); name each parameter", tokens_[begin].line};
    }
    function.parameters.push_back(tokens_[begin].text);
    const std::size_t equals = FindTopLevel(begin, end, "=");
    function.defaults.emplace_back(equals < end ? equals + 1 : end, end);
  }
  function.body_begin = body_begin;
  function.body_end = body_end;
  if (colon + 1 < statement.end) {
    function.has_inline_body = true;
    function.inline_body = statement;
    function.inline_body.begin = colon + 1;
  }
  functions_.push_back(function);
  scopes_.back()[function.name] = TfOfKind(TfValue::Kind::kFunction, static_cast<int>(functions_.size()) - 1);
  return true;
}

Result<bool> TensorFlow1Reader::Assign(const Statement& statement, std::size_t equals) {
  constexpr const char* kAugmented[] = {"+", "-", "*", "/", "%", "@"};
  const bool augmented = std::any_of(std::begin(kAugmented), std::end(kAugmented),
                                     [&](const char* op) { return IsPunctAt(equals - 1, op); });
  if (augmented) {
    const std::string& target = tokens_[statement.begin].text;
    if (equals - 1 != statement.begin + 1 || tokens_[statement.begin].kind != TokenKind::kName) return true;
    const TfValue* old = Lookup(target);
    if (old != nullptr && (old->kind == TfValue::Kind::kTensor || old->kind == TfValue::Kind::kPlaceholder)) {
      return Error{"", "not supported yet: " + target + " " + tokens_[equals - 1].text + "= ... on a tensor; write " +
                       target + " = " + target + " " + tokens_[equals - 1].text + " ...", statement.line};
    }
    scopes_.back()[target] = TfOther(target + " (changed on line " + to_string(statement.line) + ")");
    return true;
  }
  Result<TfValue> value = IsPunctAt(equals + 1, "{") ? EvaluateDict(equals + 1, statement.end, statement.line)
                              : EvaluateTokens(equals + 1, statement.end, statement.line);
  if (!value) return value.error();
  const auto targets = SplitAtCommas(statement.begin, equals);
  const bool plain = std::all_of(targets.begin(), targets.end(), [&](const auto& range) {
    return range.second == range.first + 1 && tokens_[range.first].kind == TokenKind::kName &&
           tokens_[range.first].text.find('.') == std::string::npos;
  });
  if (!plain) return true;  // self.x = ..., weights['w'] = ...: nothing the layers read by name
  if (targets.size() == 1) return Bind(tokens_[targets[0].first].text, value.value());
  // y_conv, keep_prob = deepnn(x)
  if (value.value().kind != TfValue::Kind::kList || value.value().items.size() != targets.size()) {
    for (const auto& target : targets) scopes_.back()[tokens_[target.first].text] = TfOther(tokens_[target.first].text);
    return true;
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    Result<bool> bound = Bind(tokens_[targets[i].first].text, value.value().items[i]);
    if (!bound) return bound;
  }
  return true;
}

Result<bool> TensorFlow1Reader::Bind(const std::string& name, const TfValue& value) {
  // The name a value has in the shallowest scope it reached is the one the learner knows it by
  // (W_conv1 in the code, not `var` inside a helper).
  const std::size_t depth = scopes_.size();
  const auto give = [&](std::string& named, std::size_t& named_at, const std::string& given) {
    if (depth > named_at) return;
    named = given;
    named_at = depth;
  };
  if (value.kind == TfValue::Kind::kTensor) {
    Tensor& tensor = tensors_[static_cast<std::size_t>(value.id)];
    give(tensor.name, tensor.named_at, name);
  } else if (value.kind == TfValue::Kind::kWeight) {
    Weight& weight = weights_[static_cast<std::size_t>(value.id)];
    give(weight.name, weight.named_at, name);
  } else if (value.kind == TfValue::Kind::kDict) {  // weights = {'wc1': tf.Variable(...)}: weights['wc1']
    for (std::size_t i = 0; i < value.keys.size(); ++i) {
      if (value.items[i].kind != TfValue::Kind::kWeight) continue;
      Weight& weight = weights_[static_cast<std::size_t>(value.items[i].id)];
      give(weight.name, weight.named_at, name + "['" + value.keys[i] + "']");
    }
  } else if (value.kind == TfValue::Kind::kPlaceholder) {
    Placeholder& placeholder = placeholders_[static_cast<std::size_t>(value.id)];
    give(placeholder.name, placeholder.named_at, name);
  }
  scopes_.back()[name] = value;
  return true;
}

// An expression, or several separated by commas (a tuple), over tokens [begin, end). Code that
// makes no layers and is beyond the expression reader (a lambda, a comprehension) is passed over.
Result<TfValue> TensorFlow1Reader::EvaluateTokens(std::size_t begin, std::size_t end, int line) {
  const auto parts = SplitAtCommas(begin, end);
  TfValue list;
  list.kind = TfValue::Kind::kList;
  for (const auto& [from, to] : parts) {
    if (from == to) {
      if (parts.size() > 1) continue;  // a trailing comma
      return Error{"", "expected a value here", line};
    }
    ExprParser parser(tokens_, from, to);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr || !parser.AtEnd()) {
      if (!MentionsModel(from, to)) return TfOther("code on line " + to_string(line) + " that the tutor does not read");
      if (!expr) {
        Error error = expr.error();
        if (error.message.rfind("forward: ", 0) == 0) error.message.erase(0, 9);
        return error;
      }
      return Error{"", "cannot follow \"" + parser.Peek().text + "\" here", parser.Peek().line};
    }
    Result<TfValue> value = Evaluate(expr.value());
    if (!value) return value;
    if (parts.size() == 1) return value;
    list.items.push_back(value.value());
  }
  return list;
}

// weights = {'wc1': tf.Variable(...), ...}
Result<TfValue> TensorFlow1Reader::EvaluateDict(std::size_t begin, std::size_t end, int line) {
  const std::size_t close = FindTopLevel(begin, end, "}");
  TfValue dict;
  dict.kind = TfValue::Kind::kDict;
  for (const auto& [from, to] : SplitAtCommas(begin + 1, close)) {
    if (from == to) continue;
    const std::size_t colon = FindTopLevel(from, to, ":");
    if (colon == to || tokens_[from].kind != TokenKind::kString || colon != from + 1) {
      if (MentionsModel(from, to)) return Error{"", "not supported yet: a dict whose keys are not strings", line};
      return TfOther("a dict");
    }
    Result<TfValue> value = EvaluateTokens(colon + 1, to, tokens_[from].line);
    if (!value) return value;
    dict.keys.push_back(tokens_[from].text);
    dict.items.push_back(value.value());
  }
  return dict;
}

// ---- Expressions ----

const TfValue* TensorFlow1Reader::Lookup(const std::string& name) const {
  // A function sees its own names, then the globals (not its caller's).
  for (const std::map<std::string, TfValue>* scope : {&scopes_.back(), &scopes_.front()}) {
    const auto found = scope->find(name);
    if (found != scope->end()) return &found->second;
  }
  return nullptr;
}

std::string TensorFlow1Reader::SourceOf(const Expr& expr) const {
  return std::string(text_.substr(expr.begin, expr.end - expr.begin));
}

std::string TensorFlow1Reader::Describe(const TfValue& value) const {
  switch (value.kind) {
    case TfValue::Kind::kTensor: {
      const Tensor& tensor = tensors_[static_cast<std::size_t>(value.id)];
      return tensor.name.empty() ? "a tensor" : tensor.name;
    }
    case TfValue::Kind::kPlaceholder: {
      const Placeholder& placeholder = placeholders_[static_cast<std::size_t>(value.id)];
      return placeholder.name.empty() ? "a placeholder" : placeholder.name;
    }
    case TfValue::Kind::kWeight: {
      const Weight& weight = weights_[static_cast<std::size_t>(value.id)];
      return "the variable " + (weight.name.empty() ? weight.made : weight.name);
    }
    case TfValue::Kind::kInteger:
      return to_string(value.integer);
    case TfValue::Kind::kString:
      return "'" + value.text + "'";
    case TfValue::Kind::kNone:
      return "None";
    case TfValue::Kind::kList: {
      std::string text = "[";
      for (std::size_t i = 0; i < value.items.size(); ++i) text += (i ? ", " : "") + Describe(value.items[i]);
      return text + "]";
    }
    default:
      return value.text.empty() ? "a value" : value.text;
  }
}

Result<TfValue> TensorFlow1Reader::Evaluate(const Expr& expr) {
  if (evaluate_depth_ >= kMaxDepth) return Error{"", "nested too deeply to follow", expr.line};
  ++evaluate_depth_;
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{evaluate_depth_};
  switch (expr.kind) {
    case Expr::Kind::kName:
      return EvaluateName(expr.text, expr);
    case Expr::Kind::kNumber: {
      if (expr.text.find_first_of(".eExX") == std::string::npos && expr.text.size() < 12) {
        return TfInteger(std::strtoll(expr.text.c_str(), nullptr, 10));
      }
      TfValue number;
      number.kind = TfValue::Kind::kFloat;
      number.number = std::strtod(expr.text.c_str(), nullptr);
      number.text = expr.text;
      return number;
    }
    case Expr::Kind::kString: {
      TfValue text;
      text.kind = TfValue::Kind::kString;
      text.text = expr.text;
      return text;
    }
    case Expr::Kind::kTuple: {
      TfValue list;
      list.kind = TfValue::Kind::kList;
      for (const Expr& item : expr.parts) {
        Result<TfValue> value = Evaluate(item);
        if (!value) return value;
        list.items.push_back(value.value());
      }
      return list;
    }
    case Expr::Kind::kNegate: {
      Result<TfValue> operand = Evaluate(expr.parts[0]);
      if (!operand) return operand;
      if (operand.value().kind == TfValue::Kind::kInteger) return TfInteger(-operand.value().integer);
      return TfOther(SourceOf(expr));
    }
    case Expr::Kind::kBinary:
      return EvaluateBinary(expr);
    case Expr::Kind::kIndex:
      return EvaluateIndex(expr);
    case Expr::Kind::kCall:
      return EvaluateCall(expr);
    case Expr::Kind::kAttribute: {
      Result<TfValue> object = Evaluate(expr.parts[0]);
      if (!object) return object;
      return Attribute(object.value(), expr.text, expr);
    }
    default:
      return TfOther(SourceOf(expr));
  }
}

// x, W_conv1, True, tf.float32, weights.shape: a name given earlier, or what it is as text.
Result<TfValue> TensorFlow1Reader::EvaluateName(const std::string& name, const Expr& expr) {
  if (name == "True" || name == "False") {
    TfValue flag;
    flag.kind = TfValue::Kind::kBool;
    flag.integer = name == "True" ? 1 : 0;
    flag.text = name;
    return flag;
  }
  if (name == "None") {
    TfValue none;
    none.kind = TfValue::Kind::kNone;
    return none;
  }
  const TfValue* known = Lookup(name);
  if (known != nullptr) return *known;
  const std::size_t dot = name.find_last_of('.');
  if (dot != std::string::npos && Lookup(name.substr(0, name.find('.'))) != nullptr) {
    Result<TfValue> object = EvaluateName(name.substr(0, dot), expr);  // W.shape: the attribute of a known name
    if (!object) return object;
    return Attribute(object.value(), name.substr(dot + 1), expr);
  }
  TfValue other = TfOther(name);
  other.undefined_name = dot == std::string::npos;
  return other;
}

Result<TfValue> TensorFlow1Reader::Attribute(const TfValue& object, const std::string& attribute, const Expr& expr) {
  if (attribute == "shape" && (object.kind == TfValue::Kind::kWeight || object.kind == TfValue::Kind::kTensor)) {
    // W.shape, h.shape, h.get_shape(): a tensor's with the batch (None) first, once its row is made.
    TfValue shape;
    shape.kind = TfValue::Kind::kList;
    std::vector<int> sizes;
    if (object.kind == TfValue::Kind::kWeight) {
      sizes = weights_[static_cast<std::size_t>(object.id)].shape;
    } else {
      const int row = tensors_[static_cast<std::size_t>(object.id)].row;
      if (row < 0) return TfOther(SourceOf(expr));
      sizes = builder_.Row(row).output_shape;
      shape.items.emplace_back();
      shape.items.back().kind = TfValue::Kind::kNone;
    }
    for (int size : sizes) shape.items.push_back(TfInteger(size));
    return shape;
  }
  if (attribute == "value" && object.kind == TfValue::Kind::kInteger) return object;  // a TF1 Dimension's value
  return TfOther(SourceOf(expr));
}

Result<TfValue> TensorFlow1Reader::EvaluateBinary(const Expr& expr) {
  Result<TfValue> left = Evaluate(expr.parts[0]);
  if (!left) return left;
  Result<TfValue> right = Evaluate(expr.parts[1]);
  if (!right) return right;
  const TfValue& a = left.value();
  const TfValue& b = right.value();
  const auto tensor = [](const TfValue& value) {
    return value.kind == TfValue::Kind::kTensor || value.kind == TfValue::Kind::kPlaceholder;
  };
  if (tensor(a) || tensor(b)) {
    if (tensor(a) && tensor(b)) {
      const char* kind = expr.text == "+" ? "Add" : expr.text == "-" ? "Subtract" : expr.text == "*" ? "Multiply" : "";
      if (*kind == '\0') {
        return Error{"", "not supported yet: " + SourceOf(expr) + " on two tensors; the tutor follows +, - and *",
                     expr.line};
      }
      return Merge(kind, {a, b}, -1, expr);
    }
    if (expr.text == "+") {
      return tensor(a) ? AddBias(a, b, SourceOf(expr.parts[1]), expr) : AddBias(b, a, SourceOf(expr.parts[0]), expr);
    }
    return Error{"", "not supported yet: arithmetic on tensors (" + SourceOf(expr) + "); the tutor follows layers and "
                     "+ bias", expr.line};
  }
  if (a.kind == TfValue::Kind::kInteger && b.kind == TfValue::Kind::kInteger) {
    const double estimate = static_cast<double>(a.integer) * static_cast<double>(b.integer);
    if (estimate > 1e15 || estimate < -1e15) return Error{"", "the product " + SourceOf(expr) + " is too large", expr.line};
    if (expr.text == "*") return TfInteger(a.integer * b.integer);
    if (expr.text == "+") return TfInteger(a.integer + b.integer);
    if (expr.text == "-") return TfInteger(a.integer - b.integer);
    if (expr.text == "//" && b.integer > 0 && a.integer >= 0) return TfInteger(a.integer / b.integer);
  }
  if (a.kind == TfValue::Kind::kList && b.kind == TfValue::Kind::kList && expr.text == "+") {
    TfValue joined = a;
    joined.items.insert(joined.items.end(), b.items.begin(), b.items.end());
    return joined;
  }
  return TfOther(SourceOf(expr));
}

// shape[0], weights['wc1'], W.get_shape().as_list()[0].
Result<TfValue> TensorFlow1Reader::EvaluateIndex(const Expr& expr) {
  if (expr.text == ":") return Error{"", "not supported yet: slicing (" + SourceOf(expr) + ")", expr.line};
  Result<TfValue> object = Evaluate(expr.parts[0]);
  if (!object) return object;
  Result<TfValue> index = Evaluate(expr.parts[1]);
  if (!index) return index;
  const TfValue& of = object.value();
  if (of.kind == TfValue::Kind::kTensor || of.kind == TfValue::Kind::kPlaceholder) {
    return Error{"", "not supported yet: indexing a tensor (" + SourceOf(expr) + ")", expr.line};
  }
  if (of.kind == TfValue::Kind::kList && index.value().kind == TfValue::Kind::kInteger) {
    const std::int64_t count = static_cast<std::int64_t>(of.items.size());
    const std::int64_t at = index.value().integer < 0 ? index.value().integer + count : index.value().integer;
    if (at >= 0 && at < count) return of.items[static_cast<std::size_t>(at)];
  }
  if (of.kind == TfValue::Kind::kDict && index.value().kind == TfValue::Kind::kString) {
    for (std::size_t i = 0; i < of.keys.size(); ++i) {
      if (of.keys[i] == index.value().text) return of.items[i];
    }
    return Error{"", SourceOf(expr) + ": the dict has no key '" + index.value().text + "'", expr.line};
  }
  return TfOther(SourceOf(expr));
}

Result<TfValue> TensorFlow1Reader::EvaluateCall(const Expr& expr) {
  const Expr& callee = expr.parts[0];
  std::string name;
  TfValue object;
  bool method = false;
  if (callee.kind == Expr::Kind::kAttribute) {  // tf.train.AdamOptimizer(1e-4).minimize(...), W.get_shape().as_list()
    Result<TfValue> of = Evaluate(callee.parts[0]);
    if (!of) return of;
    object = of.value();
    name = callee.text;
    method = true;
  } else if (callee.kind == Expr::Kind::kName) {
    const std::size_t dot = callee.text.find_last_of('.');
    if (dot != std::string::npos && Lookup(callee.text.substr(0, callee.text.find('.'))) != nullptr) {
      Result<TfValue> of = EvaluateName(callee.text.substr(0, dot), callee);
      if (!of) return of;
      object = of.value();
      name = callee.text.substr(dot + 1);
      method = true;
    } else {
      name = callee.text;
    }
  } else {
    return TfOther(SourceOf(expr));
  }
  if (method) {
    if (name == "get_shape") return Attribute(object, "shape", expr);
    if (object.kind == TfValue::Kind::kList && name == "as_list") return object;
    return TfOther(SourceOf(expr) + " (line " + to_string(expr.line) + ")");
  }
  const TfValue* known = Lookup(name);
  if (known != nullptr && known->kind == TfValue::Kind::kFunction) return CallFunction(known->id, expr);
  return ApplyOp(Normalized(name), expr);
}

// The learner's own function: its parameters bound to the arguments, its body read, its return value.
Result<TfValue> TensorFlow1Reader::CallFunction(int function, const Expr& expr) {
  Function& called = functions_[static_cast<std::size_t>(function)];
  called.called = true;
  constexpr int kMaxCalls = 10000;  // loops are not run, but functions calling functions twice each could be
  if (++calls_made_ > kMaxCalls) {
    return Error{"", called.name + ": the code calls its functions too many times to follow", expr.line};
  }
  if (scopes_.size() > 16) {
    return Error{"", called.name + ": functions call each other too deeply to follow", expr.line};
  }
  std::map<std::string, TfValue> locals;
  std::size_t positional = 0;
  for (std::size_t i = 1; i < expr.parts.size(); ++i) {
    const std::string& keyword = expr.keywords[i - 1];
    std::string parameter;
    if (keyword.empty()) {
      if (positional >= called.parameters.size()) {
        return Error{"", called.name + "(...): too many arguments (it takes " + to_string(called.parameters.size()) + ")",
                     expr.line};
      }
      parameter = called.parameters[positional++];
    } else {
      if (std::find(called.parameters.begin(), called.parameters.end(), keyword) == called.parameters.end()) {
        return Error{"", called.name + "(...): it has no parameter \"" + keyword + "\"", expr.line};
      }
      parameter = keyword;
    }
    Result<TfValue> value = Evaluate(expr.parts[i]);
    if (!value) return value;
    locals[parameter] = value.value();
  }
  for (std::size_t i = 0; i < called.parameters.size(); ++i) {
    if (locals.count(called.parameters[i]) > 0) continue;
    const auto [begin, end] = called.defaults[i];
    if (begin == end) {
      if (expr.parts.size() == 1 && called.name == "main") {  // main(_) run by tf.app.run
        locals[called.parameters[i]] = TfOther(called.parameters[i]);
        continue;
      }
      return Error{"", called.name + "(...): needs " + called.parameters[i], expr.line};
    }
    Result<TfValue> value = EvaluateTokens(begin, end, tokens_[begin].line);
    if (!value) return value;
    locals[called.parameters[i]] = value.value();
  }
  scopes_.push_back(std::move(locals));
  const Function body = called;  // functions_ may grow while the body runs
  // A helper is a few lines (conv2d, max_pool_2x2); a function holding the whole model is not.
  constexpr std::size_t kHelperStatements = 4;
  const bool helper = body.has_inline_body || body.body_end - body.body_begin <= kHelperStatements;
  if (helper) helper_calls_.emplace_back(expr.line, SourceOf(expr));
  Result<Flow> flow = body.has_inline_body ? ReadStatement(body.inline_body, body.body_end, body.body_end)
                                           : ReadRange(body.body_begin, body.body_end);
  scopes_.pop_back();
  if (helper) helper_calls_.pop_back();
  if (!flow) {
    Error error = flow.error();
    const bool located = error.message.find(" is called on line ") != std::string::npos;  // by a deeper call
    if (error.line != expr.line && !located) {
      error.message += " (" + body.name + " is called on line " + to_string(expr.line) + ")";
    }
    return error;
  }
  if (!flow.value().returned) {
    TfValue none;
    none.kind = TfValue::Kind::kNone;
    return none;
  }
  return flow.value().value;
}

// ---- Tensors and their rows ----

TfValue TensorFlow1Reader::NewTensor(Tensor tensor) {
  tensors_.push_back(std::move(tensor));
  return TfOfKind(TfValue::Kind::kTensor, static_cast<int>(tensors_.size()) - 1);
}

TfValue TensorFlow1Reader::Wait(const std::string& kind, Call call, int input_row, int weight, int channels) {
  Tensor tensor;
  tensor.channels = channels;
  tensor.kind = kind;
  tensor.call = std::move(call);
  tensor.input_row = input_row;
  tensor.weight = weight;
  return NewTensor(std::move(tensor));
}

Result<TfValue> TensorFlow1Reader::Merge(const std::string& kind, const std::vector<TfValue>& tensors, int axis,
                                         const Expr& expr) {
  std::vector<int> rows;
  for (const TfValue& tensor : tensors) {
    Result<int> row = RequireTensor(tensor, SourceOf(expr), expr.line);
    if (!row) return row.error();
    rows.push_back(row.value());
  }
  Call call = RowCall(kind, expr);
  Result<int> added = builder_.AddMerge(call, kind, rows, axis);
  if (!added) return added.error();
  Tensor tensor;
  tensor.row = added.value();
  return NewTensor(std::move(tensor));
}

Call TensorFlow1Reader::RowCall(const std::string& op, const Expr& expr) const {
  Call call;
  call.name = op;
  call.line = helper_calls_.empty() ? expr.line : helper_calls_.front().first;
  call.source = helper_calls_.empty() ? SourceOf(expr) : helper_calls_.front().second;
  return call;
}

Result<TfValue> TensorFlow1Reader::AddRow(const Call& call, const std::string& kind, int input) {
  Result<int> added = builder_.AddLayer(call, kind, input);
  if (!added) return added.error();
  Tensor tensor;
  tensor.row = added.value();
  return NewTensor(std::move(tensor));
}

Result<int> TensorFlow1Reader::RequireTensor(const TfValue& value, const std::string& what, int line) {
  if (value.kind == TfValue::Kind::kPlaceholder || (value.kind == TfValue::Kind::kOther && value.undefined_name)) {
    return MakeInput(value, what, line);
  }
  if (value.kind != TfValue::Kind::kTensor) {
    return Error{"", what + ": expected a tensor here, got " + Describe(value) +
                         (value.kind == TfValue::Kind::kOther ? ", which the tutor does not follow (it follows "
                                                                "tf.layers.*, tf.nn.conv2d, tf.nn.max_pool, tf.nn.relu, "
                                                                "tf.reshape, tf.matmul, + bias)"
                                                              : ""),
                 line};
  }
  return Flush(value.id);  // an older row too: a branch, or the shortcut of a skip connection
}

Result<int> TensorFlow1Reader::MakeInput(const TfValue& value, const std::string& what, int line) {
  const bool same = input_.kind == value.kind && (value.kind == TfValue::Kind::kPlaceholder ? input_.id == value.id
                                                                                            : input_.text == value.text);
  if (input_.kind != TfValue::Kind::kNone) {
    if (!same) {
      return Error{"", "not supported yet: " + what + " reads a second input, " + Describe(value) +
                       "; the tutor follows one input", line};
    }
    return 0;
  }
  const std::string name = value.kind == TfValue::Kind::kPlaceholder
                               ? placeholders_[static_cast<std::size_t>(value.id)].name
                               : value.text;
  Call call;
  if (value.kind == TfValue::Kind::kPlaceholder && !placeholders_[static_cast<std::size_t>(value.id)].shape.empty()) {
    const Placeholder& placeholder = placeholders_[static_cast<std::size_t>(value.id)];
    call.name = "tf.placeholder";
    call.line = placeholder.line;
    call.source = (placeholder.name.empty() ? "" : placeholder.name + " = ") + placeholder.source;
    for (int size : placeholder.shape) {
      Argument argument;
      argument.value = ToValue(TfInteger(size), "");
      argument.line = placeholder.line;
      call.arguments.push_back(argument);
    }
  } else if (has_input_line_) {
    call = input_line_;
  } else {
    const std::string said = value.kind == TfValue::Kind::kPlaceholder
                                 ? " (its placeholder's shape " + placeholders_[static_cast<std::size_t>(value.id)].written +
                                       " leaves sizes open)"
                                 : "";
    return Error{"", what + ": the tutor needs the shape of " + name + said + ": write " + name +
                         " = tf.placeholder(tf.float32, [None, 28, 28, 1]) with its sizes, or put Input(height, width, "
                         "channels) before the code", line};
  }
  Result<int> added = builder_.AddInput(call);
  if (!added) return added;
  input_ = value;
  return added;
}

// A waiting convolution or matmul becomes its row: with its bias, if one was added; a kernel used a
// second time shares the first row's values, as TensorFlow holds one variable.
Result<int> TensorFlow1Reader::Flush(int id) {
  Tensor& waiting = tensors_[static_cast<std::size_t>(id)];
  if (waiting.row >= 0) return waiting.row;
  Call call = waiting.call;
  Argument use_bias;
  use_bias.keyword = "use_bias";
  use_bias.value = ToValue(TfOfKind(TfValue::Kind::kBool, 0), "");
  use_bias.value.number = waiting.bias >= 0 ? 1.0 : 0.0;
  use_bias.value.text = waiting.bias >= 0 ? "True" : "False";
  use_bias.line = call.line;
  call.arguments.push_back(use_bias);
  Result<int> added = builder_.AddLayer(call, waiting.kind, waiting.input_row);
  if (!added) return added;
  const int row = added.value();
  Tensor& tensor = tensors_[static_cast<std::size_t>(id)];
  tensor.row = row;
  Weight& kernel = weights_[static_cast<std::size_t>(tensor.weight)];
  if (kernel.first_row >= 0) {
    if (kernel.bias_with != tensor.bias) {
      return Error{"", "not supported yet: " + kernel.name + " is used again with another bias; the tutor counts a "
                       "variable in one row", call.line};
    }
    builder_.ShareParameters(row, kernel.first_row, kernel.name);
    return row;
  }
  kernel.first_row = row;
  kernel.bias_with = tensor.bias;
  std::string sizes;
  for (std::size_t i = 0; i < kernel.shape.size(); ++i) sizes += (i ? kDot : "") + Grouped(kernel.shape[i]);
  std::string names = kernel.name.empty() ? "a variable" : kernel.name;
  if (tensor.bias >= 0) {
    Weight& bias = weights_[static_cast<std::size_t>(tensor.bias)];
    if (bias.first_row >= 0) {
      return Error{"", "not supported yet: the bias " + bias.name + " is added a second time; the tutor counts a "
                       "variable in one row", call.line};
    }
    bias.first_row = row;
    sizes += " + " + Grouped(bias.shape[0]);
    names += ", " + (bias.name.empty() ? "a variable" : bias.name);
  }
  ModelLayer& layer = builder_.Row(row);
  layer.parameters_formula = sizes + " = " + Grouped(layer.parameters) + " (" + names + ")";
  return row;
}

}  // namespace convtutor::lessons::reading
