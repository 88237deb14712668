// Receptive fields: hand-worked stacks (two and three 3×3 layers, a stride, a dilation, padding at
// the border, a stride larger than the kernel, pooling), the same regions found by brute force from
// the step sequence and by nudging input cells through Forward, and the exercise that asks for r.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "convtutor/forward.h"
#include "convtutor/receptive_field.h"
#include "convtutor/request.h"
#include "convtutor/steps.h"

namespace {

using convtutor::ChainLayers;
using convtutor::FieldAxis;
using convtutor::ReceptiveField;
using convtutor::Request;
using nlohmann::json;

// A one-channel stack on an n×n input, built the way a lesson's "then" builds it.
std::vector<Request> Stack(int n, json first, json then) {
  first["input"] = {{"shape", {1, n, n}}, {"fill", "random"}, {"seed", 5}};
  convtutor::Result<Request> parsed = convtutor::ParseRequest(first);
  EXPECT_TRUE(parsed) << parsed.error().ToString();
  convtutor::Result<std::vector<Request>> stack = ChainLayers(parsed.value(), then);
  EXPECT_TRUE(stack) << stack.error().ToString();
  return stack.value();
}

json Conv(int k, int stride = 1, int dilation = 1, json padding = "valid") {
  return {{"op", "conv2d"},
          {"weights", {{"shape", {1, 1, k, k}}, {"fill", "random"}, {"seed", 7 + k}, {"range", {0.5, 1.5}}}},
          {"stride", stride},
          {"dilation", dilation},
          {"padding", padding}};
}

std::vector<const Request*> Pointers(const std::vector<Request>& stack) {
  std::vector<const Request*> pointers;
  for (const Request& layer : stack) pointers.push_back(&layer);
  return pointers;
}

ReceptiveField Trace(const std::vector<Request>& stack, int row, int col) {
  convtutor::Result<ReceptiveField> field = convtutor::TraceReceptiveField(Pointers(stack), row, col);
  EXPECT_TRUE(field) << field.error().ToString();
  return field.value();
}

std::pair<int, int> Range(const FieldAxis& axis, int level) {
  return {axis.levels[static_cast<std::size_t>(level)].first, axis.levels[static_cast<std::size_t>(level)].last};
}

TEST(receptive_field, two_3x3_layers_see_5x5_and_three_see_7x7) {
  // 9×9 → 7×7 → 5×5; the centre cell (2, 2) reads rows 2..4 of the 7×7 map and rows 2..6 of the input.
  const std::vector<Request> two = Stack(9, Conv(3), json::array({Conv(3)}));
  const ReceptiveField field = Trace(two, 2, 2);
  EXPECT_EQ(field.layers, 2);
  EXPECT_EQ(field.rows.size, (std::vector<int>{1, 3, 5}));
  EXPECT_EQ(field.rows.jump, (std::vector<int>{1, 1, 1}));
  EXPECT_EQ(Range(field.rows, 2), std::make_pair(2, 2));
  EXPECT_EQ(Range(field.rows, 1), std::make_pair(2, 4));
  EXPECT_EQ(Range(field.rows, 0), std::make_pair(2, 6));
  EXPECT_EQ(Range(field.cols, 0), std::make_pair(2, 6));
  EXPECT_EQ(field.rows.size_formula[2], "3 + (3 \u2212 1)\u00B71\u00B71 = 5");
  EXPECT_EQ(field.rows.jump_formula[2], "1\u00B71 = 1");

  // 9×9 → 7 → 5 → 3; cell (1, 1) of the last map reads input rows 1..7.
  const ReceptiveField three = Trace(Stack(9, Conv(3), json::array({Conv(3), Conv(3)})), 1, 1);
  EXPECT_EQ(three.rows.size.back(), 7);
  EXPECT_EQ(Range(three.rows, 0), std::make_pair(1, 7));
  EXPECT_EQ(three.rows.levels[0].Extent(), 7);
}

TEST(receptive_field, a_stride_makes_every_later_kernel_reach_further) {
  // 3×3 stride 2, then 3×3: r1 = 3, j1 = 2, r2 = 3 + (3 − 1)·1·2 = 7. 11×11 → 5×5 → 3×3.
  const ReceptiveField field = Trace(Stack(11, Conv(3, 2), json::array({Conv(3)})), 0, 0);
  EXPECT_EQ(field.rows.size, (std::vector<int>{1, 3, 7}));
  EXPECT_EQ(field.rows.jump, (std::vector<int>{1, 2, 2}));
  EXPECT_EQ(Range(field.rows, 1), std::make_pair(0, 2));
  EXPECT_EQ(Range(field.rows, 0), std::make_pair(0, 6));
  EXPECT_EQ(field.rows.size_formula[2], "3 + (3 \u2212 1)\u00B71\u00B72 = 7");
}

TEST(receptive_field, a_dilated_kernel_spans_five_cells_with_gaps) {
  // One 3×3 layer, dilation 2, on 9×9: cell 0 reads input cells 0, 2 and 4.
  const ReceptiveField field = Trace(Stack(9, Conv(3, 1, 2), json::array()), 0, 0);
  EXPECT_EQ(field.rows.size, (std::vector<int>{1, 5}));
  EXPECT_EQ(Range(field.rows, 0), std::make_pair(0, 4));
  EXPECT_EQ(field.rows.levels[0].reached,
            (std::vector<bool>{true, false, true, false, true, false, false, false, false}));
}

TEST(receptive_field, padding_clips_the_region_at_the_border_but_not_the_size) {
  // Two 3×3 'same' layers on 5×5: the corner cell reads rows −1..1 (clipped to 0..1) of the first
  // map and −2..2 (clipped to 0..2) of the input; r is 5 all the same.
  const ReceptiveField field = Trace(Stack(5, Conv(3, 1, 1, "same"), json::array({Conv(3, 1, 1, "same")})), 0, 0);
  EXPECT_EQ(field.rows.size.back(), 5);
  EXPECT_EQ(Range(field.rows, 1), std::make_pair(0, 1));
  EXPECT_EQ(Range(field.rows, 0), std::make_pair(0, 2));
}

TEST(receptive_field, a_stride_larger_than_the_kernel_leaves_input_cells_unread) {
  // 1×1 stride 2, then 3×3: r2 = 1 + (3 − 1)·1·2 = 5, but only input cells 0, 2, 4 are read.
  const ReceptiveField field = Trace(Stack(9, Conv(1, 2), json::array({Conv(3)})), 0, 0);
  EXPECT_EQ(field.rows.size.back(), 5);
  EXPECT_EQ(Range(field.rows, 0), std::make_pair(0, 4));
  EXPECT_TRUE(field.rows.levels[0].reached[2]);
  EXPECT_FALSE(field.rows.levels[0].reached[1]);
  EXPECT_FALSE(field.rows.levels[0].reached[3]);
}

TEST(receptive_field, pooling_counts_like_a_kernel_with_its_stride) {
  // 2×2 max pool stride 2, then 3×3: r1 = 2, j1 = 2, r2 = 2 + (3 − 1)·1·2 = 6.
  const json pool = {{"op", "max_pool2d"}, {"kernel_size", 2}};
  const ReceptiveField field = Trace(Stack(12, pool, json::array({Conv(3)})), 1, 1);
  EXPECT_EQ(field.rows.size, (std::vector<int>{1, 2, 6}));
  EXPECT_EQ(Range(field.rows, 0), std::make_pair(2, 7));
}

// The brute force: every input cell each output cell's steps read (StepAt at the finest level),
// followed from the chosen cell down, one layer at a time, as sets of (row, col).
std::set<std::pair<int, int>> ReadByTheSteps(const std::vector<Request>& stack, int row, int col) {
  std::set<std::pair<int, int>> cells{{row, col}};
  for (std::size_t l = stack.size(); l > 0; --l) {
    const Request& layer = stack[l - 1];
    const convtutor::Geometry& geometry = layer.geometry;
    const convtutor::Volume& input = layer.scene.input;
    std::set<std::pair<int, int>> below;
    const std::int64_t steps = convtutor::StepCount(layer.scene, geometry, convtutor::Level::kTerm);
    for (std::int64_t i = 0; i < steps; ++i) {
      const convtutor::Step step = convtutor::StepAt(layer.scene, geometry, convtutor::Level::kTerm, i);
      if (step.kind != convtutor::StepKind::kTerm || step.out_channel != 0) continue;
      if (cells.count({step.out_row, step.out_col}) == 0) continue;
      const int y = step.origin_row + step.tap_row * geometry.rows.dilation;
      const int x = step.origin_col + step.tap_col * geometry.cols.dilation;
      if (y >= 0 && y < input.height && x >= 0 && x < input.width) below.insert({y, x});
    }
    cells = std::move(below);
  }
  return cells;
}

std::set<std::pair<int, int>> Traced(const ReceptiveField& field) {
  std::set<std::pair<int, int>> cells;
  const std::vector<bool>& rows = field.rows.levels[0].reached;
  const std::vector<bool>& cols = field.cols.levels[0].reached;
  for (std::size_t y = 0; y < rows.size(); ++y) {
    for (std::size_t x = 0; x < cols.size(); ++x) {
      if (rows[y] && cols[x]) cells.insert({static_cast<int>(y), static_cast<int>(x)});
    }
  }
  return cells;
}

TEST(receptive_field, random_stacks_agree_with_the_cells_their_steps_read) {
  std::mt19937 random(2024);
  const auto pick = [&random](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  int checked = 0;
  while (checked < 40) {
    const int layers = pick(1, 3);
    json first;
    json then = json::array();
    for (int l = 0; l < layers; ++l) {
      json layer;
      if (pick(0, 3) == 0) {
        layer = {{"op", pick(0, 1) == 0 ? "max_pool2d" : "avg_pool2d"}, {"kernel_size", pick(1, 3)},
                 {"stride", pick(1, 3)}, {"padding", pick(0, 1)}};
      } else {
        layer = Conv(pick(1, 3), pick(1, 3), pick(1, 2), pick(0, 1) == 0 ? json("valid") : json(pick(0, 2)));
      }
      if (l == 0) {
        first = layer;
      } else {
        then.push_back(layer);
      }
    }
    first["input"] = {{"shape", {1, 13, 11}}, {"fill", "random"}, {"seed", 3}};
    convtutor::Result<Request> parsed = convtutor::ParseRequest(first);
    if (!parsed) continue;  // a pooling window larger than its padding allows, say
    convtutor::Result<std::vector<Request>> stack = ChainLayers(parsed.value(), then);
    if (!stack) continue;   // a layer that shrinks to nothing
    const convtutor::Geometry& last = stack.value().back().geometry;
    const int row = pick(0, last.out_height - 1), col = pick(0, last.out_width - 1);
    const ReceptiveField field = Trace(stack.value(), row, col);
    EXPECT_EQ(Traced(field), ReadByTheSteps(stack.value(), row, col)) << "stack " << first.dump() << " then " << then.dump();
    ++checked;
  }
}

TEST(receptive_field, exactly_the_traced_input_cells_change_the_chosen_output_when_nudged) {
  // Positive weights and no activation: a nudge of any input cell on a path reaches the cell.
  std::vector<Request> stack = Stack(10, Conv(3, 2, 1, 1), json::array({Conv(2, 1, 2), Conv(3)}));
  const convtutor::Geometry& last = stack.back().geometry;
  const int row = last.out_height - 1, col = 0;
  const std::set<std::pair<int, int>> traced = Traced(Trace(stack, row, col));
  const auto output_with = [&stack](const convtutor::Volume& input) {
    convtutor::Volume volume = input;
    for (const Request& layer : stack) {
      convtutor::Scene scene = layer.scene;
      scene.input = volume;
      volume = convtutor::Forward(scene, layer.geometry);
    }
    return volume;
  };
  const convtutor::Volume& input = stack.front().scene.input;
  const float before = output_with(input).At(0, row, col);
  std::set<std::pair<int, int>> changed;
  for (int y = 0; y < input.height; ++y) {
    for (int x = 0; x < input.width; ++x) {
      convtutor::Volume nudged = input;
      nudged.At(0, y, x) += 1.0f;
      if (std::fabs(output_with(nudged).At(0, row, col) - before) > 1e-4f) changed.insert({y, x});
    }
  }
  EXPECT_FALSE(traced.empty());
  EXPECT_EQ(traced, changed);
}

TEST(receptive_field, a_bad_stack_or_cell_is_an_error_naming_it) {
  const std::vector<Request> stack = Stack(9, Conv(3), json::array({Conv(3)}));
  convtutor::Result<ReceptiveField> outside = convtutor::TraceReceptiveField(Pointers(stack), 5, 0);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().field, "cell");
  EXPECT_FALSE(convtutor::TraceReceptiveField({}, 0, 0));
  // The second layer's input must be the first one's output.
  std::vector<const Request*> mismatched = {&stack[1], &stack[1]};
  EXPECT_FALSE(convtutor::TraceReceptiveField(mismatched, 0, 0));

  json first = Conv(3);
  first["input"] = {{"shape", {1, 5, 5}}, {"fill", "ones"}};
  const Request parsed = convtutor::ParseRequest(first).value();
  convtutor::Result<std::vector<Request>> with_input = ChainLayers(parsed, json::array({json{{"input", 1}}}));
  ASSERT_FALSE(with_input);
  EXPECT_NE(with_input.error().message.find("then[0]: input"), std::string::npos) << with_input.error().message;
  convtutor::Result<std::vector<Request>> too_big = ChainLayers(parsed, json::array({Conv(5)}));
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("then[0]"), std::string::npos);
  EXPECT_FALSE(ChainLayers(parsed, json::object()));
}

