// Reads a row's activation from its source text and applies it (see row_activation.h), each
// function as PyTorch and Keras define it (GELU exact or by tanh, SELU's fixed scale and alpha).
#include "row_activation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

namespace convtutor::lessons {
namespace {

using Kind = RowActivation::Kind;

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// 'leaky_relu', "relu", tf.nn.relu, nn.LeakyReLU, torch.sigmoid, None: the last dotted part of a
// name, quotes, spaces and underscores left out, in lower case ("leakyrelu").
std::string NameWord(std::string_view name) {
  std::string word;
  for (char c : name) {
    if (c == '.') word.clear();
    else if (c != '\'' && c != '"' && c != ' ' && c != '_') word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word;
}

Kind KindNamed(const std::string& word) {
  struct Named {
    const char* word;
    Kind kind;
  };
  static constexpr Named kNames[] = {
      {"relu", Kind::kRelu},       {"relu6", Kind::kRelu6},         {"leakyrelu", Kind::kLeakyRelu},
      {"elu", Kind::kElu},         {"selu", Kind::kSelu},           {"gelu", Kind::kGelu},
      {"silu", Kind::kSilu},       {"swish", Kind::kSilu},          {"mish", Kind::kMish},
      {"hardswish", Kind::kHardswish}, {"softplus", Kind::kSoftplus}, {"softsign", Kind::kSoftsign},
      {"sigmoid", Kind::kSigmoid}, {"tanh", Kind::kTanh},           {"linear", Kind::kNone},
      {"identity", Kind::kNone},   {"none", Kind::kNone}};
  for (const Named& named : kNames) {
    if (word == named.word) return named.kind;
  }
  return Kind::kUnknown;
}

// The text of a call's argument list after `open` (the index of its '('), up to the matching ')'.
std::string_view ArgumentsAt(std::string_view source, std::size_t open) {
  int depth = 0;
  for (std::size_t i = open; i < source.size(); ++i) {
    if (source[i] == '(' || source[i] == '[') ++depth;
    if ((source[i] == ')' || source[i] == ']') && --depth == 0) return source.substr(open + 1, i - open - 1);
  }
  return source.substr(open + 1);
}

// The arguments one by one (split at commas outside brackets and quotes), trimmed.
std::vector<std::string_view> SplitArguments(std::string_view arguments) {
  std::vector<std::string_view> parts;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= arguments.size(); ++i) {
    const char c = i < arguments.size() ? arguments[i] : ',';
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      const std::string_view part = Trimmed(arguments.substr(start, i - start));
      if (!part.empty()) parts.push_back(part);
      start = i + 1;
    }
  }
  return parts;
}

// "name=value" → name; "" for a positional argument.
std::string_view KeywordOf(std::string_view argument) {
  const std::size_t equals = argument.find('=');
  if (equals == std::string_view::npos || (equals + 1 < argument.size() && argument[equals + 1] == '=')) return {};
  const std::string_view name = Trimmed(argument.substr(0, equals));
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return {};
  }
  return name;
}

std::string_view ValueOf(std::string_view argument) {
  return KeywordOf(argument).empty() ? argument : Trimmed(argument.substr(argument.find('=') + 1));
}

// A call's arguments, read as keywords and positions.
struct Arguments {
  std::vector<std::string_view> positional;
  std::vector<std::pair<std::string_view, std::string_view>> keywords;

  explicit Arguments(std::string_view text) {
    for (std::string_view part : SplitArguments(text)) {
      const std::string_view keyword = KeywordOf(part);
      if (keyword.empty()) positional.push_back(part);
      else keywords.emplace_back(keyword, ValueOf(part));
    }
  }
  std::string_view Keyword(std::string_view name) const {
    for (const auto& [keyword, value] : keywords) {
      if (keyword == name) return value;
    }
    return {};
  }
  bool Has(std::string_view name) const { return !Keyword(name).empty(); }
};

// A number written as is (0.2, 1e-2, -.1); false for anything else (a name, an expression).
bool ReadNumber(std::string_view text, float& number) {
  const std::string written(Trimmed(text));
  if (written.empty()) return false;
  char* end = nullptr;
  const float value = std::strtof(written.c_str(), &end);
  if (end != written.c_str() + written.size() || !std::isfinite(value)) return false;
  number = value;
  return true;
}

// An activation named by a keyword or a string (activation='elu', Activation('gelu')): the
// function with its defaults; tf.nn.leaky_relu's and Keras's string 'leaky_relu' slope is 0.2.
RowActivation Named(std::string_view name) {
  RowActivation activation{KindNamed(NameWord(name)), 0.0f};
  if (activation.kind == Kind::kLeakyRelu) activation.parameter = 0.2f;
  if (activation.kind == Kind::kElu) activation.parameter = 1.0f;
  return activation;
}

