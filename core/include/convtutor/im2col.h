// Convolution as a matrix product (im2col): every window of the input unrolled into one row, every
// filter into one column, so one output cell is one row times one column, plus the bias. The tutor
// shows the row the current step reads; its own fast path (forward.cpp) sums in the same order.
#pragma once

#include <cstdint>
#include <vector>

#include "convtutor/geometry.h"
#include "convtutor/result.h"
#include "convtutor/scene.h"
#include "convtutor/steps.h"

namespace convtutor {

// Beyond this many entries the matrix is too large to draw number by number.
constexpr std::int64_t kMaxUnrolledEntries = 1 << 16;

// A conv2d layer unrolled. Rows are the windows in output order (row y·out_width + x for output
// cell (y, x)); columns the taps of one window in (channel, kernel row, kernel column) order, the
// order a filter's weights are stored in, so column t of the filter matrix is filter o's t-th weight.
struct Unrolled {
  int rows = 0;                    // windows: out_height·out_width
  int columns = 0;                 // taps per window: C·kh·kw
  int filters = 0;                 // columns of the filter matrix (O)
  std::vector<float> patches;      // rows × columns, row by row; a tap in the padding holds 0
  std::vector<bool> padded;        // rows × columns: the tap fell in the padding
  std::vector<float> filter_matrix;  // columns × filters, row by row: filter_matrix[t·O + o]
};

// The whole matrix pair. Refused (naming the field) for pooling, conv_transpose2d and grouped
// layers, and when either matrix would exceed kMaxUnrolledEntries.
Result<Unrolled> Unroll(const Scene& scene, const Geometry& geometry);

// Row `row` of the patch matrix, computed alone (row = y·out_width + x). Precondition: a layer
// Unroll accepts, 0 <= row < out_height·out_width.
std::vector<float> PatchRow(const Scene& scene, const Geometry& geometry, int row);

// Where a step sits in the product: its window's row, its filter's column and, for a term step,
// the tap's column of the patch matrix (-1 for cell, channel, bias and activation steps; a channel
// step's taps are columns [channel·kh·kw, (channel + 1)·kh·kw)).
struct MatrixPosition {
  int row = 0;
  int filter = 0;
  int column = -1;
};
MatrixPosition PositionOfStep(const Scene& scene, const Geometry& geometry, const Step& step);

// One row times one column of the filter matrix, plus the filter's bias: the layer's output cell
// before its activation.
float RowTimesColumn(const Unrolled& unrolled, const Scene& scene, int row, int filter);

}  // namespace convtutor
