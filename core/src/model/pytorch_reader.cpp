// Models written as classes: PyTorch's class Net(nn.Module), whose __init__ makes the layers
// (self.conv1 = nn.Conv2d(...), nn.Sequential(...) expanded in place, blocks of the text's own
// classes, layers a method makes in a loop) and whose forward says the order they run, read as small
// expressions that carry the tensor (self.pool(F.relu(self.conv1(x)))), with the functions between
// them (F.max_pool2d, torch.flatten, x.view, ...); and Keras's tf.keras.Model subclasses, the same
// with call() for forward. The input comes from Input(...), torch.randn(1, C, H, W) or
// model.build((None, H, W, C)) outside the classes.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
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
#include "model/torchvision_blocks.h"

namespace convtutor::lessons::reading {
namespace {

using std::to_string;

struct ModuleInstance;

// A layer, or an nn.Sequential of layers, made in __init__ as self.<name> = ...; None
// (self.downsample = None), or an nn.ModuleList whose items are modules of their own ("layers[0]").
// A step may be a module of one of the text's own classes (self.block1 = ConvBlock(3, 32)): its
// kind is then "" and its instance runs its own forward.
struct ModuleDefinition {
  int line = 0;
  std::vector<Call> calls;
  std::vector<std::string> kinds;
  std::vector<std::string> sources;  // shown with each row: "self.conv1 = nn.Conv2d(3, 6, 5)"
  std::vector<std::shared_ptr<ModuleInstance>> instances;  // per step: the class's module, or null for a layer
  int first_row = -1;                // the row of its first call in forward, where its parameters count
  std::vector<int> first_rows;       // per step, the row its first call made (a layer's parameters count there)
  bool none = false;                 // self.name = None
  std::vector<std::string> items;    // nn.ModuleList: the items' names, in order
};

// The text's classes (class Block(nn.Module)), each with where its lines are, and the values named
// outside them (num_classes = 10), which every class's methods see.
struct ModelClass {
  std::size_t statement = 0;  // the class line, in the statements
  std::size_t end = 0;        // one past its body
  std::size_t init = 0;       // its __init__, or 0 when it has none
  std::size_t forward = 0;    // its forward, or 0
  std::map<std::string, std::size_t> methods;  // its other functions (_make_layer), by name
  std::map<std::string, Value> attributes;     // sizes named in its body (expansion = 1)
  std::string base;                            // class Bottleneck2(Bottleneck): the class it inherits from
};
// A function of the text outside its classes (def conv3x3(...), def resnet18(...)): where its lines are.
struct TextFunction {
  std::size_t statement = 0;  // the def line, in the statements
  std::size_t end = 0;        // one past its body
};

// A module a method or function made under a name of its own (downsample = nn.Sequential(...)),
// until a block keeps it (self.downsample = downsample) or it is returned: its rows' sources
// start with `prefix` ("self.downsample"), renamed where it is kept.
struct HandedModule {
  ModuleDefinition module;
  std::string prefix;
};

struct ClassTable {
  const std::vector<Statement>& statements;
  std::map<std::string, ModelClass> classes;
  std::map<std::string, TextFunction> functions;
  CallParser globals;
  int instances = 0;  // made so far, all classes together (a class that makes itself stops at the limit)
  int lines_run = 0;  // lines of every __init__, method, function and forward run so far, loops unrolled
  int function_calls = 0;  // calls of methods (_make_layer) and functions (conv3x3) so far, all modules together
  int call_depth = 0;      // methods and functions running inside one another now
  std::vector<HandedModule> handed_modules{};  // by Value::module
  bool keras = false;  // tf.keras.Model subclasses: call() for forward, Keras layers, (H, W, C) shapes
};

// What a method or function returns: layers (nn.Sequential(*layers), nn.Conv2d(...)), or a value.
struct Returned {
  ModuleDefinition layers;
  std::optional<Value> value;
  int line = 0;  // the return's line
};

// What an expression in forward stands for.
struct Operand {
  enum class Kind { kTensor, kList, kRegrouped, kInteger, kBatch, kModule, kOther };
  Kind kind = Kind::kOther;
  int row = 0;               // kTensor: the summary row that made it
  std::vector<int> rows;     // kList: a list of tensors (features = [x]), the rows that made them
  std::vector<int> sizes;    // kRegrouped: row `row`'s values viewed with more axes (ShuffleNet's
                             // x.view(b, groups, c // groups, h, w)), each sample's sizes; no row of its own
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
  constexpr const char* kPrefixes[] = {"torch.nn.functional.", "nn.functional.", "functional.", "F.", "torch.",
                                       "tf.nn.", "tf.math.", "tf.keras.activations.", "keras.activations.", "tf."};
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
constexpr int kMaxLinesRun = 100000;  // lines run, all modules together, loops unrolled: loops in loops end here
constexpr int kMaxRows = 20000;       // rows of the summary (a ResNet-152 has about 500)
constexpr int kMaxModuleDepth = 16;   // modules inside modules (a ResNet's are 3 deep)
constexpr int kMaxInstances = 2000;   // modules of the text's own classes made, all together
constexpr int kMaxFunctionCalls = 1000;  // calls of methods and functions (torchvision's ResNet-50 makes about 60)
constexpr int kMaxCallDepth = 32;        // methods and functions running inside one another (a function calling itself)

class ModuleReader {
 public:
  // `path`: where this module sits in the model ("" for the model itself, "layer1[0]." for a
  // block inside it), shown with its rows; `depth`: how many modules hold it.
  ModuleReader(std::string_view text, const std::vector<Token>& tokens, CallParser& parser, ModelBuilder& builder,
               ClassTable& classes, std::string path = "", int depth = 0)
      : text_(text), tokens_(tokens), parser_(parser), builder_(builder), classes_(classes), path_(std::move(path)),
        depth_(depth) {}

  // Reads the class's body for a module made by `made` (nullptr: made with its defaults): sizes
  // named in the class (expansion = 1, also self.expansion), then its __init__.
  Result<bool> ReadClass(const ModelClass& model_class, const Call* made) {
    Result<bool> own = CheckNotInherited(model_class);
    if (!own) return own;
    model_class_ = &model_class;
    const std::vector<Statement>& statements = classes_.statements;
    const std::size_t first = model_class.statement + 1;
    for (std::size_t i = first; i < model_class.end; ++i) {
      const Statement& statement = statements[i];
      if (statement.indent != statements[first].indent) continue;
      if (!IsWord(tokens_[statement.begin], "def")) {
        parser_.Seek(statement.begin);
        const std::string& name = tokens_[statement.begin].text;
        if (parser_.TryAssignment() && parser_.Variable(name) != nullptr) parser_.Define("self." + name, *parser_.Variable(name));
        continue;
      }
      const Token& function = tokens_[statement.begin + 1];
      if (function.kind == TokenKind::kName && function.text != "__init__" && function.text != "forward") {
        AddMethod(function.text);
      }
    }
    if (model_class.init == 0) return true;
    return ReadInit(statements[model_class.init], BodyOf(statements, model_class.init), made);
  }

  // This module called on the tensors of `rows` by the module holding it: its forward runs
  // again on them (its layers' parameters counted once, at the first call); the tensor it returns.
  Result<Operand> CallForward(const ModelClass& model_class, const std::vector<Operand>& inputs) {
    const std::vector<Statement>& statements = classes_.statements;
    variables_.clear();
    if (model_class.forward == 0) return RunInOrder(model_class, inputs);
    Result<bool> ran = ReadForward(statements[model_class.forward], BodyOf(statements, model_class.forward), inputs);
    if (!ran) return ran.error();
    return returned_;
  }

  // __init__(self, ...): its parameters take the values the model is made with (model = Block(64,
  // 128, stride=2) after the class, `made`) or their defaults; then its body runs: self.<name> =
  // nn.Layer(...), nn.Sequential(...), nn.ModuleList([...]) or None, sizes (self.in_planes = 64), and
  // `if` on sizes (if stride != 1 or in_planes != planes:).
  Result<bool> ReadInit(const Statement& signature, const std::vector<Statement>& body, const Call* made) {
    Result<bool> bound = BindParameters(signature, made, made == nullptr ? "" : made->name, "__init__");
    if (!bound) return bound;
    return RunInit(body, 0, nullptr);
  }

  // The parameters of `signature` (self left out) get the values `call` gives them, by position or
  // by name, else their defaults (one without either stays unknown); *args gets the values by
  // position no parameter takes, as a tuple, and **kwargs the named ones, as a dict. `callee` and
  // `what` name the call and the function in the message when it gives too many values.
  Result<bool> BindParameters(const Statement& signature, const Call* call, const std::string& callee,
                              const std::string& what) {
    std::vector<std::pair<std::string, std::size_t>> parameters = Parameters(signature);
    if (!parameters.empty() && parameters[0].first == "self") parameters.erase(parameters.begin());
    const std::string collector = KeywordCollector(signature);
    const std::string positional_collector = PositionalCollector(signature);
    Value extra;
    extra.kind = Value::Kind::kDict;
    extra.text = collector;
    Value extra_positional;
    extra_positional.kind = Value::Kind::kTuple;
    extra_positional.text = positional_collector;
    std::map<std::string, Value> given;
    std::size_t positional = 0;
    for (const Argument& argument : call == nullptr ? std::vector<Argument>{} : call->arguments) {
      const bool taken = std::any_of(parameters.begin(), parameters.end(),
                                     [&](const auto& parameter) { return parameter.first == argument.keyword; });
      if (!argument.keyword.empty() && !taken && !collector.empty()) {
        Value key;
        key.kind = Value::Kind::kString;
        key.text = argument.keyword;
        extra.keys.push_back(std::move(key));
        extra.items.push_back(argument.value);
      } else if (!argument.keyword.empty()) {
        given[argument.keyword] = argument.value;
      } else if (positional < parameters.size()) {
        given[parameters[positional++].first] = argument.value;
      } else if (!positional_collector.empty()) {
        extra_positional.items.push_back(argument.value);
      } else {
        return Error{"", callee + "(...): more values than " + what + " takes (" + to_string(parameters.size()) + ")",
                     argument.line};
      }
    }
    for (const auto& [name, default_at] : parameters) {
      const auto value = given.find(name);
      if (value != given.end()) {
        DefineValue(name, value->second);
      } else if (default_at > 0) {
        DefineValue(name, DefaultAt(default_at, signature));
      }
    }
    if (!collector.empty()) DefineValue(collector, extra);
    if (!positional_collector.empty()) DefineValue(positional_collector, extra_positional);
    return true;
  }

  // The name after a single * in a signature (*args), or "" (also for a bare *, before keyword-only parameters).
  std::string PositionalCollector(const Statement& signature) const {
    for (std::size_t i = signature.begin + 1; i + 1 < signature.end; ++i) {
      const bool single = IsPunctToken(i, "*") && (IsPunctToken(i - 1, "(") || IsPunctToken(i - 1, ","));
      if (single && tokens_[i + 1].kind == TokenKind::kName) return tokens_[i + 1].text;
    }
    return "";
  }

  // The name after ** in a signature (**kwargs), or "".
  std::string KeywordCollector(const Statement& signature) const {
    for (std::size_t i = signature.begin; i + 2 < signature.end; ++i) {
      if (IsPunctToken(i, "*") && IsPunctToken(i + 1, "*") && tokens_[i + 2].kind == TokenKind::kName) {
        return tokens_[i + 2].text;
      }
    }
    return "";
  }

  // forward(self, x, ...): one Input row per tensor parameter, in order (`inputs`); its body runs,
  // each line naming a tensor (x = ...), merging two (out += identity), branching on the model
  // (if self.downsample is not None:), looping over an nn.ModuleList, or returning the result.
  Result<bool> ReadForward(const Statement& signature, const std::vector<Statement>& body,
                           const std::vector<Operand>& inputs) {
    std::vector<std::pair<std::string, std::size_t>> all = Parameters(signature);
    if (!all.empty()) all.erase(all.begin());  // self
    // A parameter with a default (training=False, mask=None) is a value, not a tensor.
    std::vector<std::pair<std::string, std::size_t>> parameters;
    for (const auto& parameter : all) {
      if (parameter.second > 0) {
        DefineValue(parameter.first, DefaultAt(parameter.second, signature));
      } else {
        parameters.push_back(parameter);
      }
    }
    if (parameters.size() != inputs.size()) {
      std::string names;
      for (const auto& parameter : parameters) names += (names.empty() ? "" : ", ") + parameter.first;
      return Error{"", "forward takes " + to_string(parameters.size()) + " tensor" + (parameters.size() == 1 ? "" : "s") +
                       " (" + names + ") but the text gives " + to_string(inputs.size()) + " Input(...) line" +
                       (inputs.size() == 1 ? "" : "s") + "; give one Input(C, H, W) per tensor, in order",
                   signature.line};
    }
    for (std::size_t i = 0; i < parameters.size(); ++i) {
      variables_[parameters[i].first] = ForwardVariable{inputs[i], signature.line};
    }
    bool returned = false;
    Result<bool> ran = RunForward(body, 0, returned);
    if (!ran) return ran;
    if (!returned) return Error{"", "forward never returns the tensor", signature.line};
    return true;
  }

  void AddMethod(const std::string& name) { methods_.insert(name); }

  // A class made as an nn.Sequential without a forward of its own (class Transition(nn.Sequential)):
  // its modules run one after another, in the order __init__ made them.
  Result<Operand> RunInOrder(const ModelClass& model_class, const std::vector<Operand>& inputs) {
    const int line = classes_.statements[model_class.statement].line;
    if (inputs.size() != 1 || inputs[0].kind != Operand::Kind::kTensor) {
      return Error{"", "an nn.Sequential class takes one tensor", line};
    }
    Expr where;
    where.line = line;
    Operand current = inputs[0];
    for (const std::string& name : module_order_) {
      ModuleDefinition& module = modules_.at(name);
      if (module.none) continue;
      Result<Operand> output = RunModule(name, module, current, where);
      if (!output) return output;
      current = output.value();
    }
    return current;
  }

  // class Bottleneck2(Bottleneck): what a class takes from another of the text's is not followed yet.
  Result<bool> CheckNotInherited(const ModelClass& model_class) const {
    if (classes_.classes.count(model_class.base) == 0) return true;
    const Statement& header = classes_.statements[model_class.statement];
    return Error{"", "not supported yet: class " + tokens_[header.begin + 1].text + " inherits from " + model_class.base +
                     ", a class of the text; write its layers in a class of its own, class ...(nn.Module)", header.line};
  }

  // model = resnet18() at `at` (the function's name; on its def line when the text's only model
  // function is read with its defaults): the function runs, and the model of one of the text's
  // classes it returns runs its forward on the inputs, its rows named as the model's own (conv1, layer1[0].conv1).
  Result<bool> ReadModelMadeBy(std::size_t at, const std::vector<int>& inputs) {
    const std::string function = tokens_[at].text;
    const std::size_t signature = classes_.functions.at(function).statement;
    Call defaults;
    defaults.name = function;
    defaults.line = tokens_[at].line;
    Result<Returned> made = at == classes_.statements[signature].begin + 1 ? RunFunctionWith(defaults, signature, function)
                                                                           : RunFunction(at, signature, function);
    if (!made) return made.error();
    const ModuleDefinition& model = made.value().layers;
    if (model.calls.size() != 1 || model.instances[0] == nullptr) {
      const std::string what = model.calls.empty() ? (made.value().value ? Describe(*made.value().value) : "nothing")
                                                   : "layers";
      return Error{"", function + "() returns " + what + ", not a model of one of the text's classes (the tutor reads "
                       "model = " + function + "() when it returns one, as return ResNet(...) does)", tokens_[at].line};
    }
    ModuleInstance& instance = *model.instances[0];
    Repath(instance, ListNameOf(model) + ".", "");
    return RunMadeModel(instance, inputs);
  }
  Result<bool> RunMadeModel(ModuleInstance& instance, const std::vector<int>& inputs);

  static std::vector<Operand> Tensors(const std::vector<int>& rows) {
    std::vector<Operand> tensors;
    for (const int row : rows) tensors.push_back(Tensor(row));
    return tensors;
  }

  // Values named outside the classes that CallParser leaves (cfg = {'VGG11': [64, 'M', ...]},
  // lists with strings): every class's methods see them (`globals`).
  void ReadOutsideValue(const Statement& statement, CallParser& globals) {
    const Token& first = tokens_[statement.begin];
    const std::size_t equals = EqualsOf(statement);
    const bool assigns = first.kind == TokenKind::kName && first.text.find('.') == std::string::npos &&
                         IsPunctToken(equals, "=") && !IsPunctToken(equals + 1, "=");
    if (!assigns || parser_.Variable(first.text) != nullptr) return;
    ExprParser parser(tokens_, equals + 1, statement.end);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr || !parser.AtEnd()) return;
    Result<Value> value = EvaluateValue(expr.value());
    if (!value) return;
    const Value::Kind kind = value.value().kind;
    if (kind != Value::Kind::kDict && kind != Value::Kind::kTuple && kind != Value::Kind::kString) return;
    parser_.Define(first.text, value.value());
    globals.Define(first.text, value.value());
  }

