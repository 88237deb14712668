// One row of a model summary as a playable scene: the learner pastes model code, clicks a
// convolution or pooling layer, and steps through it at its real size with generated values.
#pragma once

#include <cstdint>
#include <optional>

#include "convtutor/image.h"
#include "convtutor/model.h"
#include "convtutor/result.h"
#include "convtutor/scene.h"

namespace convtutor::lessons {

// Beyond these a layer has too many steps or values to step through comfortably in a browser. ResNet's
// first layer on a 224-pixel photo fits (7×7 stride 2: 118 M multiply-adds, 0.8 M output values);
// VGG's (3×3 'same', 3.2 M output values) fits from a 176-pixel one. The output limit bounds what a
// jump recolours in one frame: every cell of every map, where the screen has a pixel for each
// (bench/page_load.mjs jumps across 2 M).
constexpr std::int64_t kMaxLayerSceneMultiplyAdds = 150'000'000;
// Pooling: its whole-layer path is a plain loop (forward.cpp), about ten times slower in a browser
// than a convolution's (a 52 M max pool took 127 ms to compute).
constexpr std::int64_t kMaxLayerSceneLoopMultiplyAdds = 20'000'000;
constexpr std::int64_t kMaxLayerSceneValues = 1'000'000;
constexpr std::int64_t kMaxLayerSceneOutputValues = 2'000'000;

// Whether a summary row can be stepped through: a convolution or pooling layer on an image input
// (Conv2D/Conv2d with any groups, DepthwiseConv2D, SeparableConv2D (its depthwise part),
// Conv2DTranspose/ConvTranspose2d, MaxPooling2D/MaxPool2d, AveragePooling2D/AvgPool2d; not Dense,
// Flatten, BatchNorm, merges, global or adaptive pooling, or layers whose kind has no Op).
bool IsSteppableLayer(const ModelLayer& layer);

// The layer as a scene: the row's own input size (channels from input_shape in the row's layout),
// kernel, stride, dilation, padding ('same' → PaddingMode::kSame; PyTorch explicit pad_rows/pad_cols
// → kExplicit on both sides; a transposed row's crop and output_padding), groups (a depthwise row's
// are its channels; a separable row plays its C·m depthwise maps, without bias), ceil_mode, one bias
// per filter when use_bias, activation none, and
// generated small integers (GenerateValues, deterministic in `seed`; input, weights and bias each
// from their own seed). Refused (an Error naming the layer kind and line, in plain words) when the
// row is not steppable, or when it needs more than kMaxLayerSceneMultiplyAdds multiply-adds (a
// pooling row kMaxLayerSceneLoopMultiplyAdds; a transposed row also counting the zeros around its
// input that the whole-layer path multiplies), kMaxLayerSceneValues input values or kMaxLayerSceneOutputValues output
// values, or (Keras's Conv2DTranspose 'same') when it crops unevenly; the message gives the layer's
// count and the limit.
// AvgPool2d's count_include_pad=False is read from the row's source (keyword form only: ModelLayer
// has no field for it); a divisor_override is refused.
Result<Scene> LayerScene(const ModelLayer& layer, std::uint32_t seed = 1);

// What row `row` receives (its first input's volume) when the model runs on `model_input` (the first
// Input row's volume, channels first; a photo, say): every convolution and pooling row it depends on
// computed, along the graph's inputs, on what reached it, with LayerScene's weights for `seed`;
// ReLU, ReLU6, sigmoid and tanh applied, as a row of their own (nn.ReLU(inplace=True), F.relu(x),
// layers.ReLU(), Activation('tanh')) or a layer's activation= ('relu', tf.nn.relu); dropout and batch
// normalisation, at their initial state, passing values through; merges of equal sizes summed,
// subtracted, multiplied, averaged or maxed, and Concatenate stacking channels. Empty when a row on
// the way cannot be followed like this (Flatten, Dense, other activations such as LeakyReLU or a
// capped ReLU, a second Input) or a size does not match, so the caller keeps LayerScene's generated
// values.
std::optional<Volume> LayerInputFrom(const ModelSummary& summary, int row, Volume model_input,
                                     std::uint32_t seed = 1);

// LayerInputFrom with `picture` as the model input, at that input's own size (gray for one channel,
// RGB for three; PictureToSizedVolume). Empty also when row `row` is not steppable or the model's
// input is not an image of 1 or 3 channels.
std::optional<Volume> LayerInputFromPicture(const ModelSummary& summary, int row, const Picture& picture,
                                            std::uint32_t seed = 1);

}  // namespace convtutor::lessons
