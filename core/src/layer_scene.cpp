// Turns a model summary row (Conv2D, MaxPool2d, ...) into the Scene the tutor steps through, at
// the layer's real size, refusing rows that are not convolution/pooling or are too big for a browser.
#include "convtutor/layer_scene.h"

#include <string>
#include <utility>

#include "convtutor/forward.h"
#include "convtutor/generate.h"
#include "convtutor/geometry.h"
#include "lesson_text.h"

namespace convtutor::lessons {
namespace {

// The tutor's operation for a summary kind; false when it has none.
bool OpForKind(const std::string& kind, Op& op) {
  if (kind == "Conv2D" || kind == "Conv2d") {
    op = Op::kConv2d;
  } else if (kind == "MaxPooling2D" || kind == "MaxPool2d") {
    op = Op::kMaxPool2d;
  } else if (kind == "AveragePooling2D" || kind == "AvgPool2d") {
    op = Op::kAvgPool2d;
  } else {
    return false;
  }
  return true;
}

// "Conv2D on line 3" (rows built by hand may have no line).
std::string LayerName(const ModelLayer& layer) {
  return layer.line > 0 ? layer.kind + " on line " + std::to_string(layer.line) : layer.kind;
}

Error LayerError(const ModelLayer& layer, const std::string& message) {
  return Error{"layer", LayerName(layer) + " " + message, layer.line};
}

// {channels, height, width} of the row's input, whichever layout the row uses.
struct InputSize {
  int channels = 0;
  int height = 0;
  int width = 0;
};

InputSize InputSizeOf(const ModelLayer& layer) {
  const std::vector<int>& shape = layer.input_shape;
  if (layer.channels_first) return InputSize{shape[0], shape[1], shape[2]};
  return InputSize{shape[2], shape[0], shape[1]};
}

LayerSpec SpecOf(const ModelLayer& layer, Op op) {
  LayerSpec spec;
  spec.op = op;
  spec.kernel = {layer.kernel_rows, layer.kernel_cols};
  spec.stride = {layer.stride_rows, layer.stride_cols};
  spec.dilation = {layer.dilation_rows, layer.dilation_cols};
  // The same rule the summary's own shapes use: 'same' first, then PyTorch's per-side padding.
  if (layer.same_padding) {
    spec.padding.mode = PaddingMode::kSame;
  } else if (layer.pad_rows > 0 || layer.pad_cols > 0) {
    spec.padding.mode = PaddingMode::kExplicit;
    spec.padding.sides = Sides{layer.pad_rows, layer.pad_rows, layer.pad_cols, layer.pad_cols};
  }
  spec.ceil_mode = IsPooling(op) && layer.ceil_mode;
  spec.count_include_pad = op != Op::kAvgPool2d || layer.count_include_pad;
  spec.activation = Activation::kNone;
  return spec;
}

// Counts the layer's work from its sizes alone, before any value is generated, so a huge layer
// is refused without allocating it.
Result<bool> CheckMultiplyAdds(const ModelLayer& layer, const LayerSpec& spec, const InputSize& input) {
  const bool pooling = IsPooling(spec.op);
  const Sides& sides = spec.padding.sides;
  Result<AxisGeometry> rows = ResolveAxis(spec.padding.mode, input.height, spec.kernel.rows, spec.stride.rows,
                                          spec.dilation.rows, sides.top, sides.bottom, spec.ceil_mode, pooling, "rows");
  if (!rows) return LayerError(layer, "cannot be stepped through: " + rows.error().message);
  Result<AxisGeometry> cols = ResolveAxis(spec.padding.mode, input.width, spec.kernel.cols, spec.stride.cols,
                                          spec.dilation.cols, sides.left, sides.right, spec.ceil_mode, pooling, "cols");
  if (!cols) return LayerError(layer, "cannot be stepped through: " + cols.error().message);
  const std::int64_t out_channels = pooling ? input.channels : layer.filters;
  const std::int64_t taps = std::int64_t{spec.kernel.rows} * spec.kernel.cols;
  // In doubles: a row built by hand can have sizes whose product overflows int64.
  const double work = static_cast<double>(out_channels) * rows.value().output * cols.value().output *
                      static_cast<double>(taps) * (pooling ? 1.0 : input.channels);
  if (work > static_cast<double>(kMaxLayerSceneMultiplyAdds)) {
    return LayerError(layer, "needs " + (work < 1e18 ? Grouped(static_cast<std::int64_t>(work)) : std::string("over 10^18")) +
                                 " multiply-adds, more than the " + Grouped(kMaxLayerSceneMultiplyAdds) +
                                 " the tutor steps through in a browser; try a smaller input or fewer filters");
  }
  return true;
}

std::vector<float> SmallIntegers(std::size_t count, std::uint32_t seed) {
  FillSpec spec;
  spec.fill = Fill::kRandom;
  spec.seed = seed;
  spec.integers = true;
  return GenerateValues(count, spec);
}

// A row that applies ReLU to what it is given: a ReLU module or function, or a Keras layer called
// with activation='relu'.
bool AppliesRelu(const ModelLayer& layer) {
  if (layer.kind == "ReLU" || layer.kind == "relu") return true;
  return layer.source.find("activation='relu'") != std::string::npos ||
         layer.source.find("activation=\"relu\"") != std::string::npos ||
         (layer.kind == "Activation" && layer.source.find("relu") != std::string::npos);
}

// Rows that leave their input as it is at the start of training.
bool PassesValuesThrough(const ModelLayer& layer) {
  for (const char* kind : {"Dropout", "Dropout2d", "SpatialDropout2D", "BatchNormalization", "BatchNorm2d"}) {
    if (layer.kind == kind) return true;
  }
  return false;
}

}  // namespace

bool IsSteppableLayer(const ModelLayer& layer) {
  Op op = Op::kConv2d;
  return OpForKind(layer.kind, op) && layer.input_shape.size() == 3;
}

Result<Scene> LayerScene(const ModelLayer& layer, std::uint32_t seed) {
  Op op = Op::kConv2d;
  if (!OpForKind(layer.kind, op)) {
    return LayerError(layer, "is not a convolution or pooling layer, so there is no window to step through");
  }
  if (layer.input_shape.size() != 3) {
    return LayerError(layer, "needs an image input (channels, height and width) to step through, got " +
                                 ShapeText(layer.input_shape));
  }
  const InputSize input = InputSizeOf(layer);
  if (input.channels < 1 || input.height < 1 || input.width < 1) {
    return LayerError(layer, "has an empty input " + ShapeText(layer.input_shape));
  }
  if (op == Op::kAvgPool2d && layer.divisor_override > 0) {
    return LayerError(layer, "uses divisor_override, which the tutor cannot show yet (it divides by the window's cells)");
  }
  if (op == Op::kConv2d && layer.filters < 1) {
    return LayerError(layer, "has no filters (filters is " + std::to_string(layer.filters) + ")");
  }
  const double input_values = static_cast<double>(input.channels) * input.height * input.width;
  if (input_values > static_cast<double>(kMaxLayerSceneValues)) {
    return LayerError(layer, "has " + Grouped(static_cast<std::int64_t>(input_values)) + " input values, more than the " +
                                 Grouped(kMaxLayerSceneValues) +
                                 " the tutor steps through in a browser; try a smaller input");
  }
  Scene scene;
  scene.layer = SpecOf(layer, op);
  Result<bool> work = CheckMultiplyAdds(layer, scene.layer, input);
  if (!work) return work.error();

  // Input, weights and bias each from their own seed, so changing one never repeats another's values.
  scene.input = Volume::Zeros(input.channels, input.height, input.width);
  scene.input.values = SmallIntegers(scene.input.values.size(), seed);
  if (op == Op::kConv2d) {
    scene.weights = FilterBank::Zeros(layer.filters, input.channels, layer.kernel_rows, layer.kernel_cols);
    scene.weights.values = SmallIntegers(scene.weights.values.size(), seed + 1u);
    if (layer.use_bias) scene.bias = SmallIntegers(static_cast<std::size_t>(layer.filters), seed + 2u);
  }
  Result<Geometry> geometry = ResolveGeometry(scene);
  if (!geometry) return LayerError(layer, "cannot be stepped through: " + geometry.error().ToString());
  return scene;
}

std::optional<Volume> LayerInputFrom(const ModelSummary& summary, int row, Volume model_input, std::uint32_t seed) {
  Volume current = std::move(model_input);
  for (int index = 1; index < row && index < static_cast<int>(summary.layers.size()); ++index) {
    const ModelLayer& layer = summary.layers[static_cast<std::size_t>(index)];
    const bool relu_only = AppliesRelu(layer) && !IsSteppableLayer(layer);
    if (IsSteppableLayer(layer)) {
      const InputSize size = InputSizeOf(layer);
      if (size.channels != current.channels || size.height != current.height || size.width != current.width) {
        return std::nullopt;
      }
      Result<Scene> scene = LayerScene(layer, seed);
      if (!scene) return std::nullopt;
      scene.value().input = std::move(current);
      Result<Geometry> geometry = ResolveGeometry(scene.value());
      if (!geometry) return std::nullopt;
      current = Forward(scene.value(), geometry.value());
    } else if (!relu_only && !PassesValuesThrough(layer)) {
      return std::nullopt;
    }
    if (AppliesRelu(layer)) {
      for (float& value : current.values) value = value > 0.0f ? value : 0.0f;
    }
  }
  return current;
}

std::optional<Volume> LayerInputFromPicture(const ModelSummary& summary, int row, const Picture& picture,
                                            std::uint32_t seed) {
  if (summary.layers.size() < 2 || !IsSteppableLayer(summary.layers[1])) return std::nullopt;
  const InputSize size = InputSizeOf(summary.layers[1]);
  if (size.channels != 1 && size.channels != 3) return std::nullopt;
  const PictureMode mode = size.channels == 1 ? PictureMode::kGray : PictureMode::kRgb;
  return LayerInputFrom(summary, row, PictureToSizedVolume(picture, mode, size.height, size.width), seed);
}

}  // namespace convtutor::lessons