  // A layer with parameters that forward never calls would still count in PyTorch's total.
  // Modules of the text's own classes count as weighted; those called are checked inside too.
  // (Keras builds, and counts, only the layers call() uses.)
  Result<bool> CheckEveryWeightedLayerIsCalled() const {
    if (classes_.keras) return true;
    const ModuleDefinition* unused = nullptr;
    std::string unused_name;
    for (const auto& [name, module] : modules_) {
      Result<bool> inside = CheckOwnModulesCalled(module);
      if (!inside) return inside;
      const bool weighted = std::any_of(module.kinds.begin(), module.kinds.end(), [](const std::string& kind) {
        return kind.empty() || kind == "Conv2d" || kind == "ConvTranspose2d" || kind == "Linear" || kind == "BatchNorm2d";
      });
      if (weighted && module.first_row < 0 && (unused == nullptr || module.line < unused->line)) {
        unused = &module;
        unused_name = name;
      }
    }
    if (unused == nullptr) return true;
    return Error{"", "self." + path_ + unused_name + " is made in __init__ but forward never calls it: PyTorch would "
                     "still count its parameters, in no row; call it or remove it", unused->line};
  }
  Result<bool> CheckOwnModulesCalled(const ModuleDefinition& module) const;

 private:
  bool IsPunctToken(std::size_t at, const char* text) const {
    return at < tokens_.size() && tokens_[at].kind == TokenKind::kPunct && tokens_[at].text == text;
  }

  // The `=` of "name = value", or of "name: Type = value" (layers: List[nn.Module] = []), where the
  // type changes nothing; the token after the name when the statement is no such assignment.
  std::size_t EqualsOf(const Statement& statement) {
    const std::size_t after_name = statement.begin + 1;
    if (!IsPunctToken(after_name, ":")) return after_name;
    parser_.Seek(after_name);
    parser_.SkipAnnotation();
    const bool typed = parser_.Position() < statement.end && parser_.IsPunct("=");
    return typed ? parser_.Position() : after_name;
  }

  // A function's parameters, each with the token of its default value (0 when it has none).
  // A type written after a parameter (num_classes: int = 1000) is stepped over.
  std::vector<std::pair<std::string, std::size_t>> Parameters(const Statement& signature) const {
    std::vector<std::pair<std::string, std::size_t>> parameters;
    int depth = 0;
    for (std::size_t i = signature.begin; i < signature.end; ++i) {
      if (IsPunctToken(i, "(") || IsPunctToken(i, "[")) ++depth;
      if (IsPunctToken(i, ")") || IsPunctToken(i, "]")) --depth;
      if (depth == 1 && tokens_[i].kind == TokenKind::kName && (IsPunctToken(i - 1, "(") || IsPunctToken(i - 1, ","))) {
        std::size_t after = i + 1;
        if (IsPunctToken(after, ":")) {
          int inner = 0;
          for (; after < signature.end; ++after) {
            if (IsPunctToken(after, "(") || IsPunctToken(after, "[")) ++inner;
            if (IsPunctToken(after, ")") || IsPunctToken(after, "]")) {
              if (inner == 0) break;
              --inner;
            }
            if (inner == 0 && (IsPunctToken(after, ",") || IsPunctToken(after, "="))) break;
          }
        }
        parameters.emplace_back(tokens_[i].text, IsPunctToken(after, "=") ? after + 1 : 0);
      }
    }
    return parameters;
  }

  // A default value as written (a number, None, True, False, a tuple of numbers, a size named
  // earlier), read up to the , or ) after it; a default it cannot know stays as text.
  Value DefaultAt(std::size_t at, const Statement& signature) {
    ExprParser parser(tokens_, at, signature.end);
    Result<Expr> expr = parser.ParseExpression();
    Value unknown;
    unknown.text = tokens_[at].text;
    if (!expr) return unknown;
    Result<Value> value = EvaluateValue(expr.value());
    return value ? value.value() : unknown;
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
      if (named == nullptr) return module_present(expr);
      switch (named->kind) {  // as Python tells true from false
        case Value::Kind::kNumber:
        case Value::Kind::kBool:
          return named->number != 0.0;
        case Value::Kind::kNone:
          return false;
        case Value::Kind::kString:
          return !named->text.empty();
        case Value::Kind::kTuple:
        case Value::Kind::kDict:
          return !named->items.empty();
        case Value::Kind::kModule:
          return true;
        case Value::Kind::kOther:
          break;
      }
      if (Resolve(expr.text) != expr.text) return true;  // a layer class or a class held as a value
      const std::string value = Describe(*named);
      return Error{"", "cannot tell whether " + expr.text + " holds before running" +
                       (value == expr.text ? "" : " (its value is " + value + ")"), expr.line};
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
      const Expr& side = expr.parts[0];
      const Value* named = side.kind == Expr::Kind::kName ? parser_.Variable(side.text) : nullptr;
      const bool member_module = side.kind == Expr::Kind::kName && side.text.rfind("self.", 0) == 0 &&
                                 modules_.count(side.text.substr(5)) > 0;
      if (named != nullptr && !member_module) {  // if norm_layer is None: on a value given or named
        const bool unknown = named->kind == Value::Kind::kOther && Resolve(side.text) == side.text;
        if (unknown) return Error{"", "cannot tell whether " + SourceOf(side) + " is None before running", side.line};
        return (named->kind == Value::Kind::kNone) == (expr.text == "is");
      }
      Result<bool> present = module_present(side);
      if (!present) return present;
      return present.value() == (expr.text == "is not");
    }
    if (expr.kind == Expr::Kind::kCall && expr.parts.size() == 3 && expr.parts[0].kind == Expr::Kind::kName &&
        expr.parts[0].text == "isinstance" && expr.parts[2].kind == Expr::Kind::kName &&
        LastPart(expr.parts[2].text) == "Tensor") {  // isinstance(input, Tensor) on a tensor or a list of them
      Result<Operand> checked = Evaluate(expr.parts[1]);
      if (!checked) return checked.error();
      const Operand::Kind kind = checked.value().kind;
      if (kind == Operand::Kind::kTensor || kind == Operand::Kind::kList) return kind == Operand::Kind::kTensor;
    }
    if (expr.kind == Expr::Kind::kBinary && (expr.text == "in" || expr.text == "not in")) {  // stride not in [1, 2]
      Result<Value> item = EvaluateValue(expr.parts[0]);
      if (!item) return item.error();
      Result<Value> list = EvaluateValue(expr.parts[1]);
      if (!list) return list.error();
      const bool known = list.value().kind == Value::Kind::kTuple && item.value().kind != Value::Kind::kOther &&
                         std::none_of(list.value().items.begin(), list.value().items.end(),
                                      [](const Value& held) { return held.kind == Value::Kind::kOther; });
      if (!known) return Error{"", "cannot tell whether " + SourceOf(expr) + " holds before running", expr.line};
      const bool found = std::any_of(list.value().items.begin(), list.value().items.end(),
                                     [&](const Value& held) { return SameValue(held, item.value()); });
      return found == (expr.text == "in");
    }
    constexpr const char* kComparisons[] = {"==", "!=", "<", "<=", ">", ">="};
    if (expr.kind == Expr::Kind::kBinary && OneOf(expr.text, kComparisons)) {
      // Sizes __init__ knows (len(replace_stride_with_dilation) != 3); strings, flags and None named as
      // the model is made (if x == 'M'); else sizes forward knows (x.size(2)).
      Result<Value> a = EvaluateValue(expr.parts[0]);
      if (!a) return a.error();
      Result<Value> b = EvaluateValue(expr.parts[1]);
      if (!b) return b.error();
      if (a.value().kind == Value::Kind::kNumber && b.value().kind == Value::Kind::kNumber) {
        return Compare(expr.text, a.value().number, b.value().number);
      }
      const auto known = [](const Value& v) {
        return v.kind == Value::Kind::kString || v.kind == Value::Kind::kNumber || v.kind == Value::Kind::kBool ||
               v.kind == Value::Kind::kNone;
      };
      if ((expr.text == "==" || expr.text == "!=") && known(a.value()) && known(b.value())) {
        return SameValue(a.value(), b.value()) == (expr.text == "==");
      }
      Result<Operand> left = Evaluate(expr.parts[0]);
      if (!left) return left.error();
      Result<Operand> right = Evaluate(expr.parts[1]);
      if (!right) return right.error();
      if (left.value().kind != Operand::Kind::kInteger || right.value().kind != Operand::Kind::kInteger) {
        return Error{"", "cannot tell whether " + SourceOf(expr) + " holds: the tutor decides conditions on known sizes",
                     expr.line};
      }
      return Compare(expr.text, static_cast<double>(left.value().integer), static_cast<double>(right.value().integer));
    }
    return Error{"", "cannot tell whether " + SourceOf(expr) + " holds before running; the tutor decides conditions "
                     "on sizes and on self.layer is None", expr.line};
  }

  static bool Compare(const std::string& comparison, double a, double b) {
    if (comparison == "==") return a == b;
    if (comparison == "!=") return a != b;
    if (comparison == "<") return a < b;
    if (comparison == "<=") return a <= b;
    if (comparison == ">") return a > b;
    return a >= b;
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

  // __init__'s body, or a method's or function's it calls (_make_layer, conv3x3): `result` is
  // where their `return nn.Sequential(*layers)` goes (nullptr in __init__), `returned` set once it returns.
  Result<bool> RunInit(const std::vector<Statement>& body, int depth, Returned* result) {
    bool returned = false;
    return RunInitBlock(body, depth, result, returned);
  }

  Result<bool> RunInitBlock(const std::vector<Statement>& body, int depth, Returned* result, bool& returned) {
    if (body.empty()) return true;
    if (depth > kMaxBlockDepth) return Error{"", "__init__: blocks nested too deeply to follow", body.front().line};
    const auto blocks = Blocks(body);
    for (std::size_t i = 0; i < blocks.size() && !returned;) {
      const Statement& statement = blocks[i].first;
      const Token& first = tokens_[statement.begin];
      if (++classes_.lines_run > kMaxLinesRun) {
        return Error{"", "the model runs more than " + to_string(kMaxLinesRun) + " lines (loops inside loops?)",
                     statement.line};
      }
      if (IsWord(first, "if")) {
        Result<std::size_t> next = RunChain(blocks, i, [&](const std::vector<Statement>& inner) {
          return RunInitBlock(inner, depth + 1, result, returned);
        });
        if (!next) return next.error();
        i = next.value();
        continue;
      }
      if (IsWord(first, "elif") || IsWord(first, "else")) {
        return Error{"", "`" + first.text + "` without its `if`", statement.line};
      }
      if (IsWord(first, "for")) {
        Result<bool> looped = RunInitLoop(statement, blocks[i].second, depth, result, returned);
        if (!looped) return looped;
        ++i;
        continue;
      }
      if (IsWord(first, "while")) {
        return Error{"", "not supported yet: `while` in __init__; the tutor follows `for` over a list or range(n)",
                     statement.line};
      }
      if (IsWord(first, "raise")) return Raised(statement);
      if (IsWord(first, "return")) {
        if (result != nullptr) {
          Result<bool> given = MethodResult(statement, *result);
          if (!given) return given;
        }
        returned = true;
        break;
      }
      Result<bool> read = InitStatement(statement);
      if (!read) return read;
      ++i;
    }
    return true;
  }

  // A raise the model reaches as it is made (one in a branch not taken never runs): PyTorch stops
  // there, with the exception's message.
  Error Raised(const Statement& statement) const {
    std::string exception = statement.begin + 1 < statement.end ? tokens_[statement.begin + 1].text : "";
    std::string message;
    for (std::size_t i = statement.begin + 2; i < statement.end; ++i) {
      if (tokens_[i].kind == TokenKind::kString) message += tokens_[i].text;  // "..." f"... {x}": as written
    }
    if (!message.empty()) exception += ": " + message;
    return Error{"", "the model raises " + exception + " (this raise is reached as the model is made)", statement.line};
  }

  // for m in self.modules(): (and children(), parameters()) sets the layers' first weights with
  // nn.init, which changes no shape and no count: the tutor passes over it.
  bool LoopSetsInitialWeights(const Expr& over) const {
    constexpr const char* kWalks[] = {"self.modules", "self.named_modules", "self.children", "self.named_children",
                                      "self.parameters", "self.named_parameters"};
    return over.kind == Expr::Kind::kCall && over.parts[0].kind == Expr::Kind::kName && OneOf(over.parts[0].text, kWalks);
  }

  // The names a `for` gives each item (for t, c, n, s in settings:), up to its `in`; the token of
  // the `in`, or 0 when the header is not of that shape.
  std::size_t LoopTargets(const Statement& header, std::vector<std::string>& targets) const {
    std::size_t at = header.begin + 1;
    while (at + 1 < header.end && tokens_[at].kind == TokenKind::kName && !IsWord(tokens_[at], "in")) {
      targets.push_back(tokens_[at].text);
      if (!IsPunctToken(at + 1, ",")) {
        ++at;
        break;
      }
      at += 2;
    }
    const bool shape = !targets.empty() && IsWord(tokens_[at], "in") && at + 1 < header.end && IsPunctToken(header.end - 1, ":");
    return shape ? at : 0;
  }

  // for stride in strides: (a list of sizes, range(n), or a list written out) the body once per
  // item; for t, c, n, s in settings: each item's values in turn.
  Result<bool> RunInitLoop(const Statement& header, const std::vector<Statement>& inner, int depth,
                           Returned* result, bool& returned) {
    std::vector<std::string> targets;
    const std::size_t in_at = LoopTargets(header, targets);
    if (in_at == 0) {
      return Error{"", "not supported yet: this `for` in __init__; the tutor follows `for name in <list or range(n)>:`",
                   header.line};
    }
    if (inner.empty()) return Error{"", "write the body of `for` on its own lines, under it", header.line};
    ExprParser parser(tokens_, in_at + 1, header.end - 1);
    Result<Expr> over = parser.ParseExpression();
    if (!over) return over.error();
    if (!parser.AtEnd()) return Error{"", "cannot read what `for` runs over", header.line};
    if (LoopSetsInitialWeights(over.value())) return true;
    Result<Value> items = EvaluateValue(over.value());
    if (!items) return items.error();
    if (items.value().kind != Value::Kind::kTuple) {
      return Error{"", "for ... in " + SourceOf(over.value()) + ": the tutor runs over a list of known values or "
                       "range(n) here", header.line};
    }
    for (const Value& item : items.value().items) {
      if (targets.size() == 1) {
        DefineValue(targets[0], item);
      } else if (item.kind == Value::Kind::kTuple && item.items.size() == targets.size()) {
        for (std::size_t k = 0; k < targets.size(); ++k) DefineValue(targets[k], item.items[k]);
      } else {
        return Error{"", "for " + tokens_[header.begin + 1].text + ", ...: an item " + Describe(item) + " does not hold " +
                         to_string(targets.size()) + " values", header.line};
      }
      Result<bool> ran = RunInitBlock(inner, depth + 1, result, returned);
      if (!ran) return ran;
      if (returned) break;
    }
    return true;
  }

  // A method's or function's `return`: the layers it made (nn.Sequential(*layers), a list of
  // them, nn.Sequential(...) or a layer written out, a module it named: return downsample), else a value.
  Result<bool> MethodResult(const Statement& statement, Returned& result) {
    const std::size_t at = statement.begin + 1;
    result.line = statement.line;
    if (at == statement.end) return true;
    if (ModuleDefinition* list = StarredList(at, statement.end)) {
      result.layers = *list;
      return true;
    }
    if (at + 1 == statement.end && tokens_[at].kind == TokenKind::kName && local_lists_.count(tokens_[at].text) > 0) {
      result.layers = local_lists_[tokens_[at].text];
      return true;
    }
    const bool call = tokens_[at].kind == TokenKind::kName && IsPunctToken(at + 1, "(") &&
                      ClosingBracket(at + 1) + 1 == statement.end;
    if (call && MakesLayers(tokens_[at].text)) {
      result.layers = ModuleDefinition{};
      result.layers.line = statement.line;
      Result<std::size_t> read = ReadLayers(at, kReturnedName, false, result.layers);
      if (!read) return read.error();
      return true;
    }
    if (const std::size_t if_at = TopLevelWord(at, statement.end, "if"); if_at < statement.end) {
      // return rounded if rounded >= bias * value else rounded + divisor
      Result<std::optional<Value>> chosen = ChosenValue(at, if_at, statement.end, statement.line);
      if (!chosen) return chosen.error();
      if (!chosen.value()) return Error{"", "not supported yet: this return; the tutor follows returns of one value", statement.line};
      result.value = *chosen.value();
      return true;
    }
    ExprParser parser(tokens_, at, statement.end);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr) return expr.error();
    if (!parser.AtEnd()) return Error{"", "not supported yet: this return; the tutor follows returns of one value", statement.line};
    Result<Value> value = EvaluateValue(expr.value());
    if (!value) return value.error();
    if (value.value().kind == Value::Kind::kModule) {
      result.layers = Kept(value.value(), kReturnedName, statement.line);
    } else {
      result.value = value.value();
    }
    return true;
  }

  // Whether a call of `callee` makes layers: a layer, nn.Sequential, one of the text's classes
  // or functions, or a name given one of those (norm_layer(planes) with norm_layer = nn.BatchNorm2d).
  bool MakesLayers(const std::string& callee) const {
    const std::string resolved = Resolve(callee);
    const std::string last = LastPart(resolved);
    return ClassCalled(resolved) != nullptr || classes_.functions.count(resolved) > 0 || last == "Sequential" ||
           last == "ModuleList" || LayerKind(last) != nullptr || IsTorchvisionBlock(last);
  }

  // What a called name stands for: the layer class, class or function it was given (norm_layer =
  // nn.BatchNorm2d, block = BasicBlock), else the name as written.
  std::string Resolve(const std::string& written) const {
    const Value* named = parser_.Variable(written);
    if (named == nullptr || named->kind != Value::Kind::kOther || named->text == written) return written;
    return NamesCallable(named->text) ? named->text : written;
  }

  // Whether `text` names something that makes layers when called: one of the text's classes or
  // functions, nn.Sequential or a layer (nn.BatchNorm2d).
  bool NamesCallable(const std::string& text) const {
    return classes_.classes.count(text) > 0 || classes_.functions.count(text) > 0 || LastPart(text) == "Sequential" ||
           LayerKind(LastPart(text)) != nullptr;
  }

