// The fast whole-layer path: every output value at once, for live previews, real images and the
// benchmarks. Its matrix products run on the SIMD register tile of forward_tile.h (3×3 layers with
// many channels by Winograd's algorithm, forward_winograd.h); tests hold it to the step path.
#include "convtutor/forward.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

#include "forward_scratch.h"
#include "forward_tile.h"
#include "forward_winograd.h"
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

using detail::TileRow;
using detail::TileShape;

// conv2d as a matrix product, out[o][pixel] = Σ_k w[o][k] · patch[k][pixel] with k = (c, ky, kx),
// done one output row at a time in register tiles of shape.filters × shape.pixels (forward_tile.h),
// whose sums stay in registers for the whole k loop.

// Weights regrouped so a tile reads everything it needs for one k contiguously:
// [filter group][k][filter in group], zero for the filters past the last.
const float* PackWeights(const FilterBank& weights, const TileShape& shape, std::vector<float>& packed) {
  const int depth = weights.channels * weights.height * weights.width;
  const int groups = (weights.filters + shape.filters - 1) / shape.filters;
  float* values = detail::Zeroed(packed, static_cast<std::size_t>(groups * depth * shape.filters));
  for (int o = 0; o < weights.filters; ++o) {
    const float* filter = &weights.values[weights.Index(o, 0, 0, 0)];
    float* group = values + static_cast<std::size_t>((o / shape.filters) * depth * shape.filters);
    for (int k = 0; k < depth; ++k) group[k * shape.filters + o % shape.filters] = filter[k];
  }
  return values;
}

// The bias of each filter group's filters, zero for those past the last; empty when the layer has none.
std::vector<float> GroupedBias(const Scene& scene, int filters_per_group) {
  if (scene.bias.empty()) return {};
  std::vector<float> grouped = scene.bias;
  grouped.resize((scene.bias.size() + static_cast<std::size_t>(filters_per_group) - 1) /
                 static_cast<std::size_t>(filters_per_group) * static_cast<std::size_t>(filters_per_group), 0.0f);
  return grouped;
}

// The input as the tiles read it in place: at column stride s > 1 each row's columns are split
// by phase, [phase p][i] = column i·s + p (zero past the row), so the pixels ox·s + e of one tap are
// again neighbours, in phase e mod s; at stride 1 the input itself.
struct InPlaceInput {
  const float* values = nullptr;
  int row_length = 0;   // s · phase_width
  int phase_width = 0;  // ⌈width / s⌉
};

InPlaceInput SplitColumnsByPhase(const Volume& input, int stride, std::vector<float>& buffer) {
  InPlaceInput split;
  if (stride == 1) {
    split.values = input.values.data();
    split.row_length = input.width;
    split.phase_width = input.width;
    return split;
  }
  split.phase_width = (input.width + stride - 1) / stride;
  split.row_length = stride * split.phase_width;
  const int rows = input.channels * input.height;
  float* values = detail::Sized(buffer, static_cast<std::size_t>(rows) * static_cast<std::size_t>(split.row_length));
  for (int row = 0; row < rows; ++row) {
    const float* source = &input.values[static_cast<std::size_t>(row) * static_cast<std::size_t>(input.width)];
    float* target = values + static_cast<std::ptrdiff_t>(row) * split.row_length;
    for (int phase = 0; phase < stride; ++phase) {
      float* run = target + phase * split.phase_width;
      for (int i = 0; i < split.phase_width; ++i) {
        const int column = i * stride + phase;
        run[i] = column < input.width ? source[column] : 0.0f;
      }
    }
  }
  split.values = values;
  return split;
}

// Pixel groups [first, end) of one output row whose taps all lie inside the input: there the
// pixels of each tap are neighbouring cells of the in-place input, so a tile reads them there.
struct GroupRange {
  int first = 0;
  int end = 0;
};

GroupRange DirectGroups(const Scene& scene, const Geometry& geometry, int out_row, int pixels) {
  const LayerSpec& layer = scene.layer;
  const Volume& input = scene.input;
  GroupRange range;
  const int top = out_row * layer.stride.rows - geometry.padding.top;
  const int bottom = top + (layer.kernel.rows - 1) * layer.dilation.rows;
  if (top < 0 || bottom >= input.height) return range;
  const int stride = layer.stride.cols;
  const int left = geometry.padding.left;
  const int reach = (layer.kernel.cols - 1) * layer.dilation.cols;
  const int full_groups = geometry.out_width / pixels;
  range.first = ((left + stride - 1) / stride + pixels - 1) / pixels;  // from the first ox with ox·s ≥ left
  range.end = range.first;
  while (range.end < full_groups && (range.end * pixels + pixels - 1) * stride - left + reach < input.width) {
    ++range.end;
  }
  return range;
}

