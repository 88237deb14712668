// The sandbox's settings (operation, sizes, padding, values, picture), the scene they make, and
// their stored JSON form; no drawing here, so the store's reader can be fuzzed on its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/generate.h"
#include "convtutor/image.h"
#include "convtutor/result.h"
#include "convtutor/scene.h"

namespace convtutor::app {

struct SandboxSettings {
  Op op = Op::kConv2d;
  int input_size[2] = {6, 6};  // rows, cols
  int channels = 2;
  int filters = 2;
  int groups = 1;               // conv only: the channels split into groups, each filter seeing one
  int kernel[2] = {3, 3};
  int stride[2] = {1, 1};
  int dilation[2] = {1, 1};
  PaddingMode padding = PaddingMode::kSame;
  int sides[4] = {1, 1, 1, 1};  // top, bottom, left, right (explicit padding only; a transposed
                                // convolution's p takes top for the rows and left for the columns)
  int output_padding[2] = {0, 0};  // transposed convolution only: rows, cols
  bool bias = true;
  Activation activation = Activation::kRelu;
  bool ceil_mode = false;
  bool count_include_pad = true;
  Fill fill = Fill::kRandom;
  std::uint32_t seed = 1;
  // The values themselves, regenerated from (fill, seed) when a shape changes; the learner may
  // edit single values. Sized to the shapes above.
  std::vector<float> input;
  std::vector<float> weights;
  std::vector<float> bias_values;
  // A picture as the input instead of generated values: its name ("" = none), whether it is a
  // bundled sample (fetched again after a reload; an opened file is not kept), gray or RGB, its
  // longest side on the stage, and the filter preset the weights came from (-1: the learner's own).
  // While a picture is set, input_size, channels and input are the picture's (the App fills them).
  std::string picture;
  bool picture_is_sample = false;
  PictureMode picture_mode = PictureMode::kGray;
  int picture_side = 128;
  int preset = -1;
};

// The input channels each filter sees: channels / groups (at least 1, so that a grouping the core
// will refuse still has weights to show).
int SlicesPerFilter(const SandboxSettings& settings);

// The largest input side the sandbox offers for generated values (a picture may be larger).
constexpr int kSandboxMaxInputSide = 48;
// The longest sides a picture may take on the stage.
constexpr int kPictureSides[] = {32, 64, 128, 256};

// Fills the values for the current shapes from (fill, seed), keeping nothing of the old ones.
void RegenerateValues(SandboxSettings& settings);

// The scene the settings describe (values included). Only shapes are assembled here; whether
// the combination makes sense is the core's call (ResolveGeometry).
Scene BuildSandboxScene(const SandboxSettings& settings);

// Settings that reproduce `scene` exactly (its values included), so a lesson's scene can be
// taken into the sandbox and changed from there.
SandboxSettings SandboxFromScene(const Scene& scene);

// The settings (values included) as a small JSON text for the platform's settings store, and
// back. Text that is unreadable or describes impossible shapes gives false and leaves
// `settings` untouched, so a stale store never breaks the sandbox. A picture's pixels are not
// stored, only its name and view: after reading, the input holds generated values of a placeholder
// size until the App has the picture again.
// The text carries "version": kSandboxStoreVersion; text without one is from before versions (and
// reads the same); a newer version is refused.
constexpr int kSandboxStoreVersion = 2;
std::string SandboxToJson(const SandboxSettings& settings);
bool SandboxFromJson(std::string_view text, SandboxSettings* settings);

}  // namespace convtutor::app
