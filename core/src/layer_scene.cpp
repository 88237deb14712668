// Turns a model summary row (Conv2D, ConvTranspose2d, a grouped or depthwise convolution, MaxPool2d,
// ...) into the Scene the tutor steps through, at the layer's real size, refusing rows that are not
// convolution/pooling or are too big for a browser; and runs a model's graph on a picture up to a row.
#include "convtutor/layer_scene.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "convtutor/forward.h"
#include "convtutor/generate.h"
#include "convtutor/geometry.h"
#include "convtutor/resize.h"
#include "lesson_text.h"
#include "row_activation.h"

namespace convtutor::lessons {
namespace {

// The tutor's operation for a summary kind; false when it has none.
// SeparableConv2D plays its depthwise part (one row, as Keras's summary shows it; the 1×1 part after
// it is an ordinary convolution the learner has met).
bool OpForKind(const std::string& kind, Op& op) {
  if (kind == "Conv2D" || kind == "Conv2d" || kind == "DepthwiseConv2D" || kind == "SeparableConv2D") {
    op = Op::kConv2d;
  } else if (kind == "Conv2DTranspose" || kind == "ConvTranspose2d") {
    op = Op::kConvTranspose2d;
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

InputSize SizeOfShape(const std::vector<int>& shape, bool channels_first) {
  if (channels_first) return InputSize{shape[0], shape[1], shape[2]};
  return InputSize{shape[2], shape[0], shape[1]};
}

InputSize InputSizeOf(const ModelLayer& layer) { return SizeOfShape(layer.input_shape, layer.channels_first); }

// The maps the scene makes: the filters, or a separable layer's depthwise maps (C·m).
int SceneMaps(const ModelLayer& layer) {
  if (layer.kind == "SeparableConv2D") return InputSizeOf(layer).channels * std::max(1, layer.depth_multiplier);
  return layer.filters;
}

LayerSpec SpecOf(const ModelLayer& layer, Op op) {
  LayerSpec spec;
  spec.op = op;
  spec.kernel = {layer.kernel_rows, layer.kernel_cols};
  spec.stride = {layer.stride_rows, layer.stride_cols};
  spec.dilation = {layer.dilation_rows, layer.dilation_cols};
  spec.groups = std::max(1, layer.groups);
  if (op == Op::kConvTranspose2d) {
    // Cropped per side (PyTorch's p; Keras's rule worked into the same terms by the reader).
    spec.padding.mode = PaddingMode::kExplicit;
    spec.padding.sides = Sides{layer.pad_rows, layer.pad_rows, layer.pad_cols, layer.pad_cols};
    spec.output_padding = {layer.output_padding_rows, layer.output_padding_cols};
  } else if (layer.same_padding) {
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

// The refusal of a layer whose `count` of `what` is over `limit`: "<verb> N <what>, more than the
// <limit> the tutor steps through in a browser; ...".
Error OverLimit(const ModelLayer& layer, const char* verb, double count, const char* what, std::int64_t limit) {
  return LayerError(layer, std::string(verb) + " " +
                               (count < 1e18 ? Grouped(static_cast<std::int64_t>(count)) : std::string("over 10^18")) + " " +
                               what + ", more than the " + Grouped(limit) +
                               " the tutor steps through in a browser; try a smaller input or fewer filters");
}

// Counts the layer's output values and work from its sizes alone, before any value is generated,
// so a huge layer is refused without allocating it.
Result<bool> CheckSizes(const ModelLayer& layer, const LayerSpec& spec, const InputSize& input) {
  const bool pooling = IsPooling(spec.op);
  const bool transposed = spec.op == Op::kConvTranspose2d;
  const auto axis = [&](int size, int kernel, int stride, int dilation, int before, int after, int output_padding,
                        const char* name) {
    return transposed ? ResolveTransposedAxis(size, kernel, stride, dilation, before, output_padding, name)
                      : ResolveAxis(spec.padding.mode, size, kernel, stride, dilation, before, after, spec.ceil_mode,
                                    pooling, name);
  };
  const Sides& sides = spec.padding.sides;
  Result<AxisGeometry> rows = axis(input.height, spec.kernel.rows, spec.stride.rows, spec.dilation.rows, sides.top,
                                   sides.bottom, spec.output_padding.rows, "rows");
  if (!rows) return LayerError(layer, "cannot be stepped through: " + rows.error().ToString());
  Result<AxisGeometry> cols = axis(input.width, spec.kernel.cols, spec.stride.cols, spec.dilation.cols, sides.left,
                                   sides.right, spec.output_padding.cols, "cols");
  if (!cols) return LayerError(layer, "cannot be stepped through: " + cols.error().ToString());
  const std::int64_t out_channels = pooling ? input.channels : SceneMaps(layer);
  const double taps = static_cast<double>(spec.kernel.rows) * spec.kernel.cols;
  // In doubles: a row built by hand can have sizes whose product overflows int64.
  const double outputs = static_cast<double>(out_channels) * rows.value().output * cols.value().output;
  if (outputs > static_cast<double>(kMaxLayerSceneOutputValues)) {
    return OverLimit(layer, "makes", outputs, "output values", kMaxLayerSceneOutputValues);
  }
  const double per_group = static_cast<double>(transposed ? layer.filters : input.channels) / spec.groups;
  // A transposed layer's input values each scatter the kernel into the maps of their group; any
  // other layer's output values each gather a window (from the channels of their group).
  const double work = transposed ? static_cast<double>(input.channels) * input.height * input.width * taps * per_group
                                 : outputs * taps * (pooling ? 1.0 : per_group);
  const std::int64_t limit = pooling ? kMaxLayerSceneLoopMultiplyAdds : kMaxLayerSceneMultiplyAdds;
  if (work > static_cast<double>(limit)) return OverLimit(layer, "needs", work, "multiply-adds", limit);
  if (transposed) {
    // The whole-layer path runs each output phase as a convolution (forward.cpp), which also
    // multiplies the zeros around the input: at most ⌈out / s⌉ · k per axis, about n · k unless the
    // kernel reaches far past the input (a 1×1 input under a 32×32 kernel: 32 · 32 times more).
    const auto reach = [](const AxisGeometry& axis) {
      return static_cast<double>((axis.output + axis.stride - 1) / axis.stride) * axis.kernel;
    };
    const double computed = reach(rows.value()) * reach(cols.value()) * static_cast<double>(out_channels) *
                            (static_cast<double>(input.channels) / spec.groups);
    if (computed > static_cast<double>(limit)) {
      return OverLimit(layer, "needs", computed, "multiply-adds counting the zeros around its input", limit);
    }
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

// Rows that leave their input as it is at the start of training.
bool PassesValuesThrough(const ModelLayer& layer) {
  for (const char* kind : {"Dropout", "Dropout2d", "SpatialDropout2D", "BatchNormalization", "BatchNorm2d"}) {
    if (layer.kind == kind) return true;
  }
  return false;
}

// A merge of volumes (Add, Subtract, Multiply, Average, Maximum; sides of 1 broadcast) or a
// Concatenate along the channels; empty for any other join.
std::optional<Volume> Merge(const ModelLayer& layer, const std::vector<const Volume*>& inputs) {
  const Volume& first = *inputs[0];
  if (layer.kind == "Concatenate") {
    Volume joined = Volume::Zeros(0, first.height, first.width);
    for (const Volume* input : inputs) {
      if (input->height != first.height || input->width != first.width) return std::nullopt;
      joined.channels += input->channels;
      joined.values.insert(joined.values.end(), input->values.begin(), input->values.end());
    }
    return joined;
  }
  // Element by element, a side of 1 stretched over the other inputs' (NumPy's broadcasting: a
  // squeeze-and-excitation block multiplies C × H × W maps by C × 1 × 1 weights).
  if (layer.output_shape.size() != 3) return std::nullopt;
  const InputSize out = SizeOfShape(layer.output_shape, layer.channels_first);
  if (static_cast<double>(out.channels) * out.height * out.width > static_cast<double>(kMaxLayerSceneValues)) {
    return std::nullopt;
  }
  const auto fits = [](int side, int wanted) { return side == wanted || side == 1; };
  for (const Volume* input : inputs) {
    if (!fits(input->channels, out.channels) || !fits(input->height, out.height) || !fits(input->width, out.width)) {
      return std::nullopt;
    }
  }
  Volume merged = Volume::Zeros(out.channels, out.height, out.width);
  for (int c = 0; c < out.channels; ++c) {
    for (int y = 0; y < out.height; ++y) {
      for (int x = 0; x < out.width; ++x) {
        const auto at = [&](const Volume& input) {
          return input.At(input.channels == 1 ? 0 : c, input.height == 1 ? 0 : y, input.width == 1 ? 0 : x);
        };
        float value = at(first);
        for (std::size_t i = 1; i < inputs.size(); ++i) {
          const float next = at(*inputs[i]);
          if (layer.kind == "Add" || layer.kind == "Average") value += next;
          if (layer.kind == "Subtract") value -= next;
          if (layer.kind == "Multiply") value *= next;
          if (layer.kind == "Maximum") value = std::max(value, next);
        }
        if (layer.kind == "Average") value /= static_cast<float>(inputs.size());
        merged.At(c, y, x) = value;
      }
    }
  }
  return merged;
}

// Pooling to a size rather than by a window: PyTorch's adaptive pooling (nn.AdaptiveAvgPool2d(1),
// F.adaptive_max_pool2d(x, (7, 7))), and Keras's global pooling with keepdims=True (without, it
// flattens: not an image any more).
bool IsAdaptivePooling(const ModelLayer& layer) {
  return (layer.kind.rfind("Adaptive", 0) == 0 || layer.kind.rfind("Global", 0) == 0) && layer.output_shape.size() == 3 &&
         layer.input_shape.size() == 3;
}

// What a padding, cropping, upsampling or adaptive pooling row makes of `input`: zeros around it,
// cells cut off, each side scaled (nearest, bilinear or bicubic), or pooled to the row's size.
// Empty for another mode (area, nearest-exact, and Keras's bicubic, whose cubic is another than
// PyTorch's), an input that is not the row's, or an output larger than a scene's input may be.
std::optional<Volume> Reshaped(const ModelLayer& layer, const Volume& input) {
  const InputSize in = InputSizeOf(layer);
  const InputSize out = SizeOfShape(layer.output_shape, layer.channels_first);
  if (in.channels != input.channels || in.height != input.height || in.width != input.width ||
      static_cast<double>(out.channels) * out.height * out.width > static_cast<double>(kMaxLayerSceneValues)) {
    return std::nullopt;
  }
  if (IsAdaptivePooling(layer)) {
    return AdaptivePooled(input, out.height, out.width, layer.kind.find("Max") != std::string::npos);
  }
  if (layer.kind == "ZeroPadding2D" || layer.kind == "Cropping2D") {
    return ZeroPadded(input, Sides{layer.zero_pad_top, layer.zero_pad_bottom, layer.zero_pad_left, layer.zero_pad_right});
  }
  ResizeSpec spec;
  if (layer.resize_mode == "bilinear") {
    spec.mode = ResizeMode::kBilinear;
  } else if (layer.resize_mode == "bicubic" && layer.channels_first) {
    spec.mode = ResizeMode::kBicubic;
  } else if (layer.resize_mode != "nearest") {
    return std::nullopt;
  }
  spec.align_corners = layer.align_corners;
  spec.scale_factor_rows = layer.scale_factor_rows;
  spec.scale_factor_cols = layer.scale_factor_cols;
  return Resized(input, out.height, out.width, spec);
}

// Divides the values by the largest of their sizes (none when all are 0). Generated weights are
// not trained: a 3×3 convolution over 512 channels of small integers makes values about a hundred
// times larger than it reads, so after ten such layers a photo's values ran to 10¹³ (and a
// ResNet's fifty would overflow). Scaled after each convolution, every layer reads values of ±1.
void ScaleToLargestOne(std::vector<float>& values) {
  float largest = 0.0f;
  for (float value : values) largest = std::max(largest, std::fabs(value));
  if (largest > 0.0f && std::isfinite(largest)) {
    for (float& value : values) value /= largest;
  }
}

// A separable layer's second part, after the depthwise maps its scene plays: a 1×1 convolution of
// them into the layer's filters (generated weights, and the bias the layer has), scaled to ±1.
std::optional<Volume> Pointwise(const ModelLayer& layer, const Volume& depthwise, std::uint32_t seed) {
  Scene scene;
  scene.layer.op = Op::kConv2d;
  scene.layer.activation = Activation::kNone;
  scene.input = depthwise;
  scene.weights = FilterBank::Zeros(layer.filters, depthwise.channels, 1, 1);
  scene.weights.values = SmallIntegers(scene.weights.values.size(), seed + 3u);
  if (layer.use_bias) scene.bias = SmallIntegers(static_cast<std::size_t>(layer.filters), seed + 2u);
  Result<Geometry> geometry = ResolveGeometry(scene);
  if (!geometry) return std::nullopt;
  Volume made = Forward(scene, geometry.value());
  ScaleToLargestOne(made.values);
  return made;
}

// What one row makes of what it reads (`model_input` for the first Input row), or empty when the
// tutor cannot run it like this.
std::optional<Volume> RunRow(const ModelLayer& layer, const Volume* model_input, const std::vector<const Volume*>& inputs,
                             std::uint32_t seed) {
  if (layer.kind == "Input") {
    if (model_input == nullptr) return std::nullopt;  // a second input: nothing given for it
    return *model_input;
  }
  if (inputs.empty()) return std::nullopt;
  const RowActivation activation = ActivationOf(layer);
  if (activation.kind == RowActivation::Kind::kUnknown) return std::nullopt;
  std::optional<Volume> made;
  if (IsMerge(layer)) {
    made = Merge(layer, inputs);
  } else if (IsSteppableLayer(layer)) {
    const InputSize size = InputSizeOf(layer);
    const Volume& input = *inputs[0];
    if (size.channels != input.channels || size.height != input.height || size.width != input.width) {
      return std::nullopt;
    }
    Result<Scene> scene = LayerScene(layer, seed);
    if (!scene) return std::nullopt;
    scene.value().input = input;
    Result<Geometry> geometry = ResolveGeometry(scene.value());
    if (!geometry) return std::nullopt;
    made = Forward(scene.value(), geometry.value());
    if (!IsPooling(scene.value().layer.op)) ScaleToLargestOne(made->values);
    if (layer.kind == "SeparableConv2D") made = Pointwise(layer, *made, seed);
  } else if (layer.kind == "ZeroPadding2D" || layer.kind == "Cropping2D" || layer.kind == "Upsample" ||
             layer.kind == "UpSampling2D" || IsAdaptivePooling(layer)) {
    made = Reshaped(layer, *inputs[0]);
  } else if (layer.kind == "Activation" || PassesValuesThrough(layer)) {
    made = *inputs[0];
  }
  if (!made) return std::nullopt;
  // What the row made must be what the summary says it makes (a concatenation along the rows, say,
  // is not one along the channels): else the rows after it would read values of another shape.
  const InputSize out = layer.output_shape.size() == 3 ? SizeOfShape(layer.output_shape, layer.channels_first) : InputSize{};
  if (made->channels != out.channels || made->height != out.height || made->width != out.width) return std::nullopt;
  Apply(activation, made->values);
  return made;
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
  if (op != Op::kMaxPool2d && op != Op::kAvgPool2d && layer.filters < 1) {
    return LayerError(layer, "has no filters (filters is " + std::to_string(layer.filters) + ")");
  }
  if (layer.uneven_crop) {
    return LayerError(layer, "crops one cell more at the end than at the start ('same' with an odd kernel minus "
                             "stride), which the stage cannot show yet; try padding='valid' or output_padding");
  }
  const double input_values = static_cast<double>(input.channels) * input.height * input.width;
  if (input_values > static_cast<double>(kMaxLayerSceneValues)) {
    return LayerError(layer, "has " + Grouped(static_cast<std::int64_t>(input_values)) + " input values, more than the " +
                                 Grouped(kMaxLayerSceneValues) +
                                 " the tutor steps through in a browser; try a smaller input");
  }
  Scene scene;
  scene.layer = SpecOf(layer, op);
  Result<bool> work = CheckSizes(layer, scene.layer, input);
  if (!work) return work.error();

  // Input, weights and bias each from their own seed, so changing one never repeats another's values.
  scene.input = Volume::Zeros(input.channels, input.height, input.width);
  scene.input.values = SmallIntegers(scene.input.values.size(), seed);
  if (!IsPooling(op)) {
    const int maps = SceneMaps(layer);
    scene.weights = FilterBank::Zeros(maps, input.channels / scene.layer.groups, layer.kernel_rows, layer.kernel_cols);
    scene.weights.values = SmallIntegers(scene.weights.values.size(), seed + 1u);
    // A separable layer's bias belongs to its 1×1 part, not the depthwise part played here.
    if (layer.use_bias && layer.kind != "SeparableConv2D") scene.bias = SmallIntegers(static_cast<std::size_t>(maps), seed + 2u);
  }
  Result<Geometry> geometry = ResolveGeometry(scene);
  if (!geometry) return LayerError(layer, "cannot be stepped through: " + geometry.error().ToString());
  return scene;
}

ModelRun::ModelRun(const ModelSummary& summary, int row, Volume model_input, std::uint32_t seed, int known_row,
                   std::optional<Volume> known)
    : model_input_(std::move(model_input)), seed_(seed) {
  const int rows = static_cast<int>(summary.layers.size());
  if (row < 1 || row >= rows || summary.layers[static_cast<std::size_t>(row)].inputs.empty()) return;
  wanted_ = summary.layers[static_cast<std::size_t>(row)].inputs[0];
  if (wanted_ < 0 || wanted_ >= row) return;
  layers_.assign(summary.layers.begin(), summary.layers.begin() + wanted_ + 1);
  // Only the rows the wanted one depends on are run (a known row is where that stops); each volume
  // is dropped after its last reader.
  needed_.assign(layers_.size(), false);
  given_.assign(layers_.size(), false);
  last_reader_.assign(layers_.size(), -1);
  needed_[static_cast<std::size_t>(wanted_)] = true;
  for (int index = wanted_; index >= 0; --index) {
    if (!needed_[static_cast<std::size_t>(index)]) continue;
    if (index == known_row && known) {
      given_[static_cast<std::size_t>(index)] = true;
      continue;
    }
    for (int input : layers_[static_cast<std::size_t>(index)].inputs) {
      if (input < 0 || input >= index) return;
      needed_[static_cast<std::size_t>(input)] = true;
      last_reader_[static_cast<std::size_t>(input)] = std::max(last_reader_[static_cast<std::size_t>(input)], index);
    }
  }
  double work = 0.0;
  for (int index = 0; index <= wanted_; ++index) {
    if (!needed_[static_cast<std::size_t>(index)] || given_[static_cast<std::size_t>(index)]) continue;
    ++rows_needed_;
    work += static_cast<double>(layers_[static_cast<std::size_t>(index)].multiply_adds);
  }
  multiply_adds_needed_ = static_cast<std::int64_t>(std::min(work, 9e18));
  if (work > static_cast<double>(kMaxModelRunMultiplyAdds)) {
    too_much_work_ = true;
    return;
  }
  volumes_.resize(layers_.size());
  if (known_row >= 0 && known_row <= wanted_ && given_[static_cast<std::size_t>(known_row)]) {
    volumes_[static_cast<std::size_t>(known_row)] = std::move(known);
  }
  followed_ = true;
  FindNext(0);
}

void ModelRun::FindNext(int from) {
  next_ = -1;
  for (int index = from; index <= wanted_ && next_ < 0; ++index) {
    if (needed_[static_cast<std::size_t>(index)] && !given_[static_cast<std::size_t>(index)]) next_ = index;
  }
}

void ModelRun::RunNextRow() {
  if (Done()) return;
  const int index = next_;
  const ModelLayer& layer = layers_[static_cast<std::size_t>(index)];
  std::vector<const Volume*> inputs;
  for (int input : layer.inputs) inputs.push_back(&*volumes_[static_cast<std::size_t>(input)]);
  std::optional<Volume> made = RunRow(layer, index == 0 ? &model_input_ : nullptr, inputs, seed_);
  ++rows_run_;
  multiply_adds_run_ += layer.multiply_adds;
  if (!made) {
    followed_ = false;
    stopped_at_row_ = index;
    volumes_.clear();
    next_ = -1;
    return;
  }
  volumes_[static_cast<std::size_t>(index)] = std::move(made);
  for (int input : layer.inputs) {
    if (last_reader_[static_cast<std::size_t>(input)] == index) volumes_[static_cast<std::size_t>(input)].reset();
  }
  FindNext(index + 1);
}

std::optional<Volume> ModelRun::TakeResult() {
  if (!Done() || !followed_ || volumes_.empty() || !volumes_[static_cast<std::size_t>(wanted_)]) return std::nullopt;
  Volume result = std::move(*volumes_[static_cast<std::size_t>(wanted_)]);
  volumes_.clear();
  return result;
}

std::optional<Volume> ModelRun::RunToEnd() {
  while (!Done()) RunNextRow();
  return TakeResult();
}

std::optional<Volume> LayerInputFrom(const ModelSummary& summary, int row, Volume model_input, std::uint32_t seed) {
  return ModelRun(summary, row, std::move(model_input), seed).RunToEnd();
}

std::optional<ModelRun> ModelRunOnPicture(const ModelSummary& summary, int row, const Picture& picture,
                                          std::uint32_t seed, int known_row, std::optional<Volume> known) {
  if (summary.layers.size() < 2 || row < 1 || row >= static_cast<int>(summary.layers.size()) ||
      !IsSteppableLayer(summary.layers[static_cast<std::size_t>(row)]) || summary.layers[0].output_shape.size() != 3) {
    return std::nullopt;
  }
  const InputSize size = SizeOfShape(summary.layers[0].output_shape, summary.channels_first);
  if (size.channels != 1 && size.channels != 3) return std::nullopt;
  const PictureMode mode = size.channels == 1 ? PictureMode::kGray : PictureMode::kRgb;
  return ModelRun(summary, row, PictureToSizedVolume(picture, mode, size.height, size.width), seed, known_row,
                  std::move(known));
}

std::optional<Volume> LayerInputFromPicture(const ModelSummary& summary, int row, const Picture& picture,
                                            std::uint32_t seed) {
  std::optional<ModelRun> run = ModelRunOnPicture(summary, row, picture, seed);
  return run ? run->RunToEnd() : std::nullopt;
}

}  // namespace convtutor::lessons
