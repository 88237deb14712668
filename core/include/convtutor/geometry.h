// Output sizes and padding, with the derivation spelled out in the learner's own numbers:
// not just "127" but "⌊(256 − 4) / 2⌋ + 1 = 127" and what happened at the edges.
#pragma once

#include <cstdint>
#include <string>

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

// The shape of a layer's result for one input size.
struct Geometry {
  Sides padding;       // resolved padding per side
  AxisGeometry rows;   // along the height
  AxisGeometry cols;   // along the width
  int out_channels = 0;
  int out_height = 0;
  int out_width = 0;
  std::int64_t parameters = 0;       // weights + bias (0 for pooling)
  std::int64_t multiply_adds = 0;    // conv2d: out cells × C × kh × kw; pooling: out cells × taps
};

// Resolves padding and output size for one axis. `explicit_before/after` are used only for
// PaddingMode::kExplicit. `axis_name` ("rows"/"cols") and `pooling` shape the wording and the
// ceil_mode rule. Fails (naming the field) when the kernel is larger than the padded input.
Result<AxisGeometry> ResolveAxis(PaddingMode mode, int input, int kernel, int stride, int dilation,
                                 int explicit_before, int explicit_after, bool ceil_mode, bool pooling,
                                 const char* axis_name);

// Checks the whole scene (channel counts, bias length, stride/dilation ≥ 1, ...) and resolves
// its geometry. Every error names the request field at fault.
Result<Geometry> ResolveGeometry(const Scene& scene);

}  // namespace convtutor
