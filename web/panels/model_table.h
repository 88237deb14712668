// The table of a model summary: each layer's output shape and parameters with the core's arithmetic
// under them (a merge's: 16 + 16 = 32 channels), and a total. A graph (branches, skip connections)
// names each row and, under it, the rows it reads ("Add ← bn2, downsample[1]"). Drawn under a lesson's model block and on the "Your model" page, where a
// convolution or pooling row can be put on the stage.
#pragma once

#include <functional>

#include "convtutor/exercise.h"
#include "convtutor/model.h"

namespace convtutor::app {

struct ModelTableOptions {
  float width = 0.0f;  // pixels
  // The exercise (index) that still asks for this number, or -1 when it may be shown: a lesson
  // hides its open answers as "?". Empty: everything is shown.
  std::function<int(lessons::Ask ask, int layer)> open_exercise;
  // Rows the learner may put on the stage: they get a play mark; `on_stage` is highlighted.
  std::function<bool(int layer)> playable;
  int on_stage = -1;
};

// Draws at the cursor; returns the row whose play mark was clicked this frame, or -1.
int DrawModelTable(const char* id, const lessons::ModelSummary& summary, const ModelTableOptions& options);

}  // namespace convtutor::app
