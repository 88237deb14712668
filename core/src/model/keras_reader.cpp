// Keras's functional API: tensors named by assignment (inputs = keras.Input(shape=(32, 32, 3)),
// x = layers.Conv2D(16, 3)(inputs)), layers applied to them, merges applied to a list of them
// (layers.Add()([x, inputs]), layers.concatenate([a, b], axis=-1)), a layer made once and applied
// twice (its weights shared), and keras.Model(inputs, outputs) naming the ends. Each application is
// a row reading the rows that made its tensors.
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "model/calls.h"
#include "model/expressions.h"
#include "model/layer_names.h"
#include "model/model_builder.h"
#include "model/readers.h"

namespace convtutor::lessons::reading {
namespace {

// layers.add([a, b]), keras.layers.concatenate([a, b], axis=-1), add([a, b]): the merge's kind, or ""
// (model.add(...) is Sequential's, not a merge).
std::string FunctionalMerge(const std::string& dotted) {
  const std::string name = LastPart(dotted);
  const std::string prefix = dotted.substr(0, dotted.size() - name.size());
  if (!prefix.empty() && prefix.size() < 7) return "";
  if (!prefix.empty() && prefix.compare(prefix.size() - 7, 7, "layers.") != 0) return "";
  if (name.empty() || !std::islower(static_cast<unsigned char>(name[0]))) return "";
  std::string kind = name;
  kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
  return IsMergeKind(kind) ? kind : "";
}

// A layer made but not yet applied: conv = layers.Conv2D(32, 3).
struct LayerObject {
  Call call;
  std::string kind;
  int first_row = -1;  // where its weights count
};

class FunctionalReader {
 public:
  FunctionalReader(std::string_view text, const std::vector<Token>& tokens)
      : text_(text), tokens_(tokens), parser_(text, tokens), builder_(false) {}

  Result<ModelSummary> Read(int first_line) {
    for (const Statement& statement : SplitStatements(text_, tokens_)) {
      Result<bool> read = ReadStatement(statement);
      if (!read) return read.error();
    }
    return builder_.Finish(first_line);
  }

 private:
  // What an expression gave: a tensor (the row that made it), a layer object, or nothing followed.
  struct Operand {
    int row = -1;
    std::string layer;  // a LayerObject's name
  };

  Result<bool> ReadStatement(const Statement& statement) {
    const Token& first = tokens_[statement.begin];
    if (IsWord(first, "def") || IsWord(first, "class")) {
      return Error{"", "not supported yet: `" + first.text + "` in a Keras functional model; write the layers one "
                       "after another, each applied to the tensor it reads", statement.line};
    }
    parser_.Seek(statement.begin);
    if (parser_.TryAssignment()) return true;
    const bool assigns = first.kind == TokenKind::kName && first.text.find('.') == std::string::npos &&
                         statement.begin + 2 < statement.end && IsPunct(statement.begin + 1, "=") &&
                         !IsPunct(statement.begin + 2, "=");
    const std::size_t begin = assigns ? statement.begin + 2 : statement.begin;
    ExprParser parser(tokens_, begin, statement.end);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr) return expr.error();
    if (!parser.AtEnd()) return true;  // not an expression the model needs (a, b = ..., ...)
    Result<Operand> value = Evaluate(expr.value());
    if (!value) return value.error();
    if (!assigns) return true;
    tensors_.erase(first.text);
    if (value.value().row >= 0) tensors_[first.text] = value.value().row;
    if (!value.value().layer.empty() && value.value().layer != first.text) {
      layers_[first.text] = layers_[value.value().layer];
    }
    return true;
  }

  bool IsPunct(std::size_t at, const char* text) const {
    return at < tokens_.size() && tokens_[at].kind == TokenKind::kPunct && tokens_[at].text == text;
  }

  std::string SourceOf(const Expr& expr) const { return std::string(text_.substr(expr.begin, expr.end - expr.begin)); }

  Result<Call> CallAt(const Expr& call) {
    parser_.Seek(call.call_token);
    return parser_.ParseCall();
  }

