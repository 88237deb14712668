// im2col: a small layer unrolled by hand (rows are windows, columns taps, padding zeros), every
// row times its filter's column equal to the step path's and the fast path's output cell, a step's
// place in the product, and the layers it refuses.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "convtutor/forward.h"
#include "convtutor/im2col.h"
#include "convtutor/request.h"
#include "convtutor/steps.h"

namespace {

using convtutor::Request;

Request Parse(const char* text) {
  convtutor::Result<Request> parsed = convtutor::ParseRequestText(text);
  EXPECT_TRUE(parsed) << parsed.error().ToString();
  return parsed.value();
}

TEST(im2col, windows_become_rows_and_filters_columns) {
  // A 3×3 ramp (0..8), 2×2 kernel: four windows of four taps.
  //   window (0,0): 0 1 3 4   window (0,1): 1 2 4 5   window (1,0): 3 4 6 7   window (1,1): 4 5 7 8
  const Request request = Parse(R"({"op": "conv2d", "input": {"shape": [1, 3, 3], "fill": "ramp"},
      "weights": [[[[1, 2], [3, 4]]], [[[0, 0], [0, -1]]]]})");
  const convtutor::Unrolled unrolled = convtutor::Unroll(request.scene, request.geometry).value();
  EXPECT_EQ(unrolled.rows, 4);
  EXPECT_EQ(unrolled.columns, 4);
  EXPECT_EQ(unrolled.filters, 2);
  EXPECT_EQ(unrolled.patches, (std::vector<float>{0, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8}));
  // Column o is filter o, in the order its weights are stored.
  EXPECT_EQ(unrolled.filter_matrix, (std::vector<float>{1, 0, 2, 0, 3, 0, 4, -1}));
  // Window (1,1) times filter 0: 4·1 + 5·2 + 7·3 + 8·4 = 67; times filter 1: −8.
  EXPECT_FLOAT_EQ(convtutor::RowTimesColumn(unrolled, request.scene, 3, 0), 67.0f);
  EXPECT_FLOAT_EQ(convtutor::RowTimesColumn(unrolled, request.scene, 3, 1), -8.0f);
  EXPECT_EQ(convtutor::PatchRow(request.scene, request.geometry, 2), (std::vector<float>{3, 4, 6, 7}));
}

TEST(im2col, padded_taps_are_zeros_and_marked) {
  // A 2×2 input of ones, 3×3 kernel, padding 1: window (0,0) has its first row and column in the padding.
  const Request request = Parse(R"({"op": "conv2d", "input": {"shape": [1, 2, 2], "fill": "ones"},
      "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "padding": 1})");
  const convtutor::Unrolled unrolled = convtutor::Unroll(request.scene, request.geometry).value();
  EXPECT_EQ(unrolled.rows, 4);
  EXPECT_EQ(unrolled.columns, 9);
  EXPECT_EQ(std::vector<bool>(unrolled.padded.begin(), unrolled.padded.begin() + 9),
            (std::vector<bool>{true, true, true, true, false, false, true, false, false}));
  EXPECT_EQ(std::vector<float>(unrolled.patches.begin(), unrolled.patches.begin() + 9),
            (std::vector<float>{0, 0, 0, 0, 1, 1, 0, 1, 1}));
  EXPECT_FLOAT_EQ(convtutor::RowTimesColumn(unrolled, request.scene, 0, 0), 4.0f);
}

