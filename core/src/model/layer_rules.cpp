// What each layer kind does to its input (see layer_rules.h): the rules every framework shares
// (Flatten, Dropout, activations) and the dispatch to the framework's own.
#include "model/layer_rules.h"

#include <algorithm>

#include "convtutor/geometry.h"
#include "lesson_text.h"
#include "model/layer_arguments.h"

namespace convtutor::lessons::reading {
namespace {

using std::int64_t;
using std::to_string;

std::string AxisFormulas(const AxisGeometry& rows, const AxisGeometry& cols) {
  if (rows.formula == cols.formula) return rows.formula;
  return "rows " + rows.formula + "; columns " + cols.formula;
}

Result<bool> BuildFlatten(const Call& call, ModelLayer& layer, bool torch) {
  const std::vector<int>& in = layer.input_shape;
  LayerArguments arguments(call, torch ? std::vector<std::string>{"start_dim", "end_dim"}
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
    const std::vector<int> shown = torch && in.size() == 3 ? std::vector<int>{in[2], in[0], in[1]} : in;
    std::string product;
    for (std::size_t i = 0; i < shown.size(); ++i) product += (i ? kDot : "") + to_string(shown[i]);
    layer.shape_formula = product + " = " + Grouped(size);
  }
  return true;
}

// Dropout, activations, rescaling: shape and parameters pass through.
Result<bool> PassThrough(const Call& call, ModelLayer& layer, bool torch) {
  layer.use_bias = false;
  layer.output_shape = layer.input_shape;
  if (layer.kind == "Dropout") {
    LayerArguments arguments(call, torch ? std::vector<std::string>{"p"} : std::vector<std::string>{"rate"});
    return arguments.Check({"input_shape"});
  }
  return true;
}

// A transposed convolution along one axis: the (input cell, kernel tap) pairs whose product lands
// inside the output, cell i·stride + tap·dilation − crop.
double LandingTaps(int input, int kernel, int stride, int dilation, int crop, int output) {
  const auto floor_div = [](std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); };
  double landing = 0.0;
  for (int tap = 0; tap < kernel; ++tap) {
    const std::int64_t shift = std::int64_t{tap} * dilation - crop;  // cell i lands at i·stride + shift
    const std::int64_t first = std::max<std::int64_t>(0, -floor_div(shift, stride));
    const std::int64_t last = std::min<std::int64_t>(input - 1, floor_div(output - 1 - shift, stride));
    if (last >= first) landing += static_cast<double>(last - first + 1);
  }
  return landing;
}

}  // namespace

Result<bool> BuildLayer(const Call& call, ModelLayer& layer, bool torch) {
  if (layer.kind == "Flatten") return BuildFlatten(call, layer, torch);
  if (layer.kind == "Dropout" || layer.kind == "Activation" || layer.kind == "Rescaling") {
    return PassThrough(call, layer, torch);
  }
  // PyTorch's F.pad with zeros adds the rows and columns Keras's ZeroPadding2D adds (and crops
  // where a pad is negative); x.mean([2, 3]) averages each channel's picture as
  // GlobalAveragePooling2D does.
  if (layer.kind == "ZeroPadding2D") return BuildZeroPadding(call, layer, torch);
  return torch && layer.kind != "GlobalAveragePooling2D" ? BuildTorchLayer(call, layer) : BuildKerasLayer(call, layer);
}

Result<bool> CountMultiplyAdds(ModelLayer& layer) {
  const std::vector<int>& in = layer.input_shape;
  const std::vector<int>& out = layer.output_shape;
  const auto cells = [](const std::vector<int>& shape) {
    double count = 1.0;
    for (int size : shape) count *= size;
    return count;
  };
  double work = 0.0;
  const double taps = static_cast<double>(layer.kernel_rows) * layer.kernel_cols;
  if (layer.kind == "Conv2D" || layer.kind == "Conv2d" || layer.kind == "DepthwiseConv2D") {
    work = cells(out) * (in.back() / std::max(1, layer.groups)) * taps;  // each map sums its group's channels
  } else if (layer.kind == "SeparableConv2D") {
    // The depthwise maps (one channel each), then the 1×1 convolution over them.
    const double depthwise_maps = static_cast<double>(in.back()) * layer.depth_multiplier;
    work = cells(out) / out.back() * depthwise_maps * (taps + layer.filters);
  } else if (layer.kind == "Conv2DTranspose" || layer.kind == "ConvTranspose2d") {
    // Every input value scatters the kernel into the maps of its group; the products that land in
    // the cropped border do not count, as the scene counts them.
    const double landing = LandingTaps(in[0], layer.kernel_rows, layer.stride_rows, layer.dilation_rows, layer.pad_rows,
                                       out[0]) *
                           LandingTaps(in[1], layer.kernel_cols, layer.stride_cols, layer.dilation_cols, layer.pad_cols,
                                       out[1]);
    work = landing * in[2] * (layer.filters / std::max(1, layer.groups));
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

Result<bool> NeedImage(const ModelLayer& layer, int line) {
  if (layer.input_shape.size() == 3) return true;
  return Error{"", layer.kind + " needs an image input (height, width, channels), got " + ShapeText(layer.input_shape),
               line};
}

Result<bool> Spatial(ModelLayer& layer, bool pooling, int line) {
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

constexpr double kMaxParameters = 1e15;

Result<bool> CheckParameterCount(double estimate, const std::string& kind, int line) {
  if (estimate <= kMaxParameters) return true;
  return Error{"", kind + ": more than 10^15 parameters; check the sizes", line};
}

int64_t Product(const std::vector<int>& shape) {
  int64_t product = 1;
  for (int size : shape) product *= size;
  return product;
}

}  // namespace convtutor::lessons::reading
