// The lesson panel driven headlessly (a Dear ImGui context with no window or GPU): what the learner
// types becomes the requests the App applies, the verdict is the core's, text wraps at the panel's
// width, tables share it sensibly, and no answer shows before its exercise is solved or revealed.
// The lesson is hand-worked: 5×5 input, 3×3 kernel, stride 2 → 2 rows. Values in cells are
// written as the learner expects to read them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>

#include "convtutor/exercise.h"
#include "convtutor/lesson.h"
#include "convtutor/spoilers.h"
#include "../other_kinds_lesson.h"
#include "panels/lesson_panel.h"
#include "panels/markdown_view.h"
#include "panels/shape_panel.h"
#include "panels/ui_theme.h"

namespace {

using convtutor::app::DrawLessonPanel;
using convtutor::app::LessonPanelRequest;
using convtutor::app::LessonPanelState;
using convtutor::lessons::Lesson;
using convtutor::lessons::Progress;

constexpr int kEnterKey = 13;  // where the fake keyboard puts Enter in io.KeysDown

constexpr const char* kLessonText = R"md(# Stride

A window that jumps two cells at a time visits **fewer places**, so its output is smaller. This
paragraph is long on purpose: in a narrow panel it has to wrap over several lines, while a wide
panel fits it on fewer. [Show it](#scene=jump).

```scene
{"id": "jump", "title": "Stride 2", "op": "conv2d",
 "input": {"shape": [1, 5, 5], "fill": "ramp"},
 "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "stride": 2}
```

```exercise
{"id": "rows", "scene": "jump", "ask": "output_height",
 "question": "How many rows does the output have?"}
```
)md";

Lesson ParseOrDie(const char* text, const std::string& file_name) {
  convtutor::lessons::ParsedLesson parsed = convtutor::lessons::ParseLesson(text, file_name);
  EXPECT_TRUE(parsed.errors.empty()) << (parsed.errors.empty() ? "" : parsed.errors[0].ToString());
  return parsed.lesson;
}

// One Dear ImGui context for one test, with the built-in font and a fake keyboard.
class HeadlessPanel : public ::testing::Test {
 protected:
  HeadlessPanel() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1600.0f, 4000.0f);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.Fonts->AddFontDefault();
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    io.KeyMap[ImGuiKey_Enter] = kEnterKey;
  }
  ~HeadlessPanel() override { ImGui::DestroyContext(); }

  // Draws one frame of the panel in a window `width` pixels wide; returns what it asked for.
  LessonPanelRequest Frame(float width = 500.0f) {
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
    ImGui::SetNextWindowSize(ImVec2(width, 3900.0f));
    ImGui::Begin("lesson", nullptr, ImGuiWindowFlags_NoDecoration);
    ImGui::LogToClipboard();
    const LessonPanelRequest request = DrawLessonPanel(lesson, 0, progress, convtutor::lessons::Spoilers(lesson, progress), state, 1);
    ImGui::LogFinish();
    shown_text = ImGui::GetClipboardText();
    content_height = ImGui::GetCursorPosY();
    ImGui::End();
    ImGui::Render();
    return request;
  }

  // Puts the cursor in exercise `index`'s box, types `text` and presses Enter.
  LessonPanelRequest TypeAnswerAndPressEnter(int index, const std::string& text) {
    Frame();  // the panel takes the lesson in (and resets its state) on its first frame
    state.scroll_to_exercise = index;
    Frame();
    Frame();
    for (char c : text) ImGui::GetIO().AddInputCharacter(static_cast<unsigned int>(c));
    Frame();
    ImGui::GetIO().KeysDown[kEnterKey] = true;
    const LessonPanelRequest request = Frame();
    ImGui::GetIO().KeysDown[kEnterKey] = false;
    Frame();
    return request;
  }

  // What the App does with a request about progress.
  void Apply(const LessonPanelRequest& request) {
    if (!request.solved_exercise.empty()) {
      progress.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, request.solved_exercise));
    }
    if (!request.revealed_exercise.empty()) {
      progress.exercises_revealed.insert(Progress::ExerciseKey(lesson.slug, request.revealed_exercise));
    }
  }

  bool Shows(const std::string& text) const { return shown_text.find(text) != std::string::npos; }

  // Moves the mouse down the card's left edge until it is over exercise `index`'s button `label`,
  // then clicks it; returns what that frame asked for (nothing when the button is not drawn).
  LessonPanelRequest ClickExerciseButton(int index, const char* label) { return ClickButton(label, index); }

  // The same for a button of the text itself (`index` < 0), as a model block's.
  LessonPanelRequest ClickButton(const char* label, int index = -1) {
    ImGui::NewFrame();
    ImGui::Begin("lesson");
    if (index >= 0) ImGui::PushID(index);
    const ImGuiID button = ImGui::GetID(label);
    if (index >= 0) ImGui::PopID();
    ImGui::End();
    ImGui::EndFrame();
    ImGuiIO& io = ImGui::GetIO();
    for (float y = 0.0f; y < content_height; y += 4.0f) {
      io.MousePos = ImVec2(ImGui::GetFontSize() * 2.0f, y);
      Frame();
      if (ImGui::GetCurrentContext()->HoveredId != button) continue;
      io.MouseDown[0] = true;
      Frame();
      io.MouseDown[0] = false;
      return Frame();
    }
    ADD_FAILURE() << "no button " << label << (index >= 0 ? " in exercise " + std::to_string(index) : std::string());
    return LessonPanelRequest{};
  }

  Lesson lesson = ParseOrDie(kLessonText, "02-stride.md");
  Progress progress;
  LessonPanelState state;
  float content_height = 0.0f;
  std::string shown_text;  // every word the last frame drew (ImGui's log)
};

