// Model summaries from Keras or PyTorch code: a small tokenizer and call parser finds the layers in real
// code (prefixes, Sequential/add wrappers, keyword arguments, nn.Module classes followed through forward),
// then each layer's output shape (via the core's ResolveAxis) and parameter count with the arithmetic.
#include "convtutor/model.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
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
    } else if (text.compare(i, 3, "\"\"\"") == 0 || text.compare(i, 3, "'''") == 0) {
      // A docstring: may span lines, which still count.
      const std::size_t close = text.find(text.substr(i, 3), i + 3);
      if (close == std::string_view::npos) return Error{"", "a docstring is not closed", line};
      token.kind = TokenKind::kString;
      token.text = std::string(text.substr(i + 3, close - i - 3));
      line += static_cast<int>(std::count(token.text.begin(), token.text.end(), '\n'));
      i = close + 3;
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

  std::size_t Position() const { return position_; }
  void Seek(std::size_t position) { position_ = std::min(position, tokens_.size() - 1); }
  // A number (or tuple of numbers) named earlier in the text, or nullptr.
  const Value* Variable(const std::string& name) const {
    const auto known = variables_.find(name);
    return known == variables_.end() ? nullptr : &known->second;
  }
  void Define(const std::string& name, Value value) { variables_[name] = std::move(value); }

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
    {"ELU", "Activation"},
    {"ReLU6", "Activation"},
    {"GELU", "Activation"},
    {"SiLU", "Activation"},
    {"Mish", "Activation"},
    {"Hardswish", "Activation"},
    {"Softplus", "Activation"},
    {"LogSoftmax", "Activation"},
    {"randn", "Input"},
    {"rand", "Input"},
};

// Which framework a layer name belongs to; shared names (Flatten, ReLU, Dropout, ...) belong to both.
enum class Dialect { kEither, kKeras, kTorch };

