// conv_transpose2d read as a gather, shared by geometry, the step path and their tests: along one
// axis, output cell `out` takes kernel tap `tap` from the input cell i with i·s = out + p − tap·d.
// (Equivalently: a stride-1 window of the flipped kernel over the zero-inserted, padded input.)
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>

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

// How many kernel taps along one axis bring a real input cell to output cell `out`, counted
// without visiting them (a kernel may be hundreds of thousands of taps wide): the taps t with
// 0 ≤ out + p − t·d ≤ (input − 1)·s form a range, and those with t·d ≡ out + p (mod s) in it are
// every (s / gcd(d, s))-th one from the first.
inline int TransposedTapsAt(const AxisGeometry& axis, int out) {
  const std::int64_t reach = std::int64_t{out} + axis.pad_before;
  const std::int64_t d = axis.dilation, s = axis.stride;
  if (reach < 0 || axis.input < 1 || axis.kernel < 1) return 0;
  const std::int64_t farthest = reach - (std::int64_t{axis.input} - 1) * s;  // t·d must reach down to here
  const std::int64_t lowest = farthest <= 0 ? 0 : (farthest + d - 1) / d;
  const std::int64_t highest = std::min<std::int64_t>(axis.kernel - 1, reach / d);
  if (lowest > highest) return 0;
  const std::int64_t g = std::gcd(d, s);
  if (reach % g != 0) return 0;
  // t ≡ (reach / g) · (d / g)⁻¹ (mod s / g): the inverse by the extended Euclidean algorithm.
  const std::int64_t period = s / g;
  std::int64_t r0 = (d / g) % period, r1 = period, x0 = 1, x1 = 0;
  while (r1 != 0) {
    const std::int64_t q = r0 / r1;
    r0 = std::exchange(r1, r0 - q * r1);
    x0 = std::exchange(x1, x0 - q * x1);
  }
  const std::int64_t inverse = (x0 % period + period) % period;
  const std::int64_t residue = (reach / g) % period * inverse % period;
  const std::int64_t first = lowest + ((residue - lowest) % period + period) % period;
  return first > highest ? 0 : static_cast<int>((highest - first) / period + 1);
}

}  // namespace convtutor::detail
