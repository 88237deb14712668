// Which numbers the learner has yet to predict: the asks of the current lesson's open exercises,
// matched against the scene facts, model rows and inline values a front end is about to show.
#include "convtutor/spoilers.h"

#include <cstddef>
#include <initializer_list>
#include <vector>

#include "lesson_values.h"

namespace convtutor::lessons {

namespace {

bool IsModelAsk(Ask ask) {
  return ask == Ask::kLayerShape || ask == Ask::kLayerParameters || ask == Ask::kModelParameters ||
         ask == Ask::kLayerMultiplyAdds;
}

}  // namespace

Spoilers::Spoilers(const Lesson& lesson, const Progress& progress) {
  for (std::size_t i = 0; i < lesson.exercises.size(); ++i) {
    const Exercise& exercise = lesson.exercises[i];
    if (progress.IsSolved(lesson.slug, exercise.id) || progress.IsRevealed(lesson.slug, exercise.id)) continue;
    // Only predictions ask for a number the scene or model shows; the other kinds give nothing away there.
    if (exercise.kind != ExerciseKind::kPredict) continue;
    OpenAsk open{static_cast<int>(i), exercise.ask, exercise.scene, exercise.model, exercise.layer};
    if (exercise.ask == Ask::kLayerShape && exercise.model >= 0) {
      const std::vector<ModelLayer>& layers = lesson.models[static_cast<std::size_t>(exercise.model)].summary.layers;
      for (std::size_t later = static_cast<std::size_t>(exercise.layer) + 1; later < layers.size(); ++later) {
        if (layers[later].parameters > 0) open.hides_later_parameters = true;
      }
    }
    open_.push_back(open);
  }
}

int Spoilers::SceneAsk(int scene, Ask ask) const {
  if (scene < 0 || IsModelAsk(ask)) return -1;
  for (const OpenAsk& open : open_) {
    if (open.scene == scene && open.ask == ask) return open.exercise;
  }
  return -1;
}

int Spoilers::ModelAsk(int model, Ask ask, int layer) const {
  if (model < 0 || !IsModelAsk(ask)) return -1;
  if (ask == Ask::kModelParameters) {
    // The exercise asking for the total itself; else one asking for a layer's count, which the
    // total less the other counts would give away; else an open shape that hides later counts.
    for (Ask hider : {Ask::kModelParameters, Ask::kLayerParameters, Ask::kLayerShape}) {
      for (const OpenAsk& open : open_) {
        if (open.model != model || open.ask != hider) continue;
        if (hider != Ask::kLayerShape || open.hides_later_parameters) return open.exercise;
      }
    }
    return -1;
  }
  for (const OpenAsk& open : open_) {
    if (open.model != model) continue;
    if (open.ask == ask && open.layer == layer) return open.exercise;
    // Every later layer is worked out from an open shape: its shape formula starts from that shape,
    // and its parameters from its channels or values (a Linear layer's (400 + 1)·120).
    if (open.ask == Ask::kLayerShape && layer > open.layer &&
        (ask == Ask::kLayerShape || ask == Ask::kLayerParameters)) {
      return open.exercise;
    }
    // The total is the sum of the layers' counts: adding them up is the exercise.
    if (open.ask == Ask::kModelParameters && ask == Ask::kLayerParameters) return open.exercise;
  }
  return -1;
}

int Spoilers::InlineValue(const Lesson& lesson, const Span& span) const {
  if (!span.computed || span.expression.empty() || open_.empty()) return -1;
  const Result<InlineExpression> expression = ParseInlineExpression(span.expression);
  if (!expression) return -1;
  const InlineExpression& parts = expression.value();
  const auto first_open = [](std::initializer_list<int> exercises) {
    for (int exercise : exercises) {
      if (exercise >= 0) return exercise;
    }
    return -1;
  };
  const int scene = parts.layer < 0 ? FindScene(lesson, parts.id) : -1;
  if (scene >= 0) {
    if (parts.what == "rows_formula" || parts.what == "rows_explanation") {
      return first_open({SceneAsk(scene, Ask::kOutputHeight), SceneAsk(scene, Ask::kPaddingRows)});
    }
    if (parts.what == "cols_formula" || parts.what == "cols_explanation") {
      return first_open({SceneAsk(scene, Ask::kOutputWidth), SceneAsk(scene, Ask::kPaddingCols)});
    }
    if (parts.what == "receptive_field_formula") return SceneAsk(scene, Ask::kReceptiveField);
    // The matrix's rows are the output's cells, its columns the filter's weights.
    if (parts.what == "matrix_rows") return first_open({SceneAsk(scene, Ask::kOutputHeight), SceneAsk(scene, Ask::kOutputWidth)});
    if (parts.what == "matrix_columns") return SceneAsk(scene, Ask::kParameters);
    // An inline value or partial sum names no cell or step (it reads the first), so it states no
    // exercise's answer for sure; the grids show those values anyway as the learner steps.
    Ask ask;
    if (!ParseAsk(parts.what, &ask) || ask == Ask::kValue || ask == Ask::kPartialSum) return -1;
    return SceneAsk(scene, ask);
  }
  for (std::size_t i = 0; i < lesson.models.size(); ++i) {
    if (lesson.models[i].id != parts.id) continue;
    const int model = static_cast<int>(i);
    // A layer's padding split and edges follow from its output size, like its formula.
    if (parts.what == "layer_formula" || parts.what == "rows_explanation" || parts.what == "cols_explanation") {
      return ModelAsk(model, Ask::kLayerShape, parts.layer);
    }
    if (parts.what == "parameters_formula") return ModelAsk(model, Ask::kLayerParameters, parts.layer);
    if (parts.what == "parameters_share") {
      return first_open({ModelAsk(model, Ask::kLayerParameters, parts.layer), ModelAsk(model, Ask::kModelParameters)});
    }
    Ask ask;
    return ParseAsk(parts.what, &ask) ? ModelAsk(model, ask, parts.layer) : -1;
  }
  return -1;
}

std::string PredictFirstNote(int exercise_index) {
  return "Predict it in exercise " + std::to_string(exercise_index + 1) + " first";
}

}  // namespace convtutor::lessons
