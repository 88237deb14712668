// Exercises: answers computed from hand-worked scenes and models (expected numbers worked out in
// the comments), learners' spellings of answers, and hints that name the step that went wrong.
#include <gtest/gtest.h>

#include "convtutor/exercise.h"
#include "convtutor/request.h"
#include "exercise_helpers.h"
#include "scene_builders.h"

namespace {

using convtutor::testing::MakeRequest;
using convtutor::testing::SceneExercise;
using convtutor::testing::Asking;
using convtutor::testing::HintMentions;

using convtutor::Request;
using convtutor::lessons::Ask;
using convtutor::lessons::CheckAnswer;
using convtutor::lessons::CheckResult;
using convtutor::lessons::Exercise;
using convtutor::lessons::ExerciseSpec;

// 8×8 input, 3×3 kernel, stride 2, no padding: ⌊(8 − 3) / 2⌋ + 1 = 3.
const char* kStrided =
    R"({"op": "conv2d", "input": {"shape": [1, 8, 8], "fill": "ramp"},
        "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "stride": 2})";

TEST(exercise, output_height_is_computed_from_the_scene) {
  const Exercise exercise = SceneExercise(kStrided, Asking(Ask::kOutputHeight));
  EXPECT_TRUE(CheckAnswer(exercise, "3").correct);
  EXPECT_TRUE(CheckAnswer(exercise, " 3 ").correct);
}

TEST(exercise, forgetting_the_plus_one_gets_a_hint_about_the_plus_one) {
  const Exercise exercise = SceneExercise(kStrided, Asking(Ask::kOutputHeight));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "2"), "+ 1"));  // ⌊5 / 2⌋ without + 1
}

TEST(exercise, rounding_up_where_valid_floors_gets_a_hint_about_rounding_down) {
  const Exercise exercise = SceneExercise(kStrided, Asking(Ask::kOutputHeight));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "4"), "down"));  // ⌈5 / 2⌉ + 1
}

TEST(exercise, forgetting_the_stride_gets_a_hint_about_the_stride) {
  const Exercise exercise = SceneExercise(kStrided, Asking(Ask::kOutputHeight));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "6"), "stride"));  // 8 − 3 + 1
}

TEST(exercise, answering_the_same_size_for_an_unpadded_layer_is_caught) {
  // 8 rows, 3×3 kernel, stride 1, no padding: 8 − 3 + 1 = 6, not the input's 8.
  const Exercise unit_stride = SceneExercise(
      R"({"op": "conv2d", "input": {"shape": [1, 8, 8], "fill": "ramp"}, "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}})",
      Asking(Ask::kOutputHeight));
  EXPECT_TRUE(CheckAnswer(unit_stride, "6").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(unit_stride, "8"), "input size"));
}

TEST(exercise, an_answer_matching_no_known_mistake_gets_the_formula_with_the_scene_numbers) {
  const Exercise exercise = SceneExercise(kStrided, Asking(Ask::kOutputHeight));
  const CheckResult result = CheckAnswer(exercise, "17");
  EXPECT_FALSE(result.correct);
  EXPECT_NE(result.hint.find("n = 8"), std::string::npos);
}

TEST(exercise, forgetting_dilation_gets_a_hint_about_the_span) {
  // 9 rows, 3×3 kernel dilated by 2 spans 5: 9 − 5 + 1 = 5; with the plain kernel 9 − 3 + 1 = 7.
  const Exercise exercise = SceneExercise(
      R"({"op": "conv2d", "input": {"shape": [1, 9, 9], "fill": "ramp"},
          "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "dilation": 2})",
      Asking(Ask::kOutputHeight));
  EXPECT_TRUE(CheckAnswer(exercise, "5").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "7"), "span"));
}

TEST(exercise, padding_on_one_side_only_gets_a_hint_about_both_sides) {
  // 6 columns, padding 2 each side, 3×3 kernel: 6 + 4 − 3 + 1 = 8; one side only: 6 + 2 − 3 + 1 = 6;
  // no padding: 6 − 3 + 1 = 4.
  const Exercise exercise = SceneExercise(
      R"({"op": "conv2d", "input": {"shape": [1, 6, 6], "fill": "ramp"},
          "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "padding": 2})",
      Asking(Ask::kOutputWidth));
  EXPECT_TRUE(CheckAnswer(exercise, "8").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "6"), "both sides"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "4"), "padding first"));
}

