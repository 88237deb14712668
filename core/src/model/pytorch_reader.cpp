// PyTorch's class form: class Net(nn.Module) whose __init__ makes the layers (self.conv1 =
// nn.Conv2d(...), nn.Sequential(...) expanded in place) and whose forward says the order they run,
// read as small expressions that carry the tensor (self.pool(F.relu(self.conv1(x)))), with the
// functions between them (F.max_pool2d, torch.flatten, x.view, ...). The input comes from Input(C,
// H, W) or torch.randn(1, C, H, W) outside the class.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "lesson_text.h"
#include "model/calls.h"
#include "model/expressions.h"
#include "model/layer_names.h"
#include "model/layer_rules.h"
#include "model/model_builder.h"
#include "model/readers.h"

namespace convtutor::lessons::reading {
namespace {

using std::to_string;

// A layer, or an nn.Sequential of layers, made in __init__ as self.<name> = ...
struct ModuleDefinition {
  int line = 0;
  std::vector<Call> calls;
  std::vector<std::string> kinds;
  std::vector<std::string> sources;  // shown with each row: "self.conv1 = nn.Conv2d(3, 6, 5)"
  int first_row = -1;                // the row of its first call in forward, where its parameters count
};

// What an expression in forward stands for.
struct Operand {
  enum class Kind { kTensor, kInteger, kBatch, kOther };
  Kind kind = Kind::kOther;
  int version = 0;           // kTensor: which tensor; every layer applied makes a new one
  std::int64_t integer = 0;  // kInteger
  std::string text;          // kOther: as written, for messages
};

struct ForwardVariable {
  Operand value;
  int line = 0;  // where it was last assigned
};

constexpr const char* kActivationFunctions[] = {"relu", "relu_", "relu6", "leaky_relu", "elu", "selu", "celu",
                                                "gelu", "silu", "mish", "hardswish", "sigmoid", "tanh",
                                                "softmax", "log_softmax", "softplus", "hardtanh"};
constexpr const char* kDropoutFunctions[] = {"dropout", "dropout2d", "alpha_dropout", "feature_alpha_dropout"};
constexpr const char* kJoiningFunctions[] = {"cat", "concat", "stack", "add", "sub", "mul", "matmul", "bmm", "einsum"};

template <std::size_t N>
bool OneOf(const std::string& name, const char* const (&names)[N]) {
  return std::any_of(std::begin(names), std::end(names), [&](const char* known) { return name == known; });
}

// F.max_pool2d, torch.flatten, nn.functional.relu, ...: the function's name, or "" for other calls.
std::string FunctionName(const std::string& dotted) {
  constexpr const char* kPrefixes[] = {"torch.nn.functional.", "nn.functional.", "functional.", "F.", "torch."};
  for (const char* prefix : kPrefixes) {
    const std::string written(prefix);
    if (dotted.compare(0, written.size(), written) == 0 && dotted.find('.', written.size()) == std::string::npos) {
      return dotted.substr(written.size());
    }
  }
  return "";
}

const std::string kStraightPath = "the tutor follows one straight path of layers through forward";

class ModuleReader {
 public:
  ModuleReader(std::string_view text, const std::vector<Token>& tokens, CallParser& parser, ModelBuilder& builder)
      : text_(text), tokens_(tokens), parser_(parser), builder_(builder) {}

  // self.<name> = nn.Layer(...) or nn.Sequential(...) lines of __init__; `signature` gives defaults
  // such as num_classes=10 to the layers.
  Result<bool> ReadInit(const Statement& signature, const std::vector<Statement>& body) {
    for (std::size_t i = signature.begin; i + 2 < signature.end; ++i) {
      const Token& number = tokens_[i + 2];
      if (tokens_[i].kind == TokenKind::kName && IsPunctToken(i + 1, "=") && number.kind == TokenKind::kNumber) {
        Value value;
        value.kind = Value::Kind::kNumber;
        value.number = std::strtod(number.text.c_str(), nullptr);
        value.integral = number.text.find_first_of(".eE") == std::string::npos;
        value.text = number.text;
        parser_.Define(tokens_[i].text, std::move(value));
      }
    }
    for (const Statement& statement : body) {
      const Token& first = tokens_[statement.begin];
      if (IsWord(first, "for") || IsWord(first, "while") || IsWord(first, "if")) {
        return Error{"", "not supported yet: `" + first.text + "` in __init__ (layers made in a loop or under a "
                         "condition); write each layer as self.name = nn.Layer(...)", statement.line};
      }
      const bool defines = first.kind == TokenKind::kName && first.text.rfind("self.", 0) == 0 &&
                           first.text.find('.', 5) == std::string::npos && IsPunctToken(statement.begin + 1, "=") &&
                           !IsPunctToken(statement.begin + 2, "=");
      const std::size_t value = statement.begin + 2;
      if (!defines || value + 1 >= statement.end || tokens_[value].kind != TokenKind::kName ||
          !IsPunctToken(value + 1, "(")) {
        continue;  // super().__init__(), self.size = 10, ...: no layer
      }
      const std::string name = first.text.substr(5);
      const std::string called = LastPart(tokens_[value].text);
      if (called != "Sequential" && std::islower(static_cast<unsigned char>(called[0]))) continue;
      ModuleDefinition module;
      module.line = statement.line;
      Result<std::size_t> read = ReadLayers(value, name, false, module);
      if (!read) return read.error();
      modules_[name] = std::move(module);
    }
    return true;
  }

