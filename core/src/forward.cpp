// The fast whole-layer path: every output value at once, for live previews, real images and the
// benchmarks. Plain portable C++ (it also runs as WebAssembly); tests hold it to the step path.
#include "convtutor/forward.h"

#include <limits>

#include "pooling_rules.h"

namespace convtutor {
namespace {

// The output columns [first, last] whose tap at input offset `offset` (= ox·stride + offset)
// lands inside a real row of `width` cells; empty when first > last.
struct ColumnRange {
  int first = 0;
  int last = -1;
};

ColumnRange RealColumns(int offset, int stride, int width, int out_width) {
  ColumnRange range;
  range.first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const int room = width - 1 - offset;
  range.last = room < 0 ? -1 : room / stride;
  if (range.last > out_width - 1) range.last = out_width - 1;
  return range;
}

void ConvForward(const Scene& scene, const Geometry& geometry, Volume& output) {
  const Volume& input = scene.input;
  const FilterBank& weights = scene.weights;
  const LayerSpec& layer = scene.layer;
  const int stride_cols = layer.stride.cols;
  for (int o = 0; o < output.channels; ++o) {
    const float bias = scene.bias.empty() ? 0.0f : scene.bias[static_cast<std::size_t>(o)];
    for (int oy = 0; oy < output.height; ++oy) {
      float* out_row = &output.values[output.Index(o, oy, 0)];
      for (int c = 0; c < input.channels; ++c) {
        for (int ky = 0; ky < weights.height; ++ky) {
          const int iy = oy * layer.stride.rows - geometry.padding.top + ky * layer.dilation.rows;
          if (iy < 0 || iy >= input.height) continue;
          const float* in_row = &input.values[input.Index(c, iy, 0)];
          for (int kx = 0; kx < weights.width; ++kx) {
            const float weight = weights.At(o, c, ky, kx);
            const int offset = kx * layer.dilation.cols - geometry.padding.left;
            const ColumnRange range = RealColumns(offset, stride_cols, input.width, output.width);
            for (int ox = range.first; ox <= range.last; ++ox) out_row[ox] += weight * in_row[ox * stride_cols + offset];
          }
        }
      }
      for (int ox = 0; ox < output.width; ++ox) {
        const float biased = out_row[ox] + bias;
        out_row[ox] = layer.activation == Activation::kRelu && biased < 0.0f ? 0.0f : biased;
      }
    }
  }
}

void PoolForward(const Scene& scene, const Geometry& geometry, Volume& output) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const bool is_max = layer.op == Op::kMaxPool2d;
  for (int c = 0; c < output.channels; ++c) {
    for (int oy = 0; oy < output.height; ++oy) {
      const int origin_row = oy * layer.stride.rows - geometry.padding.top;
      for (int ox = 0; ox < output.width; ++ox) {
        const int origin_col = ox * layer.stride.cols - geometry.padding.left;
        float best = -std::numeric_limits<float>::infinity();
        float sum = 0.0f;
        for (int ky = 0; ky < layer.kernel.rows; ++ky) {
          const int iy = origin_row + ky * layer.dilation.rows;
          if (iy < 0 || iy >= input.height) continue;
          for (int kx = 0; kx < layer.kernel.cols; ++kx) {
            const int ix = origin_col + kx * layer.dilation.cols;
            if (ix < 0 || ix >= input.width) continue;
            const float value = input.At(c, iy, ix);
            if (value > best) best = value;
            sum += value;
          }
        }
        if (is_max) {
          output.At(c, oy, ox) = best;
        } else {
          const int divisor = detail::AvgDivisor(layer, geometry, origin_row, origin_col);
          output.At(c, oy, ox) = divisor > 0 ? sum / static_cast<float>(divisor) : 0.0f;
        }
      }
    }
  }
}

}  // namespace

Volume Forward(const Scene& scene, const Geometry& geometry) {
  Volume output = Volume::Zeros(geometry.out_channels, geometry.out_height, geometry.out_width);
  if (IsPooling(scene.layer.op)) {
    PoolForward(scene, geometry, output);
  } else {
    ConvForward(scene, geometry, output);
  }
  return output;
}

}  // namespace convtutor
