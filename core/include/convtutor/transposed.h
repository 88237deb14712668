// conv_transpose2d read the two other ways the stage offers beside the gather view of steps.h:
// as a scatter (each input cell adds a weighted copy of the kernel into the output, copies
// overlapping where they meet) and as the equivalent stride-1 convolution of the flipped kernel
// over the zero-inserted, padded input. Both are pure functions of the scene, like StepAt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/geometry.h"
#include "convtutor/scene.h"
#include "convtutor/steps.h"

namespace convtutor {

enum class TransposedView { kScatter, kGather, kZeroInserted };
const char* TransposedViewName(TransposedView view);  // "scatter", "gather", "zero_inserted"
bool ParseTransposedView(std::string_view name, TransposedView* view);

// --- The size formula ---

// `(n − 1)·s − 2p + d·(k − 1) + output_padding + 1` with one axis's numbers filled in, every
// term shown (output_padding 0 too), e.g. "(3 − 1)·2 − 2·0 + 1·(3 − 1) + 0 + 1 = 7".
std::string TransposedSizeFilledIn(const AxisGeometry& axis, int output_padding);
constexpr const char* kTransposedSizeSymbols =
    "(n \u2212 1)\u00B7s \u2212 2p + d\u00B7(k \u2212 1) + output_padding + 1";

// --- The equivalent convolution ---

// Along one axis, the zero-inserted and padded input the equivalent convolution slides over:
// input cell i sits at i·s, s − 1 zeros between cells, d·(k − 1) − p zeros before (a negative
// count crops the inserted input instead) and as many plus output_padding after.
struct ZeroInsertedAxis {
  int length = 0;                 // cells of the equivalent input: output + d·(k − 1)
  int inserted = 0;               // the inserted input alone: (n − 1)·s + 1
  int border_before = 0;          // d·(k − 1) − p (negative: cropped)
  int border_after = 0;           // d·(k − 1) − p + output_padding
  std::vector<int> source;        // per cell: the input row/column it holds, or -1 for a zero
  // "(3 − 1)·2 + 1 = 5 cells with the zeros between, 2 zeros before and 2 after: 9 cells;
  // a stride-1 window of span 3 fits 9 − 3 + 1 = 7 times"
  std::string explanation;
};
ZeroInsertedAxis ZeroInsertAxis(const AxisGeometry& axis, int output_padding);

// The same layer as a conv2d: the zero-inserted, padded input, every filter flipped in both
// directions (tap (ky, kx) moves to (k − 1 − ky, k − 1 − kx)), stride 1, the same dilation,
// groups, bias and activation, no padding. Its output equals the transposed convolution's.
// Precondition: `scene` is a valid conv_transpose2d scene and `geometry` its geometry.
Scene EquivalentConvScene(const Scene& scene, const Geometry& geometry);

// --- The gather view ---

// The first term-level step of output cell `cell` (cells in channel, row, column order) in the
// gather sequence of steps.h, where cells take different numbers of steps: O(1) from the tables.
std::int64_t GatherFirstTermStep(const Geometry& geometry, std::int64_t cell);

// --- The scatter view ---

// Along one axis, where input cell `in`'s copy of the kernel lands: tap t on output in·s − p + t·d.
// Taps landing before 0 or at/after the output's end are cropped (they add nothing).
struct Landing {
  int first_out = 0;  // where tap 0 lands (negative inside the cropped border)
  int first_tap = 0;  // the taps [first_tap, end_tap) land inside the output
  int end_tap = 0;
  int Taps() const { return end_tap > first_tap ? end_tap - first_tap : 0; }
};
Landing LandingOf(const AxisGeometry& axis, int in);

// How many products reach output cell (row, col) of one map: the group's channels times the
// kernel rows and columns that bring a real input cell there. At stride 2 with kernel 3 the cells
// where two copies overlap get more than their neighbours: the checkerboard.
int ProductsReaching(const Geometry& geometry, int out_row, int out_col);

// Tables made once per scene so a scatter step is found from its index in O(log) time.
// Order: output map, then the group's input channels, input rows, input columns; a map ends with
// its bias step and its activation step (each applies to the whole map).
//   kCell:    one step per input position (i, j): the copies of every channel of the group at once
//   kChannel: one step per input cell (c, i, j): its value times the filter's slice c
//   kTerm:    one step per product that lands inside the output, in (c, i, j, ky, kx) order; an
//             input cell whose whole copy is cropped has one step, so every cell is visited
struct ScatterPlan {
  int group_channels = 0;
  int finishing_steps = 0;                    // per map: bias and activation
  std::vector<int> row_taps, col_taps;        // per input row/column: taps landing inside
  std::vector<std::int64_t> col_taps_before;  // Σ col_taps[0, j)
  std::vector<std::int64_t> empty_cols_before;// input columns in [0, j) whose copy is all cropped
  std::vector<std::int64_t> term_steps_before_row;  // term steps of one channel's rows before i
};
ScatterPlan MakeScatterPlan(const Scene& scene, const Geometry& geometry);

std::int64_t ScatterStepCount(const Scene& scene, const Geometry& geometry, const ScatterPlan& plan, Level level);

struct ScatterStep {
  std::int64_t index = 0;
  std::int64_t count = 0;
  StepKind kind = StepKind::kCell;  // kCell, kChannel, kTerm; kBias, kActivation for the whole map
  int out_channel = 0;              // the map being built
  int in_channel = -1;              // kChannel, kTerm: the input channel scattering (-1 at kCell)
  int in_row = -1, in_col = -1;     // the input position scattering (-1 on the map's bias/activation)
  int copy_row = 0, copy_col = 0;   // where the copy's tap (0, 0) lands (negative: cropped)
  Landing rows, cols;               // which taps of the copy land inside the output
  int tap_row = -1, tap_col = -1;   // kTerm: the product's tap; -1 for a cell whose copy is all cropped
  int out_row = -1, out_col = -1;   // kTerm: the output cell the product goes to
  float input = 0.0f;               // kChannel, kTerm: the input value scattered
  float weight = 0.0f;              // kTerm
  float product = 0.0f;             // kTerm: input · weight
  float partial = 0.0f;             // kTerm: that output cell's running value after this step
};

// Precondition: 0 <= index < ScatterStepCount(scene, geometry, plan, level).
ScatterStep ScatterStepAt(const Scene& scene, const Geometry& geometry, const ScatterPlan& plan, Level level,
                          std::int64_t index);

// The first step at `level` of input position (in_row, in_col) of group channel `group_channel`
// (ignored at kCell) while map `out_channel` is built: where a change of level keeps the learner.
std::int64_t ScatterStepIndex(const Scene& scene, const ScatterPlan& plan, Level level, int out_channel,
                              int group_channel, int in_row, int in_col);

// Map `out_channel` of the step at `index` as the scatter has built it so far: every product of
// the steps up to and including this one, added in scatter order; the bias and the activation
// once their step is reached. `added` counts the products each cell has received so far.
struct ScatterMap {
  int out_channel = 0;
  int height = 0, width = 0;
  std::vector<float> values;  // height × width, row-major
  std::vector<int> added;
  bool biased = false;        // the bias step has been reached
  bool activated = false;
};
ScatterMap ScatterMapAt(const Scene& scene, const Geometry& geometry, const ScatterPlan& plan, Level level,
                        std::int64_t index);

}  // namespace convtutor
