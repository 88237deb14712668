// The equation line of the current output cell with its real numbers: each channel's products
// (`1·2 + 0·(−1) + …`), the running sum across channels as it grows, then `+ bias`, then the
// activation; for pooling the taps of the window with padded taps marked as ignored.
#pragma once

#include "cell_work.h"

namespace convtutor::app {

// Draws at the cursor, wrapping to the available width. `follow` scrolls the current product into
// view (the App asks for it when the step has just changed, so the learner can still scroll).
void DrawEquationPanel(const SceneData& data, const CellWork& work, bool follow);

}  // namespace convtutor::app
