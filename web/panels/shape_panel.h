// The shape panel: input size, padding on each side, output size with the formula in the
// learner's own numbers and what happened at the edges, parameters and multiply-adds. In a lesson,
// what an open exercise asks the learner to predict reads "?" until it is solved or revealed.
#pragma once

#include <string>
#include <vector>

#include "convtutor/geometry.h"
#include "convtutor/scene.h"
#include "convtutor/spoilers.h"

namespace convtutor::app {

// One line of the card. A value still to predict has "?" in its place and a note saying where.
struct ShapeFact {
  std::string label;
  std::string value;
  std::string detail;  // derivations: what happened at the edges
  std::string note;    // non-empty when part of the value is hidden: "Predict it in exercise 2 first"
};

struct ShapeCard {
  std::vector<ShapeFact> facts;  // Input, Operation, Padding, Window, Output, Parameters, Multiply-adds
  ShapeFact rows, cols;          // the output-size formulas
};

// The card's text, all computed by the core; `scene_index` is the lesson scene shown (-1: not a
// lesson scene, nothing hidden).
ShapeCard MakeShapeCard(const Scene& scene, const Geometry& geometry, const lessons::Spoilers& spoilers,
                        int scene_index);

// The output's "C × H × W", with "?" for what is still to predict (its note says where); the grid
// panel's header shows the same.
ShapeFact OutputFact(const Geometry& geometry, const lessons::Spoilers& spoilers, int scene_index);

void DrawShapePanel(const Scene& scene, const Geometry& geometry, const lessons::Spoilers& spoilers = {},
                    int scene_index = -1);

}  // namespace convtutor::app