// A model whose pooling layer's shape is asked for; the text states it with an inline value.
// Input 8×8×3, Conv2D 4 filters 3×3 → 6×6×4, 2×2 pooling → 3×3×4.
constexpr const char* kModelLessonText = R"md(# Shapes

```model tiny
Input(8, 8, 3)
Conv2D(4, (3, 3))
MaxPooling2D((2, 2))
```

```exercise
{"id": "pool", "model": "tiny", "ask": "layer_shape", "layer": 2,
 "question": "What shape comes out of the pooling?"}
```

So the pooling gives `=tiny.layer_shape.2` and the convolution `=tiny.layer_shape.1`.
)md";


class OtherKindsPanel : public HeadlessPanel {
 protected:
  OtherKindsPanel() { lesson = ParseOrDie(convtutor::testing::kOtherKindsLesson, "99-kinds.md"); }
};

TEST_F(OtherKindsPanel, each_card_is_labelled_with_its_kind) {
  Frame();
  EXPECT_TRUE(Shows("work it backwards"));
  EXPECT_TRUE(Shows("the weight tensor"));
  EXPECT_TRUE(Shows("find the line"));
  EXPECT_TRUE(Shows("choose"));
}

TEST_F(OtherKindsPanel, an_inverse_answer_is_computed_with_and_any_that_works_is_right) {
  TypeAnswerAndPressEnter(0, "0");
  EXPECT_FALSE(state.inputs[0].correct);
  EXPECT_NE(state.inputs[0].hint.find("3 rows"), std::string::npos) << state.inputs[0].hint;
  state.inputs[0] = {};
  const LessonPanelRequest request = TypeAnswerAndPressEnter(0, "0 2");  // ⌊(8 + 2 − 3) / 2⌋ + 1 = 4
  EXPECT_TRUE(state.inputs[0].correct);
  EXPECT_EQ(request.solved_exercise, "pad");
  EXPECT_TRUE(Shows("Right: 0 2 gives it."));
}

TEST_F(OtherKindsPanel, a_broken_model_shows_numbered_lines_and_its_refusal_only_once_found) {
  Frame();
  EXPECT_TRUE(Shows(" 3  nn.Conv2d(32, 8, 3)"));
  const std::string refusal = lesson.exercises[2].explanation;
  ASSERT_FALSE(refusal.empty());
  EXPECT_FALSE(Shows(refusal));
  TypeAnswerAndPressEnter(2, "2");
  EXPECT_FALSE(state.inputs[2].correct);
  EXPECT_NE(state.inputs[2].hint.find("(16, 30, 30)"), std::string::npos) << state.inputs[2].hint;
  state.inputs[2] = {};
  TypeAnswerAndPressEnter(2, "3");
  EXPECT_TRUE(state.inputs[2].correct);
  EXPECT_TRUE(Shows(refusal));
}

