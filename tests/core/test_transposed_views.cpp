// The scatter view and the equivalent convolution of conv_transpose2d (transposed.h): hand-worked
// scatters, crops and zero-inserted inputs, the checkerboard of overlaps, seeking any step, and
// PyTorch's answers (tests/golden/group_cases.json) reached by both views.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "convtutor/forward.h"
#include "convtutor/request.h"
#include "convtutor/transposed.h"
#include "transposed_rules.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

using testing::MakeVolume;
using testing::MustResolve;

Scene TransposedScene(Volume input, FilterBank weights, Size2 stride, Size2 padding = {0, 0}) {
  Scene scene = testing::ConvScene(std::move(input), std::move(weights));
  scene.layer.op = Op::kConvTranspose2d;
  scene.layer.stride = stride;
  testing::SetExplicitPadding(scene, padding.rows, padding.rows, padding.cols, padding.cols);
  return scene;
}

// Input [1, 10] under the kernel [1, 2, 3] at stride 2: 1·[1, 2, 3] on columns 0..2 and
// 10·[1, 2, 3] on columns 2..4, so column 2 gets 3 + 10.
Scene RowScene(int padding = 0) {
  return TransposedScene(MakeVolume(1, 1, 2, {1, 10}), FilterBank{1, 1, 1, 3, {1, 2, 3}}, {1, 2}, {0, padding});
}

TEST(scatter_view, each_input_cell_adds_a_weighted_copy_of_the_kernel_and_copies_overlap) {
  const Scene scene = RowScene();
  const Geometry geometry = MustResolve(scene);
  const ScatterPlan plan = MakeScatterPlan(scene, geometry);
  ASSERT_EQ(ScatterStepCount(scene, geometry, plan, Level::kCell), 2);
  const ScatterStep first = ScatterStepAt(scene, geometry, plan, Level::kCell, 0);
  EXPECT_EQ(first.in_col, 0);
  EXPECT_EQ(first.copy_col, 0);
  EXPECT_EQ(first.cols.Taps(), 3);
  const ScatterMap after_first = ScatterMapAt(scene, geometry, plan, Level::kCell, 0);
  EXPECT_EQ(after_first.values, (std::vector<float>{1, 2, 3, 0, 0}));
  EXPECT_EQ(after_first.added, (std::vector<int>{1, 1, 1, 0, 0}));
  const ScatterStep second = ScatterStepAt(scene, geometry, plan, Level::kCell, 1);
  EXPECT_EQ(second.copy_col, 2);  // input 1 at 1·2
  const ScatterMap after_second = ScatterMapAt(scene, geometry, plan, Level::kCell, 1);
  EXPECT_EQ(after_second.values, (std::vector<float>{1, 2, 13, 20, 30}));
  EXPECT_EQ(after_second.added, (std::vector<int>{1, 1, 2, 1, 1}));
}

TEST(scatter_view, a_term_step_is_one_product_landing_on_one_output_cell_with_its_running_value) {
  const Scene scene = RowScene();
  const Geometry geometry = MustResolve(scene);
  const ScatterPlan plan = MakeScatterPlan(scene, geometry);
  ASSERT_EQ(ScatterStepCount(scene, geometry, plan, Level::kTerm), 6);
  const ScatterStep third = ScatterStepAt(scene, geometry, plan, Level::kTerm, 2);  // 1·3 on column 2
  EXPECT_EQ(third.in_col, 0);
  EXPECT_EQ(third.tap_col, 2);
  EXPECT_EQ(third.out_col, 2);
  EXPECT_EQ(third.product, 3.0f);
  EXPECT_EQ(third.partial, 3.0f);
  const ScatterStep fourth = ScatterStepAt(scene, geometry, plan, Level::kTerm, 3);  // 10·1 on column 2
  EXPECT_EQ(fourth.in_col, 1);
  EXPECT_EQ(fourth.tap_col, 0);
  EXPECT_EQ(fourth.out_col, 2);
  EXPECT_EQ(fourth.input, 10.0f);
  EXPECT_EQ(fourth.partial, 13.0f);
  EXPECT_EQ(ScatterMapAt(scene, geometry, plan, Level::kTerm, 3).values, (std::vector<float>{1, 2, 13, 0, 0}));
}

