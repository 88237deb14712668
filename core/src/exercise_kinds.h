// Private to the core's exercises: the learner's typed numbers (read the same way by every kind)
// and the checks of the kinds that ask the other way round (inverse, weight shape, find the line,
// choice), which CheckAnswer hands over to.
#pragma once

#include <string_view>
#include <vector>

#include "convtutor/exercise.h"

namespace convtutor::lessons {

// Every number in the learner's text. With `single`, separators inside a number ("4,632",
// "4 632") are part of it; otherwise commas, spaces, x and × separate numbers.
std::vector<double> ReadAnswerNumbers(std::string_view text, bool single);

// One axis of a model's convolution or pooling layer as the core resolves it (formula, padding
// split, cells never read); an error for a layer without a sliding window.
Result<AxisGeometry> LayerAxis(const ModelLayer& layer, bool rows);

// CheckAnswer for every kind but kPredict.
CheckResult CheckOtherKind(const Exercise& exercise, std::string_view learner_text);

}  // namespace convtutor::lessons