TEST_F(OtherKindsPanel, a_choice_shows_its_answers_and_a_wrong_pick_gets_its_own_explanation) {
  Frame();
  EXPECT_TRUE(Shows("a)  3"));
  EXPECT_TRUE(Shows("b)  4"));
  TypeAnswerAndPressEnter(3, "b");
  EXPECT_FALSE(state.inputs[3].correct);
  EXPECT_EQ(state.inputs[3].hint, "that needs padding");
  EXPECT_TRUE(Shows("that needs padding"));
}

TEST_F(OtherKindsPanel, clicking_a_choice_checks_it_at_once) {
  Frame();
  const LessonPanelRequest request = ClickExerciseButton(3, "##choice0");
  EXPECT_EQ(state.inputs[3].text, "a");
  EXPECT_TRUE(state.inputs[3].correct);
  EXPECT_EQ(request.solved_exercise, "c");
}

TEST_F(HeadlessPanel, a_wrong_answer_shows_the_cores_hint_and_solves_nothing) {
  ASSERT_EQ(lesson.exercises.size(), 1u);
  // (5 − 3) / 2 = 1 forgets the + 1.
  const LessonPanelRequest request = TypeAnswerAndPressEnter(0, "1");
  EXPECT_EQ(state.inputs[0].text, "1");
  EXPECT_TRUE(state.inputs[0].checked);
  EXPECT_FALSE(state.inputs[0].correct);
  const std::string core_hint = convtutor::lessons::CheckAnswer(lesson.exercises[0], "1").hint;
  EXPECT_FALSE(core_hint.empty());
  EXPECT_EQ(state.inputs[0].hint, core_hint);
  EXPECT_TRUE(request.solved_exercise.empty());
  EXPECT_FALSE(request.lesson_completed);
}

TEST_F(HeadlessPanel, the_right_answer_solves_the_exercise_and_finishes_a_lesson_with_no_other) {
  // (5 − 3) / 2 + 1 = 2 rows, worked by hand.
  const LessonPanelRequest request = TypeAnswerAndPressEnter(0, "2");
  EXPECT_TRUE(state.inputs[0].correct);
  EXPECT_EQ(request.solved_exercise, "rows");
  EXPECT_TRUE(request.lesson_completed);
}

TEST_F(HeadlessPanel, an_exercise_solved_on_an_earlier_visit_is_not_reported_again) {
  progress.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, "rows"));
  const LessonPanelRequest request = TypeAnswerAndPressEnter(0, "2");
  EXPECT_TRUE(state.inputs[0].correct);
  EXPECT_TRUE(request.solved_exercise.empty());
  EXPECT_FALSE(request.lesson_completed);
}

TEST_F(HeadlessPanel, typing_again_after_a_check_hides_the_old_verdict) {
  TypeAnswerAndPressEnter(0, "1");
  ASSERT_TRUE(state.inputs[0].checked);
  state.inputs[0].keep_focus = true;  // the box keeps the cursor after a wrong answer anyway
  Frame();
  ImGui::GetIO().AddInputCharacter('2');
  Frame();
  EXPECT_EQ(state.inputs[0].text, "12");
  EXPECT_FALSE(state.inputs[0].checked);
}

TEST_F(HeadlessPanel, opening_another_lesson_forgets_the_answers_typed_in_this_one) {
  TypeAnswerAndPressEnter(0, "2");
  ASSERT_EQ(state.slug, "02-stride");
  lesson = ParseOrDie(kLessonText, "03-padding.md");
  Frame();
  EXPECT_EQ(state.slug, "03-padding");
  ASSERT_EQ(state.inputs.size(), 1u);
  EXPECT_TRUE(state.inputs[0].text.empty());
  EXPECT_FALSE(state.inputs[0].checked);
}

TEST_F(HeadlessPanel, a_narrower_panel_wraps_the_text_onto_more_lines) {
  Frame(1200.0f);
  Frame(1200.0f);
  const float wide = content_height;
  Frame(260.0f);
  Frame(260.0f);
  const float narrow = content_height;
  EXPECT_GT(narrow, wide + 3.0f * ImGui::GetFontSize());
}

