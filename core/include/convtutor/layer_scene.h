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

// Beyond these a layer has too many steps or values to step through comfortably in a browser.
constexpr std::int64_t kMaxLayerSceneMultiplyAdds = 20'000'000;
constexpr std::int64_t kMaxLayerSceneValues = 1'000'000;

// Whether a summary row can be stepped through: a convolution or pooling layer on an image input
// (Conv2D/Conv2d, MaxPooling2D/MaxPool2d, AveragePooling2D/AvgPool2d; not Dense, Flatten, BatchNorm,
// global or adaptive pooling, or layers whose kind the tutor has no Op for).
bool IsSteppableLayer(const ModelLayer& layer);

// The layer as a scene: the row's own input size (channels from input_shape in the row's layout),
// kernel, stride, dilation, padding ('same' → PaddingMode::kSame; PyTorch explicit pad_rows/pad_cols
// → kExplicit on both sides), ceil_mode, one bias per filter when use_bias, activation none, and
// generated small integers (GenerateValues, deterministic in `seed`; input, weights and bias each
// from their own seed). Refused (an Error naming the layer kind and line, in plain words) when the
// row is not steppable, or when it needs more than kMaxLayerSceneMultiplyAdds multiply-adds or
// kMaxLayerSceneValues input values; the message gives the layer's count and the limit.
// AvgPool2d's count_include_pad=False is read from the row's source (keyword form only: ModelLayer
// has no field for it); a divisor_override is refused.
Result<Scene> LayerScene(const ModelLayer& layer, std::uint32_t seed = 1);

// What row `row` receives when the model runs on `model_input` (the Input row's volume, channels
// first; a photo, say): every convolution and pooling row before it computed on what reached it,
// with LayerScene's weights for `seed`; a ReLU (a ReLU row, or activation "relu" in a Keras layer's
// call) applied; dropout and batch normalisation, at their initial state, passing values through.
// Empty when a row on the way cannot be followed like this (Flatten, Dense, other activations) or
// a size does not match, so the caller keeps LayerScene's generated values.
std::optional<Volume> LayerInputFrom(const ModelSummary& summary, int row, Volume model_input,
                                     std::uint32_t seed = 1);

// LayerInputFrom with `picture` as the model input, at that input's own size (gray for one channel,
// RGB for three; PictureToSizedVolume). Empty also when the first layer is not a convolution or
// pooling layer on an image of 1 or 3 channels.
std::optional<Volume> LayerInputFromPicture(const ModelSummary& summary, int row, const Picture& picture,
                                            std::uint32_t seed = 1);

}  // namespace convtutor::lessons
