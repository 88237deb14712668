// PyTorch's layer kinds (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.Adaptive*Pool2d, nn.Linear,
// nn.BatchNorm2d): their shape and parameter arithmetic as PyTorch computes it, refusing what
// PyTorch would refuse (in_channels that the previous layer does not give, ...).
#include <algorithm>
#include <cmath>
#include <tuple>

#include "convtutor/geometry.h"
#include "lesson_text.h"
#include "model/layer_arguments.h"
#include "model/layer_rules.h"

namespace convtutor::lessons::reading {
namespace {

using std::int64_t;
using std::to_string;

// padding=p, (ph, pw), 'valid' or 'same' (stride 1 only, as in PyTorch; numbers only for a
// transposed convolution).
Result<bool> TorchPadding(const LayerArguments& arguments, ModelLayer& layer, bool convolution) {
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
  if (!NonNegativePair(value, layer.pad_rows, layer.pad_cols)) {
    return Error{"", layer.kind + ": padding: expected p or (rows, cols)" +
                         std::string(convolution ? ", 'valid' or 'same'" : "") + ", got " + Describe(value),
                 argument->line};
  }
  return true;
}

// The transposed output size along both axes through ResolveTransposedAxis, the scenes' own rule.
Result<bool> TransposedSpatial(ModelLayer& layer, int line) {
  const std::vector<int>& in = layer.input_shape;
  Result<AxisGeometry> rows = ResolveTransposedAxis(in[0], layer.kernel_rows, layer.stride_rows, layer.dilation_rows,
                                                    layer.pad_rows, layer.output_padding_rows, "rows");
  if (!rows) return Error{"", layer.kind + ": " + rows.error().field + " " + rows.error().message, line};
  Result<AxisGeometry> cols = ResolveTransposedAxis(in[1], layer.kernel_cols, layer.stride_cols, layer.dilation_cols,
                                                    layer.pad_cols, layer.output_padding_cols, "cols");
  if (!cols) return Error{"", layer.kind + ": " + cols.error().field + " " + cols.error().message, line};
  if (rows.value().output > 1e7 || cols.value().output > 1e7) {
    return Error{"", layer.kind + ": the output would be too large; check the sizes", line};
  }
  layer.output_shape = {rows.value().output, cols.value().output, layer.filters};
  layer.shape_formula = rows.value().formula == cols.value().formula
                            ? rows.value().formula
                            : "rows " + rows.value().formula + "; columns " + cols.value().formula;
  return true;
}

// nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True)
// and nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0,
// groups=1, bias=True, dilation=1): weights (out, in / groups, kh, kw) and (in, out / groups, kh, kw).
Result<bool> BuildTorchConvolution(const Call& call, ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  const bool transposed = layer.kind == "ConvTranspose2d";
  LayerArguments arguments(
      call, transposed ? std::vector<std::string>{"in_channels", "out_channels", "kernel_size", "stride", "padding",
                                                  "output_padding", "groups", "bias", "dilation", "padding_mode"}
                       : std::vector<std::string>{"in_channels", "out_channels", "kernel_size", "stride", "padding",
                                                  "dilation", "groups", "bias", "padding_mode"});
  Result<bool> checked = arguments.Check({});
  if (!checked) return checked;
  Result<bool> image = NeedImage(layer, call.line);
  if (!image) return image;
  Result<int> in_channels = arguments.Positive("in_channels", true);
  Result<int> out_channels = arguments.Positive("out_channels", true);
  Result<std::pair<int, int>> kernel = arguments.Pair("kernel_size", {0, 0});
  Result<std::pair<int, int>> stride = arguments.Pair("stride", {1, 1});
  Result<std::pair<int, int>> dilation = arguments.Pair("dilation", {1, 1});
  Result<int> groups = arguments.Positive("groups", false);
  Result<bool> bias = arguments.Flag("bias", true);
  if (!in_channels) return in_channels.error();
  if (!out_channels) return out_channels.error();
  if (!kernel) return kernel.error();
  if (kernel.value().first == 0) {
    return Error{"", layer.kind + ": needs kernel_size, e.g. nn." + layer.kind + "(3, 16, 3)", call.line};
  }
  if (!stride) return stride.error();
  if (!dilation) return dilation.error();
  if (!groups) return groups.error();
  if (!bias) return bias.error();
  if (in_channels.value() != in[2]) {
    return Error{"", layer.kind + ": in_channels is " + to_string(in_channels.value()) + " but the previous layer gives " +
                         to_string(in[2]) + " channels (PyTorch would stop here)", call.line};
  }
  layer.groups = std::max(1, groups.value());
  if (in[2] % layer.groups != 0 || out_channels.value() % layer.groups != 0) {
    return Error{"", layer.kind + ": in_channels (" + to_string(in[2]) + ") and out_channels (" +
                         to_string(out_channels.value()) + ") must both divide by groups=" + to_string(layer.groups) +
                         " (PyTorch would stop here)", call.line};
  }
  layer.filters = out_channels.value();
  std::tie(layer.kernel_rows, layer.kernel_cols) = kernel.value();
  std::tie(layer.stride_rows, layer.stride_cols) = stride.value();
  std::tie(layer.dilation_rows, layer.dilation_cols) = dilation.value();
  layer.use_bias = bias.value();
  Result<bool> padding = TorchPadding(arguments, layer, !transposed);
  if (!padding) return padding;
  // Each output map sums over the channels of its group: in / groups (out / groups per input for a
  // transposed convolution, the same count of weights).
  const int seen = in[2] / layer.groups;
  Result<bool> count = CheckParameterCount(
      (static_cast<double>(layer.kernel_rows) * layer.kernel_cols * seen + 1) * layer.filters, layer.kind, call.line);
  if (!count) return count;
  if (transposed) {
    const Argument* output_padding = arguments.Find("output_padding");
    if (output_padding != nullptr &&
        !NonNegativePair(output_padding->value, layer.output_padding_rows, layer.output_padding_cols)) {
      return Error{"", "ConvTranspose2d: output_padding: expected p or (rows, cols), got " +
                           Describe(output_padding->value), output_padding->line};
    }
    Result<bool> spatial = TransposedSpatial(layer, call.line);
    if (!spatial) return spatial;
  } else {
    Result<bool> spatial = Spatial(layer, false, call.line);
    if (!spatial) return spatial;
    layer.output_shape[2] = layer.filters;
  }
  layer.parameters = (int64_t{layer.kernel_rows} * layer.kernel_cols * seen + (layer.use_bias ? 1 : 0)) * layer.filters;
  layer.parameters_formula = "(" + to_string(layer.kernel_rows) + kDot + to_string(layer.kernel_cols) + kDot +
                             to_string(seen) + (layer.use_bias ? " + 1" : "") + ")" + kDot +
                             to_string(layer.filters) + " = " + Grouped(layer.parameters);
  if (layer.groups > 1) {
    layer.parameters_formula += " (groups=" + to_string(layer.groups) + ": each output map sums " + to_string(in[2]) +
                                " / " + to_string(layer.groups) + " = " + to_string(seen) + " channels)";
  }
  return true;
}

// nn.MaxPool2d / nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0, ceil_mode=False).
Result<bool> BuildTorchPooling(const Call& call, ModelLayer& layer) {
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

Result<bool> BuildTorchAdaptivePooling(const Call& call, ModelLayer& layer) {
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

// nn.Upsample(scale_factor=2) or nn.Upsample(size=(h, w)), and F.interpolate the same: each side
// becomes ⌊side · scale_factor⌋ (or the size asked for); the channels stay; no parameters, whatever
// the mode (nearest repeats cells, bilinear blends neighbours: neither learns anything).
Result<bool> BuildTorchUpsample(const Call& call, ModelLayer& layer) {
  LayerArguments arguments(call, {"size", "scale_factor", "mode", "align_corners", "recompute_scale_factor",
                                  "antialias"});
  Result<bool> checked = arguments.Check({});
  if (!checked) return checked;
  Result<bool> image = NeedImage(layer, call.line);
  if (!image) return image;
  const std::vector<int>& in = layer.input_shape;
  const Argument* size = arguments.Find("size");
  const Argument* scale = arguments.Find("scale_factor");
  const bool has_size = size != nullptr && size->value.kind != Value::Kind::kNone;
  const bool has_scale = scale != nullptr && scale->value.kind != Value::Kind::kNone;
  if (has_size == has_scale) {
    return Error{"", layer.kind + ": give either size or scale_factor, e.g. nn.Upsample(scale_factor=2)", call.line};
  }
  const Value& given = has_size ? size->value : scale->value;
  const auto factor_at = [&](std::size_t axis) -> const Value& {
    return given.kind == Value::Kind::kTuple && given.items.size() == 2 ? given.items[axis] : given;
  };
  int sides[2] = {0, 0};
  std::string formulas[2];
  for (std::size_t axis = 0; axis < 2; ++axis) {
    const Value& factor = factor_at(axis);
    if (factor.kind != Value::Kind::kNumber || !(factor.number > 0.0) || factor.number > 1e4 ||
        (has_size && !factor.integral)) {
      return Error{"", layer.kind + ": " + (has_size ? "size" : "scale_factor") + " must be " +
                           (has_size ? "a positive whole number or two" : "a positive number or two") + ", got " +
                           Describe(given), call.line};
    }
    const double side = has_size ? factor.number : std::floor(static_cast<double>(in[axis]) * factor.number);
    if (side < 1.0 || side > 1e6) return Error{"", layer.kind + ": the picture would be " + to_string(static_cast<long long>(side)) + " cells on a side", call.line};
    sides[axis] = static_cast<int>(side);
    formulas[axis] = has_size ? to_string(sides[axis]) : "\xE2\x8C\x8A" + to_string(in[axis]) + kDot + factor.text + "\xE2\x8C\x8B = " + to_string(sides[axis]);
    (axis == 0 ? layer.scale_factor_rows : layer.scale_factor_cols) = has_size ? 0.0 : factor.number;
  }
  // nn.UpsamplingBilinear2d is bilinear with align_corners=True; nn.UpsamplingNearest2d, nearest.
  const bool bilinear_module = call.name == "UpsamplingBilinear2d";
  layer.resize_mode = bilinear_module ? "bilinear" : "nearest";
  layer.align_corners = bilinear_module;
  if (const Argument* mode = arguments.Find("mode"); mode != nullptr) {
    if (mode->value.kind != Value::Kind::kString) {
      return Error{"", layer.kind + ": mode must be a name such as 'nearest' or 'bilinear', got " + Describe(mode->value),
                   mode->line};
    }
    layer.resize_mode = mode->value.text;
  }
  if (const Argument* corners = arguments.Find("align_corners"); corners != nullptr && corners->value.kind != Value::Kind::kNone) {
    Result<bool> flag = arguments.Flag("align_corners", false);
    if (!flag) return flag.error();
    layer.align_corners = flag.value();
  }
  layer.use_bias = false;
  layer.output_shape = {sides[0], sides[1], in[2]};
  layer.shape_formula = formulas[0] + ", " + formulas[1];
  return true;
}

// nn.Linear(in_features, out_features, bias=True): the input must be flat and match in_features.
Result<bool> BuildTorchLinear(const Call& call, ModelLayer& layer) {
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
Result<bool> BuildTorchBatchNorm(const Call& call, ModelLayer& layer) {
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

}  // namespace

Result<bool> BuildTorchLayer(const Call& call, ModelLayer& layer) {
  const std::string& kind = layer.kind;
  if (kind == "Conv2d" || kind == "ConvTranspose2d") return BuildTorchConvolution(call, layer);
  if (kind == "MaxPool2d" || kind == "AvgPool2d") return BuildTorchPooling(call, layer);
  if (kind == "AdaptiveAvgPool2d" || kind == "AdaptiveMaxPool2d") return BuildTorchAdaptivePooling(call, layer);
  if (kind == "Linear") return BuildTorchLinear(call, layer);
  if (kind == "BatchNorm2d") return BuildTorchBatchNorm(call, layer);
  if (kind == "Upsample") return BuildTorchUpsample(call, layer);
  return Error{"", kind + " is not a PyTorch layer", call.line};
}

}  // namespace convtutor::lessons::reading
