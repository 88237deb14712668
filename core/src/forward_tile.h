// The register tile under the fast path's matrix products (Forward's direct and Winograd branches):
// kTileFilters filters × kTilePixels pixels summed over k, as a portable loop (the reference the
// tests compare against) and with Highway SIMD (what Forward runs). Both add in the same order.
#pragma once

#include <cstddef>

namespace convtutor::detail {

constexpr int kTileFilters = 4;
constexpr int kTilePixels = 8;
// The packed weights of one k: [filter in group][kTilePixels copies of its weight], so the
// portable loop multiplies whole runs and the compiler needs no shuffles to spread one weight.
constexpr int kWeightRun = kTileFilters * kTilePixels;

// A row of `tiles` tiles sharing one filter group. Tile t reads the kTilePixels inputs of tap k at
// inputs + t·input_stride + offsets[k], and writes sum (filter i, pixel j) to
// sums + t·sum_tile_stride + i·sum_filter_stride + j.
struct TileRow {
  int depth = 0;                            // k = 0 .. depth-1
  const float* weights = nullptr;           // [k][kWeightRun]
  const float* inputs = nullptr;
  const std::ptrdiff_t* offsets = nullptr;  // depth entries
  std::ptrdiff_t input_stride = 0;
  int tiles = 0;
  float* sums = nullptr;
  std::ptrdiff_t sum_tile_stride = 0;
  std::ptrdiff_t sum_filter_stride = 0;
};

// Each sum is Σ_k weight·input in k order, one rounded product and one rounded addition per k
// (no fused multiply-add), so the SIMD tiles give the portable loop's and the step path's bits.
void MultiplyTileRow(const TileRow& row);          // Highway: the best target of this CPU
void MultiplyTileRowPortable(const TileRow& row);  // plain C++, the reference

}  // namespace convtutor::detail
