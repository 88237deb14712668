// Output sizes and padding, with the derivation spelled out in the learner's own numbers:
// not just "127" but "⌊(256 − 4) / 2⌋ + 1 = 127" and what happened at the edges.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "convtutor/result.h"
#include "convtutor/scene.h"

namespace convtutor {

// How one spatial axis (rows or columns) maps from input to output.
struct AxisGeometry {
  int input = 0;       // n
  int kernel = 0;      // k
  int stride = 1;      // s
  int dilation = 1;    // d
  int span = 0;        // (k − 1)·d + 1, the cells one window covers
  int pad_before = 0;  // top or left
  int pad_after = 0;   // bottom or right
  int output = 0;
  // Real input cells at the end of the axis that no window ever touches (the floor case);
  // 0 when every cell is used.
  int uncovered = 0;
  // The formula with the numbers filled in, e.g. "⌊(256 − 4) / 2⌋ + 1 = 127" or "⌈256 / 2⌉ = 128".
  std::string formula;
  // One or two sentences on the edges, e.g. "total padding 2 → 1 before, 1 after" or
  // "the last 1 column is never covered by a window".
  std::string explanation;
};

// conv_transpose2d only: how many kernel taps reach each output row and column (the gather view),
// with running totals, so StepAt finds a term step's output cell by binary search instead of
// walking the cells before it. A term step is one multiply-add that contributes: a tap that lands
// on a real input cell, not on an inserted zero or the padding.
struct TransposedReach {
  std::vector<int> row_taps;                        // per output row: kernel rows that reach a real input row
  std::vector<int> col_taps;                        // per output column
  std::vector<std::int64_t> col_taps_before;        // Σ col_taps[0, x), for x = 0 .. out_width
  std::vector<std::int64_t> empty_cols_before;      // columns in [0, x) no tap reaches
  std::vector<std::int64_t> term_steps_before_row;  // term-level steps of one output channel before row y
  int group_channels = 0;                           // input channels each filter sees (C / groups)
  int finishing_steps = 0;                          // bias and activation steps per cell
};

// The shape of a layer's result for one input size.
struct Geometry {
  Sides padding;       // resolved padding per side
  AxisGeometry rows;   // along the height
  AxisGeometry cols;   // along the width
  int out_channels = 0;
  int out_height = 0;
  int out_width = 0;
  std::int64_t parameters = 0;       // weights + bias (0 for pooling)
  // conv2d: out cells × (C / groups) × kh × kw; conv_transpose2d: the products that contribute;
  // pooling: out cells × taps.
  std::int64_t multiply_adds = 0;
  TransposedReach transposed;        // conv_transpose2d only; empty otherwise
};

// Resolves padding and output size for one axis. `explicit_before/after` are used only for
// PaddingMode::kExplicit. `axis_name` ("rows"/"cols") and `pooling` shape the wording and the
// ceil_mode rule. Fails (naming the field) when the kernel is larger than the padded input.
Result<AxisGeometry> ResolveAxis(PaddingMode mode, int input, int kernel, int stride, int dilation,
                                 int explicit_before, int explicit_after, bool ceil_mode, bool pooling,
                                 const char* axis_name);

// conv_transpose2d's output size along one axis, (n − 1)·s − 2·p + d·(k − 1) + output_padding + 1,
// with the formula in the learner's numbers. Fails (naming the field) on output_padding not smaller
// than the stride or the dilation (PyTorch's rule) and on an output of size 0 or less.
Result<AxisGeometry> ResolveTransposedAxis(int input, int kernel, int stride, int dilation, int padding,
                                           int output_padding, const char* axis_name);

// conv_transpose2d: the term-level steps of one output channel's row `row` before column `col`
// (col = out_width gives the whole row's steps).
std::int64_t TransposedTermStepsBefore(const TransposedReach& reach, int row, int col);

// Checks the whole scene (channel counts, bias length, stride/dilation ≥ 1, ...) and resolves
// its geometry. Every error names the request field at fault.
Result<Geometry> ResolveGeometry(const Scene& scene);

}  // namespace convtutor
