// The picture of the current step: every input channel as a grid (padding hatched), the kernel
// window over it with its (dilated) taps, each filter as a stack of k×k slices, and the output
// grid with the cell being written. Values are printed when cells are big enough to read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "cell_work.h"
#include "convtutor/spoilers.h"
#include "platform.h"

namespace convtutor::app {

// A value the learner clicked to edit (sandbox only).
struct ValueTarget {
  enum class Tensor { kNone, kInput, kWeight, kBias };
  Tensor tensor = Tensor::kNone;
  int a = 0, b = 0, c = 0, d = 0;  // input: (channel, row, col); weight: (o, c, ky, kx); bias: (o)
};

// A grid drawn as one GPU picture, with the colours it holds: a picture whose key is unchanged is
// drawn again as it is, and a map being written is repainted only in the rows the window has
// moved through since it was painted.
struct GridPicture {
  platform::GpuImage image;
  std::vector<std::uint32_t> pixels;  // packed RGBA, row by row, as uploaded
  std::uint64_t content = 0;          // a key of everything its colours depend on
  std::uint64_t settled = 0;          // the same, leaving out where the window is in a map being written
  int window_row = -1;                // that window's row when it was painted
};

struct GridPanelState {
  bool editable = false;  // clicking an input, weight or bias value asks to edit it
  // A lesson's scene: the output header's sizes that its open exercises ask for read "?".
  const lessons::Spoilers* spoilers = nullptr;
  int scene_index = -1;
  // Where grids too fine to draw cell by cell keep their GPU pictures (one per grid, kept from
  // frame to frame by the caller). Null: every cell is drawn as a rectangle.
  std::vector<GridPicture>* images = nullptr;
};

// What the learner asked for on the grids.
struct GridPanelRequest {
  std::int64_t seek_cell = -1;  // an output cell clicked: jump to its first step
  ValueTarget edit;
};

// How much of the output grid is drawn. While an exercise asks for the output's height (or width),
// its rows (columns) appear as the window reaches them, so the grid never shows the answer before
// the learner has stepped to it; the output grows the way the layer computes it.
struct OutputExtent {
  int rows = 0;
  int cols = 0;
  bool more_rows = false;  // rows not reached yet are left out (drawn as "?")
  bool more_cols = false;
};
OutputExtent VisibleOutputExtent(const Geometry& geometry, std::int64_t cell, bool hide_height, bool hide_width);

// The grids a column shows: all of them, or, past kMaxShownGrids (a deep layer's hundreds of
// channels would be specks), the page of kMaxShownGrids that holds `current` (the first page when
// there is none, current < 0), so the grid the step is on is always shown; the header says which.
constexpr int kMaxShownGrids = 64;
struct GridPage {
  int first = 0;
  int count = 0;
  int total = 0;
  std::string Note(const char* noun) const;  // ", channels 64–127 shown", or "" when every grid is
};
GridPage PageHolding(int total, int current);
// The input column's page for a convolution whose filters each see `group_size` of the `total`
// channels (all of them, or a group's): pages never split a group of up to kMaxShownGrids channels
// (as many whole groups as fit), and a larger group is paged from its own first channel, as the
// equation lists it, so the stage and the equation show the same channels. `current` is the
// channel the step reads, or (a cell step) the first channel of the cell's group.
GridPage GroupPageHolding(int total, int group_size, int current);

// Draws into a region of `size` at the cursor.
GridPanelRequest DrawGridPanel(const SceneData& data, const CellWork& work, const GridPanelState& state,
                               ImVec2 size);

}  // namespace convtutor::app