TEST(scatter_view, a_change_of_level_finds_the_same_input_cell) {
  // Two maps of the row scene: map 1's copy of input 1 starts at term step 6 + 3 (map 0 has 6).
  Scene scene = RowScene();
  scene.weights = FilterBank{2, 1, 1, 3, {1, 2, 3, 4, 5, 6}};
  const Geometry geometry = MustResolve(scene);
  const ScatterPlan plan = MakeScatterPlan(scene, geometry);
  EXPECT_EQ(ScatterStepIndex(scene, plan, Level::kTerm, 1, 0, 0, 1), 9);
  EXPECT_EQ(ScatterStepIndex(scene, plan, Level::kCell, 1, 0, 0, 1), 3);
  for (Level level : {Level::kCell, Level::kChannel, Level::kTerm}) {
    for (std::int64_t index = 0; index < ScatterStepCount(scene, geometry, plan, level); ++index) {
      const ScatterStep step = ScatterStepAt(scene, geometry, plan, level, index);
      const std::int64_t first = ScatterStepIndex(scene, plan, level, step.out_channel, 0, step.in_row, step.in_col);
      EXPECT_LE(first, index);
      const ScatterStep there = ScatterStepAt(scene, geometry, plan, level, first);
      EXPECT_EQ(there.in_col, step.in_col);
      EXPECT_EQ(there.out_channel, step.out_channel);
    }
  }
}

TEST(scatter_view, padding_crops_the_copies_at_both_ends) {
  // Padding 1: the output [1, 2, 13, 20, 30] loses its first and last column; input 0's copy
  // lands from column −1, so its tap 0 is cropped, and input 1's tap 2 lands past the end.
  const Scene scene = RowScene(1);
  const Geometry geometry = MustResolve(scene);
  const ScatterPlan plan = MakeScatterPlan(scene, geometry);
  const ScatterStep first = ScatterStepAt(scene, geometry, plan, Level::kCell, 0);
  EXPECT_EQ(first.copy_col, -1);
  EXPECT_EQ(first.cols.first_tap, 1);
  EXPECT_EQ(first.cols.end_tap, 3);
  ASSERT_EQ(ScatterStepCount(scene, geometry, plan, Level::kTerm), 4);
  EXPECT_EQ(ScatterMapAt(scene, geometry, plan, Level::kTerm, 3).values, (std::vector<float>{2, 13, 20}));
}

TEST(scatter_view, a_copy_cropped_whole_still_has_its_one_step) {
  // Kernel 1, stride 2, padding 1 on [1, 10, 100]: input 0 lands on −1 and input 2 on 3, both
  // outside the 3 output columns; only 10 lands (on column 1).
  const Scene scene = TransposedScene(MakeVolume(1, 1, 3, {1, 10, 100}), FilterBank{1, 1, 1, 1, {1}}, {1, 2}, {0, 1});
  const Geometry geometry = MustResolve(scene);
  ASSERT_EQ(geometry.out_width, 3);
  const ScatterPlan plan = MakeScatterPlan(scene, geometry);
  ASSERT_EQ(ScatterStepCount(scene, geometry, plan, Level::kTerm), 3);
  const ScatterStep cropped = ScatterStepAt(scene, geometry, plan, Level::kTerm, 0);
  EXPECT_EQ(cropped.in_col, 0);
  EXPECT_EQ(cropped.tap_col, -1);
  EXPECT_EQ(cropped.cols.Taps(), 0);
  const ScatterStep landing = ScatterStepAt(scene, geometry, plan, Level::kTerm, 1);
  EXPECT_EQ(landing.in_col, 1);
  EXPECT_EQ(landing.out_col, 1);
  EXPECT_EQ(ScatterMapAt(scene, geometry, plan, Level::kTerm, 2).values, (std::vector<float>{0, 10, 0}));
}

