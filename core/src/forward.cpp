// The fast whole-layer path: every output value at once, for live previews, real images and the
// benchmarks. Its matrix products run on the SIMD register tile of forward_tile.h; tests hold it
// to the step path.
#include "convtutor/forward.h"

#include <cstddef>
#include <limits>
#include <vector>

#include "forward_tile.h"
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

using detail::kTileFilters;
using detail::kTilePixels;
using detail::kWeightRun;
using detail::TileRow;

// conv2d as a matrix product, out[o][pixel] = Σ_k w[o][k] · patch[k][pixel] with k = (c, ky, kx),
// done one output row at a time in register tiles of kTileFilters × kTilePixels (forward_tile.h),
// whose sums stay in registers for the whole k loop.

// Weights regrouped so a tile reads everything it needs for one k contiguously:
// [filter group][k][filter in group][kTilePixels copies], zero for the filters past the last.
std::vector<float> PackWeights(const FilterBank& weights) {
  const int depth = weights.channels * weights.height * weights.width;
  const int groups = (weights.filters + kTileFilters - 1) / kTileFilters;
  std::vector<float> packed(static_cast<std::size_t>(groups) * static_cast<std::size_t>(depth) * kWeightRun, 0.0f);
  for (int o = 0; o < weights.filters; ++o) {
    const float* filter = &weights.values[weights.Index(o, 0, 0, 0)];
    float* group = &packed[static_cast<std::size_t>(o / kTileFilters) * static_cast<std::size_t>(depth) * kWeightRun];
    for (int k = 0; k < depth; ++k) {
      float* run = group + k * kWeightRun + (o % kTileFilters) * kTilePixels;
      for (int j = 0; j < kTilePixels; ++j) run[j] = filter[k];
    }
  }
  return packed;
}

// Pixel groups [first, end) of one output row whose taps all lie inside the input, at column stride 1:
// there the 8 pixels of each tap are 8 neighbouring input cells, so a tile reads them in place.
struct GroupRange {
  int first = 0;
  int end = 0;
  bool Contains(int group) const { return group >= first && group < end; }
};

GroupRange DirectGroups(const Scene& scene, const Geometry& geometry, int out_row) {
  const LayerSpec& layer = scene.layer;
  const Volume& input = scene.input;
  GroupRange range;
  const int top = out_row * layer.stride.rows - geometry.padding.top;
  const int bottom = top + (layer.kernel.rows - 1) * layer.dilation.rows;
  if (layer.stride.cols != 1 || top < 0 || bottom >= input.height) return range;
  const int reach = (layer.kernel.cols - 1) * layer.dilation.cols;
  const int full_groups = geometry.out_width / kTilePixels;
  range.first = (geometry.padding.left + kTilePixels - 1) / kTilePixels;
  range.end = range.first;
  while (range.end < full_groups &&
         range.end * kTilePixels + kTilePixels - 1 - geometry.padding.left + reach < input.width) {
    ++range.end;
  }
  return range;
}

// Where each k = (c, ky, kx) reads, relative to a window's top-left tap in channel 0.
std::vector<std::ptrdiff_t> TapOffsets(const Scene& scene) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  std::vector<std::ptrdiff_t> offsets;
  offsets.reserve(static_cast<std::size_t>(input.channels) * static_cast<std::size_t>(layer.kernel.rows) *
                  static_cast<std::size_t>(layer.kernel.cols));
  for (int c = 0; c < input.channels; ++c) {
    for (int ky = 0; ky < layer.kernel.rows; ++ky) {
      for (int kx = 0; kx < layer.kernel.cols; ++kx) {
        offsets.push_back((static_cast<std::ptrdiff_t>(c) * input.height + ky * layer.dilation.rows) * input.width +
                          kx * layer.dilation.cols);
      }
    }
  }
  return offsets;
}

