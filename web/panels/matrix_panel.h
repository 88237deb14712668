// The layer as a matrix product (a lesson scene with "view": "matrix"): the patch matrix (one row
// per window, im2col), the filter matrix (one column per filter) and the output, with the row the
// current step reads, its filter's column, the tap it adds and the output entry it writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "cell_work.h"
#include "convtutor/im2col.h"
#include "convtutor/result.h"

namespace convtutor::app {

// What the view keeps from frame to frame of one scene: its matrices, unrolled once, and the text
// of their entries and of the output's, formatted once. Made again when the scene changes.
struct MatrixPanelCache {
  std::uint64_t generation = 0;  // SceneData::generation of the scene they were made from
  std::optional<Result<Unrolled>> unrolled;
  std::vector<std::string> patch_text;   // per patch entry, "0" in the padding
  std::vector<std::string> filter_text;  // per filter-matrix entry
  std::vector<std::string> output_text;  // per output entry, row by row like the patches' rows
};

// Draws into a region of `size` at the cursor; the matrices are the core's (Unroll).
void DrawMatrixPanel(const SceneData& data, const CellWork& work, MatrixPanelCache& cache, ImVec2 size);

}  // namespace convtutor::app
