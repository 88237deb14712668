// Lessons: every real lesson file loads cleanly with computable, checkable exercises; the Markdown
// document model (blocks, spans, lines); broken lesson texts report the right file and line; progress.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "convtutor/lesson.h"
#include "../other_kinds_lesson.h"
#include "../scratch_folder.h"

namespace {

using namespace convtutor::lessons;
using convtutor::testing::kOtherKindsLesson;

const std::string kLessonFolder = std::string(CONVTUTOR_SOURCE_DIR) + "/lessons";

// ---- The real lessons -------------------------------------------------------------------------

TEST(lessons, every_lesson_file_parses_with_zero_errors) {
  const LessonLibrary library = LoadLessons(kLessonFolder);
  for (const convtutor::Error& error : library.errors) ADD_FAILURE() << error.ToString();
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kLessonFolder)) {
    if (entry.path().extension() == ".md") ++files;
  }
  EXPECT_GE(files, 1u);
  EXPECT_EQ(library.lessons.size(), files);
}

TEST(lessons, lessons_come_sorted_by_file_name_with_titles) {
  const LessonLibrary library = LoadLessons(kLessonFolder);
  for (std::size_t i = 1; i < library.lessons.size(); ++i) {
    EXPECT_LT(library.lessons[i - 1].file, library.lessons[i].file);
  }
  for (const Lesson& lesson : library.lessons) {
    EXPECT_FALSE(lesson.title.empty()) << lesson.file;
    EXPECT_NE(lesson.title, lesson.slug) << lesson.file << " has no # title";
  }
}

TEST(lessons, every_scene_is_valid_and_opens_at_a_step_it_has) {
  for (const Lesson& lesson : LoadLessons(kLessonFolder).lessons) {
    for (const LessonScene& scene : lesson.scenes) {
      const convtutor::Geometry& geometry = scene.request.geometry;
      EXPECT_GT(geometry.out_height, 0) << lesson.file << " " << scene.id;
      EXPECT_GT(geometry.out_width, 0) << lesson.file << " " << scene.id;
      const auto steps = convtutor::StepCount(scene.request.scene, geometry, scene.level);
      EXPECT_LT(scene.step, steps) << lesson.file << " " << scene.id;
      EXPECT_FALSE(scene.title.empty());
    }
  }
}

TEST(lessons, every_exercise_accepts_its_computed_answer_and_rejects_a_wrong_one_with_a_hint) {
  for (const Lesson& lesson : LoadLessons(kLessonFolder).lessons) {
    for (const Exercise& exercise : lesson.exercises) {
      const std::string where = lesson.file + " " + exercise.id;
      ASSERT_FALSE(exercise.answer.numbers.empty()) << where;
      EXPECT_TRUE(CheckAnswer(exercise, exercise.answer.text).correct) << where << ": " << exercise.answer.text;
      EXPECT_FALSE(exercise.question.empty()) << where;
      // A choice may be about an idea rather than one scene or model.
      EXPECT_TRUE(exercise.scene >= 0 || exercise.model >= 0 || exercise.kind == ExerciseKind::kChoice) << where;
      // A far-off answer of the right form.
      std::string wrong;
      for (double number : exercise.answer.numbers) wrong += std::to_string(std::llround(number) + 1000) + " ";
      const CheckResult result = CheckAnswer(exercise, wrong);
      EXPECT_FALSE(result.correct) << where;
      EXPECT_FALSE(result.hint.empty()) << where;
      // Each typical mistake is rejected with its own hint.
      for (const Mistake& mistake : exercise.mistakes) {
        const CheckResult checked = CheckAnswer(exercise, mistake.result.text);
        EXPECT_FALSE(checked.correct) << where << ": " << mistake.result.text;
        EXPECT_EQ(checked.hint, mistake.hint) << where << ": " << mistake.result.text;
      }
    }
  }
}

TEST(lessons, every_link_in_a_lesson_points_at_something_that_exists) {
  for (const Lesson& lesson : LoadLessons(kLessonFolder).lessons) {
    for (const Block& block : lesson.blocks) {
      for (const Span& span : block.spans) {
        if (span.link.empty()) continue;
        const LinkTarget target = ResolveLink(lesson, span.link);
        if (target.kind == LinkTarget::Kind::kScene || target.kind == LinkTarget::Kind::kExercise) {
          EXPECT_GE(target.index, 0) << lesson.file << ": " << span.link;
        }
      }
    }
  }
}

TEST(lessons, the_examples_in_the_teachers_guide_parse_cleanly) {
  // Every ````markdown example in docs/writing-lessons.md, joined into one lesson.
  std::ifstream file(std::string(CONVTUTOR_SOURCE_DIR) + "/docs/writing-lessons.md");
  std::stringstream guide;
  guide << file.rdbuf();
  const std::string text = guide.str();
  std::string examples;
  int count = 0;
  for (std::size_t open = text.find("\n````markdown\n"); open != std::string::npos;
       open = text.find("\n````markdown\n", open + 1)) {
    const std::size_t start = open + 14;
    const std::size_t close = text.find("\n````\n", start);
    ASSERT_NE(close, std::string::npos);
    examples += text.substr(start, close + 1 - start) + "\n";
    ++count;
  }
  EXPECT_GE(count, 4);
  const ParsedLesson parsed = ParseLesson(examples, "docs/writing-lessons.md");
  for (const convtutor::Error& error : parsed.errors) ADD_FAILURE() << error.ToString();
  EXPECT_GE(parsed.lesson.scenes.size(), 2u);
  EXPECT_GE(parsed.lesson.exercises.size(), 2u);
  EXPECT_EQ(parsed.lesson.models.size(), 2u);  // cats, and a broken one for find_line
  std::set<ExerciseKind> kinds;
  for (const Exercise& exercise : parsed.lesson.exercises) kinds.insert(exercise.kind);
  EXPECT_EQ(kinds.size(), 5u) << "the guide shows every kind of exercise";
}

