// Grouped and transposed convolutions in the core: hand-worked outputs and derivations, the step
// sequence (a transposed convolution's term is one product that contributes), and the fast path
// held to the step path on random scenes.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "convtutor/forward.h"
#include "convtutor/steps.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

using testing::MakeVolume;
using testing::MustResolve;

// conv_transpose2d with the scene's weights O×(C/groups)×kh×kw and PyTorch's padding p.
Scene TransposedScene(Volume input, FilterBank weights, Size2 stride, Size2 padding = {0, 0}) {
  Scene scene = testing::ConvScene(std::move(input), std::move(weights));
  scene.layer.op = Op::kConvTranspose2d;
  scene.layer.stride = stride;
  testing::SetExplicitPadding(scene, padding.rows, padding.rows, padding.cols, padding.cols);
  return scene;
}

// Input [1, 10] under the kernel [1, 2, 3] at stride 2.
Scene ScatterScene(Size2 padding = {0, 0}) {
  return TransposedScene(MakeVolume(1, 1, 2, {1, 10}), FilterBank{1, 1, 1, 3, {1, 2, 3}}, {1, 2}, padding);
}

TEST(conv_transpose, a_stride_2_kernel_3_output_overlaps_where_two_inputs_scatter_into_one_cell) {
  // 1·[1, 2, 3] lands on columns 0..2, 10·[1, 2, 3] on columns 2..4: column 2 gets 3 + 10.
  const Scene scene = ScatterScene();
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(geometry.out_width, 5);
  EXPECT_EQ(Forward(scene, geometry).values, (std::vector<float>{1, 2, 13, 20, 30}));
  EXPECT_EQ(testing::CellValue(scene, 0, 0, 2), 13.0f);
}

TEST(conv_transpose, padding_crops_the_scattered_output_on_both_sides) {
  const Scene scene = ScatterScene({0, 1});  // [1, 2, 13, 20, 30] without its first and last column
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(Forward(scene, geometry).values, (std::vector<float>{2, 13, 20}));
  EXPECT_EQ(testing::CellValue(scene, 0, 0, 0), 2.0f);
}

TEST(conv_transpose, the_derivation_fills_the_learners_numbers_into_the_output_size_formula) {
  Scene scene = TransposedScene(MakeVolume(1, 5, 5, std::vector<float>(25, 1.0f)), FilterBank::Zeros(1, 1, 3, 3),
                                {2, 2}, {1, 1});
  scene.layer.output_padding = {1, 1};
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(geometry.rows.formula, "(5 \u2212 1)\u00B72 \u2212 2\u00B71 + 1\u00B7(3 \u2212 1) + 1 + 1 = 10");
  EXPECT_EQ(geometry.out_height, 10);
  EXPECT_NE(geometry.rows.explanation.find("1 zero between input rows (9 cells)"), std::string::npos)
      << geometry.rows.explanation;
}

TEST(conv_transpose, term_steps_are_only_the_products_that_contribute_in_tap_order) {
  // Column 0: 1·1; column 1: 1·2; column 2: tap 0 reads input 1 (10·1), tap 2 reads input 0 (1·3);
  // column 3: 10·2; column 4: 10·3. Six steps, no padded or zero-inserted taps among them.
  const Scene scene = ScatterScene();
  const Geometry geometry = MustResolve(scene);
  ASSERT_EQ(StepCount(scene, geometry, Level::kTerm), 6);
  EXPECT_EQ(geometry.multiply_adds, 6);
  const Step first_in_middle = StepAt(scene, geometry, Level::kTerm, 2);
  EXPECT_EQ(first_in_middle.out_col, 2);
  EXPECT_EQ(first_in_middle.tap_col, 0);
  EXPECT_EQ(first_in_middle.partial, 10.0f);
  const Step second_in_middle = StepAt(scene, geometry, Level::kTerm, 3);
  EXPECT_EQ(second_in_middle.tap_col, 2);
  EXPECT_EQ(second_in_middle.partial, 13.0f);
  EXPECT_EQ(second_in_middle.origin_col, 0);  // the zero-inserted [1, 0, 10]: 2 + 0 − (3 − 1)
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 5).out_col, 4);
}