// A function or module called on the tensor: nn.LeakyReLU(0.1), F.leaky_relu(x, negative_slope=0.2),
// layers.ELU(alpha=0.5), tf.nn.gelu(h, approximate=True), nn.ReLU(inplace=True). `callee` is the
// last dotted part of what is called; a functional form (lower case) takes the tensor first.
RowActivation Called(std::string_view callee, const Arguments& arguments, bool torch) {
  const std::string word = NameWord(callee);
  RowActivation activation{KindNamed(word), 0.0f};
  const bool functional = !callee.empty() && std::islower(static_cast<unsigned char>(callee.front()));
  const std::size_t first_option = functional ? 1 : 0;  // positions before it hold the tensor
  const auto option = [&](std::initializer_list<std::string_view> names) -> std::string_view {
    for (std::string_view name : names) {
      if (arguments.Has(name)) return arguments.Keyword(name);
    }
    return arguments.positional.size() > first_option ? arguments.positional[first_option] : std::string_view{};
  };
  const auto with_parameter = [&](std::string_view written, float fallback) {
    if (written.empty()) {
      activation.parameter = fallback;
    } else if (!ReadNumber(written, activation.parameter)) {
      activation.kind = Kind::kUnknown;
    }
  };
  switch (activation.kind) {
    case Kind::kRelu:
      // Keras's ReLU(6.0), ReLU(max_value=6, negative_slope=0.1, threshold=1) is another function
      // than max(0, x) (PyTorch's nn.ReLU(True) only says inplace).
      if ((!torch && arguments.positional.size() > first_option) || arguments.Has("max_value") ||
          arguments.Has("negative_slope") || arguments.Has("threshold")) {
        activation.kind = Kind::kUnknown;
      }
      break;
    case Kind::kLeakyRelu:
      // PyTorch 0.01; Keras's LeakyReLU layer 0.3; tf.nn.leaky_relu 0.2.
      with_parameter(option({"negative_slope", "alpha"}), torch ? 0.01f : functional ? 0.2f : 0.3f);
      break;
    case Kind::kElu:
      with_parameter(option({"alpha"}), 1.0f);
      break;
    case Kind::kGelu: {
      const std::string approximate = NameWord(option({"approximate"}));
      if (approximate == "tanh" || approximate == "true") activation.kind = Kind::kGeluTanh;
      else if (!approximate.empty() && approximate != "none" && approximate != "false") activation.kind = Kind::kUnknown;
      break;
    }
    case Kind::kSoftplus:
      // Another beta or threshold is another function.
      if (arguments.positional.size() > first_option || arguments.Has("beta") || arguments.Has("threshold")) {
        activation.kind = Kind::kUnknown;
      }
      break;
    default:
      break;
  }
  return activation;
}

float Sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float Softplus(float x) { return x > 20.0f ? x : std::log1p(std::exp(x)); }

}  // namespace

RowActivation ActivationOf(const ModelLayer& layer) {
  const std::string_view source = layer.source;
  const std::size_t open = source.find('(');
  if (open == std::string_view::npos) {
    return layer.kind == "Activation" ? RowActivation{Kind::kUnknown, 0.0f} : RowActivation{};
  }
  const Arguments arguments(ArgumentsAt(source, open));
  if (layer.kind != "Activation") {
    const std::string_view keyword = arguments.Keyword("activation");
    return keyword.empty() ? RowActivation{} : Named(keyword);
  }
  // "self.act = nn.LeakyReLU(0.1)": the module is what follows the assignment; its last dotted part.
  std::string_view callee = source.substr(0, open);
  callee.remove_prefix(std::min(callee.size(), callee.find_last_of("=.") + 1));
  callee = Trimmed(callee);
  if (callee == "Activation") {
    // Keras's Activation layer names its function: Activation('relu'), Activation(activation=tf.nn.tanh).
    const std::string_view keyword = arguments.Keyword("activation");
    return Named(!keyword.empty() ? keyword : arguments.positional.empty() ? std::string_view{} : arguments.positional[0]);
  }
  return Called(callee, arguments, layer.channels_first);
}

void Apply(const RowActivation& activation, std::vector<float>& values) {
  if (activation.kind == Kind::kNone || activation.kind == Kind::kUnknown) return;
  constexpr float kSeluScale = 1.0507009873554804934193349852946f;
  constexpr float kSeluAlpha = 1.6732632423543772848170429916717f;
  constexpr float kSqrtHalf = 0.70710678118654752440f;
  constexpr float kSqrtTwoOverPi = 0.79788456080286535588f;
  const float parameter = activation.parameter;
  for (float& x : values) {
    switch (activation.kind) {
      case Kind::kRelu: x = x > 0.0f ? x : 0.0f; break;
      case Kind::kRelu6: x = std::min(std::max(x, 0.0f), 6.0f); break;
      case Kind::kLeakyRelu: x = x >= 0.0f ? x : parameter * x; break;
      case Kind::kElu: x = x > 0.0f ? x : parameter * std::expm1(x); break;
      case Kind::kSelu: x = kSeluScale * (x > 0.0f ? x : kSeluAlpha * std::expm1(x)); break;
      case Kind::kGelu: x = 0.5f * x * (1.0f + std::erf(x * kSqrtHalf)); break;
      case Kind::kGeluTanh: x = 0.5f * x * (1.0f + std::tanh(kSqrtTwoOverPi * (x + 0.044715f * x * x * x))); break;
      case Kind::kSilu: x = x * Sigmoid(x); break;
      case Kind::kMish: x = x * std::tanh(Softplus(x)); break;
      case Kind::kHardswish: x = x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; break;
      case Kind::kSoftplus: x = Softplus(x); break;
      case Kind::kSoftsign: x = x / (1.0f + std::fabs(x)); break;
      case Kind::kSigmoid: x = Sigmoid(x); break;
      case Kind::kTanh: x = std::tanh(x); break;
      case Kind::kNone:
      case Kind::kUnknown: break;
    }
  }
}

}  // namespace convtutor::lessons
