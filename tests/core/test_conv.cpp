// conv2d worked by hand: each expected number below is written out as the products a learner
// would add up, and both the fast path (Forward) and the step path (StepAt) must produce it.
#include <gtest/gtest.h>

#include "convtutor/forward.h"
#include "convtutor/steps.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

using testing::CellValue;
using testing::ConvScene;
using testing::MakeVolume;
using testing::MustResolve;
using testing::RampVolume;

FilterBank MakeFilters(int filters, int channels, int height, int width, std::vector<float> values) {
  return FilterBank{filters, channels, height, width, std::move(values)};
}


// The classic picture: a 5×5×3 input, padding 1, two 3×3×3 filters, stride 2.
Scene ClassicScene() {
  Volume input = MakeVolume(3, 5, 5, {
      // channel 0: 5·row + col
      0, 1, 2, 3, 4,  5, 6, 7, 8, 9,  10, 11, 12, 13, 14,  15, 16, 17, 18, 19,  20, 21, 22, 23, 24,
      // channel 1: all ones
      1, 1, 1, 1, 1,  1, 1, 1, 1, 1,  1, 1, 1, 1, 1,  1, 1, 1, 1, 1,  1, 1, 1, 1, 1,
      // channel 2: a checkerboard, +1 where row + col is even
      1, -1, 1, -1, 1,  -1, 1, -1, 1, -1,  1, -1, 1, -1, 1,  -1, 1, -1, 1, -1,  1, -1, 1, -1, 1});
  FilterBank weights = MakeFilters(2, 3, 3, 3, {
      // filter 0: a diagonal, a centre 2, a cross
      1, 0, 0,  0, 1, 0,  0, 0, 1,
      0, 0, 0,  0, 2, 0,  0, 0, 0,
      0, 1, 0,  1, 0, 1,  0, 1, 0,
      // filter 1: all ones, a vertical edge detector, all minus ones
      1, 1, 1,  1, 1, 1,  1, 1, 1,
      -1, -1, -1,  0, 0, 0,  1, 1, 1,
      -1, -1, -1,  -1, -1, -1,  -1, -1, -1});
  Scene scene = ConvScene(std::move(input), std::move(weights), {1.0f, -1.0f});
  scene.layer.stride = {2, 2};
  testing::SetExplicitPadding(scene, 1, 1, 1, 1);
  return scene;
}

TEST(conv2d, five_by_five_by_three_padded_by_one_with_two_filters_at_stride_two_gives_3x3x2) {
  const Geometry geometry = MustResolve(ClassicScene());
  EXPECT_EQ(geometry.out_channels, 2);
  EXPECT_EQ(geometry.out_height, 3);
  EXPECT_EQ(geometry.out_width, 3);
}

TEST(conv2d, corner_cell_of_the_classic_example_adds_only_real_cells) {
  // Filter 0 at output (0, 0): the window's origin is (−1, −1), so tap (ky, kx) reads input (ky − 1, kx − 1).
  //   channel 0, diagonal: tap (1,1)·x(0,0) + tap (2,2)·x(1,1) = 1·0 + 1·6 = 6   (tap (0,0) is padding)
  //   channel 1, centre 2: 2·x(0,0) = 2·1 = 2
  //   channel 2, cross:    taps (1,2)·x(0,1) + (2,1)·x(1,0) = −1 + −1 = −2   (the other two are padding)
  //   bias 1:              6 + 2 − 2 + 1 = 7
  EXPECT_EQ(CellValue(ClassicScene(), 0, 0, 0), 7.0f);
}

TEST(conv2d, centre_cell_of_the_classic_example_sums_all_27_products) {
  // Filter 1 at output (1, 1): origin (1, 1), input rows 1..3 and cols 1..3, no padding.
  //   channel 0, all ones: (5 + 6 + ... ) row sums 21 + 36 + 51 = 108
  //   channel 1, edge:     −(1 + 1 + 1) + (1 + 1 + 1) = 0
  //   channel 2, minus ones: −(five +1 cells and four −1 cells) = −1
  //   bias −1:             108 + 0 − 1 − 1 = 106
  EXPECT_EQ(CellValue(ClassicScene(), 1, 1, 1), 106.0f);
}