TEST(conv_transpose, a_cell_no_input_reaches_still_has_one_step_and_its_value_is_the_bias) {
  // Kernel 1, stride 2, output_padding 1: [1, 0, 10, 0]; columns 1 and 3 are inserted zeros.
  Scene scene = TransposedScene(MakeVolume(1, 1, 2, {1, 10}), FilterBank{1, 1, 1, 1, {1}}, {1, 2});
  scene.layer.output_padding = {0, 1};
  Geometry geometry = MustResolve(scene);
  ASSERT_EQ(geometry.out_width, 4);
  ASSERT_EQ(StepCount(scene, geometry, Level::kTerm), 4);  // 2 products, 2 empty cells
  const Step empty = StepAt(scene, geometry, Level::kTerm, 3);
  EXPECT_EQ(empty.kind, StepKind::kCell);
  EXPECT_EQ(empty.out_col, 3);
  EXPECT_EQ(empty.value, 0.0f);
  scene.bias = {0.5f};
  geometry = MustResolve(scene);
  ASSERT_EQ(StepCount(scene, geometry, Level::kTerm), 6);  // each cell's bias step; no empty steps
  const Step bias_only = StepAt(scene, geometry, Level::kTerm, 2);
  EXPECT_EQ(bias_only.kind, StepKind::kBias);
  EXPECT_EQ(bias_only.out_col, 1);
  EXPECT_EQ(bias_only.value, 0.5f);
}

TEST(grouped_conv, each_filter_sums_only_the_input_channels_of_its_group) {
  // Channels 1, 2, 3, 4 (1×1 each), two groups of two: filter 0 = 1 + 2, filter 1 = 3·10 + 4·10.
  Scene scene = testing::ConvScene(MakeVolume(4, 1, 1, {1, 2, 3, 4}), FilterBank{2, 2, 1, 1, {1, 1, 10, 10}});
  scene.layer.groups = 2;
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(testing::CellValue(scene, 0, 0, 0), 3.0f);
  EXPECT_EQ(testing::CellValue(scene, 1, 0, 0), 70.0f);
  EXPECT_EQ(geometry.parameters, 4);
  EXPECT_EQ(geometry.multiply_adds, 4);  // 2 cells × 2 channels each
  // The channel level runs over the group only: filter 1's steps are input channels 2 and 3.
  ASSERT_EQ(StepCount(scene, geometry, Level::kChannel), 4);
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 2).channel, 2);
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 3).channel, 3);
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 3).partial, 70.0f);
}

TEST(grouped_conv, depthwise_filters_each_see_one_channel) {
  Scene scene = testing::ConvScene(MakeVolume(3, 1, 2, {1, 2, 3, 4, 5, 6}), FilterBank{3, 1, 1, 1, {1, 2, 3}});
  scene.layer.groups = 3;
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(Forward(scene, geometry).values, (std::vector<float>{1, 2, 6, 8, 15, 18}));
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 5).channel, 2);
  EXPECT_EQ(WindowTerms(scene, geometry, 2, 0, 1).size(), 1u);
}

TEST(grouped_conv, groups_that_do_not_divide_the_channels_are_refused_naming_groups) {
  Scene scene = testing::ConvScene(MakeVolume(3, 1, 1, {1, 2, 3}), FilterBank{2, 1, 1, 1, {1, 1}});
  scene.layer.groups = 2;
  const Result<Geometry> geometry = ResolveGeometry(scene);
  ASSERT_FALSE(geometry);
  EXPECT_EQ(geometry.error().field, "groups");
}

