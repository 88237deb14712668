// The exercises that ask the other way round, with hand-worked answers (the arithmetic is in the
// comments): which padding, stride or kernel gives a size (checked by computing with the learner's
// number), weight tensor shapes in each framework's order, the line a broken model fails on, and
// choices whose wrong answers each explain themselves.
#include <gtest/gtest.h>

#include "convtutor/exercise.h"
#include "convtutor/model.h"
#include "convtutor/request.h"
#include "exercise_helpers.h"

namespace {

using convtutor::testing::MakeRequest;
using convtutor::testing::HintMentions;

using convtutor::lessons::CheckAnswer;
using convtutor::lessons::CheckResult;
using convtutor::lessons::Choice;
using convtutor::lessons::Exercise;
using convtutor::lessons::ExerciseSpec;
using convtutor::lessons::Framework;
using convtutor::lessons::Unknown;

ExerciseSpec Spec(int layer = 0) {
  ExerciseSpec spec;
  spec.id = "q";
  spec.question = "?";
  spec.layer = layer;
  return spec;
}

Exercise Inverse(const std::string& scene, Unknown unknown, int target) {
  auto exercise = convtutor::lessons::MakeInverseExercise(Spec(), unknown, true, target, MakeRequest(scene));
  EXPECT_TRUE(exercise.ok()) << (exercise.ok() ? "" : exercise.error().ToString());
  return exercise.ok() ? exercise.value() : Exercise{};
}

convtutor::lessons::ModelSummary Summary(const std::string& text) {
  auto summary = convtutor::lessons::SummarizeModel(text);
  EXPECT_TRUE(summary.ok()) << (summary.ok() ? "" : summary.error().ToString());
  return summary.ok() ? summary.value() : convtutor::lessons::ModelSummary{};
}

Exercise WeightShape(const std::string& model, int layer, Framework framework) {
  auto exercise = convtutor::lessons::MakeWeightShapeExercise(Spec(layer), framework, Summary(model));
  EXPECT_TRUE(exercise.ok()) << (exercise.ok() ? "" : exercise.error().ToString());
  return exercise.ok() ? exercise.value() : Exercise{};
}

Exercise FindLine(const std::string& model) {
  auto exercise = convtutor::lessons::MakeFindLineExercise(Spec(), model);
  EXPECT_TRUE(exercise.ok()) << (exercise.ok() ? "" : exercise.error().ToString());
  return exercise.ok() ? exercise.value() : Exercise{};
}

// The seed question: 256 rows, a 4×4 kernel, stride 2, no padding: ⌊(256 − 4) / 2⌋ + 1 = 127.
const char* kSeed = R"({"op": "conv2d", "input": {"shape": [1, 256, 256], "fill": "zeros"},
                        "weights": {"shape": [1, 1, 4, 4], "fill": "ones"}, "stride": 2})";

TEST(inverse, padding_one_on_each_side_turns_127_into_128) {
  const Exercise exercise = Inverse(kSeed, Unknown::kPadding, 128);
  EXPECT_TRUE(CheckAnswer(exercise, "1").correct);  // ⌊(256 + 1 + 1 − 4) / 2⌋ + 1 = 128
  EXPECT_EQ(exercise.answer.text, "1");
}

TEST(inverse, any_padding_that_gives_the_target_is_right_even_a_lopsided_one) {
  const Exercise exercise = Inverse(kSeed, Unknown::kPadding, 128);
  EXPECT_TRUE(CheckAnswer(exercise, "0 3").correct);  // ⌊(259 − 4) / 2⌋ + 1 = 128
  EXPECT_TRUE(CheckAnswer(exercise, "1, 2").correct);
  EXPECT_FALSE(CheckAnswer(exercise, "0 1").correct);  // ⌊(257 − 4) / 2⌋ + 1 = 127
}

TEST(inverse, a_wrong_padding_is_told_what_it_gives_instead) {
  const Exercise exercise = Inverse(kSeed, Unknown::kPadding, 128);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "0"), "127 rows"));
  const CheckResult two = CheckAnswer(exercise, "2");  // ⌊(256 + 2 + 2 − 4) / 2⌋ + 1 = 129
  EXPECT_TRUE(HintMentions(two, "129 rows"));
  EXPECT_TRUE(HintMentions(two, "less padding"));
}

TEST(inverse, typing_same_gets_the_padding_same_would_use) {
  // 'same': ⌈256 / 2⌉ = 128 needs (128 − 1)·2 + 4 − 256 = 2 cells: 1 before, 1 after.
  const Exercise exercise = Inverse(kSeed, Unknown::kPadding, 128);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "padding='same'"), "1 before and 1 after"));
}

