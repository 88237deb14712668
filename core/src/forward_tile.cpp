// The fast path's register tile with Google Highway: compiled once per SIMD target of the CPU and
// chosen at run time natively (AVX-512, AVX2, SSE4...), statically as WebAssembly SIMD in the browser;
// beside it the portable loop it must equal bit for bit (forward_tile.h says why it can).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "forward_tile.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep

#include "hwy/highway.h"
#include "forward_tile.h"

HWY_BEFORE_NAMESPACE();
namespace convtutor::detail {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// One tile row of kTilePixels floats is kVectors vectors (1 with 256-bit vectors, 2 with 128-bit).
using PixelTag = hn::CappedTag<float, kTilePixels>;
constexpr std::size_t kLanes = hn::MaxLanes(PixelTag());
constexpr std::size_t kVectors = kTilePixels / kLanes;
// Tiles summed at once: enough independent sums to hide the addition's latency, few enough that
// they stay in registers (AVX-512 has 32 vector registers, AVX2 and WebAssembly's V8 on x86 16).
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
constexpr std::size_t kTilesAtOnce = 4;
#elif HWY_TARGET == HWY_AVX2
constexpr std::size_t kTilesAtOnce = 2;
#else
constexpr std::size_t kTilesAtOnce = 1;
#endif

template <std::size_t kTiles>
HWY_INLINE void MultiplyTiles(const TileRow& row, int first_tile) {
  const PixelTag d;
  using V = hn::Vec<PixelTag>;
  V sums[kTiles][kTileFilters][kVectors];
  for (std::size_t t = 0; t < kTiles; ++t) {
    for (int i = 0; i < kTileFilters; ++i) {
      for (std::size_t v = 0; v < kVectors; ++v) sums[t][i][v] = hn::Zero(d);
    }
  }
  const float* inputs[kTiles];
  for (std::size_t t = 0; t < kTiles; ++t) inputs[t] = row.inputs + (first_tile + static_cast<int>(t)) * row.input_stride;
  for (int k = 0; k < row.depth; ++k) {
    const float* weights_k = row.weights + k * kWeightRun;
    V weights[kTileFilters];
    for (int i = 0; i < kTileFilters; ++i) weights[i] = hn::Set(d, weights_k[i * kTilePixels]);
    const std::ptrdiff_t offset = row.offsets[k];
    for (std::size_t t = 0; t < kTiles; ++t) {
      for (std::size_t v = 0; v < kVectors; ++v) {
        const V pixels = hn::LoadU(d, inputs[t] + offset + v * kLanes);
        for (int i = 0; i < kTileFilters; ++i) sums[t][i][v] = hn::Add(sums[t][i][v], hn::Mul(weights[i], pixels));
      }
    }
  }
  for (std::size_t t = 0; t < kTiles; ++t) {
    float* tile_sums = row.sums + (first_tile + static_cast<int>(t)) * row.sum_tile_stride;
    for (int i = 0; i < kTileFilters; ++i) {
      for (std::size_t v = 0; v < kVectors; ++v) hn::StoreU(sums[t][i][v], d, tile_sums + i * row.sum_filter_stride + v * kLanes);
    }
  }
}

void MultiplyTileRowSimd(const TileRow& row) {
  constexpr int kStep = static_cast<int>(kTilesAtOnce);
  int tile = 0;
  for (; tile + kStep <= row.tiles; tile += kStep) MultiplyTiles<kTilesAtOnce>(row, tile);
  for (; tile < row.tiles; ++tile) MultiplyTiles<1>(row, tile);
}

}  // namespace HWY_NAMESPACE
}  // namespace convtutor::detail
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace convtutor::detail {

HWY_EXPORT(MultiplyTileRowSimd);

void MultiplyTileRow(const TileRow& row) { HWY_DYNAMIC_DISPATCH(MultiplyTileRowSimd)(row); }

void MultiplyTileRowPortable(const TileRow& row) {
  for (int t = 0; t < row.tiles; ++t) {
    const float* inputs = row.inputs + t * row.input_stride;
    float tile[kTileFilters][kTilePixels] = {};
    for (int k = 0; k < row.depth; ++k) {
      const float* weights_k = row.weights + k * kWeightRun;
      const float* pixels = inputs + row.offsets[k];
      for (int i = 0; i < kTileFilters; ++i) {
        for (int j = 0; j < kTilePixels; ++j) tile[i][j] += weights_k[i * kTilePixels + j] * pixels[j];
      }
    }
    float* tile_sums = row.sums + t * row.sum_tile_stride;
    for (int i = 0; i < kTileFilters; ++i) {
      for (int j = 0; j < kTilePixels; ++j) tile_sums[i * row.sum_filter_stride + j] = tile[i][j];
    }
  }
}

}  // namespace convtutor::detail
#endif  // HWY_ONCE