  // forward(self, x): each line either names a new tensor (x = ...), returns it, or is refused.
  Result<bool> ReadForward(const Statement& signature, const std::vector<Statement>& body) {
    std::vector<std::string> parameters;
    int depth = 0;
    for (std::size_t i = signature.begin; i < signature.end; ++i) {
      if (IsPunctToken(i, "(")) ++depth;
      if (IsPunctToken(i, ")")) --depth;
      if (depth == 1 && tokens_[i].kind == TokenKind::kName && (IsPunctToken(i - 1, "(") || IsPunctToken(i - 1, ","))) {
        parameters.push_back(tokens_[i].text);
      }
    }
    if (parameters.size() != 2) {
      return Error{"", "not supported yet: forward with " + to_string(parameters.size() > 0 ? parameters.size() - 1 : 0) +
                       " inputs; the tutor follows forward(self, x) with one tensor", signature.line};
    }
    variables_[parameters[1]] = ForwardVariable{Tensor(), signature.line};
    for (const Statement& statement : body) {
      const Token& first = tokens_[statement.begin];
      if (first.kind == TokenKind::kString) continue;  // a docstring
      constexpr const char* kFlow[] = {"if", "elif", "else", "for", "while", "with", "try", "except", "finally", "def"};
      if (first.kind == TokenKind::kName && OneOf(first.text, kFlow)) {
        return Error{"", "not supported yet: `" + first.text + "` in forward; " + kStraightPath, statement.line};
      }
      constexpr const char* kHarmless[] = {"print", "assert", "pass", "breakpoint", "del"};
      if (first.kind == TokenKind::kName && OneOf(first.text, kHarmless)) continue;
      if (IsWord(first, "return")) {
        Result<Operand> returned = EvaluateWhole(statement.begin + 1, statement);
        if (!returned) return returned.error();
        Result<bool> current = RequireTensor(returned.value(), statement.line, "return");
        if (!current) return current;
        return true;
      }
      const bool assignment = first.kind == TokenKind::kName && first.text.find('.') == std::string::npos;
      if (assignment && statement.begin + 1 < statement.end && tokens_[statement.begin + 1].kind == TokenKind::kPunct) {
        const std::string& next = tokens_[statement.begin + 1].text;
        if (next == ",") {
          return Error{"", "not supported yet: assigning several values at once in forward", statement.line};
        }
        if (IsPunctToken(statement.begin + 2, "=") && next != "=") {
          return Error{"", "not supported yet: " + first.text + " " + next + "= ... in forward (" +
                           (next == "+" ? "adding tensors, as residual connections do" : "arithmetic on tensors") +
                           "); " + kStraightPath, statement.line};
        }
        if (next == "=" && !IsPunctToken(statement.begin + 2, "=")) {
          Result<Operand> value = EvaluateWhole(statement.begin + 2, statement);
          if (!value) return value.error();
          variables_[first.text] = ForwardVariable{value.value(), statement.line};
          continue;
        }
      }
      Result<Operand> value = EvaluateWhole(statement.begin, statement);
      if (!value) return value.error();
    }
    return Error{"", "forward never returns the tensor", signature.line};
  }

  void AddMethod(const std::string& name) { methods_.insert(name); }

  // A layer with parameters that forward never calls would still count in PyTorch's total.
  Result<bool> CheckEveryWeightedLayerIsCalled() const {
    const ModuleDefinition* unused = nullptr;
    std::string unused_name;
    for (const auto& [name, module] : modules_) {
      const bool weighted = std::any_of(module.kinds.begin(), module.kinds.end(), [](const std::string& kind) {
        return kind == "Conv2d" || kind == "Linear" || kind == "BatchNorm2d";
      });
      if (weighted && module.first_row < 0 && (unused == nullptr || module.line < unused->line)) {
        unused = &module;
        unused_name = name;
      }
    }
    if (unused == nullptr) return true;
    return Error{"", "self." + unused_name + " is made in __init__ but forward never calls it: PyTorch would still "
                     "count its parameters, in no row; call it or remove it", unused->line};
  }

