// Inline computed values: "=<scene>.<ask>" reuses the exercise machinery (the same answer a
// learner would be checked against), "=<scene>.rows_formula" and friends read the geometry, and
// "=<model>.layer_shape.<n>" reads the model summary.
#include "lesson_values.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include "convtutor/receptive_field.h"
#include "exercise_kinds.h"
#include "lesson_text.h"

namespace convtutor::lessons {
namespace {

std::string Quoted(std::string_view text) { return "inline value `=" + std::string(text) + "`: "; }


// The exercise question an inline value stands for; `owner` ("scene"/"model") words the error.
Result<ExerciseSpec> SpecFor(const InlineExpression& expression, std::string_view text, const char* owner) {
  ExerciseSpec spec;
  if (!ParseAsk(expression.what, &spec.ask)) {
    return Error{"", Quoted(text) + owner + " \"" + expression.id + "\" has no value \"" + expression.what + "\""};
  }
  spec.layer = expression.layer;
  return spec;
}

// The answer a learner would be checked against, as the lesson shows it.
Result<std::string> AnswerText(const Result<Exercise>& exercise, std::string_view text) {
  if (!exercise) return Error{"", Quoted(text) + exercise.error().ToString()};
  return exercise.value().answer.text;
}

// "98.3%": a layer's share of the model's parameters, to one decimal; below 1%, to two significant
// digits ("0.027%"), so a small layer does not read as nothing; "0%" of none.
std::string ShareText(std::int64_t part, std::int64_t whole) {
  if (whole <= 0 || part <= 0) return "0%";
  const double percent = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  char text[32];
  std::snprintf(text, sizeof text, percent < 1.0 ? "%.2g%%" : "%.1f%%", percent);
  return text;
}

Result<std::string> SceneValue(const LessonScene& scene, const InlineExpression& expression, std::string_view text) {
  const Geometry& geometry = scene.request.geometry;
  if (expression.what == "rows_formula") return geometry.rows.formula;
  if (expression.what == "cols_formula") return geometry.cols.formula;
  if (expression.what == "rows_explanation") return geometry.rows.explanation;
  if (expression.what == "cols_explanation") return geometry.cols.explanation;
  if (expression.what == "matrix_rows") return Grouped(std::int64_t{geometry.out_height} * geometry.out_width);
  if (expression.what == "matrix_columns") {
    const FilterBank& weights = scene.request.scene.weights;
    return Grouped(std::int64_t{weights.channels} * weights.height * weights.width);
  }
  if (expression.what == "receptive_field_formula") {
    ExerciseSpec spec;
    spec.ask = Ask::kReceptiveField;
    Result<Exercise> field = MakeReceptiveFieldExercise(spec, scene.Stack());
    if (!field) return Error{"", Quoted(text) + field.error().ToString()};
    return field.value().explanation;
  }
  Result<ExerciseSpec> spec = SpecFor(expression, text, "scene");
  if (!spec) return spec.error();
  if (spec.value().ask == Ask::kReceptiveField) {
    return AnswerText(MakeReceptiveFieldExercise(spec.value(), scene.Stack()), text);
  }
  return AnswerText(MakeSceneExercise(spec.value(), scene.request), text);
}

Result<std::string> ModelValue(const LessonModel& model, const InlineExpression& expression, std::string_view text) {
  const std::vector<ModelLayer>& layers = model.summary.layers;
  if (model.broken) return Error{"", Quoted(text) + "model \"" + expression.id + "\" is broken: the core refuses it"};
  if (expression.layer >= static_cast<int>(layers.size())) {
    return Error{"", Quoted(text) + "model \"" + expression.id + "\" has layers 0 to " +
                         std::to_string(layers.size() - 1)};
  }
  if (expression.layer >= 0) {
    const ModelLayer& layer = layers[static_cast<std::size_t>(expression.layer)];
    if (expression.what == "layer_formula") return layer.shape_formula;
    if (expression.what == "rows_explanation" || expression.what == "cols_explanation") {
      const Result<AxisGeometry> axis = LayerAxis(layer, expression.what == "rows_explanation");
      if (!axis) return Error{"", Quoted(text) + "layer " + std::to_string(expression.layer) + " " + axis.error().message};
      return axis.value().explanation;
    }
    if (expression.what == "parameters_formula") return layer.parameters_formula;
    if (expression.what == "parameters_share") return ShareText(layer.parameters, model.summary.total_parameters);
  }
  Result<ExerciseSpec> spec = SpecFor(expression, text, "model");
  if (!spec) return spec.error();
  return AnswerText(MakeModelExercise(spec.value(), model.summary), text);
}

bool IsInlineValue(const Span& span) { return span.code && span.text.size() > 1 && span.text[0] == '='; }

}  // namespace

Result<InlineExpression> ParseInlineExpression(std::string_view text) {
  InlineExpression expression;
  const std::vector<std::string> parts = Split(text, '.');
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty()) {
    return Error{"", Quoted(text) + "expected `=<id>.<what>` or `=<model>.<what>.<layer>`"};
  }
  expression.id = parts[0];
  expression.what = parts[1];
  if (parts.size() == 3) {
    if (parts[2].empty() || parts[2].size() > 6 || parts[2].find_first_not_of("0123456789") != std::string::npos) {
      return Error{"", Quoted(text) + "the layer must be a number (Input is 0)"};
    }
    expression.layer = std::stoi(parts[2]);
  }
  return expression;
}

Result<std::string> InlineValue(const Lesson& lesson, std::string_view text) {
  Result<InlineExpression> expression = ParseInlineExpression(text);
  if (!expression) return expression.error();
  const InlineExpression& parts = expression.value();
  const int scene = FindScene(lesson, parts.id);
  if (scene >= 0 && parts.layer < 0) {
    return SceneValue(lesson.scenes[static_cast<std::size_t>(scene)], parts, text);
  }
  for (const LessonModel& model : lesson.models) {
    if (model.id == parts.id) return ModelValue(model, parts, text);
  }
  return Error{"", Quoted(text) + "no scene or model \"" + parts.id + "\" in this lesson"};
}

std::vector<Error> ExpandInlineValues(Lesson& lesson, const std::string& file_name) {
  std::vector<Error> errors;
  const auto expand = [&](std::vector<Span>& spans, int line) {
    for (Span& span : spans) {
      if (!IsInlineValue(span)) continue;
      Result<std::string> value = InlineValue(lesson, std::string_view(span.text).substr(1));
      if (!value) {
        errors.push_back(Error{file_name, value.error().message, line});
        continue;
      }
      span.expression = span.text.substr(1);
      span.text = value.value();
      span.code = false;
      span.computed = true;
    }
  };
  for (Block& block : lesson.blocks) {
    expand(block.spans, block.line);
    for (auto& row : block.rows) {
      for (auto& cell : row) expand(cell, block.line);
    }
  }
  return errors;
}

}  // namespace convtutor::lessons
