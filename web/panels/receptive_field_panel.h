// The stage of a lesson scene with "view": "receptive_field": the input and every layer's map side
// by side, the chosen cell of the last map in the accent, and at every level below it the cells it
// depends on (the core's trace), joined into a cone; and the recurrence r, j layer by layer.
#pragma once

#include <cstdint>
#include <string>

#include <imgui.h>

#include "convtutor/lesson.h"
#include "convtutor/spoilers.h"
#include "convtutor/steps.h"

namespace convtutor::app {

// What an open receptive_field exercise hides: the region on the input, and in the working the
// sizes from layer `from` (the layer it asks about) up, with `note` saying where to predict them.
struct FieldSpoiler {
  int from = -1;  // -1: nothing hidden
  std::string note;
};

// The open receptive_field exercise of scene `scene_index`, if any.
FieldSpoiler OpenFieldSpoiler(const lessons::Lesson& lesson, const lessons::Spoilers& spoilers, int scene_index);

// Draws the maps into a region of `size` at the cursor; `step` is the current step (its output
// cell is the chosen cell). Returns the output cell clicked on the last map (cell index in step
// order), or -1.
std::int64_t DrawReceptiveFieldPanel(const lessons::LessonScene& scene, const Step& step, const FieldSpoiler& hidden,
                                     ImVec2 size);

// The recurrence as a table: each layer's kernel, stride and dilation, the jump and the size.
void DrawReceptiveFieldWorking(const lessons::LessonScene& scene, const Step& step, const FieldSpoiler& hidden);

}  // namespace convtutor::app
