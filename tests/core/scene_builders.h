// Small helpers the core test suites share to build scenes (and model summaries) from literal
// numbers, so each test states its layer in one or two lines and keeps its hand-worked arithmetic
// in view.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "convtutor/forward.h"
#include "convtutor/geometry.h"
#include "convtutor/model.h"
#include "convtutor/scene.h"
#include "convtutor/steps.h"

namespace convtutor::testing {

inline Volume MakeVolume(int channels, int height, int width, std::vector<float> values) {
  return Volume{channels, height, width, std::move(values)};
}

// 0, 1, 2, ... in C×H×W order (a ramp is easy to work by hand).
inline Volume RampVolume(int channels, int height, int width) {
  Volume volume = Volume::Zeros(channels, height, width);
  for (std::size_t i = 0; i < volume.values.size(); ++i) volume.values[i] = static_cast<float>(i);
  return volume;
}

inline Volume FilledVolume(int channels, int height, int width, float value) {
  Volume volume = Volume::Zeros(channels, height, width);
  for (float& cell : volume.values) cell = value;
  return volume;
}

inline Scene ConvScene(Volume input, FilterBank weights, std::vector<float> bias = {}) {
  Scene scene;
  scene.layer.op = Op::kConv2d;
  scene.layer.kernel = {weights.height, weights.width};
  scene.input = std::move(input);
  scene.weights = std::move(weights);
  scene.bias = std::move(bias);
  return scene;
}

inline Scene PoolScene(Op op, Volume input, int kernel_rows, int kernel_cols) {
  Scene scene;
  scene.layer.op = op;
  scene.layer.kernel = {kernel_rows, kernel_cols};
  scene.input = std::move(input);
  return scene;
}

inline void SetPadding(Scene& scene, PaddingMode mode) { scene.layer.padding.mode = mode; }

inline void SetExplicitPadding(Scene& scene, int top, int bottom, int left, int right) {
  scene.layer.padding.mode = PaddingMode::kExplicit;
  scene.layer.padding.sides = Sides{top, bottom, left, right};
}

// Resolves a scene the test expects to be valid; a failure shows the core's own message.
inline Geometry MustResolve(const Scene& scene) {
  Result<Geometry> geometry = ResolveGeometry(scene);
  if (!geometry) throw std::runtime_error(geometry.error().ToString());
  return geometry.value();
}

// Summarises model code the test expects to be valid; a failure shows the core's own message.
inline lessons::ModelSummary MustSummarize(std::string_view text) {
  Result<lessons::ModelSummary> summary = lessons::SummarizeModel(text);
  if (!summary) throw std::runtime_error(summary.error().ToString());
  return summary.value();
}

// One output cell by both paths, the fast whole layer and the step sequence, which must agree
// exactly on the small integer sums of hand-worked tests.
inline float CellValue(const Scene& scene, int channel, int row, int col) {
  const Geometry geometry = MustResolve(scene);
  const float fast = Forward(scene, geometry).At(channel, row, col);
  const std::int64_t cell = (std::int64_t{channel} * geometry.out_height + row) * geometry.out_width + col;
  const float stepped = StepAt(scene, geometry, Level::kCell, cell).value;
  EXPECT_EQ(fast, stepped) << "Forward and StepAt disagree at (" << channel << ", " << row << ", " << col << ")";
  return fast;
}

// Forward and the step path sum in different orders: allow float rounding, relative to the size.
inline bool CloseEnough(float actual, float expected) {
  if (std::isnan(actual) || std::isnan(expected)) return std::isnan(actual) && std::isnan(expected);
  if (std::isinf(actual) || std::isinf(expected)) return actual == expected;
  const float scale = std::fabs(expected) > 1.0f ? std::fabs(expected) : 1.0f;
  return std::fabs(actual - expected) <= 1e-4f * scale;
}

}  // namespace convtutor::testing
