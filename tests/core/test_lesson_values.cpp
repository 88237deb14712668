// Inline computed values in lesson prose: "=<id>.<what>" spans become the numbers the core
// computes, and a value that cannot be computed breaks the lesson with its line.
#include <gtest/gtest.h>

#include <string>

#include "convtutor/lesson.h"

namespace {

using namespace convtutor::lessons;

// A 256-wide single-channel input under a 4×4 kernel with stride 2, declared as a model, and a small
// 7×7 scene with kernel 3, stride 2, TF "same" padding: ceil(7 / 2) = 4, total padding
// (4 − 1)·2 + 3 − 7 = 2 → 1 before, 1 after (worked by hand).
const char* kLesson = R"(# Values

The valid output is `=valid.layer_shape.1` wide.

A same scene gives `=small.output_width` columns with padding `=small.padding_cols`.

| what | value |
|---|---|
| parameters | `=valid.layer_parameters.1` |

Ordinary `code` stays code.

```model valid
Input(256, 256, 1)
Conv2D(32, (4, 4), strides=(2, 2))
```

```scene
{"id": "small", "title": "small", "op": "conv2d", "padding": "same", "stride": 2,
 "input": {"shape": [1, 7, 7], "fill": "ones"}, "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}}
```
)";

std::string TextOf(const Block& block) {
  std::string text;
  for (const Span& span : block.spans) text += span.text;
  return text;
}

TEST(inline_values, are_replaced_by_the_numbers_the_core_computes) {
  const ParsedLesson parsed = ParseLesson(kLesson, "lessons/values.md");
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.front().ToString();
  const std::vector<Block>& blocks = parsed.lesson.blocks;
  // ⌊(256 − 4) / 2⌋ + 1 = 127 per side, 32 filters.
  EXPECT_EQ(TextOf(blocks[1]), "The valid output is (127, 127, 32) wide.");
  EXPECT_EQ(TextOf(blocks[2]), "A same scene gives 4 columns with padding 1 before, 1 after.");
}

TEST(inline_values, are_marked_as_computed_and_leave_ordinary_code_alone) {
  const ParsedLesson parsed = ParseLesson(kLesson, "lessons/values.md");
  ASSERT_TRUE(parsed.errors.empty());
  int computed = 0, code = 0;
  for (const Block& block : parsed.lesson.blocks) {
    for (const Span& span : block.spans) {
      computed += span.computed ? 1 : 0;
      code += span.code ? 1 : 0;
    }
  }
  EXPECT_EQ(computed, 3);
  EXPECT_EQ(code, 1);
}

TEST(inline_values, work_inside_table_cells) {
  const ParsedLesson parsed = ParseLesson(kLesson, "lessons/values.md");
  ASSERT_TRUE(parsed.errors.empty());
  for (const Block& block : parsed.lesson.blocks) {
    if (block.kind != BlockKind::kTable) continue;
    // (4·4·1 + 1)·32 = 544 parameters.
    ASSERT_EQ(block.rows.size(), 2u);
    EXPECT_EQ(block.rows[1][1].front().text, "544");
    return;
  }
  FAIL() << "no table";
}

TEST(inline_values, naming_an_unknown_block_breaks_the_lesson_at_its_line) {
  const ParsedLesson parsed = ParseLesson("# T\n\nSee `=nowhere.output_width` here.\n", "lessons/bad.md");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].field, "lessons/bad.md");
  EXPECT_EQ(parsed.errors[0].line, 3);
  EXPECT_NE(parsed.errors[0].message.find("nowhere"), std::string::npos);
}

TEST(inline_values, asking_a_scene_for_an_unknown_value_names_it) {
  std::string text = kLesson;
  text += "\nAnd `=small.colour` too.\n";
  const ParsedLesson parsed = ParseLesson(text, "lessons/bad.md");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("colour"), std::string::npos);
}

TEST(inline_values, a_layer_past_the_end_of_the_model_is_an_error) {
  std::string text = kLesson;
  text += "\nLayer `=valid.layer_shape.5`.\n";
  const ParsedLesson parsed = ParseLesson(text, "lessons/bad.md");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("layers 0 to 1"), std::string::npos);
}

}  // namespace
