// The lesson panel: walks a lesson's blocks and draws them as a typeset page (headings, wrapped
// text, lists, code, tables), scene cards and links that ask the App to show a scene, exercise
// cards whose answers only the core checks, the learner's progress, and lessons that failed to load.
#include "panels/lesson_panel.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <set>

#include <imgui.h>

#include "convtutor/exercise.h"
#include "convtutor/model.h"
#include "convtutor/spoilers.h"
#include "panels/markdown_view.h"
#include "panels/model_table.h"
#include "panels/ui_theme.h"

namespace convtutor::app {

namespace {

constexpr float kMaxTextWidthEm = 36.0f;  // about 70 characters a line: comfortable to read
constexpr ImU32 kCorrect = IM_COL32(43, 138, 62, 255);
constexpr ImU32 kCorrectGround = IM_COL32(235, 250, 238, 255);
constexpr ImU32 kHintBar = IM_COL32(240, 140, 0, 255);
constexpr ImU32 kHintGround = IM_COL32(255, 245, 222, 255);
constexpr ImU32 kHintText = IM_COL32(102, 60, 0, 255);
constexpr ImU32 kRevealGround = IM_COL32(243, 241, 250, 255);
constexpr ImU32 kCardGround = IM_COL32(251, 250, 255, 255);
constexpr ImU32 kCardBorder = IM_COL32(226, 222, 242, 255);
constexpr ImU32 kQuoteText = IM_COL32(80, 86, 94, 255);
constexpr ImU32 kQuoteBar = IM_COL32(112, 72, 232, 110);

// Draw-list channels of an exercise card: the card's ground goes under the feedback grounds,
// which go under the text and widgets (the card's height is known only once it is drawn).
constexpr int kCardGroundChannel = 0;
constexpr int kFeedbackGroundChannel = 1;
constexpr int kCardContentChannel = 2;

ImVec4 Vec(ImU32 colour) { return ImGui::ColorConvertU32ToFloat4(colour); }

// Everything one frame of the panel hands around.
struct Page {
  const lessons::Lesson& lesson;
  int active_scene;
  const lessons::Progress& progress;
  LessonPanelState& state;
  LessonPanelRequest& request;
  float em;      // body font size in pixels
  float width;   // the text column's width
  float left;    // the text column's left edge (screen x)
  const lessons::Spoilers& spoilers;  // what the learner has yet to predict: drawn as "?"
  const std::vector<lessons::Lesson>* course;  // every lesson, for a ```progress block (may be null)
};

RichTextStyle BodyStyle(const Page& page) {
  RichTextStyle style;
  style.font = BodyFont();
  style.strong_font = BoldFont();
  style.colour = colours::kText;
  style.line_height = 1.5f;
  const lessons::Lesson& lesson = page.lesson;
  const int active_scene = page.active_scene;
  style.link_look = [&lesson, active_scene](const std::string& link) {
    const lessons::LinkTarget target = lessons::ResolveLink(lesson, link);
    LinkLook look;
    look.scene = target.kind == lessons::LinkTarget::Kind::kScene;
    look.active = look.scene && target.index >= 0 && target.index == active_scene;
    return look;
  };
  const lessons::Spoilers& spoilers = page.spoilers;
  style.hidden_note = [&lesson, &spoilers](const lessons::Span& span) {
    const int exercise = spoilers.InlineValue(lesson, span);
    return exercise < 0 ? std::string() : lessons::PredictFirstNote(exercise);
  };
  return style;
}

void Gap(float pixels) {
  if (pixels > 0.0f) ImGui::Dummy(ImVec2(0.0f, pixels));
}

void FollowLink(Page& page, const std::string& link) {
  if (link.empty()) return;
  const lessons::LinkTarget target = lessons::ResolveLink(page.lesson, link);
  switch (target.kind) {
    case lessons::LinkTarget::Kind::kScene:
      if (target.index >= 0) {
        page.request.show_scene = target.index;
        page.request.show_step = target.step;
      }
      break;
    case lessons::LinkTarget::Kind::kExercise:
      page.state.scroll_to_exercise = target.index;
      break;
    case lessons::LinkTarget::Kind::kLesson:
      page.request.open_lesson = target.id;
      page.request.open_image = target.image;
      break;
    case lessons::LinkTarget::Kind::kExternal:
      page.request.open_url = target.id;
      break;
  }
}

// Space above a block, in ems, from what came before it: headings stand apart from the text
// above them and close to the text below; list items sit close together.
float GapBefore(const lessons::Block* previous, const lessons::Block& block) {
  if (previous == nullptr) return 0.0f;
  if (block.kind == lessons::BlockKind::kHeading) return block.level <= 2 ? 1.3f : 0.9f;
  if (previous->kind == lessons::BlockKind::kHeading) return 0.4f;
  const bool in_list = block.depth > 0 && previous->depth > 0;
  const bool next_list = block.kind == lessons::BlockKind::kListItem && previous->kind == lessons::BlockKind::kListItem &&
                         block.depth == 1 && previous->depth == 1 && block.ordered != previous->ordered;
  if (next_list) return 0.75f;  // a bullet list right after a numbered one is a new list
  if (in_list && block.kind == lessons::BlockKind::kListItem) return 0.3f;
  if (in_list) return 0.35f;
  switch (block.kind) {
    case lessons::BlockKind::kScene:
    case lessons::BlockKind::kExercise:
    case lessons::BlockKind::kModel:
    case lessons::BlockKind::kCode:
    case lessons::BlockKind::kTable:
    case lessons::BlockKind::kRule:
      return 0.9f;
    default:
      return 0.75f;
  }
}

void DrawHeading(Page& page, const lessons::Block& block) {
  RichTextStyle style = BodyStyle(page);
  if (block.level <= 2) {
    style.font = HeadingFont();
    style.strong_font = HeadingFont();
    style.size = block.level == 1 ? FontPixelSize(HeadingFont()) : std::round(FontPixelSize(HeadingFont()) * 0.84f);
    style.line_height = 1.25f;
  } else {
    style.font = BoldFont();
    style.strong_font = BoldFont();
    style.line_height = 1.4f;
  }
  FollowLink(page, DrawRichText(block.spans, style, page.width));
}

// A bullet (by depth: disc, circle, square) or "3." in a gutter left of the item's text.
void DrawListMarker(const Page& page, const lessons::Block& block, float indent) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 top = ImGui::GetCursorScreenPos();
  const float pitch = std::round(page.em * 1.5f);
  const float middle = top.y + pitch * 0.5f;
  if (block.ordered) {
    const std::string number = std::to_string(block.number) + ".";
    const float width = ImGui::CalcTextSize(number.c_str()).x;
    const ImVec2 position(std::round(page.left + indent - page.em * 0.45f - width), std::round(middle - page.em * 0.5f));
    draw->AddText(position, colours::kMutedText, number.c_str());
    return;
  }
  const ImVec2 centre(page.left + indent - page.em * 0.75f, middle);
  const float radius = page.em * 0.16f;
  if (block.depth <= 1) {
    draw->AddCircleFilled(centre, radius, colours::kMutedText, 12);
  } else if (block.depth == 2) {
    draw->AddCircle(centre, radius, colours::kMutedText, 12, 1.2f);
  } else {
    draw->AddRectFilled(ImVec2(centre.x - radius, centre.y - radius), ImVec2(centre.x + radius, centre.y + radius),
                        colours::kMutedText);
  }
}

// A scene block: a card the learner clicks to put that scene on the stage.
void DrawSceneCard(Page& page, int scene_index) {
  const lessons::LessonScene& scene = page.lesson.scenes[static_cast<std::size_t>(scene_index)];
  const bool active = scene_index == page.active_scene;
  const std::string title = scene.title.empty() ? scene.id : scene.title;
  const char* note = active ? "On the stage now" : "Show this on the stage";

  const float pad = page.em * 0.7f;
  const float icon = page.em * 1.7f;
  const float text_left = pad + icon + page.em * 0.6f;
  const float text_width = std::max(page.width - text_left - pad, page.em * 4.0f);
  ImFont* bold = BoldFont();
  const float size = FontPixelSize(bold);
  const float title_height = bold->CalcTextSizeA(size, 1e9f, text_width, title.c_str()).y;
  const float height = std::max(pad * 2.0f + title_height + page.em * 1.35f, icon + pad * 2.0f);

  ImGui::PushID(scene_index);
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const ImVec2 max(min.x + page.width, min.y + height);
  if (ImGui::InvisibleButton("##scene", ImVec2(page.width, height)) && !active) {
    page.request.show_scene = scene_index;
  }
  const bool hovered = ImGui::IsItemHovered();
  if (hovered && !active) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
  ImGui::PopID();

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float rounding = page.em * 0.4f;
  draw->AddRectFilled(min, max, active ? colours::kAccentFaint : kCardGround, rounding);
  draw->AddRect(min, max, active || hovered ? colours::kAccent : kCardBorder, rounding, 0, active ? 1.5f : 1.0f);

  // A round play button; filled while the scene is on the stage.
  const ImVec2 centre(min.x + pad + icon * 0.5f, min.y + height * 0.5f);
  if (active) {
    draw->AddCircleFilled(centre, icon * 0.5f, colours::kAccent, 24);
  } else {
    draw->AddCircle(centre, icon * 0.5f - 0.75f, colours::kAccent, 24, 1.5f);
  }
  const float mark = icon * 0.3f;
  draw->AddTriangleFilled(ImVec2(centre.x - mark * 0.4f, centre.y - mark * 0.55f),
                          ImVec2(centre.x - mark * 0.4f, centre.y + mark * 0.55f),
                          ImVec2(centre.x + mark * 0.6f, centre.y), active ? colours::kPanel : colours::kAccent);

  const float text_top = min.y + (height - title_height - page.em * 1.35f) * 0.5f;
  draw->AddText(bold, size, ImVec2(min.x + text_left, std::round(text_top)), colours::kText, title.c_str(), nullptr,
                text_width);
  draw->AddText(BodyFont(), FontPixelSize(BodyFont()) * 0.9f,
                ImVec2(min.x + text_left, std::round(text_top + title_height + page.em * 0.25f)),
                active ? colours::kAccent : colours::kMutedText, note);
}

// A tinted box (drawn under the card's content) holding one piece of feedback.
void FeedbackBox(const Page& page, float inner_width, ImU32 ground, ImU32 bar, ImU32 text_colour,
                 const std::vector<lessons::Span>& spans) {
  const float pad = page.em * 0.55f;
  const ImVec2 top = ImGui::GetCursorScreenPos();
  Gap(pad);
  ImGui::Indent(pad + 3.0f);
  RichTextStyle style;
  style.font = BodyFont();
  style.strong_font = BoldFont();
  style.colour = text_colour;
  style.line_height = 1.45f;
  DrawRichText(spans, style, inner_width - 2.0f * pad - 3.0f);
  ImGui::Unindent(pad + 3.0f);
  Gap(pad * 0.6f);
  const ImVec2 bottom = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->ChannelsSetCurrent(kFeedbackGroundChannel);
  draw->AddRectFilled(top, ImVec2(top.x + inner_width, bottom.y), ground, page.em * 0.3f);
  draw->AddRectFilled(top, ImVec2(top.x + 3.0f, bottom.y), bar, page.em * 0.3f, ImDrawFlags_RoundCornersLeft);
  draw->ChannelsSetCurrent(kCardContentChannel);
}

// A green tick, drawn (the fonts have no check mark glyph).
void DrawTick(ImVec2 at, float size, ImU32 colour) {
  const ImVec2 points[] = {ImVec2(at.x, at.y + size * 0.55f), ImVec2(at.x + size * 0.38f, at.y + size * 0.9f),
                           ImVec2(at.x + size, at.y + size * 0.15f)};
  ImGui::GetWindowDrawList()->AddPolyline(points, 3, colour, ImDrawFlags_None, std::max(1.5f, size * 0.16f));
}

void Check(Page& page, int exercise_index, ExerciseInput& input) {
  const lessons::Exercise& exercise = page.lesson.exercises[static_cast<std::size_t>(exercise_index)];
  const lessons::CheckResult result = lessons::CheckAnswer(exercise, input.text);
  input.checked = true;
  input.correct = result.correct;
  input.hint = result.hint;
  if (!result.correct) {
    ++input.attempts;
    return;
  }
  if (page.progress.IsSolved(page.lesson.slug, exercise.id)) return;
  page.request.solved_exercise = exercise.id;
  // Solving the last open exercise finishes the lesson.
  const int solved = page.progress.SolvedCount(page.lesson) + 1;
  const bool done = page.progress.lessons_done.count(page.lesson.slug) > 0;
  if (!done && solved >= static_cast<int>(page.lesson.exercises.size())) page.request.lesson_completed = true;
}

// What the card's label calls each kind of exercise.
const char* KindLabel(lessons::ExerciseKind kind) {
  switch (kind) {
    case lessons::ExerciseKind::kInverse:
      return "work it backwards";
    case lessons::ExerciseKind::kWeightShape:
      return "the weight tensor";
    case lessons::ExerciseKind::kFindLine:
      return "find the line";
    case lessons::ExerciseKind::kChoice:
      return "choose";
    case lessons::ExerciseKind::kPredict:
      break;
  }
  return "predict, then see";
}

// A choice's answers as radio buttons, "a) ...", one a line; picking one puts its letter in the
// answer box. True when the learner picked one this frame (it is then checked at once).
bool DrawChoices(Page& page, const lessons::Exercise& exercise, ExerciseInput& input, float inner_width) {
  bool picked = false;
  for (std::size_t i = 0; i < exercise.choices.size(); ++i) {
    const std::string letter(1, static_cast<char>('a' + i));
    const std::string id = "##choice" + std::to_string(i);
    // The label wraps inside the card (a radio button's own label never wraps); it answers a click too.
    const float right_edge = ImGui::GetCursorPosX() + inner_width;
    bool clicked = ImGui::RadioButton(id.c_str(), input.text == letter);
    ImGui::SameLine();
    ImGui::PushTextWrapPos(right_edge);
    ImGui::TextWrapped("%s)  %s", letter.c_str(), exercise.choices[i].text.c_str());
    ImGui::PopTextWrapPos();
    clicked = clicked || ImGui::IsItemClicked();
    if (clicked) {
      input.text = letter;
      picked = true;
    }
  }
  Gap(page.em * 0.3f);
  return picked;
}

// "Predict, then see": the question, an answer box, Check (or Enter), the core's verdict or hint,
// and "Show me" to play the scene to the step that reveals the answer.
void DrawExerciseCard(Page& page, int exercise_index) {
  const lessons::Exercise& exercise = page.lesson.exercises[static_cast<std::size_t>(exercise_index)];
  ExerciseInput& input = page.state.inputs[static_cast<std::size_t>(exercise_index)];
  const bool solved_before = page.progress.IsSolved(page.lesson.slug, exercise.id);
  const bool solved_now = input.checked && input.correct;
  // Shown on an earlier visit: keep showing it (and whatever it hid stays visible).
  if (page.progress.IsRevealed(page.lesson.slug, exercise.id)) input.revealed = true;
  bool focus = false;
  if (page.state.scroll_to_exercise == exercise_index) {
    ImGui::SetScrollHereY(0.2f);
    page.state.scroll_to_exercise = -1;
    focus = true;
  }

  ImGui::PushID(exercise_index);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->ChannelsSplit(3);
  draw->ChannelsSetCurrent(kCardContentChannel);
  const ImVec2 top = ImGui::GetCursorScreenPos();
  const float pad = page.em * 0.9f;
  const float inner_width = page.width - 2.0f * pad;
  Gap(pad * 0.8f);
  ImGui::Indent(pad);

  // The label line, with "Solved" on the right once it is.
  ImGui::PushFont(BoldFont());
  ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kAccent));
  const std::string label = "Exercise " + std::to_string(exercise_index + 1) + "  \xC2\xB7  " + KindLabel(exercise.kind);
  ImGui::TextUnformatted(label.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (solved_before || solved_now) {
    const float label_top = ImGui::GetItemRectMin().y;
    const float solved_width = ImGui::CalcTextSize("Solved").x + page.em * 1.1f;
    ImGui::SameLine();
    const ImVec2 at(top.x + pad + inner_width - solved_width, label_top);
    DrawTick(ImVec2(at.x, at.y + page.em * 0.2f), page.em * 0.75f, kCorrect);
    ImGui::SetCursorScreenPos(ImVec2(at.x + page.em * 1.1f, at.y));
    ImGui::PushStyleColor(ImGuiCol_Text, Vec(kCorrect));
    ImGui::TextUnformatted("Solved");
    ImGui::PopStyleColor();
  }
  Gap(page.em * 0.35f);

  // Which scene the question is about: predicting needs that scene in view.
  if (exercise.scene >= 0 && exercise.scene < static_cast<int>(page.lesson.scenes.size())) {
    const lessons::LessonScene& scene = page.lesson.scenes[static_cast<std::size_t>(exercise.scene)];
    std::vector<lessons::Span> about = PlainSpans("About ");
    lessons::Span title;
    title.text = scene.title.empty() ? scene.id : scene.title;
    title.link = "#scene=" + scene.id;
    about.push_back(title);
    RichTextStyle about_style = BodyStyle(page);
    about_style.colour = colours::kMutedText;
    about_style.size = std::round(page.em * 0.9f);
    about_style.line_height = 1.4f;
    FollowLink(page, DrawRichText(about, about_style, inner_width));
    Gap(page.em * 0.2f);
  }

  RichTextStyle question_style = BodyStyle(page);
  FollowLink(page, DrawRichText(PlainSpans(exercise.question), question_style, inner_width));
  Gap(page.em * 0.6f);

  // The answer box and its buttons use the theme's normal spacing.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(page.em * 0.55f, page.em * 0.45f));
  const bool picked = exercise.kind == lessons::ExerciseKind::kChoice && DrawChoices(page, exercise, input, inner_width);
  ImGui::SetNextItemWidth(page.em * (exercise.kind == lessons::ExerciseKind::kWeightShape ? 12.0f : 9.0f));
  if (focus || input.keep_focus) ImGui::SetKeyboardFocusHere();
  input.keep_focus = false;
  const char* placeholder = exercise.kind == lessons::ExerciseKind::kChoice     ? "or type a letter"
                            : exercise.kind == lessons::ExerciseKind::kFindLine   ? "Line number"
                            : exercise.kind == lessons::ExerciseKind::kWeightShape ? "e.g. [3, 3, 1, 8]"
                                                                                   : "Your answer";
  const bool entered = ImGui::InputTextWithHint("##answer", placeholder, input.text.data(), input.text.capacity() + 1,
                                                ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackResize,
                                                GrowString, &input.text);
  if (ImGui::IsItemEdited()) input.checked = false;
  // Where the box is, so tests can click it the way a learner would.
  input.box_drawn = ImGui::IsItemVisible();
  const ImVec2 box_min = ImGui::GetItemRectMin();
  const ImVec2 box_size = ImGui::GetItemRectSize();
  input.box[0] = box_min.x;
  input.box[1] = box_min.y;
  input.box[2] = box_size.x;
  input.box[3] = box_size.y;
  ImGui::SameLine();
  const bool check_clicked = ImGui::Button("Check");
  const bool checked_now = entered || check_clicked || picked;
  if (checked_now) {
    Check(page, exercise_index, input);
    // After Enter keep typing in the box; a wrong answer is usually corrected at once.
    input.keep_focus = entered && !input.correct;
  }
  const bool can_show = exercise.scene >= 0 && exercise.step >= 0;
  if (can_show && (input.checked || solved_before || input.revealed)) {
    ImGui::SameLine();
    if (ImGui::Button("Show me")) {
      page.request.show_scene = exercise.scene;
      page.request.show_step = exercise.step;
      page.request.change_level = true;
      page.request.level = exercise.step_level;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play the scene to the step that gives the answer");
  }
  ImGui::PopStyleVar();

  const auto with_explanation = [&](const std::string& first_line) {
    std::vector<lessons::Span> spans = PlainSpans(first_line);
    spans.front().strong = true;
    if (!exercise.explanation.empty()) {
      spans.push_back(LineBreak());
      for (const lessons::Span& span : PlainSpans(exercise.explanation)) spans.push_back(span);
    }
    return spans;
  };
  if (solved_now) {
    Gap(page.em * 0.6f);
    FeedbackBox(page, inner_width, kCorrectGround, kCorrect, colours::kText,
                with_explanation(exercise.kind == lessons::ExerciseKind::kInverse
                                     ? "Right: " + input.text + " gives it."  // any number that gives the target
                                     : "Right: " + exercise.answer.text + "."));
  } else if (input.checked) {
    Gap(page.em * 0.6f);
    FeedbackBox(page, inner_width, kHintGround, kHintBar, kHintText, PlainSpans(input.hint));
    if (input.attempts > 0 && !input.revealed) {
      Gap(page.em * 0.35f);
      if (ImGui::SmallButton("Show the answer")) {
        input.revealed = true;
        page.request.revealed_exercise = exercise.id;
      }
    }
  }
  if (input.revealed && !solved_now) {
    Gap(page.em * 0.6f);
    FeedbackBox(page, inner_width, kRevealGround, colours::kAccent, colours::kText,
                with_explanation("The answer: " + exercise.answer.text + "."));
  } else if (solved_before && !input.checked && !input.revealed) {
    Gap(page.em * 0.6f);
    FeedbackBox(page, inner_width, kCorrectGround, kCorrect, colours::kText,
                with_explanation("You solved this earlier: " + exercise.answer.text + "."));
  }

  ImGui::Unindent(pad);
  Gap(pad);
  const ImVec2 bottom(top.x + page.width, ImGui::GetCursorScreenPos().y);
  // The verdict appears under the box: scroll it into view when it lands below the panel's edge.
  const float visible_bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight();
  if (checked_now && bottom.y > visible_bottom) {
    ImGui::SetScrollFromPosY(bottom.y - ImGui::GetWindowPos().y + page.em, 1.0f);
  }
  draw->ChannelsSetCurrent(kCardGroundChannel);
  const float rounding = page.em * 0.45f;
  draw->AddRectFilled(top, bottom, kCardGround, rounding);
  draw->AddRect(top, bottom, solved_before || solved_now ? kCorrect : kCardBorder, rounding);
  draw->ChannelsMerge();
  ImGui::PopID();
}

// "1  Input(...)", "2  Conv2D(...)": a model's lines with the numbers a find_line answer names.
std::string NumberedLines(const std::string& source) {
  std::string numbered;
  int line = 0;
  std::size_t at = 0;
  while (at < source.size()) {
    const std::size_t end = std::min(source.find('\n', at), source.size());
    const std::string number = std::to_string(++line);
    numbered += std::string(number.size() < 2 ? 1 : 0, ' ') + number + "  " + source.substr(at, end - at) + "\n";
    at = end + 1;
  }
  return numbered;
}

// A model block: the layer stack as written, then each layer's output shape and parameters with
// the core's arithmetic under them.
void DrawModelBlock(Page& page, int model_index) {
  const lessons::LessonModel& model = page.lesson.models[static_cast<std::size_t>(model_index)];
  const std::string code_id = "##model-code" + std::to_string(model_index);
  if (model.broken) {
    // A model with one mistake: numbered lines to name, and no table (the core refuses it; which
    // line it refuses is the exercise's answer, shown there once solved).
    DrawCodeBlock(code_id.c_str(), NumberedLines(model.source), page.width);
    Gap(page.em * 0.3f);
    RichTextStyle note = BodyStyle(page);
    note.colour = colours::kMutedText;
    note.size = std::round(page.em * 0.9f);
    DrawRichText(PlainSpans("The tutor cannot build this model: one line has a mistake."), note, page.width);
    Gap(page.em * 0.5f);
    return;
  }
  DrawCodeBlock(code_id.c_str(), model.source, page.width);
  Gap(page.em * 0.5f);
  const std::string table_id = "##model" + std::to_string(model_index);
  ModelTableOptions options;
  options.width = page.width;
  const lessons::Spoilers& spoilers = page.spoilers;
  options.open_exercise = [&spoilers, model_index](lessons::Ask ask, int layer) {
    return spoilers.ModelAsk(model_index, ask, layer);
  };
  DrawModelTable(table_id.c_str(), model.summary, options);
  // Your model would show every shape and count, so the button waits for the model's exercises.
  const bool asked = std::any_of(spoilers.open().begin(), spoilers.open().end(),
                                 [model_index](const lessons::OpenAsk& open) { return open.model == model_index; });
  if (asked) return;
  Gap(page.em * 0.3f);
  const std::string button = "Try it in Your model##try" + std::to_string(model_index);
  if (ImGui::SmallButton(button.c_str())) page.request.try_model = model.source;
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Opens this model in Your model, where any of its layers can be stepped through; your own code there is kept aside");
  }
  Gap(page.em * 0.3f);
}