TEST(inverse, impossible_paddings_are_refused_with_a_reason) {
  const Exercise exercise = Inverse(kSeed, Unknown::kPadding, 128);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "-1"), "negative"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "1.5"), "whole number"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "1 1 1"), "two"));
  EXPECT_FALSE(CheckAnswer(exercise, "99999999999").correct);
}

// 16 rows, a 4×4 kernel, padding 'same': ⌈16 / s⌉ rows.
const char* kSame16 = R"({"op": "conv2d", "input": {"shape": [1, 16, 16], "fill": "zeros"},
                          "weights": {"shape": [1, 1, 4, 4], "fill": "ones"}, "padding": "same"})";

TEST(inverse, the_stride_that_halves_16_under_same_is_2) {
  const Exercise exercise = Inverse(kSame16, Unknown::kStride, 8);
  EXPECT_TRUE(CheckAnswer(exercise, "2").correct);  // ⌈16 / 2⌉ = 8
  const CheckResult three = CheckAnswer(exercise, "3");  // ⌈16 / 3⌉ = 6
  EXPECT_TRUE(HintMentions(three, "6 rows"));
  EXPECT_TRUE(HintMentions(three, "smaller stride"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "0"), "at least 1"));
}

// 7 rows, stride 1, no padding: 7 − k + 1 rows.
const char* kSeven = R"({"op": "conv2d", "input": {"shape": [1, 7, 7], "fill": "zeros"},
                         "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}})";

TEST(inverse, the_kernel_that_gives_5_rows_from_7_is_3) {
  const Exercise exercise = Inverse(kSeven, Unknown::kKernel, 5);
  EXPECT_TRUE(CheckAnswer(exercise, "3").correct);                       // 7 − 3 + 1 = 5
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "2"), "larger kernel"));  // 7 − 2 + 1 = 6
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "9"), "only 7"));       // no room for 9
}

TEST(inverse, a_target_no_value_reaches_is_an_error_naming_the_target) {
  // Stride 1, 'same': the output is 16 whatever the stride... no stride gives 17 rows.
  auto exercise = convtutor::lessons::MakeInverseExercise(Spec(), Unknown::kStride, true, 17, MakeRequest(kSame16));
  ASSERT_FALSE(exercise.ok());
  EXPECT_EQ(exercise.error().field, "target");
}

// MNIST's first layers, as the TensorFlow tutorial builds them: 5×5 filters, 1 channel in, 32 out.
const char* kMnist = "Input(28, 28, 1)\nConv2D(32, (5, 5), padding='same')\nMaxPooling2D((2, 2))\n"
                     "Conv2D(64, (5, 5), padding='same')\nMaxPooling2D((2, 2))\nFlatten()\nDense(1024)\n";

TEST(weight_shape, tf_nn_conv2d_wants_kh_kw_in_out_in_either_bracket_style) {
  const Exercise exercise = WeightShape(kMnist, 1, Framework::kTensorFlow);
  EXPECT_TRUE(CheckAnswer(exercise, "[5, 5, 1, 32]").correct);
  EXPECT_TRUE(CheckAnswer(exercise, "(5, 5, 1, 32)").correct);
  EXPECT_EQ(exercise.answer.text, "[5, 5, 1, 32]");
}

TEST(weight_shape, pytorchs_order_for_tensorflow_is_named_as_pytorchs) {
  const Exercise exercise = WeightShape(kMnist, 1, Framework::kTensorFlow);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "(32, 1, 5, 5)"), "PyTorch"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "[5, 5, 32, 1]"), "input channels come before"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "[5, 5, 32]"), "four axes"));
}

TEST(weight_shape, the_second_layer_sees_the_first_layers_32_maps) {
  EXPECT_TRUE(CheckAnswer(WeightShape(kMnist, 3, Framework::kKeras), "(5, 5, 32, 64)").correct);
}

TEST(weight_shape, pytorch_wants_out_in_kh_kw) {
  const Exercise exercise = WeightShape("Input(1, 28, 28)\nnn.Conv2d(1, 32, 5)\n", 1, Framework::kPyTorch);
  EXPECT_TRUE(CheckAnswer(exercise, "torch.Size([32, 1, 5, 5])").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "[5, 5, 1, 32]"), "TensorFlow"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "(1, 32, 5, 5)"), "swapped"));
}