TEST(im2col, every_row_times_its_column_is_the_output_cell_the_steps_and_the_fast_path_compute) {
  for (const char* text : {
           R"({"op": "conv2d", "input": {"shape": [2, 6, 5], "fill": "random", "seed": 3},
               "weights": {"shape": [3, 2, 3, 2], "fill": "random", "seed": 4, "range": [-1, 1]},
               "bias": [0.5, -1, 2], "stride": [2, 1], "padding": [1, 0, 2, 1]})",
           R"({"op": "conv2d", "input": {"shape": [1, 7, 7], "fill": "random", "seed": 5},
               "weights": {"shape": [2, 1, 3, 3], "fill": "random", "seed": 6}, "dilation": 2, "padding": "same"})",
       }) {
    const Request request = Parse(text);
    const convtutor::Geometry& geometry = request.geometry;
    const convtutor::Unrolled unrolled = convtutor::Unroll(request.scene, geometry).value();
    const convtutor::Volume fast = convtutor::Forward(request.scene, geometry);
    for (int o = 0; o < geometry.out_channels; ++o) {
      for (int y = 0; y < geometry.out_height; ++y) {
        for (int x = 0; x < geometry.out_width; ++x) {
          const int row = y * geometry.out_width + x;
          const std::int64_t cell = (std::int64_t{o} * geometry.out_height + y) * geometry.out_width + x;
          const convtutor::Step step = convtutor::StepAt(request.scene, geometry, convtutor::Level::kCell, cell);
          const float product = convtutor::RowTimesColumn(unrolled, request.scene, row, o);
          EXPECT_NEAR(product, step.value, 1e-5f) << text << " cell " << o << "," << y << "," << x;
          EXPECT_NEAR(product, fast.At(o, y, x), 1e-5f);
          const std::vector<float> alone = convtutor::PatchRow(request.scene, geometry, row);
          EXPECT_EQ(alone, std::vector<float>(unrolled.patches.begin() + row * unrolled.columns,
                                              unrolled.patches.begin() + (row + 1) * unrolled.columns));
        }
      }
    }
  }
}

TEST(im2col, a_term_step_is_one_entry_of_its_row_times_one_weight_of_its_column) {
  const Request request = Parse(R"({"op": "conv2d", "input": {"shape": [2, 4, 4], "fill": "random", "seed": 8},
      "weights": {"shape": [2, 2, 3, 3], "fill": "random", "seed": 9}, "bias": [1, 2]})");
  const convtutor::Geometry& geometry = request.geometry;
  const convtutor::Unrolled unrolled = convtutor::Unroll(request.scene, geometry).value();
  const std::int64_t steps = convtutor::StepCount(request.scene, geometry, convtutor::Level::kTerm);
  float running = 0.0f;
  for (std::int64_t i = 0; i < steps; ++i) {
    const convtutor::Step step = convtutor::StepAt(request.scene, geometry, convtutor::Level::kTerm, i);
    const convtutor::MatrixPosition at = convtutor::PositionOfStep(request.scene, geometry, step);
    EXPECT_EQ(at.row, step.out_row * geometry.out_width + step.out_col);
    EXPECT_EQ(at.filter, step.out_channel);
    if (step.kind != convtutor::StepKind::kTerm) {
      EXPECT_EQ(at.column, -1);
      running = 0.0f;
      continue;
    }
    // The sum so far, entry by entry along the row, is the step's running value.
    running += unrolled.patches[static_cast<std::size_t>(at.row * unrolled.columns + at.column)] *
               unrolled.filter_matrix[static_cast<std::size_t>(at.column * unrolled.filters + at.filter)];
    EXPECT_NEAR(running, step.partial, 1e-5f) << "step " << i;
  }
}

TEST(im2col, pooling_grouped_and_huge_layers_are_refused_by_name) {
  EXPECT_EQ(convtutor::Unroll(Parse(R"({"op": "max_pool2d", "kernel_size": 2,
      "input": {"shape": [1, 4, 4], "fill": "ones"}})").scene, {}).error().field, "op");
  const Request grouped = Parse(R"({"op": "conv2d", "groups": 2, "input": {"shape": [2, 4, 4], "fill": "ones"},
      "weights": {"shape": [2, 1, 3, 3], "fill": "ones"}})");
  EXPECT_EQ(convtutor::Unroll(grouped.scene, grouped.geometry).error().field, "groups");
  const Request huge = Parse(R"({"op": "conv2d", "input": {"shape": [3, 128, 128], "fill": "ones"},
      "weights": {"shape": [1, 3, 3, 3], "fill": "ones"}})");
  EXPECT_EQ(convtutor::Unroll(huge.scene, huge.geometry).error().field, "input");
}

}  // namespace