 private:
  bool IsPunctToken(std::size_t at, const char* text) const {
    return at < tokens_.size() && tokens_[at].kind == TokenKind::kPunct && tokens_[at].text == text;
  }

  // The layers of one self.<name> = ... call, nn.Sequential(...) expanded in place; returns the
  // token after the call.
  Result<std::size_t> ReadLayers(std::size_t at, const std::string& name, bool in_sequential, ModuleDefinition& module) {
    const Token& callee = tokens_[at];
    const std::string called = LastPart(callee.text);
    if (called == "Sequential") {
      if (++sequential_depth_ > 16) return Error{"", "nn.Sequential nested too deeply to follow", callee.line};
      std::size_t position = at + 2;
      while (!IsPunctToken(position, ")")) {
        const bool layer = tokens_[position].kind == TokenKind::kName && IsPunctToken(position + 1, "(");
        if (!layer) {
          return Error{"", "nn.Sequential: expected layers such as nn.Conv2d(...), got \"" + tokens_[position].text + "\"",
                       tokens_[position].line};
        }
        Result<std::size_t> next = ReadLayers(position, name, true, module);
        if (!next) return next;
        position = next.value();
        if (IsPunctToken(position, ",")) ++position;
      }
      --sequential_depth_;
      return position + 1;
    }
    if (called == "ModuleList" || called == "ModuleDict") {
      return Error{"", "not supported yet: nn." + called + " (layers picked in a loop); write each layer as "
                       "self.name = nn.Layer(...) or use nn.Sequential", callee.line};
    }
    const char* kind = LayerKind(called);
    if (kind == nullptr || std::string(kind) == "Input") {
      return Error{"", "unknown layer \"" + called + "\" in self." + name + "; understood: " + KnownLayers(), callee.line};
    }
    parser_.Seek(at);
    Result<Call> call = parser_.ParseCall();
    if (!call) return call.error();
    module.sources.push_back(in_sequential ? "self." + name + "[" + to_string(module.calls.size()) + "] = " + call.value().source
                                    : "self." + name + " = " + call.value().source);
    module.calls.push_back(call.value());
    module.kinds.push_back(kind);
    return parser_.Position();
  }

  Operand Tensor() {
    ++tensors_made_;
    current_tensor_ = tensors_made_;
    Operand tensor;
    tensor.kind = Operand::Kind::kTensor;
    tensor.version = current_tensor_;
    return tensor;
  }

  static Operand Integer(std::int64_t value) {
    Operand integer;
    integer.kind = Operand::Kind::kInteger;
    integer.integer = value;
    return integer;
  }

  // The tensor a layer is applied to must be the newest one: an older one means a second path.
  Result<bool> RequireTensor(const Operand& operand, int line, const std::string& what) const {
    if (operand.kind != Operand::Kind::kTensor) {
      return Error{"", what + ": expected the tensor here, got " +
                           (operand.text.empty() ? std::string("a number") : "\"" + operand.text + "\""), line};
    }
    if (operand.version != current_tensor_) {
      return Error{"", "not supported yet: " + what + " uses a tensor from before the last layer (a branch or a skip "
                       "connection); " + kStraightPath, line};
    }
    return true;
  }

  Result<Operand> EvaluateWhole(std::size_t begin, const Statement& statement) {
    ExprParser parser(tokens_, begin, statement.end);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr) return expr.error();
    if (!parser.AtEnd()) {
      if (parser.IsPunct(",")) return Error{"", "not supported yet: several values in one expression", statement.line};
      if (IsWord(parser.Peek(), "if")) {
        return Error{"", "not supported yet: `if` in forward; " + kStraightPath, statement.line};
      }
      return Error{"", "forward: cannot follow \"" + parser.Peek().text + "\" here", parser.Peek().line};
    }
    return Evaluate(expr.value());
  }

  std::string SourceOf(const Expr& expr) const { return std::string(text_.substr(expr.begin, expr.end - expr.begin)); }

