// The fast path's register tile with Google Highway: compiled once per SIMD target of the CPU and
// chosen at run time natively (AVX-512, AVX2, SSE4...), statically as WebAssembly SIMD in the browser;
// beside it the portable loop it must equal bit for bit (forward_tile.h says why it can).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "forward_tile.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include <algorithm>
#include <cmath>
#include <vector>

#include "hwy/highway.h"
#include "forward_tile.h"

HWY_BEFORE_NAMESPACE();
namespace convtutor::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// A tile's pixels are one full vector. A block of tiles shares each k's weights, so each input
// vector loaded feeds kFilters multiply-adds and each weight a multiply-add per tile: as many sums
// as the registers hold beside the block's input vectors and one weight (AVX-512 has 32 vector
// registers; AVX2, SSE4 and WebAssembly's V8 on x86 16), and, unfused, one product.
using PixelTag = hn::ScalableTag<float>;
constexpr std::size_t kLanes = hn::MaxLanes(PixelTag());
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
constexpr std::size_t kFilters = 8;
constexpr std::size_t TilesAtOnce(bool) { return 3; }
#else
constexpr std::size_t kFilters = 4;
// 12 sums, 3 inputs and a weight fill the 16 registers; unfused the product needs one more.
constexpr std::size_t TilesAtOnce(bool fused) { return fused && HWY_NATIVE_FMA ? 3 : 2; }
#endif

// How a row's tiles and taps lie, fixed at compile time: tiles that are neighbours (kNeighbours:
// input_stride is one vector, as in place and in Winograd's tiles) are read at constant offsets
// from one address, and evenly spaced taps (kEvenTaps: tap_step set) by stepping that address.
// Natively x86 addressing hides that arithmetic; in WebAssembly every computed address is an
// instruction of its own, and V8's loop spent about 11 integer instructions a k beside the 22
// vector ones (5 now), enough to make the loop wait on instruction dispatch rather than on the
// multiplies and adds.
template <std::size_t kTiles, bool kFused, bool kNeighbours, bool kEvenTaps>
HWY_INLINE void MultiplyTiles(const TileRow& row, int first_tile) {
  const PixelTag d;
  using V = hn::Vec<PixelTag>;
  const std::ptrdiff_t tile_stride = kNeighbours ? static_cast<std::ptrdiff_t>(kLanes) : row.input_stride;
  V sums[kTiles][kFilters];
  for (std::size_t t = 0; t < kTiles; ++t) {
    for (std::size_t i = 0; i < kFilters; ++i) sums[t][i] = hn::Zero(d);
  }
  const float* first_inputs = row.inputs + first_tile * row.input_stride;
  const float* tap = first_inputs;  // evenly spaced taps: tap k's inputs, stepped as k goes
  const float* weights = row.weights;
  for (int k = 0; k < row.depth; ++k, weights += kFilters) {
    const float* inputs = kEvenTaps ? tap : first_inputs + row.offsets[k];
    V pixels[kTiles];
    for (std::size_t t = 0; t < kTiles; ++t) {
      pixels[t] = hn::LoadU(d, inputs + static_cast<std::ptrdiff_t>(t) * tile_stride);
    }
    for (std::size_t i = 0; i < kFilters; ++i) {
      const V weight = hn::Set(d, weights[i]);
      for (std::size_t t = 0; t < kTiles; ++t) {
        sums[t][i] = kFused ? hn::MulAdd(weight, pixels[t], sums[t][i]) : hn::Add(sums[t][i], hn::Mul(weight, pixels[t]));
      }
    }
    if (kEvenTaps) tap += row.tap_step;
  }
  for (std::size_t t = 0; t < kTiles; ++t) {
    float* tile_sums = row.sums + (first_tile + static_cast<int>(t)) * row.sum_tile_stride;
    for (std::size_t i = 0; i < kFilters; ++i) {
      V sum = sums[t][i];
      if (row.bias != nullptr) sum = hn::Add(sum, hn::Set(d, row.bias[i]));
      if (row.relu) sum = hn::IfThenZeroElse(hn::Lt(sum, hn::Zero(d)), sum);
      hn::StoreU(sum, d, tile_sums + static_cast<std::ptrdiff_t>(i) * row.sum_filter_stride);
    }
  }
}