// One dot per exercise (filled when solved) and "2 of 3 exercises solved"; a dot scrolls to its exercise.
void DrawExerciseDots(Page& page) {
  const lessons::Lesson& lesson = page.lesson;
  const float radius = page.em * 0.28f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (std::size_t i = 0; i < lesson.exercises.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 box(radius * 2.0f + page.em * 0.3f, page.em * 1.4f);
    if (ImGui::InvisibleButton("##dot", box)) page.state.scroll_to_exercise = static_cast<int>(i);
    const bool solved = page.progress.IsSolved(lesson.slug, lesson.exercises[i].id) ||
                        (page.state.inputs[i].checked && page.state.inputs[i].correct);
    const ImVec2 centre(at.x + radius, at.y + box.y * 0.5f);
    if (solved) {
      draw->AddCircleFilled(centre, radius, kCorrect, 16);
    } else {
      draw->AddCircle(centre, radius - 0.5f, ImGui::IsItemHovered() ? colours::kAccent : colours::kMutedText, 16, 1.5f);
    }
    if (ImGui::IsItemHovered()) {
      ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
      const bool revealed = page.progress.IsRevealed(lesson.slug, lesson.exercises[i].id) || page.state.inputs[i].revealed;
      ImGui::SetTooltip("Exercise %d%s", static_cast<int>(i) + 1,
                        solved ? " (solved)" : revealed ? " (answer shown)" : "");
    }
    ImGui::PopID();
    ImGui::SameLine(0.0f, 0.0f);
  }
}