  Result<Operand> Evaluate(const Expr& expr) {
    switch (expr.kind) {
      case Expr::Kind::kName: {
        const auto variable = variables_.find(expr.text);
        if (variable != variables_.end()) {
          if (variable->second.value.kind == Operand::Kind::kTensor &&
              variable->second.value.version != current_tensor_) {
            return Error{"", "not supported yet: forward uses " + expr.text + " (set on line " +
                                 to_string(variable->second.line) + ") after a later layer made a new tensor (a "
                                 "branch or a skip connection); " + kStraightPath, expr.line};
          }
          return variable->second.value;
        }
        const Value* named = parser_.Variable(expr.text);
        if (named != nullptr && named->kind == Value::Kind::kNumber && named->integral) {
          return Integer(static_cast<std::int64_t>(named->number));
        }
        Operand other;
        other.text = expr.text;
        return other;
      }
      case Expr::Kind::kNumber: {
        const bool whole = expr.text.find_first_of(".eExX") == std::string::npos && expr.text.size() < 12;
        if (whole) return Integer(std::strtoll(expr.text.c_str(), nullptr, 10));
        Operand other;
        other.text = expr.text;
        return other;
      }
      case Expr::Kind::kNegate: {
        Result<Operand> operand = Evaluate(expr.parts[0]);
        if (!operand) return operand;
        if (operand.value().kind == Operand::Kind::kTensor) {
          return Error{"", "not supported yet: arithmetic on tensors (-x); " + kStraightPath, expr.line};
        }
        if (operand.value().kind == Operand::Kind::kInteger) return Integer(-operand.value().integer);
        return Operand{};
      }
      case Expr::Kind::kBinary:
        return EvaluateBinary(expr);
      case Expr::Kind::kIndex:
        return EvaluateIndex(expr);
      case Expr::Kind::kCall:
        return EvaluateCall(expr);
      case Expr::Kind::kAttribute:
      case Expr::Kind::kString:
      case Expr::Kind::kTuple:
        break;
    }
    Operand other;
    other.text = SourceOf(expr);
    return other;
  }

  // Whether an expression holds a tensor: a tensor variable, or a call on one.
  bool MentionsTensor(const Expr& expr) const {
    if (expr.kind == Expr::Kind::kName) {
      const std::size_t dot = expr.text.find('.');  // x.view is a method of x; x.shape and x.size give numbers
      const std::string tail = dot == std::string::npos ? "" : expr.text.substr(dot + 1);
      if (tail == "shape" || tail == "size") return false;
      const auto variable = variables_.find(expr.text.substr(0, dot));
      return variable != variables_.end() && variable->second.value.kind == Operand::Kind::kTensor;
    }
    if (expr.kind == Expr::Kind::kIndex || (expr.kind == Expr::Kind::kCall && expr.parts[0].kind == Expr::Kind::kName &&
                                            LastPart(expr.parts[0].text) == "size")) {
      return false;  // x.shape[0], x.size(0): numbers
    }
    return std::any_of(expr.parts.begin(), expr.parts.end(), [&](const Expr& part) { return MentionsTensor(part); });
  }

  Result<Operand> EvaluateBinary(const Expr& expr) {
    // x + identity: said before following either side, whose older tensor would read as a branch.
    if (MentionsTensor(expr.parts[0]) && MentionsTensor(expr.parts[1])) {
      return Error{"", "not supported yet: " + std::string(expr.text == "+" ? "adding" : "combining") + " two tensors (" +
                           SourceOf(expr) + "), as residual connections do; " + kStraightPath, expr.line};
    }
    Result<Operand> left = Evaluate(expr.parts[0]);
    if (!left) return left;
    Result<Operand> right = Evaluate(expr.parts[1]);
    if (!right) return right;
    if (left.value().kind == Operand::Kind::kTensor || right.value().kind == Operand::Kind::kTensor) {
      if (expr.text == "+") {
        return Error{"", "not supported yet: adding tensors (" + SourceOf(expr) + "), as residual connections do; " +
                             kStraightPath, expr.line};
      }
      return Error{"", "not supported yet: arithmetic on tensors (" + SourceOf(expr) + "); " + kStraightPath, expr.line};
    }
    if (left.value().kind != Operand::Kind::kInteger || right.value().kind != Operand::Kind::kInteger) return Operand{};
    const std::int64_t a = left.value().integer;
    const std::int64_t b = right.value().integer;
    const double estimate = static_cast<double>(a) * static_cast<double>(b);
    if (estimate > 1e15 || estimate < -1e15) return Error{"", "the product " + SourceOf(expr) + " is too large", expr.line};
    if (expr.text == "*") return Integer(a * b);
    if (expr.text == "+") return Integer(a + b);
    if (expr.text == "-") return Integer(a - b);
    if (expr.text == "//" && b > 0 && a >= 0) return Integer(a / b);
    return Operand{};
  }

  // x.shape[0] is the batch; x.shape[1] and on are the sizes of the current tensor.
  Result<Operand> EvaluateIndex(const Expr& expr) {
    const Expr& object = expr.parts[0];
    const std::size_t dot = object.text.find('.');
    const bool shape = object.kind == Expr::Kind::kName && dot != std::string::npos &&
                       object.text.substr(dot + 1) == "shape" && variables_.count(object.text.substr(0, dot)) > 0;
    Result<Operand> index = Evaluate(expr.parts[1]);
    if (!index) return index;
    if (!shape || index.value().kind != Operand::Kind::kInteger) {
      return Error{"", "not supported yet: indexing in forward (" + SourceOf(expr) + ")", expr.line};
    }
    Result<Operand> tensor = Evaluate(Name(object.text.substr(0, dot), object));
    if (!tensor) return tensor;
    return SizeOf(tensor.value(), index.value().integer, expr);
  }