  // self.<name> = a module: kept, in the order the modules are made (an nn.Sequential or
  // nn.ModuleDict class runs them in that order).
  void SetModule(const std::string& name, ModuleDefinition module) {
    if (modules_.count(name) == 0) module_order_.push_back(name);
    modules_[name] = std::move(module);
  }

  // A module made under a name of its own (downsample = nn.Sequential(...)): the name holds it, to
  // be handed to a block, kept on self or returned.
  void HandModule(const std::string& name, ModuleDefinition module) { parser_.Define(name, Handed(name, std::move(module))); }

  // A module made here, as a value that can be handed on: its rows' sources start with self.<name>
  // until it is kept.
  Value Handed(const std::string& name, ModuleDefinition module) {
    classes_.handed_modules.push_back(HandedModule{std::move(module), "self." + path_ + name});
    Value handed;
    handed.kind = Value::Kind::kModule;
    handed.module = classes_.handed_modules.size() - 1;
    handed.text = name;
    return handed;
  }

  // The module a name at `at` holds (conv2d in layers += [conv2d, nn.ReLU()]), or nullptr.
  const Value* HeldModule(std::size_t at) const {
    if (tokens_[at].kind != TokenKind::kName || IsPunctToken(at + 1, "(")) return nullptr;
    const Value* named = parser_.Variable(tokens_[at].text);
    return named != nullptr && named->kind == Value::Kind::kModule ? named : nullptr;
  }

  // Where a list or nn.Sequential(...) can take an item: a layer or block called there, or a name holding one.
  bool LayerItemAt(std::size_t at) const {
    return (tokens_[at].kind == TokenKind::kName && IsPunctToken(at + 1, "(")) || HeldModule(at) != nullptr;
  }

  // self.conv1 = conv3x3(...), or a name of its own = f(...): the layers the function returns,
  // kept under that name; a function returning a size gives the name that size.
  Result<bool> AssignFunctionResult(const std::string& target, std::size_t at, bool member, int line) {
    const std::string function = Resolve(tokens_[at].text);
    Result<Returned> made = RunFunction(at, classes_.functions.at(function).statement, function);
    if (!made) return made.error();
    const std::string name = member ? target.substr(5) : target;
    if (made.value().layers.calls.empty()) {
      const std::optional<Value>& value = made.value().value;
      const bool size = value && (value->kind == Value::Kind::kNumber || value->kind == Value::Kind::kBool ||
                                  value->kind == Value::Kind::kTuple);
      if (!value || (member && !size)) return NotLayers(function, made.value(), line);
      DefineValue(target, *value);
      return true;
    }
    ModuleDefinition module = std::move(made.value().layers);
    PlaceFunctionLayers(module, name, at);
    module.line = line;
    if (member) {
      SetModule(name, std::move(module));
    } else {
      HandModule(name, std::move(module));
    }
    return true;
  }

  // The layers a function called at `at` returned, placed as self.<step_path>: each row shows the
  // call as written where it is placed (self.conv1 = conv3x3(inplanes, planes, stride)), on its line.
  void PlaceFunctionLayers(ModuleDefinition& module, const std::string& step_path, std::size_t at) {
    PlaceList(module, ListNameOf(module), step_path);
    const std::size_t close = ClosingBracket(at + 1);
    const std::string call(text_.substr(tokens_[at].offset, tokens_[close].offset + 1 - tokens_[at].offset));
    for (std::size_t k = 0; k < module.calls.size(); ++k) {
      const std::string item = module.calls.size() == 1 ? "" : "[" + to_string(k) + "]";
      module.sources[k] = "self." + path_ + step_path + item + " = " + call;
      module.calls[k].line = tokens_[at].line;
    }
  }

  // _ovewrite_named_param(kwargs, "groups", 32), as torchvision's model functions set the values
  // they pass on (the function is torchvision's, not the text's): the dict gets that key. A value
  // the tutor cannot know (len(weights.meta["categories"])) leaves the dict as it was.
  Result<bool> OverwriteNamedValue(const Statement& statement) {
    Result<Call> call = ReadCall(statement.begin);
    if (!call) return call.error();
    const std::vector<Argument>& arguments = call.value().arguments;
    const std::string dict_name = tokens_[statement.begin + 2].text;
    const Value* dict = parser_.Variable(dict_name);
    const bool shape = arguments.size() == 3 && dict != nullptr && dict->kind == Value::Kind::kDict &&
                       arguments[1].value.kind == Value::Kind::kString;
    if (!shape) return Error{"", "cannot follow this _ovewrite_named_param(kwargs, \"name\", value)", statement.line};
    if (arguments[2].value.kind == Value::Kind::kOther) return true;
    Value updated = *dict;
    const auto key = std::find_if(updated.keys.begin(), updated.keys.end(),
                                  [&](const Value& written) { return written.text == arguments[1].value.text; });
    if (key == updated.keys.end()) {
      updated.keys.push_back(arguments[1].value);
      updated.items.push_back(arguments[2].value);
    } else {
      updated.items[static_cast<std::size_t>(key - updated.keys.begin())] = arguments[2].value;
    }
    parser_.Define(dict_name, std::move(updated));
    return true;
  }

  // A module a method made under a name of its own, kept as self.<name> (or returned, kReturnedName):
  // its rows named from there.
  ModuleDefinition Kept(const Value& handed, const std::string& name, int line) {
    const HandedModule& made = classes_.handed_modules[handed.module];
    ModuleDefinition module = made.module;
    module.line = line;
    const std::string prefix = "self." + path_ + name;
    for (std::string& source : module.sources) {
      if (source.rfind(made.prefix, 0) == 0) source = prefix + source.substr(made.prefix.size());
    }
    for (const std::shared_ptr<ModuleInstance>& instance : module.instances) {
      if (instance != nullptr) Repath(*instance, made.prefix.substr(5), prefix.substr(5));
    }
    return module;
  }

  // nn.Sequential(*layers) at `at`, for a list made here: the list, else nullptr.
  ModuleDefinition* StarredList(std::size_t at, std::size_t end) {
    const bool shape = at + 4 < end + 1 && at + 4 < tokens_.size() && tokens_[at].kind == TokenKind::kName &&
                       LastPart(tokens_[at].text) == "Sequential" && IsPunctToken(at + 1, "(") && IsPunctToken(at + 2, "*") &&
                       tokens_[at + 3].kind == TokenKind::kName && IsPunctToken(at + 4, ")") && at + 5 == end;
    if (!shape) return nullptr;
    const auto list = local_lists_.find(tokens_[at + 3].text);
    return list == local_lists_.end() ? nullptr : &list->second;
  }

  // The class a call names: one of the text's classes, or a name given one (block(64, 128) with
  // block=BasicBlock); nullptr for anything else.
  const ModelClass* ClassCalled(const std::string& callee) const {
    auto found = classes_.classes.find(callee);
    if (found == classes_.classes.end()) {
      const Value* named = parser_.Variable(callee);
      if (named == nullptr || named->kind != Value::Kind::kOther) return nullptr;
      found = classes_.classes.find(named->text);
      if (found == classes_.classes.end()) return nullptr;
    }
    return &found->second;
  }

  // Gives `name` the value; a class given to a name brings its sizes along (block.expansion).
  void DefineValue(const std::string& name, const Value& value) {
    parser_.Define(name, value);
    if (value.kind != Value::Kind::kOther) return;
    const auto named = classes_.classes.find(value.text);
    if (named == classes_.classes.end()) return;
    for (const auto& [attribute, size] : named->second.attributes) parser_.Define(name + "." + attribute, size);
  }

  // A value __init__ can know before running: numbers, True / False / None, lists and tuples of
  // them (with +, * and indexing), range(n) and len(...), a class; anything else as text.
  Result<Value> EvaluateValue(const Expr& expr) {
    Value value;
    value.text = SourceOf(expr);
    switch (expr.kind) {
      case Expr::Kind::kNumber:
        value.kind = Value::Kind::kNumber;
        value.number = std::strtod(expr.text.c_str(), nullptr);
        value.integral = expr.text.find_first_of(".eExX") == std::string::npos;
        return value;
      case Expr::Kind::kName: {
        if (expr.text == "None") value.kind = Value::Kind::kNone;
        if (expr.text == "True" || expr.text == "False") {
          value.kind = Value::Kind::kBool;
          value.number = expr.text == "True" ? 1.0 : 0.0;
        }
        if (const Value* named = parser_.Variable(expr.text)) return *named;
        return value;
      }
      case Expr::Kind::kTuple:
        value.kind = Value::Kind::kTuple;
        for (const Expr& part : expr.parts) {
          Result<Value> item = EvaluateValue(part);
          if (!item) return item;
          value.items.push_back(std::move(item.value()));
        }
        return value;
      case Expr::Kind::kDict:
        value.kind = Value::Kind::kDict;
        for (std::size_t i = 0; i + 1 < expr.parts.size(); i += 2) {
          Result<Value> key = EvaluateValue(expr.parts[i]);
          if (!key) return key;
          Result<Value> item = EvaluateValue(expr.parts[i + 1]);
          if (!item) return item;
          value.keys.push_back(std::move(key.value()));
          value.items.push_back(std::move(item.value()));
        }
        return value;
      case Expr::Kind::kNegate: {
        Result<Value> operand = EvaluateValue(expr.parts[0]);
        if (!operand) return operand;
        if (operand.value().kind != Value::Kind::kNumber) return value;
        operand.value().number = -operand.value().number;
        operand.value().text = value.text;
        return operand;
      }
      case Expr::Kind::kIndex: {
        if (expr.text == ":") return SliceValue(expr, std::move(value));
        Result<Value> list = EvaluateValue(expr.parts[0]);
        if (!list) return list;
        Result<Value> index = EvaluateValue(expr.parts[1]);
        if (!index) return index;
        const std::vector<Value>& items = list.value().items;
        if (list.value().kind == Value::Kind::kDict) {  // cfg['VGG11']
          for (std::size_t k = 0; k < items.size(); ++k) {
            if (SameValue(list.value().keys[k], index.value())) return items[k];
          }
          return Error{"", SourceOf(expr) + ": the dict has no key " + Describe(index.value()), expr.line};
        }
        const bool known = list.value().kind == Value::Kind::kTuple && index.value().kind == Value::Kind::kNumber &&
                           index.value().integral;
        if (!known) return value;
        auto at = static_cast<long long>(index.value().number);
        if (at < 0) at += static_cast<long long>(items.size());
        if (at < 0 || at >= static_cast<long long>(items.size())) {
          return Error{"", SourceOf(expr) + ": the list has " + to_string(items.size()) + " items", expr.line};
        }
        return items[static_cast<std::size_t>(at)];
      }
      case Expr::Kind::kBinary:
        if (IsCondition(expr)) return ConditionValue(expr, std::move(value));
        return EvaluateBinaryValue(expr, std::move(value));
      case Expr::Kind::kCall:
        return EvaluateCallValue(expr, std::move(value));
      case Expr::Kind::kString:
        value.kind = Value::Kind::kString;
        value.text = expr.formatted ? Formatted(expr.text) : expr.text;
        return value;
      case Expr::Kind::kConditional: {  // inp if (self.stride > 1) else branch_features
        Result<bool> holds = Condition(expr.parts[1]);
        if (!holds) return holds.error();
        return EvaluateValue(expr.parts[holds.value() ? 0 : 2]);
      }
      case Expr::Kind::kNot:
        return ConditionValue(expr, std::move(value));
      case Expr::Kind::kComprehension:
        return ComprehensionValue(expr, std::move(value));
      case Expr::Kind::kAttribute:
        break;
    }
    return value;
  }

  // An f-string's text with each {name} replaced by the name's value when it is known
  // (f"stage{i}" → "stage2"), left as written otherwise.
  std::string Formatted(const std::string& text) const {
    std::string filled;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t open = text.find('{', at);
      const std::size_t close = open == std::string::npos ? std::string::npos : text.find('}', open);
      if (close == std::string::npos) {
        filled += text.substr(at);
        break;
      }
      const Value* named = parser_.Variable(text.substr(open + 1, close - open - 1));
      const bool known = named != nullptr && (named->kind == Value::Kind::kNumber || named->kind == Value::Kind::kString);
      filled += text.substr(at, open - at) + (known ? (named->kind == Value::Kind::kString ? named->text : Describe(*named))
                                                    : text.substr(open, close + 1 - open));
      at = close + 1;
    }
    return filled;
  }

  // [_round_to_multiple_of(depth * alpha, 8) for depth in depths]: the list, each item worked out
  // with the names given (their values outside it kept); each item counts as a line run.
  Result<Value> ComprehensionValue(const Expr& expr, Value list) {
    Result<Value> over = EvaluateValue(expr.parts[1]);
    if (!over) return over;
    if (over.value().kind != Value::Kind::kTuple) {
      return Error{"", SourceOf(expr) + ": the tutor runs over a list of known values or range(n) here", expr.line};
    }
    const std::map<std::string, Value> outside = parser_.Variables();
    list.kind = Value::Kind::kTuple;
    Result<bool> made = true;
    for (const Value& item : over.value().items) {
      if (++classes_.lines_run > kMaxLinesRun) {
        made = Error{"", "the model runs more than " + to_string(kMaxLinesRun) + " lines (loops inside loops?)", expr.line};
        break;
      }
      if (expr.keywords.size() == 1) {
        DefineValue(expr.keywords[0], item);
      } else if (item.kind == Value::Kind::kTuple && item.items.size() == expr.keywords.size()) {
        for (std::size_t k = 0; k < item.items.size(); ++k) DefineValue(expr.keywords[k], item.items[k]);
      } else {
        made = Error{"", SourceOf(expr) + ": an item " + Describe(item) + " does not hold " +
                         to_string(expr.keywords.size()) + " values", expr.line};
        break;
      }
      if (expr.parts.size() == 3) {
        Result<bool> kept = Condition(expr.parts[2]);
        if (!kept) {
          made = kept;
          break;
        }
        if (!kept.value()) continue;
      }
      Result<Value> value = EvaluateValue(expr.parts[0]);
      if (!value) {
        made = value.error();
        break;
      }
      list.items.push_back(std::move(value.value()));
    }
    parser_.SetVariables(outside);
    if (!made) return made.error();
    return list;
  }

  static bool IsCondition(const Expr& expr) {
    constexpr const char* kConditions[] = {"==", "!=", "<", "<=", ">", ">=", "and", "or", "is", "is not", "in", "not in"};
    return expr.kind == Expr::Kind::kNot || (expr.kind == Expr::Kind::kBinary && OneOf(expr.text, kConditions));
  }

  // self.use_res_connect = self.stride == 1 and inp == oup: True or False when it can be decided
  // before running, else `unknown` (a value no layer may need).
  Result<Value> ConditionValue(const Expr& expr, Value unknown) {
    Result<bool> holds = Condition(expr);
    if (!holds) return unknown;
    Value flag;
    flag.kind = Value::Kind::kBool;
    flag.number = holds.value() ? 1.0 : 0.0;
    flag.text = unknown.text;
    return flag;
  }

  // channels[1:], widths[:-1]: the items of a known list from start up to stop, as Python counts them.
  Result<Value> SliceValue(const Expr& expr, Value unknown) {
    Result<Value> list = EvaluateValue(expr.parts[0]);
    if (!list) return list;
    if (list.value().kind != Value::Kind::kTuple) return unknown;
    const auto size = static_cast<long long>(list.value().items.size());
    long long bounds[2] = {0, size};
    for (std::size_t k = 0; k < 2; ++k) {
      Result<Value> bound = EvaluateValue(expr.parts[k + 1]);
      if (!bound) return bound;
      if (bound.value().kind == Value::Kind::kNone) continue;
      if (bound.value().kind != Value::Kind::kNumber || !bound.value().integral || std::fabs(bound.value().number) > 1e9) {
        return unknown;
      }
      long long at = static_cast<long long>(bound.value().number);
      if (at < 0) at += size;
      bounds[k] = std::clamp(at, 0LL, size);
    }
    Value sliced = list.value();
    sliced.text = unknown.text;
    sliced.items.clear();
    for (long long i = bounds[0]; i < bounds[1]; ++i) sliced.items.push_back(list.value().items[static_cast<std::size_t>(i)]);
    return sliced;
  }

  // Whether two known values are equal as Python compares them (numbers, strings, flags, None).
  static bool SameValue(const Value& a, const Value& b) {
    const bool numeric = (a.kind == Value::Kind::kNumber || a.kind == Value::Kind::kBool) &&
                         (b.kind == Value::Kind::kNumber || b.kind == Value::Kind::kBool);
    if (numeric) return a.number == b.number;
    if (a.kind != b.kind) return false;
    return a.kind == Value::Kind::kNone || (a.kind == Value::Kind::kString && a.text == b.text);
  }

  static double ValuesHeld(const Value& value) {
    double held = 1.0;
    for (const Value& item : value.items) held += ValuesHeld(item);
    return held;
  }

