// Keras's layer kinds (Conv2D, pooling, ZeroPadding2D, Cropping2D, UpSampling2D, Dense, BatchNormalization, ...): their shape
// and parameter arithmetic by Keras's documented formulas, on channels-last shapes.
#include <algorithm>
#include <string>
#include <tuple>

#include "lesson_text.h"
#include "model/layer_arguments.h"
#include "model/layer_rules.h"

namespace convtutor::lessons::reading {
namespace {

using std::int64_t;
using std::to_string;

// The window every Keras convolution has: kernel_size, strides, dilation_rate, padding, use_bias,
// on a channels-last image.
Result<bool> ReadWindow(const LayerArguments& arguments, const Call& call, ModelLayer& layer) {
  Result<bool> checked = arguments.Check({"input_shape"});
  if (!checked) return checked;
  Result<bool> image = NeedImage(layer, call.line);
  if (!image) return image;
  const Argument* format = arguments.Find("data_format");
  if (format != nullptr && format->value.kind != Value::Kind::kNone && format->value.text != "channels_last") {
    return Error{"", layer.kind + ": only data_format='channels_last' (Keras's default) is understood", format->line};
  }
  Result<std::pair<int, int>> kernel = arguments.Pair("kernel_size", {0, 0});
  Result<std::pair<int, int>> strides = arguments.Pair("strides", {1, 1});
  Result<std::pair<int, int>> dilation = arguments.Pair("dilation_rate", {1, 1});
  Result<bool> same = arguments.SamePadding();
  Result<bool> bias = arguments.Flag("use_bias", true);
  if (!kernel) return kernel.error();
  if (kernel.value().first == 0) {
    return Error{"", layer.kind + ": needs kernel_size, e.g. " + layer.kind + "(32, (3, 3))", call.line};
  }
  if (!strides) return strides.error();
  if (!dilation) return dilation.error();
  if (!same) return same.error();
  if (!bias) return bias.error();
  std::tie(layer.kernel_rows, layer.kernel_cols) = kernel.value();
  std::tie(layer.stride_rows, layer.stride_cols) = strides.value();
  std::tie(layer.dilation_rows, layer.dilation_cols) = dilation.value();
  layer.same_padding = same.value();
  layer.use_bias = bias.value();
  return true;
}

std::string KernelText(const ModelLayer& layer) { return to_string(layer.kernel_rows) + kDot + to_string(layer.kernel_cols); }

// "(3·3·16 + 1)·32 = 4,640": `per_filter` weights seen by each of `filters` filters, plus a bias each.
void FilterParameters(ModelLayer& layer, int channels_seen, int filters) {
  layer.parameters = (int64_t{layer.kernel_rows} * layer.kernel_cols * channels_seen + (layer.use_bias ? 1 : 0)) * filters;
  layer.parameters_formula = "(" + KernelText(layer) + kDot + to_string(channels_seen) + (layer.use_bias ? " + 1" : "") +
                             ")" + kDot + to_string(filters) + " = " + Grouped(layer.parameters);
}

// Conv2D(filters, kernel_size, strides=1, padding='valid', data_format, dilation_rate=1, groups=1,
// activation, use_bias=True): each filter sees C / groups channels.
Result<bool> BuildConv2D(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  LayerArguments arguments(call, {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                                  "groups", "activation", "use_bias"});
  Result<bool> window = ReadWindow(arguments, call, layer);
  if (!window) return window;
  Result<int> filters = arguments.Positive("filters", true);
  Result<int> groups = arguments.Positive("groups", false);
  if (!filters) return filters.error();
  if (!groups) return groups.error();
  layer.filters = filters.value();
  layer.groups = std::max(1, groups.value());
  if (in[2] % layer.groups != 0) {
    return Error{"", "Conv2D: the input's " + to_string(in[2]) + " channels do not divide into groups=" +
                         to_string(layer.groups) + " (Keras would fail here)", call.line};
  }
  if (layer.filters % layer.groups != 0) {
    return Error{"", "Conv2D: filters=" + to_string(layer.filters) + " does not divide into groups=" +
                         to_string(layer.groups) + " (Keras would fail here)", call.line};
  }
  Result<bool> spatial = Spatial(layer, false, call.line);
  if (!spatial) return spatial;
  layer.output_shape[2] = layer.filters;
  const int seen = in[2] / layer.groups;
  Result<bool> count = CheckParameterCount(
      (static_cast<double>(layer.kernel_rows) * layer.kernel_cols * seen + 1) * layer.filters, layer.kind, call.line);
  if (!count) return count;
  FilterParameters(layer, seen, layer.filters);
  if (layer.groups > 1) {
    layer.parameters_formula += " (each filter sees " + to_string(in[2]) + " / " + to_string(layer.groups) + " = " +
                                to_string(seen) + " channels)";
  }
  return true;
}

// DepthwiseConv2D(kernel_size, strides=1, padding='valid', depth_multiplier=1, data_format,
// dilation_rate=1, activation, use_bias=True): depth_multiplier filters per input channel, each on
// that channel alone; C·m maps out.
Result<bool> BuildDepthwise(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  LayerArguments arguments(call, {"kernel_size", "strides", "padding", "depth_multiplier", "data_format",
                                  "dilation_rate", "activation", "use_bias"});
  Result<bool> window = ReadWindow(arguments, call, layer);
  if (!window) return window;
  Result<int> multiplier = arguments.Positive("depth_multiplier", false);
  if (!multiplier) return multiplier.error();
  layer.depth_multiplier = std::max(1, multiplier.value());
  Result<bool> count = CheckParameterCount(static_cast<double>(in[2]) * layer.depth_multiplier *
                                               (static_cast<double>(layer.kernel_rows) * layer.kernel_cols + 1),
                                           layer.kind, call.line);
  if (!count) return count;
  layer.groups = in[2];
  layer.filters = in[2] * layer.depth_multiplier;
  Result<bool> spatial = Spatial(layer, false, call.line);
  if (!spatial) return spatial;
  layer.output_shape[2] = layer.filters;
  FilterParameters(layer, 1, layer.filters);
  if (layer.depth_multiplier > 1) {
    layer.parameters_formula = "(" + KernelText(layer) + (layer.use_bias ? " + 1" : "") + ")" + kDot + to_string(in[2]) +
                               kDot + to_string(layer.depth_multiplier) + " = " + Grouped(layer.parameters);
  }
  return true;
}

// SeparableConv2D(filters, kernel_size, strides=1, padding='valid', data_format, dilation_rate=1,
// depth_multiplier=1, activation, use_bias=True): a depthwise convolution (no bias), then a 1×1
// convolution to `filters` maps with a bias each: k·k·C·m + C·m·filters + filters.
Result<bool> BuildSeparable(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  LayerArguments arguments(call, {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                                  "depth_multiplier", "activation", "use_bias"});
  Result<bool> window = ReadWindow(arguments, call, layer);
  if (!window) return window;
  Result<int> filters = arguments.Positive("filters", true);
  Result<int> multiplier = arguments.Positive("depth_multiplier", false);
  if (!filters) return filters.error();
  if (!multiplier) return multiplier.error();
  layer.filters = filters.value();
  layer.depth_multiplier = std::max(1, multiplier.value());
  layer.groups = in[2];
  const double depthwise = static_cast<double>(layer.kernel_rows) * layer.kernel_cols * in[2] * layer.depth_multiplier;
  const double pointwise = static_cast<double>(in[2]) * layer.depth_multiplier * layer.filters;
  Result<bool> count = CheckParameterCount(depthwise + pointwise + layer.filters, layer.kind, call.line);
  if (!count) return count;
  Result<bool> spatial = Spatial(layer, false, call.line);
  if (!spatial) return spatial;
  layer.output_shape[2] = layer.filters;
  const std::string cm = to_string(in[2]) + kDot + to_string(layer.depth_multiplier);
  layer.parameters = static_cast<int64_t>(depthwise) + static_cast<int64_t>(pointwise) + (layer.use_bias ? layer.filters : 0);
  layer.parameters_formula = KernelText(layer) + kDot + cm + " + " + cm + kDot + to_string(layer.filters) +
                             (layer.use_bias ? " + " + to_string(layer.filters) : std::string()) + " = " +
                             Grouped(layer.parameters);
  return true;
}

// Conv2DTranspose's size along one axis, by Keras's rule (deconv_output_length), with the
// arithmetic; also the crop per side and the output_padding that give the same cells in PyTorch's
// terms, which the stage uses.
struct TransposedAxis {
  int output = 0;
  std::string formula;
  int crop = 0;
  int output_padding = 0;
  bool uneven = false;  // TensorFlow crops one cell more at the end than at the start
};

Result<TransposedAxis> KerasTransposedAxis(const ModelLayer& layer, int n, int k, int s, int d, int output_padding,
                                           bool output_padding_given) {
  const int64_t span = int64_t{k - 1} * d + 1;
  TransposedAxis axis;
  int64_t output = 0;
  if (output_padding_given) {
    if (output_padding >= s) {
      return Error{"", "Conv2DTranspose: output_padding " + to_string(output_padding) + " must be smaller than the stride " +
                           to_string(s) + " (Keras would fail here)", layer.line};
    }
    const int64_t pad = layer.same_padding ? span / 2 : 0;
    output = int64_t{n - 1} * s + span - 2 * pad + output_padding;
    axis.formula = "(" + to_string(n) + " " + kMinusSign + " 1)" + kDot + to_string(s) + " + " + to_string(span) +
                   (pad > 0 ? " " + std::string(kMinusSign) + " 2" + kDot + to_string(pad) : std::string()) + " + " +
                   to_string(output_padding);
    axis.crop = static_cast<int>(pad);
    axis.output_padding = output_padding;
  } else if (layer.same_padding) {
    output = int64_t{n} * s;
    axis.formula = to_string(n) + kDot + to_string(s);
    // TensorFlow crops span − s cells, the odd one at the end; fewer cells than n·s get zeros at the end.
    const int64_t total = span - s;
    axis.crop = total > 0 ? static_cast<int>((total + 1) / 2) : 0;
    axis.output_padding = total > 0 ? static_cast<int>(total % 2) : static_cast<int>(-total);
    axis.uneven = total > 0 && total % 2 == 1;
  } else {
    output = int64_t{n} * s + std::max<int64_t>(span - s, 0);
    axis.formula = to_string(n) + kDot + to_string(s) + " + max(" + to_string(span) + " " + kMinusSign + " " +
                   to_string(s) + ", 0)";
    axis.output_padding = span < s ? static_cast<int>(s - span) : 0;
  }
  if (output < 1 || output > 10000000) {
    return Error{"", "Conv2DTranspose: " + axis.formula + " = " + std::to_string(output) + " is not a size", layer.line};
  }
  axis.output = static_cast<int>(output);
  axis.formula += " = " + to_string(axis.output);
  return axis;
}

// Conv2DTranspose(filters, kernel_size, strides=1, padding='valid', output_padding=None, data_format,
// dilation_rate=1, activation, use_bias=True): the picture grows; kernel (k, k, filters, C) + bias.
Result<bool> BuildTransposed(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  LayerArguments arguments(call, {"filters", "kernel_size", "strides", "padding", "output_padding", "data_format",
                                  "dilation_rate", "activation", "use_bias"});
  Result<bool> window = ReadWindow(arguments, call, layer);
  if (!window) return window;
  Result<int> filters = arguments.Positive("filters", true);
  if (!filters) return filters.error();
  layer.filters = filters.value();
  const Argument* padding_argument = arguments.Find("output_padding");
  const bool given = padding_argument != nullptr && padding_argument->value.kind != Value::Kind::kNone;
  std::pair<int, int> output_padding{0, 0};
  if (given && !NonNegativePair(padding_argument->value, output_padding.first, output_padding.second)) {
    return Error{"", "Conv2DTranspose: output_padding: expected a whole number or a pair, got " +
                         Describe(padding_argument->value), padding_argument->line};
  }
  Result<TransposedAxis> rows = KerasTransposedAxis(layer, in[0], layer.kernel_rows, layer.stride_rows,
                                                    layer.dilation_rows, output_padding.first, given);
  if (!rows) return rows.error();
  Result<TransposedAxis> cols = KerasTransposedAxis(layer, in[1], layer.kernel_cols, layer.stride_cols,
                                                    layer.dilation_cols, output_padding.second, given);
  if (!cols) return cols.error();
  Result<bool> count = CheckParameterCount(
      (static_cast<double>(layer.kernel_rows) * layer.kernel_cols * in[2] + 1) * layer.filters, layer.kind, call.line);
  if (!count) return count;
  layer.output_shape = {rows.value().output, cols.value().output, layer.filters};
  layer.shape_formula = rows.value().formula == cols.value().formula
                            ? rows.value().formula
                            : "rows " + rows.value().formula + "; columns " + cols.value().formula;
  layer.pad_rows = rows.value().crop;
  layer.pad_cols = cols.value().crop;
  layer.output_padding_rows = rows.value().output_padding;
  layer.output_padding_cols = cols.value().output_padding;
  layer.uneven_crop = rows.value().uneven || cols.value().uneven;
  FilterParameters(layer, in[2], layer.filters);
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
  Result<bool> keep = arguments.Flag("keepdims", false);
  if (!keep) return keep.error();
  layer.use_bias = false;
  // keepdims=True keeps the picture's axes, one cell each (a squeeze-and-excitation block's form).
  layer.output_shape = keep.value() ? std::vector<int>{1, 1, in[2]} : std::vector<int>{in[2]};
  return true;
}

// The four sides a padding or cropping layer names: p, (rows, cols) or ((top, bottom), (left,
// right)), each a whole number from `lowest` on; `fallback` on every side when it is not given.
struct FourSides {
  int top = 0, bottom = 0, left = 0, right = 0;
};

Result<FourSides> ReadSides(const LayerArguments& arguments, const char* name, int fallback, int lowest,
                            const std::string& kind) {
  FourSides sides{fallback, fallback, fallback, fallback};
  const Argument* given = arguments.Find(name);
  if (given == nullptr) return sides;
  const Value& value = given->value;
  const auto whole = [&](const Value& v) {
    return v.kind == Value::Kind::kNumber && v.integral && v.number >= lowest && v.number < 1e6;
  };
  const auto pair_of = [&](const Value& v) { return v.kind == Value::Kind::kTuple && v.items.size() == 2 && whole(v.items[0]) && whole(v.items[1]); };
  const auto at = [](const Value& v) { return static_cast<int>(v.number); };
  if (whole(value)) {
    sides = FourSides{at(value), at(value), at(value), at(value)};
  } else if (pair_of(value)) {
    sides = FourSides{at(value.items[0]), at(value.items[0]), at(value.items[1]), at(value.items[1])};
  } else if (value.kind == Value::Kind::kTuple && value.items.size() == 2 && pair_of(value.items[0]) &&
             pair_of(value.items[1])) {
    sides = FourSides{at(value.items[0].items[0]), at(value.items[0].items[1]), at(value.items[1].items[0]),
                      at(value.items[1].items[1])};
  } else {
    return Error{"", kind + ": " + name + ": expected " + (lowest < 0 ? "whole numbers" : "whole numbers from 0") +
                         " as p, (rows, cols) or ((top, bottom), (left, right)), got " + Describe(value),
                 given->line};
  }
  return sides;
}

// " + 2", " − 3": a side's cells added to (or, negative, cropped from) a size, as the formula shows them.
std::string SideTerm(int cells) { return cells < 0 ? " \xE2\x88\x92 " + to_string(-cells) : " + " + to_string(cells); }

// The output of padding (negative sides: cropping) `sides` around the input, with its arithmetic;
// refused when nothing of a side would be left.
Result<bool> ChangeSides(const Call& call, ModelLayer& layer, const FourSides& sides, const std::string& what) {
  const std::vector<int>& in = layer.input_shape;
  const int rows = in[0] + sides.top + sides.bottom, cols = in[1] + sides.left + sides.right;
  if (rows < 1 || cols < 1) {
    return Error{"", what + ": cropping " + to_string(in[0]) + "\xC3\x97" + to_string(in[1]) + " by that much leaves " +
                         to_string(std::max(rows, 0)) + "\xC3\x97" + to_string(std::max(cols, 0)) + " cells",
                 call.line};
  }
  layer.use_bias = false;
  layer.zero_pad_top = sides.top;
  layer.zero_pad_bottom = sides.bottom;
  layer.zero_pad_left = sides.left;
  layer.zero_pad_right = sides.right;
  layer.output_shape = {rows, cols, in[2]};
  layer.shape_formula = to_string(in[0]) + SideTerm(sides.top) + SideTerm(sides.bottom) + " = " + to_string(rows) +
                        " rows, " + to_string(in[1]) + SideTerm(sides.left) + SideTerm(sides.right) + " = " +
                        to_string(cols) + " columns";
  return true;
}

// Cropping2D(cropping=1 | (rows, cols) | ((top, bottom), (left, right))): cells cut off each side.
Result<bool> BuildCropping(const Call& call, ModelLayer& layer) {
  LayerArguments arguments(call, {"cropping", "data_format"});
  Result<bool> checked = arguments.Check({});
  if (!checked) return checked;
  Result<bool> image = NeedImage(layer, call.line);
  if (!image) return image;
  Result<FourSides> crops = ReadSides(arguments, "cropping", 0, 0, "Cropping2D");
  if (!crops) return crops.error();
  const FourSides& c = crops.value();
  return ChangeSides(call, layer, FourSides{-c.top, -c.bottom, -c.left, -c.right}, "Cropping2D");
}

}  // namespace

Result<bool> BuildZeroPadding(const Call& call, ModelLayer& layer, bool crops_allowed) {
  LayerArguments arguments(call, {"padding", "data_format"});
  Result<bool> checked = arguments.Check({});
  if (!checked) return checked;
  Result<bool> image = NeedImage(layer, call.line);
  if (!image) return image;
  // Only F.pad's rows allow crops: their message names the function as written.
  const std::string what = crops_allowed ? "F.pad" : "ZeroPadding2D";
  Result<FourSides> sides = ReadSides(arguments, "padding", 1, crops_allowed ? -1000000 : 0, what);
  if (!sides) return sides.error();
  return ChangeSides(call, layer, sides.value(), what);
}

namespace {

// UpSampling2D(size=2 | (rows, cols), interpolation='nearest' | 'bilinear'): each side times its
// factor, the channels as they were; no weights.
Result<bool> BuildUpSampling(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  LayerArguments arguments(call, {"size", "data_format", "interpolation"});
  Result<bool> checked = arguments.Check({});
  if (!checked) return checked;
  Result<bool> image = NeedImage(layer, call.line);
  if (!image) return image;
  Result<std::pair<int, int>> size = arguments.Pair("size", {2, 2});
  if (!size) return size.error();
  const double rows = static_cast<double>(in[0]) * size.value().first, cols = static_cast<double>(in[1]) * size.value().second;
  if (rows > 1e6 || cols > 1e6) {
    return Error{"", "UpSampling2D: the picture would be more than a million cells on a side", call.line};
  }
  if (const Argument* interpolation = arguments.Find("interpolation"); interpolation != nullptr) {
    if (interpolation->value.kind != Value::Kind::kString) {
      return Error{"", "UpSampling2D: interpolation must be a name such as 'nearest' or 'bilinear', got " +
                           Describe(interpolation->value), interpolation->line};
    }
    layer.resize_mode = interpolation->value.text;
  }
  layer.scale_factor_rows = size.value().first;
  layer.scale_factor_cols = size.value().second;
  layer.use_bias = false;
  layer.output_shape = {static_cast<int>(rows), static_cast<int>(cols), in[2]};
  layer.shape_formula = to_string(in[0]) + kDot + to_string(size.value().first) + " = " + to_string(layer.output_shape[0]) +
                        " rows, " + to_string(in[1]) + kDot + to_string(size.value().second) + " = " +
                        to_string(layer.output_shape[1]) + " columns";
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
  if (kind == "Conv2DTranspose") return BuildTransposed(call, layer);
  if (kind == "DepthwiseConv2D") return BuildDepthwise(call, layer);
  if (kind == "SeparableConv2D") return BuildSeparable(call, layer);
  if (kind == "MaxPooling2D" || kind == "AveragePooling2D") return BuildPooling(call, layer);
  if (kind == "GlobalMaxPooling2D" || kind == "GlobalAveragePooling2D") return BuildGlobalPooling(call, layer);
  if (kind == "ZeroPadding2D") return BuildZeroPadding(call, layer, false);
  if (kind == "Cropping2D") return BuildCropping(call, layer);
  if (kind == "UpSampling2D") return BuildUpSampling(call, layer);
  if (kind == "Dense") return BuildDense(call, layer);
  if (kind == "BatchNormalization") return BuildBatchNormalization(call, layer);
  return Error{"", kind + " is not a Keras layer", call.line};
}

}  // namespace convtutor::lessons::reading
