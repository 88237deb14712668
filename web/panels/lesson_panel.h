// The lesson panel: draws one lesson's Markdown (headings, wrapped mixed-style paragraphs, lists,
// code, tables), its scene buttons and links, its exercises of every kind (checked by the
// core) and the learner's progress. It only reports what the learner asked for; the App applies it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "convtutor/lesson.h"
#include "convtutor/spoilers.h"
#include "convtutor/result.h"
#include "convtutor/steps.h"

namespace convtutor::app {

// What the learner typed into one exercise and what the core said about it.
struct ExerciseInput {
  std::string text;        // the answer as typed (the input box's buffer)
  bool checked = false;    // Check was pressed at least once for the current text
  bool correct = false;    // the core's verdict on the last check
  std::string hint;        // the core's hint after a wrong answer
  int attempts = 0;        // wrong checks so far (the answer can be revealed after one)
  bool revealed = false;   // the learner asked to see the answer and its working (this visit; earlier
                           // visits are in Progress::exercises_revealed)
  bool keep_focus = false; // Enter gave a wrong answer: put the cursor back in the box next frame
  bool box_drawn = false;  // the answer box was drawn and visible in the last frame (for automation)
  float box[4] = {0.0f, 0.0f, 0.0f, 0.0f};  // its screen rectangle then: x, y, width, height
};

// Kept by the App between frames (one per App is enough: it resets itself when the lesson changes).
struct LessonPanelState {
  std::string slug;                    // the lesson these inputs belong to
  std::vector<ExerciseInput> inputs;   // one per Lesson::exercises entry, same order
  int scroll_to_exercise = -1;         // an "#exercise=<id>" link was followed: scroll there next frame
  // Each block's height when it was last drawn, valid while `layout_key` (the text width, the font
  // size and the progress the blocks show) stays the same: a block wholly below the panel's view
  // is stepped over by its height instead of being laid out again, since a long lesson's words,
  // tables and exercise cards cost more to lay out than the rest of a frame.
  std::vector<float> block_heights;
  std::uint64_t layout_key = 0;
};

// What the learner asked for this frame. The App applies it (and persists progress with
// platform::WriteSetting("progress", progress.ToJson())).
struct LessonPanelRequest {
  int show_scene = -1;                 // open this scene of the lesson (index into Lesson::scenes)
  std::int64_t show_step = -1;         // with show_scene: seek to this step (-1: the scene's own start)
  bool change_level = false;           // with show_step: switch to `level` first (exercise "show me")
  Level level = Level::kCell;
  std::string solved_exercise;         // an exercise was answered correctly: its id (add
                                       // Progress::ExerciseKey(lesson.slug, id) to exercises_solved)
  std::string revealed_exercise;       // "Show the answer" was pressed: its id (add the key to
                                       // exercises_revealed: its numbers show, but it is not solved)
  bool lesson_completed = false;       // "Mark this lesson as done": add lesson.slug to lessons_done
  bool reset_progress = false;         // "Reset progress": Progress::Reset() and persist
  std::string open_lesson;             // a "#lesson=<slug>" link was followed
  std::string open_image;              // with "&image=<sample>": the sample picture it names
  std::string open_url;                // an external link was clicked (the App may open it in a browser)
  std::string try_model;               // a model block's "Try it in Your model" was pressed: its code
};

// Draws `lesson` into the current window/child (wraps at its content width). `active_scene` is the
// scene the stage shows (marked in the text). `lesson_count` is how many lessons the library has,
// for "2 of 5 lessons done" (0 hides it). `course`, every lesson in order, is what a ```progress
// block lists (the learner's progress in each; a title opens its lesson); null draws it empty.
LessonPanelRequest DrawLessonPanel(const lessons::Lesson& lesson, int active_scene,
                                   const lessons::Progress& progress, const lessons::Spoilers& spoilers,
                                   LessonPanelState& state,
                                   int lesson_count = 0, const std::vector<lessons::Lesson>* course = nullptr);

// Lists lessons that failed to load, one "file:line: message" per line, with a short explanation.
// Draws nothing when `errors` is empty.
void DrawLessonErrors(const std::vector<Error>& errors);

}  // namespace convtutor::app
