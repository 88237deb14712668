// The fast path's Winograd branch, F(2×2, 3×3) for 3×3 convolutions at stride 1: its input and
// output transforms run with Highway SIMD over many tiles at once, its products on forward_tile.h's
// register tile.
#pragma once

#include <cstddef>

#include "convtutor/geometry.h"
#include "convtutor/scene.h"

namespace convtutor::detail {

// 3×3, stride 1, no dilation, and enough channels and filters for the transforms to pay.
bool SuitsWinograd(const Scene& scene);

// Every output cell: its sum of products, plus the bias, then the activation.
void WinogradSums(const Scene& scene, const Geometry& geometry, Volume& output);

// The transforms' work, a batch at a time: tiles of 2×2 outputs numbered row by row over the
// output, tiles [first, first + count) of it, tiles_across to a row.
struct WinogradBatch {
  int tiles_across = 0;
  int first = 0;
  int count = 0;
};

// V = Bᵀ·d·B of every tile of the batch in every channel, d the tile's 4×4 inputs.
struct WinogradInputs {
  // The rows of the input the batch reads, with its padding as zeros: tile (ty, tx) at row
  // 2·(ty − first_tile_row), column 2·tx.
  const float* padded = nullptr;
  int first_tile_row = 0;
  int channels = 0;
  std::ptrdiff_t padded_channel_stride = 0;
  std::ptrdiff_t padded_row_stride = 0;
  float* transformed = nullptr;  // [point][channel][tile in batch], with a vector's room past each row
  std::ptrdiff_t point_stride = 0;
  std::ptrdiff_t channel_stride = 0;
};

// The 2×2 outputs Aᵀ·M·A of every tile of the batch for every filter, M its 16 sums.
struct WinogradOutputs {
  const float* sums = nullptr;  // [point][filter][tile in batch], with a vector's room past the last
  std::ptrdiff_t point_stride = 0;
  std::ptrdiff_t filter_stride = 0;
  float* output = nullptr;  // [filter][row][column]
  int filters = 0;
  int out_height = 0;
  int out_width = 0;
  const float* bias = nullptr;  // [filter], or null for none
  bool relu = false;
};

}  // namespace convtutor::detail