// Where each k = (c, ky, kx) reads in the in-place input, relative to pixel 0 of its window's top row.
std::vector<std::ptrdiff_t> TapOffsets(const Scene& scene, const Geometry& geometry, const InPlaceInput& split) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const int stride = layer.stride.cols;
  std::vector<std::ptrdiff_t> offsets;
  offsets.reserve(static_cast<std::size_t>(input.channels) * static_cast<std::size_t>(layer.kernel.rows) *
                  static_cast<std::size_t>(layer.kernel.cols));
  for (int c = 0; c < input.channels; ++c) {
    for (int ky = 0; ky < layer.kernel.rows; ++ky) {
      for (int kx = 0; kx < layer.kernel.cols; ++kx) {
        // Pixel ox reads column ox·s + e: phase e mod s, index ox + ⌊e / s⌋ (e may be negative).
        const int e = kx * layer.dilation.cols - geometry.padding.left;
        const int shift = e >= 0 ? e / stride : -((-e + stride - 1) / stride);
        const int phase = e - shift * stride;
        offsets.push_back((static_cast<std::ptrdiff_t>(c) * input.height + ky * layer.dilation.rows) * split.row_length +
                          phase * split.phase_width + shift);
      }
    }
  }
  return offsets;
}

// The input patches of one output row: [pixel group][k][pixel in group], zero where a tap falls in
// the padding or past the row's last pixel. Groups read in place (`direct`) are left alone.
void PackRow(const Scene& scene, const Geometry& geometry, int out_row, GroupRange direct, int pixels,
             float* patches) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const int kernel_rows = layer.kernel.rows;
  const int kernel_cols = layer.kernel.cols;
  const int depth = input.channels * kernel_rows * kernel_cols;
  const int out_width = geometry.out_width;
  const int groups = (out_width + pixels - 1) / pixels;
  const int stride = layer.stride.cols;
  const std::size_t group_size = static_cast<std::size_t>(depth * pixels);
  int k = 0;
  for (int c = 0; c < input.channels; ++c) {
    for (int ky = 0; ky < kernel_rows; ++ky) {
      const int iy = out_row * layer.stride.rows - geometry.padding.top + ky * layer.dilation.rows;
      const bool row_is_real = iy >= 0 && iy < input.height;
      const float* in_row = row_is_real ? &input.values[input.Index(c, iy, 0)] : nullptr;
      for (int kx = 0; kx < kernel_cols; ++kx, ++k) {
        const int offset = kx * layer.dilation.cols - geometry.padding.left;
        const ColumnRange real = row_is_real ? RealColumns(offset, stride, input.width, out_width) : ColumnRange{};
        float* column = patches + static_cast<std::size_t>(k * pixels);
        // Every group but the direct ones [direct.first, direct.end).
        for (int group = direct.first == 0 ? direct.end : 0; group < groups;
             group = group + 1 == direct.first ? direct.end : group + 1) {
          float* run = column + static_cast<std::size_t>(group) * group_size;
          const int first_ox = group * pixels;
          if (first_ox >= real.first && first_ox + pixels - 1 <= real.last) {
            const float* source = in_row + first_ox * stride + offset;
            if (stride == 1) {  // the common case: a straight copy the compiler turns into vector moves
              for (int j = 0; j < pixels; ++j) run[j] = source[j];
            } else {
              for (int j = 0; j < pixels; ++j) run[j] = source[j * stride];
            }
          } else {
            for (int j = 0; j < pixels; ++j) {
              const int ox = first_ox + j;
              run[j] = ox >= real.first && ox <= real.last ? in_row[ox * stride + offset] : 0.0f;
            }
          }
        }
      }
    }
  }
}