std::string ProgressLine(const Page& page) {
  const int total = static_cast<int>(page.lesson.exercises.size());
  if (total == 0) return "No exercises in this lesson";
  const int solved = page.progress.SolvedCount(page.lesson);
  return std::to_string(solved) + " of " + std::to_string(total) + (total == 1 ? " exercise" : " exercises") +
         " solved";
}

// Under the title: the exercise dots and how many are solved.
void DrawProgressStrip(Page& page) {
  if (page.lesson.exercises.empty()) return;
  Gap(page.em * 0.25f);
  DrawExerciseDots(page);
  ImGui::SameLine(0.0f, page.em * 0.4f);
  const float line_top = ImGui::GetCursorPosY();
  ImGui::SetCursorPosY(line_top + (page.em * 1.4f - ImGui::GetTextLineHeight()) * 0.5f);
  ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kMutedText));
  std::string text = ProgressLine(page);
  if (page.progress.lessons_done.count(page.lesson.slug) > 0) text += "  \xC2\xB7  lesson done";
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopStyleColor();
}

// After the text: progress in words, "Mark this lesson as done" and "Reset progress" (confirmed).
void DrawFooter(Page& page, int lesson_count) {
  Gap(page.em * 1.6f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddLine(at, ImVec2(at.x + page.width, at.y), colours::kGridLine);
  Gap(page.em * 0.9f);
  SectionTitle("Your progress");
  Gap(page.em * 0.3f);
  ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kMutedText));
  ImGui::TextUnformatted(ProgressLine(page).c_str());
  if (lesson_count > 0) {
    const int done = static_cast<int>(page.progress.lessons_done.size());
    const std::string lessons = std::to_string(std::min(done, lesson_count)) + " of " + std::to_string(lesson_count) +
                                (lesson_count == 1 ? " lesson done" : " lessons done");
    ImGui::TextUnformatted(lessons.c_str());
  }
  ImGui::PopStyleColor();
  Gap(page.em * 0.7f);

  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(page.em * 0.55f, page.em * 0.45f));
  const bool done = page.progress.lessons_done.count(page.lesson.slug) > 0;
  if (done) {
    const ImVec2 tick_at = ImGui::GetCursorScreenPos();
    const float offset = (ImGui::GetFrameHeight() - page.em * 0.75f) * 0.5f;
    DrawTick(ImVec2(tick_at.x, tick_at.y + offset), page.em * 0.75f, kCorrect);
    ImGui::SetCursorScreenPos(ImVec2(tick_at.x + page.em * 1.1f, tick_at.y));
    ImGui::AlignTextToFramePadding();
    ImGui::PushStyleColor(ImGuiCol_Text, Vec(kCorrect));
    ImGui::TextUnformatted("You finished this lesson");
    ImGui::PopStyleColor();
  } else {
    ImGui::PushStyleColor(ImGuiCol_Button, Vec(colours::kAccent));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, Vec(IM_COL32(95, 61, 196, 255)));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, Vec(IM_COL32(84, 46, 190, 255)));
    ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kPanel));
    if (ImGui::Button("Mark this lesson as done")) page.request.lesson_completed = true;
    ImGui::PopStyleColor(4);
  }
  const char* reset_label = "Reset progress";
  const float reset_width = ImGui::CalcTextSize(reset_label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
  ImGui::SameLine();
  const ImVec2 after = ImGui::GetCursorScreenPos();
  ImGui::SetCursorScreenPos(ImVec2(std::max(after.x + page.em, page.left + page.width - reset_width), after.y));
  if (ImGui::Button(reset_label)) ImGui::OpenPopup("reset-progress");
  if (ImGui::BeginPopup("reset-progress")) {
    ImGui::TextUnformatted("Forget every solved exercise and finished lesson?");
    Gap(page.em * 0.3f);
    ImGui::PushStyleColor(ImGuiCol_Button, Vec(colours::kErrorSoft));
    ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kError));
    if (ImGui::Button("Reset")) {
      page.request.reset_progress = true;
      page.state.inputs.assign(page.state.inputs.size(), ExerciseInput{});
      ImGui::CloseCurrentPopup();
    }
    ImGui::PopStyleColor(2);
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
  ImGui::PopStyleVar();
  Gap(page.em * 1.0f);
}

