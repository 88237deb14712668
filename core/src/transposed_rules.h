// conv_transpose2d read as a gather, shared by geometry, the step path and their tests: along one
// axis, output cell `out` takes kernel tap `tap` from the input cell i with i·s = out + p − tap·d.
// (Equivalently: a stride-1 window of the flipped kernel over the zero-inserted, padded input.)
#pragma once

#include "convtutor/geometry.h"

namespace convtutor::detail {

// The input cell that kernel tap `tap` brings to output cell `out` along one axis, or -1 when the
// tap lands on an inserted zero or outside the input (it contributes nothing there).
inline int TransposedSource(const AxisGeometry& axis, int out, int tap) {
  const int reach = out + axis.pad_before - tap * axis.dilation;
  if (reach < 0 || reach % axis.stride != 0) return -1;
  const int in = reach / axis.stride;
  return in < axis.input ? in : -1;
}

// How many kernel taps along one axis bring a real input cell to output cell `out`.
inline int TransposedTapsAt(const AxisGeometry& axis, int out) {
  int taps = 0;
  for (int tap = 0; tap < axis.kernel; ++tap) taps += TransposedSource(axis, out, tap) >= 0 ? 1 : 0;
  return taps;
}

}  // namespace convtutor::detail