// The input patches of one output row: [pixel group][k][pixel in group], zero where a tap falls in
// the padding or past the row's last pixel. Groups read in place (`direct`) are left alone.
void PackRow(const Scene& scene, const Geometry& geometry, int out_row, GroupRange direct,
             std::vector<float>& patches) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const int kernel_rows = layer.kernel.rows;
  const int kernel_cols = layer.kernel.cols;
  const int depth = input.channels * kernel_rows * kernel_cols;
  const int out_width = geometry.out_width;
  const int padded_width = (out_width + kTilePixels - 1) / kTilePixels * kTilePixels;
  const int stride = layer.stride.cols;
  const std::size_t group_size = static_cast<std::size_t>(depth) * kTilePixels;
  int k = 0;
  for (int c = 0; c < input.channels; ++c) {
    for (int ky = 0; ky < kernel_rows; ++ky) {
      const int iy = out_row * layer.stride.rows - geometry.padding.top + ky * layer.dilation.rows;
      const bool row_is_real = iy >= 0 && iy < input.height;
      const float* in_row = row_is_real ? &input.values[input.Index(c, iy, 0)] : nullptr;
      for (int kx = 0; kx < kernel_cols; ++kx, ++k) {
        const int offset = kx * layer.dilation.cols - geometry.padding.left;
        const ColumnRange real = row_is_real ? RealColumns(offset, stride, input.width, out_width) : ColumnRange{};
        float* column = &patches[static_cast<std::size_t>(k) * kTilePixels];
        for (int group = 0; group * kTilePixels < padded_width; ++group) {
          if (direct.Contains(group)) continue;
          float* run = column + static_cast<std::size_t>(group) * group_size;
          const int first_ox = group * kTilePixels;
          if (first_ox >= real.first && first_ox + kTilePixels - 1 <= real.last) {
            const float* source = in_row + first_ox * stride + offset;
            if (stride == 1) {  // the common case: a straight copy the compiler turns into vector moves
              for (int j = 0; j < kTilePixels; ++j) run[j] = source[j];
            } else {
              for (int j = 0; j < kTilePixels; ++j) run[j] = source[j * stride];
            }
          } else {
            for (int j = 0; j < kTilePixels; ++j) {
              const int ox = first_ox + j;
              run[j] = ox >= real.first && ox <= real.last ? in_row[ox * stride + offset] : 0.0f;
            }
          }
        }
      }
    }
  }
}

// Where tap k's kTilePixels inputs sit in a packed tile ([k][pixel in tile]).
std::vector<std::ptrdiff_t> PackedOffsets(int depth) {
  std::vector<std::ptrdiff_t> offsets(static_cast<std::size_t>(depth));
  for (int k = 0; k < depth; ++k) offsets[static_cast<std::size_t>(k)] = k * kTilePixels;
  return offsets;
}

// The sums of products for every output cell (bias and activation come after).
void ConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const FilterBank& weights = scene.weights;
  const int depth = weights.channels * weights.height * weights.width;
  const int groups = (weights.filters + kTileFilters - 1) / kTileFilters;
  const int pixel_groups = (geometry.out_width + kTilePixels - 1) / kTilePixels;
  const std::vector<float> packed_weights = PackWeights(weights);
  const std::vector<std::ptrdiff_t> tap_offsets = TapOffsets(scene);
  const std::vector<std::ptrdiff_t> packed_offsets = PackedOffsets(depth);
  const std::ptrdiff_t packed_group_size = static_cast<std::ptrdiff_t>(depth) * kTilePixels;
  std::vector<float> patches(static_cast<std::size_t>(pixel_groups) * static_cast<std::size_t>(packed_group_size));
  std::vector<float> row_sums(static_cast<std::size_t>(pixel_groups) * kWeightRun);  // [pixel group][filter][pixel]
  for (int oy = 0; oy < output.height; ++oy) {
    const GroupRange direct = DirectGroups(scene, geometry, oy);
    PackRow(scene, geometry, oy, direct, patches);
    // Inside the input: where pixel group 0's window has its top-left tap, then each k at its fixed offset.
    const std::ptrdiff_t corner =
        static_cast<std::ptrdiff_t>(oy * scene.layer.stride.rows - geometry.padding.top) * scene.input.width -
        geometry.padding.left;
    for (int group = 0; group < groups; ++group) {
      TileRow row;
      row.depth = depth;
      row.weights = &packed_weights[static_cast<std::size_t>(group) * static_cast<std::size_t>(depth) * kWeightRun];
      row.sum_tile_stride = kWeightRun;
      row.sum_filter_stride = kTilePixels;
      // Pixel groups [first, end) from the packed patches, or read in place.
      const auto multiply = [&](int first, int end, bool in_place) {
        if (first >= end) return;
        row.inputs = in_place ? scene.input.values.data() + (corner + first * kTilePixels)
                              : patches.data() + first * packed_group_size;
        row.offsets = in_place ? tap_offsets.data() : packed_offsets.data();
        row.input_stride = in_place ? kTilePixels : packed_group_size;
        row.tiles = end - first;
        row.sums = row_sums.data() + first * kWeightRun;
        detail::MultiplyTileRow(row);
      };
      multiply(0, direct.first < direct.end ? direct.first : pixel_groups, false);
      multiply(direct.first, direct.end, true);
      if (direct.first < direct.end) multiply(direct.end, pixel_groups, false);
      for (int i = 0; i < kTileFilters; ++i) {
        const int o = group * kTileFilters + i;
        if (o >= output.channels) break;
        float* out_row = &output.values[output.Index(o, oy, 0)];
        for (int ox = 0; ox < output.width; ++ox) {
          out_row[ox] = row_sums[static_cast<std::size_t>((ox / kTilePixels) * kWeightRun + i * kTilePixels + ox % kTilePixels)];
        }
      }
    }
  }
}