// A ```progress block: every lesson of the course, its exercises solved (a bar and "3 of 5") under
// its title, and a tick once it is done; then the totals. A title opens its lesson. The counts are
// Progress's own.
void DrawCourseProgress(Page& page, const char* id, float width) {
  if (page.course == nullptr || page.course->empty()) return;
  int solved_all = 0, exercises_all = 0, done_all = 0;
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH;
  if (!ImGui::BeginTable(id, 2, flags, ImVec2(width, 0.0f))) return;
  ImGui::TableSetupColumn("Lesson, exercises solved", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("Done", ImGuiTableColumnFlags_WidthFixed, page.em * 2.6f);
  ImGui::TableHeadersRow();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  for (std::size_t i = 0; i < page.course->size(); ++i) {
    const lessons::Lesson& lesson = (*page.course)[i];
    const int exercises = static_cast<int>(lesson.exercises.size());
    const int solved = page.progress.SolvedCount(lesson);
    const bool done = page.progress.lessons_done.count(lesson.slug) > 0;
    solved_all += solved;
    exercises_all += exercises;
    done_all += done ? 1 : 0;
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    const std::string title = std::to_string(i + 1) + ".  " + lesson.title;
    const bool here = lesson.slug == page.lesson.slug;
    if (ImGui::Selectable((title + "##course" + std::to_string(i)).c_str(), here) && !here) {
      page.request.open_lesson = lesson.slug;
    }
    if (ImGui::IsItemHovered()) {
      if (!here) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
      ImGui::SetTooltip("%s", title.c_str());
    }
    // Under the title: a thin bar, full when every exercise is solved, and the count.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float bar = page.em * 4.0f, thickness = page.em * 0.3f;
    const float middle = std::round(at.y + page.em * 0.55f);
    const ImVec2 bar_min(at.x + page.em * 1.3f, middle - thickness * 0.5f);
    draw->AddRectFilled(bar_min, ImVec2(bar_min.x + bar, middle + thickness * 0.5f), colours::kGridLine, thickness);
    if (exercises > 0 && solved > 0) {
      const float filled = bar * static_cast<float>(solved) / static_cast<float>(exercises);
      draw->AddRectFilled(bar_min, ImVec2(bar_min.x + filled, middle + thickness * 0.5f), kCorrect, thickness);
    }
    const std::string count = std::to_string(solved) + " of " + std::to_string(exercises) +
                              (exercises == 1 ? " exercise solved" : " exercises solved");
    draw->AddText(BodyFont(), std::round(page.em * 0.85f), ImVec2(bar_min.x + bar + page.em * 0.5f, at.y),
                  colours::kMutedText, count.c_str());
    ImGui::Dummy(ImVec2(page.em, page.em * 1.15f));
    ImGui::TableSetColumnIndex(1);
    if (done) {
      const ImVec2 tick = ImGui::GetCursorScreenPos();
      DrawTick(ImVec2(tick.x + page.em * 0.4f, tick.y + page.em * 0.5f), page.em * 0.8f, kCorrect);
      if (ImGui::IsMouseHoveringRect(tick, ImVec2(tick.x + page.em * 2.0f, tick.y + page.em * 2.0f))) {
        ImGui::SetTooltip("Done");
      }
    }
  }
  ImGui::EndTable();
  Gap(page.em * 0.4f);
  ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kMutedText));
  const std::string totals = "In all: " + std::to_string(solved_all) + " of " + std::to_string(exercises_all) +
                             " exercises solved, " + std::to_string(done_all) + " of " +
                             std::to_string(page.course->size()) + " lessons done.";
  ImGui::TextWrapped("%s", totals.c_str());
  ImGui::PopStyleColor();
}

