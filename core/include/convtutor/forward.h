// The fast whole-layer path: a full output volume at once, for live previews, real images and
// benchmarks. Tests hold it to the same numbers as the step path.
#pragma once

#include "convtutor/geometry.h"
#include "convtutor/scene.h"

namespace convtutor {

// Precondition: `geometry` came from ResolveGeometry(scene).
Volume Forward(const Scene& scene, const Geometry& geometry);

}  // namespace convtutor
