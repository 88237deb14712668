// Zero padding, resizing and adaptive pooling of a volume (see resize.h), following PyTorch's own index arithmetic
// (its upsampling kernels compute the scales and source positions in single precision).
#include "convtutor/resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace convtutor {
namespace {

// Where an output cell reads from along one axis: the cell below, the cell above (the same at
// the edge), and the weight of the one above.
struct Tap {
  int below = 0;
  int above = 0;
  float weight_above = 0.0f;
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

std::vector<Tap> NearestTaps(int input, int output, double factor) {
  const float scale = BackScale(input, output, factor);
  std::vector<Tap> taps(static_cast<std::size_t>(output));
  for (int cell = 0; cell < output; ++cell) {
    const int source = std::min(static_cast<int>(std::floor(static_cast<float>(cell) * scale)), input - 1);
    taps[static_cast<std::size_t>(cell)] = Tap{source, source, 0.0f};
  }
  return taps;
}

std::vector<Tap> LinearTaps(int input, int output, bool align_corners, double factor) {
  const float scale = SourceScale(input, output, align_corners, factor);
  std::vector<Tap> taps(static_cast<std::size_t>(output));
  for (int cell = 0; cell < output; ++cell) {
    const float at = align_corners ? scale * static_cast<float>(cell)
                                   : std::max(scale * (static_cast<float>(cell) + 0.5f) - 0.5f, 0.0f);
    const int below = std::min(static_cast<int>(at), input - 1);
    const int above = below < input - 1 ? below + 1 : below;
    taps[static_cast<std::size_t>(cell)] = Tap{below, above, at - static_cast<float>(below)};
  }
  return taps;
}

// Bicubic along one axis: the cell before the mapped point's, and the weights of the four cells
// from one before it (Keys's cubic convolution with a = −0.75, as PyTorch's bicubic upsampling).
struct CubicTap {
  int first = 0;  // the cell before the one the point falls in; the four are first … first + 3
  float weights[4] = {0.0f, 0.0f, 0.0f, 0.0f};
};

std::vector<CubicTap> CubicTaps(int input, int output, bool align_corners, double factor) {
  constexpr float kA = -0.75f;
  const auto near = [](float x) { return ((kA + 2.0f) * x - (kA + 3.0f)) * x * x + 1.0f; };             // |x| ≤ 1
  const auto far = [](float x) { return ((kA * x - 5.0f * kA) * x + 8.0f * kA) * x - 4.0f * kA; };     // 1 < |x| < 2
  const float scale = SourceScale(input, output, align_corners, factor);
  std::vector<CubicTap> taps(static_cast<std::size_t>(output));
  for (int cell = 0; cell < output; ++cell) {
    // Unlike bilinear, the point is not clamped at 0: the cells past the edge repeat the edge's.
    const float at = align_corners ? scale * static_cast<float>(cell) : scale * (static_cast<float>(cell) + 0.5f) - 0.5f;
    const float below = std::floor(at);
    const float t = at - below;
    CubicTap& tap = taps[static_cast<std::size_t>(cell)];
    tap.first = static_cast<int>(below) - 1;
    tap.weights[0] = far(t + 1.0f);
    tap.weights[1] = near(t);
    tap.weights[2] = near(1.0f - t);
    tap.weights[3] = far(2.0f - t);
  }
  return taps;
}

Volume BicubicResized(const Volume& volume, int height, int width, const ResizeSpec& spec) {
  const std::vector<CubicTap> rows = CubicTaps(volume.height, height, spec.align_corners, spec.scale_factor_rows);
  const std::vector<CubicTap> cols = CubicTaps(volume.width, width, spec.align_corners, spec.scale_factor_cols);
  const auto clamp = [](int index, int size) { return std::min(std::max(index, 0), size - 1); };
  Volume resized = Volume::Zeros(volume.channels, height, width);
  for (int c = 0; c < volume.channels; ++c) {
    for (int y = 0; y < height; ++y) {
      const CubicTap& row = rows[static_cast<std::size_t>(y)];
      for (int x = 0; x < width; ++x) {
        const CubicTap& col = cols[static_cast<std::size_t>(x)];
        float value = 0.0f;
        for (int i = 0; i < 4; ++i) {
          const int source_row = clamp(row.first + i, volume.height);
          float along = 0.0f;
          for (int j = 0; j < 4; ++j) along += col.weights[j] * volume.At(c, source_row, clamp(col.first + j, volume.width));
          value += row.weights[i] * along;
        }
        resized.At(c, y, x) = value;
      }
    }
  }
  return resized;
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
  if (spec.mode == ResizeMode::kBicubic) return BicubicResized(volume, height, width, spec);
  const bool nearest = spec.mode == ResizeMode::kNearest;
  const std::vector<Tap> rows = nearest ? NearestTaps(volume.height, height, spec.scale_factor_rows)
                                        : LinearTaps(volume.height, height, spec.align_corners, spec.scale_factor_rows);
  const std::vector<Tap> cols = nearest ? NearestTaps(volume.width, width, spec.scale_factor_cols)
                                        : LinearTaps(volume.width, width, spec.align_corners, spec.scale_factor_cols);
  Volume resized = Volume::Zeros(volume.channels, height, width);
  for (int c = 0; c < volume.channels; ++c) {
    for (int y = 0; y < height; ++y) {
      const Tap& row = rows[static_cast<std::size_t>(y)];
      for (int x = 0; x < width; ++x) {
        const Tap& col = cols[static_cast<std::size_t>(x)];
        const float below = (1.0f - col.weight_above) * volume.At(c, row.below, col.below) +
                            col.weight_above * volume.At(c, row.below, col.above);
        const float above = (1.0f - col.weight_above) * volume.At(c, row.above, col.below) +
                            col.weight_above * volume.At(c, row.above, col.above);
        resized.At(c, y, x) = (1.0f - row.weight_above) * below + row.weight_above * above;
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
