// The image filter presets, checked on pictures small enough to work by hand: a Sobel kernel
// answers a dark-to-light edge with a positive number and the opposite edge with a negative one.
#include <gtest/gtest.h>

#include "convtutor/filters.h"
#include "convtutor/forward.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

using testing::ConvScene;
using testing::MakeVolume;
using testing::MustResolve;

// One row pattern repeated on 3 rows: dark on the left, light from column `edge` on.
Volume StepEdge(int width, int edge) {
  Volume picture = Volume::Zeros(1, 3, width);
  for (int y = 0; y < 3; ++y) {
    for (int x = edge; x < width; ++x) picture.At(0, y, x) = 1.0f;
  }
  return picture;
}

Volume Apply(FilterPreset preset, Volume input) {
  const Scene scene = ConvScene(std::move(input), FilterPresetBank(preset, 1, 1));
  return Forward(scene, MustResolve(scene));
}

TEST(filters, sobel_x_is_zero_on_flat_areas_and_four_on_a_dark_to_light_edge) {
  // Columns 0 0 0 1: the window over columns 0-2 sees no change (0); over columns 1-3 its right
  // column (weights 1, 2, 1) holds the light pixels and its left column (-1, -2, -1) dark ones:
  // 1 + 2 + 1 = 4.
  const Volume out = Apply(FilterPreset::kSobelX, StepEdge(4, 3));
  ASSERT_EQ(out.width, 2);
  EXPECT_FLOAT_EQ(out.At(0, 0, 0), 0.0f);
  EXPECT_FLOAT_EQ(out.At(0, 0, 1), 4.0f);
}

TEST(filters, sobel_x_gives_a_negative_number_on_a_light_to_dark_edge) {
  // Columns 1 1 1 0: the right column of the second window is dark, the left light: -(1 + 2 + 1).
  Volume picture = StepEdge(4, 0);
  for (int y = 0; y < 3; ++y) picture.At(0, y, 3) = 0.0f;
  EXPECT_FLOAT_EQ(Apply(FilterPreset::kSobelX, picture).At(0, 0, 1), -4.0f);
}

TEST(filters, sobel_y_does_not_see_a_vertical_edge) {
  const Volume out = Apply(FilterPreset::kSobelY, StepEdge(4, 2));
  EXPECT_FLOAT_EQ(out.At(0, 0, 0), 0.0f);
  EXPECT_FLOAT_EQ(out.At(0, 0, 1), 0.0f);
}

TEST(filters, blurs_keep_a_flat_picture_unchanged) {
  // Box weights are 9 × 1/9 and Gaussian weights (1 2 1; 2 4 2; 1 2 1) / 16: both add up to 1.
  const Volume flat = MakeVolume(1, 3, 3, {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
  EXPECT_NEAR(Apply(FilterPreset::kBoxBlur, flat).At(0, 0, 0), 0.5f, 1e-6f);
  EXPECT_NEAR(Apply(FilterPreset::kGaussianBlur, flat).At(0, 0, 0), 0.5f, 1e-6f);
  EXPECT_NEAR(Apply(FilterPreset::kIdentity, flat).At(0, 0, 0), 0.5f, 1e-6f);
}

TEST(filters, edge_finders_give_zero_on_a_flat_picture) {
  const Volume flat = MakeVolume(1, 3, 3, {2, 2, 2, 2, 2, 2, 2, 2, 2});
  for (FilterPreset preset : {FilterPreset::kSobelX, FilterPreset::kSobelY, FilterPreset::kLaplacian,
                              FilterPreset::kOutline}) {
    EXPECT_FLOAT_EQ(Apply(preset, flat).At(0, 0, 0), 0.0f) << FilterPresetName(preset);
  }
  // Sharpen is 5 × the pixel less its 4 neighbours: 5·2 − 4·2 = 2, the pixel itself.
  EXPECT_FLOAT_EQ(Apply(FilterPreset::kSharpen, flat).At(0, 0, 0), 2.0f);
}

TEST(filters, an_rgb_filter_repeats_the_kernel_in_each_slice_so_the_channels_add_up) {
  // Three channels with one light pixel at the centre each (0.2, 0.3, 0.5); the identity kernel
  // picks the centre of every slice and the channel sum adds them: 0.2 + 0.3 + 0.5 = 1.
  Volume picture = Volume::Zeros(3, 3, 3);
  picture.At(0, 1, 1) = 0.2f;
  picture.At(1, 1, 1) = 0.3f;
  picture.At(2, 1, 1) = 0.5f;
  const FilterBank bank = FilterPresetBank(FilterPreset::kIdentity, 2, 3);
  EXPECT_EQ(bank.filters, 2);
  EXPECT_EQ(bank.channels, 3);
  const Scene scene = ConvScene(picture, bank);
  const Volume out = Forward(scene, MustResolve(scene));
  EXPECT_NEAR(out.At(0, 0, 0), 1.0f, 1e-6f);
  EXPECT_NEAR(out.At(1, 0, 0), 1.0f, 1e-6f);
}

TEST(filters, random_filters_differ_from_filter_to_filter_and_repeat_with_the_seed) {
  const FilterBank first = FilterPresetBank(FilterPreset::kRandom, 2, 1, 5);
  const FilterBank again = FilterPresetBank(FilterPreset::kRandom, 2, 1, 5);
  EXPECT_EQ(first.values, again.values);
  EXPECT_NE(first.At(0, 0, 0, 0), first.At(1, 0, 0, 0));
  for (float weight : first.values) {
    EXPECT_GE(weight, -1.0f);
    EXPECT_LE(weight, 1.0f);
  }
}

TEST(filters, every_preset_has_a_name_and_a_purpose) {
  for (int i = 0; i < kFilterPresetCount; ++i) {
    const auto preset = static_cast<FilterPreset>(i);
    EXPECT_STRNE(FilterPresetName(preset), "");
    EXPECT_STRNE(FilterPresetPurpose(preset), "");
  }
}

}  // namespace
}  // namespace convtutor
