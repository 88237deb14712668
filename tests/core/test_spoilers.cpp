// Spoilers: an unsolved exercise hides exactly the number it asks for (of its own scene or model
// layer) and the inline values that state it; solving or revealing it shows them again. The
// lesson is hand-worked: 5×5 input, 3×3 kernel, stride 2; a small Keras model.
#include <gtest/gtest.h>

#include <string>

#include "convtutor/lesson.h"
#include "convtutor/spoilers.h"

namespace {

using convtutor::lessons::Ask;
using convtutor::lessons::Lesson;
using convtutor::lessons::Progress;
using convtutor::lessons::Span;
using convtutor::lessons::Spoilers;

constexpr const char* kLessonText = R"md(# Spoilers

```scene
{"id": "jump", "title": "Stride 2", "op": "conv2d",
 "input": {"shape": [1, 5, 5], "fill": "ramp"},
 "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "stride": 2}
```

```scene
{"id": "walk", "title": "Stride 1", "op": "conv2d",
 "input": {"shape": [1, 5, 5], "fill": "ramp"},
 "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}}
```

```exercise
{"id": "rows", "scene": "jump", "ask": "output_height",
 "question": "How many rows does the output have?"}
```

The output has `=jump.output_height` rows: `=jump.rows_formula`, and `=jump.output_width` columns.

```model tiny
Input(8, 8, 3)
Conv2D(4, (3, 3))
MaxPooling2D((2, 2))
```

```exercise
{"id": "pool", "model": "tiny", "ask": "layer_shape", "layer": 2,
 "question": "What shape comes out of the pooling?"}
```

```exercise
{"id": "total", "model": "tiny", "ask": "model_parameters",
 "question": "How many parameters in all?"}
```

Pooling gives `=tiny.layer_shape.2`; the convolution gives `=tiny.layer_shape.1`.

```exercise
{"id": "conv-parameters", "model": "tiny", "ask": "layer_parameters", "layer": 1,
 "question": "How many parameters has the convolution?"}
```
)md";

Lesson ParseOrDie() {
  convtutor::lessons::ParsedLesson parsed = convtutor::lessons::ParseLesson(kLessonText, "10-spoilers.md");
  EXPECT_TRUE(parsed.errors.empty()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return parsed.lesson;
}

// The computed span of the paragraph that stands for `expression`.
Span InlineSpan(const Lesson& lesson, const std::string& expression) {
  for (const auto& block : lesson.blocks) {
    for (const Span& span : block.spans) {
      if (span.computed && span.expression == expression) return span;
    }
  }
  ADD_FAILURE() << "no inline value " << expression;
  return Span{};
}

TEST(spoilers, an_unsolved_exercise_hides_what_it_asks_of_its_scene) {
  const Lesson lesson = ParseOrDie();
  const Spoilers spoilers(lesson, Progress{});
  EXPECT_EQ(spoilers.SceneAsk(0, Ask::kOutputHeight), 0);
}

TEST(spoilers, other_facts_and_other_scenes_stay_visible) {
  const Lesson lesson = ParseOrDie();
  const Spoilers spoilers(lesson, Progress{});
  EXPECT_EQ(spoilers.SceneAsk(0, Ask::kOutputWidth), -1);
  EXPECT_EQ(spoilers.SceneAsk(0, Ask::kParameters), -1);
  EXPECT_EQ(spoilers.SceneAsk(1, Ask::kOutputHeight), -1);
}

TEST(spoilers, solving_the_exercise_shows_the_number_again) {
  const Lesson lesson = ParseOrDie();
  Progress progress;
  progress.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, "rows"));
  EXPECT_EQ(Spoilers(lesson, progress).SceneAsk(0, Ask::kOutputHeight), -1);
}

TEST(spoilers, revealing_the_answer_shows_the_number_without_solving_it) {
  const Lesson lesson = ParseOrDie();
  Progress progress;
  progress.exercises_revealed.insert(Progress::ExerciseKey(lesson.slug, "rows"));
  EXPECT_EQ(Spoilers(lesson, progress).SceneAsk(0, Ask::kOutputHeight), -1);
  EXPECT_EQ(progress.SolvedCount(lesson), 0);
}

TEST(spoilers, progress_in_another_lesson_frees_nothing_here) {
  const Lesson lesson = ParseOrDie();
  Progress progress;
  progress.exercises_solved.insert(Progress::ExerciseKey("02-stride", "rows"));
  EXPECT_EQ(Spoilers(lesson, progress).SceneAsk(0, Ask::kOutputHeight), 0);
}