  static Expr Name(const std::string& name, const Expr& where) {
    Expr expr = where;
    expr.kind = Expr::Kind::kName;
    expr.text = name;
    expr.parts.clear();
    return expr;
  }

  Result<Operand> SizeOf(const Operand& tensor, std::int64_t axis, const Expr& expr) const {
    Result<bool> current = RequireTensor(tensor, expr.line, SourceOf(expr));
    if (!current) return current.error();
    if (axis == 0) {
      Operand batch;
      batch.kind = Operand::Kind::kBatch;
      batch.text = SourceOf(expr);
      return batch;
    }
    const std::vector<int> shape = builder_.ShapeOf(builder_.LastRow());
    if (axis < 0 || static_cast<std::size_t>(axis) > shape.size()) {
      return Error{"", SourceOf(expr) + ": the tensor has " + to_string(shape.size() + 1) + " axes (batch first)", expr.line};
    }
    return Integer(shape[static_cast<std::size_t>(axis) - 1]);
  }

  Result<Operand> EvaluateCall(const Expr& expr) {
    const Expr& callee = expr.parts[0];
    if (callee.kind == Expr::Kind::kAttribute) {  // self.conv1(x).view(...)
      Result<Operand> object = Evaluate(callee.parts[0]);
      if (!object) return object;
      return ApplyMethod(object.value(), callee.text, expr);
    }
    if (callee.kind != Expr::Kind::kName) return Error{"", "forward: cannot follow " + SourceOf(expr), expr.line};
    const std::string& name = callee.text;
    if (name.rfind("self.", 0) == 0 && name.find('.', 5) == std::string::npos) return ApplyModule(name.substr(5), expr);
    const std::size_t dot = name.find('.');
    if (dot != std::string::npos && variables_.count(name.substr(0, dot)) > 0 &&
        name.find('.', dot + 1) == std::string::npos) {
      Result<Operand> object = Evaluate(Name(name.substr(0, dot), callee));
      if (!object) return object;
      return ApplyMethod(object.value(), name.substr(dot + 1), expr);
    }
    return ApplyFunction(name, expr);
  }

  // The tensor argument of a call: the first positional one, or input=.
  std::size_t TensorArgument(const Expr& expr) const {
    for (std::size_t i = 1; i < expr.parts.size(); ++i) {
      if (expr.keywords[i - 1].empty() || expr.keywords[i - 1] == "input") return i;
    }
    return 0;
  }

  const Expr* ArgumentAt(const Expr& expr, std::size_t position, const std::string& keyword) const {
    std::size_t positional = 0;
    for (std::size_t i = 1; i < expr.parts.size(); ++i) {
      if (expr.keywords[i - 1] == keyword) return &expr.parts[i];
      if (expr.keywords[i - 1].empty() && positional++ == position) return &expr.parts[i];
    }
    return nullptr;
  }

  Call RowCall(const Expr& expr) const {
    Call call;
    call.name = LastPart(SourceOf(expr.parts[0]));
    call.line = expr.line;
    call.source = SourceOf(expr);
    return call;
  }

  Result<Operand> AddRow(const Call& call, const std::string& kind) {
    Result<int> added = builder_.AddLayer(call, kind, builder_.LastRow());
    if (!added) return added.error();
    return Tensor();
  }

  Result<Operand> ApplyModule(const std::string& name, const Expr& expr) {
    const auto found = modules_.find(name);
    if (found == modules_.end()) {
      if (methods_.count(name) > 0) {
        return Error{"", "not supported yet: forward calls the method self." + name + "; write its steps in forward "
                         "(for a flat size: torch.flatten(x, 1) or x.view(-1, 16 * 5 * 5))", expr.line};
      }
      return Error{"", "forward calls self." + name + ", but __init__ makes no layer by that name", expr.line};
    }
    if (expr.parts.size() != 2 || !expr.keywords[0].empty()) {
      return Error{"", "self." + name + "(...): expected one tensor, as in self." + name + "(x)", expr.line};
    }
    Result<Operand> input = Evaluate(expr.parts[1]);
    if (!input) return input;
    Result<bool> current = RequireTensor(input.value(), expr.line, "self." + name);
    if (!current) return current.error();
    ModuleDefinition& module = found->second;
    const int start = builder_.LastRow() + 1;
    for (std::size_t k = 0; k < module.calls.size(); ++k) {
      Result<int> added = builder_.AddLayer(module.calls[k], module.kinds[k], builder_.LastRow());
      if (!added) {
        Error error = added.error();
        if (error.line != expr.line) error.message += " (self." + name + " is called on line " + to_string(expr.line) + ")";
        return error;
      }
      builder_.Row(added.value()).source = module.sources[k];
      if (module.first_row >= 0) builder_.ShareParameters(added.value(), module.first_row + static_cast<int>(k), "self." + name);
    }
    if (module.calls.empty()) return input;
    if (module.first_row < 0) module.first_row = start;
    return Tensor();
  }

