// The step sequence: how many steps each level has, what each step shows (cell, channel, tap,
// bias, activation), the running partial value, and that any step is recomputed from its index.
#include <gtest/gtest.h>

#include <cmath>

#include "convtutor/forward.h"
#include "convtutor/generate.h"
#include "convtutor/steps.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

using testing::MakeVolume;
using testing::MustResolve;
using testing::RampVolume;

// 3-channel 5×5 ramp, two 3×3×3 filters of 1..27 (and their negatives), padding 1, stride 2:
// 3×3×2 outputs.
Scene ThreeChannelScene(bool with_bias, Activation activation) {
  FilterBank weights = FilterBank::Zeros(2, 3, 3, 3);
  for (std::size_t i = 0; i < 27; ++i) {
    weights.values[i] = static_cast<float>(i + 1);
    weights.values[27 + i] = -static_cast<float>(i + 1);
  }
  Scene scene = testing::ConvScene(RampVolume(3, 5, 5), std::move(weights));
  if (with_bias) scene.bias = {0.5f, 100.0f};
  scene.layer.activation = activation;
  scene.layer.stride = {2, 2};
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  return scene;
}

TEST(step_count, conv2d_has_one_step_per_cell_per_channel_or_per_multiply_add) {
  const Scene scene = ThreeChannelScene(true, Activation::kRelu);
  const Geometry geometry = MustResolve(scene);
  // 18 output cells; per cell: 3 channels + bias + activation, or 27 products + bias + activation.
  EXPECT_EQ(StepCount(scene, geometry, Level::kCell), 18);
  EXPECT_EQ(StepCount(scene, geometry, Level::kChannel), 18 * 5);
  EXPECT_EQ(StepCount(scene, geometry, Level::kTerm), 18 * 29);
}

TEST(step_count, conv2d_without_bias_or_activation_has_no_finishing_steps) {
  const Scene scene = ThreeChannelScene(false, Activation::kNone);
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(StepCount(scene, geometry, Level::kChannel), 18 * 3);
  EXPECT_EQ(StepCount(scene, geometry, Level::kTerm), 18 * 27);
}

TEST(step_count, pooling_has_one_step_per_window_tap_and_its_channel_level_is_the_cell_level) {
  Scene scene = testing::PoolScene(Op::kMaxPool2d, RampVolume(2, 4, 4), 2, 3);
  const Geometry geometry = MustResolve(scene);  // 2 channels × 3 × 2 outputs
  EXPECT_EQ(StepCount(scene, geometry, Level::kCell), 12);
  EXPECT_EQ(StepCount(scene, geometry, Level::kChannel), 12);
  EXPECT_EQ(StepCount(scene, geometry, Level::kTerm), 12 * 6);
}

TEST(step_order, cells_go_by_output_channel_then_row_then_column) {
  const Scene scene = ThreeChannelScene(true, Activation::kNone);
  const Geometry geometry = MustResolve(scene);
  const Step fifth = StepAt(scene, geometry, Level::kCell, 5);
  EXPECT_EQ(fifth.out_channel, 0);
  EXPECT_EQ(fifth.out_row, 1);
  EXPECT_EQ(fifth.out_col, 2);
  const Step tenth = StepAt(scene, geometry, Level::kCell, 10);
  EXPECT_EQ(tenth.out_channel, 1);
  EXPECT_EQ(tenth.out_row, 0);
  EXPECT_EQ(tenth.out_col, 1);
  EXPECT_EQ(tenth.index, 10);
  EXPECT_EQ(tenth.count, 18);
}

TEST(step_order, window_origin_is_negative_inside_the_top_left_padding) {
  const Scene scene = ThreeChannelScene(true, Activation::kNone);
  const Geometry geometry = MustResolve(scene);
  const Step first = StepAt(scene, geometry, Level::kCell, 0);
  EXPECT_EQ(first.origin_row, -1);
  EXPECT_EQ(first.origin_col, -1);
  const Step last = StepAt(scene, geometry, Level::kCell, 8);  // output (2, 2): 2·2 − 1 = 3
  EXPECT_EQ(last.origin_row, 3);
  EXPECT_EQ(last.origin_col, 3);
}

