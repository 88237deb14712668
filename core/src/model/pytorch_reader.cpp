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
#include <optional>
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

// A layer, or an nn.Sequential of layers, made in __init__ as self.<name> = ...; None
// (self.downsample = None), or an nn.ModuleList whose items are modules of their own ("layers[0]").
struct ModuleDefinition {
  int line = 0;
  std::vector<Call> calls;
  std::vector<std::string> kinds;
  std::vector<std::string> sources;  // shown with each row: "self.conv1 = nn.Conv2d(3, 6, 5)"
  int first_row = -1;                // the row of its first call in forward, where its parameters count
  bool none = false;                 // self.name = None
  std::vector<std::string> items;    // nn.ModuleList: the items' names, in order
};

// What an expression in forward stands for.
struct Operand {
  enum class Kind { kTensor, kInteger, kBatch, kModule, kOther };
  Kind kind = Kind::kOther;
  int row = 0;               // kTensor: the summary row that made it
  std::int64_t integer = 0;  // kInteger
  std::string text;          // kModule: the module's name ("layers[1]"); kOther: as written, for messages
};

struct ForwardVariable {
  Operand value;
  int line = 0;  // where it was last assigned
};

constexpr const char* kActivationFunctions[] = {"relu", "relu_", "relu6", "leaky_relu", "elu", "selu", "celu",
                                                "gelu", "silu", "mish", "hardswish", "sigmoid", "tanh",
                                                "softmax", "log_softmax", "softplus", "hardtanh"};
constexpr const char* kDropoutFunctions[] = {"dropout", "dropout2d", "alpha_dropout", "feature_alpha_dropout"};
constexpr const char* kConcatenating[] = {"cat", "concat", "concatenate"};
constexpr const char* kUnfollowedJoins[] = {"stack", "matmul", "bmm", "einsum", "div", "maximum", "minimum"};

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

// A merge's kind for an operator or torch function: "Add" for + and torch.add, ...; "" for others.
std::string MergeKind(const std::string& op) {
  if (op == "+" || op == "add") return "Add";
  if (op == "-" || op == "sub" || op == "subtract") return "Subtract";
  if (op == "*" || op == "mul" || op == "multiply") return "Multiply";
  return "";
}

constexpr int kMaxBlockDepth = 32;  // nested if / for blocks followed, far past real models
constexpr int kMaxLinesRun = 100000;  // lines of forward run, loops unrolled: loops in loops end here

class ModuleReader {
 public:
  ModuleReader(std::string_view text, const std::vector<Token>& tokens, CallParser& parser, ModelBuilder& builder)
      : text_(text), tokens_(tokens), parser_(parser), builder_(builder) {}

  // __init__(self, ...): its parameters take the values the model is made with (model = Block(64,
  // 128, stride=2) after the class, `made`) or their defaults; then its body runs: self.<name> =
  // nn.Layer(...), nn.Sequential(...), nn.ModuleList([...]) or None, sizes (self.in_planes = 64), and
  // `if` on sizes (if stride != 1 or in_planes != planes:).
  Result<bool> ReadInit(const Statement& signature, const std::vector<Statement>& body, const Call* made) {
    std::vector<std::pair<std::string, std::size_t>> parameters = Parameters(signature);
    if (!parameters.empty() && parameters[0].first == "self") parameters.erase(parameters.begin());
    std::map<std::string, Value> given;
    if (made != nullptr) {
      std::size_t positional = 0;
      for (const Argument& argument : made->arguments) {
        if (!argument.keyword.empty()) {
          given[argument.keyword] = argument.value;
        } else if (positional < parameters.size()) {
          given[parameters[positional++].first] = argument.value;
        } else {
          return Error{"", made->name + "(...): more values than __init__ takes (" + to_string(parameters.size()) + ")",
                       argument.line};
        }
      }
    }
    for (const auto& [name, default_at] : parameters) {
      const auto value = given.find(name);
      if (value != given.end()) {
        parser_.Define(name, value->second);
      } else if (default_at > 0) {
        parser_.Define(name, LiteralAt(default_at));
      }
    }
    return RunInit(body, 0);
  }