TEST(scatter_view, bias_and_relu_are_one_step_each_for_the_whole_map_after_its_copies) {
  Scene scene = TransposedScene(MakeVolume(1, 1, 2, {1, -10}), FilterBank{1, 1, 1, 3, {1, 2, 3}}, {1, 2});
  scene.bias = {0.5f};
  scene.layer.activation = Activation::kRelu;
  const Geometry geometry = MustResolve(scene);
  const ScatterPlan plan = MakeScatterPlan(scene, geometry);
  ASSERT_EQ(ScatterStepCount(scene, geometry, plan, Level::kChannel), 4);  // 2 copies, bias, ReLU
  EXPECT_EQ(ScatterStepAt(scene, geometry, plan, Level::kChannel, 2).kind, StepKind::kBias);
  // [1, 2, 3 − 10, −20, −30] + 0.5, then ReLU.
  EXPECT_EQ(ScatterMapAt(scene, geometry, plan, Level::kChannel, 2).values,
            (std::vector<float>{1.5f, 2.5f, -6.5f, -19.5f, -29.5f}));
  const ScatterMap finished = ScatterMapAt(scene, geometry, plan, Level::kChannel, 3);
  EXPECT_EQ(finished.values, (std::vector<float>{1.5f, 2.5f, 0, 0, 0}));
  EXPECT_TRUE(finished.activated);
}

TEST(scatter_view, at_stride_2_with_kernel_3_the_overlaps_make_a_checkerboard) {
  // A 2×2 input scattering 3×3 copies two cells apart onto 5×5: along each axis output cells
  // 0, 1, 3, 4 are reached by one copy and cell 2 by two, so (2, 2) gets 4 products, (0, 2) 2, (0, 0) 1.
  const Scene scene = TransposedScene(testing::FilledVolume(1, 2, 2, 1.0f), FilterBank{1, 1, 3, 3, std::vector<float>(9, 1.0f)},
                                      {2, 2});
  const Geometry geometry = MustResolve(scene);
  ASSERT_EQ(geometry.out_height, 5);
  const int per_axis[] = {1, 1, 2, 1, 1};
  const Volume output = Forward(scene, geometry);
  for (int row = 0; row < 5; ++row) {
    for (int col = 0; col < 5; ++col) {
      EXPECT_EQ(ProductsReaching(geometry, row, col), per_axis[row] * per_axis[col]) << row << ", " << col;
      // With ones in and ones in the kernel, a cell's value is its number of products.
      EXPECT_EQ(output.At(0, row, col), static_cast<float>(per_axis[row] * per_axis[col]));
    }
  }
}

TEST(equivalent_convolution, the_zero_inserted_input_has_the_inputs_s_apart_inside_a_border_of_zeros) {
  const Scene scene = RowScene();
  const Geometry geometry = MustResolve(scene);
  const ZeroInsertedAxis cols = ZeroInsertAxis(geometry.cols, 0);
  EXPECT_EQ(cols.inserted, 3);  // [1, 0, 10]
  EXPECT_EQ(cols.border_before, 2);
  EXPECT_EQ(cols.border_after, 2);
  EXPECT_EQ(cols.source, (std::vector<int>{-1, -1, 0, -1, 1, -1, -1}));
  EXPECT_NE(cols.explanation.find("7 cells; a stride-1 window of span 3 fits 7 \u2212 3 + 1 = 5 times"),
            std::string::npos)
      << cols.explanation;
  const Scene conv = EquivalentConvScene(scene, geometry);
  EXPECT_EQ(conv.layer.op, Op::kConv2d);
  EXPECT_EQ(conv.input.values, (std::vector<float>{0, 0, 1, 0, 10, 0, 0}));
  EXPECT_EQ(conv.weights.values, (std::vector<float>{3, 2, 1}));  // flipped
  // [0,0,1]·[3,2,1] = 1, [0,1,0]·… = 2, [1,0,10]·… = 13, then 20 and 30: the transposed output.
  EXPECT_EQ(Forward(conv, MustResolve(conv)).values, (std::vector<float>{1, 2, 13, 20, 30}));
}

