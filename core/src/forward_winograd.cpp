// Winograd's minimal filtering F(2×2, 3×3) for the fast path: each 2×2 block of outputs costs 16
// products per channel instead of 36, from transformed 4×4 input tiles and transformed weights.
// The transforms are Highway SIMD, one tile per lane (compiled per target like forward_tile.cpp);
// the 16 point-wise products are matrix products on the register tile, fused where the CPU can.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "forward_winograd.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <cstring>
#include <vector>

#include "forward_scratch.h"
#include "forward_tile.h"
#include "forward_winograd.h"
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace convtutor::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using Tag = hn::ScalableTag<float>;
using V = hn::Vec<Tag>;
constexpr int kLanes = static_cast<int>(hn::MaxLanes(Tag()));

// Calls visit(ty, first_tx, end_tx, at) for each run of the batch's tiles in one tile row, `at`
// being the run's first tile counted from the batch's first.
template <class Visit>
void ForEachRun(const WinogradBatch& batch, const Visit& visit) {
  const int end = batch.first + batch.count;
  for (int flat = batch.first; flat < end;) {
    const int ty = flat / batch.tiles_across;
    const int tx = flat % batch.tiles_across;
    const int end_tx = std::min(batch.tiles_across, tx + (end - flat));
    visit(ty, tx, end_tx, flat - batch.first);
    flat += end_tx - tx;
  }
}

// A vector of tiles at a time: the even and odd columns of each of the tile's 4 rows are its
// columns 0 and 1, and 2 and 3 two cells on. A vector reaching past its run writes lanes the next
// run (or the room past the row) overwrites.
void TransformInputsSimd(const WinogradInputs& inputs, const WinogradBatch& batch) {
  const Tag d;
  for (int c = 0; c < inputs.channels; ++c) {
    const float* plane = inputs.padded + c * inputs.padded_channel_stride;
    float* transformed = inputs.transformed + c * inputs.channel_stride;
    ForEachRun(batch, [&](int ty, int first_tx, int end_tx, int at) {
      for (int tx = first_tx; tx < end_tx; tx += kLanes, at += kLanes) {
        V cells[4][4];
        for (int y = 0; y < 4; ++y) {
          const float* row = plane + (2 * (ty - inputs.first_tile_row) + y) * inputs.padded_row_stride + 2 * tx;
          hn::LoadInterleaved2(d, row, cells[y][0], cells[y][1]);
          hn::LoadInterleaved2(d, row + 2, cells[y][2], cells[y][3]);
        }
        V columns[4][4];  // Bᵀ·d
        for (int x = 0; x < 4; ++x) {
          columns[0][x] = hn::Sub(cells[0][x], cells[2][x]);
          columns[1][x] = hn::Add(cells[1][x], cells[2][x]);
          columns[2][x] = hn::Sub(cells[2][x], cells[1][x]);
          columns[3][x] = hn::Sub(cells[1][x], cells[3][x]);
        }
        float* point = transformed + at;
        for (int y = 0; y < 4; ++y, point += 4 * inputs.point_stride) {
          const V* row = columns[y];
          hn::StoreU(hn::Sub(row[0], row[2]), d, point);
          hn::StoreU(hn::Add(row[1], row[2]), d, point + inputs.point_stride);
          hn::StoreU(hn::Sub(row[2], row[1]), d, point + 2 * inputs.point_stride);
          hn::StoreU(hn::Sub(row[1], row[3]), d, point + 3 * inputs.point_stride);
        }
      }
    });
  }
}