// 3×3 convolutions at stride 1 (the commonest layer) by Winograd's minimal filtering F(2×2, 3×3):
// each 2×2 block of outputs costs 16 products per channel instead of 36, from transformed 4×4
// input tiles and transformed weights. Same sums, different rounding (tests allow 1e-4).
// F(4×4, 3×3) would be ~40% faster on 64-channel layers but rounds ~10× worse in float (up to 4e-4
// against the step path at the default ranges), past that bound; test_forward's 64-channel test shows it.
bool SuitsWinograd(const Scene& scene) {
  const LayerSpec& layer = scene.layer;
  return layer.kernel.rows == 3 && layer.kernel.cols == 3 && layer.stride.rows == 1 && layer.stride.cols == 1 &&
         layer.dilation.rows == 1 && layer.dilation.cols == 1 && scene.input.channels >= 8 &&
         scene.weights.filters >= 8;
}

constexpr int kWinogradPoints = 16;  // a 4×4 tile of transformed values

// U = G·g·Gᵀ for every (filter, channel), laid out [point][filter group][channel][filter in group]
// [kTilePixels copies], so each of the 16 point-wise products is a matrix product the register
// tile can run.
std::vector<float> WinogradWeights(const FilterBank& weights) {
  const int groups = (weights.filters + kTileFilters - 1) / kTileFilters;
  const std::size_t point_size = static_cast<std::size_t>(groups) * static_cast<std::size_t>(weights.channels) * kWeightRun;
  std::vector<float> packed(kWinogradPoints * point_size, 0.0f);
  for (int o = 0; o < weights.filters; ++o) {
    for (int c = 0; c < weights.channels; ++c) {
      const float* g = &weights.values[weights.Index(o, c, 0, 0)];
      float rows[4][3];  // G·g
      for (int x = 0; x < 3; ++x) {
        rows[0][x] = g[x];
        rows[1][x] = 0.5f * (g[x] + g[3 + x] + g[6 + x]);
        rows[2][x] = 0.5f * (g[x] - g[3 + x] + g[6 + x]);
        rows[3][x] = g[6 + x];
      }
      for (int y = 0; y < 4; ++y) {
        const float transformed[4] = {rows[y][0], 0.5f * (rows[y][0] + rows[y][1] + rows[y][2]),
                                      0.5f * (rows[y][0] - rows[y][1] + rows[y][2]), rows[y][2]};
        for (int x = 0; x < 4; ++x) {
          const std::size_t at = static_cast<std::size_t>(y * 4 + x) * point_size +
                                 (static_cast<std::size_t>(o / kTileFilters) * static_cast<std::size_t>(weights.channels) +
                                  static_cast<std::size_t>(c)) * kWeightRun +
                                 static_cast<std::size_t>(o % kTileFilters) * kTilePixels;
          for (int j = 0; j < kTilePixels; ++j) packed[at + static_cast<std::size_t>(j)] = transformed[x];
        }
      }
    }
  }
  return packed;
}