// `quote_top`: where a quote's bar starts (above the gap when the quote goes on from the block before).
void DrawBlock(Page& page, const lessons::Block& block, std::size_t block_index, float quote_top) {
  const float indent = page.em * 1.5f * static_cast<float>(block.depth) + (block.quote ? page.em * 1.0f : 0.0f);
  const float width = std::max(page.width - indent, page.em * 4.0f);
  const ImVec2 top = ImGui::GetCursorScreenPos();
  if (indent > 0.0f) ImGui::Indent(indent);
  RichTextStyle body = BodyStyle(page);
  if (block.quote) body.colour = kQuoteText;
  switch (block.kind) {
    case lessons::BlockKind::kHeading:
      DrawHeading(page, block);
      break;
    case lessons::BlockKind::kParagraph:
      FollowLink(page, DrawRichText(block.spans, body, width));
      break;
    case lessons::BlockKind::kListItem:
      DrawListMarker(page, block, indent);
      FollowLink(page, DrawRichText(block.spans, body, width));
      break;
    case lessons::BlockKind::kCode: {
      const std::string id = "##code" + std::to_string(block_index);
      if (block.language == lessons::kProgressBlock) {
        DrawCourseProgress(page, id.c_str(), width);
      } else {
        DrawCodeBlock(id.c_str(), block.code, width);
      }
      break;
    }
    case lessons::BlockKind::kTable: {
      const std::string id = "##table" + std::to_string(block_index);
      RichTextStyle cell = body;
      cell.line_height = 1.35f;
      FollowLink(page, DrawTable(id.c_str(), block.rows, cell, width));
      break;
    }
    case lessons::BlockKind::kRule: {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const float middle = std::round(at.y + page.em * 0.5f);
      ImGui::GetWindowDrawList()->AddLine(ImVec2(at.x, middle), ImVec2(at.x + width, middle), colours::kGridLine);
      Gap(page.em);
      break;
    }
    case lessons::BlockKind::kScene:
      if (block.index >= 0 && block.index < static_cast<int>(page.lesson.scenes.size())) DrawSceneCard(page, block.index);
      break;
    case lessons::BlockKind::kModel:
      if (block.index >= 0 && block.index < static_cast<int>(page.lesson.models.size())) DrawModelBlock(page, block.index);
      break;
    case lessons::BlockKind::kExercise:
      if (block.index >= 0 && block.index < static_cast<int>(page.lesson.exercises.size())) {
        DrawExerciseCard(page, block.index);
      }
      break;
  }
  if (indent > 0.0f) ImGui::Unindent(indent);
  if (block.quote) {
    // A quote's bar runs down its left side.
    const float bar_x = top.x + indent - page.em * 0.7f;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(bar_x, quote_top), ImVec2(bar_x + 3.0f, ImGui::GetCursorScreenPos().y),
                                              kQuoteBar);
  }
}

