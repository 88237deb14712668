// Model summaries from Keras-like code: a small tokenizer and call parser that finds the layer
// calls in real Keras text (prefixes, Sequential/add wrappers, keyword arguments, tuples), then
// each layer's output shape (via the core's ResolveAxis) and parameter count with the arithmetic.
#include "convtutor/model.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <tuple>
#include <utility>

#include "convtutor/geometry.h"
#include "lesson_text.h"

namespace convtutor::lessons {
namespace {

using std::int64_t;
using std::to_string;

enum class TokenKind { kName, kNumber, kString, kPunct, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // a dotted name ("keras.layers.Conv2D"), the number or string as written, or the punctuation
  int line = 0;
  std::size_t offset = 0;  // where the token starts in the text
};

// Python-ish tokens. Comments and import lines carry no layers, so they are skipped here.
Result<std::vector<Token>> Tokenize(std::string_view text, int first_line) {
  std::vector<Token> tokens;
  int line = first_line;
  bool line_start = true;
  std::size_t i = 0;
  const auto is_name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = true;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\\') {
      ++i;
      continue;
    }
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (line_start && (text.compare(i, 7, "import ") == 0 || text.compare(i, 5, "from ") == 0)) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    line_start = false;
    Token token;
    token.line = line;
    token.offset = i;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = i;
      while (end < text.size() && (is_name_char(text[end]) || (text[end] == '.' && end + 1 < text.size() &&
                                                              (std::isalpha(static_cast<unsigned char>(text[end + 1])) ||
                                                               text[end + 1] == '_')))) {
        ++end;
      }
      token.kind = TokenKind::kName;
      token.text = std::string(text.substr(i, end - i));
      i = end;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      std::size_t end = i;
      while (end < text.size() && (is_name_char(text[end]) || text[end] == '.' ||
                                   ((text[end] == '-' || text[end] == '+') && (text[end - 1] == 'e' || text[end - 1] == 'E')))) {
        ++end;
      }
      token.kind = TokenKind::kNumber;
      token.text = std::string(text.substr(i, end - i));
      i = end;
    } else if (c == '\'' || c == '"') {
      const std::size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos || text.substr(i, close - i).find('\n') != std::string_view::npos) {
        return Error{"", "a string is not closed (missing " + std::string(1, c) + ")", line};
      }
      token.kind = TokenKind::kString;
      token.text = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      token.kind = TokenKind::kPunct;
      token.text = std::string(1, c);
      ++i;
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.line = line;
  end.offset = text.size();
  tokens.push_back(end);
  return tokens;
}

// An argument value: a number, a string, True/False/None, a tuple/list of values, or something
// else (a name, a nested call) kept only as text.
struct Value {
  enum class Kind { kNumber, kString, kBool, kNone, kTuple, kOther };
  Kind kind = Kind::kOther;
  double number = 0.0;
  bool integral = false;
  std::string text;
  std::vector<Value> items;
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

class CallParser {
 public:
  CallParser(std::string_view text, const std::vector<Token>& tokens) : text_(text), tokens_(tokens) {}

  const Token& Peek(std::size_t ahead = 0) const { return tokens_[std::min(position_ + ahead, tokens_.size() - 1)]; }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  void Advance() { position_ = std::min(position_ + 1, tokens_.size() - 1); }
  bool IsPunct(const char* text, std::size_t ahead = 0) const {
    return Peek(ahead).kind == TokenKind::kPunct && Peek(ahead).text == text;
  }