  Result<Operand> ApplyFunction(const std::string& name, const Expr& expr) {
    const std::string function = FunctionName(name);
    if (OneOf(function, kJoiningFunctions)) {
      return Error{"", "not supported yet: " + name + " (combining tensors); " + kStraightPath, expr.line};
    }
    const bool known = OneOf(function, kActivationFunctions) || OneOf(function, kDropoutFunctions) ||
                       function == "max_pool2d" || function == "avg_pool2d" || function == "adaptive_avg_pool2d" ||
                       function == "adaptive_max_pool2d" || function == "flatten" || function == "reshape";
    if (!known) {
      return Error{"", "forward: " + name + "(...) is not understood; understood: self.<layer>(x), F.relu and other "
                       "activations, F.max_pool2d, F.avg_pool2d, F.adaptive_avg_pool2d, F.dropout, torch.flatten, "
                       "x.view, x.reshape", expr.line};
    }
    const std::size_t tensor_at = TensorArgument(expr);
    if (tensor_at == 0) return Error{"", name + "(...): expected the tensor as its first argument", expr.line};
    Result<Operand> input = Evaluate(expr.parts[tensor_at]);
    if (!input) return input;
    Result<bool> current = RequireTensor(input.value(), expr.line, name);
    if (!current) return current.error();
    if (OneOf(function, kActivationFunctions)) return AddRow(RowCall(expr), "Activation");
    if (OneOf(function, kDropoutFunctions)) return AddRow(RowCall(expr), "Dropout");
    if (function == "flatten") return Flatten(expr, 1);
    if (function == "reshape") {
      const Expr* shape = ArgumentAt(expr, 1, "shape");
      if (shape == nullptr) return Error{"", name + "(x, shape): needs the new shape", expr.line};
      return Reshape(shape->kind == Expr::Kind::kTuple ? shape->parts : std::vector<Expr>{*shape}, expr);
    }
    // Pooling: the arguments after the tensor, named as the function's signature names them, go to
    // the same checks as nn.MaxPool2d / nn.AvgPool2d.
    parser_.Seek(expr.call_token);
    if (tokens_[expr.call_token].kind != TokenKind::kName) return Error{"", "forward: cannot follow " + SourceOf(expr), expr.line};
    Result<Call> parsed = parser_.ParseCall();
    if (!parsed) return parsed.error();
    Call call = parsed.value();
    call.name = name;
    const std::vector<std::string> order =
        function == "max_pool2d"   ? std::vector<std::string>{"kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"}
        : function == "avg_pool2d" ? std::vector<std::string>{"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"}
                                   : std::vector<std::string>{"output_size", "return_indices"};
    std::vector<Argument> named;
    std::size_t positional = 0;
    bool tensor_dropped = false;
    for (Argument& argument : call.arguments) {
      if (argument.keyword == "input" || (argument.keyword.empty() && !tensor_dropped && tensor_at == positional + 1)) {
        tensor_dropped = true;
        if (argument.keyword.empty()) ++positional;
        continue;
      }
      if (argument.keyword.empty()) {
        const std::size_t index = positional++ - 1;
        if (index >= order.size()) return Error{"", name + ": too many arguments", argument.line};
        argument.keyword = order[index];
      }
      named.push_back(argument);
    }
    call.arguments = named;
    const std::string kind = function == "max_pool2d"            ? "MaxPool2d"
                             : function == "avg_pool2d"          ? "AvgPool2d"
                             : function == "adaptive_avg_pool2d" ? "AdaptiveAvgPool2d"
                                                                 : "AdaptiveMaxPool2d";
    return AddRow(call, kind);
  }