  // forward(self, x, ...): one Input row per tensor parameter, in order (`inputs`); its body runs,
  // each line naming a tensor (x = ...), merging two (out += identity), branching on the model
  // (if self.downsample is not None:), looping over an nn.ModuleList, or returning the result.
  Result<bool> ReadForward(const Statement& signature, const std::vector<Statement>& body, const std::vector<int>& inputs) {
    std::vector<std::pair<std::string, std::size_t>> parameters = Parameters(signature);
    if (!parameters.empty()) parameters.erase(parameters.begin());  // self
    if (parameters.size() != inputs.size()) {
      std::string names;
      for (const auto& parameter : parameters) names += (names.empty() ? "" : ", ") + parameter.first;
      return Error{"", "forward takes " + to_string(parameters.size()) + " tensor" + (parameters.size() == 1 ? "" : "s") +
                       " (" + names + ") but the text gives " + to_string(inputs.size()) + " Input(...) line" +
                       (inputs.size() == 1 ? "" : "s") + "; give one Input(C, H, W) per tensor, in order",
                   signature.line};
    }
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      variables_[parameters[i].first] = ForwardVariable{Tensor(inputs[i]), signature.line};
    }
    bool returned = false;
    Result<bool> ran = RunForward(body, 0, returned);
    if (!ran) return ran;
    if (!returned) return Error{"", "forward never returns the tensor", signature.line};
    return true;
  }

  void AddMethod(const std::string& name) { methods_.insert(name); }

  // A layer with parameters that forward never calls would still count in PyTorch's total.
  Result<bool> CheckEveryWeightedLayerIsCalled() const {
    const ModuleDefinition* unused = nullptr;
    std::string unused_name;
    for (const auto& [name, module] : modules_) {
      const bool weighted = std::any_of(module.kinds.begin(), module.kinds.end(), [](const std::string& kind) {
        return kind == "Conv2d" || kind == "ConvTranspose2d" || kind == "Linear" || kind == "BatchNorm2d";
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

  // A function's parameters, each with the token of its default value (0 when it has none).
  std::vector<std::pair<std::string, std::size_t>> Parameters(const Statement& signature) const {
    std::vector<std::pair<std::string, std::size_t>> parameters;
    int depth = 0;
    for (std::size_t i = signature.begin; i < signature.end; ++i) {
      if (IsPunctToken(i, "(") || IsPunctToken(i, "[")) ++depth;
      if (IsPunctToken(i, ")") || IsPunctToken(i, "]")) --depth;
      if (depth == 1 && tokens_[i].kind == TokenKind::kName && (IsPunctToken(i - 1, "(") || IsPunctToken(i - 1, ","))) {
        parameters.emplace_back(tokens_[i].text, IsPunctToken(i + 1, "=") ? i + 2 : 0);
      }
    }
    return parameters;
  }

  // A default value as written: a number, None, True or False (other defaults stay unknown).
  Value LiteralAt(std::size_t at) const {
    const Token& token = tokens_[at];
    Value value;
    value.text = token.text;
    if (token.kind == TokenKind::kNumber) {
      value.kind = Value::Kind::kNumber;
      value.number = std::strtod(token.text.c_str(), nullptr);
      value.integral = token.text.find_first_of(".eE") == std::string::npos;
    } else if (IsWord(token, "None")) {
      value.kind = Value::Kind::kNone;
    } else if (IsWord(token, "True") || IsWord(token, "False")) {
      value.kind = Value::Kind::kBool;
      value.number = IsWord(token, "True") ? 1.0 : 0.0;
    }
    return value;
  }

  // The statements of a block: those at its first statement's indent, each with the statements
  // indented under it (an if's or a for's body).
  static std::vector<std::pair<Statement, std::vector<Statement>>> Blocks(const std::vector<Statement>& body) {
    std::vector<std::pair<Statement, std::vector<Statement>>> blocks;
    for (std::size_t i = 0; i < body.size();) {
      std::vector<Statement> inner = BodyOf(body, i);
      blocks.emplace_back(body[i], inner);
      i += 1 + inner.size();
    }
    return blocks;
  }

  // `if <condition>:` with its body on the next lines: the condition's value.
  Result<bool> HeaderCondition(const Statement& statement) {
    if (!IsPunctToken(statement.end - 1, ":")) {
      return Error{"", "write the body of `" + tokens_[statement.begin].text + "` on its own lines, under it",
                   statement.line};
    }
    if (IsWord(tokens_[statement.begin], "else")) return true;
    ExprParser parser(tokens_, statement.begin + 1, statement.end - 1);
    Result<Expr> condition = parser.ParseExpression();
    if (!condition) return condition.error();
    if (!parser.AtEnd()) return Error{"", "cannot read the condition after `if`", statement.line};
    return Condition(condition.value());
  }

  // Conditions the tutor can decide before running: on sizes (stride != 1), on the model's
  // modules (self.downsample is not None), and their and / or / not.
  Result<bool> Condition(const Expr& expr) {
    if (expr.kind == Expr::Kind::kNot) {
      Result<bool> inner = Condition(expr.parts[0]);
      if (!inner) return inner;
      return !inner.value();
    }
    const auto module_present = [&](const Expr& side) -> Result<bool> {
      const bool member = side.kind == Expr::Kind::kName && side.text.rfind("self.", 0) == 0;
      if (!member) return Error{"", "cannot tell whether " + SourceOf(side) + " is None before running", side.line};
      const auto module = modules_.find(side.text.substr(5));
      return module != modules_.end() && !module->second.none;
    };
    if (expr.kind == Expr::Kind::kName) {
      if (expr.text == "True" || expr.text == "False") return expr.text == "True";
      const Value* named = parser_.Variable(expr.text);
      if (named != nullptr && named->kind != Value::Kind::kTuple) return named->number != 0.0;
      return module_present(expr);
    }
    if (expr.kind == Expr::Kind::kBinary && (expr.text == "and" || expr.text == "or")) {
      Result<bool> left = Condition(expr.parts[0]);
      if (!left) return left;
      if (left.value() == (expr.text == "or")) return left.value();
      return Condition(expr.parts[1]);
    }
    if (expr.kind == Expr::Kind::kBinary && (expr.text == "is" || expr.text == "is not")) {
      if (expr.parts[1].kind != Expr::Kind::kName || expr.parts[1].text != "None") {
        return Error{"", "the tutor decides `is` only against None: " + SourceOf(expr), expr.line};
      }
      Result<bool> present = module_present(expr.parts[0]);
      if (!present) return present;
      return present.value() == (expr.text == "is not");
    }
    constexpr const char* kComparisons[] = {"==", "!=", "<", "<=", ">", ">="};
    if (expr.kind == Expr::Kind::kBinary && OneOf(expr.text, kComparisons)) {
      Result<Operand> left = Evaluate(expr.parts[0]);
      if (!left) return left.error();
      Result<Operand> right = Evaluate(expr.parts[1]);
      if (!right) return right.error();
      if (left.value().kind != Operand::Kind::kInteger || right.value().kind != Operand::Kind::kInteger) {
        return Error{"", "cannot tell whether " + SourceOf(expr) + " holds: the tutor decides conditions on known sizes",
                     expr.line};
      }
      const std::int64_t a = left.value().integer, b = right.value().integer;
      if (expr.text == "==") return a == b;
      if (expr.text == "!=") return a != b;
      if (expr.text == "<") return a < b;
      if (expr.text == "<=") return a <= b;
      if (expr.text == ">") return a > b;
      return a >= b;
    }
    return Error{"", "cannot tell whether " + SourceOf(expr) + " holds before running; the tutor decides conditions "
                     "on sizes and on self.layer is None", expr.line};
  }

  // An if / elif / else chain starting at blocks[at]: runs the first body whose condition holds
  // through `run`; returns the index after the chain.
  template <typename Run>
  Result<std::size_t> RunChain(const std::vector<std::pair<Statement, std::vector<Statement>>>& blocks, std::size_t at,
                               Run run) {
    bool taken = false;
    std::size_t next = at;
    do {
      const auto& [header, inner] = blocks[next];
      if (!taken) {
        Result<bool> holds = HeaderCondition(header);
        if (!holds) return holds.error();
        if (holds.value()) {
          taken = true;
          Result<bool> ran = run(inner);
          if (!ran) return ran.error();
        }
      } else if (!IsPunctToken(header.end - 1, ":")) {
        return Error{"", "write the body of `" + tokens_[header.begin].text + "` on its own lines, under it", header.line};
      }
      ++next;
    } while (next < blocks.size() &&
             (IsWord(tokens_[blocks[next].first.begin], "elif") || IsWord(tokens_[blocks[next].first.begin], "else")));
    return next;
  }

  Result<bool> RunInit(const std::vector<Statement>& body, int depth) {
    if (body.empty()) return true;
    if (depth > kMaxBlockDepth) return Error{"", "__init__: blocks nested too deeply to follow", body.front().line};
    const auto blocks = Blocks(body);
    for (std::size_t i = 0; i < blocks.size();) {
      const Statement& statement = blocks[i].first;
      const Token& first = tokens_[statement.begin];
      if (IsWord(first, "if")) {
        Result<std::size_t> next = RunChain(blocks, i, [&](const std::vector<Statement>& inner) {
          return RunInit(inner, depth + 1);
        });
        if (!next) return next.error();
        i = next.value();
        continue;
      }
      if (IsWord(first, "elif") || IsWord(first, "else")) {
        return Error{"", "`" + first.text + "` without its `if`", statement.line};
      }
      if (IsWord(first, "for") || IsWord(first, "while")) {
        return Error{"", "not supported yet: `" + first.text + "` in __init__ (layers made in a loop); write each layer "
                         "as self.name = nn.Layer(...), or list them in nn.ModuleList([...])", statement.line};
      }
      Result<bool> read = InitStatement(statement);
      if (!read) return read;
      ++i;
    }
    return true;
  }

  // One line of __init__: a module (self.conv1 = nn.Conv2d(...), self.downsample = None), or a
  // size kept for later lines (self.in_planes = 64, width = planes * 2); other lines make nothing.
  Result<bool> InitStatement(const Statement& statement) {
    const Token& first = tokens_[statement.begin];
    const bool assigns = first.kind == TokenKind::kName && IsPunctToken(statement.begin + 1, "=") &&
                         !IsPunctToken(statement.begin + 2, "=") && statement.begin + 2 < statement.end;
    if (!assigns) return true;  // super().__init__(), ...
    const bool member = first.text.rfind("self.", 0) == 0 && first.text.find('.', 5) == std::string::npos;
    const std::size_t value = statement.begin + 2;
    const Token& called = tokens_[value];
    if (member && called.kind == TokenKind::kName && IsPunctToken(value + 1, "(")) {
      const std::string name = first.text.substr(5);
      const std::string callee = LastPart(called.text);
      if (callee != "Sequential" && std::islower(static_cast<unsigned char>(callee[0]))) return true;
      ModuleDefinition module;
      module.line = statement.line;
      Result<std::size_t> read = ReadLayers(value, name, false, module);
      if (!read) return read.error();
      modules_[name] = std::move(module);
      return true;
    }
    ExprParser parser(tokens_, value, statement.end);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr || !parser.AtEnd()) return true;  // not a value the layers need
    if (member && expr.value().kind == Expr::Kind::kName) {
      const Value* named = parser_.Variable(expr.value().text);
      if (expr.value().text == "None" || (named != nullptr && named->kind == Value::Kind::kNone)) {
        ModuleDefinition none;
        none.line = statement.line;
        none.none = true;
        modules_[first.text.substr(5)] = std::move(none);
        return true;
      }
    }
    Result<Operand> size = Evaluate(expr.value());
    if (size && size.value().kind == Operand::Kind::kInteger) {
      Value number;
      number.kind = Value::Kind::kNumber;
      number.integral = true;
      number.number = static_cast<double>(size.value().integer);
      number.text = to_string(size.value().integer);
      parser_.Define(first.text, std::move(number));
    }
    return true;
  }

  Result<bool> RunForward(const std::vector<Statement>& body, int depth, bool& returned) {
    if (body.empty()) return true;
    if (depth > kMaxBlockDepth) return Error{"", "forward: blocks nested too deeply to follow", body.front().line};
    const auto blocks = Blocks(body);
    for (std::size_t i = 0; i < blocks.size() && !returned;) {
      const Statement& statement = blocks[i].first;
      const Token& first = tokens_[statement.begin];
      if (++lines_run_ > kMaxLinesRun) {
        return Error{"", "forward runs more than " + to_string(kMaxLinesRun) + " lines (loops inside loops?)",
                     statement.line};
      }
      if (IsWord(first, "if")) {
        Result<std::size_t> next = RunChain(blocks, i, [&](const std::vector<Statement>& inner) {
          return RunForward(inner, depth + 1, returned);
        });
        if (!next) return next.error();
        i = next.value();
        continue;
      }
      if (IsWord(first, "for")) {
        Result<bool> looped = RunLoop(statement, blocks[i].second, depth, returned);
        if (!looped) return looped;
        ++i;
        continue;
      }
      Result<bool> done = ForwardStatement(statement, returned);
      if (!done) return done;
      ++i;
    }
    return true;
  }

  // for layer in self.layers: the body once per item of the nn.ModuleList, `layer` standing for it.
  Result<bool> RunLoop(const Statement& header, const std::vector<Statement>& inner, int depth, bool& returned) {
    const std::size_t at = header.begin;
    const bool shape = at + 4 < header.end && tokens_[at + 1].kind == TokenKind::kName && IsWord(tokens_[at + 2], "in") &&
                       tokens_[at + 3].kind == TokenKind::kName && IsPunctToken(at + 4, ":") && at + 5 == header.end;
    const std::string over = shape ? tokens_[at + 3].text : "";
    const auto list = over.rfind("self.", 0) == 0 ? modules_.find(over.substr(5)) : modules_.end();
    if (!shape || list == modules_.end() || list->second.items.empty()) {
      return Error{"", "not supported yet: this `for` in forward; the tutor follows `for layer in self.layers:` over an "
                       "nn.ModuleList", header.line};
    }
    if (inner.empty()) return Error{"", "write the body of `for` on its own lines, under it", header.line};
    const std::vector<std::string> items = list->second.items;
    for (const std::string& item : items) {
      Operand module;
      module.kind = Operand::Kind::kModule;
      module.text = item;
      variables_[tokens_[at + 1].text] = ForwardVariable{module, header.line};
      Result<bool> ran = RunForward(inner, depth + 1, returned);
      if (!ran) return ran;
      if (returned) break;
    }
    return true;
  }

  // One simple line of forward.
  Result<bool> ForwardStatement(const Statement& statement, bool& returned) {
    const Token& first = tokens_[statement.begin];
    if (first.kind == TokenKind::kString) return true;  // a docstring
    constexpr const char* kFlow[] = {"elif", "else", "while", "with", "try", "except", "finally", "def"};
    if (first.kind == TokenKind::kName && OneOf(first.text, kFlow)) {
      return Error{"", "not supported yet: `" + first.text + "` in forward; the tutor follows if on sizes or on "
                       "self.layer is None, and for over an nn.ModuleList", statement.line};
    }
    constexpr const char* kHarmless[] = {"print", "assert", "pass", "breakpoint", "del"};
    if (first.kind == TokenKind::kName && OneOf(first.text, kHarmless)) return true;
    if (IsWord(first, "return")) {
      Result<Operand> value = EvaluateWhole(statement.begin + 1, statement);
      if (!value) return value.error();
      Result<bool> tensor = RequireTensor(value.value(), statement.line, "return");
      if (!tensor) return tensor;
      returned = true;
      return true;
    }
    const bool assignment = first.kind == TokenKind::kName && first.text.find('.') == std::string::npos;
    if (assignment && statement.begin + 1 < statement.end && tokens_[statement.begin + 1].kind == TokenKind::kPunct) {
      const std::string& next = tokens_[statement.begin + 1].text;
      if (next == ",") return Error{"", "not supported yet: assigning several values at once in forward", statement.line};
      if (IsPunctToken(statement.begin + 2, "=") && next != "=") return AugmentedAssignment(statement, next);
      if (next == "=" && !IsPunctToken(statement.begin + 2, "=")) {
        Result<Operand> value = EvaluateWhole(statement.begin + 2, statement);
        if (!value) return value.error();
        variables_[first.text] = ForwardVariable{value.value(), statement.line};
        return true;
      }
    }
    Result<Operand> value = EvaluateWhole(statement.begin, statement);
    if (!value) return value.error();
    return true;
  }

  // out += identity (and -=, *=): a merge of the two tensors, named out again.
  Result<bool> AugmentedAssignment(const Statement& statement, const std::string& op) {
    const std::string& name = tokens_[statement.begin].text;
    const std::string kind = MergeKind(op);
    const auto target = variables_.find(name);
    if (kind.empty() || target == variables_.end() || target->second.value.kind != Operand::Kind::kTensor) {
      return Error{"", "not supported yet: " + name + " " + op + "= ... in forward (the tutor follows +=, -= and *= "
                       "of two tensors)", statement.line};
    }
    Result<Operand> other = EvaluateWhole(statement.begin + 3, statement);
    if (!other) return other.error();
    Result<bool> tensor = RequireTensor(other.value(), statement.line, name + " " + op + "=");
    if (!tensor) return tensor;
    Call call;
    const std::size_t start = tokens_[statement.begin].offset;
    const Token& last = tokens_[statement.end - 1];
    call.source = std::string(text_.substr(start, last.offset + last.text.size() - start));
    call.name = call.source;
    call.line = statement.line;
    Result<Operand> merged = AddMerge(call, kind, {target->second.value.row, other.value().row}, 0);
    if (!merged) return merged.error();
    variables_[name] = ForwardVariable{merged.value(), statement.line};
    return true;
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
    if (called == "ModuleList" && !in_sequential && IsPunctToken(at + 2, "[")) return ReadModuleList(at, name, module);
    if (called == "ModuleList" || called == "ModuleDict") {
      return Error{"", "not supported yet: nn." + called + " written this way; the tutor follows "
                       "nn.ModuleList([nn.Layer(...), ...]) with the layers written out", callee.line};
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

  // self.<name> = nn.ModuleList([a, b, ...]): each item a module of its own, "<name>[i]".
  Result<std::size_t> ReadModuleList(std::size_t at, const std::string& name, ModuleDefinition& list) {
    std::size_t position = at + 3;
    while (!IsPunctToken(position, "]")) {
      if (IsWord(tokens_[position], "for")) {
        return Error{"", "not supported yet: a loop inside nn.ModuleList([...]); write the layers out",
                     tokens_[position].line};
      }
      const bool layer = tokens_[position].kind == TokenKind::kName && IsPunctToken(position + 1, "(");
      if (!layer) {
        return Error{"", "nn.ModuleList: expected layers such as nn.Conv2d(...), got \"" + tokens_[position].text + "\"",
                     tokens_[position].line};
      }
      const std::string item = name + "[" + to_string(list.items.size()) + "]";
      ModuleDefinition module;
      module.line = tokens_[position].line;
      Result<std::size_t> next = ReadLayers(position, item, false, module);
      if (!next) return next;
      modules_[item] = std::move(module);
      list.items.push_back(item);
      position = next.value();
      if (IsPunctToken(position, ",")) ++position;
    }
    if (!IsPunctToken(position + 1, ")")) return Error{"", "nn.ModuleList([...]) is not closed", tokens_[at].line};
    return position + 2;
  }

  static Operand Tensor(int row) {
    Operand tensor;
    tensor.kind = Operand::Kind::kTensor;
    tensor.row = row;
    return tensor;
  }

  static Operand Integer(std::int64_t value) {
    Operand integer;
    integer.kind = Operand::Kind::kInteger;
    integer.integer = value;
    return integer;
  }

  static Result<bool> RequireTensor(const Operand& operand, int line, const std::string& what) {
    if (operand.kind != Operand::Kind::kTensor) {
      return Error{"", what + ": expected a tensor here, got " +
                           (operand.text.empty() ? std::string("a number") : "\"" + operand.text + "\""), line};
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
        return Error{"", "not supported yet: `... if ... else ...` in forward; write it as an if block", statement.line};
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
        if (variable != variables_.end()) return variable->second.value;
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
          return Error{"", "not supported yet: arithmetic on a tensor (" + SourceOf(expr) + ")", expr.line};
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
      case Expr::Kind::kNot:
      case Expr::Kind::kString:
      case Expr::Kind::kTuple:
        break;
    }
    Operand other;
    other.text = SourceOf(expr);
    return other;
  }

  Result<Operand> EvaluateBinary(const Expr& expr) {
    Result<Operand> left = Evaluate(expr.parts[0]);
    if (!left) return left;
    Result<Operand> right = Evaluate(expr.parts[1]);
    if (!right) return right;
    const bool left_tensor = left.value().kind == Operand::Kind::kTensor;
    const bool right_tensor = right.value().kind == Operand::Kind::kTensor;
    if (left_tensor && right_tensor && !MergeKind(expr.text).empty()) {
      return AddMerge(RowCall(expr, SourceOf(expr)), MergeKind(expr.text), {left.value().row, right.value().row}, 0);
    }
    if (left_tensor || right_tensor) {
      return Error{"", "not supported yet: " + SourceOf(expr) + " in forward (the tutor follows +, - and * of two "
                       "tensors, torch.cat and the layers)", expr.line};
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
    const std::vector<int> shape = builder_.ShapeOf(tensor.row);
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
    if (callee.kind == Expr::Kind::kIndex && callee.parts[0].kind == Expr::Kind::kName &&
        callee.parts[0].text.rfind("self.", 0) == 0) {  // self.layers[0](x)
      Result<Operand> index = Evaluate(callee.parts[1]);
      if (!index) return index;
      const auto list = modules_.find(callee.parts[0].text.substr(5));
      const bool item = list != modules_.end() && index.value().kind == Operand::Kind::kInteger &&
                        index.value().integer >= 0 &&
                        index.value().integer < static_cast<std::int64_t>(list->second.items.size());
      if (!item) return Error{"", SourceOf(callee) + " is not an item of an nn.ModuleList made in __init__", expr.line};
      return ApplyModule(list->second.items[static_cast<std::size_t>(index.value().integer)], expr);
    }
    if (callee.kind != Expr::Kind::kName) return Error{"", "forward: cannot follow " + SourceOf(expr), expr.line};
    const std::string& name = callee.text;
    if (name.rfind("self.", 0) == 0 && name.find('.', 5) == std::string::npos) return ApplyModule(name.substr(5), expr);
    const auto bound = variables_.find(name);
    if (bound != variables_.end() && bound->second.value.kind == Operand::Kind::kModule) {
      return ApplyModule(bound->second.value.text, expr);  // layer(x) in for layer in self.layers
    }
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

  // The call a row shows: the expression as written; `name` names it in messages (the callee's
  // last part by default).
  Call RowCall(const Expr& expr, const std::string& name = "") const {
    Call call;
    call.name = name.empty() ? LastPart(SourceOf(expr.parts[0])) : name;
    call.line = expr.line;
    call.source = SourceOf(expr);
    return call;
  }

  Result<Operand> AddRow(const Call& call, const std::string& kind, const Operand& input) {
    Result<int> added = builder_.AddLayer(call, kind, input.row);
    if (!added) return added.error();
    return Tensor(added.value());
  }

  Result<Operand> AddMerge(const Call& call, const std::string& kind, const std::vector<int>& rows, int axis) {
    Result<int> added = builder_.AddMerge(call, kind, rows, axis);
    if (!added) return added.error();
    return Tensor(added.value());
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
    if (module.none) {
      return Error{"", "self." + name + " is None here (set on line " + to_string(module.line) + "); call it under "
                       "`if self." + name + " is not None:`", expr.line};
    }
    if (!module.items.empty()) {
      return Error{"", "self." + name + " is an nn.ModuleList: call its layers, e.g. for layer in self." + name +
                       ": x = layer(x)", expr.line};
    }
    const int start = builder_.LastRow() + 1;
    int row = input.value().row;
    for (std::size_t k = 0; k < module.calls.size(); ++k) {
      Result<int> added = builder_.AddLayer(module.calls[k], module.kinds[k], row);
      if (!added) {
        Error error = added.error();
        if (error.line != expr.line) error.message += " (self." + name + " is called on line " + to_string(expr.line) + ")";
        return error;
      }
      row = added.value();
      builder_.Row(row).source = module.sources[k];
      if (module.first_row >= 0) builder_.ShareParameters(row, module.first_row + static_cast<int>(k), "self." + name);
    }
    if (module.calls.empty()) return input;
    if (module.first_row < 0) module.first_row = start;
    return Tensor(row);
  }

  Result<Operand> ApplyFunction(const std::string& name, const Expr& expr) {
    const std::string function = FunctionName(name);
    if (OneOf(function, kConcatenating)) return Concatenate(name, expr);
    if (!MergeKind(function).empty()) return ElementwiseFunction(name, MergeKind(function), expr);
    if (OneOf(function, kUnfollowedJoins)) {
      return Error{"", "not supported yet: " + name + " in forward (the tutor follows torch.cat, torch.add, torch.mul, "
                       "+, - and *)", expr.line};
    }
    const bool known = OneOf(function, kActivationFunctions) || OneOf(function, kDropoutFunctions) ||
                       function == "max_pool2d" || function == "avg_pool2d" || function == "adaptive_avg_pool2d" ||
                       function == "adaptive_max_pool2d" || function == "flatten" || function == "reshape";
    if (!known) {
      return Error{"", "forward: " + name + "(...) is not understood; understood: self.<layer>(x), F.relu and other "
                       "activations, F.max_pool2d, F.avg_pool2d, F.adaptive_avg_pool2d, F.dropout, torch.flatten, "
                       "x.view, x.reshape, torch.cat, torch.add, torch.mul, +, - and *", expr.line};
    }
    const std::size_t tensor_at = TensorArgument(expr);
    if (tensor_at == 0) return Error{"", name + "(...): expected the tensor as its first argument", expr.line};
    Result<Operand> input = Evaluate(expr.parts[tensor_at]);
    if (!input) return input;
    Result<bool> current = RequireTensor(input.value(), expr.line, name);
    if (!current) return current.error();
    if (OneOf(function, kActivationFunctions)) return AddRow(RowCall(expr), "Activation", input.value());
    if (OneOf(function, kDropoutFunctions)) return AddRow(RowCall(expr), "Dropout", input.value());
    if (function == "flatten") return Flatten(expr, 1, input.value());
    if (function == "reshape") {
      const Expr* shape = ArgumentAt(expr, 1, "shape");
      if (shape == nullptr) return Error{"", name + "(x, shape): needs the new shape", expr.line};
      return Reshape(shape->kind == Expr::Kind::kTuple ? shape->parts : std::vector<Expr>{*shape}, expr, input.value());
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
    return AddRow(call, kind, input.value());
  }

  // torch.cat([a, b], 1), torch.cat((a, b), dim=1): the tensors joined along dim (0, the batch, is
  // not followed).
  Result<Operand> Concatenate(const std::string& name, const Expr& expr) {
    const Expr* listed = ArgumentAt(expr, 0, "tensors");
    if (listed == nullptr || listed->kind != Expr::Kind::kTuple) {
      return Error{"", name + "(...): expected a list of tensors, as in " + name + "([a, b], dim=1)", expr.line};
    }
    std::vector<int> rows;
    for (const Expr& item : listed->parts) {
      Result<Operand> tensor = Evaluate(item);
      if (!tensor) return tensor;
      Result<bool> checked = RequireTensor(tensor.value(), item.line, name);
      if (!checked) return checked.error();
      rows.push_back(tensor.value().row);
    }
    const Expr* dim = ArgumentAt(expr, 1, "dim");
    Result<Operand> axis = dim == nullptr ? Result<Operand>(Integer(0)) : Evaluate(*dim);
    if (!axis) return axis;
    if (axis.value().kind != Operand::Kind::kInteger || axis.value().integer == 0) {
      return Error{"", name + " along dim " + (dim == nullptr ? std::string("0 (the default)") : SourceOf(*dim)) +
                       " joins the samples of the batch; the tutor follows dim=1 (channels) and the other axes of one "
                       "sample", expr.line};
    }
    if (axis.value().integer < -4 || axis.value().integer > 3) {
      return Error{"", name + ": dim " + SourceOf(*dim) + " is not an axis of (batch, C, H, W)", expr.line};
    }
    return AddMerge(RowCall(expr, name), "Concatenate", rows, static_cast<int>(axis.value().integer));
  }

  // torch.add(a, b), torch.mul(a, b), torch.sub(a, b): a merge of two tensors.
  Result<Operand> ElementwiseFunction(const std::string& name, const std::string& kind, const Expr& expr) {
    const Expr* first = ArgumentAt(expr, 0, "input");
    const Expr* second = ArgumentAt(expr, 1, "other");
    if (first == nullptr || second == nullptr) return Error{"", name + "(a, b): needs two tensors", expr.line};
    std::vector<int> rows;
    for (const Expr* side : {first, second}) {
      Result<Operand> tensor = Evaluate(*side);
      if (!tensor) return tensor;
      Result<bool> checked = RequireTensor(tensor.value(), expr.line, name);
      if (!checked) return checked.error();
      rows.push_back(tensor.value().row);
    }
    return AddMerge(RowCall(expr, name), kind, rows, 0);
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
      return Reshape(arguments, expr, object);
    }
    if (method == "flatten") return Flatten(expr, 0, object);
    if (OneOf(method, kActivationFunctions)) return AddRow(RowCall(expr), "Activation", object);
    constexpr const char* kSameValues[] = {"contiguous", "clone", "float", "detach"};
    if (OneOf(method, kSameValues)) return object;
    return Error{"", "not supported yet: ." + method + "(...) on a tensor in forward", expr.line};
  }

  // torch.flatten(x, 1) and x.flatten(1) keep the batch and flatten the rest; start_dim is the
  // argument at `start_position`.
  Result<Operand> Flatten(const Expr& expr, std::size_t start_position, const Operand& input) {
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
    return AddRow(RowCall(expr), "Flatten", input);
  }

  // x.view(-1, 400), x.view(x.size(0), -1), x.reshape(-1, 1, 28, 28): the batch first, then either
  // one size (flat) or channels, height, width. The values per sample must stay the same.
  Result<Operand> Reshape(const std::vector<Expr>& arguments, const Expr& expr, const Operand& input) {
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
    const std::vector<int> shape = builder_.ShapeOf(input.row);
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
    if (target.size() == 1) return AddRow(RowCall(expr), "Flatten", input);
    if (target.size() == 3) return Tensor(builder_.AddReshape(RowCall(expr), input.row, target));
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
  int lines_run_ = 0;
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
  // Outside the class: sizes named for later (num_classes = 10), the inputs (one per tensor forward
  // takes, in order) and the model made with its sizes (model = Block(64, 128, stride=2)).
  const std::string class_name = tokens[statements[model_class].begin + 1].text;
  std::vector<int> inputs;
  std::optional<Call> made;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (i >= model_class && i < class_end) continue;
    parser.Seek(statements[i].begin);
    if (parser.TryAssignment()) continue;
    for (std::size_t t = statements[i].begin; t + 1 < statements[i].end; ++t) {
      const std::string name = LastPart(tokens[t].text);
      const bool call = tokens[t].kind == TokenKind::kName && tokens[t + 1].kind == TokenKind::kPunct &&
                        tokens[t + 1].text == "(";
      const bool input = call && (name == "Input" || name == "randn" || name == "rand");
      if (!input && !(call && tokens[t].text == class_name && !made)) continue;
      parser.Seek(t);
      Result<Call> parsed = parser.ParseCall();
      if (!parsed) return parsed.error();
      if (!input) {
        made = parsed.value();
        break;
      }
      Result<int> added = builder.AddInput(parsed.value());
      if (!added) return added.error();
      inputs.push_back(added.value());
      break;
    }
  }
  if (inputs.empty()) {
    return Error{"", "the model needs its input's shape: add Input(channels, height, width) or "
                     "x = torch.randn(1, channels, height, width) outside the class", statements[model_class].line};
  }
  ModuleReader reader(text, tokens, parser, builder);
  for (std::size_t i = model_class + 1; i < class_end; ++i) {
    const Statement& statement = statements[i];
    if (statement.indent != statements[model_class + 1].indent) continue;
    if (!IsWord(tokens[statement.begin], "def")) {
      // expansion = 1 in the class body: also self.expansion in its methods.
      parser.Seek(statement.begin);
      const std::string& name = tokens[statement.begin].text;
      if (parser.TryAssignment() && parser.Variable(name) != nullptr) parser.Define("self." + name, *parser.Variable(name));
      continue;
    }
    const Token& function = tokens[statement.begin + 1];
    if (function.text == "__init__") {
      Result<bool> read = reader.ReadInit(statement, BodyOf(statements, i), made ? &*made : nullptr);
      if (!read) return read.error();
    } else if (function.kind == TokenKind::kName) {
      reader.AddMethod(function.text);
    }
  }
  Result<bool> followed = reader.ReadForward(statements[forward], BodyOf(statements, forward), inputs);
  if (!followed) return followed.error();
  Result<bool> all_called = reader.CheckEveryWeightedLayerIsCalled();
  if (!all_called) return all_called.error();
  return builder.Finish(first_line);
}

}  // namespace convtutor::lessons::reading
