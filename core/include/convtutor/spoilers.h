// "Predict, then see" keeps its promise: which numbers of a lesson's scenes and models the learner
// is still asked to predict (the asks of its exercises neither solved nor revealed), so a front end
// hides exactly those, and the prose that states them, until the exercise is done.
#pragma once

#include <string>
#include <vector>

#include "convtutor/exercise.h"
#include "convtutor/lesson.h"

namespace convtutor::lessons {

// One number still to predict and the exercise that asks for it.
struct OpenAsk {
  int exercise = -1;  // index into Lesson::exercises
  Ask ask = Ask::kOutputHeight;
  int scene = -1;     // index into Lesson::scenes, or -1
  int model = -1;     // index into Lesson::models, or -1
  int layer = -1;     // model layer asks (Input is 0); -1 otherwise
  // A layer shape ask: a later layer has parameters, which it hides (and with them the total).
  bool hides_later_parameters = false;
};

class Spoilers {
 public:
  Spoilers() = default;  // hides nothing (the sandbox, the introduction)
  Spoilers(const Lesson& lesson, const Progress& progress);

  // The index of the exercise that still asks this (into Lesson::exercises), or -1 when it may be shown.
  int SceneAsk(int scene, Ask ask) const;
  // `layer` is ignored for kModelParameters. An open layer shape hides the shapes and parameters of
  // every later layer too, since each is worked out from it, and the total when any of those
  // layers has parameters. An open total hides every layer's parameters too: the
  // total is their sum, so adding them up is what that exercise asks. An open layer count hides the
  // total, which less the other layers' counts would give it away.
  int ModelAsk(int model, Ask ask, int layer = -1) const;
  // For a computed inline value (Span::expression): the exercise whose answer it states, or -1.
  // Formulas and edge explanations state an output size and its padding, so they count for both.
  int InlineValue(const Lesson& lesson, const Span& span) const;

  const std::vector<OpenAsk>& open() const { return open_; }

 private:
  std::vector<OpenAsk> open_;
};

// The placeholder's note: "Predict it in exercise 2 first" (exercise_index is 0-based).
std::string PredictFirstNote(int exercise_index);

}  // namespace convtutor::lessons