TEST(equivalent_convolution, padding_beyond_the_kernel_reach_crops_the_inserted_input_and_output_padding_adds_zeros) {
  // Kernel 1, stride 2, padding 1: d·(k − 1) − p = −1, so the inserted [1, 0, 10, 0, 100] loses one
  // cell at each end: [0, 10, 0].
  const Scene cropped = TransposedScene(MakeVolume(1, 1, 3, {1, 10, 100}), FilterBank{1, 1, 1, 1, {1}}, {1, 2}, {0, 1});
  const Geometry cropped_geometry = MustResolve(cropped);
  const ZeroInsertedAxis cols = ZeroInsertAxis(cropped_geometry.cols, 0);
  EXPECT_EQ(cols.border_before, -1);
  EXPECT_EQ(cols.source, (std::vector<int>{-1, 1, -1}));
  EXPECT_NE(cols.explanation.find("1 cell cropped before"), std::string::npos) << cols.explanation;
  // output_padding 1 on the row scene: one more zero after, one more output column (a bare 0).
  Scene padded = RowScene();
  padded.layer.output_padding = {0, 1};
  const Geometry padded_geometry = MustResolve(padded);
  const ZeroInsertedAxis more = ZeroInsertAxis(padded_geometry.cols, 1);
  EXPECT_EQ(more.border_after, 3);
  const Scene conv = EquivalentConvScene(padded, padded_geometry);
  EXPECT_EQ(Forward(conv, MustResolve(conv)).values, (std::vector<float>{1, 2, 13, 20, 30, 0}));
}

TEST(gather_view, the_first_term_step_of_any_cell_is_found_without_walking_the_cells_before_it) {
  // Row scene, two maps: map 0's cells take 1, 1, 2, 1, 1 term steps, so cell 2 starts at step 2,
  // cell 3 at 4, and map 1's first cell at 6.
  Scene scene = RowScene();
  scene.weights = FilterBank{2, 1, 1, 3, {1, 2, 3, 4, 5, 6}};
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(GatherFirstTermStep(geometry, 2), 2);
  EXPECT_EQ(GatherFirstTermStep(geometry, 3), 4);
  EXPECT_EQ(GatherFirstTermStep(geometry, 5), 6);
  for (std::int64_t cell = 0; cell < 10; ++cell) {
    const Step step = StepAt(scene, geometry, Level::kTerm, GatherFirstTermStep(geometry, cell));
    EXPECT_EQ(std::int64_t{step.out_channel} * 5 + step.out_col, cell);
    if (cell > 0) {
      const Step before = StepAt(scene, geometry, Level::kTerm, GatherFirstTermStep(geometry, cell) - 1);
      EXPECT_EQ(std::int64_t{before.out_channel} * 5 + before.out_col, cell - 1);
    }
  }
}

TEST(gather_view, the_taps_reaching_a_cell_are_counted_as_visiting_every_tap_would_count_them) {
  // The closed form against a walk over the taps, on every axis up to 7 cells, kernel 6, stride 6,
  // dilation 6 and padding 4, at every output cell and past both ends.
  int axes = 0;
  for (int input = 1; input <= 7; ++input) {
    for (int kernel = 1; kernel <= 6; ++kernel) {
      for (int stride = 1; stride <= 6; ++stride) {
        for (int dilation = 1; dilation <= 6; ++dilation) {
          for (int pad = 0; pad <= 4; ++pad) {
            AxisGeometry axis;
            axis.input = input;
            axis.kernel = kernel;
            axis.stride = stride;
            axis.dilation = dilation;
            axis.pad_before = pad;
            const int output = (input - 1) * stride + (kernel - 1) * dilation + 1 - 2 * pad;
            for (int out = -3; out < output + 3; ++out) {
              int walked = 0;
              for (int tap = 0; tap < kernel; ++tap) walked += detail::TransposedSource(axis, out, tap) >= 0 ? 1 : 0;
              ASSERT_EQ(detail::TransposedTapsAt(axis, out), walked)
                  << "input " << input << " kernel " << kernel << " stride " << stride << " dilation " << dilation
                  << " pad " << pad << " cell " << out;
            }
            ++axes;
          }
        }
      }
    }
  }
  EXPECT_EQ(axes, 7 * 6 * 6 * 6 * 5);
}

