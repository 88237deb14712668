// The equation line of the current output cell with its real numbers: each channel's products
// (`1·2 + 0·(−1) + …`), the running sum across channels as it grows, then `+ bias`, then the
// activation; for pooling the taps of the window with padded taps marked as ignored.
#pragma once

#include "cell_work.h"

namespace convtutor::app {

// Draws at the cursor, wrapping to the available width.
void DrawEquationPanel(const SceneData& data, const CellWork& work);

}  // namespace convtutor::app