// 5 rows, 4×4 kernel, stride 2, 'same': out ⌈5 / 2⌉ = 3; total pad (3 − 1)·2 + 4 − 5 = 3 → 1 top, 2 bottom.
const char* kSame =
    R"({"op": "conv2d", "input": {"shape": [1, 5, 5], "fill": "ramp"},
        "weights": {"shape": [1, 1, 4, 4], "fill": "ones"}, "stride": 2, "padding": "same"})";

TEST(exercise, same_padding_output_size_rounds_up_and_flooring_is_caught) {
  const Exercise exercise = SceneExercise(kSame, Asking(Ask::kOutputHeight));
  EXPECT_TRUE(CheckAnswer(exercise, "3").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "2"), "rounds up"));  // ⌊5 / 2⌋
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "1"), "valid"));      // ⌊(5 − 4) / 2⌋ + 1
}

TEST(exercise, same_padding_split_puts_the_odd_cell_after_and_swapping_is_caught) {
  const Exercise exercise = SceneExercise(kSame, Asking(Ask::kPaddingRows));
  EXPECT_TRUE(CheckAnswer(exercise, "1 2").correct);
  EXPECT_TRUE(CheckAnswer(exercise, "1, 2").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "2 1"), "after"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "0 3"), "split"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "3"), "two numbers"));
}

// 3 input channels, 4 filters of 3×3 with bias: (3·3·3 + 1)·4 = 112.
const char* kThreeChannels =
    R"({"op": "conv2d", "input": {"shape": [3, 6, 6], "fill": "ramp"},
        "weights": {"shape": [4, 3, 3, 3], "fill": "ones"}, "bias": [0, 0, 0, 0]})";

TEST(exercise, parameter_count_includes_one_bias_per_filter) {
  const Exercise exercise = SceneExercise(kThreeChannels, Asking(Ask::kParameters));
  EXPECT_TRUE(CheckAnswer(exercise, "112").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "108"), "bias"));      // 3·3·3·4
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "40"), "channels"));   // (3·3 + 1)·4
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "28"), "filters"));    // 3·3·3 + 1
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "109"), "per filter"));  // one bias for the layer
}

TEST(exercise, feature_maps_equal_the_filters_and_multiplying_by_channels_is_caught) {
  const Exercise exercise = SceneExercise(kThreeChannels, Asking(Ask::kFeatureMaps));
  EXPECT_TRUE(CheckAnswer(exercise, "4").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "12"), "filters"));  // 4 filters × 3 channels
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "3"), "one map per filter"));
}

TEST(exercise, multiply_adds_count_every_channel_of_every_filter) {
  // Output 4×4 per filter; 4 filters · 16 cells · 27 multiply-adds = 1,728.
  const Exercise exercise = SceneExercise(kThreeChannels, Asking(Ask::kMultiplyAdds));
  EXPECT_TRUE(CheckAnswer(exercise, "1728").correct);
  EXPECT_TRUE(CheckAnswer(exercise, "1,728").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "576"), "channels"));  // 4 · 16 · 9
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "432"), "map"));       // 16 · 27
}

// Input [[1,2,3],[4,5,6],[7,8,9]], kernel [[1,0],[0,-1]], bias 0.5: top-left cell
// 1·1 + 2·0 + 4·0 + 5·(−1) + 0.5 = −3.5; the kernel flipped, [[-1,0],[0,1]], gives −1 + 5 + 0.5 = 4.5.
const char* kHandWorked =
    R"({"op": "conv2d", "input": [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]],
        "weights": [[[[1, 0], [0, -1]]]], "bias": [0.5]})";

TEST(exercise, value_of_a_cell_is_the_sum_of_products_plus_bias) {
  ExerciseSpec spec = Asking(Ask::kValue);
  const Exercise exercise = SceneExercise(kHandWorked, spec);
  EXPECT_TRUE(CheckAnswer(exercise, "-3.5").correct);
  EXPECT_TRUE(CheckAnswer(exercise, "\u22123.5").correct);  // a typographic minus
  EXPECT_TRUE(CheckAnswer(exercise, "-3.50").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "-4"), "bias"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "4.5"), "flip"));
  EXPECT_FALSE(CheckAnswer(exercise, "-3.4").correct);
}