TEST(gather_view, a_kernel_hundreds_of_thousands_of_taps_wide_resolves_with_its_taps_counted) {
  // 3 inputs, kernel 422222, stride 1: the middle cells take all 3 inputs, the ends 1.
  Result<Request> request = ParseRequestText(R"({"op": "conv_transpose2d",
      "input": {"shape": [1, 3, 3], "fill": "ones"}, "weights": {"shape": [1, 1, 6, 422222], "fill": "ones"},
      "stride": 1, "padding": 0})");
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  const Geometry& geometry = request.value().geometry;
  ASSERT_EQ(geometry.out_width, 422224);
  EXPECT_EQ(geometry.transposed.col_taps.front(), 1);
  EXPECT_EQ(geometry.transposed.col_taps[2], 3);
  EXPECT_EQ(geometry.transposed.col_taps.back(), 1);
  EXPECT_EQ(geometry.multiply_adds, std::int64_t{3} * 6 * 3 * 422222);
}

TEST(transposed_size, the_formula_shows_every_term_with_the_learners_numbers) {
  Scene scene = TransposedScene(testing::FilledVolume(1, 5, 5, 1.0f), FilterBank::Zeros(1, 1, 3, 3), {2, 2}, {1, 1});
  scene.layer.output_padding = {1, 0};
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(TransposedSizeFilledIn(geometry.rows, 1),
            "(5 \u2212 1)\u00B72 \u2212 2\u00B71 + 1\u00B7(3 \u2212 1) + 1 + 1 = 10");
  EXPECT_EQ(TransposedSizeFilledIn(geometry.cols, 0),
            "(5 \u2212 1)\u00B72 \u2212 2\u00B71 + 1\u00B7(3 \u2212 1) + 0 + 1 = 9");
}

TEST(transposed_view, names_read_back) {
  for (TransposedView view : {TransposedView::kScatter, TransposedView::kGather, TransposedView::kZeroInserted}) {
    TransposedView read = TransposedView::kGather;
    ASSERT_TRUE(ParseTransposedView(TransposedViewName(view), &read));
    EXPECT_EQ(read, view);
  }
  TransposedView unchanged = TransposedView::kGather;
  EXPECT_FALSE(ParseTransposedView("sideways", &unchanged));
}

// ---- PyTorch's answers (tests/golden/make_group_golden.py) ----

