// One row of a model summary as a playable scene: the learner pastes model code, clicks a
// convolution or pooling layer, and steps through it at its real size with generated values.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "convtutor/image.h"
#include "convtutor/model.h"
#include "convtutor/result.h"
#include "convtutor/scene.h"

namespace convtutor::lessons {

// The largest layer "Your model" steps through: real architectures at their real size. VGG-16's
// and VGG-19's layers on a 224-pixel photo (at most 1.85 G multiply-adds; 3.2 M input and output
// values), ResNet's and AlexNet's, and the 300-pixel Keras model learners ask about (32 filters
// 3×3: 2.8 M output values) fit. The whole layer is computed once as it opens (and again after an
// edit): 1.85 G took about 100 ms in Chromium on the 2-core development machine. The pictures of
// the maps are painted at most a screen pixel a cell, so a jump across every map costs what the
// screen has room for, not what the layer has (bench/page_load.mjs jumps across the largest).
constexpr std::int64_t kMaxLayerSceneMultiplyAdds = 2'000'000'000;
// Pooling: its whole-layer path is a plain loop (forward.cpp), about ten times slower in a browser
// than a convolution's (a 52 M max pool took 127 ms to compute). VGG's and ResNet's pools need
// under 4 M.
constexpr std::int64_t kMaxLayerSceneLoopMultiplyAdds = 20'000'000;
constexpr std::int64_t kMaxLayerSceneValues = 4'000'000;
constexpr std::int64_t kMaxLayerSceneOutputValues = 4'000'000;
// A layer reached through the rows before it (LayerInputFrom) runs every one of them first: beyond
// this much work on the way (VGG-19's last layers, about 19 G) it keeps generated values rather
// than keep the page busy for seconds. VGG-16's last layer needs 14.9 G.
constexpr std::int64_t kMaxModelRunMultiplyAdds = 16'000'000'000;

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
// computed, along the graph's inputs, on what reached it, with LayerScene's weights for `seed`,
// each convolution's output divided by its largest size (generated weights are not trained, so
// without it values grow about a hundredfold a deep layer);
// activations applied (ReLU, ReLU6, leaky ReLU, ELU, SELU, GELU, SiLU/swish, Mish, hardswish, softplus,
// softsign, sigmoid, tanh; row_activation.h), as a row of their own (nn.ReLU(inplace=True),
// F.leaky_relu(x, 0.2), layers.LeakyReLU(), Activation('tanh')) or a layer's activation= ('elu',
// tf.nn.relu); dropout and batch
// normalisation, at their initial state, passing values through; merges summed, subtracted,
// multiplied, averaged or maxed (a side of 1 broadcast: a squeeze-and-excitation block's C × 1 × 1
// weights over its maps), and Concatenate stacking channels; zero padding and cropping
// (ZeroPadding2D, Cropping2D, F.pad), upsampling, nearest, bilinear or PyTorch's bicubic (nn.Upsample, F.interpolate,
// UpSampling2D) and adaptive pooling (nn.AdaptiveAvgPool2d; resize.h). Empty when a row on
// the way cannot be followed like this (Flatten, Dense, other activations such as softmax or a
// capped ReLU, Keras's bicubic upsampling, a second Input), a size does not match, or the rows to run need more than
// kMaxModelRunMultiplyAdds, so the caller keeps LayerScene's generated values.
std::optional<Volume> LayerInputFrom(const ModelSummary& summary, int row, Volume model_input,
                                     std::uint32_t seed = 1);

// LayerInputFrom a row at a time (LayerInputFrom is one of these run to its end), so that a caller
// can draw between rows and say how far it is: a deep layer of VGG-16 on a 224-pixel photo has
// 14.9 G multiply-adds to run first, about a second in a browser. It keeps copies of the rows it
// needs, so the summary may change or go while it runs.
class ModelRun {
 public:
  // `known`, when given, is what summary row `known_row` made in an earlier run on the same input
  // with the rows up to it unchanged: that row is not run again, nor the rows only it needed (a
  // learner going a layer deeper in VGG runs only the rows between).
  ModelRun(const ModelSummary& summary, int row, Volume model_input, std::uint32_t seed = 1, int known_row = -1,
           std::optional<Volume> known = std::nullopt);

  // The row whose volume the run makes: row `row`'s first input.
  int WantedRow() const { return wanted_; }

  // Nothing left to run: the volume is made, or the model cannot be followed that far.
  bool Done() const { return next_ < 0; }
  // Runs the next row the volume depends on; nothing once Done.
  void RunNextRow();
  // The summary row RunNextRow runs next (-1 once Done), and that row as it was read (not Done).
  int NextRow() const { return next_; }
  const ModelLayer& NextLayer() const { return layers_[static_cast<std::size_t>(next_)]; }
  int RowsNeeded() const { return rows_needed_; }  // to run, a known row not counted
  int RowsRun() const { return rows_run_; }
  // The summary's multiply-adds of the rows to run, in all and of those run so far.
  std::int64_t MultiplyAddsNeeded() const { return multiply_adds_needed_; }
  std::int64_t MultiplyAddsRun() const { return multiply_adds_run_; }
  // Once Done: what row `row` receives, or empty when the model could not be followed (the same
  // cases as LayerInputFrom's). Taken once.
  std::optional<Volume> TakeResult();
  // Every row left, then TakeResult.
  std::optional<Volume> RunToEnd();
  // Why a run gave nothing, for the learner: the row it could not follow (-1 when none was the
  // reason), or whether the rows to run needed more than kMaxModelRunMultiplyAdds (their count is
  // then MultiplyAddsNeeded).
  int StoppedAtRow() const { return stopped_at_row_; }
  bool TooMuchWork() const { return too_much_work_; }

 private:
  void FindNext(int from);

  std::vector<ModelLayer> layers_;  // the summary's rows up to the wanted one
  std::vector<bool> needed_;
  std::vector<bool> given_;  // needed, and known from an earlier run
  std::vector<int> last_reader_;
  std::vector<std::optional<Volume>> volumes_;
  Volume model_input_;
  std::uint32_t seed_ = 1;
  int wanted_ = -1;
  int next_ = -1;
  bool followed_ = false;
  bool too_much_work_ = false;
  int stopped_at_row_ = -1;
  int rows_needed_ = 0;
  int rows_run_ = 0;
  std::int64_t multiply_adds_needed_ = 0;
  std::int64_t multiply_adds_run_ = 0;
};

// A ModelRun with `picture` as the model input, as LayerInputFromPicture takes it; empty where
// LayerInputFromPicture is empty before running anything.
std::optional<ModelRun> ModelRunOnPicture(const ModelSummary& summary, int row, const Picture& picture,
                                          std::uint32_t seed = 1, int known_row = -1,
                                          std::optional<Volume> known = std::nullopt);

// LayerInputFrom with `picture` as the model input, at that input's own size (gray for one channel,
// RGB for three; PictureToSizedVolume). Empty also when row `row` is not steppable or the model's
// input is not an image of 1 or 3 channels.
std::optional<Volume> LayerInputFromPicture(const ModelSummary& summary, int row, const Picture& picture,
                                            std::uint32_t seed = 1);

}  // namespace convtutor::lessons