TEST(channel_level, goes_channel_by_channel_then_bias_then_activation) {
  const Scene scene = ThreeChannelScene(true, Activation::kRelu);
  const Geometry geometry = MustResolve(scene);
  // Second cell of filter 1 (cell 10): steps 50..54.
  const StepKind expected[] = {StepKind::kChannel, StepKind::kChannel, StepKind::kChannel, StepKind::kBias,
                               StepKind::kActivation};
  for (int i = 0; i < 5; ++i) {
    const Step step = StepAt(scene, geometry, Level::kChannel, 50 + i);
    EXPECT_EQ(step.kind, expected[i]) << "step " << 50 + i;
    EXPECT_EQ(step.out_channel, 1);
    EXPECT_EQ(step.out_col, 1);
    if (i < 3) {
      EXPECT_EQ(step.channel, i);
    }
  }
}

TEST(channel_level, partial_adds_one_channel_at_a_time_then_the_bias) {
  // A 2-channel 1×1 input holding 3 and 4, weights 10 and 20, bias −200, then ReLU.
  Scene scene = testing::ConvScene(MakeVolume(2, 1, 1, {3, 4}), FilterBank{1, 2, 1, 1, {10, 20}}, {-200.0f});
  scene.layer.activation = Activation::kRelu;
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 0).partial, 30.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 1).partial, 30.0f + 80.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 2).partial, 110.0f - 200.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 3).partial, 0.0f);  // relu(−90)
  EXPECT_EQ(StepAt(scene, geometry, Level::kChannel, 3).value, 0.0f);
}

TEST(term_level, visits_taps_in_channel_row_column_order) {
  const Scene scene = ThreeChannelScene(false, Activation::kNone);
  const Geometry geometry = MustResolve(scene);
  // Within the first cell, term 14 is channel 1 (14 / 9), tap 5 → row 1, column 2.
  const Step step = StepAt(scene, geometry, Level::kTerm, 14);
  EXPECT_EQ(step.kind, StepKind::kTerm);
  EXPECT_EQ(step.channel, 1);
  EXPECT_EQ(step.tap_row, 1);
  EXPECT_EQ(step.tap_col, 2);
}

TEST(term_level, partial_is_the_running_sum_and_padded_taps_leave_it_unchanged) {
  // One channel 2×2 of [1 2; 3 4], kernel 2×2 of [10 20; 30 40], padding 1: the first cell's window
  // (origin (−1, −1)) has three padded taps, then x(0,0)·40 = 40.
  Scene scene = testing::ConvScene(MakeVolume(1, 2, 2, {1, 2, 3, 4}), FilterBank{1, 1, 2, 2, {10, 20, 30, 40}});
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 0).partial, 0.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 2).partial, 0.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 3).partial, 40.0f);
  // Centre cell (1, 1), steps 16..19: 1·10, + 2·20, + 3·30, + 4·40.
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 16).partial, 10.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 17).partial, 50.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 18).partial, 140.0f);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 19).partial, 300.0f);
}

TEST(term_level, the_last_step_of_every_cell_has_partial_equal_to_value) {
  for (Activation activation : {Activation::kNone, Activation::kRelu}) {
    for (bool with_bias : {false, true}) {
      const Scene scene = ThreeChannelScene(with_bias, activation);
      const Geometry geometry = MustResolve(scene);
      for (Level level : {Level::kCell, Level::kChannel, Level::kTerm}) {
        const std::int64_t per_cell = StepCount(scene, geometry, level) / 18;
        for (std::int64_t cell = 0; cell < 18; ++cell) {
          const Step last = StepAt(scene, geometry, level, (cell + 1) * per_cell - 1);
          EXPECT_EQ(last.partial, last.value) << LevelName(level) << " cell " << cell;
        }
      }
    }
  }
}

TEST(term_level, max_pool_partial_is_nan_until_a_real_tap) {
  // [1 2; 3 4] max-pooled by 2×2, stride 2, padding 1: the first window is three padded taps, then x(0,0).
  Scene scene = testing::PoolScene(Op::kMaxPool2d, MakeVolume(1, 2, 2, {1, 2, 3, 4}), 2, 2);
  scene.layer.stride = {2, 2};
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  const Geometry geometry = MustResolve(scene);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(StepAt(scene, geometry, Level::kTerm, i).partial)) << i;
  const Step last = StepAt(scene, geometry, Level::kTerm, 3);
  EXPECT_EQ(last.partial, 1.0f);
  EXPECT_EQ(last.value, 1.0f);
  EXPECT_EQ(last.channel, 0);
}