TEST(conv_transpose, the_last_term_step_of_a_large_layer_is_found_without_walking_the_cells_before_it) {
  // 4×64×64 input, 8 filters 3×3 in 2 groups, stride 2, padding 1, output_padding 1: 128×128 per map.
  // Worked here in the scatter view: the last cell (7, 127, 127) is reached by input (63, 63) through
  // tap (2, 2) only (63·2 − 1 + 2 = 127), from the second group's channels 2 and 3.
  Volume input = Volume::Zeros(4, 64, 64);
  for (std::size_t i = 0; i < input.values.size(); ++i) input.values[i] = static_cast<float>(i % 7) - 3.0f;
  FilterBank weights = FilterBank::Zeros(8, 2, 3, 3);
  for (std::size_t i = 0; i < weights.values.size(); ++i) weights.values[i] = static_cast<float>(i % 5) - 2.0f;
  Scene scene = TransposedScene(input, weights, {2, 2}, {1, 1});
  scene.layer.groups = 2;
  scene.layer.output_padding = {1, 1};
  const Geometry geometry = MustResolve(scene);
  ASSERT_EQ(geometry.out_height, 128);
  const std::int64_t steps = StepCount(scene, geometry, Level::kTerm);
  const Step last = StepAt(scene, geometry, Level::kTerm, steps - 1);
  const float expected = input.At(2, 63, 63) * weights.At(7, 0, 2, 2) + input.At(3, 63, 63) * weights.At(7, 1, 2, 2);
  EXPECT_EQ(last.out_channel, 7);
  EXPECT_EQ(last.out_row, 127);
  EXPECT_EQ(last.out_col, 127);
  EXPECT_EQ(last.channel, 3);
  EXPECT_EQ(last.value, expected);
  EXPECT_EQ(Forward(scene, geometry).At(7, 127, 127), expected);
}