Dialect DialectOf(const std::string& name) {
  constexpr const char* kTorchOnly[] = {"Conv2d",    "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
                                        "Linear",    "BatchNorm2d", "Dropout2d", "ReLU6", "GELU", "SiLU", "Mish",
                                        "Hardswish", "Softplus", "LogSoftmax"};
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

  std::size_t LayerCount() const { return summary_.layers.size(); }
  ModelLayer& LastLayer() { return summary_.layers.back(); }
  // The shape the next layer receives, as the learner sees it: (C, H, W) for PyTorch.
  std::vector<int> CurrentShape() const {
    std::vector<int> shape = summary_.layers.back().output_shape;
    if (torch_ && shape.size() == 3) shape = {shape[2], shape[0], shape[1]};
    return shape;
  }

  // A PyTorch module called a second time: the row shows the work again, but PyTorch holds one set
  // of weights, so the row adds no parameters and says whose it shares.
  void ShareParameters(std::size_t row, std::size_t owner, const std::string& owner_name) {
    ModelLayer& layer = summary_.layers[row];
    const std::int64_t owned = summary_.layers[owner].parameters;
    summary_.total_parameters -= layer.parameters;
    layer.parameters = 0;
    layer.shares_parameters_with = static_cast<int>(owner);
    if (owned > 0) {
      layer.parameters_formula = "0: shares " + owner_name + "'s " + Grouped(owned) + " (counted at its first call)";
    }
  }

  // x.view(x.size(0), C, H, W) to an image: the values stay, the shape changes (`shape_chw` checked by the caller).
  void AddReshape(const Call& call, const std::vector<int>& shape_chw) {
    ModelLayer layer;
    layer.line = call.line;
    layer.source = call.source;
    layer.kind = "Reshape";
    layer.use_bias = false;
    layer.input_shape = summary_.layers.back().output_shape;
    layer.output_shape = {shape_chw[1], shape_chw[2], shape_chw[0]};
    layer.shape_formula = Grouped(Product(shape_chw)) + " = " + to_string(shape_chw[0]) + kDot +
                          to_string(shape_chw[1]) + kDot + to_string(shape_chw[2]);
    summary_.layers.push_back(std::move(layer));
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
    if (!max) {
      Result<bool> include_pad = arguments.Flag("count_include_pad", true);
      if (!include_pad) return include_pad.error();
      layer.count_include_pad = include_pad.value();
      const Argument* divisor = arguments.Find("divisor_override");
      if (divisor != nullptr && divisor->value.kind != Value::Kind::kNone) {
        Result<int> value = arguments.Positive("divisor_override", false);
        if (!value) return value.error();
        layer.divisor_override = value.value();
      }
    }
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


// ---- PyTorch's class form: layers made in __init__ (self.conv1 = nn.Conv2d(...)) and applied in
// the order forward calls them. Python's indentation gives the structure, so the tokens are first
// grouped into logical lines; forward is then read as small expressions that carry one tensor.

// One logical line of Python: tokens [begin, end), its first line and how deeply it is indented.
struct Statement {
  std::size_t begin = 0;
  std::size_t end = 0;
  int line = 0;
  std::size_t indent = 0;
};

std::vector<Statement> SplitStatements(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<Statement> statements;
  int depth = 0;  // open brackets continue a statement over lines, as in Python
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {  // the last token marks the end
    const Token& token = tokens[i];
    if (statements.empty() || (depth == 0 && token.line != tokens[i - 1].line)) {
      Statement statement;
      statement.begin = i;
      statement.line = token.line;
      const std::size_t newline = token.offset == 0 ? std::string_view::npos : text.rfind('\n', token.offset - 1);
      statement.indent = newline == std::string_view::npos ? token.offset : token.offset - newline - 1;
      statements.push_back(statement);
    }
    if (token.kind == TokenKind::kPunct) {
      if (token.text == "(" || token.text == "[" || token.text == "{") ++depth;
      if ((token.text == ")" || token.text == "]" || token.text == "}") && depth > 0) --depth;
    }
    statements.back().end = i + 1;
  }
  return statements;
}

bool IsWord(const Token& token, const char* word) { return token.kind == TokenKind::kName && token.text == word; }

std::string LastPart(const std::string& dotted) {
  const std::size_t dot = dotted.find_last_of('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

// An expression in forward, as much as following the tensor needs: names, numbers, calls,
// attributes, indexing, tuples and arithmetic.
struct Expr {
  enum class Kind { kName, kNumber, kString, kCall, kAttribute, kIndex, kTuple, kBinary, kNegate };
  Kind kind = Kind::kName;
  std::string text;                   // the name, number, string, attribute or operator
  std::vector<Expr> parts;            // kCall: callee then arguments; kAttribute, kIndex: object (then index);
                                      // kBinary: both sides; kNegate: the operand; kTuple: the items
  std::vector<std::string> keywords;  // kCall: one per argument, empty when positional
  std::size_t call_token = 0;         // kCall: the token before '(' (CallParser reads the call from there)
  std::size_t begin = 0, end = 0;     // where it is in the text, for the source shown with a row
  int line = 0;
};

class ExprParser {
 public:
  ExprParser(const std::vector<Token>& tokens, std::size_t begin, std::size_t end)
      : tokens_(tokens), position_(begin), end_(end) {}

  bool AtEnd() const { return position_ >= end_; }
  const Token& Peek() const { return tokens_[std::min(position_, end_)]; }
  bool IsPunct(const char* text, std::size_t ahead = 0) const {
    const std::size_t at = position_ + ahead;
    return at < end_ && tokens_[at].kind == TokenKind::kPunct && tokens_[at].text == text;
  }

  // Deeper nesting than any real model needs would only risk the stack (the browser's is small).
  Result<Expr> ParseExpression() {
    if (depth_ >= kMaxNesting) return Error{"", "forward: brackets nested too deeply to follow", Peek().line};
    ++depth_;
    Result<Expr> expr = ParseSum();
    --depth_;
    return expr;
  }

 private:
  static constexpr int kMaxNesting = 64;

  void Advance() { ++position_; }

  static Expr Binary(Expr left, const std::string& op, Expr right) {
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

  Result<Expr> ParseSum() {
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

  Result<Expr> ParseProduct() {
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

  Result<Expr> ParseUnary() {
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

  Result<Expr> ParsePostfix() {
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
          if (IsPunct("*")) return Error{"", "not supported yet: *args or **kwargs in forward", Peek().line};
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

  Result<Expr> ParsePrimary() {
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
    return Error{"", "forward: cannot follow \"" + token.text + "\" here", token.line};
  }

  const std::vector<Token>& tokens_;
  std::size_t position_;
  std::size_t end_;
  int depth_ = 0;
};

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
    const auto known = std::find_if(std::begin(kLayerNames), std::end(kLayerNames), [&](const LayerName& layer) {
      return called == layer.written && std::string(layer.kind) != "Input";
    });
    if (known == std::end(kLayerNames)) {
      return Error{"", "unknown layer \"" + called + "\" in self." + name + "; understood: " + KnownLayers(), callee.line};
    }
    parser_.Seek(at);
    Result<Call> call = parser_.ParseCall();
    if (!call) return call.error();
    module.sources.push_back(in_sequential ? "self." + name + "[" + to_string(module.calls.size()) + "] = " + call.value().source
                                    : "self." + name + " = " + call.value().source);
    module.calls.push_back(call.value());
    module.kinds.push_back(known->kind);
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
    const std::vector<int> shape = builder_.CurrentShape();
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
    Result<bool> added = builder_.Add(call, kind);
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
    const std::size_t start = builder_.LayerCount();
    for (std::size_t k = 0; k < module.calls.size(); ++k) {
      Result<bool> added = builder_.Add(module.calls[k], module.kinds[k]);
      if (!added) {
        Error error = added.error();
        if (error.line != expr.line) error.message += " (self." + name + " is called on line " + to_string(expr.line) + ")";
        return error;
      }
      builder_.LastLayer().source = module.sources[k];
      if (module.first_row >= 0) builder_.ShareParameters(start + k, static_cast<std::size_t>(module.first_row) + k, "self." + name);
    }
    if (module.calls.empty()) return input;
    if (module.first_row < 0) module.first_row = static_cast<int>(start);
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
    std::vector<lessons::Argument> named;
    std::size_t positional = 0;
    bool tensor_dropped = false;
    for (lessons::Argument& argument : call.arguments) {
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
    const std::vector<int> shape = builder_.CurrentShape();
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
      builder_.AddReshape(RowCall(expr), target);
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

bool DefinesForward(const std::vector<Token>& tokens) {
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (IsWord(tokens[i], "def") && IsWord(tokens[i + 1], "forward")) return true;
  }
  return false;
}

// The statements indented under statements[head], up to the first one back at its level or less.
std::vector<Statement> BodyOf(const std::vector<Statement>& statements, std::size_t head) {
  std::vector<Statement> body;
  for (std::size_t i = head + 1; i < statements.size() && statements[i].indent > statements[head].indent; ++i) {
    body.push_back(statements[i]);
  }
  return body;
}

// class Net(nn.Module): the input from outside the class (Input(...) or torch.randn(...)), layers from
// __init__, their order from forward.
Result<ModelSummary> SummarizeModule(std::string_view text, const std::vector<Token>& tokens, int first_line) {
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
      Result<bool> added = builder.Add(call.value(), "Input");
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
  if (DefinesForward(tokens.value())) {
    if (first_keras != nullptr) {
      return Error{"", "Keras layer " + last_part(first_keras->text) + " in a PyTorch nn.Module; write the model in "
                       "one of them", first_keras->line};
    }
    return SummarizeModule(text, tokens.value(), first_line);
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