  Result<Operand> Evaluate(const Expr& expr) {
    if (expr.kind == Expr::Kind::kName) {
      Operand operand;
      const auto tensor = tensors_.find(expr.text);
      if (tensor != tensors_.end()) operand.row = tensor->second;
      if (layers_.count(expr.text) > 0) operand.layer = expr.text;
      return operand;
    }
    if (expr.kind == Expr::Kind::kBinary && (expr.text == "+" || expr.text == "-" || expr.text == "*")) {
      return Operator(expr);
    }
    if (expr.kind != Expr::Kind::kCall) return Operand{};
    const Expr& callee = expr.parts[0];
    if (callee.kind == Expr::Kind::kCall && callee.parts[0].kind == Expr::Kind::kName) {  // Layer(...)(x)
      const std::string name = LastPart(callee.parts[0].text);
      const char* kind = LayerKind(name);
      if (kind == nullptr || !std::isupper(static_cast<unsigned char>(name[0]))) {
        return Error{"", "unknown layer \"" + name + "\"; understood: " + KnownLayers(), expr.line};
      }
      Result<Call> call = CallAt(callee);
      if (!call) return call.error();
      call.value().source = SourceOf(expr);
      return Apply(call.value(), kind, expr, nullptr);
    }
    if (callee.kind != Expr::Kind::kName) return Operand{};
    const std::string& dotted = callee.text;
    const auto object = layers_.find(dotted);
    if (object != layers_.end()) {  // conv(x), conv made earlier
      Call call = object->second.call;
      call.line = expr.line;
      call.source = SourceOf(expr) + "  (" + object->second.call.source + ")";
      return Apply(call, object->second.kind, expr, &object->second);
    }
    const std::string name = LastPart(dotted);
    if (name == "Input" || name == "InputLayer") {
      Result<Call> call = CallAt(expr);
      if (!call) return call.error();
      Result<int> row = builder_.AddInput(call.value());
      if (!row) return row.error();
      Operand operand;
      operand.row = row.value();
      return operand;
    }
    const std::string merge = FunctionalMerge(dotted);
    if (!merge.empty()) {
      Result<Call> call = CallAt(expr);
      if (!call) return call.error();
      const Expr* list = expr.parts.size() > 1 ? &expr.parts[1] : nullptr;
      return Merge(call.value(), merge, list, expr);
    }
    const char* kind = LayerKind(name);
    if (kind != nullptr && std::isupper(static_cast<unsigned char>(name[0]))) {  // conv = layers.Conv2D(32, 3)
      Result<Call> call = CallAt(expr);
      if (!call) return call.error();
      LayerObject made;
      made.call = call.value();
      made.kind = kind;
      const std::string key = "#" + std::to_string(expr.begin);
      layers_[key] = made;
      Operand operand;
      operand.layer = key;
      return operand;
    }
    if (kind == nullptr && !name.empty() && std::isupper(static_cast<unsigned char>(name[0])) && name != "Model" &&
        name != "Sequential") {
      return Error{"", "unknown layer \"" + name + "\"; understood: " + KnownLayers(), expr.line};
    }
    return Operand{};  // keras.Model(inputs, outputs), model.compile(...), print(...): no row
  }

  // A layer applied to the tensor (or, for a merge, the list of tensors) in expr's argument.
  Result<Operand> Apply(const Call& call, const std::string& kind, const Expr& expr, LayerObject* object) {
    if (expr.parts.size() != 2) {
      return Error{"", call.name + "(...)(...): apply the layer to one tensor, as in " + call.name + "(...)(x)", expr.line};
    }
    if (IsMergeKind(kind)) return Merge(call, kind, &expr.parts[1], expr);
    Result<Operand> input = Evaluate(expr.parts[1]);
    if (!input) return input;
    if (input.value().row < 0) {
      return Error{"", call.name + " is applied to " + SourceOf(expr.parts[1]) + ", which is not a tensor made above "
                       "(start from inputs = keras.Input(shape=(height, width, channels)))", expr.line};
    }
    Result<int> row = builder_.AddLayer(call, kind, input.value().row);
    if (!row) return row.error();
    if (object != nullptr) {
      if (object->first_row >= 0) builder_.ShareParameters(row.value(), object->first_row, call.name);
      if (object->first_row < 0) object->first_row = row.value();
    }
    Operand operand;
    operand.row = row.value();
    return operand;
  }

