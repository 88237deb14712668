// The layer as a matrix product (a lesson scene with "view": "matrix"): the patch matrix (one row
// per window, im2col), the filter matrix (one column per filter) and the output, with the row the
// current step reads, its filter's column, the tap it adds and the output entry it writes.
#pragma once

#include <imgui.h>

#include "cell_work.h"

namespace convtutor::app {

// Draws into a region of `size` at the cursor; the matrices are the core's (Unroll).
void DrawMatrixPanel(const SceneData& data, const CellWork& work, ImVec2 size);

}  // namespace convtutor::app
