// The register tile under the fast path's matrix products (Forward's direct and Winograd branches):
// `filters` filters × `pixels` pixels summed over k, as a portable loop (the reference the tests
// compare against) and with Highway SIMD (what Forward runs), whose tile shape suits its target.
#pragma once

#include <cstddef>

namespace convtutor::detail {

// A tile's size on the SIMD target this CPU runs: pixels is one vector's lanes (16 floats with
// AVX-512, 8 with AVX2, 4 with SSE4 and WebAssembly), filters as many as its registers allow.
struct TileShape {
  int filters = 0;
  int pixels = 0;
  bool has_fused_multiply_add = false;  // the target rounds a·b + c once
};
TileShape SimdTileShape();

// A row of `tiles` tiles sharing one filter group. Tile t reads the `pixels` inputs of tap k at
// inputs + t·input_stride + offsets[k] (k·tap_step when tap_step is set), and writes sum
// (filter i, pixel j) to sums + t·sum_tile_stride + i·sum_filter_stride + j.
struct TileRow {
  int depth = 0;                            // k = 0 .. depth-1
  const float* weights = nullptr;           // [k][filter in group]
  const float* inputs = nullptr;
  const std::ptrdiff_t* offsets = nullptr;  // depth entries, read only when tap_step is 0
  // Evenly spaced taps (packed patches, Winograd's transformed tiles): tap k at k·tap_step, so the
  // SIMD loop steps a pointer instead of reading a table (in WebAssembly every address costs instructions).
  std::ptrdiff_t tap_step = 0;
  std::ptrdiff_t input_stride = 0;
  int tiles = 0;
  float* sums = nullptr;
  std::ptrdiff_t sum_tile_stride = 0;
  std::ptrdiff_t sum_filter_stride = 0;
  // Each sum is Σ_k weight·input in k order. Unfused, each k is one rounded product and one
  // rounded addition, as the step path adds, so the sums are the step path's bits. Fused (where
  // the target has it), each k rounds once: half the instructions, for Winograd's products,
  // which round differently from the step path anyway.
  bool fused = false;
  // What the step path does after the products, done as the sums are stored: bias[i] added to
  // filter i's sums (none when null), then negative sums set to zero when `relu`.
  const float* bias = nullptr;  // [filter in group]
  bool relu = false;
};

// The two give the same bits for the same shape: both add in k order, and both fuse only when
// the row asks and the shape's target has fused multiply-adds (the portable loop then uses std::fma).
void MultiplyTileRow(const TileRow& row);  // Highway: the best target of this CPU, SimdTileShape()
void MultiplyTileRowPortable(const TileRow& row, const TileShape& shape);  // plain C++, the reference

}  // namespace convtutor::detail