// ---- The document model -----------------------------------------------------------------------

Lesson Parse(const std::string& text) {
  ParsedLesson parsed = ParseLesson(text, "lessons/99-test.md");
  for (const convtutor::Error& error : parsed.errors) ADD_FAILURE() << error.ToString();
  return parsed.lesson;
}

TEST(markdown, headings_keep_their_level_and_the_first_one_is_the_title) {
  const Lesson lesson = Parse("# Padding\n\nText.\n\n## Why pad\n\n### Deeper\n");
  ASSERT_EQ(lesson.blocks.size(), 4u);
  EXPECT_EQ(lesson.title, "Padding");
  EXPECT_EQ(lesson.slug, "99-test");
  EXPECT_EQ(lesson.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(lesson.blocks[0].level, 1);
  EXPECT_EQ(lesson.blocks[2].level, 2);
  EXPECT_EQ(lesson.blocks[3].level, 3);
}

TEST(markdown, a_byte_order_mark_or_windows_line_ends_change_nothing) {
  const Lesson with_mark = Parse("\xEF\xBB\xBF# Title\n\nText.\n");
  EXPECT_EQ(with_mark.title, "Title");
  const Lesson windows = Parse("# Title\r\n\r\nText\r\n\r\n---\r\n");
  ASSERT_EQ(windows.blocks.size(), 3u);
  EXPECT_EQ(windows.blocks[1].spans[0].text, "Text");
  EXPECT_EQ(windows.blocks[2].line, 5);
}

TEST(markdown, paragraph_spans_carry_emphasis_strong_code_and_links) {
  const Lesson lesson = Parse("Plain *soft* **bold** `code` [go](https://example.org) end\n");
  ASSERT_EQ(lesson.blocks.size(), 1u);
  const std::vector<Span>& spans = lesson.blocks[0].spans;
  ASSERT_EQ(spans.size(), 9u);
  EXPECT_EQ(spans[0].text, "Plain ");
  EXPECT_TRUE(spans[1].emphasis);
  EXPECT_EQ(spans[1].text, "soft");
  EXPECT_TRUE(spans[3].strong);
  EXPECT_TRUE(spans[5].code);
  EXPECT_EQ(spans[5].text, "code");
  EXPECT_EQ(spans[7].link, "https://example.org");
  EXPECT_EQ(spans[7].text, "go");
  EXPECT_EQ(spans[8].text, " end");
}

TEST(markdown, soft_breaks_become_spaces_and_entities_are_decoded) {
  const Lesson lesson = Parse("one\ntwo &amp; 3 &times; 4\n");
  ASSERT_EQ(lesson.blocks.size(), 1u);
  ASSERT_EQ(lesson.blocks[0].spans.size(), 1u);
  EXPECT_EQ(lesson.blocks[0].spans[0].text, "one two & 3 \u00D7 4");
}

TEST(markdown, nested_lists_give_depth_and_numbers) {
  const Lesson lesson = Parse("1. first\n2. second\n   - inner\n   - more\n3. third\n");
  ASSERT_EQ(lesson.blocks.size(), 5u);
  EXPECT_EQ(lesson.blocks[0].kind, BlockKind::kListItem);
  EXPECT_TRUE(lesson.blocks[0].ordered);
  EXPECT_EQ(lesson.blocks[0].number, 1);
  EXPECT_EQ(lesson.blocks[1].number, 2);
  EXPECT_EQ(lesson.blocks[2].depth, 2);
  EXPECT_FALSE(lesson.blocks[2].ordered);
  EXPECT_EQ(lesson.blocks[2].spans[0].text, "inner");
  EXPECT_EQ(lesson.blocks[4].depth, 1);
  EXPECT_EQ(lesson.blocks[4].number, 3);
  EXPECT_EQ(lesson.blocks[4].line, 5);
}

TEST(markdown, loose_list_items_take_their_first_paragraph_and_later_ones_stay_inside) {
  const Lesson lesson = Parse("- item one\n\n  more about one\n\n- item two\n");
  ASSERT_EQ(lesson.blocks.size(), 3u);
  EXPECT_EQ(lesson.blocks[0].kind, BlockKind::kListItem);
  EXPECT_EQ(lesson.blocks[0].spans[0].text, "item one");
  EXPECT_EQ(lesson.blocks[1].kind, BlockKind::kParagraph);
  EXPECT_EQ(lesson.blocks[1].depth, 1);
  EXPECT_EQ(lesson.blocks[1].line, 3);
  EXPECT_EQ(lesson.blocks[2].kind, BlockKind::kListItem);
}

TEST(markdown, tables_are_rows_of_cells_with_the_header_first) {
  const Lesson lesson = Parse("Intro\n\n| a | *b* |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n");
  ASSERT_EQ(lesson.blocks.size(), 2u);
  const Block& table = lesson.blocks[1];
  EXPECT_EQ(table.kind, BlockKind::kTable);
  EXPECT_EQ(table.line, 3);
  ASSERT_EQ(table.rows.size(), 3u);
  ASSERT_EQ(table.rows[0].size(), 2u);
  EXPECT_TRUE(table.rows[0][1][0].emphasis);
  EXPECT_EQ(table.rows[2][1][0].text, "4");
}

TEST(markdown, code_blocks_rules_and_quotes_keep_their_lines) {
  const Lesson lesson = Parse("Text\n\n```python\nx = 1\n```\n\n---\n\n> quoted\n");
  ASSERT_EQ(lesson.blocks.size(), 4u);
  EXPECT_EQ(lesson.blocks[1].kind, BlockKind::kCode);
  EXPECT_EQ(lesson.blocks[1].language, "python");
  EXPECT_EQ(lesson.blocks[1].code, "x = 1\n");
  EXPECT_EQ(lesson.blocks[1].line, 3);
  EXPECT_EQ(lesson.blocks[2].kind, BlockKind::kRule);
  EXPECT_EQ(lesson.blocks[2].line, 7);
  EXPECT_TRUE(lesson.blocks[3].quote);
  EXPECT_EQ(lesson.blocks[3].line, 9);
}

// Found by the lesson fuzz target: a lone "#" (and a lone "-", a table of empty cells, a paragraph
// of a NUL byte) had line 0.
TEST(markdown, blocks_without_text_still_have_their_line) {
  const Lesson lesson = Parse(std::string("#\n\nText\n\n") + '\0' + "\n\n-\n  - inner\n\n|   |   |\n|---|---|\n");
  ASSERT_EQ(lesson.blocks.size(), 6u);
  EXPECT_EQ(lesson.blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(lesson.blocks[0].line, 1);
  EXPECT_EQ(lesson.blocks[2].kind, BlockKind::kParagraph);
  EXPECT_EQ(lesson.blocks[2].line, 5);
  EXPECT_EQ(lesson.blocks[3].kind, BlockKind::kListItem);
  EXPECT_EQ(lesson.blocks[3].line, 7);
  EXPECT_EQ(lesson.blocks[4].line, 8);
  EXPECT_EQ(lesson.blocks[5].kind, BlockKind::kTable);
  EXPECT_EQ(lesson.blocks[5].line, 10);
}

// Found by the lesson fuzz target: a fence without an info word, whose code begins with a blank line.
TEST(markdown, a_bare_fence_starting_with_a_blank_line_starts_at_its_fence) {
  const Lesson lesson = Parse("Text\n\n```\n\nx = 1\n```\n");
  ASSERT_EQ(lesson.blocks.size(), 2u);
  EXPECT_EQ(lesson.blocks[1].kind, BlockKind::kCode);
  EXPECT_EQ(lesson.blocks[1].line, 3);
}

const char* kSceneLesson =
    "# Scenes\n"                                                                // 1
    "\n"                                                                        // 2
    "See [it](#scene=demo&step=3) and [try](#exercise=rows).\n"                 // 3
    "\n"                                                                        // 4
    "```scene\n"                                                                // 5
    "{\"id\": \"demo\", \"title\": \"Demo\", \"op\": \"conv2d\", \"level\": \"term\", \"step\": 2,\n"
    " \"input\": {\"shape\": [1, 5, 5], \"fill\": \"ramp\"},\n"
    " \"weights\": {\"shape\": [1, 1, 3, 3], \"fill\": \"ones\"}}\n"
    "```\n"                                                                     // 9
    "\n"
    "```exercise\n"                                                             // 11
    "{\"id\": \"rows\", \"scene\": \"demo\", \"ask\": \"output_height\", \"question\": \"Rows?\"}\n"
    "```\n"
    "\n"
    "```model small\n"                                                          // 15
    "Input(8, 8, 1)\n"
    "Conv2D(2, 3)\n"
    "```\n";

TEST(markdown, scene_exercise_and_model_blocks_become_references_in_place) {
  const Lesson lesson = Parse(kSceneLesson);
  ASSERT_EQ(lesson.scenes.size(), 1u);
  ASSERT_EQ(lesson.exercises.size(), 1u);
  ASSERT_EQ(lesson.models.size(), 1u);
  ASSERT_EQ(lesson.blocks.size(), 5u);
  EXPECT_EQ(lesson.blocks[2].kind, BlockKind::kScene);
  EXPECT_EQ(lesson.blocks[2].line, 5);
  EXPECT_EQ(lesson.blocks[3].kind, BlockKind::kExercise);
  EXPECT_EQ(lesson.blocks[3].line, 11);
  EXPECT_EQ(lesson.blocks[4].kind, BlockKind::kModel);
  EXPECT_EQ(lesson.models[0].id, "small");
  EXPECT_EQ(lesson.models[0].summary.layers[1].line, 17);
  const LessonScene& scene = lesson.scenes[0];
  EXPECT_EQ(scene.title, "Demo");
  EXPECT_EQ(scene.level, convtutor::Level::kTerm);
  EXPECT_EQ(scene.step, 2);
  EXPECT_EQ(scene.json.count("id"), 0u);  // the sandbox gets a plain request
  EXPECT_EQ(lesson.exercises[0].scene, 0);
  EXPECT_TRUE(CheckAnswer(lesson.exercises[0], "3").correct);  // 5 − 3 + 1
}

TEST(markdown, lesson_links_resolve_to_scenes_steps_and_exercises) {
  const Lesson lesson = Parse(kSceneLesson);
  const LinkTarget scene = ResolveLink(lesson, "#scene=demo&step=3");
  EXPECT_EQ(scene.kind, LinkTarget::Kind::kScene);
  EXPECT_EQ(scene.index, 0);
  EXPECT_EQ(scene.step, 3);
  const LinkTarget exercise = ResolveLink(lesson, "#exercise=rows");
  EXPECT_EQ(exercise.kind, LinkTarget::Kind::kExercise);
  EXPECT_EQ(exercise.index, 0);
  EXPECT_EQ(ResolveLink(lesson, "#lesson=03-padding").kind, LinkTarget::Kind::kLesson);
  const LinkTarget picture = ResolveLink(lesson, "#lesson=sandbox&image=camera");
  EXPECT_EQ(picture.kind, LinkTarget::Kind::kLesson);
  EXPECT_EQ(picture.id, "sandbox");
  EXPECT_EQ(picture.image, "camera");
  EXPECT_EQ(ResolveLink(lesson, "https://example.org").kind, LinkTarget::Kind::kExternal);
}

// ---- Broken lessons ---------------------------------------------------------------------------

// The one error a broken text gives: its file and line.
convtutor::Error OnlyError(const std::string& text) {
  const ParsedLesson parsed = ParseLesson(text, "lessons/42-broken.md");
  EXPECT_EQ(parsed.errors.size(), 1u);
  for (const convtutor::Error& error : parsed.errors) std::cout << "  reported: " << error.ToString() << "\n";
  return parsed.errors.empty() ? convtutor::Error{} : parsed.errors[0];
}

const std::string kGoodScene =
    "```scene\n{\"id\": \"s\", \"op\": \"conv2d\", \"input\": {\"shape\": [1, 5, 5]},\n"
    " \"weights\": {\"shape\": [1, 1, 3, 3]}}\n```\n";

TEST(broken_lessons, unreadable_scene_json_names_the_line_where_it_breaks) {
  const convtutor::Error error = OnlyError("# T\n\n```scene\n{\"id\": \"s\",\n \"op\": \"conv2d\"\n \"input\": 1}\n```\n");
  EXPECT_EQ(error.field, "lessons/42-broken.md");
  EXPECT_EQ(error.line, 6);
  EXPECT_NE(error.message.find("JSON"), std::string::npos);
}

TEST(broken_lessons, an_unknown_scene_field_names_its_line) {
  const convtutor::Error error = OnlyError(
      "# T\n\n```scene\n{\"id\": \"s\", \"op\": \"conv2d\",\n \"strides\": 2,\n"
      " \"input\": {\"shape\": [1, 5, 5]}, \"weights\": {\"shape\": [1, 1, 3, 3]}}\n```\n");
  EXPECT_EQ(error.line, 5);
  EXPECT_NE(error.message.find("strides"), std::string::npos);
}

TEST(broken_lessons, a_scene_the_core_rejects_names_the_field_and_its_line) {
  const convtutor::Error error = OnlyError(
      "# T\n\n```scene\n{\"id\": \"s\", \"op\": \"conv2d\", \"input\": {\"shape\": [1, 5, 5]},\n"
      " \"weights\": {\"shape\": [1, 1, 3, 3]},\n \"stride\": 0}\n```\n");
  EXPECT_EQ(error.line, 6);
  EXPECT_NE(error.message.find("stride"), std::string::npos);
}

TEST(broken_lessons, a_scene_without_an_id_is_reported_at_its_fence) {
  const convtutor::Error error = OnlyError("# T\n\nText\n\n```scene\n{\"op\": \"conv2d\"}\n```\n");
  EXPECT_EQ(error.line, 5);
  EXPECT_NE(error.message.find("id"), std::string::npos);
}

TEST(broken_lessons, an_exercise_on_a_missing_scene_names_the_scene_line) {
  const convtutor::Error error = OnlyError(
      "# T\n\n" + kGoodScene + "\n```exercise\n{\"id\": \"e\", \"question\": \"?\", \"ask\": \"output_height\",\n"
      " \"scene\": \"nope\"}\n```\n");
  EXPECT_EQ(error.line, 10);
  EXPECT_NE(error.message.find("nope"), std::string::npos);
}

TEST(broken_lessons, an_exercise_whose_answer_cannot_be_computed_is_reported) {
  // The output of a 5×5 input under a 3×3 kernel is 3×3: cell [7, 0] does not exist.
  const convtutor::Error error = OnlyError(
      "# T\n\n" + kGoodScene + "\n```exercise\n{\"id\": \"e\", \"question\": \"?\", \"ask\": \"value\", \"scene\": \"s\",\n"
      " \"cell\": [7, 0]}\n```\n");
  EXPECT_EQ(error.line, 10);
  EXPECT_NE(error.message.find("cell"), std::string::npos);
}

TEST(broken_lessons, an_exercise_with_an_unknown_ask_lists_the_known_ones) {
  const convtutor::Error error = OnlyError(
      "# T\n\n" + kGoodScene + "\n```exercise\n{\"id\": \"e\", \"question\": \"?\", \"scene\": \"s\",\n"
      " \"ask\": \"macs\"}\n```\n");
  EXPECT_EQ(error.line, 10);
  EXPECT_NE(error.message.find("multiply_adds"), std::string::npos);
}

// ---- Exercises that ask the other way round -----------------------------------------------------


TEST(other_kinds, each_kind_of_exercise_is_read_from_its_block_and_checked) {
  const Lesson lesson = Parse(kOtherKindsLesson);
  ASSERT_EQ(lesson.exercises.size(), 4u);
  EXPECT_EQ(lesson.exercises[0].kind, ExerciseKind::kInverse);
  EXPECT_TRUE(CheckAnswer(lesson.exercises[0], "1").correct);
  EXPECT_FALSE(CheckAnswer(lesson.exercises[0], "0").correct);
  EXPECT_EQ(lesson.exercises[0].scene, 0);
  EXPECT_TRUE(CheckAnswer(lesson.exercises[1], "[5, 5, 1, 32]").correct);
  EXPECT_TRUE(lesson.models[1].broken);
  EXPECT_TRUE(CheckAnswer(lesson.exercises[2], "3").correct);  // the third line of the block
  EXPECT_EQ(lesson.exercises[2].model, 1);
  EXPECT_TRUE(CheckAnswer(lesson.exercises[3], "a").correct);
  EXPECT_EQ(CheckAnswer(lesson.exercises[3], "b").hint, "that needs padding");
}

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

TEST(broken_lessons, a_model_marked_broken_that_the_core_accepts_is_reported_at_its_fence) {
  // The find_line exercise on it then has no model either: the fence's error comes first.
  const ParsedLesson parsed = ParseLesson(Replaced(kOtherKindsLesson, "nn.Conv2d(32, 8, 3)", "nn.Conv2d(16, 8, 3)"),
                                          "lessons/42-broken.md");
  ASSERT_FALSE(parsed.errors.empty());
  const convtutor::Error& error = parsed.errors[0];
  EXPECT_EQ(error.line, 22);
  EXPECT_NE(error.message.find("accepts"), std::string::npos);
}

TEST(broken_lessons, a_choice_whose_claim_contradicts_its_right_mark_names_the_claim_line) {
  const convtutor::Error error = OnlyError(Replaced(kOtherKindsLesson, "\"is\": \"3\"", "\"is\": \"5\""));
  EXPECT_EQ(error.line, 35);
  EXPECT_NE(error.message.find("answer a is marked right but the core finds its claim false"), std::string::npos);
}

TEST(broken_lessons, an_inverse_target_no_padding_reaches_names_the_target_line) {
  // Padding only adds rows: no padding gives fewer than the 3 rows of 'valid'.
  const convtutor::Error error = OnlyError(Replaced(kOtherKindsLesson, "\"target\": 4", "\"target\": 2"));
  EXPECT_EQ(error.line, 8);
  EXPECT_NE(error.message.find("no padding gives 2 rows"), std::string::npos);
}

TEST(broken_lessons, a_predict_exercise_may_not_ask_about_a_broken_model) {
  const convtutor::Error error = OnlyError(Replaced(
      kOtherKindsLesson, R"("kind": "find_line", "model": "bad")", R"("ask": "model_parameters", "model": "bad")"));
  EXPECT_EQ(error.line, 29);
  EXPECT_NE(error.message.find("broken"), std::string::npos);
}

TEST(broken_lessons, an_unknown_exercise_kind_lists_the_known_ones) {
  const convtutor::Error error = OnlyError(Replaced(kOtherKindsLesson, "\"kind\": \"choice\"", "\"kind\": \"quiz\""));
  EXPECT_EQ(error.line, 33);
  EXPECT_NE(error.message.find("weight_shape"), std::string::npos);
}

TEST(broken_lessons, an_unknown_layer_in_a_model_names_its_line_in_the_file) {
  const convtutor::Error error = OnlyError("# T\n\n```model m\nInput(8, 8, 1)\nConv2D(4, 3)\nConv9D(2)\n```\n");
  EXPECT_EQ(error.line, 6);
  EXPECT_NE(error.message.find("Conv9D"), std::string::npos);
}

TEST(broken_lessons, a_misspelt_block_word_is_reported_not_shown_as_code) {
  const convtutor::Error error = OnlyError("# T\n\n```scenes\n{}\n```\n");
  EXPECT_EQ(error.line, 3);
  EXPECT_NE(error.message.find("scene"), std::string::npos);
}

TEST(broken_lessons, a_link_to_a_missing_scene_is_reported_on_its_line) {
  const convtutor::Error error = OnlyError("# T\n\nFirst.\n\nSee [here](#scene=ghost).\n");
  EXPECT_EQ(error.line, 5);
  EXPECT_NE(error.message.find("ghost"), std::string::npos);
}

TEST(broken_lessons, a_link_to_a_step_the_scene_does_not_have_is_reported) {
  // A 5×5 input under a 3×3 kernel has 3·3 = 9 cells: steps 0 to 8 at the cell level.
  const convtutor::Error error = OnlyError("# T\n\n" + kGoodScene + "\n[last](#scene=s&step=9)\n");
  EXPECT_EQ(error.line, 8);
  EXPECT_NE(error.message.find("0 to 8"), std::string::npos);
  EXPECT_TRUE(ParseLesson("# T\n\n" + kGoodScene + "\n[last](#scene=s&step=8)\n", "ok.md").errors.empty());
}

TEST(broken_lessons, a_repeated_scene_id_is_reported) {
  const convtutor::Error error = OnlyError("# T\n\n" + kGoodScene + "\n" + kGoodScene);
  EXPECT_EQ(error.line, 9);
}

TEST(broken_lessons, a_model_may_not_share_its_id_with_a_scene) {
  const convtutor::Error error = OnlyError("# T\n\n" + kGoodScene + "\n```model s\nInput(8, 8, 1)\nConv2D(2, 3)\n```\n");
  EXPECT_EQ(error.line, 8);
  EXPECT_NE(error.message.find("scene"), std::string::npos);
}

TEST(broken_lessons, every_problem_in_a_file_is_listed_from_the_top_down) {
  // The exercise's scene field (line 4) is checked after the scene (line 7), yet it is listed first.
  const ParsedLesson parsed = ParseLesson(
      "# T\n\n```exercise\n{\"id\": \"e\", \"question\": \"?\", \"ask\": \"output_height\", \"scene\": \"gone\"}\n```\n\n"
      "```scene\n{\"op\": \"conv2d\"}\n```\n",
      "lessons/42-broken.md");
  ASSERT_EQ(parsed.errors.size(), 2u);
  EXPECT_EQ(parsed.errors[0].line, 4);
  EXPECT_EQ(parsed.errors[1].line, 7);
}

TEST(broken_lessons, a_broken_file_is_listed_while_the_other_lessons_still_load) {
  const ScratchFolder scratch;
  const std::filesystem::path& folder = scratch.Path();
  std::ofstream(folder / "02-good.md") << "# Good\n\n" << kGoodScene;
  std::ofstream(folder / "03-broken.md") << "# Broken\n\n```scene\n{\"id\": \"x\",}\n```\n";
  std::ofstream(folder / "01-also-good.md") << "# Also good\n\nJust text.\n";
  std::ofstream(folder / "notes.txt") << "not a lesson";
  const LessonLibrary library = LoadLessons(folder.string());
  ASSERT_EQ(library.lessons.size(), 2u);
  EXPECT_EQ(library.lessons[0].slug, "01-also-good");
  EXPECT_EQ(library.lessons[1].slug, "02-good");
  ASSERT_EQ(library.errors.size(), 1u);
  EXPECT_EQ(library.errors[0].field, folder.filename().string() + "/03-broken.md");
  EXPECT_EQ(library.errors[0].line, 4);
}

TEST(broken_lessons, a_missing_folder_is_an_error_not_a_crash) {
  const LessonLibrary library = LoadLessons("/nonexistent/lessons");
  EXPECT_TRUE(library.lessons.empty());
  ASSERT_EQ(library.errors.size(), 1u);
}

// ---- Redirects of old slugs --------------------------------------------------------------------

// A course where "01-both" was split: its exercise "moved" now lives in "02-second", which was
// renamed once more to "03-second"; "01-both" keeps its exercise "kept" and its scene "s".
struct SplitCourse {
  ScratchFolder scratch;
  LessonLibrary library;
  explicit SplitCourse(const std::string& redirects) {
    const std::filesystem::path& folder = scratch.Path();
    const auto with_id = [](const std::string& id) {
      return "```exercise\n{\"id\": \"" + id + "\", \"question\": \"?\", \"ask\": \"output_height\", \"scene\": \"s\"}\n```\n";
    };
    std::ofstream(folder / "01-both.md") << "# Both\n\n" << kGoodScene << "\n" << with_id("kept");
    std::ofstream(folder / "03-second.md") << "# Second\n\n" << kGoodScene << "\n" << with_id("moved");
    std::ofstream(folder / "redirects.txt") << redirects;
    library = LoadLessons(folder.string());
  }
};

TEST(redirects, an_old_slug_leads_to_its_new_lesson_and_a_split_lesson_keeps_what_it_still_holds) {
  const SplitCourse course("# comment\n\n01-both 02-second\n02-second   03-second\n");
  for (const convtutor::Error& error : course.library.errors) ADD_FAILURE() << error.ToString();
  ASSERT_EQ(course.library.redirects.size(), 2u);
  const LessonLibrary& library = course.library;
  EXPECT_EQ(library.CurrentSlug("02-second"), "03-second");            // renamed: one line
  EXPECT_EQ(library.CurrentSlug("02-second", "moved"), "03-second");
  EXPECT_EQ(library.CurrentSlug("01-both"), "01-both");                // still a lesson
  EXPECT_EQ(library.CurrentSlug("01-both", "kept"), "01-both");        // its own exercise
  EXPECT_EQ(library.CurrentSlug("01-both", "s"), "01-both");           // its own scene
  EXPECT_EQ(library.CurrentSlug("01-both", "moved"), "03-second");     // two lines: 01 → 02 → 03
  EXPECT_EQ(library.CurrentSlug("01-both", "nowhere"), "01-both");     // no lesson holds it: stay
  EXPECT_EQ(library.CurrentSlug("99-unknown"), "99-unknown");
}

TEST(redirects, progress_stored_under_old_slugs_counts_where_the_work_lives_now) {
  const SplitCourse course("01-both 02-second\n02-second 03-second\n");
  Progress stored;
  stored.exercises_solved = {"01-both/kept", "01-both/moved"};
  stored.exercises_revealed = {"02-second/moved"};
  stored.lessons_done = {"02-second"};
  stored.last_lesson = "02-second";
  const Progress now = stored.Redirected(course.library);
  EXPECT_EQ(now.exercises_solved, (std::set<std::string>{"01-both/kept", "03-second/moved"}));
  EXPECT_EQ(now.exercises_revealed, (std::set<std::string>{"03-second/moved"}));
  EXPECT_EQ(now.lessons_done, (std::set<std::string>{"03-second"}));
  EXPECT_EQ(now.last_lesson, "03-second");
  EXPECT_EQ(now.SolvedCount(course.library.lessons[1]), 1);
}

TEST(redirects, a_broken_line_is_an_error_naming_the_file_and_line) {
  const SplitCourse course("01-both 03-second\n\nonly-one\n01-both 03-second\nx 02-missing\nx x\na b c\n");
  const std::string file = course.scratch.Path().filename().string() + "/redirects.txt";
  ASSERT_EQ(course.library.errors.size(), 5u);
  const int lines[] = {3, 4, 5, 6, 7};
  const char* words[] = {"1 words", "`01-both` is redirected twice", "`02-missing` names no lesson",
                         "`x` redirects to itself", "3 words"};
  for (std::size_t i = 0; i < 5; ++i) {
    const convtutor::Error& error = course.library.errors[i];
    EXPECT_EQ(error.field, file);
    EXPECT_EQ(error.line, lines[i]) << error.ToString();
    EXPECT_NE(error.message.find(words[i]), std::string::npos) << error.ToString();
  }
  EXPECT_EQ(course.library.lessons.size(), 2u) << "the lessons still load";
  EXPECT_EQ(course.library.CurrentSlug("01-both", "moved"), "03-second") << "the good line is kept";
}

TEST(redirects, every_old_slug_of_the_course_opens_a_lesson) {
  const LessonLibrary library = LoadLessons(kLessonFolder);
  EXPECT_FALSE(library.redirects.empty());
  for (const LessonRedirect& redirect : library.redirects) {
    const std::string now = library.CurrentSlug(redirect.from, "");
    EXPECT_TRUE(std::any_of(library.lessons.begin(), library.lessons.end(),
                            [&now](const Lesson& lesson) { return lesson.slug == now; }))
        << redirect.from << " leads to " << now;
  }
}

// ---- A folder read one lesson at a time -------------------------------------------------------

// The lesson files' slugs in the folder, sorted by file name, found without the core.
std::vector<std::string> LessonFileSlugs(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() == ".md") files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  for (std::string& file : files) file.erase(file.size() - 3);
  return files;
}

std::vector<std::string> ErrorLines(const LessonLibrary& library) {
  std::vector<std::string> lines;
  for (const convtutor::Error& error : library.errors) lines.push_back(error.ToString());
  return lines;
}

std::vector<std::string> LessonSlugs(const LessonLibrary& library) {
  std::vector<std::string> slugs;
  for (const Lesson& lesson : library.lessons) slugs.push_back(lesson.slug);
  return slugs;
}

TEST(lesson_folder, lists_every_lesson_file_at_once_and_reads_none_until_asked) {
  const LessonFolder folder(kLessonFolder);
  const std::vector<std::string> slugs = LessonFileSlugs(kLessonFolder);
  ASSERT_GE(slugs.size(), 2u);
  EXPECT_EQ(folder.Slugs(), slugs);
  EXPECT_EQ(folder.UnreadCount(), slugs.size());
  EXPECT_TRUE(folder.Library().lessons.empty());
  EXPECT_TRUE(folder.Library().errors.empty());
}

TEST(lesson_folder, a_lesson_read_alone_is_whole_and_the_others_stay_unread) {
  LessonFolder folder(kLessonFolder);
  const std::vector<std::string> slugs = LessonFileSlugs(kLessonFolder);
  ASSERT_TRUE(folder.Read(slugs[1]));
  EXPECT_FALSE(folder.Read(slugs[1])) << "a lesson is read once";
  EXPECT_FALSE(folder.Read("no-such-lesson"));
  ASSERT_EQ(LessonSlugs(folder.Library()), std::vector<std::string>{slugs[1]});
  EXPECT_EQ(folder.UnreadCount(), slugs.size() - 1);
  const LessonLibrary whole = LoadLessons(kLessonFolder);
  const Lesson& alone = folder.Library().lessons[0];
  const Lesson& in_whole = whole.lessons[1];
  EXPECT_EQ(alone.title, in_whole.title);
  EXPECT_EQ(alone.file, in_whole.file);
  EXPECT_EQ(alone.blocks.size(), in_whole.blocks.size());
  EXPECT_EQ(alone.scenes.size(), in_whole.scenes.size());
  EXPECT_EQ(alone.exercises.size(), in_whole.exercises.size());
}

// A course with a good lesson on each side of a broken one and a redirects.txt with a bad line.
struct MixedCourse {
  ScratchFolder scratch;
  MixedCourse() {
    const std::filesystem::path& folder = scratch.Path();
    std::ofstream(folder / "01-first.md") << "# First\n\n" << kGoodScene;
    std::ofstream(folder / "02-broken.md") << "# Broken\n\n```scene\n{\"id\": \"x\",}\n```\n";
    std::ofstream(folder / "03-last.md") << "# Last\n\nJust text.\n\n```scene\n{\"id\": \"y\", \"op\": \"conv9d\"}\n```\n";
    std::ofstream(folder / "04-fine.md") << "# Fine\n\nJust text.\n";
    std::ofstream(folder / "redirects.txt") << "00-old 01-first\nonly-one\n00-gone 02-broken\n";
  }
  std::string Folder() const { return scratch.Path().string(); }
};

TEST(lesson_folder, read_in_any_order_it_ends_as_load_lessons_does) {
  const MixedCourse course;
  const LessonLibrary whole = LoadLessons(course.Folder());
  // Hand-checked: two good lessons; the broken files' lines, then redirects.txt's (line 2 has one
  // word, line 3 leads to a file that did not read).
  EXPECT_EQ(LessonSlugs(whole), (std::vector<std::string>{"01-first", "04-fine"}));
  ASSERT_EQ(whole.errors.size(), 4u);
  const std::string prefix = course.scratch.Path().filename().string() + "/";
  EXPECT_EQ(whole.errors[0].field, prefix + "02-broken.md");
  EXPECT_EQ(whole.errors[0].line, 4);
  EXPECT_EQ(whole.errors[1].field, prefix + "03-last.md");
  EXPECT_EQ(whole.errors[1].line, 6);
  EXPECT_EQ(whole.errors[2].field, prefix + "redirects.txt");
  EXPECT_EQ(whole.errors[2].line, 2);
  EXPECT_EQ(whole.errors[3].line, 3);
  for (const std::vector<std::string>& order : {std::vector<std::string>{"04-fine", "02-broken", "03-last", "01-first"},
                                                std::vector<std::string>{"03-last", "01-first", "04-fine", "02-broken"}}) {
    LessonFolder folder(course.Folder());
    for (const std::string& slug : order) EXPECT_TRUE(folder.Read(slug)) << slug;
    EXPECT_EQ(LessonSlugs(folder.Library()), LessonSlugs(whole));
    EXPECT_EQ(ErrorLines(folder.Library()), ErrorLines(whole));
    ASSERT_EQ(folder.Library().redirects.size(), 1u);
    EXPECT_EQ(folder.Library().redirects[0].from, "00-old");
    EXPECT_EQ(folder.UnreadCount(), 0u);
  }
}

TEST(lesson_folder, the_real_course_read_backwards_ends_as_load_lessons_does) {
  const LessonLibrary whole = LoadLessons(kLessonFolder);
  LessonFolder folder(kLessonFolder);
  std::vector<std::string> slugs = LessonFileSlugs(kLessonFolder);
  std::reverse(slugs.begin(), slugs.end());
  for (const std::string& slug : slugs) folder.Read(slug);
  EXPECT_EQ(LessonSlugs(folder.Library()), LessonSlugs(whole));
  EXPECT_EQ(ErrorLines(folder.Library()), ErrorLines(whole));
  EXPECT_EQ(folder.Library().redirects.size(), whole.redirects.size());
}

TEST(lesson_folder, a_broken_file_leaves_the_list_once_read_and_its_problems_wait_for_the_rest) {
  const MixedCourse course;
  LessonFolder folder(course.Folder());
  EXPECT_EQ(folder.Slugs(), (std::vector<std::string>{"01-first", "02-broken", "03-last", "04-fine"}));
  folder.Read("02-broken");
  EXPECT_EQ(folder.Slugs(), (std::vector<std::string>{"01-first", "03-last", "04-fine"}));
  ASSERT_EQ(folder.Library().errors.size(), 1u) << "redirects.txt is judged once every lesson is read";
  EXPECT_EQ(folder.Library().errors[0].line, 4);
  EXPECT_TRUE(folder.ReadNext());
  EXPECT_EQ(LessonSlugs(folder.Library()), std::vector<std::string>{"01-first"}) << "the first unread file is next";
  folder.ReadAll();
  EXPECT_FALSE(folder.ReadNext());
  EXPECT_EQ(folder.Library().errors.size(), 4u);
}

TEST(lesson_folder, where_an_old_slug_leads_waits_for_unread_lessons_and_the_folder_reads_them) {
  const SplitCourse course("01-both 02-second\n02-second 03-second\n");
  LessonFolder folder(course.scratch.Path().string());
  // Nothing read: whether 01-both still holds "moved" is not known yet.
  EXPECT_EQ(folder.Library().CurrentSlug("01-both", "moved"), "01-both");
  EXPECT_EQ(folder.CurrentSlug("01-both", "moved"), "03-second");
  EXPECT_EQ(folder.UnreadCount(), 0u);
  LessonFolder again(course.scratch.Path().string());
  EXPECT_EQ(again.CurrentSlug("01-both", "kept"), "01-both");
  EXPECT_EQ(again.UnreadCount(), 1u) << "01-both holds it: 03-second need not be read";
  EXPECT_EQ(again.CurrentSlug("02-second"), "03-second");
}

TEST(lesson_folder, progress_placed_before_every_lesson_is_read_ends_where_it_would_at_once) {
  const SplitCourse course("01-both 02-second\n02-second 03-second\n");
  Progress stored;
  stored.exercises_solved = {"01-both/kept", "01-both/moved", "02-second/moved"};
  stored.lessons_done = {"02-second"};
  LessonFolder folder(course.scratch.Path().string());
  folder.Read("03-second");
  // 01-both is unread, so its keys cannot be placed yet; 02-second names no file and leads on.
  Progress early = stored.Redirected(folder.Library());
  EXPECT_EQ(early.exercises_solved, (std::set<std::string>{"01-both/kept", "01-both/moved", "03-second/moved"}));
  EXPECT_EQ(early.lessons_done, (std::set<std::string>{"03-second"}));
  folder.ReadLessonsLeadingTo("03-second");
  EXPECT_EQ(folder.UnreadCount(), 0u) << "01-both leads on to 03-second, so it is read";
  EXPECT_EQ(early.Redirected(folder.Library()).exercises_solved, stored.Redirected(course.library).exercises_solved);
}

// ---- Progress ---------------------------------------------------------------------------------

TEST(progress, survives_a_round_trip_through_json) {
  Progress progress;
  progress.lessons_done.insert("01-sliding-window");
  progress.exercises_solved.insert(Progress::ExerciseKey("01-sliding-window", "rows"));
  progress.last_lesson = "02-stride";
  const auto restored = Progress::FromJson(progress.ToJson());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored.value().lessons_done, progress.lessons_done);
  EXPECT_EQ(restored.value().exercises_solved, progress.exercises_solved);
  EXPECT_EQ(restored.value().last_lesson, "02-stride");
  EXPECT_TRUE(restored.value().IsSolved("01-sliding-window", "rows"));
  EXPECT_FALSE(restored.value().IsSolved("01-sliding-window", "centre"));
}