TEST(spoilers, a_layer_shape_exercise_leaves_the_layers_before_it_visible) {
  const Lesson lesson = ParseOrDie();
  Progress progress;
  progress.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, "total"));
  const Spoilers spoilers(lesson, progress);
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerShape, 2), 1);
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerShape, 1), -1);
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerParameters, 2), -1);
}

// A chain of layers, each worked out from the one before; the exercise asks for the convolution's
// output, from which everything after it follows.
constexpr const char* kChainText = R"md(# Chain

```model chain
Input(16, 16, 3)
Conv2D(8, (3, 3))
MaxPooling2D((2, 2))
Flatten()
Dense(10)
```

```exercise
{"id": "conv-shape", "model": "chain", "ask": "layer_shape", "layer": 1,
 "question": "What shape comes out of the convolution?"}
```
)md";

TEST(spoilers, an_open_layer_shape_hides_every_later_shape_and_parameter_count_worked_out_from_it) {
  convtutor::lessons::ParsedLesson parsed = convtutor::lessons::ParseLesson(kChainText, "11-chain.md");
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].ToString();
  const Lesson& lesson = parsed.lesson;
  const Spoilers spoilers(lesson, Progress{});
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerShape, 1), 0);
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerShape, 2), 0);       // the pooling formula starts from it
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerShape, 3), 0);       // Flatten multiplies it out
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerParameters, 4), 0);  // Dense: (flattened + 1)·10
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerShape, 0), -1);      // the input comes before
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerParameters, 1), -1); // the convolution's own weights do not depend on it
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kModelParameters), 0);     // less the visible counts, it gives Dense's away
  Progress solved;
  solved.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, "conv-shape"));
  EXPECT_EQ(Spoilers(lesson, solved).ModelAsk(0, Ask::kLayerShape, 3), -1);
}

TEST(spoilers, a_total_parameters_exercise_hides_the_total_and_the_counts_it_adds_up) {
  const Lesson lesson = ParseOrDie();
  const Spoilers spoilers(lesson, Progress{});
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kModelParameters), 2);
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerParameters, 1), 2);
  EXPECT_EQ(spoilers.ModelAsk(0, Ask::kLayerMultiplyAdds, 1), -1);
}

TEST(spoilers, an_open_layer_count_hides_the_total_it_could_be_worked_back_from) {
  const Lesson lesson = ParseOrDie();
  Progress progress;
  progress.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, "total"));
  // The total minus the other layers' counts would give the convolution's count away.
  EXPECT_EQ(Spoilers(lesson, progress).ModelAsk(0, Ask::kModelParameters), 3);
  progress.exercises_revealed.insert(Progress::ExerciseKey(lesson.slug, "conv-parameters"));
  EXPECT_EQ(Spoilers(lesson, progress).ModelAsk(0, Ask::kModelParameters), -1);
}

TEST(spoilers, inline_values_that_state_an_open_answer_are_hidden) {
  const Lesson lesson = ParseOrDie();
  const Spoilers spoilers(lesson, Progress{});
  EXPECT_EQ(spoilers.InlineValue(lesson, InlineSpan(lesson, "jump.output_height")), 0);
  // The formula ends in the answer.
  EXPECT_EQ(spoilers.InlineValue(lesson, InlineSpan(lesson, "jump.rows_formula")), 0);
  EXPECT_EQ(spoilers.InlineValue(lesson, InlineSpan(lesson, "tiny.layer_shape.2")), 1);
}

TEST(spoilers, inline_values_of_other_asks_stay_visible) {
  const Lesson lesson = ParseOrDie();
  const Spoilers spoilers(lesson, Progress{});
  EXPECT_EQ(spoilers.InlineValue(lesson, InlineSpan(lesson, "jump.output_width")), -1);
  EXPECT_EQ(spoilers.InlineValue(lesson, InlineSpan(lesson, "tiny.layer_shape.1")), -1);
}

TEST(spoilers, the_sandbox_hides_nothing) {
  const Spoilers nothing;
  EXPECT_EQ(nothing.SceneAsk(0, Ask::kOutputHeight), -1);
  EXPECT_TRUE(nothing.open().empty());
}

TEST(spoilers, the_placeholder_note_counts_exercises_from_one) {
  EXPECT_EQ(convtutor::lessons::PredictFirstNote(1), "Predict it in exercise 2 first");
}

TEST(progress, revealed_exercises_survive_a_save_and_load) {
  Progress progress;
  progress.exercises_revealed.insert(Progress::ExerciseKey("03-padding", "same-rows"));
  const auto loaded = Progress::FromJson(progress.ToJson());
  ASSERT_TRUE(loaded);
  EXPECT_TRUE(loaded.value().IsRevealed("03-padding", "same-rows"));
  EXPECT_FALSE(loaded.value().IsSolved("03-padding", "same-rows"));
}

}  // namespace