// Gathers the 4×4 input tile whose top-left cell is (top, left) in channel c; zeros in the padding.
void GatherTile(const Volume& input, int c, int top, int left, float (&d)[4][4]) {
  if (top >= 0 && top + 3 < input.height && left >= 0 && left + 3 < input.width) {
    const float* corner = &input.values[input.Index(c, top, left)];
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 4; ++x) d[y][x] = corner[y * input.width + x];
    }
    return;
  }
  for (int y = 0; y < 4; ++y) {
    const int iy = top + y;
    for (int x = 0; x < 4; ++x) {
      const int ix = left + x;
      d[y][x] = iy >= 0 && iy < input.height && ix >= 0 && ix < input.width ? input.At(c, iy, ix) : 0.0f;
    }
  }
}

void WinogradSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const Volume& input = scene.input;
  const int channels = input.channels;
  const int filter_groups = (output.channels + kTileFilters - 1) / kTileFilters;
  // Tiles of 2×2 outputs, numbered row by row over the whole output and taken a batch at a time,
  // so no register tile is wasted at the end of each output row.
  const int tiles_across = (output.width + 1) / 2;
  const int tile_count = tiles_across * ((output.height + 1) / 2);
  constexpr int kBatchGroups = 4;
  constexpr int kBatchTiles = kBatchGroups * kTilePixels;
  const std::size_t weight_point = static_cast<std::size_t>(filter_groups) * static_cast<std::size_t>(channels) * kWeightRun;
  // The 16 points are stored one after another; a spare cache line between them keeps them from
  // landing in the same cache sets when a point's size is a multiple of 4 KiB.
  constexpr std::size_t kSpare = 16;
  const std::size_t input_point = static_cast<std::size_t>(kBatchTiles) * static_cast<std::size_t>(channels) + kSpare;
  const auto filter_slots = static_cast<std::size_t>(filter_groups) * kTileFilters;
  const std::size_t sums_point = filter_slots * kBatchTiles + kSpare;
  const std::vector<float> weights = WinogradWeights(scene.weights);
  std::vector<float> transformed(kWinogradPoints * input_point);  // V = Bᵀ·d·B: [point][tile group][channel][tile]
  std::vector<float> sums_by_point(kWinogradPoints * sums_point);  // M = Σ_c U·V: [point][filter][tile]
  const std::vector<std::ptrdiff_t> packed_offsets = PackedOffsets(channels);
  for (int batch_start = 0; batch_start < tile_count; batch_start += kBatchTiles) {
    const int batch_size = tile_count - batch_start < kBatchTiles ? tile_count - batch_start : kBatchTiles;
    for (int c = 0; c < channels; ++c) {
      for (int tile = 0; tile < kBatchTiles; ++tile) {
        float d[4][4] = {};
        if (tile < batch_size) {
          const int flat = batch_start + tile;
          GatherTile(input, c, (flat / tiles_across) * 2 - geometry.padding.top,
                     (flat % tiles_across) * 2 - geometry.padding.left, d);
        }
        float columns[4][4];  // Bᵀ·d
        for (int x = 0; x < 4; ++x) {
          columns[0][x] = d[0][x] - d[2][x];
          columns[1][x] = d[1][x] + d[2][x];
          columns[2][x] = d[2][x] - d[1][x];
          columns[3][x] = d[1][x] - d[3][x];
        }
        const std::size_t at = (static_cast<std::size_t>(tile / kTilePixels) * static_cast<std::size_t>(channels) +
                                static_cast<std::size_t>(c)) * kTilePixels +
                               static_cast<std::size_t>(tile % kTilePixels);
        for (int y = 0; y < 4; ++y) {
          const float* row = columns[y];
          const float v[4] = {row[0] - row[2], row[1] + row[2], row[2] - row[1], row[1] - row[3]};
          for (int x = 0; x < 4; ++x) transformed[static_cast<std::size_t>(y * 4 + x) * input_point + at] = v[x];
        }
      }
    }
    TileRow products;  // per point and filter group: M = U·V over the channels, for the batch's tile groups
    products.depth = channels;
    products.offsets = packed_offsets.data();
    products.input_stride = static_cast<std::ptrdiff_t>(channels) * kTilePixels;
    products.tiles = (batch_size + kTilePixels - 1) / kTilePixels;
    products.sum_tile_stride = kTilePixels;
    products.sum_filter_stride = kBatchTiles;
    for (int point = 0; point < kWinogradPoints; ++point) {
      products.inputs = &transformed[static_cast<std::size_t>(point) * input_point];
      for (int group = 0; group < filter_groups; ++group) {
        products.weights = &weights[static_cast<std::size_t>(point) * weight_point +
                               static_cast<std::size_t>(group) * static_cast<std::size_t>(channels) * kWeightRun];
        products.sums = &sums_by_point[static_cast<std::size_t>(point) * sums_point +
                                  static_cast<std::size_t>(group * kTileFilters) * kBatchTiles];
        detail::MultiplyTileRow(products);
      }
    }
    for (int o = 0; o < output.channels; ++o) {
      for (int tile = 0; tile < batch_size; ++tile) {
        float m[kWinogradPoints];
        for (int point = 0; point < kWinogradPoints; ++point) {
          m[point] = sums_by_point[static_cast<std::size_t>(point) * sums_point +
                                   static_cast<std::size_t>(o) * kBatchTiles + static_cast<std::size_t>(tile)];
        }
        float rows[2][4];  // Aᵀ·m
        for (int x = 0; x < 4; ++x) {
          rows[0][x] = m[x] + m[4 + x] + m[8 + x];
          rows[1][x] = m[4 + x] - m[8 + x] - m[12 + x];
        }
        const int flat = batch_start + tile;
        for (int y = 0; y < 2; ++y) {
          const int oy = (flat / tiles_across) * 2 + y;
          if (oy >= output.height) break;
          const float pair[2] = {rows[y][0] + rows[y][1] + rows[y][2], rows[y][1] - rows[y][2] - rows[y][3]};
          for (int x = 0; x < 2; ++x) {
            const int ox = (flat % tiles_across) * 2 + x;
            if (ox < output.width) output.At(o, oy, ox) = pair[x];
          }
        }
      }
    }
  }
}

