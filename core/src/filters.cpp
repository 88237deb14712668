// The classic 3×3 image filters, as they are usually written (Sobel's x kernel responds to
// brightness rising from left to right, as OpenCV and scikit-image define it).
#include "convtutor/filters.h"

#include <cstddef>

#include "convtutor/generate.h"

namespace convtutor {

const char* FilterPresetName(FilterPreset preset) {
  switch (preset) {
    case FilterPreset::kIdentity: return "identity";
    case FilterPreset::kBoxBlur: return "box blur";
    case FilterPreset::kGaussianBlur: return "Gaussian blur";
    case FilterPreset::kSharpen: return "sharpen";
    case FilterPreset::kSobelX: return "Sobel x";
    case FilterPreset::kSobelY: return "Sobel y";
    case FilterPreset::kLaplacian: return "Laplacian";
    case FilterPreset::kEmboss: return "emboss";
    case FilterPreset::kOutline: return "outline";
    case FilterPreset::kRandom: return "random";
  }
  return "";
}

const char* FilterPresetPurpose(FilterPreset preset) {
  switch (preset) {
    case FilterPreset::kIdentity: return "Copies each pixel: 1 in the middle, 0 around it.";
    case FilterPreset::kBoxBlur: return "The mean of the 9 pixels under the window: a blur.";
    case FilterPreset::kGaussianBlur: return "A weighted mean, the centre counting most: a softer blur.";
    case FilterPreset::kSharpen: return "The pixel against its 4 neighbours: edges stand out.";
    case FilterPreset::kSobelX: return "Right column minus left column: large where brightness changes from left to right.";
    case FilterPreset::kSobelY: return "Bottom row minus top row: large where brightness changes from top to bottom.";
    case FilterPreset::kLaplacian: return "4 neighbours minus 4 × the pixel: zero on flat areas, signed on edges.";
    case FilterPreset::kEmboss: return "Bottom-right minus top-left: the picture looks lit from one side.";
    case FilterPreset::kOutline: return "8 × the pixel minus its 8 neighbours: only outlines stay.";
    case FilterPreset::kRandom: return "Random weights, as a network's filters start before training.";
  }
  return "";
}

std::vector<float> FilterPresetKernel(FilterPreset preset, std::uint32_t seed) {
  const float ninth = 1.0f / 9.0f;
  const float sixteenth = 1.0f / 16.0f;
  switch (preset) {
    case FilterPreset::kIdentity: return {0, 0, 0, 0, 1, 0, 0, 0, 0};
    case FilterPreset::kBoxBlur: return std::vector<float>(9, ninth);
    case FilterPreset::kGaussianBlur:
      return {1 * sixteenth, 2 * sixteenth, 1 * sixteenth, 2 * sixteenth, 4 * sixteenth,
              2 * sixteenth, 1 * sixteenth, 2 * sixteenth, 1 * sixteenth};
    case FilterPreset::kSharpen: return {0, -1, 0, -1, 5, -1, 0, -1, 0};
    case FilterPreset::kSobelX: return {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    case FilterPreset::kSobelY: return {-1, -2, -1, 0, 0, 0, 1, 2, 1};
    case FilterPreset::kLaplacian: return {0, 1, 0, 1, -4, 1, 0, 1, 0};
    case FilterPreset::kEmboss: return {-2, -1, 0, -1, 1, 1, 0, 1, 2};
    case FilterPreset::kOutline: return {-1, -1, -1, -1, 8, -1, -1, -1, -1};
    case FilterPreset::kRandom: {
      FillSpec spec;
      spec.seed = seed;
      spec.low = -1.0f;
      spec.high = 1.0f;
      spec.integers = false;
      return GenerateValues(9, spec);
    }
  }
  return std::vector<float>(9, 0.0f);
}

FilterBank FilterPresetBank(FilterPreset preset, int filters, int channels, std::uint32_t seed) {
  FilterBank bank = FilterBank::Zeros(filters, channels, 3, 3);
  for (int o = 0; o < filters; ++o) {
    const std::vector<float> kernel = FilterPresetKernel(preset, seed + static_cast<std::uint32_t>(o));
    for (int c = 0; c < channels; ++c) {
      for (int k = 0; k < 9; ++k) bank.At(o, c, k / 3, k % 3) = kernel[static_cast<std::size_t>(k)];
    }
  }
  return bank;
}

}  // namespace convtutor