  Result<Value> EvaluateBinaryValue(const Expr& expr, Value unknown) {
    Result<Value> left = EvaluateValue(expr.parts[0]);
    if (!left) return left;
    Result<Value> right = EvaluateValue(expr.parts[1]);
    if (!right) return right;
    const Value& a = left.value();
    const Value& b = right.value();
    // Lists of lists count every value they hold: [[1] * 1000] * 1000 is a million.
    constexpr double kMaxListItems = 10000;
    if (a.kind == Value::Kind::kTuple && b.kind == Value::Kind::kTuple && expr.text == "+") {
      if (ValuesHeld(a) + ValuesHeld(b) > kMaxListItems) return Error{"", SourceOf(expr) + " is too long", expr.line};
      Value joined = a;
      joined.items.insert(joined.items.end(), b.items.begin(), b.items.end());
      joined.text = unknown.text;
      return joined;
    }
    const bool repeat_left = a.kind == Value::Kind::kTuple && b.kind == Value::Kind::kNumber && b.integral;
    const bool repeat_right = b.kind == Value::Kind::kTuple && a.kind == Value::Kind::kNumber && a.integral;
    if ((repeat_left || repeat_right) && expr.text == "*") {
      const Value& list = repeat_left ? a : b;
      const double times = std::max(0.0, repeat_left ? b.number : a.number);
      if (times * ValuesHeld(list) > kMaxListItems) {
        return Error{"", SourceOf(expr) + " is too long", expr.line};
      }
      Value repeated = list;
      repeated.items.clear();
      for (int i = 0; i < static_cast<int>(times); ++i) repeated.items.insert(repeated.items.end(), list.items.begin(), list.items.end());
      repeated.text = unknown.text;
      return repeated;
    }
    if (a.kind == Value::Kind::kString && expr.text == "%" && a.text.find("%d") != std::string::npos &&
        b.kind == Value::Kind::kNumber && b.integral && std::fabs(b.number) < 1e15) {  // "denseblock%d" % (i + 1)
      Value formatted = a;
      formatted.text.replace(a.text.find("%d"), 2, to_string(static_cast<long long>(b.number)));
      return formatted;
    }
    if (a.kind != Value::Kind::kNumber || b.kind != Value::Kind::kNumber) return unknown;
    const bool integral = a.integral && b.integral;
    if (std::fabs(a.number) > 1e15 || std::fabs(b.number) > 1e15) return unknown;
    if (expr.text == "+") return NumberValue(a.number + b.number, integral, unknown.text);
    if (expr.text == "-") return NumberValue(a.number - b.number, integral, unknown.text);
    if (expr.text == "*") return NumberValue(a.number * b.number, integral, unknown.text);
    if (expr.text == "//" && b.number != 0.0) return NumberValue(std::floor(a.number / b.number), integral, unknown.text);
    if ((expr.text == "<<" || expr.text == ">>") && integral && b.number >= 0 && b.number < 32) {  // branch_features << 1
      const double scale = std::ldexp(1.0, static_cast<int>(b.number));
      return NumberValue(expr.text == "<<" ? a.number * scale : std::floor(a.number / scale), true, unknown.text);
    }
    if (expr.text == "/" && b.number != 0.0) return NumberValue(a.number / b.number, false, unknown.text);
    return unknown;
  }

  // range(n), range(a, b), range(a, b, step), len(list), int(x), float(x), round(x), max, min and
  // cast(int, v) on known values; torchvision's _make_divisible; a function of the text, whose
  // layers become a module handed on (VGG(make_layers(cfg), **kwargs)).
  Result<Value> EvaluateCallValue(const Expr& expr, Value unknown) {
    const Expr& callee = expr.parts[0];
    if (callee.kind == Expr::Kind::kName && classes_.functions.count(Resolve(callee.text)) > 0) {
      return FunctionValue(expr, std::move(unknown));
    }
    constexpr const char* kKnown[] = {"range", "len", "int", "float", "round", "max", "min", "cast", "_make_divisible",
                                      "enumerate", "zip"};
    if (callee.kind != Expr::Kind::kName || !OneOf(callee.text, kKnown)) return unknown;
    std::vector<Value> arguments;
    for (std::size_t i = 1; i < expr.parts.size(); ++i) {
      Result<Value> argument = EvaluateValue(expr.parts[i]);
      if (!argument) return argument;
      arguments.push_back(std::move(argument.value()));
    }
    const bool numbers = !arguments.empty() && std::all_of(arguments.begin(), arguments.end(), [](const Value& argument) {
      return argument.kind == Value::Kind::kNumber;
    });
    if (callee.text == "cast") return arguments.size() == 2 ? arguments[1] : unknown;  // cast(int, v) is v
    if (callee.text == "zip") {  // for name, repeats, channels in zip(names, stages_repeats, widths[1:]):
      const bool lists = !arguments.empty() && std::all_of(arguments.begin(), arguments.end(), [](const Value& argument) {
        return argument.kind == Value::Kind::kTuple;
      });
      if (!lists) return unknown;
      std::size_t shortest = arguments[0].items.size();
      for (const Value& argument : arguments) shortest = std::min(shortest, argument.items.size());
      Value zipped;
      zipped.kind = Value::Kind::kTuple;
      zipped.text = unknown.text;
      for (std::size_t i = 0; i < shortest; ++i) {
        Value group;
        group.kind = Value::Kind::kTuple;
        for (const Value& argument : arguments) group.items.push_back(argument.items[i]);
        zipped.items.push_back(std::move(group));
      }
      return zipped;
    }
    if (callee.text == "enumerate") {  // for i, num_layers in enumerate(block_config):
      if (arguments.size() != 1 || arguments[0].kind != Value::Kind::kTuple) return unknown;
      Value pairs = arguments[0];
      pairs.text = unknown.text;
      for (std::size_t i = 0; i < pairs.items.size(); ++i) {
        Value pair;
        pair.kind = Value::Kind::kTuple;
        pair.items = {NumberValue(static_cast<double>(i), true, to_string(i)), arguments[0].items[i]};
        pairs.items[i] = std::move(pair);
      }
      return pairs;
    }
    if (callee.text == "_make_divisible") return MadeDivisible(arguments, std::move(unknown));
    if (callee.text == "max" || callee.text == "min") {  // max(1.0, width_mult)
      if (!numbers || arguments.size() < 2) return unknown;
      const bool largest = callee.text == "max";
      const auto pick = [largest](const Value& a, const Value& b) { return largest ? a.number < b.number : a.number > b.number; };
      Value picked = *std::max_element(arguments.begin(), arguments.end(), pick);
      picked.text = unknown.text;
      return picked;
    }
    if (callee.text == "int" || callee.text == "float" || callee.text == "round") {  // int(planes * (base_width / 64.0))
      if (arguments.size() != 1 || !numbers) return unknown;
      const double number = callee.text == "int"     ? std::trunc(arguments[0].number)
                            : callee.text == "round" ? std::nearbyint(arguments[0].number)  // halves to even, as Python
                                                     : arguments[0].number;
      return NumberValue(number, callee.text != "float", unknown.text);
    }
    if (callee.text == "len") {
      if (arguments.size() != 1 || arguments[0].kind != Value::Kind::kTuple) return unknown;
      return NumberValue(static_cast<double>(arguments[0].items.size()), true, unknown.text);
    }
    const bool whole = !arguments.empty() && arguments.size() <= 3 &&
                       std::all_of(arguments.begin(), arguments.end(), [](const Value& argument) {
                         return argument.kind == Value::Kind::kNumber && argument.integral;
                       });
    if (!whole) return unknown;
    const double start = arguments.size() == 1 ? 0.0 : arguments[0].number;
    const double stop = arguments.size() == 1 ? arguments[0].number : arguments[1].number;
    const double step = arguments.size() == 3 ? arguments[2].number : 1.0;
    if (step == 0.0 || std::fabs((stop - start) / step) > 10000) {
      return Error{"", SourceOf(expr) + ": the tutor runs ranges of up to 10,000 items", expr.line};
    }
    Value range;
    range.kind = Value::Kind::kTuple;
    range.text = unknown.text;
    for (double i = start; step > 0 ? i < stop : i > stop; i += step) range.items.push_back(NumberValue(i, true, to_string(static_cast<long long>(i))));
    return range;
  }

  // A function of the text called where a value goes: it runs; the value it returns, or the layers
  // it returns as a module handed on under the function's name (kept as self.features = features).
  Result<Value> FunctionValue(const Expr& expr, Value unknown) {
    const std::string function = Resolve(expr.parts[0].text);
    Result<Returned> made = RunFunction(expr.call_token, classes_.functions.at(function).statement, function);
    if (!made) return made.error();
    if (made.value().layers.calls.empty()) return made.value().value ? *made.value().value : unknown;
    ModuleDefinition& layers = made.value().layers;
    PlaceFunctionLayers(layers, LastPart(function), expr.call_token);
    return Handed(LastPart(function), std::move(layers));
  }

  // torchvision's _make_divisible(v, divisor, min_value=None) (imported, not in the text): v
  // rounded to the nearest multiple of divisor, at least min_value (divisor when None) and never
  // below 90% of v, as the channel counts of MobileNet and its kin are made.
  static Value MadeDivisible(const std::vector<Value>& arguments, Value unknown) {
    const bool known = (arguments.size() == 2 || arguments.size() == 3) && arguments[0].kind == Value::Kind::kNumber &&
                       arguments[1].kind == Value::Kind::kNumber && arguments[1].number >= 1 &&
                       (arguments.size() == 2 || arguments[2].kind == Value::Kind::kNumber ||
                        arguments[2].kind == Value::Kind::kNone);
    if (!known || std::fabs(arguments[0].number) > 1e12) return unknown;
    const double v = arguments[0].number;
    const double divisor = arguments[1].number;
    const double least = arguments.size() == 3 && arguments[2].kind == Value::Kind::kNumber ? arguments[2].number : divisor;
    double made = std::max(least, std::floor(std::trunc(v + divisor / 2) / divisor) * divisor);
    if (made < 0.9 * v) made += divisor;
    return NumberValue(made, true, unknown.text);
  }

  // self.layer1 = self._make_layer(block, 64, num_blocks[0], stride=1): the method's layers.
  Result<ModuleDefinition> RunMethod(const Statement& statement, std::size_t at, std::size_t end) {
    const std::string method = tokens_[at].text.substr(5);
    const auto found = model_class_ == nullptr ? std::map<std::string, std::size_t>::const_iterator{}
                                               : model_class_->methods.find(method);
    if (model_class_ == nullptr || found == model_class_->methods.end()) {
      return Error{"", "__init__ calls self." + method + ", but the class has no method by that name", statement.line};
    }
    if (ClosingBracket(at + 1) + 1 != end) {
      return Error{"", "cannot read the call of self." + method, statement.line};
    }
    Result<Returned> made = RunFunction(at, found->second, "self." + method);
    if (!made) return made.error();
    if (made.value().layers.calls.empty()) return NotLayers("self." + method, made.value(), statement.line);
    made.value().layers.line = statement.line;
    return made.value().layers;
  }

  Error NotLayers(const std::string& callee, const Returned& made, int line) const {
    if (!made.value) {
      return Error{"", callee + " returns no layers the tutor can follow (it follows return nn.Sequential(*layers) "
                       "or return nn.Conv2d(...))", line};
    }
    return Error{"", "not supported yet: this return in a method or function: " + callee + " (called on line " +
                     to_string(line) + ") returns " + Describe(made.value.value()) + ", not layers; the tutor follows "
                     "return nn.Sequential(*layers) or return nn.Conv2d(...)", made.line};
  }

  // The method or function whose def is statements[signature], called at `at` (written as
  // `callee`): it runs with the call's values, its own names forgotten after it (what a method sets
  // on self stays); what it returns. Calls count toward the model's limits, so one that calls
  // itself stops at them.
  Result<Returned> RunFunction(std::size_t at, std::size_t signature, const std::string& callee) {
    Result<Call> call = ReadCall(at);
    if (!call) return call.error();
    return RunFunctionWith(call.value(), signature, callee);
  }

  Result<Returned> RunFunctionWith(const Call& call, std::size_t signature, const std::string& callee) {
    const int line = call.line;
    if (classes_.call_depth + 1 > kMaxCallDepth) {
      return Error{"", "methods and functions calling each other too deeply to follow (" + callee + ")", line};
    }
    if (++classes_.function_calls > kMaxFunctionCalls) {
      return Error{"", "more than " + to_string(kMaxFunctionCalls) + " calls of methods and functions such as "
                       "_make_layer", line};
    }
    const Statement& header = classes_.statements[signature];
    const std::map<std::string, Value> outside = parser_.Variables();
    std::map<std::string, ModuleDefinition> outside_lists = std::move(local_lists_);
    local_lists_.clear();
    Returned result;
    result.layers.line = line;
    ++classes_.call_depth;
    Result<bool> ran = BindParameters(header, &call, callee, "it");
    if (ran) ran = RunInit(BodyOf(classes_.statements, signature), 0, &result);
    --classes_.call_depth;
    // The function's own names go; what it set on self (self.in_planes) stays.
    std::map<std::string, Value> after = outside;
    for (const auto& [name, value] : parser_.Variables()) {
      if (name.rfind("self.", 0) == 0) after[name] = value;
    }
    parser_.SetVariables(std::move(after));
    local_lists_ = std::move(outside_lists);
    if (!ran) return ran.error();
    return result;
  }

  // A list of layers made here gets its place in the model (layers → self.layer1): its rows, and
  // those of the blocks in it, are named from there.
  void PlaceList(ModuleDefinition& module, const std::string& from, const std::string& to) {
    const std::string old_prefix = "self." + path_ + from;
    const std::string new_prefix = "self." + path_ + to;
    for (std::string& source : module.sources) {
      if (source.rfind(old_prefix, 0) == 0) source = new_prefix + source.substr(old_prefix.size());
    }
    for (const std::shared_ptr<ModuleInstance>& instance : module.instances) {
      if (instance != nullptr) Repath(*instance, path_ + from, path_ + to);
    }
  }
  static void Repath(ModuleInstance& instance, const std::string& from, const std::string& to);

  // One line of __init__: a module (self.conv1 = nn.Conv2d(...), self.downsample = None), or a
  // size kept for later lines (self.in_planes = 64, width = planes * 2); other lines make nothing.
  Result<bool> InitStatement(const Statement& statement) {
    const Token& first = tokens_[statement.begin];
    // layers.append(block(self.in_planes, planes, stride)): one more item of a list made here;
    // layers.extend([...]): several.
    const std::size_t dot = first.text.rfind('.');
    const std::string list = dot == std::string::npos ? "" : first.text.substr(0, dot);
    const bool list_method = first.kind == TokenKind::kName && local_lists_.count(list) > 0 &&
                             IsPunctToken(statement.begin + 1, "(");
    if (list_method && first.text.substr(dot) == ".extend" && IsPunctToken(statement.begin + 2, "[")) {
      return ExtendList(list, statement.begin + 2, 1, statement, list + ".extend([...])");
    }
    if (list_method && first.text.substr(dot) == ".append") {
      const std::size_t item = statement.begin + 2;
      if (!LayerItemAt(item)) {
        return Error{"", list + ".append(...): expected a layer or a block, as in " + list + ".append(nn.Conv2d(...))",
                     statement.line};
      }
      Result<std::size_t> read = ReadLayers(item, list, true, local_lists_[list]);
      if (!read) return read.error();
      if (read.value() + 1 != statement.end) return Error{"", list + ".append takes one layer", statement.line};
      return true;
    }
    // layers += [nn.Conv2d(...), nn.ReLU()]: more items of a list made here.
    if (first.kind == TokenKind::kName && local_lists_.count(first.text) > 0 && IsPunctToken(statement.begin + 1, "+") &&
        IsPunctToken(statement.begin + 2, "=") && IsPunctToken(statement.begin + 3, "[")) {
      return ExtendList(first.text, statement.begin + 3, 0, statement, first.text + " += [...]");
    }
    if (IsWord(first, "_ovewrite_named_param") && IsPunctToken(statement.begin + 1, "(")) return OverwriteNamedValue(statement);
    const bool adds_module = first.kind == TokenKind::kName && first.text.rfind("self", 0) == 0 &&
                             dot != std::string::npos && first.text.substr(dot) == ".add_module" &&
                             IsPunctToken(statement.begin + 1, "(");
    if (adds_module) return AddModule(statement, first.text.substr(0, dot));
    if (IsWord(first, "setattr") && IsPunctToken(statement.begin + 1, "(")) return SetAttribute(statement);
    const std::size_t equals = EqualsOf(statement);
    const bool assigns = first.kind == TokenKind::kName && IsPunctToken(equals, "=") && !IsPunctToken(equals + 1, "=") &&
                         equals + 1 < statement.end;
    if (!assigns) return true;  // super().__init__(), _log_api_usage_once(self), ...
    return Assign(first.text, equals + 1, statement.end, statement);
  }

  // setattr(self, name, nn.Sequential(*seq)), as torchvision's ShuffleNet names its stages: the
  // same as self.<name> = ..., once the name is known.
  Result<bool> SetAttribute(const Statement& statement) {
    const std::size_t object = statement.begin + 2;
    const std::size_t name_end = TopLevelPunct(object + 2, statement.end - 1, ",");
    const bool shape = IsWord(tokens_[object], "self") && IsPunctToken(object + 1, ",") && name_end + 1 < statement.end &&
                       ClosingBracket(statement.begin + 1) + 1 == statement.end;
    if (!shape) return Error{"", "setattr(self, name, module): expected these three values", statement.line};
    ExprParser parser(tokens_, object + 2, name_end);
    Result<Expr> name_expr = parser.ParseExpression();
    if (!name_expr) return name_expr.error();
    Result<Value> name = EvaluateValue(name_expr.value());
    if (!name) return name.error();
    if (name.value().kind != Value::Kind::kString || !parser.AtEnd() || name.value().text.empty()) {
      return Error{"", "setattr(self, ...): cannot tell the name " + SourceOf(name_expr.value()) + " before running",
                   statement.line};
    }
    return Assign("self." + name.value().text, name_end + 1, statement.end - 1, statement);
  }

