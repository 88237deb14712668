// The framework rules for a pooling window at the edges, shared by the step path and the fast
// path so both divide by exactly the same number.
#pragma once

#include "convtutor/geometry.h"
#include "convtutor/scene.h"

namespace convtutor::detail {

// Cells of one axis an avg_pool2d window counts in its divisor. `start` is the window's first
// input coordinate (negative inside the top/left padding). TensorFlow's "same" counts only real
// cells; PyTorch's explicit padding counts the window clipped to input + padding when
// count_include_pad, else clipped to the real input (this also covers ceil_mode's short last
// window). avg_pool2d has no dilation, so the window is `kernel` contiguous cells.
inline int AvgCellsAlongAxis(const AxisGeometry& axis, int start, bool counts_padding) {
  const int end = start + axis.kernel;  // one past the last tap
  if (counts_padding) {
    const int padded_end = axis.input + axis.pad_after;
    return (end < padded_end ? end : padded_end) - start;
  }
  const int real_start = start > 0 ? start : 0;
  const int real_end = end < axis.input ? end : axis.input;
  return real_end > real_start ? real_end - real_start : 0;
}

inline bool AvgCountsPadding(const LayerSpec& layer) {
  return layer.padding.mode != PaddingMode::kSame && layer.count_include_pad;
}

inline int AvgDivisor(const LayerSpec& layer, const Geometry& geometry, int origin_row, int origin_col) {
  const bool counts_padding = AvgCountsPadding(layer);
  return AvgCellsAlongAxis(geometry.rows, origin_row, counts_padding) *
         AvgCellsAlongAxis(geometry.cols, origin_col, counts_padding);
}

}  // namespace convtutor::detail