// A vector of tiles at a time: each output row's left and right cells, interleaved, are 2·lanes
// neighbouring outputs; a vector whose outputs pass the run or the row's end is stored through a
// buffer, only its real cells copied.
void TransformOutputsSimd(const WinogradOutputs& outputs, const WinogradBatch& batch) {
  const Tag d;
  HWY_ALIGN float staged[2 * kLanes];
  const std::ptrdiff_t plane_size = static_cast<std::ptrdiff_t>(outputs.out_height) * outputs.out_width;
  for (int o = 0; o < outputs.filters; ++o) {
    const float* sums = outputs.sums + o * outputs.filter_stride;
    float* plane = outputs.output + o * plane_size;
    const V bias = hn::Set(d, outputs.bias != nullptr ? outputs.bias[o] : 0.0f);
    // As the step path: the bias added only when there is one, then the activation.
    const auto finish = [&](V sum) {
      if (outputs.bias != nullptr) sum = hn::Add(sum, bias);
      return outputs.relu ? hn::IfThenZeroElse(hn::Lt(sum, hn::Zero(d)), sum) : sum;
    };
    ForEachRun(batch, [&](int ty, int first_tx, int end_tx, int at) {
      for (int tx = first_tx; tx < end_tx; tx += kLanes, at += kLanes) {
        V m[16];
        for (int point = 0; point < 16; ++point) m[point] = hn::LoadU(d, sums + point * outputs.point_stride + at);
        V rows[2][4];  // Aᵀ·m
        for (int x = 0; x < 4; ++x) {
          rows[0][x] = hn::Add(hn::Add(m[x], m[4 + x]), m[8 + x]);
          rows[1][x] = hn::Sub(hn::Sub(m[4 + x], m[8 + x]), m[12 + x]);
        }
        const int cells = std::min(2 * std::min(kLanes, end_tx - tx), outputs.out_width - 2 * tx);
        for (int y = 0; y < 2 && 2 * ty + y < outputs.out_height; ++y) {
          const V left = finish(hn::Add(hn::Add(rows[y][0], rows[y][1]), rows[y][2]));
          const V right = finish(hn::Sub(hn::Sub(rows[y][1], rows[y][2]), rows[y][3]));
          float* target = plane + (2 * ty + y) * outputs.out_width + 2 * tx;
          if (cells == 2 * kLanes) {
            hn::StoreInterleaved2(left, right, d, target);
          } else {
            hn::StoreInterleaved2(left, right, d, staged);
            std::memcpy(target, staged, static_cast<std::size_t>(cells) * sizeof(float));
          }
        }
      }
    });
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace convtutor::detail
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace convtutor::detail {

HWY_EXPORT(TransformInputsSimd);
HWY_EXPORT(TransformOutputsSimd);

namespace {

constexpr int kPoints = 16;  // a 4×4 tile of transformed values

// Room after each point's values, a cache line: without it a point's size is often a multiple of
// 4 KiB (64 channels × 64 filters is 16 KiB), so that the 16 points of a tile, written or read
// together, all land in the same cache sets.
constexpr std::ptrdiff_t kSpare = 16;

// U = G·g·Gᵀ for every (filter, channel), laid out [point][filter group][channel][filter in group],
// point_stride apart, so each of the 16 point-wise products is a matrix product the register tile can run.
const float* WinogradWeights(const FilterBank& weights, const TileShape& shape, std::ptrdiff_t point_stride,
                             std::vector<float>& buffer) {
  const std::size_t point_size = static_cast<std::size_t>(point_stride);
  float* packed = Zeroed(buffer, kPoints * point_size);
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
      const std::size_t slot =
          static_cast<std::size_t>(((o / shape.filters) * weights.channels + c) * shape.filters + o % shape.filters);
      for (int y = 0; y < 4; ++y) {
        const float transformed[4] = {rows[y][0], 0.5f * (rows[y][0] + rows[y][1] + rows[y][2]),
                                      0.5f * (rows[y][0] - rows[y][1] + rows[y][2]), rows[y][2]};
        for (int x = 0; x < 4; ++x) packed[static_cast<std::size_t>(y * 4 + x) * point_size + slot] = transformed[x];
      }
    }
  }
  return packed;
}

// The input rows one batch reads, with the padding as zeros: rows of 2·tiles_across + 2 cells (every
// column a tile reads, none past), 2 rows per tile row plus 2, and room after the last for a
// vector's reach past a row. Only these rows are copied, batch by batch, so the copy stays small
// and in the cache.
class PaddedRows {
 public:
  PaddedRows(const Volume& input, const Sides& padding, int tiles_across, int most_tile_rows, int lanes,
             std::vector<float>& buffer)
      : input_(input), padding_(padding), columns_(2 * tiles_across + 2), rows_(2 * most_tile_rows + 2),
        values_(Zeroed(buffer, static_cast<std::size_t>(input.channels * ChannelStride() + 2 * lanes + 2))) {}
  std::ptrdiff_t RowStride() const { return columns_; }
  std::ptrdiff_t ChannelStride() const { return static_cast<std::ptrdiff_t>(rows_) * columns_; }
  const float* Values() const { return values_; }

  // Fills rows 2·first_tile_row ... 2·end_tile_row + 1 of the padded input.
  void Fill(int first_tile_row, int end_tile_row) {
    const int first_x = std::max(0, -padding_.left);
    const int end_x = std::min(input_.width, columns_ - padding_.left);
    const int rows = 2 * (end_tile_row - first_tile_row) + 2;
    for (int c = 0; c < input_.channels; ++c) {
      for (int y = 0; y < rows; ++y) {
        float* row = values_ + c * ChannelStride() + y * columns_;
        const int iy = 2 * first_tile_row + y - padding_.top;
        if (iy < 0 || iy >= input_.height || first_x >= end_x) {
          std::fill(row, row + columns_, 0.0f);
        } else {
          std::memcpy(row + first_x + padding_.left, &input_.values[input_.Index(c, iy, first_x)],
                      static_cast<std::size_t>(end_x - first_x) * sizeof(float));
        }
      }
    }
  }

 private:
  const Volume& input_;
  const Sides padding_;
  const int columns_;
  const int rows_;
  float* const values_;
};

}  // namespace

bool SuitsWinograd(const Scene& scene) {
  const LayerSpec& layer = scene.layer;
  return layer.kernel.rows == 3 && layer.kernel.cols == 3 && layer.stride.rows == 1 && layer.stride.cols == 1 &&
         layer.dilation.rows == 1 && layer.dilation.cols == 1 && scene.input.channels >= 8 &&
         scene.weights.filters >= 8;
}

void WinogradSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const TileShape shape = SimdTileShape();
  const int channels = scene.input.channels;
  const int groups = (output.channels + shape.filters - 1) / shape.filters;
  const int tiles_across = (output.width + 1) / 2;
  const int tiles_down = (output.height + 1) / 2;
  const int tile_count = tiles_across * tiles_down;
  // A batch's transformed inputs and sums stay in the cache between the transforms and the products:
  // about 3072 values per point, in whole register tiles of pixels.
  const int tiles_per_batch =
      std::min((tile_count + shape.pixels - 1) / shape.pixels, std::max(1, 3072 / (channels * shape.pixels))) * shape.pixels;
  // Room past each row for a vector reaching past the batch, and kSpare between points.
  const std::ptrdiff_t input_row = tiles_per_batch + shape.pixels;
  const std::ptrdiff_t input_point = channels * input_row + kSpare;
  const std::ptrdiff_t sums_point = static_cast<std::ptrdiff_t>(groups) * shape.filters * tiles_per_batch + kSpare;
  const std::ptrdiff_t weight_point = static_cast<std::ptrdiff_t>(groups) * channels * shape.filters + kSpare;
  ForwardScratch& scratch = ThreadScratch();
  const float* weights = WinogradWeights(scene.weights, shape, weight_point, scratch.weights);
  PaddedRows padded(scene.input, geometry.padding, tiles_across, (tiles_per_batch + tiles_across - 2) / tiles_across + 1,
                    shape.pixels, scratch.padded);
  float* transformed = Sized(scratch.inputs, static_cast<std::size_t>(kPoints * input_point));
  float* sums = Sized(scratch.sums, static_cast<std::size_t>(kPoints * sums_point + shape.pixels));

  WinogradInputs inputs;
  inputs.padded = padded.Values();
  inputs.channels = channels;
  inputs.padded_channel_stride = padded.ChannelStride();
  inputs.padded_row_stride = padded.RowStride();
  inputs.transformed = transformed;
  inputs.point_stride = input_point;
  inputs.channel_stride = input_row;
  WinogradOutputs outputs;
  outputs.sums = sums;
  outputs.point_stride = sums_point;
  outputs.filter_stride = tiles_per_batch;
  outputs.output = output.values.data();
  outputs.filters = output.channels;
  outputs.out_height = output.height;
  outputs.out_width = output.width;
  outputs.bias = scene.bias.empty() ? nullptr : scene.bias.data();
  outputs.relu = scene.layer.activation == Activation::kRelu;
  TileRow products;  // per point and filter group: M = U·V over the channels
  products.depth = channels;
  products.tap_step = input_row;
  products.input_stride = shape.pixels;
  products.sum_tile_stride = shape.pixels;
  products.sum_filter_stride = tiles_per_batch;
  products.fused = true;
  WinogradBatch batch;
  batch.tiles_across = tiles_across;
  for (batch.first = 0; batch.first < tile_count; batch.first += tiles_per_batch) {
    batch.count = std::min(tiles_per_batch, tile_count - batch.first);
    inputs.first_tile_row = batch.first / tiles_across;
    padded.Fill(inputs.first_tile_row, (batch.first + batch.count - 1) / tiles_across + 1);
    HWY_DYNAMIC_DISPATCH(TransformInputsSimd)(inputs, batch);
    products.tiles = (batch.count + shape.pixels - 1) / shape.pixels;
    for (int point = 0; point < kPoints; ++point) {
      products.inputs = transformed + point * input_point;
      for (int group = 0; group < groups; ++group) {
        products.weights = weights + point * weight_point + group * channels * shape.filters;
        products.sums = sums + point * sums_point + group * shape.filters * tiles_per_batch;
        MultiplyTileRow(products);
      }
    }
    HWY_DYNAMIC_DISPATCH(TransformOutputsSimd)(outputs, batch);
  }
}

}  // namespace convtutor::detail
#endif  // HWY_ONCE