// What the blocks' heights depend on besides the lesson: the text width, the font size and the
// progress (solved and revealed exercises show their answers, and a ```progress block the counts).
std::uint64_t LayoutKey(const Page& page) {
  std::uint64_t key = 1469598103934665603ull;
  const auto mix = [&key](std::uint64_t word) { key = (key ^ word) * 1099511628211ull; };
  std::uint32_t bits = 0;
  std::memcpy(&bits, &page.width, sizeof bits);
  mix(bits);
  std::memcpy(&bits, &page.em, sizeof bits);
  mix(bits);
  mix(page.progress.exercises_solved.size());
  mix(page.progress.exercises_revealed.size());
  mix(page.progress.lessons_done.size());
  return key;
}

// Whether a block can be stepped over by its height: it was drawn before at this layout, lies
// wholly below the view, and is not an exercise about to take the scroll or the keyboard. Only
// below: Dear ImGui rounds positions toward zero, so a block drawn above the window's top edge (at
// negative y) can come out a pixel taller than the same block drawn lower down, and its measured
// height would then shift everything under it.
bool CanStepOver(const Page& page, const lessons::Block& block, std::size_t block_index) {
  if (block_index >= page.state.block_heights.size() || page.state.block_heights[block_index] < 0.0f) return false;
  if (block.kind == lessons::BlockKind::kExercise && block.index >= 0 &&
      (page.state.scroll_to_exercise == block.index ||
       page.state.inputs[static_cast<std::size_t>(block.index)].keep_focus)) {
    return false;
  }
  return ImGui::GetCursorScreenPos().y > ImGui::GetWindowDrawList()->GetClipRectMax().y;
}

}  // namespace