  Result<Operand> Merge(const Call& call, const std::string& kind, const Expr* list, const Expr& expr) {
    if (list == nullptr || list->kind != Expr::Kind::kTuple) {
      return Error{"", call.name + ": expected a list of tensors, as in " + call.name + "()([a, b])", expr.line};
    }
    std::vector<int> rows;
    for (const Expr& item : list->parts) {
      Result<Operand> tensor = Evaluate(item);
      if (!tensor) return tensor;
      if (tensor.value().row < 0) {
        return Error{"", call.name + ": " + SourceOf(item) + " is not a tensor made above", expr.line};
      }
      rows.push_back(tensor.value().row);
    }
    int axis = -1;
    for (const Argument& argument : call.arguments) {
      if (argument.keyword == "axis" || (kind == "Concatenate" && argument.keyword.empty() &&
                                         argument.value.kind == Value::Kind::kNumber)) {
        if (argument.value.kind != Value::Kind::kNumber || !argument.value.integral) {
          return Error{"", call.name + ": axis: expected a whole number, got " + Describe(argument.value), argument.line};
        }
        axis = static_cast<int>(argument.value.number);
      }
    }
    Call shown = call;
    shown.source = SourceOf(expr);
    Result<int> row = builder_.AddMerge(shown, kind, rows, axis);
    if (!row) return row.error();
    Operand operand;
    operand.row = row.value();
    return operand;
  }

  // x + shortcut on Keras tensors: the same as layers.Add()([x, shortcut]).
  Result<Operand> Operator(const Expr& expr) {
    Result<Operand> left = Evaluate(expr.parts[0]);
    if (!left) return left;
    Result<Operand> right = Evaluate(expr.parts[1]);
    if (!right) return right;
    if (left.value().row < 0 || right.value().row < 0) return Operand{};
    Call call;
    call.name = SourceOf(expr);
    call.source = call.name;
    call.line = expr.line;
    const std::string kind = expr.text == "+" ? "Add" : expr.text == "-" ? "Subtract" : "Multiply";
    Result<int> row = builder_.AddMerge(call, kind, {left.value().row, right.value().row}, -1);
    if (!row) return row.error();
    Operand operand;
    operand.row = row.value();
    return operand;
  }

  std::string_view text_;
  const std::vector<Token>& tokens_;
  CallParser parser_;
  ModelBuilder builder_;
  std::map<std::string, int> tensors_;        // name → the row that made it
  std::map<std::string, LayerObject> layers_;  // layers made but applied later
};

}  // namespace

bool UsesFunctionalApi(const std::vector<Token>& tokens) {
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    const Token& token = tokens[i];
    const bool named_input = i + 3 < tokens.size() && token.kind == TokenKind::kName && tokens[i + 1].text == "=" &&
                             tokens[i + 2].kind == TokenKind::kName && LastPart(tokens[i + 2].text) == "Input" &&
                             tokens[i + 3].text == "(";
    if (named_input) return true;  // inputs = keras.Input(shape=...)
    if (token.kind != TokenKind::kPunct) continue;
    if (token.text == "(") open.push_back(i);
    if (token.text != ")" || open.empty()) continue;
    const std::size_t start = open.back();
    open.pop_back();
    if (start == 0 || tokens[start - 1].kind != TokenKind::kName) continue;
    const std::string name = LastPart(tokens[start - 1].text);
    const bool applied_layer = LayerKind(name) != nullptr && std::isupper(static_cast<unsigned char>(name[0])) &&
                               tokens[i + 1].kind == TokenKind::kPunct && tokens[i + 1].text == "(";
    if (applied_layer || !FunctionalMerge(tokens[start - 1].text).empty()) return true;
  }
  return false;
}

Result<ModelSummary> ReadKerasFunctional(std::string_view text, const std::vector<Token>& tokens, int first_line) {
  FunctionalReader reader(text, tokens);
  return reader.Read(first_line);
}

}  // namespace convtutor::lessons::reading