TEST(exercise, a_window_placed_without_the_stride_or_the_padding_is_caught) {
  // Input rows [1..4], [5..8], [9..12], [13..16]; a 2×2 kernel of ones, stride 2, padding 1.
  // Output (1, 1): window top-left at (1·2 − 1, 1·2 − 1) = (1, 1): 6 + 7 + 10 + 11 = 34.
  // Without the stride, at (0, 0): 1 + 2 + 5 + 6 = 14. Without the padding shift, at (2, 2): 11 + 12 + 15 + 16 = 54.
  const char* scene =
      R"({"op": "conv2d", "input": [[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]],
          "weights": [[[[1, 1], [1, 1]]]], "stride": 2, "padding": 1})";
  ExerciseSpec spec = Asking(Ask::kValue);
  spec.cell_row = 1;
  spec.cell_col = 1;
  const Exercise exercise = SceneExercise(scene, spec);
  EXPECT_TRUE(CheckAnswer(exercise, "34").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "14"), "stride"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "54"), "Padding shifts"));
}

TEST(exercise, relu_clips_a_negative_value_and_forgetting_it_is_caught) {
  const std::string relu = std::string(kHandWorked).insert(1, R"("activation": "relu", )");
  const Exercise exercise = SceneExercise(relu, Asking(Ask::kValue));
  EXPECT_TRUE(CheckAnswer(exercise, "0").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "-3.5"), "ReLU"));
}

TEST(exercise, running_sum_after_a_step_counts_steps_from_zero) {
  // Terms of the top-left cell in (ky, kx) order: 1, 0, 0, −5. After step 3: 1 + 0 + 0 − 5 = −4.
  ExerciseSpec spec = Asking(Ask::kPartialSum);
  spec.step = 3;
  spec.level = convtutor::Level::kTerm;
  const Exercise exercise = SceneExercise(kHandWorked, spec);
  EXPECT_TRUE(CheckAnswer(exercise, "-4").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "1"), "one step earlier"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "-5"), "product"));
  EXPECT_EQ(exercise.step, 3);
}

TEST(exercise, max_pooling_ignores_padding_and_treating_it_as_zero_is_caught) {
  // 2×2 input of negatives, 2×2 pool, stride 2, padding 1: the top-left window holds only the real −1.
  const Exercise exercise = SceneExercise(
      R"({"op": "max_pool2d", "input": [[[-1, -2], [-3, -4]]], "kernel_size": 2, "padding": 1})",
      Asking(Ask::kValue));
  EXPECT_TRUE(CheckAnswer(exercise, "-1").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "0"), "not zeros"));
}

TEST(exercise, average_pooling_divisor_mistakes_depend_on_count_include_pad) {
  // Input [[1, 2], [3, 4]], 2×2 window, stride 2, padding 1: the top-left window holds only the real 1.
  // count_include_pad (PyTorch's default) divides by all 4 cells: 0.25; without it by the 1 real cell: 1.
  const Exercise counted = SceneExercise(
      R"({"op": "avg_pool2d", "input": [[[1, 2], [3, 4]]], "kernel_size": 2, "padding": 1})", Asking(Ask::kValue));
  EXPECT_TRUE(CheckAnswer(counted, "0.25").correct);
  EXPECT_TRUE(CheckAnswer(counted, "1/4").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(counted, "1"), "divide by all 4"));
  const Exercise real_only = SceneExercise(
      R"({"op": "avg_pool2d", "input": [[[1, 2], [3, 4]]], "kernel_size": 2, "padding": 1, "count_include_pad": false})",
      Asking(Ask::kValue));
  EXPECT_TRUE(CheckAnswer(real_only, "1").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(real_only, "0.25"), "not counted"));
}

TEST(exercise, a_cell_outside_the_output_cannot_be_asked_about) {
  ExerciseSpec spec = Asking(Ask::kValue);
  spec.cell_row = 2;  // the output is 2×2
  const auto exercise = convtutor::lessons::MakeSceneExercise(spec, MakeRequest(kHandWorked));
  ASSERT_FALSE(exercise.ok());
  EXPECT_EQ(exercise.error().field, "cell");
}

TEST(exercise, a_step_beyond_the_scene_cannot_be_asked_about) {
  ExerciseSpec spec = Asking(Ask::kPartialSum);
  spec.step = 1000000;
  const auto exercise = convtutor::lessons::MakeSceneExercise(spec, MakeRequest(kHandWorked));
  ASSERT_FALSE(exercise.ok());
  EXPECT_EQ(exercise.error().field, "step");
}

TEST(exercise, a_model_question_on_a_scene_is_refused) {
  const auto exercise = convtutor::lessons::MakeSceneExercise(Asking(Ask::kLayerShape), MakeRequest(kHandWorked));
  ASSERT_FALSE(exercise.ok());
  EXPECT_EQ(exercise.error().field, "ask");
}