TEST(weight_shape, a_dense_layer_after_flatten_takes_every_value_as_an_input) {
  // 28 → 'same' 28 → pool 14 → 'same' 14 → pool 7: Flatten gives 7·7·64 = 3136 inputs.
  const Exercise exercise = WeightShape(kMnist, 6, Framework::kTensorFlow);
  EXPECT_TRUE(CheckAnswer(exercise, "[3136, 1024]").correct);
  EXPECT_TRUE(CheckAnswer(exercise, "[7*7*64, 1024]").correct);
  EXPECT_TRUE(CheckAnswer(exercise, "[7 × 7 × 64, 1024]").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "[64, 1024]"), "3,136"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "[1024, 3136]"), "PyTorch"));
}

TEST(weight_shape, a_layer_without_weights_cannot_be_asked_about) {
  auto exercise = convtutor::lessons::MakeWeightShapeExercise(Spec(2), Framework::kKeras, Summary(kMnist));
  ASSERT_FALSE(exercise.ok());
  EXPECT_EQ(exercise.error().field, "layer");
}

// 28 → 26 rows after a 3×3 convolution: 8·26·26 = 5,408 values, not the 6,272 Linear expects.
const char* kWrongInFeatures = "Input(1, 28, 28)\nnn.Conv2d(1, 8, 3)\nnn.Flatten()\nnn.Linear(6272, 10)\n";

TEST(find_line, the_answer_is_the_line_the_core_refuses) {
  const Exercise exercise = FindLine(kWrongInFeatures);
  EXPECT_TRUE(CheckAnswer(exercise, "4").correct);
  EXPECT_TRUE(CheckAnswer(exercise, "line 4").correct);
  EXPECT_NE(exercise.explanation.find("5,408"), std::string::npos) << exercise.explanation;
}

TEST(find_line, an_earlier_line_is_shown_working_with_its_shape) {
  const Exercise exercise = FindLine(kWrongInFeatures);
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "2"), "(8, 26, 26)"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "3"), "(5408,)"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "9"), "1 to 4"));
}

TEST(find_line, a_channel_mismatch_and_a_layer_that_shrinks_to_nothing_are_found) {
  // 3 → 16 channels, then a layer that expects 32 in.
  EXPECT_TRUE(CheckAnswer(FindLine("Input(3, 32, 32)\nnn.Conv2d(3, 16, 3)\nnn.Conv2d(32, 8, 3)\n"), "3").correct);
  // 4 → 2 rows after a 3×3 kernel; a second 3×3 kernel no longer fits.
  const Exercise shrinks = FindLine("Input(4, 4, 1)\nConv2D(8, (3, 3))\nConv2D(8, (3, 3))\n");
  EXPECT_TRUE(CheckAnswer(shrinks, "3").correct);
  EXPECT_TRUE(HintMentions(CheckAnswer(shrinks, "2"), "(2, 2, 8)"));
}

TEST(find_line, a_model_the_core_accepts_cannot_be_a_find_line_exercise) {
  EXPECT_FALSE(convtutor::lessons::MakeFindLineExercise(Spec(), "Input(4, 4, 1)\nConv2D(8, (3, 3))\n").ok());
}

Exercise ThreeChoices() {
  std::vector<Choice> choices = {{"It halves it to 128", "'same' rounds 256 / 2 up: the stride still halves."},
                                 {"It keeps 256", "Only at stride 1 does 'same' keep the size."},
                                 {"It gives 127", "127 is the 'valid' size."}};
  auto exercise = convtutor::lessons::MakeChoiceExercise(Spec(), choices, 0);
  EXPECT_TRUE(exercise.ok());
  return exercise.ok() ? exercise.value() : Exercise{};
}

TEST(choice, the_right_answer_is_read_by_letter_number_or_text) {
  const Exercise exercise = ThreeChoices();
  for (const char* typed : {"a", "A", "a)", "(a)", "1", "it halves it to 128"}) {
    EXPECT_TRUE(CheckAnswer(exercise, typed).correct) << typed;
  }
  EXPECT_EQ(exercise.answer.text, "a) It halves it to 128");
  EXPECT_TRUE(CheckAnswer(exercise, exercise.answer.text).correct);
}

TEST(choice, each_wrong_answer_gets_its_own_explanation) {
  const Exercise exercise = ThreeChoices();
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "b"), "Only at stride 1"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "3"), "'valid' size"));
  EXPECT_TRUE(HintMentions(CheckAnswer(exercise, "d"), "a to c"));
}

TEST(choice, needs_two_answers_and_one_right) {
  EXPECT_FALSE(convtutor::lessons::MakeChoiceExercise(Spec(), {{"only", "one"}}, 0).ok());
  EXPECT_FALSE(convtutor::lessons::MakeChoiceExercise(Spec(), {{"a", "x"}, {"b", "y"}}, -1).ok());
}

}  // namespace