// Every output cell: its sum of products, plus the bias, then the activation.
void ConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const TileShape shape = detail::SimdTileShape();
  const int filters = shape.filters;
  const int pixels = shape.pixels;
  const FilterBank& weights = scene.weights;
  const int depth = weights.channels * weights.height * weights.width;
  const int groups = (weights.filters + filters - 1) / filters;
  const int pixel_groups = (geometry.out_width + pixels - 1) / pixels;
  const int full_pixel_groups = geometry.out_width / pixels;
  const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(output.height) * output.width;
  detail::ForwardScratch& scratch = detail::ThreadScratch();
  const float* packed_weights = PackWeights(weights, shape, scratch.weights);
  const std::vector<float> bias = GroupedBias(scene, shape.filters);
  const InPlaceInput split = SplitColumnsByPhase(scene.input, scene.layer.stride.cols, scratch.phases);
  const std::vector<std::ptrdiff_t> tap_offsets = TapOffsets(scene, geometry, split);
  const std::ptrdiff_t packed_group_size = static_cast<std::ptrdiff_t>(depth) * pixels;
  float* patches = detail::Sized(scratch.inputs, static_cast<std::size_t>(pixel_groups * packed_group_size));
  // The sums with no place in the output: a partial last pixel group, a group's filters past the last.
  const int tile_size = filters * pixels;
  float* spilled = detail::Sized(scratch.sums, static_cast<std::size_t>(pixel_groups * tile_size));  // [pixel group][filter][pixel]
  for (int oy = 0; oy < output.height; ++oy) {
    const GroupRange direct = DirectGroups(scene, geometry, oy, pixels);
    PackRow(scene, geometry, oy, direct, pixels, patches);
    // In the in-place input: the window's top row for pixel 0, then each k at its fixed offset.
    const std::ptrdiff_t corner =
        static_cast<std::ptrdiff_t>(oy * scene.layer.stride.rows - geometry.padding.top) * split.row_length;
    for (int group = 0; group < groups; ++group) {
      const int first_filter = group * filters;
      const bool whole_group = first_filter + filters <= output.channels;
      TileRow row;
      row.depth = depth;
      row.weights = packed_weights + static_cast<std::size_t>(group * depth * filters);
      row.bias = bias.empty() ? nullptr : &bias[static_cast<std::size_t>(group * filters)];
      row.relu = scene.layer.activation == Activation::kRelu;
      // Pixel groups [first, end) from the packed patches or read in place; their sums straight into
      // the output where they fit, else spilled and copied.
      const auto multiply = [&](int first, int end, bool in_place) {
        if (first >= end) return;
        row.offsets = in_place ? tap_offsets.data() : nullptr;
        row.tap_step = in_place ? 0 : pixels;
        row.input_stride = in_place ? pixels : packed_group_size;
        const float* inputs = in_place ? split.values + (corner + first * pixels)
                                       : patches + first * packed_group_size;
        const int fitting_end = whole_group ? (end < full_pixel_groups ? end : full_pixel_groups) : first;
        if (fitting_end > first) {
          row.inputs = inputs;
          row.tiles = fitting_end - first;
          row.sums = &output.values[output.Index(first_filter, oy, first * pixels)];
          row.sum_tile_stride = pixels;
          row.sum_filter_stride = plane;
          detail::MultiplyTileRow(row);
        }
        if (end <= fitting_end) return;
        row.inputs = inputs + (fitting_end - first) * row.input_stride;
        row.tiles = end - fitting_end;
        row.sums = spilled + fitting_end * tile_size;
        row.sum_tile_stride = tile_size;
        row.sum_filter_stride = pixels;
        detail::MultiplyTileRow(row);
        for (int o = first_filter; o < first_filter + filters && o < output.channels; ++o) {
          float* out_row = &output.values[output.Index(o, oy, 0)];
          for (int pixel_group = fitting_end; pixel_group < end; ++pixel_group) {
            const float* sums = spilled + pixel_group * tile_size + (o - first_filter) * pixels;
            const int first_ox = pixel_group * pixels;
            std::copy(sums, sums + std::min(pixels, output.width - first_ox), out_row + first_ox);
          }
        }
      };
      multiply(0, direct.first < direct.end ? direct.first : pixel_groups, false);
      multiply(direct.first, direct.end, true);
      if (direct.first < direct.end) multiply(direct.end, pixel_groups, false);
    }
  }
}

