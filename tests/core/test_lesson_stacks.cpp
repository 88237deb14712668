// Lesson scenes that stack layers ("then") or ask for a view ("receptive_field", "matrix"), the
// inline values and exercise that go with them, the ```progress block, and the lessons that use
// them (13 to 16): every such scene traces or unrolls at every cell, and bad blocks name their line.
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "convtutor/forward.h"
#include "convtutor/im2col.h"
#include "convtutor/lesson.h"
#include "convtutor/receptive_field.h"
#include "convtutor/spoilers.h"

namespace {

using namespace convtutor::lessons;

const std::string kLessonFolder = std::string(CONVTUTOR_SOURCE_DIR) + "/lessons";

Lesson Parse(const std::string& text) {
  ParsedLesson parsed = ParseLesson(text, "lessons/99-test.md");
  for (const convtutor::Error& error : parsed.errors) ADD_FAILURE() << error.ToString();
  return parsed.lesson;
}

convtutor::Error OnlyError(const std::string& text) {
  const ParsedLesson parsed = ParseLesson(text, "lessons/42-broken.md");
  EXPECT_EQ(parsed.errors.size(), 1u);
  for (const convtutor::Error& error : parsed.errors) std::cout << "  reported: " << error.ToString() << "\n";
  return parsed.errors.empty() ? convtutor::Error{} : parsed.errors[0];
}

// Two 3×3 layers on 9×9 (7×7, then 5×5), then a 2×2 pooling at stride 2: r = 1 + 2 + 2 + 1 = 6
// (the pooling's window adds 2 − 1 at jump 1), worked by hand.
const char* kStack = R"(# Stack

```scene
{"id": "stack", "title": "stack", "view": "receptive_field", "op": "conv2d",
 "input": {"shape": [1, 9, 9], "fill": "ramp"}, "weights": {"shape": [1, 1, 3, 3], "fill": "ones"},
 "then": [{"op": "conv2d", "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}},
          {"op": "max_pool2d", "kernel_size": 2}]}
```

It sees `=stack.receptive_field` cells: `=stack.receptive_field_formula`.

```exercise
{"id": "field", "scene": "stack", "ask": "receptive_field", "question": "How far?"}
```

```exercise
{"id": "first", "scene": "stack", "ask": "receptive_field", "layer": 1, "question": "After one layer?"}
```

```scene
{"id": "product", "title": "product", "view": "matrix", "op": "conv2d",
 "input": {"shape": [2, 4, 4], "fill": "ramp"}, "weights": {"shape": [3, 2, 2, 2], "fill": "ones"}}
```

The patches are `=product.matrix_rows` by `=product.matrix_columns`.

```progress
```
)";

TEST(lesson_stacks, then_stacks_layers_each_reading_the_one_before) {
  const Lesson lesson = Parse(kStack);
  ASSERT_EQ(lesson.scenes.size(), 2u);
  const LessonScene& stack = lesson.scenes[0];
  EXPECT_EQ(stack.view, SceneView::kReceptiveField);
  ASSERT_EQ(stack.layers_before.size(), 2u);
  // The scene's own layer is the last: a 2×2 pooling of the 5×5 map.
  EXPECT_EQ(stack.request.scene.layer.op, convtutor::Op::kMaxPool2d);
  EXPECT_EQ(stack.request.geometry.out_height, 2);
  // Its input is what the two convolutions make of the ramp: all-ones 3×3 kernels sum 3×3 windows,
  // so the first map's (0, 0) is 0+1+2 + 9+10+11 + 18+19+20 = 90, and the pool reads the second map.
  const convtutor::Request& first = stack.layers_before[0];
  const convtutor::Volume first_map = convtutor::Forward(first.scene, first.geometry);
  EXPECT_FLOAT_EQ(first_map.At(0, 0, 0), 90.0f);
  EXPECT_EQ(stack.layers_before[1].scene.input.values, first_map.values);
  EXPECT_EQ(lesson.scenes[1].view, SceneView::kMatrix);
  EXPECT_TRUE(lesson.scenes[1].layers_before.empty());
}