TEST_F(HeadlessPanel, clicking_a_scene_link_asks_for_that_scene_at_its_step) {
  lesson = ParseOrDie(R"md([Watch the last window](#scene=second&step=3) to see where it ends.

```scene
{"id": "first", "title": "Stride 1", "op": "conv2d",
 "input": {"shape": [1, 5, 5], "fill": "ramp"},
 "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}}
```

```scene
{"id": "second", "title": "Stride 2", "op": "conv2d",
 "input": {"shape": [1, 5, 5], "fill": "ramp"},
 "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "stride": 2}
```
)md",
                      "05-links.md");
  Frame();
  // The link is the paragraph's first word, at the window's top-left content corner.
  const ImVec2 corner = ImGui::GetStyle().WindowPadding;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(corner.x + ImGui::GetFontSize() * 2.0f, corner.y + ImGui::GetFontSize() * 0.75f);
  Frame();
  io.MouseDown[0] = true;
  const LessonPanelRequest request = Frame();
  io.MouseDown[0] = false;
  EXPECT_EQ(request.show_scene, 1);
  EXPECT_EQ(request.show_step, 3);
}

TEST_F(HeadlessPanel, clicking_a_link_to_another_site_asks_the_app_to_open_it) {
  lesson = ParseOrDie("[PyTorch](https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html) names it differently.\n",
                      "05-links.md");
  Frame();
  const ImVec2 corner = ImGui::GetStyle().WindowPadding;
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(corner.x + ImGui::GetFontSize() * 2.0f, corner.y + ImGui::GetFontSize() * 0.75f);
  Frame();
  io.MouseDown[0] = true;
  const LessonPanelRequest request = Frame();
  io.MouseDown[0] = false;
  EXPECT_EQ(request.open_url, "https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html");
  EXPECT_EQ(request.show_scene, -1);
}

TEST_F(HeadlessPanel, nothing_is_asked_for_while_the_learner_only_reads) {
  for (int frame = 0; frame < 3; ++frame) {
    const LessonPanelRequest request = Frame();
    EXPECT_EQ(request.show_scene, -1);
    EXPECT_TRUE(request.solved_exercise.empty());
    EXPECT_FALSE(request.lesson_completed);
    EXPECT_FALSE(request.reset_progress);
    EXPECT_TRUE(request.open_lesson.empty());
    EXPECT_TRUE(request.open_url.empty());
  }
}

TEST_F(HeadlessPanel, an_unsolved_layer_shape_reads_as_a_question_mark_until_it_is_solved) {
  lesson = ParseOrDie(kModelLessonText, "06-shapes.md");
  const std::string pooled = convtutor::lessons::ShapeText(lesson.models[0].summary.layers[2].output_shape);
  const std::string convolved = convtutor::lessons::ShapeText(lesson.models[0].summary.layers[1].output_shape);
  Frame();
  Frame();
  EXPECT_FALSE(Shows(pooled)) << shown_text;
  EXPECT_FALSE(Shows(lesson.models[0].summary.layers[2].shape_formula)) << shown_text;
  EXPECT_TRUE(Shows(convolved)) << shown_text;  // not asked: stays in the table and the text
  EXPECT_TRUE(Shows("?"));

  // (8 − 3 + 1) = 6, then 6 / 2 = 3: a 3×3×4 output, worked by hand.
  Apply(TypeAnswerAndPressEnter(0, "(3, 3, 4)"));
  ASSERT_TRUE(progress.IsSolved(lesson.slug, "pool"));
  Frame();
  EXPECT_TRUE(Shows(pooled)) << shown_text;
  EXPECT_TRUE(Shows(lesson.models[0].summary.layers[2].shape_formula)) << shown_text;
}

TEST_F(HeadlessPanel, a_model_block_offers_to_try_it_in_your_model_once_its_exercises_are_answered) {
  lesson = ParseOrDie(kModelLessonText, "06-shapes.md");
  Frame();
  Frame();
  EXPECT_FALSE(Shows("Try it in Your model")) << "Your model's table would show the shape the exercise asks for";
  Apply(TypeAnswerAndPressEnter(0, "(3, 3, 4)"));
  Frame();
  EXPECT_TRUE(Shows("Try it in Your model")) << shown_text;
  const LessonPanelRequest request = ClickButton("Try it in Your model##try0");
  EXPECT_EQ(request.try_model, lesson.models[0].source);
}

