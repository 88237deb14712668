// Zero padding, resizing and adaptive pooling of a volume (see resize.h), following PyTorch's own index arithmetic
// (its upsampling kernels compute the scales and source positions in single precision).
#include "convtutor/resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace convtutor {
namespace {

// Where an output cell reads from along one axis: up to four input cells (nearest one, bilinear
// two, bicubic four; those past the edge clamped to it) and each one's weight.
struct Taps {
  int count = 0;
  int cells[4] = {0, 0, 0, 0};
  float weights[4] = {0.0f, 0.0f, 0.0f, 0.0f};
};

// The factor that maps an output cell back to the input: 1 / factor when a factor was asked,
// else input / output.
float BackScale(int input, int output, double factor) {
  return factor > 0.0 ? static_cast<float>(1.0 / factor) : static_cast<float>(input) / static_cast<float>(output);
}

// Bilinear and bicubic: the input cells an output cell's step moves, with the corners lined up
// (align_corners) or the cells' centres.
float SourceScale(int input, int output, bool align_corners, double factor) {
  if (!align_corners) return BackScale(input, output, factor);
  return output > 1 ? static_cast<float>(input - 1) / static_cast<float>(output - 1) : 0.0f;
}

std::vector<Taps> NearestTaps(int input, int output, double factor) {
  const float scale = BackScale(input, output, factor);
  std::vector<Taps> taps(static_cast<std::size_t>(output));
  for (int cell = 0; cell < output; ++cell) {
    const int source = std::min(static_cast<int>(std::floor(static_cast<float>(cell) * scale)), input - 1);
    taps[static_cast<std::size_t>(cell)] = Taps{1, {source}, {1.0f}};
  }
  return taps;
}

std::vector<Taps> LinearTaps(int input, int output, bool align_corners, double factor) {
  const float scale = SourceScale(input, output, align_corners, factor);
  std::vector<Taps> taps(static_cast<std::size_t>(output));
  for (int cell = 0; cell < output; ++cell) {
    const float at = align_corners ? scale * static_cast<float>(cell)
                                   : std::max(scale * (static_cast<float>(cell) + 0.5f) - 0.5f, 0.0f);
    const int below = std::min(static_cast<int>(at), input - 1);
    const int above = below < input - 1 ? below + 1 : below;
    const float weight_above = at - static_cast<float>(below);
    taps[static_cast<std::size_t>(cell)] = Taps{2, {below, above}, {1.0f - weight_above, weight_above}};
  }
  return taps;
}

// Keys's cubic convolution with a = −0.75, as PyTorch's bicubic upsampling: the four cells from
// the one before the mapped point's.
std::vector<Taps> CubicTaps(int input, int output, bool align_corners, double factor) {
  constexpr float kA = -0.75f;
  const auto near = [](float x) { return ((kA + 2.0f) * x - (kA + 3.0f)) * x * x + 1.0f; };             // |x| ≤ 1
  const auto far = [](float x) { return ((kA * x - 5.0f * kA) * x + 8.0f * kA) * x - 4.0f * kA; };     // 1 < |x| < 2
  const float scale = SourceScale(input, output, align_corners, factor);
  std::vector<Taps> taps(static_cast<std::size_t>(output));
  for (int cell = 0; cell < output; ++cell) {
    // Unlike bilinear, the point is not clamped at 0: the cells past the edge repeat the edge's.
    const float at = align_corners ? scale * static_cast<float>(cell) : scale * (static_cast<float>(cell) + 0.5f) - 0.5f;
    const float below = std::floor(at);
    const float t = at - below;
    Taps& tap = taps[static_cast<std::size_t>(cell)];
    tap.count = 4;
    for (int i = 0; i < 4; ++i) tap.cells[i] = std::min(std::max(static_cast<int>(below) - 1 + i, 0), input - 1);
    tap.weights[0] = far(t + 1.0f);
    tap.weights[1] = near(t);
    tap.weights[2] = near(1.0f - t);
    tap.weights[3] = far(2.0f - t);
  }
  return taps;
}

std::vector<Taps> TapsAlong(int input, int output, double factor, const ResizeSpec& spec) {
  switch (spec.mode) {
    case ResizeMode::kNearest: return NearestTaps(input, output, factor);
    case ResizeMode::kBilinear: return LinearTaps(input, output, spec.align_corners, factor);
    case ResizeMode::kBicubic: return CubicTaps(input, output, spec.align_corners, factor);
  }
  return {};
}

}  // namespace

Volume ZeroPadded(const Volume& volume, const Sides& sides) {
  Volume padded = Volume::Zeros(volume.channels, volume.height + sides.top + sides.bottom,
                                volume.width + sides.left + sides.right);
  // Each output cell reads the input cell `sides` away, or is a zero where that is outside it.
  const int first_row = std::max(0, sides.top), last_row = std::min(padded.height, volume.height + sides.top);
  const int first_col = std::max(0, sides.left), last_col = std::min(padded.width, volume.width + sides.left);
  for (int c = 0; c < volume.channels; ++c) {
    for (int y = first_row; y < last_row; ++y) {
      for (int x = first_col; x < last_col; ++x) padded.At(c, y, x) = volume.At(c, y - sides.top, x - sides.left);
    }
  }
  return padded;
}

Volume Resized(const Volume& volume, int height, int width, const ResizeSpec& spec) {
  const std::vector<Taps> rows = TapsAlong(volume.height, height, spec.scale_factor_rows, spec);
  const std::vector<Taps> cols = TapsAlong(volume.width, width, spec.scale_factor_cols, spec);
  Volume resized = Volume::Zeros(volume.channels, height, width);
  for (int c = 0; c < volume.channels; ++c) {
    for (int y = 0; y < height; ++y) {
      const Taps& row = rows[static_cast<std::size_t>(y)];
      for (int x = 0; x < width; ++x) {
        const Taps& col = cols[static_cast<std::size_t>(x)];
        // Along the row first, then those sums down the column, as PyTorch's kernels add them.
        float value = 0.0f;
        for (int i = 0; i < row.count; ++i) {
          float along = 0.0f;
          for (int j = 0; j < col.count; ++j) along += col.weights[j] * volume.At(c, row.cells[i], col.cells[j]);
          value += row.weights[i] * along;
        }
        resized.At(c, y, x) = value;
      }
    }
  }
  return resized;
}

Volume AdaptivePooled(const Volume& volume, int height, int width, bool largest) {
  const auto first = [](int cell, int input, int output) { return static_cast<int>(std::int64_t{cell} * input / output); };
  const auto end = [](int cell, int input, int output) {
    return static_cast<int>((std::int64_t{cell + 1} * input + output - 1) / output);
  };
  Volume pooled = Volume::Zeros(volume.channels, height, width);
  for (int c = 0; c < volume.channels; ++c) {
    for (int y = 0; y < height; ++y) {
      const int top = first(y, volume.height, height), bottom = end(y, volume.height, height);
      for (int x = 0; x < width; ++x) {
        const int left = first(x, volume.width, width), right = end(x, volume.width, width);
        float result = largest ? volume.At(c, top, left) : 0.0f;
        for (int row = top; row < bottom; ++row) {
          for (int col = left; col < right; ++col) {
            result = largest ? std::max(result, volume.At(c, row, col)) : result + volume.At(c, row, col);
          }
        }
        pooled.At(c, y, x) = largest ? result : result / static_cast<float>((bottom - top) * (right - left));
      }
    }
  }
  return pooled;
}

}  // namespace convtutor
