// Exercises on transposed and grouped convolutions: answers computed from hand-worked scenes
// (worked in the comments) and hints for the mistakes their rules invite (the conv formula for a
// transposed one, padding added instead of cropped, a filter summing channels outside its group).
#include <gtest/gtest.h>

#include "convtutor/exercise.h"
#include "convtutor/request.h"
#include "exercise_helpers.h"

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

// 3×3 input, 3×3 kernel, stride 2, padding 1: (3 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 5.
const char* kGrow =
    R"({"op": "conv_transpose2d", "input": {"shape": [1, 3, 3], "fill": "ramp"},
        "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "stride": 2, "padding": 1})";

TEST(transposed_exercise, output_size_follows_the_transposed_formula) {
  const Exercise exercise = SceneExercise(kGrow, Asking(Ask::kOutputHeight));
  EXPECT_TRUE(CheckAnswer(exercise, "5").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "4"), "+ 1"));
  // ⌊(3 + 2 − 3) / 2⌋ + 1 = 2: the size of a convolution with these numbers.
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "2"), "convolution"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "7"), "crops"));  // 5 + 2p: the padding not cropped
  EXPECT_NE(exercise.explanation.find("(3 \u2212 1)\u00B72 \u2212 2\u00B71 + 1\u00B7(3 \u2212 1) + 0 + 1 = 5"),
            std::string::npos)
      << exercise.explanation;
}

TEST(transposed_exercise, forgetting_output_padding_gets_a_hint_about_it) {
  // output_padding 1 on the columns only: 5 + 1 = 6 columns, 5 rows.
  std::string json = kGrow;
  json.insert(json.rfind('}'), R"(, "output_padding": [0, 1])");
  const Exercise exercise = SceneExercise(json, Asking(Ask::kOutputWidth));
  EXPECT_TRUE(CheckAnswer(exercise, "6").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "5"), "output_padding"));
}

// [1, 10] scattering the kernel [1, 2, 3] two columns apart: column 2 gets 10·1 + 1·3 = 13.
const char* kRow =
    R"({"op": "conv_transpose2d", "input": [[[1, 10]]], "weights": [[[[1, 2, 3]]]], "stride": [1, 2]})";

TEST(transposed_exercise, a_cells_value_adds_every_copy_that_lands_on_it) {
  ExerciseSpec spec = Asking(Ask::kValue);
  spec.cell_row = 0;
  spec.cell_col = 2;
  const Exercise exercise = SceneExercise(kRow, spec);
  EXPECT_TRUE(CheckAnswer(exercise, "13").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "10"), "Several copies"));  // one copy only
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "31"), "no flipping"));     // 10·3 + 1·1
}

TEST(transposed_exercise, a_partial_sum_counts_the_gather_steps) {
  // Term steps: column 0: 1·1; column 1: 1·2; column 2: 10·1, then 1·3 (step 3: 13).
  ExerciseSpec spec = Asking(Ask::kPartialSum);
  spec.step = 2;
  const Exercise exercise = SceneExercise(kRow, spec);
  EXPECT_TRUE(CheckAnswer(exercise, "10").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "13"), "next step"));  // 10 + 1·3
}

TEST(transposed_exercise, multiply_adds_count_only_products_that_land_inside) {
  // Padding 1 crops the output to columns 1..3 of [1, 2, 13, 20, 30]: 2 + 2 = 4 products land
  // inside; all 2·3 = 6 would count the cropped ones; 3 cells · 3 taps = 9 the inserted zeros.
  std::string json = kRow;
  json.insert(json.rfind('}'), R"(, "padding": [0, 1])");
  const Exercise exercise = SceneExercise(json, Asking(Ask::kMultiplyAdds));
  EXPECT_TRUE(CheckAnswer(exercise, "4").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "6"), "cropped"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "9"), "inserted"));
}

TEST(transposed_exercise, parameters_have_one_bias_per_output_channel) {
  // Weights (in 2, out 3, 3, 3): 2·3·9 = 54, plus 3 biases = 57.
  const char* json =
      R"({"op": "conv_transpose2d", "input": {"shape": [2, 3, 3], "fill": "ramp"},
          "weights": {"shape": [2, 3, 3, 3], "fill": "ones"}, "bias": [0, 0, 0]})";
  const Exercise exercise = SceneExercise(json, Asking(Ask::kParameters));
  EXPECT_TRUE(CheckAnswer(exercise, "57").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "56"), "per output channel"));  // 54 + 2
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "54"), "bias"));
}

TEST(transposed_exercise, padding_asks_are_refused_on_the_line) {
  auto exercise = convtutor::lessons::MakeSceneExercise(Asking(Ask::kPaddingRows), MakeRequest(kGrow));
  ASSERT_FALSE(exercise.ok());
  EXPECT_NE(exercise.error().ToString().find("conv_transpose2d"), std::string::npos);
}

TEST(grouped_exercise, a_grouped_filter_has_weights_for_its_groups_channels_only) {
  // 4 channels in 2 groups, 6 filters of 3×3 over 2 channels each: 6·2·9 = 108, + 6 biases = 114.
  const char* json =
      R"({"op": "conv2d", "input": {"shape": [4, 5, 5], "fill": "ramp"}, "groups": 2,
          "weights": {"shape": [6, 2, 3, 3], "fill": "ones"}, "bias": [0, 0, 0, 0, 0, 0]})";
  const Exercise exercise = SceneExercise(json, Asking(Ask::kParameters));
  EXPECT_TRUE(CheckAnswer(exercise, "114").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "222"), "groups"));  // 6·4·9 + 6
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "108"), "bias"));
}

// Depthwise: 3 channels, 3 groups, one 3×3 filter per channel on a 4×4 input: 2×2 maps.
const char* kDepthwise =
    R"({"op": "conv2d", "input": {"shape": [3, 4, 4], "fill": "ramp"}, "groups": 3,
        "weights": {"shape": [3, 1, 3, 3], "fill": "ones"}})";

TEST(grouped_exercise, depthwise_work_sums_one_channel_per_output) {
  // 3 maps · 4 cells · 1 channel · 9 taps = 108; over all 3 channels it would be 324.
  const Exercise exercise = SceneExercise(kDepthwise, Asking(Ask::kMultiplyAdds));
  EXPECT_TRUE(CheckAnswer(exercise, "108").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "324"), "group's"));
  const Exercise maps = SceneExercise(kDepthwise, Asking(Ask::kFeatureMaps));
  EXPECT_TRUE(CheckAnswer(maps, "3").correct);
  EXPECT_TRUE(CheckAnswer(SceneExercise(kDepthwise, Asking(Ask::kOutputHeight)), "2").correct);  // 4 − 3 + 1
}

TEST(grouped_exercise, a_value_from_channel_0_instead_of_the_filters_group_gets_a_hint) {
  // Two 1×1 inputs, 2 and 5, in 2 groups; filter 1 (weight 4) sees channel 1 only: 5·4 = 20.
  const char* json = R"({"op": "conv2d", "input": [[[2]], [[5]]], "groups": 2, "weights": [[[[3]]], [[[4]]]]})";
  ExerciseSpec spec = Asking(Ask::kValue);
  spec.channel = 1;
  const Exercise exercise = SceneExercise(json, spec);
  EXPECT_TRUE(CheckAnswer(exercise, "20").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "8"), "sees only"));  // 2·4
}

}  // namespace