convtutor::lessons::ModelSummary StridedModel() {
  return convtutor::testing::MustSummarize(
      "Input(128, 128, 3)\nConv2D(24, (8, 8), strides=(2, 2))\nFlatten()\nDense(1)\n");
}

TEST(exercise, layer_shape_accepts_the_ways_learners_write_shapes) {
  // ⌊(128 − 8) / 2⌋ + 1 = 61, 24 filters.
  ExerciseSpec spec = Asking(Ask::kLayerShape);
  spec.layer = 1;
  const auto exercise = convtutor::lessons::MakeModelExercise(spec, StridedModel());
  ASSERT_TRUE(exercise.ok());
  EXPECT_TRUE(CheckAnswer(exercise.value(), "(None, 61, 61, 24)").correct);
  EXPECT_TRUE(CheckAnswer(exercise.value(), "61x61x24").correct);
  EXPECT_TRUE(CheckAnswer(exercise.value(), "61 \u00D7 61 \u00D7 24").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "60, 60, 24"), "+ 1"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "61, 61, 3"), "filters"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "64, 64, 24"), "'valid'"));  // ⌈128 / 2⌉
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "61, 61"), "three numbers"));
}

TEST(exercise, a_shape_in_the_other_frameworks_order_is_caught) {
  // PyTorch: 3×8×8 through Conv2d(3, 4, 3): 8 − 3 + 1 = 6, so (4, 6, 6); Keras's order is (6, 6, 4).
  auto summary = convtutor::lessons::SummarizeModel("Input(3, 8, 8)\nnn.Conv2d(3, 4, 3)\n");
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  ExerciseSpec spec = Asking(Ask::kLayerShape);
  spec.layer = 1;
  const auto torch_exercise = convtutor::lessons::MakeModelExercise(spec, summary.value());
  ASSERT_TRUE(torch_exercise.ok());
  EXPECT_TRUE(CheckAnswer(torch_exercise.value(), "(4, 6, 6)").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(torch_exercise.value(), "(6, 6, 4)"), "channels first"));
  // And the other way round: (61, 61, 24) in Keras, worked in layer_shape_accepts_... above.
  const auto keras_exercise = convtutor::lessons::MakeModelExercise(spec, StridedModel());
  ASSERT_TRUE(keras_exercise.ok());
  EXPECT_TRUE(HintMentions(CheckAnswer(keras_exercise.value(), "24, 61, 61"), "channels last"));
}

TEST(exercise, layer_parameters_without_the_bias_get_the_bias_hint) {
  // (8·8·3 + 1)·24 = 4,632; without bias 4,608.
  ExerciseSpec spec = Asking(Ask::kLayerParameters);
  spec.layer = 1;
  const auto exercise = convtutor::lessons::MakeModelExercise(spec, StridedModel());
  ASSERT_TRUE(exercise.ok());
  EXPECT_TRUE(CheckAnswer(exercise.value(), "4,632").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "4608"), "bias"));
}

TEST(exercise, flatten_forgetting_the_channels_is_caught) {
  // 61·61·24 = 89,304; without the channels 61·61 = 3,721.
  ExerciseSpec spec = Asking(Ask::kLayerShape);
  spec.layer = 2;
  const auto exercise = convtutor::lessons::MakeModelExercise(spec, StridedModel());
  ASSERT_TRUE(exercise.ok());
  EXPECT_TRUE(CheckAnswer(exercise.value(), "89304").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "3721"), "channel"));
}

TEST(exercise, model_total_adds_every_layer) {
  // 4,632 + (89,304 + 1)·1 = 93,937.
  const auto exercise = convtutor::lessons::MakeModelExercise(Asking(Ask::kModelParameters), StridedModel());
  ASSERT_TRUE(exercise.ok());
  EXPECT_TRUE(CheckAnswer(exercise.value(), "93,937").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "4632"), "Dense"));
}

// One 3×3 convolution, 4 channels in and out, called twice by forward: (3·3·4 + 1)·4 = 148
// parameters, owned by row 1; row 2 is the same module again.
constexpr const char* kConvCalledTwice = R"py(Input(4, 8, 8)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)

    def forward(self, x):
        x = self.conv(x)
        x = self.conv(x)
        return x
)py";