template <bool kFused, bool kNeighbours, bool kEvenTaps>
void MultiplyTileBlocks(const TileRow& row) {
  constexpr std::size_t kTilesAtOnce = TilesAtOnce(kFused);
  constexpr int kStep = static_cast<int>(kTilesAtOnce);
  int tile = 0;
  for (; tile + kStep <= row.tiles; tile += kStep) MultiplyTiles<kTilesAtOnce, kFused, kNeighbours, kEvenTaps>(row, tile);
  if constexpr (kTilesAtOnce > 2) {
    if (row.tiles - tile >= 2) {
      MultiplyTiles<2, kFused, kNeighbours, kEvenTaps>(row, tile);
      tile += 2;
    }
  }
  for (; tile < row.tiles; ++tile) MultiplyTiles<1, kFused, kNeighbours, kEvenTaps>(row, tile);
}

// The layouts the fast path uses: in place (neighbours, a table of taps), packed patches (evenly
// spaced taps, tiles apart) and Winograd's tiles (both); any other row takes the general loop.
template <bool kFused>
void MultiplyTileLayout(const TileRow& row) {
  const bool neighbours = row.input_stride == static_cast<std::ptrdiff_t>(kLanes);
  const bool even_taps = row.tap_step != 0;
  if (neighbours && even_taps) {
    MultiplyTileBlocks<kFused, true, true>(row);
  } else if (neighbours) {
    MultiplyTileBlocks<kFused, true, false>(row);
  } else if (even_taps) {
    MultiplyTileBlocks<kFused, false, true>(row);
  } else {
    MultiplyTileBlocks<kFused, false, false>(row);
  }
}

void MultiplyTileRowSimd(const TileRow& row) {
  if (row.fused) {
    MultiplyTileLayout<true>(row);
  } else {
    MultiplyTileLayout<false>(row);
  }
}

TileShape TileShapeSimd() { return TileShape{static_cast<int>(kFilters), static_cast<int>(kLanes), HWY_NATIVE_FMA != 0}; }

}  // namespace HWY_NAMESPACE
}  // namespace convtutor::detail
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace convtutor::detail {

HWY_EXPORT(MultiplyTileRowSimd);
HWY_EXPORT(TileShapeSimd);

void MultiplyTileRow(const TileRow& row) { HWY_DYNAMIC_DISPATCH(MultiplyTileRowSimd)(row); }

TileShape SimdTileShape() { return HWY_DYNAMIC_DISPATCH(TileShapeSimd)(); }

void MultiplyTileRowPortable(const TileRow& row, const TileShape& shape) {
  const bool fuse = row.fused && shape.has_fused_multiply_add;
  std::vector<float> tile(static_cast<std::size_t>(shape.filters * shape.pixels));
  for (int t = 0; t < row.tiles; ++t) {
    const float* inputs = row.inputs + t * row.input_stride;
    std::fill(tile.begin(), tile.end(), 0.0f);
    for (int k = 0; k < row.depth; ++k) {
      const float* weights = row.weights + k * shape.filters;
      const float* pixels = inputs + (row.tap_step != 0 ? k * row.tap_step : row.offsets[k]);
      for (int i = 0; i < shape.filters; ++i) {
        float* sums = &tile[static_cast<std::size_t>(i * shape.pixels)];
        for (int j = 0; j < shape.pixels; ++j) {
          sums[j] = fuse ? std::fma(weights[i], pixels[j], sums[j]) : sums[j] + weights[i] * pixels[j];
        }
      }
    }
    float* tile_sums = row.sums + t * row.sum_tile_stride;
    for (int i = 0; i < shape.filters; ++i) {
      for (int j = 0; j < shape.pixels; ++j) {
        float sum = tile[static_cast<std::size_t>(i * shape.pixels + j)];
        if (row.bias != nullptr) sum += row.bias[i];
        if (row.relu && sum < 0.0f) sum = 0.0f;
        tile_sums[i * row.sum_filter_stride + j] = sum;
      }
    }
  }
}

}  // namespace convtutor::detail
#endif  // HWY_ONCE