TEST(progress, reset_forgets_everything) {
  Progress progress;
  progress.lessons_done.insert("a");
  progress.exercises_solved.insert("a/b");
  progress.last_lesson = "a";
  progress.Reset();
  EXPECT_TRUE(progress.lessons_done.empty());
  EXPECT_TRUE(progress.exercises_solved.empty());
  EXPECT_TRUE(progress.last_lesson.empty());
}

TEST(progress, unreadable_or_foreign_text_is_an_error) {
  EXPECT_FALSE(Progress::FromJson("").ok());
  EXPECT_FALSE(Progress::FromJson("{not json").ok());
  EXPECT_FALSE(Progress::FromJson("[1, 2]").ok());
  EXPECT_FALSE(Progress::FromJson(R"({"version": "one"})").ok());
  EXPECT_FALSE(Progress::FromJson(R"({"lessons_done": ["a"]})").ok());
}

TEST(progress, saved_by_a_newer_tutor_is_an_error_that_names_the_format) {
  const auto newer = Progress::FromJson(R"({"version": 7, "lessons_done": ["a"]})");
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message.find("format 7"), std::string::npos) << newer.error().message;
}

TEST(progress, a_damaged_part_is_left_out_and_named_while_the_rest_is_kept) {
  std::vector<std::string> dropped;
  const auto read = Progress::FromJson(
      R"({"version": 1, "lessons_done": ["a", 3, null, "b"], "exercises_solved": "a/x",
          "exercises_revealed": ["a/y", {}], "last_lesson": 5})",
      &dropped);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value().lessons_done, (std::set<std::string>{"a", "b"}));
  EXPECT_TRUE(read.value().exercises_solved.empty());
  EXPECT_EQ(read.value().exercises_revealed, (std::set<std::string>{"a/y"}));
  EXPECT_EQ(read.value().last_lesson, "");
  EXPECT_EQ(dropped, (std::vector<std::string>{"2 entries of lessons_done", "exercises_solved",
                                               "1 entry of exercises_revealed", "last_lesson"}));
}

TEST(progress, solved_count_counts_only_this_lessons_exercises) {
  const Lesson lesson = Parse(kSceneLesson);
  Progress progress;
  EXPECT_EQ(progress.SolvedCount(lesson), 0);
  progress.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, "rows"));
  progress.exercises_solved.insert(Progress::ExerciseKey("other", "rows"));
  EXPECT_EQ(progress.SolvedCount(lesson), 1);
}

}  // namespace