TEST_F(HeadlessPanel, a_wrong_answer_keeps_the_layer_shape_hidden) {
  lesson = ParseOrDie(kModelLessonText, "06-shapes.md");
  const std::string pooled = convtutor::lessons::ShapeText(lesson.models[0].summary.layers[2].output_shape);
  Apply(TypeAnswerAndPressEnter(0, "(6, 6, 4)"));
  Frame();
  EXPECT_FALSE(progress.IsSolved(lesson.slug, "pool"));
  EXPECT_FALSE(Shows(pooled)) << shown_text;
}

TEST_F(HeadlessPanel, show_the_answer_reveals_the_layer_shape_without_solving_it) {
  lesson = ParseOrDie(kModelLessonText, "06-shapes.md");
  const std::string pooled = convtutor::lessons::ShapeText(lesson.models[0].summary.layers[2].output_shape);
  Apply(TypeAnswerAndPressEnter(0, "(6, 6, 4)"));
  const LessonPanelRequest request = ClickExerciseButton(0, "Show the answer");
  EXPECT_EQ(request.revealed_exercise, "pool");
  EXPECT_TRUE(request.solved_exercise.empty());
  Apply(request);
  Frame();
  EXPECT_TRUE(Shows(pooled)) << shown_text;
  EXPECT_FALSE(progress.IsSolved(lesson.slug, "pool"));
}

TEST_F(HeadlessPanel, an_answer_revealed_on_an_earlier_visit_shows_its_numbers_without_solving) {
  lesson = ParseOrDie(kModelLessonText, "06-shapes.md");
  progress.exercises_revealed.insert(Progress::ExerciseKey(lesson.slug, "pool"));
  const std::string pooled = convtutor::lessons::ShapeText(lesson.models[0].summary.layers[2].output_shape);
  Frame();
  Frame();
  EXPECT_TRUE(Shows(pooled)) << shown_text;
  EXPECT_TRUE(state.inputs[0].revealed);
  EXPECT_EQ(progress.SolvedCount(lesson), 0);
}

TEST_F(HeadlessPanel, a_total_parameters_exercise_hides_the_models_total) {
  lesson = ParseOrDie(R"md(# Total

```model tiny
Input(8, 8, 3)
Conv2D(4, (3, 3))
```

```exercise
{"id": "total", "model": "tiny", "ask": "model_parameters", "question": "How many parameters?"}
```
)md",
                      "07-total.md");
  // (3·3·3 + 1)·4 = 112, worked by hand; the convolution's row says the same number.
  Frame();
  Frame();
  EXPECT_FALSE(Shows("112")) << shown_text;
  Apply(TypeAnswerAndPressEnter(0, "112"));
  Frame();
  EXPECT_TRUE(Shows("112")) << shown_text;
}

// The shape card's text, with a lesson's open exercises and without.
TEST(shape_card, hides_the_output_height_and_its_formula_while_asked_and_nothing_else) {
  const Lesson lesson = ParseOrDie(kLessonText, "02-stride.md");
  const convtutor::lessons::LessonScene& scene = lesson.scenes[0];
  const convtutor::lessons::Spoilers spoilers(lesson, Progress{});
  const convtutor::app::ShapeCard card =
      convtutor::app::MakeShapeCard(scene.request.scene, scene.request.geometry, spoilers, 0);
  // 1 channel, ? rows (asked), 2 columns: (5 − 3) / 2 + 1, by hand.
  EXPECT_EQ(card.facts[4].label, "Output");
  EXPECT_EQ(card.facts[4].value, "1 \xC3\x97 ? \xC3\x97 2");
  EXPECT_EQ(card.facts[4].note, "Predict it in exercise 1 first");
  EXPECT_EQ(card.rows.value, "?");
  EXPECT_TRUE(card.rows.detail.empty());
  EXPECT_EQ(card.cols.value, scene.request.geometry.cols.formula);
  EXPECT_TRUE(card.facts[5].note.empty());  // parameters: not asked
}