// A convolution of one group (every filter spans every input channel), its bias and activation
// applied as the sums are stored: by Winograd's algorithm where it suits, else the register tile.
void PlainConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  if (detail::SuitsWinograd(scene)) {
    detail::WinogradSums(scene, geometry, output);
  } else {
    ConvSums(scene, geometry, output);
  }
}

// Grouped conv2d (depthwise too): each group's input channels and filters as a convolution of its
// own, on the same fast path, written into the group's maps.
void GroupedConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const int groups = scene.layer.groups;
  const int channels = scene.weights.channels;
  const int filters = scene.weights.filters / groups;
  Scene group_scene;
  group_scene.layer = scene.layer;
  group_scene.layer.groups = 1;
  group_scene.input = Volume::Zeros(channels, scene.input.height, scene.input.width);
  group_scene.weights = FilterBank::Zeros(filters, channels, scene.weights.height, scene.weights.width);
  Volume group_output = Volume::Zeros(filters, output.height, output.width);
  const auto in_values = static_cast<std::ptrdiff_t>(group_scene.input.values.size());
  const auto weight_values = static_cast<std::ptrdiff_t>(group_scene.weights.values.size());
  const auto out_values = static_cast<std::ptrdiff_t>(group_output.values.size());
  for (int group = 0; group < groups; ++group) {
    const auto in = scene.input.values.begin() + group * in_values;
    std::copy(in, in + in_values, group_scene.input.values.begin());
    const auto weights = scene.weights.values.begin() + group * weight_values;
    std::copy(weights, weights + weight_values, group_scene.weights.values.begin());
    if (!scene.bias.empty()) {
      const auto bias = scene.bias.begin() + group * filters;
      group_scene.bias.assign(bias, bias + filters);
    }
    PlainConvSums(group_scene, geometry, group_output);
    std::copy(group_output.values.begin(), group_output.values.end(), output.values.begin() + group * out_values);
  }
}

// conv_transpose2d as a scatter, a plain portable loop: every input cell adds its value times the
// kernel into the output cells the kernel covers from (iy·s − p, ix·s − p). (The step path
// gathers instead, so the two read the operation from opposite ends.)
void TransposedSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const Volume& input = scene.input;
  const FilterBank& weights = scene.weights;
  const LayerSpec& layer = scene.layer;
  const int filters_per_group = weights.filters / layer.groups;
  for (int c = 0; c < input.channels; ++c) {
    const int group = c / weights.channels;
    const int g = c % weights.channels;
    for (int iy = 0; iy < input.height; ++iy) {
      for (int ix = 0; ix < input.width; ++ix) {
        const float value = input.At(c, iy, ix);
        for (int o = group * filters_per_group; o < (group + 1) * filters_per_group; ++o) {
          for (int ky = 0; ky < weights.height; ++ky) {
            const int oy = iy * layer.stride.rows - geometry.padding.top + ky * layer.dilation.rows;
            if (oy < 0 || oy >= output.height) continue;
            for (int kx = 0; kx < weights.width; ++kx) {
              const int ox = ix * layer.stride.cols - geometry.padding.left + kx * layer.dilation.cols;
              if (ox < 0 || ox >= output.width) continue;
              output.At(o, oy, ox) += value * weights.At(o, g, ky, kx);
            }
          }
        }
      }
    }
  }
}

// The bias and the activation after the products, for the branches that do not apply them as they store.
void AddBiasAndActivate(const Scene& scene, Volume& output) {
  const std::size_t plane = static_cast<std::size_t>(output.height) * static_cast<std::size_t>(output.width);
  for (int o = 0; o < output.channels; ++o) {
    float* values = &output.values[static_cast<std::size_t>(o) * plane];
    for (std::size_t i = 0; i < plane; ++i) {
      const float biased = scene.bias.empty() ? values[i] : values[i] + scene.bias[static_cast<std::size_t>(o)];
      values[i] = scene.layer.activation == Activation::kRelu && biased < 0.0f ? 0.0f : biased;
    }
  }
}

void ConvForward(const Scene& scene, const Geometry& geometry, Volume& output) {
  if (scene.layer.op == Op::kConvTranspose2d) {
    TransposedSums(scene, geometry, output);
    AddBiasAndActivate(scene, output);
  } else if (scene.layer.groups > 1) {
    GroupedConvSums(scene, geometry, output);
  } else {
    PlainConvSums(scene, geometry, output);
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