TEST(receptive_field, the_exercise_answers_r_and_knows_the_usual_shortcuts) {
  // 3×3 stride 2, then 3×3 dilation 2: r1 = 3, j1 = 2, r2 = 3 + (3 − 1)·2·2 = 11.
  const std::vector<Request> stack = Stack(21, Conv(3, 2), json::array({Conv(3, 1, 2)}));
  convtutor::lessons::ExerciseSpec spec;
  spec.id = "r";
  spec.question = "How far?";
  spec.ask = convtutor::lessons::Ask::kReceptiveField;
  const convtutor::Result<convtutor::lessons::Exercise> made =
      convtutor::lessons::MakeReceptiveFieldExercise(spec, Pointers(stack));
  ASSERT_TRUE(made) << made.error().ToString();
  const convtutor::lessons::Exercise& exercise = made.value();
  EXPECT_EQ(exercise.answer.text, "11");
  EXPECT_TRUE(convtutor::lessons::CheckAnswer(exercise, "11").correct);
  // Adding the spans: 3 + 5 = 8. Without the jump: 1 + 2 + 4 = 7. Without the dilation:
  // 1 + 2 + 2·2 = 7 (the same number: one hint). Only the last kernel: its span 5.
  for (const char* wrong : {"8", "7", "5"}) {
    const convtutor::lessons::CheckResult result = convtutor::lessons::CheckAnswer(exercise, wrong);
    EXPECT_FALSE(result.correct) << wrong;
    EXPECT_NE(result.hint, exercise.fallback_hint) << wrong;
  }
  EXPECT_NE(convtutor::lessons::CheckAnswer(exercise, "8").hint.find("Adding the kernel sizes"), std::string::npos);
  EXPECT_NE(convtutor::lessons::CheckAnswer(exercise, "7").hint.find("stride"), std::string::npos);
  EXPECT_NE(convtutor::lessons::CheckAnswer(exercise, "5").hint.find("just before"), std::string::npos);
  EXPECT_NE(exercise.explanation.find("= 11"), std::string::npos) << exercise.explanation;

  // After the first layer only: r1 = 3.
  spec.layer = 1;
  EXPECT_EQ(convtutor::lessons::MakeReceptiveFieldExercise(spec, Pointers(stack)).value().answer.text, "3");
  spec.layer = 3;
  EXPECT_FALSE(convtutor::lessons::MakeReceptiveFieldExercise(spec, Pointers(stack)));
}

}  // namespace