  // Reads "name = value" or "a, b = 28, 28" when every value is a number or a tuple of numbers
  // (img_rows = 28; input_shape = (img_rows, img_cols, 1)), so later layers can use the names as
  // Keras examples do. Anything else (model = Sequential(...)) is left for the layer scan.
  bool TryAssignment() {
    const std::size_t mark = position_;
    std::vector<std::string> names;
    while (Peek().kind == TokenKind::kName && Peek().text.find('.') == std::string::npos) {
      names.push_back(Peek().text);
      Advance();
      if (!IsPunct(",")) break;
      Advance();
    }
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

  // Skips a bracketed group starting at the current opening bracket.
  Result<bool> SkipGroup() {
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

  // Parses "Name(args)" with the current token at the name.
  Result<Call> ParseCall() {
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

 private:
  Result<Value> ParseValue() {
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
      // Products such as nn.Linear(16 * 5 * 5, 120), as PyTorch code writes flattened sizes.
      while (IsPunct("*") && Peek(1).kind == TokenKind::kNumber) {
        Advance();
        const double factor = std::strtod(Peek().text.c_str(), nullptr);
        if (!(value.number * factor < 1e12)) return Error{"", "the product " + value.text + " * ... is too large", Peek().line};
        value.number *= factor;
        value.integral = value.integral && Peek().text.find_first_of(".eE") == std::string::npos;
        value.text += " * " + Peek().text;
        Advance();
      }
      return value;
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

  static bool IsNumeric(const Value& value) {
    if (value.kind == Value::Kind::kNumber) return true;
    if (value.kind != Value::Kind::kTuple || value.items.empty()) return false;
    return std::all_of(value.items.begin(), value.items.end(), IsNumeric);
  }

  std::string_view text_;
  const std::vector<Token>& tokens_;
  std::size_t position_ = 0;
  std::map<std::string, Value> variables_;  // numbers and shapes named earlier in the text
};

// Layer names understood, with the canonical spelling shown in summaries.
struct LayerName {
  const char* written;
  const char* kind;
};
constexpr LayerName kLayerNames[] = {
    {"Input", "Input"},
    {"InputLayer", "Input"},
    {"Conv2D", "Conv2D"},
    {"Convolution2D", "Conv2D"},
    {"MaxPooling2D", "MaxPooling2D"},
    {"MaxPool2D", "MaxPooling2D"},
    {"AveragePooling2D", "AveragePooling2D"},
    {"AvgPool2D", "AveragePooling2D"},
    {"GlobalMaxPooling2D", "GlobalMaxPooling2D"},
    {"GlobalMaxPool2D", "GlobalMaxPooling2D"},
    {"GlobalAveragePooling2D", "GlobalAveragePooling2D"},
    {"GlobalAvgPool2D", "GlobalAveragePooling2D"},
    {"ZeroPadding2D", "ZeroPadding2D"},
    {"Flatten", "Flatten"},
    {"Dense", "Dense"},
    {"Dropout", "Dropout"},
    {"SpatialDropout2D", "Dropout"},
    {"Activation", "Activation"},
    {"ReLU", "Activation"},
    {"LeakyReLU", "Activation"},
    {"Softmax", "Activation"},
    {"Rescaling", "Rescaling"},
    {"BatchNormalization", "BatchNormalization"},
    // PyTorch (torch.nn)
    {"Conv2d", "Conv2d"},
    {"MaxPool2d", "MaxPool2d"},
    {"AvgPool2d", "AvgPool2d"},
    {"AdaptiveAvgPool2d", "AdaptiveAvgPool2d"},
    {"AdaptiveMaxPool2d", "AdaptiveMaxPool2d"},
    {"Linear", "Linear"},
    {"BatchNorm2d", "BatchNorm2d"},
    {"Dropout2d", "Dropout"},
    {"Sigmoid", "Activation"},
    {"Tanh", "Activation"},
    {"Identity", "Activation"},
    {"randn", "Input"},
    {"rand", "Input"},
};

// Which framework a layer name belongs to; shared names (Flatten, ReLU, Dropout, ...) belong to both.
enum class Dialect { kEither, kKeras, kTorch };

Dialect DialectOf(const std::string& name) {
  constexpr const char* kTorchOnly[] = {"Conv2d",    "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
                                        "Linear",    "BatchNorm2d", "Dropout2d"};
  constexpr const char* kKerasOnly[] = {"Conv2D",       "Convolution2D",          "MaxPooling2D",     "MaxPool2D",
                                        "AveragePooling2D", "AvgPool2D",          "GlobalMaxPooling2D", "GlobalMaxPool2D",
                                        "GlobalAveragePooling2D", "GlobalAvgPool2D", "ZeroPadding2D",  "Dense",
                                        "BatchNormalization", "InputLayer",       "SpatialDropout2D", "Rescaling"};
  for (const char* torch : kTorchOnly) {
    if (name == torch) return Dialect::kTorch;
  }
  for (const char* keras : kKerasOnly) {
    if (name == keras) return Dialect::kKeras;
  }
  return Dialect::kEither;
}

// Calls that hold layers (their arguments are scanned) rather than being layers.
bool IsWrapper(const std::string& name) { return name == "Sequential" || name == "add" || name == "Model"; }

// Arguments that do not change shapes or parameter counts.
bool IsIgnorable(const std::string& keyword) {
  constexpr const char* kIgnorable[] = {"name",           "kernel_initializer", "bias_initializer", "kernel_regularizer",
                                        "bias_regularizer", "activity_regularizer", "kernel_constraint",
                                        "bias_constraint", "trainable", "dtype", "seed", "noise_shape", "axis",
                                        "momentum", "epsilon", "alpha", "negative_slope", "max_value", "threshold",
                                        "offset", "scale_factor", "beta_initializer", "gamma_initializer",
                                        "moving_mean_initializer", "moving_variance_initializer", "sparse", "ragged",
                                        "batch_size", "activation", "data_format", "device", "inplace",
                                        "padding_mode", "return_indices", "divisor_override",
                                        "count_include_pad", "track_running_stats", "eps"};
  return std::any_of(std::begin(kIgnorable), std::end(kIgnorable), [&](const char* k) { return keyword == k; });
}

// One layer call's arguments, read by Keras's positional order and keywords.
class LayerArguments {
 public:
  LayerArguments(const Call& call, std::vector<std::string> positional_names) : call_(call) {
    for (const Argument& argument : call.arguments) {
      if (argument.keyword.empty()) {
        positional_.push_back(&argument);
      } else {
        keywords_.push_back(&argument);
      }
    }
    names_ = std::move(positional_names);
  }

  // Checks the positional count and that every keyword is known or harmless.
  Result<bool> Check(const std::vector<std::string>& extra_keywords) const {
    if (positional_.size() > names_.size()) {
      return Error{"", call_.name + ": too many arguments without a name (expected at most " +
                           to_string(names_.size()) + ")", call_.line};
    }
    for (const Argument* argument : keywords_) {
      const std::string& keyword = argument->keyword;
      const bool known = std::find(names_.begin(), names_.end(), keyword) != names_.end() ||
                         std::find(extra_keywords.begin(), extra_keywords.end(), keyword) != extra_keywords.end() ||
                         IsIgnorable(keyword);
      if (!known) {
        std::string message = call_.name + ": unknown argument \"" + keyword + "\"";
        if (keyword == "stride") message += " (Keras spells it strides)";
        if (keyword == "kernel") message += " (Keras spells it kernel_size)";
        if (keyword == "dilation") message += " (Keras spells it dilation_rate)";
        return Error{"", message, argument->line};
      }
    }
    return true;
  }

  const Argument* Find(const std::string& name) const {
    for (const Argument* argument : keywords_) {
      if (argument->keyword == name) return argument;
    }
    const auto at = std::find(names_.begin(), names_.end(), name);
    const std::size_t index = static_cast<std::size_t>(at - names_.begin());
    if (at != names_.end() && index < positional_.size()) return positional_[index];
    return nullptr;
  }

  // A positive int, or a pair of them from a tuple; `fallback` when absent (or None).
  Result<std::pair<int, int>> Pair(const std::string& name, std::pair<int, int> fallback) const {
    const Argument* argument = Find(name);
    if (argument == nullptr || argument->value.kind == Value::Kind::kNone) return fallback;
    const Value& value = argument->value;
    const auto whole = [](const Value& v) { return v.kind == Value::Kind::kNumber && v.integral && v.number >= 1 && v.number < 1e6; };
    if (whole(value)) return std::make_pair(static_cast<int>(value.number), static_cast<int>(value.number));
    if (value.kind == Value::Kind::kTuple && value.items.size() == 2 && whole(value.items[0]) && whole(value.items[1])) {
      return std::make_pair(static_cast<int>(value.items[0].number), static_cast<int>(value.items[1].number));
    }
    return Error{"", call_.name + ": " + name + ": expected a positive whole number or a pair like (3, 3), got " +
                         Describe(value), argument->line};
  }

  Result<int> Positive(const std::string& name, bool required) const {
    const Argument* argument = Find(name);
    if (argument == nullptr) {
      if (required) return Error{"", call_.name + ": needs " + name, call_.line};
      return 0;
    }
    const Value& value = argument->value;
    if (value.kind != Value::Kind::kNumber || !value.integral || value.number < 1 || value.number > 1e7) {
      return Error{"", call_.name + ": " + name + ": expected a positive whole number, got " + Describe(value),
                   argument->line};
    }
    return static_cast<int>(value.number);
  }

  Result<bool> Flag(const std::string& name, bool fallback) const {
    const Argument* argument = Find(name);
    if (argument == nullptr) return fallback;
    if (argument->value.kind != Value::Kind::kBool) {
      return Error{"", call_.name + ": " + name + ": expected True or False", argument->line};
    }
    return argument->value.number != 0.0;
  }

  // padding='valid' or 'same'.
  Result<bool> SamePadding() const {
    const Argument* argument = Find("padding");
    if (argument == nullptr) return false;
    std::string mode = argument->value.text;
    for (char& c : mode) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (argument->value.kind == Value::Kind::kString && (mode == "valid" || mode == "same")) return mode == "same";
    return Error{"", call_.name + ": padding: expected 'valid' or 'same', got " + Describe(argument->value),
                 argument->line};
  }

  // A shape tuple of whole numbers such as (300, 300, 3); None is refused (sizes must be known).
  Result<std::vector<int>> Shape(const Value& value, int line) const {
    std::vector<int> shape;
    if (value.kind == Value::Kind::kTuple) {
      for (const Value& item : value.items) {
        if (item.kind == Value::Kind::kNumber && item.integral && item.number >= 1 && item.number < 1e7) {
          shape.push_back(static_cast<int>(item.number));
        } else {
          return Error{"", call_.name + ": the input shape " + Describe(value) +
                               " needs every size as a whole number (no None: this tutor works with known sizes)",
                       line};
        }
      }
    }
    if (shape.size() != 3 && shape.size() != 1) {
      return Error{"", call_.name + ": expected an input shape (height, width, channels) or (features,), got " +
                           Describe(value), line};
    }
    return shape;
  }

  const Call& call() const { return call_; }
  const std::vector<const Argument*>& positional() const { return positional_; }

 private:
  const Call& call_;
  std::vector<const Argument*> positional_;
  std::vector<const Argument*> keywords_;
  std::vector<std::string> names_;
};

std::string AxisFormulas(const AxisGeometry& rows, const AxisGeometry& cols) {
  if (rows.formula == cols.formula) return rows.formula;
  return "rows " + rows.formula + "; columns " + cols.formula;
}

// Callers check the size first (in floating point), so the product is exact.
int64_t Product(const std::vector<int>& shape) {
  int64_t product = 1;
  for (int size : shape) product *= size;
  return product;
}

// Counts past this are typing mistakes, not models; refusing them keeps the arithmetic exact.
constexpr double kMaxParameters = 1e15;

Result<bool> CheckParameterCount(double estimate, const std::string& kind, int line) {
  if (estimate <= kMaxParameters) return true;
  return Error{"", kind + ": more than 10^15 parameters; check the sizes", line};
}

class ModelBuilder {
 public:
  explicit ModelBuilder(bool torch) : torch_(torch) { summary_.channels_first = torch; }

  Result<bool> Add(const Call& call, const std::string& kind) {
    if (kind == "Input") return AddInput(call);
    if (summary_.layers.empty()) {
      // input_shape=... on the first layer stands for an Input layer.
      Result<bool> input = AddInputShapeFrom(call);
      if (!input) return input;
    } else {
      for (const Argument& argument : call.arguments) {
        if (argument.keyword == "input_shape") {
          return Error{"", call.name + ": input_shape belongs on the first layer only", argument.line};
        }
      }
    }
    ModelLayer layer;
    layer.line = call.line;
    layer.source = call.source;
    layer.kind = kind;
    layer.input_shape = summary_.layers.back().output_shape;
    Result<bool> built = Build(call, layer);
    if (!built) return built;
    Result<bool> counted = CountMultiplyAdds(layer);
    if (!counted) return counted;
    summary_.total_parameters += layer.parameters;
    summary_.total_multiply_adds += layer.multiply_adds;
    summary_.layers.push_back(std::move(layer));
    return true;
  }

  Result<ModelSummary> Finish(int line) {
    if (summary_.layers.size() < 2) {
      return Error{"", "no layers found: write one layer per call, e.g. Input(28, 28, 1) then Conv2D(32, (3, 3))", line};
    }
    if (torch_) {
      // Worked channels-last inside; shown as PyTorch counts: (C, H, W).
      const auto channels_first = [](std::vector<int>& shape) {
        if (shape.size() == 3) shape = {shape[2], shape[0], shape[1]};
      };
      for (ModelLayer& layer : summary_.layers) {
        channels_first(layer.input_shape);
        channels_first(layer.output_shape);
        layer.channels_first = true;
      }
    }
    return std::move(summary_);
  }

 private:
  Result<bool> AddInput(const Call& call) {
    if (!summary_.layers.empty()) return Error{"", "only one Input layer, at the start, is understood", call.line};
    LayerArguments arguments(call, {"shape"});
    Result<std::vector<int>> shape = Error{};
    const auto& positional = arguments.positional();
    const bool all_numbers = !positional.empty() && std::all_of(positional.begin(), positional.end(), [](const Argument* a) {
      return a->value.kind == Value::Kind::kNumber;
    });
    if (all_numbers) {
      // Input(300, 300, 3): the sizes written out; torch.randn(1, 3, 32, 32) leads with the batch.
      Value tuple;
      tuple.kind = Value::Kind::kTuple;
      for (const Argument* argument : positional) tuple.items.push_back(argument->value);
      if (torch_ && tuple.items.size() == 4) tuple.items.erase(tuple.items.begin());
      shape = arguments.Shape(tuple, call.line);
    } else {
      const Argument* argument = arguments.Find("shape");
      if (argument == nullptr) argument = arguments.Find("input_shape");
      if (argument == nullptr) {
        const Argument* batch = arguments.Find("batch_shape");
        if (batch == nullptr) batch = arguments.Find("batch_input_shape");
        if (batch != nullptr && batch->value.kind == Value::Kind::kTuple && !batch->value.items.empty()) {
          Value without_batch = batch->value;
          without_batch.items.erase(without_batch.items.begin());
          shape = arguments.Shape(without_batch, batch->line);
        } else {
          return Error{"", call.name + ": needs a shape, e.g. Input(shape=(28, 28, 1))", call.line};
        }
      } else {
        Result<bool> checked = all_numbers ? Result<bool>(true)
                                           : arguments.Check({"input_shape", "batch_shape", "batch_input_shape"});
        if (!checked) return checked.error();
        shape = arguments.Shape(argument->value, argument->line);
      }
    }
    if (!shape) return shape.error();
    ModelLayer layer;
    layer.line = call.line;
    layer.source = call.source;
    layer.kind = "Input";
    layer.output_shape = shape.value();
    if (torch_ && layer.output_shape.size() == 3) {  // written (C, H, W); worked as (H, W, C)
      const std::vector<int> chw = layer.output_shape;
      layer.output_shape = {chw[1], chw[2], chw[0]};
    }
    summary_.layers.push_back(std::move(layer));
    return true;
  }

  Result<bool> AddInputShapeFrom(const Call& call) {
    for (const Argument& argument : call.arguments) {
      if (argument.keyword != "input_shape") continue;
      LayerArguments arguments(call, {});
      Result<std::vector<int>> shape = arguments.Shape(argument.value, argument.line);
      if (!shape) return shape.error();
      ModelLayer layer;
      layer.line = argument.line;
      layer.source = "input_shape=" + Describe(argument.value);
      layer.kind = "Input";
      layer.output_shape = shape.value();
      summary_.layers.push_back(std::move(layer));
      return true;
    }
    if (torch_) {
      return Error{"", call.name + ": the stack needs the input's shape first: Input(channels, height, width) or "
                       "torch.randn(1, channels, height, width)", call.line};
    }
    return Error{"", call.name + ": the first layer needs the input's shape: start with Input(height, width, channels) "
                     "or add input_shape=(height, width, channels)", call.line};
  }

  // Works in the channels-last order the builder uses inside.
  static Result<bool> CountMultiplyAdds(ModelLayer& layer) {
    const std::vector<int>& in = layer.input_shape;
    const std::vector<int>& out = layer.output_shape;
    const auto cells = [](const std::vector<int>& shape) {
      double count = 1.0;
      for (int size : shape) count *= size;
      return count;
    };
    double work = 0.0;
    if (layer.kind == "Conv2D" || layer.kind == "Conv2d") {
      work = cells(out) * in.back() * layer.kernel_rows * layer.kernel_cols;
    } else if (layer.kind == "Dense" || layer.kind == "Linear") {
      work = cells(in) * layer.filters;
    } else if (layer.kind == "MaxPooling2D" || layer.kind == "AveragePooling2D" || layer.kind == "MaxPool2d" ||
               layer.kind == "AvgPool2d") {
      work = cells(out) * layer.kernel_rows * layer.kernel_cols;
    } else if (layer.kind.rfind("Global", 0) == 0 || layer.kind.rfind("Adaptive", 0) == 0) {
      work = cells(in);
    }
    if (work > 1e18) return Error{"", layer.kind + ": more than 10^18 multiply-adds; check the sizes", layer.line};
    layer.multiply_adds = static_cast<int64_t>(work);
    return true;
  }

  static Result<bool> NeedImage(const ModelLayer& layer, int line) {
    if (layer.input_shape.size() == 3) return true;
    return Error{"", layer.kind + " needs an image input (height, width, channels), got " + ShapeText(layer.input_shape),
                 line};
  }

  // Height and width through ResolveAxis, the same rule the scenes use.
  static Result<bool> Spatial(ModelLayer& layer, bool pooling, int line) {
    const PaddingMode mode = layer.same_padding                        ? PaddingMode::kSame
                             : layer.pad_rows > 0 || layer.pad_cols > 0 ? PaddingMode::kExplicit
                                                                        : PaddingMode::kValid;
    Result<AxisGeometry> rows = ResolveAxis(mode, layer.input_shape[0], layer.kernel_rows, layer.stride_rows,
                                            layer.dilation_rows, layer.pad_rows, layer.pad_rows, layer.ceil_mode,
                                            pooling, "rows");
    if (!rows) return Error{"", layer.kind + ": " + rows.error().message, line};
    Result<AxisGeometry> cols = ResolveAxis(mode, layer.input_shape[1], layer.kernel_cols, layer.stride_cols,
                                            layer.dilation_cols, layer.pad_cols, layer.pad_cols, layer.ceil_mode,
                                            pooling, "cols");
    if (!cols) return Error{"", layer.kind + ": " + cols.error().message, line};
    layer.output_shape = {rows.value().output, cols.value().output, layer.input_shape[2]};
    layer.shape_formula = AxisFormulas(rows.value(), cols.value());
    return true;
  }

  Result<bool> Build(const Call& call, ModelLayer& layer) const {
    const std::vector<int>& in = layer.input_shape;
    const std::string& kind = layer.kind;
    if (kind == "Conv2d") return BuildTorchConvolution(call, layer);
    if (kind == "MaxPool2d" || kind == "AvgPool2d") return BuildTorchPooling(call, layer);
    if (kind == "AdaptiveAvgPool2d" || kind == "AdaptiveMaxPool2d") return BuildTorchAdaptivePooling(call, layer);
    if (kind == "Linear") return BuildTorchLinear(call, layer);
    if (kind == "BatchNorm2d") return BuildTorchBatchNorm(call, layer);
    if (kind == "Conv2D") {
      LayerArguments arguments(call, {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                                      "groups", "activation", "use_bias"});
      Result<bool> checked = arguments.Check({"input_shape"});
      if (!checked) return checked;
      Result<bool> image = NeedImage(layer, call.line);
      if (!image) return image;
      const Argument* format = arguments.Find("data_format");
      if (format != nullptr && format->value.text != "channels_last") {
        return Error{"", "Conv2D: only data_format='channels_last' (Keras's default) is understood", format->line};
      }
      const Argument* groups = arguments.Find("groups");
      if (groups != nullptr && groups->value.number != 1.0) {
        return Error{"", "Conv2D: grouped convolutions (groups > 1) are not understood yet", groups->line};
      }
      Result<int> filters = arguments.Positive("filters", true);
      Result<std::pair<int, int>> kernel = arguments.Pair("kernel_size", {0, 0});
      Result<std::pair<int, int>> strides = arguments.Pair("strides", {1, 1});
      Result<std::pair<int, int>> dilation = arguments.Pair("dilation_rate", {1, 1});
      Result<bool> same = arguments.SamePadding();
      Result<bool> bias = arguments.Flag("use_bias", true);
      if (!filters) return filters.error();
      if (!kernel) return kernel.error();
      if (kernel.value().first == 0) return Error{"", "Conv2D: needs kernel_size, e.g. Conv2D(32, (3, 3))", call.line};
      if (!strides) return strides.error();
      if (!dilation) return dilation.error();
      if (!same) return same.error();
      if (!bias) return bias.error();
      layer.filters = filters.value();
      std::tie(layer.kernel_rows, layer.kernel_cols) = kernel.value();
      std::tie(layer.stride_rows, layer.stride_cols) = strides.value();
      std::tie(layer.dilation_rows, layer.dilation_cols) = dilation.value();
      layer.same_padding = same.value();
      layer.use_bias = bias.value();
      Result<bool> spatial = Spatial(layer, false, call.line);
      if (!spatial) return spatial;
      layer.output_shape[2] = layer.filters;
      Result<bool> count = CheckParameterCount(
          (static_cast<double>(layer.kernel_rows) * layer.kernel_cols * in[2] + 1) * layer.filters, kind, call.line);
      if (!count) return count;
      const int64_t per_filter = int64_t{layer.kernel_rows} * layer.kernel_cols * in[2] + (layer.use_bias ? 1 : 0);
      layer.parameters = per_filter * layer.filters;
      layer.parameters_formula = "(" + to_string(layer.kernel_rows) + kDot + to_string(layer.kernel_cols) + kDot +
                                 to_string(in[2]) + (layer.use_bias ? " + 1" : "") + ")" + kDot +
                                 to_string(layer.filters) + " = " + Grouped(layer.parameters);
      return true;
    }
    if (kind == "MaxPooling2D" || kind == "AveragePooling2D") {
      LayerArguments arguments(call, {"pool_size", "strides", "padding", "data_format"});
      Result<bool> checked = arguments.Check({"input_shape"});
      if (!checked) return checked;
      Result<bool> image = NeedImage(layer, call.line);
      if (!image) return image;
      Result<std::pair<int, int>> pool = arguments.Pair("pool_size", {2, 2});
      if (!pool) return pool.error();
      Result<std::pair<int, int>> strides = arguments.Pair("strides", pool.value());  // Keras: strides default to the pool
      Result<bool> same = arguments.SamePadding();
      if (!strides) return strides.error();
      if (!same) return same.error();
      std::tie(layer.kernel_rows, layer.kernel_cols) = pool.value();
      std::tie(layer.stride_rows, layer.stride_cols) = strides.value();
      layer.same_padding = same.value();
      layer.use_bias = false;
      return Spatial(layer, true, call.line);
    }
    if (kind == "GlobalMaxPooling2D" || kind == "GlobalAveragePooling2D") {
      LayerArguments arguments(call, {"data_format", "keepdims"});
      Result<bool> checked = arguments.Check({});
      if (!checked) return checked;
      Result<bool> image = NeedImage(layer, call.line);
      if (!image) return image;
      layer.use_bias = false;
      layer.output_shape = {in[2]};
      return true;
    }
    if (kind == "ZeroPadding2D") {
      LayerArguments arguments(call, {"padding", "data_format"});
      Result<bool> checked = arguments.Check({});
      if (!checked) return checked;
      Result<bool> image = NeedImage(layer, call.line);
      if (!image) return image;
      int top = 1, bottom = 1, left = 1, right = 1;
      const Argument* padding = arguments.Find("padding");
      if (padding != nullptr) {
        const Value& value = padding->value;
        const auto whole = [](const Value& v) { return v.kind == Value::Kind::kNumber && v.integral && v.number >= 0 && v.number < 1e6; };
        const auto pair_of = [&](const Value& v) { return v.kind == Value::Kind::kTuple && v.items.size() == 2 && whole(v.items[0]) && whole(v.items[1]); };
        if (whole(value)) {
          top = bottom = left = right = static_cast<int>(value.number);
        } else if (pair_of(value)) {
          top = bottom = static_cast<int>(value.items[0].number);
          left = right = static_cast<int>(value.items[1].number);
        } else if (value.kind == Value::Kind::kTuple && value.items.size() == 2 && pair_of(value.items[0]) &&
                   pair_of(value.items[1])) {
          top = static_cast<int>(value.items[0].items[0].number);
          bottom = static_cast<int>(value.items[0].items[1].number);
          left = static_cast<int>(value.items[1].items[0].number);
          right = static_cast<int>(value.items[1].items[1].number);
        } else {
          return Error{"", "ZeroPadding2D: padding: expected p, (rows, cols) or ((top, bottom), (left, right)), got " +
                               Describe(value), padding->line};
        }
      }
      layer.use_bias = false;
      layer.output_shape = {in[0] + top + bottom, in[1] + left + right, in[2]};
      layer.shape_formula = to_string(in[0]) + " + " + to_string(top) + " + " + to_string(bottom) + " = " +
                            to_string(layer.output_shape[0]) + " rows, " + to_string(in[1]) + " + " + to_string(left) +
                            " + " + to_string(right) + " = " + to_string(layer.output_shape[1]) + " columns";
      return true;
    }
    if (kind == "Flatten") {
      LayerArguments arguments(call, torch_ ? std::vector<std::string>{"start_dim", "end_dim"}
                                            : std::vector<std::string>{"data_format"});
      Result<bool> checked = arguments.Check({"input_shape"});
      if (!checked) return checked;
      layer.use_bias = false;
      double estimate = 1.0;
      for (int size : in) estimate *= size;
      if (estimate > 2147483647.0) return Error{"", "Flatten: more than 2^31 values; check the sizes", call.line};
      const int64_t size = Product(in);
      layer.output_shape = {static_cast<int>(size)};
      if (in.size() > 1) {
        // In the order the learner sees the shape: C·H·W for PyTorch, H·W·C for Keras.
        const std::vector<int> shown = torch_ && in.size() == 3 ? std::vector<int>{in[2], in[0], in[1]} : in;
        std::string product;
        for (std::size_t i = 0; i < shown.size(); ++i) product += (i ? kDot : "") + to_string(shown[i]);
        layer.shape_formula = product + " = " + Grouped(size);
      }
      return true;
    }
    if (kind == "Dense") {
      LayerArguments arguments(call, {"units", "activation", "use_bias"});
      Result<bool> checked = arguments.Check({"input_shape"});
      if (!checked) return checked;
      Result<int> units = arguments.Positive("units", true);
      Result<bool> bias = arguments.Flag("use_bias", true);
      if (!units) return units.error();
      if (!bias) return bias.error();
      layer.filters = units.value();
      layer.use_bias = bias.value();
      // Keras applies Dense to the last axis, so an image stays an image with new channels.
      Result<bool> count = CheckParameterCount((static_cast<double>(in.back()) + 1) * layer.filters, kind, call.line);
      if (!count) return count;
      layer.output_shape = in;
      layer.output_shape.back() = layer.filters;
      layer.parameters = (int64_t{in.back()} + (layer.use_bias ? 1 : 0)) * layer.filters;
      layer.parameters_formula = "(" + Grouped(in.back()) + (layer.use_bias ? " + 1" : "") + ")" + kDot +
                                 Grouped(layer.filters) + " = " + Grouped(layer.parameters);
      return true;
    }
    if (kind == "BatchNormalization") {
      LayerArguments arguments(call, {"axis", "momentum", "epsilon", "center", "scale"});
      Result<bool> checked = arguments.Check({"input_shape"});
      if (!checked) return checked;
      Result<bool> center = arguments.Flag("center", true);
      Result<bool> scale = arguments.Flag("scale", true);
      if (!center) return center.error();
      if (!scale) return scale.error();
      layer.use_bias = false;
      layer.output_shape = in;
      const int per_channel = 2 + (center.value() ? 1 : 0) + (scale.value() ? 1 : 0);
      layer.parameters = int64_t{per_channel} * in.back();
      layer.parameters_formula = to_string(per_channel) + kDot + to_string(in.back()) + " = " + Grouped(layer.parameters);
      return true;
    }
    // Dropout, activations, rescaling: shape and parameters pass through.
    layer.use_bias = false;
    layer.output_shape = in;
    if (kind == "Dropout") {
      LayerArguments arguments(call, torch_ ? std::vector<std::string>{"p"} : std::vector<std::string>{"rate"});
      return arguments.Check({"input_shape"});
    }
    return true;
  }

  // nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True).
  static Result<bool> BuildTorchConvolution(const Call& call, ModelLayer& layer) {
    const std::vector<int>& in = layer.input_shape;
    LayerArguments arguments(call, {"in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
                                    "groups", "bias", "padding_mode"});
    Result<bool> checked = arguments.Check({});
    if (!checked) return checked;
    Result<bool> image = NeedImage(layer, call.line);
    if (!image) return image;
    Result<int> in_channels = arguments.Positive("in_channels", true);
    Result<int> out_channels = arguments.Positive("out_channels", true);
    Result<std::pair<int, int>> kernel = arguments.Pair("kernel_size", {0, 0});
    Result<std::pair<int, int>> stride = arguments.Pair("stride", {1, 1});
    Result<std::pair<int, int>> dilation = arguments.Pair("dilation", {1, 1});
    Result<bool> bias = arguments.Flag("bias", true);
    if (!in_channels) return in_channels.error();
    if (!out_channels) return out_channels.error();
    if (!kernel) return kernel.error();
    if (kernel.value().first == 0) return Error{"", "Conv2d: needs kernel_size, e.g. nn.Conv2d(3, 16, 3)", call.line};
    if (!stride) return stride.error();
    if (!dilation) return dilation.error();
    if (!bias) return bias.error();
    const Argument* groups = arguments.Find("groups");
    if (groups != nullptr && groups->value.number != 1.0) {
      return Error{"", "Conv2d: grouped convolutions (groups > 1) are not understood yet", groups->line};
    }
    if (in_channels.value() != in[2]) {
      return Error{"", "Conv2d: in_channels is " + to_string(in_channels.value()) + " but the previous layer gives " +
                           to_string(in[2]) + " channels (PyTorch would stop here)", call.line};
    }
    layer.filters = out_channels.value();
    std::tie(layer.kernel_rows, layer.kernel_cols) = kernel.value();
    std::tie(layer.stride_rows, layer.stride_cols) = stride.value();
    std::tie(layer.dilation_rows, layer.dilation_cols) = dilation.value();
    layer.use_bias = bias.value();
    Result<bool> padding = TorchPadding(arguments, layer, true);
    if (!padding) return padding;
    Result<bool> count = CheckParameterCount(
        (static_cast<double>(layer.kernel_rows) * layer.kernel_cols * in[2] + 1) * layer.filters, layer.kind, call.line);
    if (!count) return count;
    Result<bool> spatial = Spatial(layer, false, call.line);
    if (!spatial) return spatial;
    layer.output_shape[2] = layer.filters;
    layer.parameters = (int64_t{layer.kernel_rows} * layer.kernel_cols * in[2] + (layer.use_bias ? 1 : 0)) * layer.filters;
    layer.parameters_formula = "(" + to_string(layer.kernel_rows) + kDot + to_string(layer.kernel_cols) + kDot +
                               to_string(in[2]) + (layer.use_bias ? " + 1" : "") + ")" + kDot +
                               to_string(layer.filters) + " = " + Grouped(layer.parameters);
    return true;
  }

  // padding=p, (ph, pw), 'valid' or 'same' (stride 1 only, as in PyTorch).
  static Result<bool> TorchPadding(const LayerArguments& arguments, ModelLayer& layer, bool convolution) {
    const Argument* argument = arguments.Find("padding");
    if (argument == nullptr) return true;
    const Value& value = argument->value;
    if (convolution && value.kind == Value::Kind::kString && (value.text == "valid" || value.text == "same")) {
      layer.same_padding = value.text == "same";
      if (layer.same_padding && (layer.stride_rows != 1 || layer.stride_cols != 1)) {
        return Error{"", "Conv2d: padding='same' needs stride 1 in PyTorch", argument->line};
      }
      return true;
    }
    const auto whole = [](const Value& v) { return v.kind == Value::Kind::kNumber && v.integral && v.number >= 0 && v.number < 1e6; };
    if (whole(value)) {
      layer.pad_rows = layer.pad_cols = static_cast<int>(value.number);
    } else if (value.kind == Value::Kind::kTuple && value.items.size() == 2 && whole(value.items[0]) && whole(value.items[1])) {
      layer.pad_rows = static_cast<int>(value.items[0].number);
      layer.pad_cols = static_cast<int>(value.items[1].number);
    } else {
      return Error{"", layer.kind + ": padding: expected p or (rows, cols)" +
                           std::string(convolution ? ", 'valid' or 'same'" : "") + ", got " + Describe(value),
                   argument->line};
    }
    return true;
  }

  // nn.MaxPool2d / nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0, ceil_mode=False).
  static Result<bool> BuildTorchPooling(const Call& call, ModelLayer& layer) {
    const bool max = layer.kind == "MaxPool2d";
    LayerArguments arguments(call, max ? std::vector<std::string>{"kernel_size", "stride", "padding", "dilation",
                                                                  "return_indices", "ceil_mode"}
                                       : std::vector<std::string>{"kernel_size", "stride", "padding", "ceil_mode",
                                                                  "count_include_pad", "divisor_override"});
    Result<bool> checked = arguments.Check({});
    if (!checked) return checked;
    Result<bool> image = NeedImage(layer, call.line);
    if (!image) return image;
    Result<std::pair<int, int>> kernel = arguments.Pair("kernel_size", {0, 0});
    if (!kernel) return kernel.error();
    if (kernel.value().first == 0) return Error{"", layer.kind + ": needs kernel_size, e.g. nn.MaxPool2d(2)", call.line};
    Result<std::pair<int, int>> stride = arguments.Pair("stride", kernel.value());  // PyTorch: stride defaults to the window
    Result<std::pair<int, int>> dilation = arguments.Pair("dilation", {1, 1});
    Result<bool> ceil_mode = arguments.Flag("ceil_mode", false);
    if (!stride) return stride.error();
    if (!dilation) return dilation.error();
    if (!ceil_mode) return ceil_mode.error();
    std::tie(layer.kernel_rows, layer.kernel_cols) = kernel.value();
    std::tie(layer.stride_rows, layer.stride_cols) = stride.value();
    std::tie(layer.dilation_rows, layer.dilation_cols) = dilation.value();
    layer.ceil_mode = ceil_mode.value();
    layer.use_bias = false;
    Result<bool> padding = TorchPadding(arguments, layer, false);
    if (!padding) return padding;
    return Spatial(layer, true, call.line);
  }

  static Result<bool> BuildTorchAdaptivePooling(const Call& call, ModelLayer& layer) {
    LayerArguments arguments(call, {"output_size", "return_indices"});
    Result<bool> checked = arguments.Check({});
    if (!checked) return checked;
    Result<bool> image = NeedImage(layer, call.line);
    if (!image) return image;
    Result<std::pair<int, int>> size = arguments.Pair("output_size", {0, 0});
    if (!size) return size.error();
    if (size.value().first == 0) return Error{"", layer.kind + ": needs output_size, e.g. (1, 1)", call.line};
    layer.use_bias = false;
    layer.output_shape = {size.value().first, size.value().second, layer.input_shape[2]};
    return true;
  }

  // nn.Linear(in_features, out_features, bias=True): the input must be flat and match in_features.
  static Result<bool> BuildTorchLinear(const Call& call, ModelLayer& layer) {
    const std::vector<int>& in = layer.input_shape;
    LayerArguments arguments(call, {"in_features", "out_features", "bias"});
    Result<bool> checked = arguments.Check({});
    if (!checked) return checked;
    Result<int> in_features = arguments.Positive("in_features", true);
    Result<int> out_features = arguments.Positive("out_features", true);
    Result<bool> bias = arguments.Flag("bias", true);
    if (!in_features) return in_features.error();
    if (!out_features) return out_features.error();
    if (!bias) return bias.error();
    if (in.size() != 1) {
      const std::vector<int> shown = in.size() == 3 ? std::vector<int>{in[2], in[0], in[1]} : in;
      return Error{"", "Linear needs a flat input: put nn.Flatten() before it (the previous layer gives " +
                           ShapeText(shown) + ")", call.line};
    }
    if (in_features.value() != in[0]) {
      return Error{"", "Linear: in_features is " + Grouped(in_features.value()) + " but the previous layer gives " +
                           Grouped(in[0]) + " values (PyTorch would stop here with a shape mismatch)", call.line};
    }
    layer.filters = out_features.value();
    layer.use_bias = bias.value();
    Result<bool> count = CheckParameterCount((static_cast<double>(in[0]) + 1) * layer.filters, layer.kind, call.line);
    if (!count) return count;
    layer.output_shape = {layer.filters};
    layer.parameters = (int64_t{in[0]} + (layer.use_bias ? 1 : 0)) * layer.filters;
    layer.parameters_formula = "(" + Grouped(in[0]) + (layer.use_bias ? " + 1" : "") + ")" + kDot +
                               Grouped(layer.filters) + " = " + Grouped(layer.parameters);
    return true;
  }

  // nn.BatchNorm2d(num_features): PyTorch counts γ and β as parameters (running statistics are buffers).
  static Result<bool> BuildTorchBatchNorm(const Call& call, ModelLayer& layer) {
    const std::vector<int>& in = layer.input_shape;
    LayerArguments arguments(call, {"num_features", "eps", "momentum", "affine", "track_running_stats"});
    Result<bool> checked = arguments.Check({});
    if (!checked) return checked;
    Result<int> features = arguments.Positive("num_features", true);
    Result<bool> affine = arguments.Flag("affine", true);
    if (!features) return features.error();
    if (!affine) return affine.error();
    if (in.empty() || features.value() != in.back()) {
      return Error{"", "BatchNorm2d: num_features is " + to_string(features.value()) + " but the previous layer gives " +
                           (in.empty() ? std::string("no") : to_string(in.back())) + " channels", call.line};
    }
    layer.use_bias = false;
    layer.output_shape = in;
    layer.parameters = affine.value() ? 2 * int64_t{in.back()} : 0;
    if (affine.value()) layer.parameters_formula = "2" + std::string(kDot) + to_string(in.back()) + " = " + Grouped(layer.parameters);
    return true;
  }

  bool torch_ = false;
  ModelSummary summary_;
};

std::string KnownLayers() {
  std::string names;
  for (const LayerName& name : kLayerNames) {
    if (std::string(name.written) == name.kind) names += (names.empty() ? "" : ", ") + std::string(name.written);
  }
  return names;
}

}  // namespace

std::string ShapeText(const std::vector<int>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + to_string(shape[i]);
  if (shape.size() == 1) text += ",";
  return text + ")";
}

Result<ModelSummary> SummarizeModel(std::string_view text, int first_line) {
  Result<std::vector<Token>> tokens = Tokenize(text, first_line);
  if (!tokens) return tokens.error();
  // Keras and PyTorch differ in argument order and shape order, so the text must be one or the other.
  const auto last_part = [](const std::string& dotted) {
    const std::size_t dot = dotted.find_last_of('.');
    return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  };
  const Token* first_keras = nullptr;
  const Token* first_torch = nullptr;
  for (const Token& token : tokens.value()) {
    if (token.kind != TokenKind::kName) continue;
    const Dialect dialect = DialectOf(last_part(token.text));
    if (dialect == Dialect::kKeras && first_keras == nullptr) first_keras = &token;
    if (dialect == Dialect::kTorch && first_torch == nullptr) first_torch = &token;
  }
  if (first_keras != nullptr && first_torch != nullptr) {
    const Token& later = first_keras->offset > first_torch->offset ? *first_keras : *first_torch;
    return Error{"", "mixes Keras layers (" + last_part(first_keras->text) + ") and PyTorch layers (" +
                         last_part(first_torch->text) + "); write the model in one of them", later.line};
  }
  const bool torch = first_torch != nullptr;
  CallParser parser(text, tokens.value());
  ModelBuilder builder(torch);
  while (!parser.AtEnd()) {
    const Token& token = parser.Peek();
    if (token.kind == TokenKind::kName && (token.text == "class" || token.text == "def")) {
      // class Net(nn.Module): names a model, it is not a layer.
      parser.Advance();
      parser.Advance();
      continue;
    }
    if (token.kind == TokenKind::kName && parser.TryAssignment()) continue;
    if (token.kind != TokenKind::kName || !parser.IsPunct("(", 1)) {
      parser.Advance();
      continue;
    }
    const std::string name = last_part(token.text);
    if (IsWrapper(name)) {  // Sequential([ ... ]) and model.add( ... ): look inside
      parser.Advance();
      parser.Advance();
      continue;
    }
    const auto layer = std::find_if(std::begin(kLayerNames), std::end(kLayerNames), [&](const LayerName& known) {
      // torch.randn(1, 3, 32, 32) gives a PyTorch stack its input; elsewhere it is just a call.
      return name == known.written && (torch || std::islower(static_cast<unsigned char>(name[0])) == 0);
    });
    if (layer == std::end(kLayerNames)) {
      if (std::isupper(static_cast<unsigned char>(name[0]))) {
        return Error{"", "unknown layer \"" + name + "\"; understood: " + KnownLayers(), token.line};
      }
      // model.compile(...), model.summary(), print(...): not layers.
      parser.Advance();
      Result<bool> skipped = parser.SkipGroup();
      if (!skipped) return skipped.error();
      continue;
    }
    Result<Call> call = parser.ParseCall();
    if (!call) return call.error();
    Result<bool> added = builder.Add(call.value(), layer->kind);
    if (!added) return added.error();
    if (parser.IsPunct("(")) {  // functional style: Conv2D(...)(x)
      Result<bool> skipped = parser.SkipGroup();
      if (!skipped) return skipped.error();
    }
  }
  return builder.Finish(first_line);
}

}  // namespace convtutor::lessons