nlohmann::json TransposedGoldenCases() {
  std::ifstream file(std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden/group_cases.json");
  std::stringstream text;
  text << file.rdbuf();
  const nlohmann::json all = nlohmann::json::parse(text.str());
  nlohmann::json cases = nlohmann::json::array();
  for (const nlohmann::json& item : all["cases"]) {
    if (item["request"]["op"] == "conv_transpose2d") cases.push_back(item);
  }
  return cases;
}

// The golden output at (channel, row, col) in the request's layout.
double GoldenAt(const nlohmann::json& item, int channel, int row, int col) {
  const bool last = item["request"].value("data_format", "channels_first") == "channels_last";
  const auto c = static_cast<std::size_t>(channel), y = static_cast<std::size_t>(row), x = static_cast<std::size_t>(col);
  return (last ? item["output"][y][x][c] : item["output"][c][y][x]).get<double>();
}

void ExpectNear(double actual, double expected, const std::string& where) {
  EXPECT_NEAR(actual, expected, 1e-4 * std::max(1.0, std::fabs(expected))) << where;
}

TEST(transposed_views_golden, the_scatter_and_the_equivalent_convolution_both_reach_pytorchs_output) {
  const nlohmann::json cases = TransposedGoldenCases();
  ASSERT_GE(cases.size(), 40u);
  for (const nlohmann::json& item : cases) {
    const std::string name = item["name"].get<std::string>();
    Result<Request> parsed = ParseRequest(item["request"]);
    ASSERT_TRUE(parsed) << name << ": " << parsed.error().ToString();
    const Scene& scene = parsed.value().scene;
    const Geometry& geometry = parsed.value().geometry;
    const ScatterPlan plan = MakeScatterPlan(scene, geometry);
    const Scene conv = EquivalentConvScene(scene, geometry);
    Result<Geometry> conv_geometry = ResolveGeometry(conv);
    ASSERT_TRUE(conv_geometry) << name << ": " << conv_geometry.error().ToString();
    ASSERT_EQ(conv_geometry.value().out_height, geometry.out_height) << name;
    ASSERT_EQ(conv_geometry.value().out_width, geometry.out_width) << name;
    const Volume conv_output = Forward(conv, conv_geometry.value());
    for (Level level : {Level::kCell, Level::kTerm}) {
      const std::int64_t per_map = ScatterStepCount(scene, geometry, plan, level) / geometry.out_channels;
      for (int map = 0; map < geometry.out_channels; ++map) {
        const ScatterMap built = ScatterMapAt(scene, geometry, plan, level, (map + 1) * per_map - 1);
        for (int row = 0; row < geometry.out_height; ++row) {
          for (int col = 0; col < geometry.out_width; ++col) {
            const std::string where = name + " map " + std::to_string(map) + " (" + std::to_string(row) + ", " +
                                      std::to_string(col) + ")";
            const double expected = GoldenAt(item, map, row, col);
            ExpectNear(built.values[static_cast<std::size_t>(row * geometry.out_width + col)], expected, where);
            EXPECT_EQ(built.added[static_cast<std::size_t>(row * geometry.out_width + col)],
                      ProductsReaching(geometry, row, col)) << where;
            if (level == Level::kCell) ExpectNear(conv_output.At(map, row, col), expected, where + " (equivalent)");
          }
        }
      }
    }
  }
}

TEST(transposed_views_golden, every_term_step_of_the_scatter_is_found_from_its_index_in_scatter_order) {
  // Walking the steps one by one: each product's key follows the one before, each product of a map
  // appears once, and a product's running value grows by exactly its product.
  int walked = 0;
  for (const nlohmann::json& item : TransposedGoldenCases()) {
    const std::string name = item["name"].get<std::string>();
    Result<Request> parsed = ParseRequest(item["request"]);
    ASSERT_TRUE(parsed) << name;
    const Scene& scene = parsed.value().scene;
    const Geometry& geometry = parsed.value().geometry;
    const ScatterPlan plan = MakeScatterPlan(scene, geometry);
    const std::int64_t count = ScatterStepCount(scene, geometry, plan, Level::kTerm);
    if (count > 4000) continue;
    ++walked;
    std::int64_t products = 0;
    std::tuple<int, int, int, int, int, int> previous{-1, -1, -1, -1, -1, -1};
    std::vector<float> running(static_cast<std::size_t>(geometry.out_channels * geometry.out_height * geometry.out_width));
    for (std::int64_t index = 0; index < count; ++index) {
      const ScatterStep step = ScatterStepAt(scene, geometry, plan, Level::kTerm, index);
      ASSERT_EQ(step.count, count);
      if (step.kind != StepKind::kTerm || step.tap_row < 0) continue;
      const std::tuple<int, int, int, int, int, int> key{step.out_channel, step.in_channel, step.in_row,
                                                         step.in_col,      step.tap_row,    step.tap_col};
      ASSERT_LT(previous, key) << name << " step " << index;
      previous = key;
      ++products;
      float& cell = running[static_cast<std::size_t>((step.out_channel * geometry.out_height + step.out_row) *
                                                         geometry.out_width + step.out_col)];
      cell += step.product;
      EXPECT_EQ(step.partial, cell) << name << " step " << index;
    }
    EXPECT_EQ(products, geometry.multiply_adds) << name;
  }
  EXPECT_GE(walked, 20) << "too few golden cases small enough to walk";
}

}  // namespace
}  // namespace convtutor