  Result<Operand> ApplyMethod(const Operand& object, const std::string& method, const Expr& expr) {
    if (method == "size" || method == "dim") {
      const Expr* axis = ArgumentAt(expr, 0, "dim");
      if (method == "size" && axis != nullptr) {
        Result<Operand> index = Evaluate(*axis);
        if (!index) return index;
        if (index.value().kind == Operand::Kind::kInteger) return SizeOf(object, index.value().integer, expr);
      }
      return Error{"", "not supported yet: " + SourceOf(expr) + " (x.size(0) is understood)", expr.line};
    }
    Result<bool> current = RequireTensor(object, expr.line, SourceOf(expr.parts[0]));
    if (!current) return current.error();
    std::vector<Expr> arguments(expr.parts.begin() + 1, expr.parts.end());
    if (method == "view" || method == "reshape") {
      if (arguments.size() == 1 && arguments[0].kind == Expr::Kind::kTuple) arguments = arguments[0].parts;
      return Reshape(arguments, expr);
    }
    if (method == "flatten") return Flatten(expr, 0);
    if (OneOf(method, kActivationFunctions)) return AddRow(RowCall(expr), "Activation");
    constexpr const char* kSameValues[] = {"contiguous", "clone", "float", "detach"};
    if (OneOf(method, kSameValues)) return object;
    return Error{"", "not supported yet: ." + method + "(...) on a tensor in forward", expr.line};
  }

  // torch.flatten(x, 1) and x.flatten(1) keep the batch and flatten the rest; start_dim is the
  // argument at `start_position`.
  Result<Operand> Flatten(const Expr& expr, std::size_t start_position) {
    const Expr* start = ArgumentAt(expr, start_position, "start_dim");
    const Expr* end = ArgumentAt(expr, start_position + 1, "end_dim");
    Result<Operand> start_dim = start == nullptr ? Result<Operand>(Integer(0)) : Evaluate(*start);
    if (!start_dim) return start_dim;
    if (start_dim.value().kind != Operand::Kind::kInteger || start_dim.value().integer != 1) {
      return Error{"", "not supported yet: " + SourceOf(expr) + " with start_dim " +
                           (start == nullptr ? std::string("0 (the default) would flatten the batch too") : SourceOf(*start)) +
                           "; write torch.flatten(x, 1) to keep the batch and flatten the rest", expr.line};
    }
    if (end != nullptr) {
      Result<Operand> end_dim = Evaluate(*end);
      if (!end_dim) return end_dim;
      if (end_dim.value().kind != Operand::Kind::kInteger || end_dim.value().integer != -1) {
        return Error{"", "not supported yet: flatten with end_dim " + SourceOf(*end) + " (only -1, the default)", expr.line};
      }
    }
    return AddRow(RowCall(expr), "Flatten");
  }

  // x.view(-1, 400), x.view(x.size(0), -1), x.reshape(-1, 1, 28, 28): the batch first, then either
  // one size (flat) or channels, height, width. The values per sample must stay the same.
  Result<Operand> Reshape(const std::vector<Expr>& arguments, const Expr& expr) {
    std::vector<Operand> sizes;
    for (const Expr& argument : arguments) {
      Result<Operand> size = Evaluate(argument);
      if (!size) return size;
      sizes.push_back(size.value());
    }
    const auto unknown = [](const Operand& size) { return size.kind == Operand::Kind::kInteger && size.integer == -1; };
    if (sizes.empty() || !(sizes[0].kind == Operand::Kind::kBatch || unknown(sizes[0]))) {
      return Error{"", SourceOf(expr) + ": the first size should keep the batch: x.size(0) or -1", expr.line};
    }
    const std::vector<int> shape = builder_.ShapeOf(builder_.LastRow());
    const std::int64_t per_sample = Product(shape);
    std::string held;
    for (std::size_t i = 0; i < shape.size(); ++i) held += (i ? kDot : "") + to_string(shape[i]);
    if (shape.size() > 1) held += " = " + Grouped(per_sample);
    std::vector<int> target;
    int inferred = -1;
    std::int64_t known = 1;
    for (std::size_t i = 1; i < sizes.size(); ++i) {
      const Operand& size = sizes[i];
      if (unknown(size) && inferred < 0 && !unknown(sizes[0])) {
        inferred = static_cast<int>(i - 1);
        target.push_back(0);
        continue;
      }
      if (size.kind != Operand::Kind::kInteger || size.integer < 1 || size.integer > 2147483647) {
        return Error{"", SourceOf(expr) + ": " + SourceOf(arguments[i]) + " is not a size the tutor can follow" +
                             (unknown(size) ? " (only one size may be -1)" : ""), expr.line};
      }
      known *= size.integer;
      if (known > per_sample) break;
      target.push_back(static_cast<int>(size.integer));
    }
    if (inferred >= 0 && known <= per_sample && per_sample % known == 0) {
      target[static_cast<std::size_t>(inferred)] = static_cast<int>(per_sample / known);
      known = per_sample;
    }
    if (known != per_sample || target.size() + 1 != sizes.size()) {
      return Error{"", SourceOf(expr) + ": each sample holds " + held + " values, which do not make " +
                           (inferred >= 0 ? "that shape" : Grouped(known)) +
                           " (PyTorch would fail here, or mix samples in one row)", expr.line};
    }
    if (target.size() == 1) return AddRow(RowCall(expr), "Flatten");
    if (target.size() == 3) {
      builder_.AddReshape(RowCall(expr), builder_.LastRow(), target);
      return Tensor();
    }
    return Error{"", "not supported yet: " + SourceOf(expr) + " to " + to_string(target.size() + 1) +
                     " axes; the tutor follows (batch, features) and (batch, channels, height, width)", expr.line};
  }