LessonPanelRequest DrawLessonPanel(const lessons::Lesson& lesson, int active_scene, const lessons::Progress& progress,
                                   const lessons::Spoilers& spoilers,
                                   LessonPanelState& state, int lesson_count,
                                   const std::vector<lessons::Lesson>* course) {
  LessonPanelRequest request;
  if (state.slug != lesson.slug) {
    state = LessonPanelState{};
    state.slug = lesson.slug;
    ImGui::SetScrollY(0.0f);
  }
  state.inputs.resize(lesson.exercises.size());

  ImGui::PushFont(BodyFont());
  const float em = ImGui::GetFontSize();
  const float width = std::floor(std::min(ImGui::GetContentRegionAvail().x, em * kMaxTextWidthEm));
  Page page{lesson, active_scene, progress, state, request, em, width, ImGui::GetCursorScreenPos().x,
            spoilers, course};

  const std::uint64_t layout_key = LayoutKey(page);
  if (state.layout_key != layout_key || state.block_heights.size() != lesson.blocks.size()) {
    state.block_heights.assign(lesson.blocks.size(), -1.0f);
    state.layout_key = layout_key;
  }

  // Blocks are spaced explicitly (GapBefore), so the default item spacing is off inside the text.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(em * 0.55f, 0.0f));
  bool strip_drawn = false;
  const lessons::Block* previous = nullptr;
  for (std::size_t i = 0; i < lesson.blocks.size(); ++i) {
    const lessons::Block& block = lesson.blocks[i];
    if (!strip_drawn && !(block.kind == lessons::BlockKind::kHeading && block.level == 1)) {
      DrawProgressStrip(page);
      strip_drawn = true;
    }
    const float gap_top = ImGui::GetCursorScreenPos().y;
    Gap(GapBefore(previous, block) * em);
    const bool quote_goes_on = previous != nullptr && previous->quote && block.quote;
    previous = &block;
    if (CanStepOver(page, block, i)) {
      Gap(state.block_heights[i]);
      if (block.kind == lessons::BlockKind::kExercise && block.index >= 0) {
        state.inputs[static_cast<std::size_t>(block.index)].box_drawn = false;
      }
      continue;
    }
    const float block_top = ImGui::GetCursorScreenPos().y;
    DrawBlock(page, block, i, quote_goes_on ? gap_top : block_top);
    if (block_top >= 0.0f) state.block_heights[i] = ImGui::GetCursorScreenPos().y - block_top;
  }
  if (!strip_drawn) DrawProgressStrip(page);
  DrawFooter(page, lesson_count);
  ImGui::PopStyleVar();
  ImGui::PopFont();
  return request;
}

void DrawLessonErrors(const std::vector<Error>& errors) {
  if (errors.empty()) return;
  const float em = ImGui::GetFontSize();
  ImGui::PushFont(BoldFont());
  ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kError));
  std::set<std::string> files;
  for (const Error& error : errors) files.insert(error.field);
  const std::string title = files.size() == 1 ? std::string("A lesson could not be loaded")
                                              : std::to_string(files.size()) + " lessons could not be loaded";
  ImGui::TextUnformatted(title.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  MutedText("Every other lesson works. Fix the line named below and reload.");
  Gap(em * 0.3f);
  for (const Error& error : errors) {
    std::string place = error.field;
    if (error.line > 0) place += ":" + std::to_string(error.line);
    ImGui::PushFont(MonoFont());
    ImGui::PushStyleColor(ImGuiCol_Text, Vec(colours::kError));
    ImGui::TextUnformatted((place + ":").c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Indent(em);
    ImGui::TextWrapped("%s", error.message.c_str());
    ImGui::Unindent(em);
    Gap(em * 0.2f);
  }
}

}  // namespace convtutor::app