TEST(conv2d, same_with_an_even_kernel_pads_only_the_bottom_and_right) {
  // 4×4 ramp (x = 4·row + col), 2×2 ones, same at stride 1: 0 before, 1 after.
  Scene scene = ConvScene(RampVolume(1, 4, 4), MakeFilters(1, 1, 2, 2, {1, 1, 1, 1}));
  testing::SetPadding(scene, PaddingMode::kSame);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 0.0f + 1.0f + 4.0f + 5.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 3), 3.0f + 7.0f);
  EXPECT_EQ(CellValue(scene, 0, 3, 3), 15.0f);
}

TEST(conv2d, full_padding_lets_the_kernel_hang_off_both_ends) {
  // Row [1, 2, 3], kernel [1, 10], full: output j = 1·x(j − 1) + 10·x(j).
  Scene scene = ConvScene(MakeVolume(1, 1, 3, {1, 2, 3}), MakeFilters(1, 1, 1, 2, {1, 10}));
  testing::SetPadding(scene, PaddingMode::kFull);
  EXPECT_EQ(MustResolve(scene).out_width, 4);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 10.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 1), 1.0f + 20.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 2), 2.0f + 30.0f);
  EXPECT_EQ(CellValue(scene, 0, 0, 3), 3.0f);
}

TEST(conv2d, dilation_skips_cells_between_taps) {
  // 5×5 ramp (x = 5·row + col), kernel [[1, 2], [3, 4]] with dilation 2: taps 2 cells apart.
  Scene scene = ConvScene(RampVolume(1, 5, 5), MakeFilters(1, 1, 2, 2, {1, 2, 3, 4}));
  scene.layer.dilation = {2, 2};
  EXPECT_EQ(MustResolve(scene).out_height, 3);
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 1.0f * 0 + 2.0f * 2 + 3.0f * 10 + 4.0f * 12);
  EXPECT_EQ(CellValue(scene, 0, 2, 2), 1.0f * 12 + 2.0f * 14 + 3.0f * 22 + 4.0f * 24);
}

TEST(conv2d, stride_may_differ_between_rows_and_columns) {
  // 4×6 ramp (x = 6·row + col), 1×1 kernel of 1: output picks every 3rd row and 2nd column.
  Scene scene = ConvScene(RampVolume(1, 4, 6), MakeFilters(1, 1, 1, 1, {1}));
  scene.layer.stride = {3, 2};
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(geometry.out_height, 2);
  EXPECT_EQ(geometry.out_width, 3);
  EXPECT_EQ(CellValue(scene, 0, 1, 2), 3.0f * 6 + 4.0f);
}

TEST(conv2d, relu_turns_negative_sums_into_zero_and_keeps_positive_ones) {
  Scene scene = ConvScene(MakeVolume(1, 1, 2, {-3, 5}), MakeFilters(1, 1, 1, 1, {1}), {1.0f});
  scene.layer.activation = Activation::kRelu;
  EXPECT_EQ(CellValue(scene, 0, 0, 0), 0.0f);  // −3 + 1 = −2 → 0
  EXPECT_EQ(CellValue(scene, 0, 0, 1), 6.0f);  // 5 + 1
}

TEST(conv2d, each_filter_makes_one_output_channel_across_all_input_channels) {
  // Two channels of ones, three 1×1 filters: output channel o is w(o,0) + w(o,1). 32 filters on RGB
  // make 32 maps, not 96.
  Scene scene = ConvScene(testing::FilledVolume(2, 2, 2, 1.0f), MakeFilters(3, 2, 1, 1, {1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(MustResolve(scene).out_channels, 3);
  EXPECT_EQ(CellValue(scene, 0, 1, 1), 3.0f);
  EXPECT_EQ(CellValue(scene, 2, 0, 0), 11.0f);
}

}  // namespace
}  // namespace convtutor