TEST(term_level, avg_pool_partial_is_the_running_sum_over_the_final_divisor) {
  // Row [2 4 6 9] pooled by 1×4: partials 2/4, 6/4, 12/4, 21/4.
  Scene scene = testing::PoolScene(Op::kAvgPool2d, MakeVolume(1, 1, 4, {2, 4, 6, 9}), 1, 4);
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 0).partial, 2.0f / 4);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 1).partial, 6.0f / 4);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 3).partial, 21.0f / 4);
  EXPECT_EQ(StepAt(scene, geometry, Level::kTerm, 3).value, 21.0f / 4);
}

TEST(term_level, last_step_of_a_big_layer_equals_the_fast_path) {
  // 3×256×256 → 32 filters 4×4, stride 2: 32·127·127 cells of 48 multiply-adds, 24,774,144 steps.
  FillSpec fill;
  fill.integers = false;
  Scene scene = testing::ConvScene(Volume::Zeros(3, 256, 256), FilterBank::Zeros(32, 3, 4, 4));
  scene.input.values = GenerateValues(scene.input.values.size(), fill);
  fill.seed = 7;
  scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
  fill.seed = 8;
  scene.bias = GenerateValues(32, fill);
  scene.layer.stride = {2, 2};
  const Geometry geometry = MustResolve(scene);
  const std::int64_t count = StepCount(scene, geometry, Level::kTerm);
  ASSERT_EQ(count, std::int64_t{32} * 127 * 127 * 49);
  const Step last = StepAt(scene, geometry, Level::kTerm, count - 1);
  EXPECT_EQ(last.out_channel, 31);
  EXPECT_EQ(last.out_row, 126);
  EXPECT_EQ(last.out_col, 126);
  EXPECT_EQ(last.kind, StepKind::kBias);
  const float fast = Forward(scene, geometry).At(31, 126, 126);
  EXPECT_TRUE(testing::CloseEnough(last.value, fast)) << last.value << " vs " << fast;
  EXPECT_EQ(last.partial, last.value);
}

TEST(window_terms, list_every_product_with_padding_marked) {
  Scene scene = testing::ConvScene(MakeVolume(1, 2, 2, {1, 2, 3, 4}), FilterBank{1, 1, 2, 2, {10, 20, 30, 40}});
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  const Geometry geometry = MustResolve(scene);
  const std::vector<WindowTerm> terms = WindowTerms(scene, geometry, 0, 0, 0);
  ASSERT_EQ(terms.size(), 4u);
  EXPECT_TRUE(terms[0].padded);
  EXPECT_EQ(terms[0].in_row, -1);
  EXPECT_EQ(terms[0].in_col, -1);
  EXPECT_EQ(terms[0].product, 0.0f);
  EXPECT_FALSE(terms[3].padded);
  EXPECT_EQ(terms[3].input, 1.0f);
  EXPECT_EQ(terms[3].weight, 40.0f);
  EXPECT_EQ(terms[3].product, 40.0f);
}

TEST(window_terms, cover_every_channel_for_conv_and_one_channel_for_pooling) {
  const Scene conv = ThreeChannelScene(true, Activation::kNone);
  EXPECT_EQ(WindowTerms(conv, MustResolve(conv), 1, 2, 2).size(), 27u);
  const Scene pool = testing::PoolScene(Op::kMaxPool2d, RampVolume(3, 4, 4), 2, 2);
  const std::vector<WindowTerm> taps = WindowTerms(pool, MustResolve(pool), 2, 0, 0);
  ASSERT_EQ(taps.size(), 4u);
  EXPECT_EQ(taps[0].channel, 2);
  EXPECT_EQ(taps[3].input, 32.0f + 5.0f);  // channel 2 starts at 32; (1, 1) adds 4 + 1
}

TEST(levels, names_round_trip) {
  for (Level level : {Level::kCell, Level::kChannel, Level::kTerm}) {
    Level parsed = Level::kCell;
    ASSERT_TRUE(ParseLevel(LevelName(level), &parsed));
    EXPECT_EQ(parsed, level);
  }
  Level unchanged = Level::kTerm;
  EXPECT_FALSE(ParseLevel("pixel", &unchanged));
  EXPECT_EQ(unchanged, Level::kTerm);
  EXPECT_STREQ(StepKindName(StepKind::kActivation), "activation");
}

}  // namespace
}  // namespace convtutor
