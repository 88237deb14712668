// Keras's layer kinds (Conv2D, pooling, ZeroPadding2D, Dense, BatchNormalization, ...): their shape
// and parameter arithmetic by Keras's documented formulas, on channels-last shapes.
#include <tuple>

#include "lesson_text.h"
#include "model/layer_arguments.h"
#include "model/layer_rules.h"

namespace convtutor::lessons::reading {
namespace {

using std::int64_t;
using std::to_string;

// Conv2D(filters, kernel_size, strides=1, padding='valid', dilation_rate=1, use_bias=True).
Result<bool> BuildConv2D(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  const std::string& kind = layer.kind;
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

// MaxPooling2D / AveragePooling2D(pool_size=2, strides=pool_size, padding='valid').
Result<bool> BuildPooling(const Call& call, ModelLayer& layer) {
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

Result<bool> BuildGlobalPooling(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  LayerArguments arguments(call, {"data_format", "keepdims"});
  Result<bool> checked = arguments.Check({});
  if (!checked) return checked;
  Result<bool> image = NeedImage(layer, call.line);
  if (!image) return image;
  layer.use_bias = false;
  layer.output_shape = {in[2]};
  return true;
}

// ZeroPadding2D(padding=1 | (rows, cols) | ((top, bottom), (left, right))).
Result<bool> BuildZeroPadding(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
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

// Dense(units, use_bias=True) on the last axis.
Result<bool> BuildDense(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  const std::string& kind = layer.kind;
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

// BatchNormalization: γ, β (center, scale) and the moving mean and variance, 4·C as Keras counts them.
Result<bool> BuildBatchNormalization(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
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
}  // namespace

Result<bool> BuildKerasLayer(const Call& call, ModelLayer& layer) {
  const std::string& kind = layer.kind;
  if (kind == "Conv2D") return BuildConv2D(call, layer);
  if (kind == "MaxPooling2D" || kind == "AveragePooling2D") return BuildPooling(call, layer);
  if (kind == "GlobalMaxPooling2D" || kind == "GlobalAveragePooling2D") return BuildGlobalPooling(call, layer);
  if (kind == "ZeroPadding2D") return BuildZeroPadding(call, layer);
  if (kind == "Dense") return BuildDense(call, layer);
  if (kind == "BatchNormalization") return BuildBatchNormalization(call, layer);
  return Error{"", kind + " is not a Keras layer", call.line};
}

}  // namespace convtutor::lessons::reading