// Grouped conv2d, a plain portable loop: each filter sums over its group's input channels only.
void GroupedConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const Volume& input = scene.input;
  const FilterBank& weights = scene.weights;
  const LayerSpec& layer = scene.layer;
  for (int o = 0; o < output.channels; ++o) {
    const int first_channel = FirstGroupChannel(scene, o);
    for (int oy = 0; oy < output.height; ++oy) {
      for (int ox = 0; ox < output.width; ++ox) {
        float sum = 0.0f;
        for (int g = 0; g < weights.channels; ++g) {
          for (int ky = 0; ky < weights.height; ++ky) {
            const int iy = oy * layer.stride.rows - geometry.padding.top + ky * layer.dilation.rows;
            if (iy < 0 || iy >= input.height) continue;
            for (int kx = 0; kx < weights.width; ++kx) {
              const int ix = ox * layer.stride.cols - geometry.padding.left + kx * layer.dilation.cols;
              if (ix < 0 || ix >= input.width) continue;
              sum += input.At(first_channel + g, iy, ix) * weights.At(o, g, ky, kx);
            }
          }
        }
        output.At(o, oy, ox) = sum;
      }
    }
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

void ConvForward(const Scene& scene, const Geometry& geometry, Volume& output) {
  if (scene.layer.op == Op::kConvTranspose2d) {
    TransposedSums(scene, geometry, output);
  } else if (scene.layer.groups > 1) {
    GroupedConvSums(scene, geometry, output);
  } else if (SuitsWinograd(scene)) {
    WinogradSums(scene, geometry, output);
  } else {
    ConvSums(scene, geometry, output);
  }
  const LayerSpec& layer = scene.layer;
  const std::size_t plane = static_cast<std::size_t>(output.height) * static_cast<std::size_t>(output.width);
  for (int o = 0; o < output.channels; ++o) {
    const float bias = scene.bias.empty() ? 0.0f : scene.bias[static_cast<std::size_t>(o)];
    float* values = &output.values[static_cast<std::size_t>(o) * plane];
    for (std::size_t i = 0; i < plane; ++i) {
      const float biased = values[i] + bias;
      values[i] = layer.activation == Activation::kRelu && biased < 0.0f ? 0.0f : biased;
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