TEST(shape_card, shows_everything_once_solved) {
  const Lesson lesson = ParseOrDie(kLessonText, "02-stride.md");
  const convtutor::lessons::LessonScene& scene = lesson.scenes[0];
  Progress progress;
  progress.exercises_solved.insert(Progress::ExerciseKey(lesson.slug, "rows"));
  const convtutor::app::ShapeCard card = convtutor::app::MakeShapeCard(
      scene.request.scene, scene.request.geometry, convtutor::lessons::Spoilers(lesson, progress), 0);
  EXPECT_EQ(card.facts[4].value, "1 \xC3\x97 2 \xC3\x97 2");
  EXPECT_EQ(card.rows.value, scene.request.geometry.rows.formula);
  for (const convtutor::app::ShapeFact& fact : card.facts) EXPECT_TRUE(fact.note.empty()) << fact.label;
}

TEST(shape_card, the_sandbox_hides_nothing) {
  const Lesson lesson = ParseOrDie(kLessonText, "02-stride.md");
  const convtutor::lessons::LessonScene& scene = lesson.scenes[0];
  const convtutor::app::ShapeCard card =
      convtutor::app::MakeShapeCard(scene.request.scene, scene.request.geometry, convtutor::lessons::Spoilers(), -1);
  EXPECT_EQ(card.facts[4].value, "1 \xC3\x97 2 \xC3\x97 2");
  EXPECT_EQ(card.rows.value, scene.request.geometry.rows.formula);
}

// Column widths, worked by hand.
TEST(table_columns, keep_their_one_line_widths_when_the_table_fits) {
  const std::vector<float> widths = convtutor::app::ColumnWidths({50.0f, 100.0f, 80.0f}, {20.0f, 30.0f, 40.0f}, 300.0f);
  EXPECT_EQ(widths, (std::vector<float>{50.0f, 100.0f, 80.0f}));
}

TEST(table_columns, a_narrow_column_keeps_its_width_while_the_wide_ones_share_the_rest) {
  // 300 − 40 = 260 left for columns of 300 and 200: 156 and 104.
  const std::vector<float> widths = convtutor::app::ColumnWidths({40.0f, 300.0f, 200.0f}, {40.0f, 60.0f, 50.0f}, 300.0f);
  ASSERT_EQ(widths.size(), 3u);
  EXPECT_FLOAT_EQ(widths[0], 40.0f);
  EXPECT_FLOAT_EQ(widths[1], 156.0f);
  EXPECT_FLOAT_EQ(widths[2], 104.0f);
}

TEST(table_columns, never_go_narrower_than_their_longest_word) {
  // An even share would be 100 each, but the first column holds a 180-pixel word.
  const std::vector<float> widths = convtutor::app::ColumnWidths({400.0f, 400.0f}, {180.0f, 30.0f}, 200.0f);
  ASSERT_EQ(widths.size(), 2u);
  EXPECT_FLOAT_EQ(widths[0], 180.0f);
  EXPECT_FLOAT_EQ(widths[1], 100.0f);
}

TEST(value_text, whole_numbers_read_as_integers_with_a_true_minus_and_fractions_with_three_digits) {
  using convtutor::app::FormatValue;
  EXPECT_EQ(FormatValue(0.0f), "0");
  EXPECT_EQ(FormatValue(7.0f), "7");
  EXPECT_EQ(FormatValue(-12.0f), "\xE2\x88\x92" "12");
  EXPECT_EQ(FormatValue(-0.00001f), "0") << "no minus on a value that reads as zero";
  EXPECT_EQ(FormatValue(16777216.0f), "16777216");
  EXPECT_EQ(FormatValue(2.99999f), "3");
  EXPECT_EQ(FormatValue(0.125f), "0.125");
  EXPECT_EQ(FormatValue(-1.5f), "\xE2\x88\x92" "1.5");
  EXPECT_EQ(FormatValue(123.25f), "123.2") << "one decimal from 100 up (round half to even)";
  EXPECT_EQ(FormatValue(1e20f), "100000002004087734272") << "beyond the integer path, as printf writes it";
}

}  // namespace
