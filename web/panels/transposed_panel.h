// A transposed convolution on the stage, three ways: the scatter (each input cell adds a weighted
// copy of the kernel into the output, overlaps accumulating), the gather (the grid panel, output
// cell by output cell) and the equivalent stride-1 convolution over the zero-inserted input (the
// grid panel again, on the core's equivalent conv2d scene). A bar above the stage switches views.
#pragma once

#include <cstdint>
#include <optional>

#include <imgui.h>

#include "cell_work.h"
#include "convtutor/spoilers.h"
#include "convtutor/transposed.h"

namespace convtutor::app {

// What the stage needs of a conv_transpose2d scene, made once per scene.
struct TransposedStage {
  TransposedView view = TransposedView::kScatter;
  Scene scene;          // the transposed convolution itself
  Geometry geometry;
  ScatterPlan plan;
  Scene equivalent;     // the zero-inserted view's conv2d scene
  Geometry equivalent_geometry;
};

// The stage for `data` (nullopt unless it is a conv_transpose2d scene whose equivalent resolves),
// in the view ShownTransposedView gives for `view`.
std::optional<TransposedStage> MakeTransposedStage(const SceneData& data, TransposedView view);
// The view the stage shows a transposed layer in when `asked` is asked for: a layer too large to
// draw as a scatter (a real model's) is shown in the gather view instead.
TransposedView ShownTransposedView(const Scene& scene, const Geometry& geometry, TransposedView asked);

// Steps of the stage's sequence at `level`: the scatter's own, or the scene's on the stage.
std::int64_t StageStepCount(const TransposedStage& stage, const SceneData& data, Level level);
// The scatter step where a change to `level` keeps the learner (the same input cell).
std::int64_t ScatterStepAfterLevelChange(const TransposedStage& stage, Level from, Level to, std::int64_t step);
// The running value the scatter has put in the cell the step writes (automation's "partial"): a
// product's cell, or the first cell a copy lands on.
float ScatterPartial(const TransposedStage& stage, Level level, std::int64_t step);

// What a lesson's open exercises ask about the scene on the stage: those numbers stay hidden.
struct StageSpoilers {
  const lessons::Spoilers* spoilers = nullptr;  // null: hide nothing
  int scene_index = -1;
  bool Asks(lessons::Ask ask) const { return spoilers != nullptr && spoilers->SceneAsk(scene_index, ask) >= 0; }
};

// The view buttons and the output-size working of the view, one or two lines (a "?" while the
// output's size is asked); returns the view the learner picked.
std::optional<TransposedView> DrawTransposedViewBar(const TransposedStage& stage, const StageSpoilers& hidden);

// The scatter picture: the input with the cell scattering, the filters with the copy it adds, and
// the map being built with the cells the copy lands on and how many products each has received.
// While the output's size is asked, the map shows only the rows and columns copies have reached;
// while a value is asked, the number of products reaching each cell is left out.
// Returns a step to seek to when the learner clicks an input cell (its first step), else -1.
std::int64_t DrawScatterStage(const TransposedStage& stage, const SceneData& data, Level level, std::int64_t step,
                              const StageSpoilers& hidden, ImVec2 size);

// The equation card in the scatter view: the copy being added, or the product and the cell's sum.
void DrawScatterEquation(const TransposedStage& stage, Level level, std::int64_t step);

}  // namespace convtutor::app
