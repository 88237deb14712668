// max_pool2d and avg_pool2d at the edges, worked by hand: TensorFlow's "same" (padded cells never
// win and are never counted), PyTorch's explicit padding, count_include_pad and ceil_mode.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "convtutor/forward.h"
#include "convtutor/steps.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

using testing::CellValue;
using testing::MakeVolume;
using testing::MustResolve;
using testing::PoolScene;
using testing::RampVolume;


TEST(max_pool2d, two_by_two_stride_one_same_keeps_25_by_20) {
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(3, 25, 20), 2, 2);
  testing::SetPadding(scene, PaddingMode::kSame);
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(geometry.out_channels, 3);
  EXPECT_EQ(geometry.out_height, 25);
  EXPECT_EQ(geometry.out_width, 20);
}

TEST(max_pool2d, same_padding_never_wins_so_a_negative_maximum_stays_negative) {
  // All values negative; the bottom-right window holds x(2,2) = −1 and three padded cells.
  // Zero padding would make it 0; TensorFlow ignores the padding and keeps −1.
  Scene scene = PoolScene(Op::kMaxPool2d, MakeVolume(1, 3, 3, {-9, -8, -7, -6, -5, -4, -3, -2, -1}), 2, 2);
  testing::SetPadding(scene, PaddingMode::kSame);
  EXPECT_EQ(CellValue(scene, 0, 2, 2), -1.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 2), -4.0f);  // max(−7, −4)
  EXPECT_EQ(CellValue(scene, 0, 0, 0), -5.0f);  // max(−9, −8, −6, −5)
}

TEST(max_pool2d, explicit_padding_is_ignored_as_in_pytorch) {
  Scene scene = PoolScene(Op::kMaxPool2d, MakeVolume(1, 2, 2, {-4, -3, -2, -1}), 2, 2);
  scene.layer.stride = {2, 2};
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), -4.0f);  // only x(0,0) is real
  EXPECT_EQ(CellValue(scene, 0, 1, 1), -1.0f);  // only x(1,1) is real
}

TEST(max_pool2d, dilation_spreads_the_taps) {
  // 5×5 ramp (x = 5·row + col), 2×2 window with dilation 3: taps (0,0), (0,3), (3,0), (3,3).
  Scene scene = PoolScene(Op::kMaxPool2d, RampVolume(1, 5, 5), 2, 2);
  scene.layer.dilation = {3, 3};
  EXPECT_EQ(MustResolve(scene).out_width, 2);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 18.0f);
  EXPECT_EQ(CellValue(scene, 0, 1, 1), 24.0f);
}

TEST(max_pool2d, pools_each_channel_on_its_own) {
  Scene scene = PoolScene(Op::kMaxPool2d, MakeVolume(2, 2, 2, {1, 2, 3, 4, 40, 30, 20, 10}), 2, 2);
  EXPECT_EQ(MustResolve(scene).out_channels, 2);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 4.0f);
  EXPECT_EQ(CellValue(scene, 1, 0, 0), 40.0f);
}

TEST(avg_pool2d, same_divides_by_the_real_cells_only) {
  // 3×3 ramp 0..8, 2×2 window, same at stride 1: padding 0 before, 1 after.
  Scene scene = PoolScene(Op::kAvgPool2d, RampVolume(1, 3, 3), 2, 2);
  testing::SetPadding(scene, PaddingMode::kSame);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), (0.0f + 1 + 3 + 4) / 4);
  EXPECT_EQ(CellValue(scene, 0, 0, 2), (2.0f + 5) / 2);
  EXPECT_EQ(CellValue(scene, 0, 2, 2), 8.0f / 1);
}

TEST(avg_pool2d, explicit_padding_counts_padded_cells_by_default) {
  // Ones, 3×3 window, padding 1: the corner window holds 4 real ones among 9 cells.
  Scene scene = PoolScene(Op::kAvgPool2d, testing::FilledVolume(1, 3, 3, 1.0f), 3, 3);
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 4.0f / 9);
  EXPECT_EQ(CellValue(scene, 0, 0, 1), 6.0f / 9);
  EXPECT_EQ(CellValue(scene, 0, 1, 1), 1.0f);
}

