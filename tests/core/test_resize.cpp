// Zero padding, resizing and adaptive pooling (resize.h) against PyTorch's F.pad, F.interpolate and
// F.adaptive_*_pool2d (tests/golden/resize_cases.json, made by tests/golden/make_resize_golden.py)
// and by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "convtutor/resize.h"

namespace {

using convtutor::ResizeMode;
using convtutor::ResizeSpec;
using convtutor::Sides;
using convtutor::Volume;

nlohmann::json GoldenCases() {
  std::ifstream file(std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden/resize_cases.json");
  std::stringstream text;
  text << file.rdbuf();
  return nlohmann::json::parse(text.str())["cases"];
}

Volume VolumeOf(const nlohmann::json& nested) {
  Volume volume = Volume::Zeros(static_cast<int>(nested.size()), static_cast<int>(nested[0].size()),
                                static_cast<int>(nested[0][0].size()));
  std::size_t at = 0;
  for (const nlohmann::json& channel : nested) {
    for (const nlohmann::json& row : channel) {
      for (const nlohmann::json& value : row) volume.values[at++] = value.get<float>();
    }
  }
  return volume;
}

void ExpectSameAs(const Volume& made, const nlohmann::json& expected, const std::string& where) {
  const Volume golden = VolumeOf(expected);
  ASSERT_EQ(made.channels, golden.channels) << where;
  ASSERT_EQ(made.height, golden.height) << where;
  ASSERT_EQ(made.width, golden.width) << where;
  for (std::size_t i = 0; i < made.values.size(); ++i) {
    EXPECT_NEAR(made.values[i], golden.values[i], 1e-5 * std::max(1.0f, std::fabs(golden.values[i])))
        << where << " at value " << i;
  }
}

TEST(resize_golden, every_case_matches_pytorchs_pad_interpolate_and_adaptive_pooling) {
  const nlohmann::json cases = GoldenCases();
  ASSERT_GE(cases.size(), 20u);
  int resizes = 0, pads = 0, adaptive = 0;
  for (const nlohmann::json& item : cases) {
    const Volume input = VolumeOf(item["input"]);
    if (item.contains("adaptive")) {
      const int height = item["adaptive"][0].get<int>(), width = item["adaptive"][1].get<int>();
      const bool largest = item["largest"].get<bool>();
      ExpectSameAs(convtutor::AdaptivePooled(input, height, width, largest), item["output"],
                   std::string(largest ? "adaptive max" : "adaptive average") + " to " + item["adaptive"].dump());
      ++adaptive;
      continue;
    }
    if (item.contains("pad")) {
      const nlohmann::json& pad = item["pad"];  // F.pad's order: left, right, top, bottom
      const Sides sides{pad[2].get<int>(), pad[3].get<int>(), pad[0].get<int>(), pad[1].get<int>()};
      ExpectSameAs(convtutor::ZeroPadded(input, sides), item["output"], "F.pad " + pad.dump());
      ++pads;
      continue;
    }
    ResizeSpec spec;
    spec.mode = item["mode"] == "bilinear" ? ResizeMode::kBilinear
                : item["mode"] == "bicubic"  ? ResizeMode::kBicubic
                                             : ResizeMode::kNearest;
    spec.align_corners = item["align_corners"].get<bool>();
    if (item.contains("scale_factor")) {
      spec.scale_factor_rows = item["scale_factor"][0].get<double>();
      spec.scale_factor_cols = item["scale_factor"][1].get<double>();
    }
    const std::string where = item["mode"].get<std::string>() + " to " + std::to_string(item["height"].get<int>()) +
                              "x" + std::to_string(item["width"].get<int>()) +
                              (item.contains("scale_factor") ? " by " + item["scale_factor"].dump() : std::string()) +
                              (spec.align_corners ? " align_corners" : "");
    ExpectSameAs(convtutor::Resized(input, item["height"].get<int>(), item["width"].get<int>(), spec), item["output"], where);
    ++resizes;
  }
  EXPECT_GE(resizes, 14);  // four of them bicubic
  EXPECT_GE(pads, 4);  // two of them crop (negative pads)
  EXPECT_GE(adaptive, 8);  // larger and smaller, average and max
}

TEST(resize, zero_padding_puts_the_picture_at_its_offset_and_zeros_around_it) {
  Volume one = Volume::Zeros(1, 1, 2);
  one.values = {3.0f, 4.0f};
  const Volume padded = convtutor::ZeroPadded(one, Sides{1, 0, 0, 2});
  ASSERT_EQ(padded.height, 2);
  ASSERT_EQ(padded.width, 4);
  EXPECT_EQ(padded.values, (std::vector<float>{0, 0, 0, 0, 3, 4, 0, 0}));
}

TEST(resize, nearest_doubling_repeats_each_cell_and_bilinear_with_aligned_corners_puts_the_mean_between) {
  Volume pair = Volume::Zeros(1, 1, 2);
  pair.values = {2.0f, 6.0f};
  const Volume doubled = convtutor::Resized(pair, 1, 4, ResizeSpec{});
  EXPECT_EQ(doubled.values, (std::vector<float>{2, 2, 6, 6}));
  ResizeSpec aligned;
  aligned.mode = ResizeMode::kBilinear;
  aligned.align_corners = true;
  // Corners on the corners: 2 and 6 stay at the ends, the middle cell is halfway, (2 + 6) / 2.
  EXPECT_EQ(convtutor::Resized(pair, 1, 3, aligned).values, (std::vector<float>{2, 4, 6}));
  // Centres mapped instead: output cell 1 of 4 sits at (1 + 0.5) / 2 − 0.5 = 0.25 of the way, 2 + 0.25 · 4 = 3.
  ResizeSpec centred;
  centred.mode = ResizeMode::kBilinear;
  EXPECT_EQ(convtutor::Resized(pair, 1, 4, centred).values, (std::vector<float>{2, 3, 5, 6}));
}

}  // namespace