TEST(lesson_stacks, the_field_and_the_matrix_shapes_are_inline_values_and_an_exercise) {
  const Lesson lesson = Parse(kStack);
  std::string text;
  for (const Block& block : lesson.blocks) {
    for (const Span& span : block.spans) text += span.text;
  }
  EXPECT_NE(text.find("It sees 6 cells: r\u2080 = 1; r\u2081 = 1 + (3 \u2212 1)\u00B71\u00B71 = 3; r\u2082 = 3 + "
                      "(3 \u2212 1)\u00B71\u00B71 = 5; r\u2083 = 5 + (2 \u2212 1)\u00B71\u00B71 = 6"),
            std::string::npos)
      << text;
  // The exercise agrees with the inline value; "layer": 1 asks after the first layer.
  ASSERT_EQ(lesson.exercises.size(), 2u);
  EXPECT_EQ(lesson.exercises[0].answer.text, "6");
  EXPECT_EQ(lesson.exercises[0].ask, Ask::kReceptiveField);
  EXPECT_EQ(lesson.exercises[1].answer.text, "3");
  EXPECT_TRUE(CheckAnswer(lesson.exercises[0], "6").correct);
  // 4×4 input, 2×2 kernel: 3·3 = 9 windows of 2·2·2 = 8 taps.
  EXPECT_NE(text.find("The patches are 9 by 8."), std::string::npos) << text;
  // The progress block stays in place as a block of its own kind of fence.
  bool progress = false;
  for (const Block& block : lesson.blocks) progress = progress || (block.kind == BlockKind::kCode && block.language == kProgressBlock);
  EXPECT_TRUE(progress);
}

TEST(lesson_stacks, a_layers_share_of_the_parameters_is_an_inline_value) {
  // A 1×1 convolution has 1 + 1 = 2 parameters, Dense(3) on 10·10 values (100 + 1)·3 = 303; of 305:
  // 2 / 305 = 0.656% (two digits below 1%), 303 / 305 = 99.34%.
  const Lesson lesson = Parse(
      "# Shares\n\nConv `=m.parameters_share.1`, dense `=m.parameters_share.3`, flatten `=m.parameters_share.2`.\n\n"
      "```model m\nInput(10, 10, 1)\nConv2D(1, (1, 1))\nFlatten()\nDense(3)\n```\n");
  std::string text;
  for (const Span& span : lesson.blocks[1].spans) text += span.text;
  EXPECT_EQ(text, "Conv 0.66%, dense 99.3%, flatten 0%.");
}

TEST(lesson_stacks, an_open_field_exercise_hides_its_inline_values) {
  const Lesson lesson = Parse(kStack);
  const Progress progress;
  const convtutor::lessons::Spoilers spoilers(lesson, progress);
  int hidden = 0;
  for (const Block& block : lesson.blocks) {
    for (const Span& span : block.spans) {
      if (span.computed && span.expression.rfind("stack.", 0) == 0) hidden += spoilers.InlineValue(lesson, span) >= 0;
    }
  }
  EXPECT_EQ(hidden, 2);
}

