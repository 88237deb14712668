// The shape panel: input size, padding on each side, output size with the formula in the
// learner's own numbers and what happened at the edges, parameters and multiply-adds.
#pragma once

#include "convtutor/geometry.h"
#include "convtutor/scene.h"

namespace convtutor::app {

void DrawShapePanel(const Scene& scene, const Geometry& geometry);

}  // namespace convtutor::app