TEST(exercise, a_module_called_twice_counts_once_in_the_total) {
  const auto summary = convtutor::lessons::SummarizeModel(kConvCalledTwice);
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  const auto total = convtutor::lessons::MakeModelExercise(Asking(Ask::kModelParameters), summary.value());
  ASSERT_TRUE(total.ok());
  EXPECT_TRUE(CheckAnswer(total.value(), "148").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(total.value(), "296"), "count it once"));
  EXPECT_TRUE(HintMentions(CheckAnswer(total.value(), "144"), "biases"));  // 148 less the 4 biases
}

TEST(exercise, the_second_call_of_a_module_adds_no_parameters) {
  const auto summary = convtutor::lessons::SummarizeModel(kConvCalledTwice);
  ASSERT_TRUE(summary.ok()) << summary.error().ToString();
  ExerciseSpec spec = Asking(Ask::kLayerParameters);
  spec.layer = 2;
  const auto exercise = convtutor::lessons::MakeModelExercise(spec, summary.value());
  ASSERT_TRUE(exercise.ok());
  EXPECT_TRUE(CheckAnswer(exercise.value(), "0").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "148"), "same module as layer 1"));
}

TEST(exercise, layer_multiply_adds_count_every_channel_and_every_filter) {
  // 61·61·24 outputs · 8·8·3 = 17,146,368; forgetting the 3 channels gives 5,715,456;
  // forgetting the 24 filters gives 714,432.
  ExerciseSpec spec = Asking(Ask::kLayerMultiplyAdds);
  spec.layer = 1;
  const auto exercise = convtutor::lessons::MakeModelExercise(spec, StridedModel());
  ASSERT_TRUE(exercise.ok());
  EXPECT_TRUE(CheckAnswer(exercise.value(), "17,146,368").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "5715456"), "input channels"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "714432"), "filters"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise.value(), "4632"), "parameter count"));
}

TEST(exercise, a_layer_past_the_end_cannot_be_asked_about) {
  ExerciseSpec spec = Asking(Ask::kLayerShape);
  spec.layer = 4;
  const auto exercise = convtutor::lessons::MakeModelExercise(spec, StridedModel());
  ASSERT_FALSE(exercise.ok());
  EXPECT_EQ(exercise.error().field, "layer");
}

TEST(exercise, pytorch_layer_shapes_are_channels_first_and_forgotten_padding_is_caught) {
  // padding 1 keeps 32: ⌊(32 + 2 − 3)/1⌋ + 1 = 32 → (16, 32, 32); without the padding 32 − 3 + 1 = 30.
  auto summary = convtutor::lessons::SummarizeModel("Input(3, 32, 32)\nnn.Conv2d(3, 16, 3, padding=1)\nnn.BatchNorm2d(16)\n");
  ASSERT_TRUE(summary.ok());
  ExerciseSpec spec = Asking(Ask::kLayerShape);
  spec.layer = 1;
  const auto shape = convtutor::lessons::MakeModelExercise(spec, summary.value());
  ASSERT_TRUE(shape.ok());
  EXPECT_TRUE(CheckAnswer(shape.value(), "(16, 32, 32)").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(shape.value(), "16, 30, 30"), "padding"));
  EXPECT_TRUE(HintMentions(CheckAnswer(shape.value(), "3, 32, 32"), "filters"));
  // BatchNorm2d: PyTorch counts γ and β, 2·16 = 32; Keras's habit of 4·16 = 64 gets a hint.
  spec = Asking(Ask::kLayerParameters);
  spec.layer = 2;
  const auto norm = convtutor::lessons::MakeModelExercise(spec, summary.value());
  ASSERT_TRUE(norm.ok());
  EXPECT_TRUE(CheckAnswer(norm.value(), "32").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(norm.value(), "64"), "buffers"));
}

TEST(exercise, empty_or_wordy_answers_without_numbers_ask_for_a_number) {
  const Exercise exercise = SceneExercise(kStrided, Asking(Ask::kOutputHeight));
  EXPECT_FALSE(CheckAnswer(exercise, "").correct);
  EXPECT_FALSE(CheckAnswer(exercise, "three").hint.empty());
}

TEST(exercise, ask_names_round_trip) {
  Ask ask = Ask::kOutputHeight;
  ASSERT_TRUE(convtutor::lessons::ParseAsk("multiply_adds", &ask));
  EXPECT_EQ(ask, Ask::kMultiplyAdds);
  EXPECT_STREQ(convtutor::lessons::AskName(ask), "multiply_adds");
  EXPECT_FALSE(convtutor::lessons::ParseAsk("macs", &ask));
}

}  // namespace
