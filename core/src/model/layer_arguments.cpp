// One layer call's arguments (see layer_arguments.h).
#include "model/layer_arguments.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace convtutor::lessons::reading {

using std::to_string;

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

bool NonNegativePair(const Value& value, int& rows, int& cols) {
  const auto whole = [](const Value& v) { return v.kind == Value::Kind::kNumber && v.integral && v.number >= 0 && v.number < 1e6; };
  if (whole(value)) {
    rows = cols = static_cast<int>(value.number);
  } else if (value.kind == Value::Kind::kTuple && value.items.size() == 2 && whole(value.items[0]) && whole(value.items[1])) {
    rows = static_cast<int>(value.items[0].number);
    cols = static_cast<int>(value.items[1].number);
  } else {
    return false;
  }
  return true;
}

LayerArguments::LayerArguments(const Call& call, std::vector<std::string> positional_names) : call_(call) {
  for (const Argument& argument : call.arguments) {
    if (argument.keyword.empty()) {
      positional_.push_back(&argument);
    } else {
      keywords_.push_back(&argument);
    }
  }
  names_ = std::move(positional_names);
}

Result<bool> LayerArguments::Check(const std::vector<std::string>& extra_keywords) const {
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

const Argument* LayerArguments::Find(const std::string& name) const {
  for (const Argument* argument : keywords_) {
    if (argument->keyword == name) return argument;
  }
  const auto at = std::find(names_.begin(), names_.end(), name);
  const std::size_t index = static_cast<std::size_t>(at - names_.begin());
  if (at != names_.end() && index < positional_.size()) return positional_[index];
  return nullptr;
}

Result<std::pair<int, int>> LayerArguments::Pair(const std::string& name, std::pair<int, int> fallback) const {
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

Result<int> LayerArguments::Positive(const std::string& name, bool required) const {
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

Result<bool> LayerArguments::Flag(const std::string& name, bool fallback) const {
  const Argument* argument = Find(name);
  if (argument == nullptr) return fallback;
  if (argument->value.kind != Value::Kind::kBool) {
    return Error{"", call_.name + ": " + name + ": expected True or False", argument->line};
  }
  return argument->value.number != 0.0;
}

Result<bool> LayerArguments::SamePadding() const {
  const Argument* argument = Find("padding");
  if (argument == nullptr) return false;
  std::string mode = argument->value.text;
  for (char& c : mode) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (argument->value.kind == Value::Kind::kString && (mode == "valid" || mode == "same")) return mode == "same";
  return Error{"", call_.name + ": padding: expected 'valid' or 'same', got " + Describe(argument->value),
               argument->line};
}

Result<std::vector<int>> LayerArguments::Shape(const Value& value, int line) const {
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

}  // namespace convtutor::lessons::reading