  // target = the tokens [value, value_end) of `statement`, in __init__ or a method.
  Result<bool> Assign(const std::string& target, std::size_t value, std::size_t value_end, const Statement& statement) {
    const bool member = target.rfind("self.", 0) == 0 && target.find('.', 5) == std::string::npos;
    // self.inc = (DoubleConv(3, 64)): the brackets around the whole value change nothing.
    while (IsPunctToken(value, "(") && ClosingBracket(value) + 1 == value_end) {
      ++value;
      --value_end;
    }
    if (value >= value_end) return true;
    const Token& called = tokens_[value];
    // factor = 2 if bilinear else 1: the side the condition picks.
    if (const std::size_t if_at = TopLevelWord(value, value_end, "if"); if_at < value_end) {
      return ConditionalValue(target, value, if_at, value_end, statement.line);
    }
    // layers = [] (or a list of layers written out, features = [nn.Conv2d(...)]): a list of layers to fill.
    const bool starts_with_layer = HeldModule(value + 1) != nullptr ||
                                   (LayerItemAt(value + 1) && MakesLayers(tokens_[value + 1].text));
    if (!member && target.find('.') == std::string::npos && IsPunctToken(value, "[") &&
        ClosingBracket(value) + 1 == value_end && (IsPunctToken(value + 1, "]") || starts_with_layer)) {
      ModuleDefinition list;
      list.line = statement.line;
      local_lists_[target] = std::move(list);
      return ExtendList(target, value, 0, statement, target + " = [...]");
    }
    const bool one_call = called.kind == TokenKind::kName && IsPunctToken(value + 1, "(") &&
                          ClosingBracket(value + 1) + 1 == value_end;
    const bool function_called = one_call && classes_.functions.count(Resolve(called.text)) > 0;
    if (member && called.kind == TokenKind::kName && IsPunctToken(value + 1, "(")) {
      const std::string name = target.substr(5);
      const std::string resolved = Resolve(called.text);
      const std::string callee = LastPart(resolved);
      if (called.text.rfind("self.", 0) == 0) {  // self.layer1 = self._make_layer(...)
        Result<ModuleDefinition> made = RunMethod(statement, value, value_end);
        if (!made) return made.error();
        PlaceList(made.value(), ListNameOf(made.value()), name);
        made.value().line = statement.line;
        SetModule(name, std::move(made.value()));
        return true;
      }
      if (ModuleDefinition* list = StarredList(value, value_end)) {  // self.features = nn.Sequential(*layers)
        ModuleDefinition placed = *list;
        PlaceList(placed, ListNameOf(placed), name);
        placed.line = statement.line;
        SetModule(name, std::move(placed));
        return true;
      }
      if (function_called) return AssignFunctionResult(target, value, true, statement.line);  // self.conv1 = conv3x3(...)
      const bool layer_like = ClassCalled(resolved) != nullptr || callee == "Sequential" ||
                              std::isupper(static_cast<unsigned char>(callee[0]));
      if (layer_like) {
        ModuleDefinition module;
        module.line = statement.line;
        Result<std::size_t> read = ReadLayers(value, name, false, module);
        if (!read) return read.error();
        SetModule(name, std::move(module));
        return true;
      }
    }
    // downsample = nn.Sequential(...), model = ResNet(...): a module kept under a name of its own.
    if (!member && target.find('.') == std::string::npos && one_call) {
      if (function_called) return AssignFunctionResult(target, value, false, statement.line);
      if (MakesLayers(called.text)) {
        ModuleDefinition module;
        module.line = statement.line;
        Result<std::size_t> read = ReadLayers(value, target, false, module);
        if (!read) return read.error();
        HandModule(target, std::move(module));
        return true;
      }
    }
    ExprParser parser(tokens_, value, value_end);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr || !parser.AtEnd()) return true;  // not a value the layers need
    if (member && expr.value().kind == Expr::Kind::kName) {
      const Value* named = parser_.Variable(expr.value().text);
      if (expr.value().text == "None" || (named != nullptr && named->kind == Value::Kind::kNone)) {
        ModuleDefinition none;
        none.line = statement.line;
        none.none = true;
        SetModule(target.substr(5), std::move(none));
        return true;
      }
      if (named != nullptr && named->kind == Value::Kind::kModule) {  // self.downsample = downsample
        SetModule(target.substr(5), Kept(*named, target.substr(5), statement.line));
        return true;
      }
    }
    Result<Value> known = EvaluateValue(expr.value());
    if (!known) return known.error();
    const Value::Kind kind = known.value().kind;
    // norm_layer = nn.BatchNorm2d, block = BasicBlock: a layer class, class or function held as a value.
    const bool a_class = kind == Value::Kind::kOther && NamesCallable(known.value().text);
    if (kind == Value::Kind::kNumber || kind == Value::Kind::kBool || kind == Value::Kind::kNone ||
        kind == Value::Kind::kTuple || a_class) {
      DefineValue(target, known.value());
    }
    return true;
  }

  // The layers written out in the list opening at `open` ([conv, nn.ReLU()]) join the list `list`
  // made here; the list's `]` must be followed by `tail` more tokens of the statement (`)` in
  // layers.extend([...])). `written` is how the statement reads, for messages.
  // self.add_module(name, module), as an nn.ModuleDict class adds its layers: a module of its own
  // under that name; self.features.add_module(name, module): one more step of self.features.
  Result<bool> AddModule(const Statement& statement, const std::string& target) {
    const std::size_t comma = TopLevelPunct(statement.begin + 2, statement.end - 1, ",");
    const std::size_t item = comma + 1;
    const bool shape = comma + 1 < statement.end && ClosingBracket(statement.begin + 1) + 1 == statement.end &&
                       LayerItemAt(item);
    if (!shape) {
      return Error{"", target + ".add_module(name, module): expected a name and a layer or block, as in " + target +
                       ".add_module(\"conv\", nn.Conv2d(...))", statement.line};
    }
    std::size_t after = item + 1;
    if (target != "self") {
      const auto module = modules_.find(target.substr(5));
      if (module == modules_.end() || module->second.none || !module->second.items.empty()) {
        return Error{"", target + ".add_module(...): " + target + " is not an nn.Sequential made before this line",
                     statement.line};
      }
      Result<std::size_t> read = ReadLayers(item, target.substr(5), true, module->second);
      if (!read) return read.error();
      after = read.value();
    } else {
      ExprParser parser(tokens_, statement.begin + 2, comma);
      Result<Expr> name_expr = parser.ParseExpression();
      if (!name_expr) return name_expr.error();
      Result<Value> name = EvaluateValue(name_expr.value());
      if (!name) return name.error();
      if (name.value().kind != Value::Kind::kString || !parser.AtEnd()) {
        return Error{"", "self.add_module(name, ...): cannot tell the name " + SourceOf(name_expr.value()) + " before running",
                     statement.line};
      }
      ModuleDefinition module;
      module.line = statement.line;
      if (const Value* held = HeldModule(item)) {
        module = Kept(*held, name.value().text, statement.line);
      } else {
        Result<std::size_t> read = ReadLayers(item, name.value().text, false, module);
        if (!read) return read.error();
        after = read.value();
      }
      SetModule(name.value().text, std::move(module));
    }
    if (after + 1 != statement.end) return Error{"", target + ".add_module takes one module", statement.line};
    return true;
  }

  Result<bool> ExtendList(const std::string& list, std::size_t open, std::size_t tail, const Statement& statement,
                          const std::string& written) {
    std::size_t position = open + 1;
    while (!IsPunctToken(position, "]")) {
      if (position >= statement.end || !LayerItemAt(position)) {
        return Error{"", written + ": expected layers or blocks, as in [nn.Conv2d(...), nn.ReLU()]", statement.line};
      }
      Result<std::size_t> next = ReadLayers(position, list, true, local_lists_[list]);
      if (!next) return next.error();
      position = next.value();
      if (IsPunctToken(position, ",")) ++position;
    }
    if (position + 1 + tail != statement.end) return Error{"", written + " takes a list written out", statement.line};
    return true;
  }

  // The token closing the bracket opened at `open`, or the statement's end when it is not closed.
  std::size_t ClosingBracket(std::size_t open) const {
    int depth = 0;
    for (std::size_t i = open; i < tokens_.size() && tokens_[i].kind != TokenKind::kEnd; ++i) {
      if (IsPunctToken(i, "(") || IsPunctToken(i, "[") || IsPunctToken(i, "{")) ++depth;
      if ((IsPunctToken(i, ")") || IsPunctToken(i, "]") || IsPunctToken(i, "}")) && --depth == 0) return i;
    }
    return tokens_.size();
  }

  // The first token in [begin, end) outside brackets that `matches`, or `end`.
  template <typename Match>
  std::size_t TopLevel(std::size_t begin, std::size_t end, Match matches) const {
    int depth = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (IsPunctToken(i, "(") || IsPunctToken(i, "[") || IsPunctToken(i, "{")) ++depth;
      if (IsPunctToken(i, ")") || IsPunctToken(i, "]") || IsPunctToken(i, "}")) --depth;
      if (depth == 0 && matches(i)) return i;
    }
    return end;
  }
  std::size_t TopLevelWord(std::size_t begin, std::size_t end, const char* word) const {
    return TopLevel(begin, end, [&](std::size_t i) { return IsWord(tokens_[i], word); });
  }
  std::size_t TopLevelPunct(std::size_t begin, std::size_t end, const char* punct) const {
    return TopLevel(begin, end, [&](std::size_t i) { return IsPunctToken(i, punct); });
  }

  // name = A if condition else B, with a condition decided before running: name gets that side's value.
  Result<bool> ConditionalValue(const std::string& name, std::size_t begin, std::size_t if_at, std::size_t end, int line) {
    Result<std::optional<Value>> chosen = ChosenValue(begin, if_at, end, line);
    if (!chosen) return chosen.error();
    if (chosen.value()) DefineValue(name, *chosen.value());
    return true;
  }

  // The value of A if condition else B ([begin, end), its `if` at if_at), the condition decided
  // before running; nothing when the side picked is not a value the layers need.
  Result<std::optional<Value>> ChosenValue(std::size_t begin, std::size_t if_at, std::size_t end, int line) {
    const std::size_t else_at = TopLevelWord(if_at + 1, end, "else");
    if (else_at >= end || if_at == begin || else_at + 1 >= end) {
      return Error{"", "cannot read this `... if ... else ...`", line};
    }
    ExprParser condition_parser(tokens_, if_at + 1, else_at);
    Result<Expr> condition = condition_parser.ParseExpression();
    if (!condition) return condition.error();
    if (!condition_parser.AtEnd()) return Error{"", "cannot read the condition after `if`", line};
    Result<bool> holds = Condition(condition.value());
    if (!holds) return holds.error();
    const std::size_t from = holds.value() ? begin : else_at + 1;
    const std::size_t to = holds.value() ? if_at : end;
    ExprParser side_parser(tokens_, from, to);
    Result<Expr> side = side_parser.ParseExpression();
    if (!side || !side_parser.AtEnd()) return std::optional<Value>{};
    Result<Value> known = EvaluateValue(side.value());
    if (!known) return known.error();
    return std::optional<Value>{known.value()};
  }

  // The name a list made here was filled under: its first row's "self.<path><list>[0] = ..."
  // ("self.<path>returned = ..." for a method's single layer).
  std::string ListNameOf(const ModuleDefinition& list) const {
    if (list.sources.empty()) return "";  // nn.Sequential(*[]) holds nothing to rename
    const std::string& source = list.sources.front();
    const std::size_t start = 5 + path_.size();
    return source.substr(start, source.find_first_of("[ ", start) - start);
  }

  Result<bool> RunForward(const std::vector<Statement>& body, int depth, bool& returned) {
    if (body.empty()) return true;
    if (depth > kMaxBlockDepth) return Error{"", "forward: blocks nested too deeply to follow", body.front().line};
    const auto blocks = Blocks(body);
    for (std::size_t i = 0; i < blocks.size() && !returned;) {
      const Statement& statement = blocks[i].first;
      const Token& first = tokens_[statement.begin];
      if (++classes_.lines_run > kMaxLinesRun) {
        return Error{"", "the model runs more than " + to_string(kMaxLinesRun) + " lines (loops inside loops?)",
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
      if (IsWord(first, "raise")) return Raised(statement);
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

  // for name, layer in self.items(): (and for layer in self.values():) in a class made as an
  // nn.ModuleDict, its modules in the order they were added, `layer` standing for each.
  Result<bool> RunDictLoop(const Statement& header, const std::vector<Statement>& inner, int depth, bool& returned) {
    std::vector<std::string> targets;
    const std::size_t in_at = LoopTargets(header, targets);
    const bool items = in_at + 5 == header.end && IsWord(tokens_[in_at + 1], "self.items") && targets.size() == 2;
    const bool values = in_at + 5 == header.end && IsWord(tokens_[in_at + 1], "self.values") && targets.size() == 1;
    if (!items && !values) {
      return Error{"", "not supported yet: this `for` in forward; the tutor follows `for layer in self.layers:` over an "
                       "nn.ModuleList and `for name, layer in self.items():`", header.line};
    }
    if (module_order_.size() != modules_.size()) {
      return Error{"", "not supported yet: self.items() in a class holding an nn.ModuleList", header.line};
    }
    if (inner.empty()) return Error{"", "write the body of `for` on its own lines, under it", header.line};
    for (const std::string& name : module_order_) {
      Operand module;
      module.kind = Operand::Kind::kModule;
      module.text = name;
      variables_[targets.back()] = ForwardVariable{module, header.line};
      Result<bool> ran = RunForward(inner, depth + 1, returned);
      if (!ran) return ran;
      if (returned) break;
    }
    return true;
  }

  // for layer in self.layers: the body once per item of the nn.ModuleList, `layer` standing for it.
  Result<bool> RunLoop(const Statement& header, const std::vector<Statement>& inner, int depth, bool& returned) {
    const std::size_t at = header.begin;
    const bool dict_walk = at + 4 < header.end && IsPunctToken(header.end - 2, ")") && IsPunctToken(header.end - 3, "(");
    if (dict_walk) return RunDictLoop(header, inner, depth, returned);
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
      returned_ = value.value();
      return true;
    }
    const std::size_t dot = first.text.find('.');
    const auto list = dot == std::string::npos ? variables_.end() : variables_.find(first.text.substr(0, dot));
    if (list != variables_.end() && list->second.value.kind == Operand::Kind::kList &&
        first.text.substr(dot) == ".append" && IsPunctToken(statement.begin + 1, "(") &&
        ClosingBracket(statement.begin + 1) + 1 == statement.end) {  // features.append(new_features)
      ExprParser parser(tokens_, statement.begin + 2, statement.end - 1);
      Result<Expr> item = parser.ParseExpression();
      if (!item) return item.error();
      if (!parser.AtEnd()) return Error{"", first.text + "(...) takes one tensor", statement.line};
      Result<Operand> tensor = Evaluate(item.value());
      if (!tensor) return tensor.error();
      Result<bool> checked = RequireTensor(tensor.value(), statement.line, first.text);
      if (!checked) return checked;
      list->second.value.rows.push_back(tensor.value().row);
      return true;
    }
    const bool assignment = first.kind == TokenKind::kName && dot == std::string::npos;
    if (assignment && statement.begin + 1 < statement.end && tokens_[statement.begin + 1].kind == TokenKind::kPunct) {
      const std::string& next = tokens_[statement.begin + 1].text;
      if (next == ",") return UnpackingAssignment(statement);
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

  // batchsize, num_channels, height, width = x.size(); x1, x2 = x.chunk(2, dim=1): each name one
  // of the values.
  Result<bool> UnpackingAssignment(const Statement& statement) {
    std::vector<std::string> names;
    std::size_t at = statement.begin;
    for (; at + 1 < statement.end && tokens_[at].kind == TokenKind::kName && IsPunctToken(at + 1, ","); at += 2) {
      names.push_back(tokens_[at].text);
    }
    const bool shape = tokens_[at].kind == TokenKind::kName && IsPunctToken(at + 1, "=") && !IsPunctToken(at + 2, "=");
    const Error refused{"", "not supported yet: assigning several values at once in forward (the tutor follows "
                            "a, b = x.chunk(2, dim=1) and b, c, h, w = x.size())", statement.line};
    if (!shape) return refused;
    names.push_back(tokens_[at].text);
    ExprParser parser(tokens_, at + 2, statement.end);
    Result<Expr> expr = parser.ParseExpression();
    if (!expr) return expr.error();
    if (!parser.AtEnd() || expr.value().kind != Expr::Kind::kCall || expr.value().parts[0].kind != Expr::Kind::kName) {
      return refused;
    }
    const std::string& callee = expr.value().parts[0].text;
    const std::size_t dot = callee.rfind('.');
    const std::string method = dot == std::string::npos ? "" : callee.substr(dot + 1);
    const auto object = variables_.find(callee.substr(0, dot == std::string::npos ? 0 : dot));
    if ((method != "size" && method != "chunk") || object == variables_.end()) return refused;
    Result<bool> tensor = RequireTensor(object->second.value, statement.line, callee.substr(0, dot));
    if (!tensor) return tensor;
    std::vector<Operand> values;
    if (method == "size") {
      if (expr.value().parts.size() != 1) return refused;
      const std::size_t axes = builder_.ShapeOf(object->second.value.row).size() + 1;
      for (std::size_t axis = 0; axis < axes; ++axis) {
        Result<Operand> size = SizeOf(object->second.value, static_cast<std::int64_t>(axis), expr.value());
        if (!size) return size.error();
        values.push_back(size.value());
      }
    } else {
      Result<std::vector<Operand>> chunks = Chunks(object->second.value, expr.value());
      if (!chunks) return chunks.error();
      values = chunks.value();
    }
    if (values.size() != names.size()) {
      return Error{"", SourceOf(expr.value()) + " gives " + to_string(values.size()) + " values, not " +
                       to_string(names.size()), statement.line};
    }
    for (std::size_t k = 0; k < names.size(); ++k) variables_[names[k]] = ForwardVariable{values[k], statement.line};
    return true;
  }

  // x.chunk(chunks, dim=1): the channels split into that many equal parts, a row each.
  Result<std::vector<Operand>> Chunks(const Operand& input, const Expr& expr) {
    const Expr* count = ArgumentAt(expr, 0, "chunks");
    const Expr* dim = ArgumentAt(expr, 1, "dim");
    Result<Operand> chunks = count == nullptr ? Result<Operand>(Operand{}) : Evaluate(*count);
    if (!chunks) return chunks.error();
    Result<Operand> axis = dim == nullptr ? Result<Operand>(Integer(0)) : Evaluate(*dim);
    if (!axis) return axis.error();
    const std::vector<int> shape = builder_.ShapeOf(input.row);
    const std::int64_t parts = chunks.value().kind == Operand::Kind::kInteger ? chunks.value().integer : 0;
    const bool channels = axis.value().kind == Operand::Kind::kInteger && axis.value().integer == 1 && shape.size() == 3;
    if (!channels || parts < 1 || parts > shape[0] || shape[0] % parts != 0) {
      return Error{"", "not supported yet: " + SourceOf(expr) + "; the tutor follows x.chunk(n, dim=1) into n equal "
                       "parts of the channels", expr.line};
    }
    std::vector<Operand> split;
    const int each = shape[0] / static_cast<int>(parts);
    for (int k = 0; k < static_cast<int>(parts); ++k) {
      Result<bool> room = CheckRoomForARow(expr.line);
      if (!room) return room.error();
      split.push_back(Tensor(builder_.AddChannelChunk(RowCall(expr), input.row, k * each, each, static_cast<int>(parts))));
    }
    return split;
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
    if (const Value* held = in_sequential ? HeldModule(at) : nullptr) {  // nn.Sequential(conv, nn.ReLU())
      AppendSteps(module, Kept(*held, name + "[" + to_string(module.calls.size()) + "]", callee.line));
      return at + 1;
    }
    const std::string resolved = Resolve(callee.text);
    const std::string called = LastPart(resolved);
    if (called == "Sequential") {
      if (++sequential_depth_ > 16) return Error{"", "nn.Sequential nested too deeply to follow", callee.line};
      if (LastPart(tokens_[at + 2].text) == "OrderedDict" && IsPunctToken(at + 3, "(") && IsPunctToken(at + 4, "[")) {
        Result<std::size_t> after = ReadNamedLayers(at + 4, name, module);
        if (!after) return after;
        if (!IsPunctToken(after.value(), ")") || !IsPunctToken(after.value() + 1, ")")) {
          return Error{"", "nn.Sequential(OrderedDict([...])): expected only the list of (name, layer) pairs", callee.line};
        }
        --sequential_depth_;
        return after.value() + 2;
      }
      std::size_t position = at + 2;
      while (!IsPunctToken(position, ")")) {
        const bool starred_list = IsPunctToken(position, "*") && local_lists_.count(tokens_[position + 1].text) > 0 &&
                                  tokens_[position + 1].kind == TokenKind::kName;
        if (starred_list) {  // nn.Sequential(first, *remaining)
          ModuleDefinition items = local_lists_[tokens_[position + 1].text];
          PlaceList(items, ListNameOf(items), name + "[" + to_string(module.calls.size()) + "]");
          AppendSteps(module, items);
          position += 2;
          if (IsPunctToken(position, ",")) ++position;
          continue;
        }
        if (!LayerItemAt(position)) {
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
    const std::string step_path = in_sequential ? name + "[" + to_string(module.calls.size()) + "]" : name;
    // conv1x1(in_planes, planes), or a method of the class: self.depthwise_conv(inp, inp, kernel_size=3)
    std::optional<std::size_t> signature;
    if (const auto function = classes_.functions.find(resolved); function != classes_.functions.end()) {
      signature = function->second.statement;
    } else if (model_class_ != nullptr && callee.text.rfind("self.", 0) == 0 &&
               model_class_->methods.count(callee.text.substr(5)) > 0) {
      signature = model_class_->methods.at(callee.text.substr(5));
    }
    if (signature) {
      Result<Returned> made = RunFunction(at, *signature, resolved);
      if (!made) return made.error();
      if (made.value().layers.calls.empty()) return NotLayers(resolved, made.value(), callee.line);
      ModuleDefinition& layers = made.value().layers;
      PlaceFunctionLayers(layers, step_path, at);
      AppendSteps(module, layers);
      return ClosingBracket(at + 1) + 1;
    }
    if (const ModelClass* own_class = ClassCalled(callee.text)) {
      Result<Call> call = ReadCall(at);
      if (!call) return call.error();
      Result<std::shared_ptr<ModuleInstance>> instance = MakeInstance(*own_class, call.value(), step_path);
      if (!instance) return instance.error();
      module.sources.push_back("self." + path_ + step_path + " = " + call.value().source);
      module.calls.push_back(call.value());
      module.kinds.emplace_back();
      module.instances.push_back(std::move(instance.value()));
      return ClosingBracket(at + 1) + 1;
    }
    if (IsTorchvisionBlock(called)) return ReadTorchvisionBlock(at, in_sequential, name, module);
    const char* kind = LayerKind(called);
    if (kind == nullptr || std::string(kind) == "Input") {
      return Error{"", "unknown layer \"" + called + "\" in self." + name + "; understood: " + KnownLayers(), callee.line};
    }
    Result<Call> call = ReadCall(at);
    if (!call) return call.error();
    module.sources.push_back("self." + path_ + step_path + " = " + call.value().source);
    module.calls.push_back(call.value());
    module.kinds.push_back(kind);
    module.instances.emplace_back();
    return ClosingBracket(at + 1) + 1;
  }

  // nn.Sequential(OrderedDict([("conv0", nn.Conv2d(...)), ...])) from the list's `[` at `open`: the
  // layers in order (rows are named by position, as for nn.Sequential(...)); the token after `]`.
  Result<std::size_t> ReadNamedLayers(std::size_t open, const std::string& name, ModuleDefinition& module) {
    std::size_t position = open + 1;
    while (!IsPunctToken(position, "]")) {
      const bool pair = IsPunctToken(position, "(") && tokens_[position + 1].kind == TokenKind::kString &&
                        IsPunctToken(position + 2, ",") && LayerItemAt(position + 3);
      if (!pair) {
        return Error{"", "OrderedDict([...]): expected (name, layer) pairs, as in (\"conv0\", nn.Conv2d(...))",
                     tokens_[position].line};
      }
      Result<std::size_t> next = ReadLayers(position + 3, name, true, module);
      if (!next) return next;
      position = next.value();
      if (!IsPunctToken(position, ")")) return Error{"", "OrderedDict([...]): expected ) after the layer", tokens_[position].line};
      ++position;
      if (IsPunctToken(position, ",")) ++position;
    }
    return position + 1;
  }

  // Conv2dNormActivation(...) at `at`, imported from torchvision rather than written in the text:
  // the layers it is made of, one step each (see torchvision_blocks.h).
  Result<std::size_t> ReadTorchvisionBlock(std::size_t at, bool in_sequential, const std::string& name,
                                           ModuleDefinition& module) {
    Result<Call> call = ReadCall(at);
    if (!call) return call.error();
    Result<std::vector<BlockLayer>> layers = ConvNormActivationLayers(call.value());
    if (!layers) return layers.error();
    for (std::size_t k = 0; k < layers.value().size(); ++k) {
      const std::size_t index = in_sequential ? module.calls.size() : k;
      module.sources.push_back("self." + path_ + name + "[" + to_string(index) + "] = " + call.value().source);
      module.calls.push_back(layers.value()[k].call);
      module.kinds.push_back(layers.value()[k].kind);
      module.instances.emplace_back();
    }
    return ClosingBracket(at + 1) + 1;
  }

  static void AppendSteps(ModuleDefinition& module, const ModuleDefinition& steps) {
    module.calls.insert(module.calls.end(), steps.calls.begin(), steps.calls.end());
    module.kinds.insert(module.kinds.end(), steps.kinds.begin(), steps.kinds.end());
    module.sources.insert(module.sources.end(), steps.sources.begin(), steps.sources.end());
    module.instances.insert(module.instances.end(), steps.instances.begin(), steps.instances.end());
  }

  // The call at `at` (Name(...)) with its arguments' values as __init__ knows them: sizes worked
  // out (in_channels // 2, planes * block.expansion, num_blocks[0]), lists, strings, flags.
  Result<Call> ReadCall(std::size_t at) {
    const std::size_t close = ClosingBracket(at + 1);
    if (close >= tokens_.size()) return Error{"", tokens_[at].text + "( is never closed", tokens_[at].line};
    ExprParser parser(tokens_, at, close + 1);
    parser.AcceptUnpacking();
    Result<Expr> expr = parser.ParseExpression();
    if (!expr) return expr.error();
    if (!parser.AtEnd() || expr.value().kind != Expr::Kind::kCall) {
      return Error{"", "cannot read the call " + tokens_[at].text + "(...)", tokens_[at].line};
    }
    Call call;
    call.name = LastPart(Resolve(tokens_[at].text));
    call.line = tokens_[at].line;
    call.source = SourceOf(expr.value());
    for (std::size_t i = 1; i < expr.value().parts.size(); ++i) {
      const Expr& part = expr.value().parts[i];
      Result<Value> value = EvaluateValue(part);
      if (!value) return value.error();
      const std::string& keyword = expr.value().keywords[i - 1];
      // block(*sizes) and ResNet(block, layers, **kwargs): the list's items by position, the dict's by name.
      const Value::Kind unpacked = keyword == "*" ? Value::Kind::kTuple : Value::Kind::kDict;
      if ((keyword == "*" || keyword == "**") && value.value().kind != unpacked) {
        return Error{"", keyword + SourceOf(part) + ": the tutor cannot tell what " + SourceOf(part) + " holds here",
                     part.line};
      }
      for (std::size_t k = 0; k < (keyword.empty() || keyword[0] != '*' ? 1 : value.value().items.size()); ++k) {
        Argument argument;
        argument.keyword = keyword == "**" ? value.value().keys[k].text : keyword == "*" ? "" : keyword;
        argument.value = keyword.empty() || keyword[0] != '*' ? value.value() : value.value().items[k];
        argument.line = part.line;
        call.arguments.push_back(std::move(argument));
      }
    }
    return call;
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
    if (operand.kind == Operand::Kind::kRegrouped) {
      return Error{"", "not supported yet: " + what + " on a tensor of more than four axes (" + operand.text + "); the "
                       "tutor follows it transposed and viewed back to (batch, C, H, W)", line};
    }
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
      case Expr::Kind::kTuple:
        return TensorList(expr);
      case Expr::Kind::kComprehension:
        return Error{"", "not supported yet: a list comprehension in forward (" + SourceOf(expr) + ")", expr.line};
      case Expr::Kind::kConditional:
        return Error{"", "not supported yet: `... if ... else ...` in forward; write it as an if block", expr.line};
      case Expr::Kind::kAttribute:
      case Expr::Kind::kNot:
      case Expr::Kind::kString:
      case Expr::Kind::kDict:
        break;
    }
    Operand other;
    other.text = SourceOf(expr);
    return other;
  }

  // [x] or [a, b] in forward: a list of tensors when every item is one, else a value as written.
  Result<Operand> TensorList(const Expr& expr) {
    Operand list;
    list.kind = Operand::Kind::kList;
    for (const Expr& item : expr.parts) {
      Result<Operand> tensor = Evaluate(item);
      if (!tensor) return tensor;
      if (tensor.value().kind != Operand::Kind::kTensor) {
        Operand other;
        other.text = SourceOf(expr);
        return other;
      }
      list.rows.push_back(tensor.value().row);
    }
    return list;
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
  // x.size()[2] too, as U-Net's decoder writes it.
  Result<Operand> EvaluateIndex(const Expr& expr) {
    if (expr.text == ":") return Error{"", "not supported yet: slicing in forward (" + SourceOf(expr) + ")", expr.line};
    const bool sizes_call = expr.parts[0].kind == Expr::Kind::kCall && expr.parts[0].parts.size() == 1 &&
                            expr.parts[0].parts[0].kind == Expr::Kind::kName;
    const Expr& object = sizes_call ? expr.parts[0].parts[0] : expr.parts[0];
    const std::size_t dot = object.text.find('.');
    const bool shape = (object.kind == Expr::Kind::kName || sizes_call) && dot != std::string::npos &&
                       object.text.substr(dot + 1) == (sizes_call ? "size" : "shape") &&
                       variables_.count(object.text.substr(0, dot)) > 0;
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
    if (callee.kind == Expr::Kind::kIndex && callee.text != ":" && callee.parts[0].kind == Expr::Kind::kName &&
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

  Result<bool> CheckRoomForARow(int line) const {
    if (builder_.LastRow() + 1 < kMaxRows) return true;
    return Error{"", "the model has more than " + to_string(kMaxRows) + " rows, more than the tutor shows", line};
  }

  Result<Operand> AddRow(const Call& call, const std::string& kind, const Operand& input) {
    Result<bool> room = CheckRoomForARow(call.line);
    if (!room) return room.error();
    Result<int> added = builder_.AddLayer(call, kind, input.row);
    if (!added) return added.error();
    return Tensor(added.value());
  }

  Result<Operand> AddMerge(const Call& call, const std::string& kind, const std::vector<int>& rows, int axis) {
    Result<bool> room = CheckRoomForARow(call.line);
    if (!room) return room.error();
    Result<int> added = builder_.AddMerge(call, kind, rows, axis);
    if (!added) return added.error();
    return Tensor(added.value());
  }

  Result<Operand> ApplyModule(const std::string& name, const Expr& expr) {
    const auto found = modules_.find(name);
    if (found == modules_.end()) {
      if (methods_.count(name) > 0) return CallMethod(name, expr);
      return Error{"", "forward calls self." + name + ", but __init__ makes no layer by that name", expr.line};
    }
    ModuleDefinition& module = found->second;
    // A module of the text's own classes takes as many tensors as its forward does.
    const bool own_module = module.instances.size() == 1 && module.instances[0] != nullptr;
    if (classes_.keras && module.kinds.size() == 1 && IsMergeKind(module.kinds[0])) return KerasMerge(name, module, expr);
    // Keras layers take training= and mask= beside the tensor.
    const bool keras_keywords = classes_.keras && expr.parts.size() > 2 &&
                                std::all_of(expr.keywords.begin() + 1, expr.keywords.end(), [](const std::string& keyword) {
                                  return keyword == "training" || keyword == "mask";
                                });
    const bool one_tensor = (expr.parts.size() == 2 || keras_keywords) && expr.keywords[0].empty();
    if (own_module && expr.parts.size() > 2) return CallOwnModule(name, module, expr);
    if (!one_tensor) {
      return Error{"", "self." + name + "(...): expected one tensor, as in self." + name + "(x)", expr.line};
    }
    Result<Operand> input = Evaluate(expr.parts[1]);
    if (!input) return input;
    // A list of tensors goes to a module whose forward takes one (DenseNet's layer(features)).
    const bool list_to_own_module = own_module && input.value().kind == Operand::Kind::kList;
    if (!list_to_own_module) {
      Result<bool> current = RequireTensor(input.value(), expr.line, "self." + name);
      if (!current) return current.error();
    }
    if (module.none) {
      return Error{"", "self." + name + " is None here (set on line " + to_string(module.line) + "); call it under "
                       "`if self." + name + " is not None:`", expr.line};
    }
    if (!module.items.empty()) {
      return Error{"", "self." + name + " is an nn.ModuleList: call its layers, e.g. for layer in self." + name +
                       ": x = layer(x)", expr.line};
    }
    return RunModule(name, module, input.value(), expr);
  }

  // self.<name>'s layers on `input`, one row each (a module of the text's classes runs its
  // forward); `expr` says where it is called.
  Result<Operand> RunModule(const std::string& name, ModuleDefinition& module, const Operand& input, const Expr& expr) {
    const int start = builder_.LastRow() + 1;
    const bool first_call = module.first_row < 0;
    int row = input.row;
    for (std::size_t k = 0; k < module.calls.size(); ++k) {
      if (module.instances[k] != nullptr) {
        Result<Operand> output = RunInstance(*module.instances[k], {k == 0 ? input : Tensor(row)}, expr);
        if (!output) return output;
        row = output.value().row;
        if (first_call) module.first_rows.push_back(row);
        continue;
      }
      Result<bool> room = CheckRoomForARow(expr.line);
      if (!room) return room.error();
      Result<int> added = builder_.AddLayer(module.calls[k], module.kinds[k], row);
      if (!added) {
        Error error = added.error();
        if (error.line != expr.line) error.message += " (self." + name + " is called on line " + to_string(expr.line) + ")";
        return error;
      }
      row = added.value();
      builder_.Row(row).source = module.sources[k];
      if (first_call) {
        module.first_rows.push_back(row);
      } else {
        builder_.ShareParameters(row, module.first_rows[k], "self." + path_ + name);
      }
    }
    if (module.calls.empty()) return input;
    if (first_call) module.first_row = start;
    return Tensor(row);
  }

  // self._forward_impl(x) in forward: the method's body runs on those tensors as forward's does
  // (its own names forgotten after it); the tensor it returns. One the tutor cannot follow
  // (num_flat_features(x), returning a number) is refused with what to write instead.
  Result<Operand> CallMethod(const std::string& name, const Expr& expr) {
    return CallInForward("method", "self." + name, model_class_->methods.at(name), expr);
  }

  // A `kind` ("method" or "function") of the text called in forward as `shown` (self._forward_impl,
  // channel_shuffle), whose def is statements[signature]: its body runs as forward's does.
  Result<Operand> CallInForward(const std::string& kind, const std::string& shown, std::size_t signature, const Expr& expr) {
    const bool method = kind == "method";
    const auto refused = [&](const std::string& why) {
      return Error{"", "not supported yet: forward calls the " + kind + " " + shown + " (" + why + "); write its steps "
                       "in forward (for a flat size: torch.flatten(x, 1) or x.view(-1, 16 * 5 * 5))", expr.line};
    };
    if (classes_.call_depth + 1 > kMaxCallDepth) return refused("methods calling each other too deeply to follow");
    if (++classes_.function_calls > kMaxFunctionCalls) {
      return refused("more than " + to_string(kMaxFunctionCalls) + " calls of methods and functions");
    }
    const Statement& header = classes_.statements[signature];
    std::vector<std::pair<std::string, std::size_t>> parameters = Parameters(header);
    if (method && !parameters.empty()) parameters.erase(parameters.begin());  // self
    std::map<std::string, ForwardVariable> bound;
    for (std::size_t i = 1; i < expr.parts.size(); ++i) {
      if (!expr.keywords[i - 1].empty() || i > parameters.size()) return refused("give it its tensors by position");
      Result<Operand> argument = Evaluate(expr.parts[i]);
      if (!argument) return argument;
      bound[parameters[i - 1].first] = ForwardVariable{argument.value(), expr.line};
    }
    std::map<std::string, ForwardVariable> outside = std::move(variables_);
    const Operand outside_returned = returned_;
    variables_ = std::move(bound);
    bool returned = false;
    ++classes_.call_depth;
    Result<bool> ran = RunForward(BodyOf(classes_.statements, signature), 0, returned);
    --classes_.call_depth;
    const Operand result = returned_;
    variables_ = std::move(outside);
    returned_ = outside_returned;
    const bool refused_inside = !ran && ran.error().message.rfind("not supported yet: forward calls the ", 0) == 0;
    if (!ran && !refused_inside && ran.error().message.rfind("not supported yet", 0) == 0) {
      return refused(ran.error().message + ", line " + to_string(ran.error().line));
    }
    if (!ran && !refused_inside) {
      Error error = ran.error();
      error.message += " (in " + shown + ", called on line " + to_string(expr.line) + ")";
      return error;
    }
    if (!ran) return ran.error();
    if (!returned) return refused("it never returns a tensor");
    return result;
  }

  // self.add([x, y]) on a Keras merge layer (self.add = layers.Add()): one row joining them.
  Result<Operand> KerasMerge(const std::string& name, ModuleDefinition& module, const Expr& expr) {
    const Expr* listed = ArgumentAt(expr, 0, "inputs");
    if (listed == nullptr || listed->kind != Expr::Kind::kTuple) {
      return Error{"", "self." + name + "(...): a merge layer takes a list of tensors, as in self." + name + "([x, y])",
                   expr.line};
    }
    std::vector<int> rows;
    for (const Expr& item : listed->parts) {
      Result<Operand> tensor = Evaluate(item);
      if (!tensor) return tensor;
      Result<bool> checked = RequireTensor(tensor.value(), item.line, "self." + name);
      if (!checked) return checked.error();
      rows.push_back(tensor.value().row);
    }
    int axis = -1;
    for (const Argument& argument : module.calls[0].arguments) {
      if (argument.keyword == "axis" && argument.value.kind == Value::Kind::kNumber) axis = static_cast<int>(argument.value.number);
    }
    Call shown = module.calls[0];
    shown.line = expr.line;
    Result<Operand> merged = AddMerge(shown, module.kinds[0], rows, axis);
    if (!merged) return merged;
    builder_.Row(merged.value().row).source = module.sources[0];
    if (module.first_row < 0) module.first_row = merged.value().row;
    return merged;
  }

  // self.up(x1, x2): a module of the text's own classes on several tensors.
  Result<Operand> CallOwnModule(const std::string& name, ModuleDefinition& module, const Expr& expr) {
    std::vector<int> rows;
    for (std::size_t i = 1; i < expr.parts.size(); ++i) {
      const std::string& keyword = expr.keywords[i - 1];
      if (classes_.keras && (keyword == "training" || keyword == "mask")) continue;
      if (!keyword.empty()) {
        return Error{"", "self." + name + "(...): give its tensors by position, as in self." + name + "(x1, x2)", expr.line};
      }
      Result<Operand> input = Evaluate(expr.parts[i]);
      if (!input) return input;
      Result<bool> tensor = RequireTensor(input.value(), expr.line, "self." + name);
      if (!tensor) return tensor.error();
      rows.push_back(input.value().row);
    }
    const int start = builder_.LastRow() + 1;
    Result<Operand> output = RunInstance(*module.instances[0], Tensors(rows), expr);
    if (!output) return output;
    if (module.first_row < 0) module.first_row = start;
    return output;
  }

  Result<std::shared_ptr<ModuleInstance>> MakeInstance(const ModelClass& model_class, const Call& call,
                                                       const std::string& step_path);
  Result<Operand> RunInstance(ModuleInstance& instance, const std::vector<Operand>& inputs, const Expr& expr);

  Result<Operand> ApplyFunction(const std::string& name, const Expr& expr) {
    if (classes_.functions.count(name) > 0) {  // channel_shuffle(out, 2) in ShuffleNet's forward
      return CallInForward("function", name, classes_.functions.at(name).statement, expr);
    }
    const std::string function = FunctionName(name);
    if (OneOf(function, kConcatenating)) return Concatenate(name, expr);
    if (!MergeKind(function).empty()) return ElementwiseFunction(name, MergeKind(function), expr);
    if (function == "pad") return Pad(name, expr);
    if (function == "transpose") {
      const Expr* tensor = ArgumentAt(expr, 0, "input");
      if (tensor == nullptr) return Error{"", name + "(x, dim0, dim1): needs the tensor", expr.line};
      Result<Operand> input = Evaluate(*tensor);
      if (!input) return input;
      return Transposed(input.value(), expr, 2);
    }
    if (function == "interpolate" || function == "upsample") return Interpolate(name, expr);
    if (OneOf(function, kUnfollowedJoins)) {
      return Error{"", "not supported yet: " + name + " in forward (the tutor follows torch.cat, torch.add, torch.mul, "
                       "+, - and *)", expr.line};
    }
    const bool known = OneOf(function, kActivationFunctions) || OneOf(function, kDropoutFunctions) ||
                       function == "max_pool2d" || function == "avg_pool2d" || function == "adaptive_avg_pool2d" ||
                       function == "adaptive_max_pool2d" || function == "flatten" || function == "reshape";
    if (!known) {
      return Error{"", "forward: " + name + "(...) is not understood; understood: self.<layer>(x), F.relu and other "
                       "activations, F.max_pool2d, F.avg_pool2d, F.adaptive_avg_pool2d, F.dropout, F.pad, F.interpolate, torch.flatten, "
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
    const bool evaluated = listed != nullptr && (listed->kind == Expr::Kind::kName || listed->kind == Expr::Kind::kComprehension);
    Result<Operand> named = evaluated ? Evaluate(*listed) : Operand{};
    if (!named) return named;
    const bool a_list = named.value().kind == Operand::Kind::kList;  // torch.cat(features, 1)
    if (listed == nullptr || (listed->kind != Expr::Kind::kTuple && !a_list)) {
      return Error{"", name + "(...): expected a list of tensors, as in " + name + "([a, b], dim=1)", expr.line};
    }
    std::vector<int> rows = named.value().rows;
    for (const Expr& item : a_list ? std::vector<Expr>{} : listed->parts) {
      Result<Operand> tensor = Evaluate(item);
      if (!tensor) return tensor;
      Result<bool> checked = RequireTensor(tensor.value(), item.line, name);
      if (!checked) return checked.error();
      rows.push_back(tensor.value().row);
    }
    const Expr* dim = ArgumentAt(expr, 1, classes_.keras ? "axis" : "dim");
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

  // The tensor a function is called on (its first positional argument, or input=), and where it is.
  Result<Operand> TensorOf(const std::string& name, const Expr& expr, std::size_t& at) {
    at = TensorArgument(expr);
    if (at == 0) return Error{"", name + "(...): expected the tensor as its first argument", expr.line};
    Result<Operand> input = Evaluate(expr.parts[at]);
    if (!input) return input;
    Result<bool> tensor = RequireTensor(input.value(), expr.line, name);
    if (!tensor) return tensor.error();
    return input;
  }

  // F.pad(x, [left, right, top, bottom]) with zeros ([left, right]: the width only): a padding row,
  // its sizes known as the model is made (U-Net's decoder works them out from x.size()).
  Result<Operand> Pad(const std::string& name, const Expr& expr) {
    std::size_t tensor_at = 0;
    Result<Operand> input = TensorOf(name, expr, tensor_at);
    if (!input) return input;
    const Expr* pads = ArgumentAt(expr, 1, "pad");
    if (pads == nullptr || pads->kind != Expr::Kind::kTuple || (pads->parts.size() != 2 && pads->parts.size() != 4)) {
      return Error{"", name + "(...): expected the pads of a picture, [left, right, top, bottom]", expr.line};
    }
    const Expr* mode = ArgumentAt(expr, 2, "mode");
    const Expr* fill = ArgumentAt(expr, 3, "value");
    const bool zeros = (mode == nullptr || SourceOf(*mode) == "'constant'" || SourceOf(*mode) == "\"constant\"") &&
                       (fill == nullptr || SourceOf(*fill) == "0" || SourceOf(*fill) == "0.0");
    if (!zeros) return Error{"", "not supported yet: " + name + " with other values than zeros", expr.line};
    std::vector<Value> sizes;
    for (const Expr& part : pads->parts) {
      Result<Operand> size = Evaluate(part);
      if (!size) return size;
      // A negative pad crops, as in PyTorch.
      if (size.value().kind != Operand::Kind::kInteger || size.value().integer < -100000 || size.value().integer > 100000) {
        return Error{"", name + ": the pad " + SourceOf(part) + " is not a size known before running", part.line};
      }
      sizes.push_back(NumberValue(static_cast<double>(size.value().integer), true, to_string(size.value().integer)));
    }
    while (sizes.size() < 4) sizes.push_back(NumberValue(0.0, true, "0"));
    const auto pair = [](const Value& a, const Value& b) {
      Value both;
      both.kind = Value::Kind::kTuple;
      both.items = {a, b};
      return both;
    };
    Argument padding;
    padding.keyword = "padding";
    padding.value = pair(pair(sizes[2], sizes[3]), pair(sizes[0], sizes[1]));  // ((top, bottom), (left, right))
    padding.line = expr.line;
    Call call = RowCall(expr, name);
    call.arguments = {padding};
    return AddRow(call, "ZeroPadding2D", input.value());
  }

  // F.interpolate(x, scale_factor=2, mode='bilinear'): the row nn.Upsample would make, with the
  // values written in the call (sizes named in the code, numbers, the mode).
  Result<Operand> Interpolate(const std::string& name, const Expr& expr) {
    std::size_t tensor_at = 0;
    Result<Operand> input = TensorOf(name, expr, tensor_at);
    if (!input) return input;
    Call call = RowCall(expr, name);
    constexpr const char* kPositions[] = {"size", "scale_factor", "mode", "align_corners"};
    std::size_t positional = 0;
    for (std::size_t i = 1; i < expr.parts.size(); ++i) {
      if (i == tensor_at) continue;
      Argument argument;
      argument.keyword = expr.keywords[i - 1];
      if (argument.keyword.empty()) {
        if (positional >= std::size(kPositions)) return Error{"", name + ": too many values", expr.line};
        argument.keyword = kPositions[positional++];
      }
      Result<Value> value = EvaluateValue(expr.parts[i]);
      if (!value) return value.error();
      argument.value = std::move(value.value());
      argument.line = expr.parts[i].line;
      call.arguments.push_back(std::move(argument));
    }
    return AddRow(call, "Upsample", input.value());
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
    if (object.kind == Operand::Kind::kRegrouped && (method == "transpose" || method == "contiguous")) {
      return method == "contiguous" ? Result<Operand>(object) : Transposed(object, expr, 1);
    }
    if (object.kind != Operand::Kind::kRegrouped || (method != "view" && method != "reshape")) {
      Result<bool> current = RequireTensor(object, expr.line, SourceOf(expr.parts[0]));
      if (!current) return current.error();
    }
    std::vector<Expr> arguments(expr.parts.begin() + 1, expr.parts.end());
    if (method == "view" || method == "reshape") {
      if (arguments.size() == 1 && arguments[0].kind == Expr::Kind::kTuple) arguments = arguments[0].parts;
      return Reshape(arguments, expr, object);
    }
    if (method == "flatten") return Flatten(expr, 0, object);
    if (method == "mean") return MeanOverPicture(expr, object);
    if (OneOf(method, kActivationFunctions)) return AddRow(RowCall(expr), "Activation", object);
    constexpr const char* kSameValues[] = {"contiguous", "clone", "float", "detach"};
    if (OneOf(method, kSameValues)) return object;
    return Error{"", "not supported yet: ." + method + "(...) on a tensor in forward", expr.line};
  }

  // torch.transpose(x, 1, 2) and x.transpose(1, 2) on a regrouped view: two axes swapped (the
  // axes are the arguments from `first` on); a tensor of (C, H, W) is not followed.
  Result<Operand> Transposed(const Operand& input, const Expr& expr, std::size_t first) {
    std::int64_t axes[2] = {0, 0};
    for (std::size_t k = 0; k < 2; ++k) {
      const Expr* given = ArgumentAt(expr, first - 1 + k, k == 0 ? "dim0" : "dim1");
      Result<Operand> axis = given == nullptr ? Result<Operand>(Operand{}) : Evaluate(*given);
      if (!axis) return axis;
      const auto rank = static_cast<std::int64_t>(input.sizes.size()) + 1;
      std::int64_t at = axis.value().kind == Operand::Kind::kInteger ? axis.value().integer : -rank - 1;
      if (at < 0) at += rank;
      if (input.kind != Operand::Kind::kRegrouped || at < 1 || at >= rank) {
        return Error{"", "not supported yet: " + SourceOf(expr) + "; the tutor follows transposing two axes after the "
                         "batch of a tensor viewed with more axes, as a channel shuffle does", expr.line};
      }
      axes[k] = at - 1;
    }
    Operand swapped = input;
    std::swap(swapped.sizes[static_cast<std::size_t>(axes[0])], swapped.sizes[static_cast<std::size_t>(axes[1])]);
    return swapped;
  }

  // x.mean([2, 3]): the average of each channel's picture, a global average pooling to (C).
  Result<Operand> MeanOverPicture(const Expr& expr, const Operand& input) {
    const Expr* dims = ArgumentAt(expr, 0, "dim");
    const Expr* keepdim = ArgumentAt(expr, 1, "keepdim");
    std::set<std::int64_t> axes;
    for (const Expr& dim : dims != nullptr && dims->kind == Expr::Kind::kTuple ? dims->parts : std::vector<Expr>{}) {
      Result<Operand> axis = Evaluate(dim);
      if (!axis) return axis;
      if (axis.value().kind == Operand::Kind::kInteger) axes.insert(axis.value().integer < 0 ? axis.value().integer + 4 : axis.value().integer);
    }
    const bool picture = builder_.ShapeOf(input.row).size() == 3 && axes == std::set<std::int64_t>{2, 3} &&
                         dims->parts.size() == 2 && (keepdim == nullptr || SourceOf(*keepdim) == "False");
    if (!picture) {
      return Error{"", "not supported yet: " + SourceOf(expr) + "; the tutor follows x.mean([2, 3]), the average of "
                       "each channel's picture", expr.line};
    }
    return AddRow(RowCall(expr), "GlobalAveragePooling2D", input);
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
    const std::vector<int> shape = input.kind == Operand::Kind::kRegrouped ? input.sizes : builder_.ShapeOf(input.row);
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
    if (target.size() == 4 && input.kind == Operand::Kind::kTensor) {  // x.view(b, groups, c // groups, h, w)
      Operand regrouped;
      regrouped.kind = Operand::Kind::kRegrouped;
      regrouped.row = input.row;
      regrouped.sizes = target;
      regrouped.text = SourceOf(expr);
      return regrouped;
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
  ClassTable& classes_;
  std::string path_;
  int depth_ = 0;
  Operand returned_;  // what forward's return gave
  const ModelClass* model_class_ = nullptr;                  // this module's class, once ReadClass ran
  std::map<std::string, ModuleDefinition> local_lists_;      // layers = [] being filled in __init__ or a method
  std::vector<std::string> module_order_;                    // the names of modules_ (not ModuleList items), as made
  static constexpr const char* kReturnedName = "returned";  // a method's nn.Sequential(...), until placed
};

// A module of one of the text's own classes, made in another's __init__: its own values (the
// arguments it was made with) and its own layers, read by a reader of its own.
struct ModuleInstance {
  ModuleInstance(const ClassTable& classes, const ModelClass& made_from) : parser(classes.globals), model_class(made_from) {}
  CallParser parser;
  const ModelClass& model_class;
  std::unique_ptr<ModuleReader> reader;
  bool called = false;
};

// Block(64, 128, stride=2) in an __init__: the class's module, made with those values (read in the
// module that makes it, then given to the block's __init__).
Result<std::shared_ptr<ModuleInstance>> ModuleReader::MakeInstance(const ModelClass& model_class, const Call& call,
                                                                   const std::string& step_path) {
  if (depth_ + 1 > kMaxModuleDepth) return Error{"", "modules inside modules too deeply to follow", call.line};
  if (++classes_.instances > kMaxInstances) {
    return Error{"", "more than " + to_string(kMaxInstances) + " modules of the text's own classes", call.line};
  }
  Result<bool> own = CheckNotInherited(model_class);
  if (!own) return own.error();
  if (model_class.forward == 0 && LastPart(model_class.base) != "Sequential") {
    return Error{"", call.name + " has no forward: the tutor follows a module's forward to know what it does", call.line};
  }
  auto instance = std::make_shared<ModuleInstance>(classes_, model_class);
  instance->reader = std::make_unique<ModuleReader>(text_, tokens_, instance->parser, builder_, classes_,
                                                    path_ + step_path + ".", depth_ + 1);
  Result<bool> read = instance->reader->ReadClass(model_class, &call);
  if (!read) return read.error();
  return instance;
}

Result<Operand> ModuleReader::RunInstance(ModuleInstance& instance, const std::vector<Operand>& inputs, const Expr& expr) {
  Result<Operand> output = instance.reader->CallForward(instance.model_class, inputs);
  if (!output) {
    Error error = output.error();
    if (error.line != expr.line) error.message += " (in the module called on line " + to_string(expr.line) + ")";
    return error;
  }
  instance.called = true;
  return output;
}

Result<bool> ModuleReader::RunMadeModel(ModuleInstance& instance, const std::vector<int>& inputs) {
  Result<Operand> output = instance.reader->CallForward(instance.model_class, Tensors(inputs));
  if (!output) return output.error();
  instance.called = true;
  return instance.reader->CheckEveryWeightedLayerIsCalled();
}

void ModuleReader::Repath(ModuleInstance& instance, const std::string& from, const std::string& to) {
  ModuleReader& reader = *instance.reader;
  if (reader.path_.rfind(from, 0) != 0) return;
  const std::string old_path = reader.path_;
  reader.path_ = to + old_path.substr(from.size());
  for (auto& [name, module] : reader.modules_) {
    for (std::string& source : module.sources) {
      if (source.rfind("self." + old_path, 0) == 0) source = "self." + reader.path_ + source.substr(5 + old_path.size());
    }
    for (const std::shared_ptr<ModuleInstance>& inner : module.instances) {
      if (inner != nullptr) Repath(*inner, from, to);
    }
  }
}

Result<bool> ModuleReader::CheckOwnModulesCalled(const ModuleDefinition& module) const {
  for (const std::shared_ptr<ModuleInstance>& instance : module.instances) {
    if (instance == nullptr || !instance->called) continue;
    Result<bool> inside = instance->reader->CheckEveryWeightedLayerIsCalled();
    if (!inside) return inside;
  }
  return true;
}


// Whether the def at statements[at] has a body of `pass` or `...` only: a stub TorchScript reads
// for its types (torchvision's DenseNet writes two before its forward), which never runs.
bool IsStub(const std::vector<Statement>& statements, std::size_t at, const std::vector<Token>& tokens) {
  const std::vector<Statement> body = BodyOf(statements, at);
  return !body.empty() && std::all_of(body.begin(), body.end(), [&](const Statement& line) {
    for (std::size_t t = line.begin; t < line.end; ++t) {
      const bool filler = IsWord(tokens[t], "pass") || (tokens[t].kind == TokenKind::kPunct && tokens[t].text == ".");
      if (!filler) return false;
    }
    return true;
  });
}

// The classes of the text, each with its __init__ and forward (a class's own lines, at its body's
// indent), or the line that cannot be read.
Result<std::map<std::string, ModelClass>> FindClasses(const std::vector<Statement>& statements,
                                                      const std::vector<Token>& tokens, const char* forward_name) {
  std::map<std::string, ModelClass> classes;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    if (!IsWord(tokens[statement.begin], "class")) continue;
    const Token& name = tokens[statement.begin + 1];
    if (name.kind != TokenKind::kName) return Error{"", "class: expected its name", statement.line};
    ModelClass model_class;
    model_class.statement = i;
    const Token& open = tokens[statement.begin + 2];
    if (statement.begin + 3 < statement.end && open.kind == TokenKind::kPunct && open.text == "(") {
      model_class.base = tokens[statement.begin + 3].text;
    }
    model_class.end = i + 1 + BodyOf(statements, i).size();
    for (std::size_t k = i + 1; k < model_class.end; ++k) {
      const Statement& line = statements[k];
      if (line.indent != statements[i + 1].indent || !IsWord(tokens[line.begin], "def")) continue;
      const std::string& function = tokens[line.begin + 1].text;
      if (function != "__init__" && function != forward_name) {
        model_class.methods[function] = k;
        continue;
      }
      std::size_t& slot = function == "__init__" ? model_class.init : model_class.forward;
      if (IsStub(statements, k, tokens)) continue;  // @torch.jit._overload_method stubs before the real forward
      if (slot != 0) return Error{"", "class " + name.text + " has a second " + function, line.line};
      slot = k;
    }
    if (classes.count(name.text) > 0) return Error{"", "a second class " + name.text, statement.line};
    classes[name.text] = model_class;
  }
  return classes;
}

// The model when nothing outside the classes makes one: the last class with a forward that no
// other class names (its blocks are made in its __init__, or handed to it: block=BasicBlock), else
// the last class with a forward.
std::string OutermostClass(const std::map<std::string, ModelClass>& classes, const std::vector<Statement>& statements,
                           const std::vector<Token>& tokens) {
  const auto named_by_another = [&](const std::string& name) {
    for (const auto& [other_name, other] : classes) {
      if (other_name == name) continue;
      const std::size_t begin = statements[other.statement].begin;
      const std::size_t end = other.end < statements.size() ? statements[other.end].begin : tokens.size();
      for (std::size_t t = begin; t < end; ++t) {
        if (tokens[t].kind == TokenKind::kName && tokens[t].text == name) return true;
      }
    }
    return false;
  };
  std::string outermost, last;
  std::size_t outermost_at = 0, last_at = 0;
  for (const auto& [name, model_class] : classes) {
    if (model_class.forward == 0) continue;
    if (model_class.statement >= last_at) {
      last_at = model_class.statement;
      last = name;
    }
    if (!named_by_another(name) && model_class.statement >= outermost_at) {
      outermost_at = model_class.statement;
      outermost = name;
    }
  }
  return outermost.empty() ? last : outermost;
}

bool InsideAClass(const std::map<std::string, ModelClass>& classes, std::size_t statement) {
  return std::any_of(classes.begin(), classes.end(), [&](const auto& entry) {
    return statement >= entry.second.statement && statement < entry.second.end;
  });
}

bool InsideAFunction(const std::map<std::string, TextFunction>& functions, std::size_t statement) {
  return std::any_of(functions.begin(), functions.end(), [&](const auto& entry) {
    return statement >= entry.second.statement && statement < entry.second.end;
  });
}

// The text's functions outside its classes (def conv3x3(...), def resnet18(...)), each with where
// its lines are; a def inside one of them belongs to it.
std::map<std::string, TextFunction> FindFunctions(const std::vector<Statement>& statements, const std::vector<Token>& tokens,
                                                  const std::map<std::string, ModelClass>& classes) {
  std::map<std::string, TextFunction> functions;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const Statement& statement = statements[i];
    const bool def = IsWord(tokens[statement.begin], "def") && tokens[statement.begin + 1].kind == TokenKind::kName;
    if (!def || InsideAClass(classes, i) || InsideAFunction(functions, i)) continue;
    functions[tokens[statement.begin + 1].text] = TextFunction{i, i + 1 + BodyOf(statements, i).size()};
  }
  return functions;
}

// The text's functions that make a model and return it (def resnet18(...): return _resnet(...)):
// those whose body calls one of the classes with a forward, or another such function, and returns.
// Those starting with _ are the text's own helpers, not for the learner to pick.
std::vector<std::string> ModelFunctions(const std::map<std::string, TextFunction>& functions,
                                        const std::map<std::string, ModelClass>& classes,
                                        const std::vector<Statement>& statements, const std::vector<Token>& tokens) {
  std::set<std::string> making;
  for (std::size_t pass = 0; pass <= functions.size(); ++pass) {
    const std::size_t before = making.size();
    for (const auto& [name, function] : functions) {
      const std::size_t begin = statements[function.statement].end;
      const std::size_t end = function.end < statements.size() ? statements[function.end].begin : tokens.size() - 1;
      bool calls = false, returns = false;
      for (std::size_t t = begin; t < end; ++t) {
        returns = returns || IsWord(tokens[t], "return");
        const auto made = classes.find(tokens[t].text);
        const bool model = made != classes.end() && made->second.forward > 0;
        calls = calls || (tokens[t].kind == TokenKind::kName && (model || making.count(tokens[t].text) > 0) &&
                          tokens[t + 1].kind == TokenKind::kPunct && tokens[t + 1].text == "(");
      }
      if (calls && returns) making.insert(name);
    }
    if (making.size() == before) break;
  }
  std::vector<std::pair<std::size_t, std::string>> in_order;
  for (const std::string& name : making) {
    if (name[0] != '_') in_order.emplace_back(functions.at(name).statement, name);
  }
  std::sort(in_order.begin(), in_order.end());
  std::vector<std::string> names;
  for (const auto& entry : in_order) names.push_back(entry.second);
  return names;
}

// "forward" in a message about a Keras model is its call().
Error InKerasWords(Error error) {
  std::string& message = error.message;
  for (std::size_t at = message.find("forward"); at != std::string::npos; at = message.find("forward", at)) {
    message.replace(at, 7, "call()");
    at += 6;
  }
  return error;
}

// class Net(nn.Module): the input from outside the class (Input(...) or torch.randn(...)), layers from
// __init__, their order from forward. With several classes, the model is the one made outside them
// (model = ResNet(...)), else the one no other class names; the others are its blocks, made in its
// __init__ (self.block1 = ConvBlock(3, 32)) and run by its forward. `keras`: a tf.keras.Model
// subclass, whose call() is its forward, its input Input(H, W, C), keras.Input(shape=...) or
// model.build((None, H, W, C)).
Result<ModelSummary> ReadModelClasses(std::string_view text, const std::vector<Token>& tokens, int first_line, bool keras) {
  const std::vector<Statement> statements = SplitStatements(text, tokens);
  Result<std::map<std::string, ModelClass>> found = FindClasses(statements, tokens, keras ? "call" : "forward");
  if (!found) return found.error();
  std::map<std::string, ModelClass> classes = std::move(found.value());
  const bool any_forward = std::any_of(classes.begin(), classes.end(), [](const auto& entry) { return entry.second.forward > 0; });
  if (!any_forward) {
    const char* method = keras ? "call" : "forward";
    const std::string model = keras ? "class MyModel(tf.keras.Model)" : "class Net(nn.Module)";
    for (const Statement& statement : statements) {
      if (IsWord(tokens[statement.begin], "def") && IsWord(tokens[statement.begin + 1], method)) {
        return Error{"", "def " + std::string(method) + " must be inside a " + model, statement.line};
      }
    }
    return Error{"", "def " + std::string(method) + " must start its own line, inside a " + model, first_line};
  }

  CallParser parser(text, tokens);
  // Sizes named in a class's body (expansion = 1): BasicBlock.expansion, and block.expansion for
  // a name given the class.
  for (auto& [name, model_class] : classes) {
    CallParser scratch(text, tokens);
    const std::size_t first = model_class.statement + 1;
    for (std::size_t i = first; i < model_class.end; ++i) {
      if (statements[i].indent != statements[first].indent || IsWord(tokens[statements[i].begin], "def")) continue;
      scratch.Seek(statements[i].begin);
      const std::string& attribute = tokens[statements[i].begin].text;
      if (!scratch.TryAssignment() || scratch.Variable(attribute) == nullptr) continue;
      model_class.attributes[attribute] = *scratch.Variable(attribute);
      parser.Define(name + "." + attribute, *scratch.Variable(attribute));
    }
  }
  ModelBuilder builder(!keras);
  const std::map<std::string, TextFunction> functions = FindFunctions(statements, tokens, classes);
  // Outside the classes and functions: sizes named for later (num_classes = 10), the inputs (one per
  // tensor forward takes, in order; also inside a function, as kuangliu's test() makes it) and the
  // model made with its sizes (model = Block(64, 128, stride=2)) or by a function of the text
  // (model = resnet18()).
  std::vector<int> inputs;
  std::optional<Call> made;
  std::string model_name;
  std::size_t model_function_at = 0;  // the token of model = resnet18(), or 0
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (InsideAClass(classes, i)) continue;
    const bool in_function = InsideAFunction(functions, i);
    parser.Seek(statements[i].begin);
    if (!in_function && parser.TryAssignment()) continue;
    for (std::size_t t = statements[i].begin; t + 1 < statements[i].end; ++t) {
      const std::string name = LastPart(tokens[t].text);
      const bool call = tokens[t].kind == TokenKind::kName && tokens[t + 1].kind == TokenKind::kPunct &&
                        tokens[t + 1].text == "(";
      const bool built = keras && call && name == "build" && tokens[t].text.find('.') != std::string::npos;
      const bool input = call && (name == "Input" || (!keras && (name == "randn" || name == "rand")) || built);
      const bool chosen = made || model_function_at > 0 || in_function;
      const bool model = call && !chosen && classes.count(tokens[t].text) > 0;
      if (call && !chosen && functions.count(tokens[t].text) > 0) {
        model_function_at = t;
        break;
      }
      if (!input && !model) continue;
      parser.Seek(t);
      Result<Call> parsed = parser.ParseCall();
      if (!parsed) return parsed.error();
      if (!input) {
        made = parsed.value();
        model_name = tokens[t].text;
        break;
      }
      // model.build((None, 28, 28, 1)): the input's shape with its batch first.
      if (built && parsed.value().arguments.size() == 1 && parsed.value().arguments[0].keyword.empty()) {
        parsed.value().arguments[0].keyword = "batch_shape";
      }
      Result<int> added = builder.AddInput(parsed.value());
      if (!added) return added.error();
      inputs.push_back(added.value());
      break;
    }
  }
  // Nothing outside says which model to read: when the text's functions make one, the only such
  // function is read (it is the model the text makes); with several (resnet18, resnet34, ... in
  // torchvision's resnet.py) picking one would guess, so the learner is asked to say which.
  const std::vector<std::string> model_functions = ModelFunctions(functions, classes, statements, tokens);
  if (!made && model_function_at == 0 && model_functions.size() > 1) {
    std::string names;
    for (std::size_t k = 0; k < model_functions.size() && k < 4; ++k) names += (k ? ", " : "") + model_functions[k];
    if (model_functions.size() > 4) names += ", ...";
    return Error{"", "the text has several functions that make a model (" + names + "): say which to read with a line "
                     "such as model = " + model_functions[0] + "() after them",
                 statements[functions.at(model_functions[0]).statement].line};
  }
  if (!made && model_function_at == 0 && model_functions.size() == 1) {
    const TextFunction& only = functions.at(model_functions[0]);
    model_function_at = statements[only.statement].begin + 1;  // its name on the def line, called with its defaults
  }
  if (model_name.empty() && model_function_at == 0) model_name = OutermostClass(classes, statements, tokens);
  if (model_function_at > 0) {
    if (inputs.empty()) {
      return Error{"", "the model needs its input's shape: add Input(channels, height, width) or "
                       "x = torch.randn(1, channels, height, width) outside the functions", tokens[model_function_at].line};
    }
    ClassTable table{statements, classes, functions, parser};
    table.keras = keras;
    ModuleReader reader(text, tokens, parser, builder, table);
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (!InsideAClass(classes, i) && !InsideAFunction(functions, i)) reader.ReadOutsideValue(statements[i], table.globals);
    }
    Result<bool> read = reader.ReadModelMadeBy(model_function_at, inputs);
    if (!read) return read.error();
    return builder.Finish(first_line);
  }
  const ModelClass& model_class = classes.at(model_name);
  if (model_class.forward == 0) {
    return Error{"", "class " + model_name + " has no forward: the tutor follows forward to know the layers' order",
                 statements[model_class.statement].line};
  }
  if (inputs.empty()) {
    if (keras) {
      return Error{"", "the model needs its input's shape: add Input(height, width, channels) or "
                       "model.build((None, height, width, channels)) outside the class", statements[model_class.statement].line};
    }
    return Error{"", "the model needs its input's shape: add Input(channels, height, width) or "
                     "x = torch.randn(1, channels, height, width) outside the class", statements[model_class.statement].line};
  }
  ClassTable table{statements, classes, functions, parser};
  table.keras = keras;
  ModuleReader reader(text, tokens, parser, builder, table);
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (!InsideAClass(classes, i) && !InsideAFunction(functions, i)) reader.ReadOutsideValue(statements[i], table.globals);
  }
  const auto in_words = [keras](Error error) { return keras ? InKerasWords(std::move(error)) : error; };
  Result<bool> read = reader.ReadClass(model_class, made ? &*made : nullptr);
  if (!read) return in_words(read.error());
  Result<bool> followed =
      reader.ReadForward(statements[model_class.forward], BodyOf(statements, model_class.forward), ModuleReader::Tensors(inputs));
  if (!followed) return in_words(followed.error());
  Result<bool> all_called = reader.CheckEveryWeightedLayerIsCalled();
  if (!all_called) return all_called.error();
  return builder.Finish(first_line);
}

}  // namespace

bool DefinesMethod(const std::vector<Token>& tokens, const char* name) {
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (IsWord(tokens[i], "def") && IsWord(tokens[i + 1], name)) return true;
  }
  return false;
}

Result<ModelSummary> ReadPyTorchModule(std::string_view text, const std::vector<Token>& tokens, int first_line) {
  return ReadModelClasses(text, tokens, first_line, false);
}

Result<ModelSummary> ReadKerasModel(std::string_view text, const std::vector<Token>& tokens, int first_line) {
  return ReadModelClasses(text, tokens, first_line, true);
}

}  // namespace convtutor::lessons::reading
