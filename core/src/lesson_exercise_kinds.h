// Private to the lesson parser: reads an exercise block of a kind other than "predict" (inverse,
// weight_shape, find_line, choice) once the lesson's scenes and models are known.
#pragma once

#include <nlohmann/json.hpp>

#include "convtutor/exercise.h"
#include "convtutor/lesson.h"

namespace convtutor::lessons {

// `object` is the block's JSON; `spec` holds its id, question and line. The Error's field names
// the key at fault (the caller turns it into the line that holds it).
Result<Exercise> ReadExerciseOfKind(ExerciseKind kind, const nlohmann::json& object, const ExerciseSpec& spec,
                                    const Lesson& lesson);

}  // namespace convtutor::lessons