TEST(avg_pool2d, count_include_pad_false_divides_by_the_real_cells) {
  Scene scene = PoolScene(Op::kAvgPool2d, testing::FilledVolume(1, 3, 3, 1.0f), 3, 3);
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  scene.layer.count_include_pad = false;
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 1.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 1), 1.0f);
}

// A row [1 2 3 4 5 6], window 3, stride 2, padding 1 per side, ceil_mode: windows start at
// −1, 1, 3 and 5. The last covers x(5) = 6, one cell of right padding, and one cell past it.
Scene CeilRow() {
  Scene scene = PoolScene(Op::kAvgPool2d, MakeVolume(1, 1, 6, {1, 2, 3, 4, 5, 6}), 1, 3);
  scene.layer.stride = {1, 2};
  testing::SetExplicitPadding(scene, 0, 0, 1, 1);
  scene.layer.ceil_mode = true;
  return scene;
}

TEST(avg_pool2d, ceil_mode_divides_the_last_window_by_its_part_inside_input_and_padding) {
  const Scene scene = CeilRow();
  EXPECT_EQ(MustResolve(scene).out_width, 4);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), (0.0f + 1 + 2) / 3);  // padding counted
  EXPECT_EQ(CellValue(scene, 0, 0, 1), (2.0f + 3 + 4) / 3);
  // The cell past the padding is not counted: 6 and one pad cell, divided by 2 (PyTorch's rule).
  EXPECT_EQ(CellValue(scene, 0, 0, 3), 6.0f / 2);
}

TEST(avg_pool2d, ceil_mode_without_count_include_pad_divides_by_real_cells_only) {
  Scene scene = CeilRow();
  scene.layer.count_include_pad = false;
  EXPECT_EQ(CellValue(scene, 0, 0, 0), (1.0f + 2) / 2);
  EXPECT_EQ(CellValue(scene, 0, 0, 3), 6.0f / 1);
}

TEST(max_pool2d, ceil_mode_drops_a_window_that_would_start_in_the_padding) {
  // Row of 5, window 2, stride 2, padding 1: windows start at −1, 1, 3; a 4th would start at 5, which
  // is padding, so PyTorch drops it: 3 outputs, the last being max(x(3), x(4)).
  Scene scene = PoolScene(Op::kMaxPool2d, MakeVolume(1, 1, 5, {1, 9, 2, 8, 3}), 1, 2);
  scene.layer.stride = {1, 2};
  testing::SetExplicitPadding(scene, 0, 0, 1, 1);
  scene.layer.ceil_mode = true;
  EXPECT_EQ(MustResolve(scene).out_width, 3);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 1.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 1), 9.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 2), 8.0f);
}

TEST(max_pool2d, ceil_mode_keeps_a_short_last_window_over_real_cells) {
  // Row of 5, window 2, stride 2, no padding: ceil gives a 3rd window holding only x(4).
  Scene scene = PoolScene(Op::kMaxPool2d, MakeVolume(1, 1, 5, {1, 9, 2, 8, 3}), 1, 2);
  scene.layer.stride = {1, 2};
  scene.layer.ceil_mode = true;
  EXPECT_EQ(MustResolve(scene).out_width, 3);
  EXPECT_EQ(CellValue(scene, 0, 0, 2), 3.0f);
}

TEST(max_pool2d, a_window_that_sees_only_padding_gives_minus_infinity_as_pytorch_does) {
  // Row of 2, window 2 with dilation 3 (taps 3 apart), padding 1: the only window reads x(−1) and x(2).
  Scene scene = PoolScene(Op::kMaxPool2d, MakeVolume(1, 1, 2, {5, 6}), 1, 2);
  scene.layer.dilation = {1, 3};
  testing::SetExplicitPadding(scene, 0, 0, 1, 1);
  EXPECT_EQ(MustResolve(scene).out_width, 1);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), -std::numeric_limits<float>::infinity());
}

}  // namespace
}  // namespace convtutor
