// The reference layers the benchmarks time (bench_forward natively, forward_runs natively and as
// WebAssembly): a convolution scene of generated reals, seeded so every run sees the same numbers,
// and a transposed one (bench_forward only).
#pragma once

#include "convtutor/generate.h"
#include "convtutor/scene.h"

namespace convtutor::bench {

inline Scene ConvScene(int channels, int size, int filters, int kernel, int stride, PaddingMode padding) {
  Scene scene;
  scene.layer.op = Op::kConv2d;
  scene.layer.kernel = {kernel, kernel};
  scene.layer.stride = {stride, stride};
  scene.layer.padding.mode = padding;
  FillSpec fill;
  fill.integers = false;
  scene.input = Volume::Zeros(channels, size, size);
  scene.input.values = GenerateValues(scene.input.values.size(), fill);
  fill.seed = 2;
  scene.weights = FilterBank::Zeros(filters, channels, kernel, kernel);
  scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
  fill.seed = 3;
  scene.bias = GenerateValues(static_cast<std::size_t>(filters), fill);
  return scene;
}

// A decoder's upsampling step: conv_transpose2d with PyTorch's padding p on every side.
inline Scene TransposedScene(int channels, int size, int filters, int kernel, int stride, int padding) {
  Scene scene = ConvScene(channels, size, filters, kernel, stride, PaddingMode::kExplicit);
  scene.layer.op = Op::kConvTranspose2d;
  scene.layer.padding.sides = Sides{padding, padding, padding, padding};
  return scene;
}

}  // namespace convtutor::bench