// Random scenes of both operations: the fast path's scatter (or grouped loop) against StepAt's
// gather, every cell at the cell level and every term step in order at the term level.
Scene RandomScene(std::mt19937& random, bool transposed) {
  const auto pick = [&random](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  const int groups = pick(1, 3);
  const int channels = groups * pick(1, 2), filters = groups * pick(1, 2);
  Volume input = Volume::Zeros(channels, pick(1, 6), pick(1, 6));
  FilterBank weights = FilterBank::Zeros(filters, channels / groups, pick(1, 3), pick(1, 3));
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  for (float& cell : input.values) cell = value(random);
  for (float& weight : weights.values) weight = value(random);
  Scene scene = testing::ConvScene(std::move(input), std::move(weights));
  scene.layer.op = transposed ? Op::kConvTranspose2d : Op::kConv2d;
  scene.layer.groups = groups;
  scene.layer.stride = {pick(1, 3), pick(1, 3)};
  scene.layer.dilation = {pick(1, 2), pick(1, 2)};
  // A transposed layer's padding crops its output, also by more than a kernel's width.
  const int pad_rows = pick(0, transposed ? 3 : 1), pad_cols = pick(0, transposed ? 3 : 1);
  testing::SetExplicitPadding(scene, pad_rows, pad_rows, pad_cols, pad_cols);
  if (transposed) {
    scene.layer.output_padding = {pick(0, scene.layer.stride.rows - 1), pick(0, scene.layer.stride.cols - 1)};
  }
  if (pick(0, 1) == 1) scene.bias.assign(static_cast<std::size_t>(filters), value(random));
  if (pick(0, 3) == 0) scene.layer.activation = Activation::kRelu;
  return scene;
}

// Calls check(scene, geometry) on up to `wanted` random scenes that resolve, conv2d and
// conv_transpose2d in turn, drawn from `seed`; returns how many it checked.
template <typename Check>
int CheckRandomScenes(std::uint32_t seed, int wanted, Check check) {
  std::mt19937 random(seed);
  int scenes = 0;
  for (int attempt = 0; attempt < 4 * wanted && scenes < wanted; ++attempt) {
    const Scene scene = RandomScene(random, attempt % 2 == 1);
    const Result<Geometry> resolved = ResolveGeometry(scene);
    if (!resolved) continue;  // e.g. a window larger than the padded input
    ++scenes;
    check(scene, resolved.value());
  }
  return scenes;
}

TEST(grouped_and_transposed, forward_agrees_with_every_step_on_random_scenes) {
  const int scenes = CheckRandomScenes(20261201, 120, [](const Scene& scene, const Geometry& geometry) {
    const Volume fast = Forward(scene, geometry);
    const std::int64_t cells = StepCount(scene, geometry, Level::kCell);
    ASSERT_EQ(cells, static_cast<std::int64_t>(fast.values.size()));
    for (std::int64_t i = 0; i < cells; ++i) {
      EXPECT_TRUE(testing::CloseEnough(StepAt(scene, geometry, Level::kCell, i).value, fast.values[static_cast<std::size_t>(i)]))
          << "cell " << i;
    }
    // Term steps visit the cells in order, each at least once, ending on the cell's value; the
    // products among them are exactly the multiply-adds the geometry counts.
    const std::int64_t terms = StepCount(scene, geometry, Level::kTerm);
    std::int64_t products = 0, cell = -1;
    for (std::int64_t i = 0; i < terms; ++i) {
      const Step step = StepAt(scene, geometry, Level::kTerm, i);
      const std::int64_t here = (std::int64_t{step.out_channel} * geometry.out_height + step.out_row) * geometry.out_width +
                                step.out_col;
      ASSERT_TRUE(here == cell || here == cell + 1) << "step " << i << " jumps from cell " << cell << " to " << here;
      cell = here;
      if (step.kind == StepKind::kTerm) ++products;
      const bool last_of_cell = i + 1 == terms || [&] {
        const Step next = StepAt(scene, geometry, Level::kTerm, i + 1);
        return next.out_channel != step.out_channel || next.out_row != step.out_row || next.out_col != step.out_col;
      }();
      if (last_of_cell) {
        EXPECT_EQ(step.partial, step.value) << "step " << i;
        EXPECT_TRUE(testing::CloseEnough(step.value, fast.values[static_cast<std::size_t>(here)])) << "step " << i;
      }
    }
    EXPECT_EQ(cell, cells - 1);
    EXPECT_EQ(products, geometry.multiply_adds);
  });
  EXPECT_GE(scenes, 100);
}

TEST(channel_steps, are_the_channel_level_steps_of_each_cell_as_step_at_gives_them) {
  const int scenes = CheckRandomScenes(20261209, 60, [](const Scene& scene, const Geometry& geometry) {
    const std::int64_t cells = StepCount(scene, geometry, Level::kCell);
    const std::int64_t per_cell = StepCount(scene, geometry, Level::kChannel) / cells;
    for (std::int64_t cell = 0; cell < cells; ++cell) {
      const std::vector<Step> steps = ChannelSteps(scene, geometry, cell);
      ASSERT_EQ(static_cast<std::int64_t>(steps.size()), per_cell);
      for (std::int64_t i = 0; i < per_cell; ++i) {
        const Step expected = StepAt(scene, geometry, Level::kChannel, cell * per_cell + i);
        const Step& got = steps[static_cast<std::size_t>(i)];
        ASSERT_EQ(got.index, expected.index);
        ASSERT_EQ(got.count, expected.count);
        ASSERT_EQ(got.kind, expected.kind) << "step " << expected.index;
        ASSERT_EQ(got.tap_row, expected.tap_row);
        ASSERT_EQ(got.tap_col, expected.tap_col);
        ASSERT_EQ(got.channel, expected.channel) << "step " << expected.index;
        ASSERT_EQ(got.out_channel, expected.out_channel);
        ASSERT_EQ(got.out_row, expected.out_row);
        ASSERT_EQ(got.out_col, expected.out_col);
        ASSERT_EQ(got.origin_row, expected.origin_row);
        ASSERT_EQ(got.origin_col, expected.origin_col);
        // The same additions in the same order: the same bits.
        ASSERT_EQ(std::memcmp(&got.partial, &expected.partial, sizeof(float)), 0) << "step " << expected.index;
        ASSERT_EQ(std::memcmp(&got.value, &expected.value, sizeof(float)), 0) << "step " << expected.index;
      }
    }
  });
  EXPECT_GE(scenes, 50);
}

// Forward's every cell against StepAt's at the cell level; `what` names the shape in a failure.
void ExpectEveryCellAsTheStepsGiveIt(const Scene& scene, const std::string& what) {
  const Geometry geometry = MustResolve(scene);
  const Volume fast = Forward(scene, geometry);
  const std::int64_t cells = StepCount(scene, geometry, Level::kCell);
  ASSERT_EQ(cells, static_cast<std::int64_t>(fast.values.size()));
  for (std::int64_t i = 0; i < cells; ++i) {
    ASSERT_TRUE(testing::CloseEnough(StepAt(scene, geometry, Level::kCell, i).value, fast.values[static_cast<std::size_t>(i)]))
        << what << ", cell " << i;
  }
}

// A random bias per filter and a ReLU after it.
void AddBiasAndRelu(Scene& scene, std::mt19937& random) {
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  scene.bias.resize(static_cast<std::size_t>(scene.weights.filters));
  for (float& bias : scene.bias) bias = value(random);
  scene.layer.activation = Activation::kRelu;
}

// Groups large enough for the fast path's tiles (and, with 16 channels and filters a group of 3×3
// at stride 1, for Winograd's algorithm), with padding, bias and ReLU: every cell against StepAt.
TEST(grouped_conv, groups_large_enough_for_the_fast_path_agree_with_every_step) {
  std::mt19937 random(20261207);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  struct Case {
    int groups, channels_per_group, filters_per_group, size, kernel, stride;
  };
  for (const Case& shape : {Case{2, 16, 16, 21, 3, 1}, Case{12, 1, 2, 37, 3, 2}, Case{3, 4, 8, 19, 4, 1}}) {
    Volume input = Volume::Zeros(shape.groups * shape.channels_per_group, shape.size, shape.size);
    FilterBank weights = FilterBank::Zeros(shape.groups * shape.filters_per_group, shape.channels_per_group,
                                           shape.kernel, shape.kernel);
    for (float& cell : input.values) cell = value(random);
    for (float& weight : weights.values) weight = value(random);
    Scene scene = testing::ConvScene(std::move(input), std::move(weights));
    scene.layer.groups = shape.groups;
    scene.layer.stride = {shape.stride, shape.stride};
    testing::SetExplicitPadding(scene, 1, 1, 1, 1);
    AddBiasAndRelu(scene, random);
    ExpectEveryCellAsTheStepsGiveIt(scene, std::to_string(shape.groups) + " groups");
  }
}

// Transposed layers large enough for the fast path, which runs each output phase (the cells that
// take the same taps) as a stride-1 convolution: sub-kernels of 3×3 over 16 channels (Winograd's
// algorithm), output_padding, dilation sharing a factor with the stride (phases no tap reaches hold
// the bias alone), padding wider than the kernel (cropping), unequal strides and groups. Every cell
// against StepAt's gather.
TEST(conv_transpose, layers_large_enough_for_the_fast_path_agree_with_every_step) {
  std::mt19937 random(20261208);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  struct Case {
    int channels, filters, groups, size, kernel;
    Size2 stride, dilation;
    int padding;
    Size2 output_padding;
    bool bias_and_relu;
  };
  const Case cases[] = {
      {16, 16, 1, 9, 6, {2, 2}, {1, 1}, 2, {0, 0}, true},
      {8, 12, 1, 11, 4, {2, 2}, {1, 1}, 1, {1, 1}, false},
      {6, 6, 3, 7, 3, {2, 2}, {2, 2}, 1, {1, 0}, true},
      {4, 8, 1, 5, 3, {3, 3}, {1, 1}, 4, {2, 1}, true},
      {16, 16, 1, 10, 3, {1, 1}, {1, 1}, 0, {0, 0}, true},
      {6, 4, 2, 8, 5, {1, 3}, {1, 2}, 2, {0, 1}, false},
  };
  for (const Case& shape : cases) {
    Volume input = Volume::Zeros(shape.channels, shape.size, shape.size);
    FilterBank weights = FilterBank::Zeros(shape.filters, shape.channels / shape.groups, shape.kernel, shape.kernel);
    for (float& cell : input.values) cell = value(random);
    for (float& weight : weights.values) weight = value(random);
    Scene scene = TransposedScene(std::move(input), std::move(weights), shape.stride, {shape.padding, shape.padding});
    scene.layer.groups = shape.groups;
    scene.layer.dilation = shape.dilation;
    scene.layer.output_padding = shape.output_padding;
    if (shape.bias_and_relu) AddBiasAndRelu(scene, random);
    ExpectEveryCellAsTheStepsGiveIt(scene, "kernel " + std::to_string(shape.kernel) + ", stride " +
                                               std::to_string(shape.stride.rows) + "×" + std::to_string(shape.stride.cols));
  }
}

}  // namespace
}  // namespace convtutor
