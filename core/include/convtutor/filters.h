// The classic 3×3 image filters a learner tries on a picture (blur, sharpen, Sobel, Laplacian,
// emboss, outline...), as weights for a scene: one kernel, copied into every input channel's
// slice of every filter, so an RGB filter sums the same kernel over R, G and B.
#pragma once

#include <cstdint>
#include <vector>

#include "convtutor/tensor.h"

namespace convtutor {

enum class FilterPreset {
  kIdentity,
  kBoxBlur,
  kGaussianBlur,
  kSharpen,
  kSobelX,
  kSobelY,
  kLaplacian,
  kEmboss,
  kOutline,
  kRandom,
};
constexpr int kFilterPresetCount = 10;

const char* FilterPresetName(FilterPreset preset);   // "identity", "box blur", "Sobel x", ...
// What the filter does, in one sentence for a tooltip.
const char* FilterPresetPurpose(FilterPreset preset);

// The 3×3 kernel, row by row. kRandom draws from [-1, 1] with `seed` (generate.h, deterministic).
std::vector<float> FilterPresetKernel(FilterPreset preset, std::uint32_t seed = 1);

// `filters` filters of `channels` slices, every slice the preset's kernel (kRandom: each filter its
// own random kernel, the same in each of its slices).
FilterBank FilterPresetBank(FilterPreset preset, int filters, int channels, std::uint32_t seed = 1);

}  // namespace convtutor