TEST(lesson_stacks, a_bad_then_or_view_or_progress_block_names_its_line) {
  const std::string head = "# T\n\n```scene\n{\"id\": \"s\", \"op\": \"conv2d\", \"input\": {\"shape\": [1, 5, 5]},\n"
                           " \"weights\": {\"shape\": [1, 1, 3, 3]},\n";
  // A later layer larger than what reaches it (3×3 output, 5×5 kernel), on the "then" line.
  convtutor::Error error = OnlyError(head + " \"then\": [{\"op\": \"conv2d\", \"weights\": {\"shape\": [1, 1, 5, 5]}}]}\n```\n");
  EXPECT_EQ(error.line, 6);
  EXPECT_NE(error.message.find("then[0]"), std::string::npos);
  error = OnlyError(head + " \"then\": [{\"input\": [1]}]}\n```\n");
  EXPECT_EQ(error.line, 6);
  EXPECT_NE(error.message.find("input"), std::string::npos);
  error = OnlyError(head + " \"view\": \"cone\"}\n```\n");
  EXPECT_EQ(error.line, 6);
  EXPECT_NE(error.message.find("receptive_field"), std::string::npos);
  // A pooling layer is no matrix product.
  error = OnlyError("# T\n\n```scene\n{\"id\": \"p\", \"op\": \"max_pool2d\", \"kernel_size\": 2,\n"
                    " \"view\": \"matrix\", \"input\": {\"shape\": [1, 4, 4]}}\n```\n");
  EXPECT_EQ(error.line, 5);
  EXPECT_NE(error.message.find("conv2d"), std::string::npos);
  error = OnlyError("# T\n\n```progress\nlesson 1\n```\n");
  EXPECT_EQ(error.line, 3);
  // A receptive_field exercise needs a scene, and a layer the stack has.
  error = OnlyError(head + " \"view\": \"receptive_field\"}\n```\n\n```exercise\n{\"id\": \"e\", \"question\": \"?\",\n"
                    " \"ask\": \"receptive_field\", \"scene\": \"s\", \"layer\": 4}\n```\n");
  EXPECT_EQ(error.line, 11);
}

TEST(lesson_stacks, every_field_and_matrix_scene_of_the_lessons_works_at_every_cell) {
  int fields = 0, matrices = 0;
  for (const Lesson& lesson : LoadLessons(kLessonFolder).lessons) {
    for (const LessonScene& scene : lesson.scenes) {
      const convtutor::Geometry& last = scene.request.geometry;
      const std::string where = lesson.file + " " + scene.id;
      if (scene.view == SceneView::kReceptiveField) {
        ++fields;
        for (int y = 0; y < last.out_height; ++y) {
          for (int x = 0; x < last.out_width; ++x) {
            const auto field = convtutor::TraceReceptiveField(scene.Stack(), y, x);
            ASSERT_TRUE(field) << where << ": " << field.error().ToString();
            EXPECT_EQ(field.value().rows.levels.back().first, y) << where;
            EXPECT_GT(field.value().rows.levels.front().Extent(), 0) << where;
          }
        }
      }
      if (scene.view == SceneView::kMatrix) {
        ++matrices;
        const auto unrolled = convtutor::Unroll(scene.request.scene, last);
        ASSERT_TRUE(unrolled) << where << ": " << unrolled.error().ToString();
        const convtutor::Volume output = convtutor::Forward(scene.request.scene, last);
        for (int o = 0; o < last.out_channels; ++o) {
          for (int row = 0; row < unrolled.value().rows; ++row) {
            const float value = convtutor::RowTimesColumn(unrolled.value(), scene.request.scene, row, o);
            EXPECT_NEAR(value, output.At(o, row / last.out_width, row % last.out_width), 1e-4f) << where;
          }
        }
      }
    }
  }
  EXPECT_GE(fields, 4);
  EXPECT_GE(matrices, 3);
}

TEST(lesson_stacks, the_closing_lesson_shows_the_progress_of_the_course) {
  const LessonLibrary library = LoadLessons(kLessonFolder);
  for (const char* slug : {"14-receptive-field", "15-where-the-parameters-live", "16-convolution-as-matrix-product",
                           "19-what-next"}) {
    bool found = false;
    for (const Lesson& lesson : library.lessons) {
      if (lesson.slug != slug) continue;
      found = true;
      EXPECT_FALSE(lesson.scenes.empty()) << slug;
      EXPECT_FALSE(lesson.exercises.empty()) << slug;
      bool progress = false;
      for (const Block& block : lesson.blocks) progress = progress || block.language == kProgressBlock;
      EXPECT_EQ(progress, std::string(slug) == "19-what-next") << slug;
    }
    EXPECT_TRUE(found) << slug << " did not load";
  }
}

}  // namespace
