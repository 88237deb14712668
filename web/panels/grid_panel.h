// The picture of the current step: every input channel as a grid (padding hatched), the kernel
// window over it with its (dilated) taps, each filter as a stack of k×k slices, and the output
// grid with the cell being written. Values are printed when cells are big enough to read.
#pragma once

#include <cstdint>

#include <imgui.h>

#include "cell_work.h"
#include "convtutor/spoilers.h"

namespace convtutor::app {

// A value the learner clicked to edit (sandbox only).
struct ValueTarget {
  enum class Tensor { kNone, kInput, kWeight, kBias };
  Tensor tensor = Tensor::kNone;
  int a = 0, b = 0, c = 0, d = 0;  // input: (channel, row, col); weight: (o, c, ky, kx); bias: (o)
};

struct GridPanelState {
  bool editable = false;  // clicking an input, weight or bias value asks to edit it
  // A lesson's scene: the output header's sizes that its open exercises ask for read "?".
  const lessons::Spoilers* spoilers = nullptr;
  int scene_index = -1;
};

// What the learner asked for on the grids.
struct GridPanelRequest {
  std::int64_t seek_cell = -1;  // an output cell clicked: jump to its first step
  ValueTarget edit;
};

// Draws into a region of `size` at the cursor.
GridPanelRequest DrawGridPanel(const SceneData& data, const CellWork& work, const GridPanelState& state,
                               ImVec2 size);

}  // namespace convtutor::app