  std::string_view text_;
  const std::vector<Token>& tokens_;
  CallParser& parser_;
  ModelBuilder& builder_;
  std::map<std::string, ModuleDefinition> modules_;
  std::set<std::string> methods_;  // the class's own functions besides __init__ and forward
  int sequential_depth_ = 0;
  std::map<std::string, ForwardVariable> variables_;
  int tensors_made_ = 0;
  int current_tensor_ = 0;
};

}  // namespace

bool DefinesForward(const std::vector<Token>& tokens) {
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (IsWord(tokens[i], "def") && IsWord(tokens[i + 1], "forward")) return true;
  }
  return false;
}

// class Net(nn.Module): the input from outside the class (Input(...) or torch.randn(...)), layers from
// __init__, their order from forward.
Result<ModelSummary> ReadPyTorchModule(std::string_view text, const std::vector<Token>& tokens, int first_line) {
  const std::vector<Statement> statements = SplitStatements(text, tokens);
  std::size_t forward = statements.size();
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    if (!IsWord(tokens[statement.begin], "def") || !IsWord(tokens[statement.begin + 1], "forward")) continue;
    if (forward < statements.size()) {
      return Error{"", "not supported yet: a second forward (one nn.Module class is read)", statement.line};
    }
    forward = i;
  }
  if (forward == statements.size()) {
    return Error{"", "def forward must start its own line, inside a class Net(nn.Module)", first_line};
  }
  std::size_t model_class = forward;
  while (model_class > 0 && !(IsWord(tokens[statements[model_class - 1].begin], "class") &&
                              statements[model_class - 1].indent < statements[forward].indent)) {
    --model_class;
  }
  if (model_class == 0) return Error{"", "def forward must be inside a class Net(nn.Module)", statements[forward].line};
  --model_class;
  for (const Statement& statement : statements) {
    if (IsWord(tokens[statement.begin], "class") && statement.begin != statements[model_class].begin) {
      return Error{"", "not supported yet: a model made of several classes; write its layers in one nn.Module",
                   statement.line};
    }
  }
  const std::vector<Statement> class_body = BodyOf(statements, model_class);
  const std::size_t class_end = model_class + 1 + class_body.size();

  CallParser parser(text, tokens);
  ModelBuilder builder(true);
  // Outside the class: sizes named for later (num_classes = 10) and the input.
  bool has_input = false;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (i >= model_class && i < class_end) continue;
    parser.Seek(statements[i].begin);
    if (parser.TryAssignment()) continue;
    for (std::size_t t = statements[i].begin; t < statements[i].end && !has_input; ++t) {
      const std::string name = LastPart(tokens[t].text);
      const bool input = tokens[t].kind == TokenKind::kName && (name == "Input" || name == "randn" || name == "rand") &&
                         t + 1 < statements[i].end && tokens[t + 1].kind == TokenKind::kPunct && tokens[t + 1].text == "(";
      if (!input) continue;
      parser.Seek(t);
      Result<Call> call = parser.ParseCall();
      if (!call) return call.error();
      Result<int> added = builder.AddInput(call.value());
      if (!added) return added.error();
      has_input = true;
    }
  }
  if (!has_input) {
    return Error{"", "the model needs its input's shape: add Input(channels, height, width) or "
                     "x = torch.randn(1, channels, height, width) outside the class", statements[model_class].line};
  }
  ModuleReader reader(text, tokens, parser, builder);
  for (std::size_t i = model_class + 1; i < class_end; ++i) {
    if (!IsWord(tokens[statements[i].begin], "def")) continue;
    const Token& function = tokens[statements[i].begin + 1];
    if (function.text == "__init__") {
      Result<bool> read = reader.ReadInit(statements[i], BodyOf(statements, i));
      if (!read) return read.error();
    } else if (function.kind == TokenKind::kName) {
      reader.AddMethod(function.text);
    }
  }
  Result<bool> followed = reader.ReadForward(statements[forward], BodyOf(statements, forward));
  if (!followed) return followed.error();
  Result<bool> all_called = reader.CheckEveryWeightedLayerIsCalled();
  if (!all_called) return all_called.error();
  return builder.Finish(first_line);
}

}  // namespace convtutor::lessons::reading
