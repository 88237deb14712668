// Exercise blocks that ask the other way round: the fields each kind needs ("find" and "target"
// for an inverse, "framework" and "layer" for a weight shape, a broken "model" for find_line,
// "choices" for a choice), checked and handed to the core, which computes the answer. A choice's
// "claim" is evaluated by the core, so an answer marked right must also be true.
#include "lesson_exercise_kinds.h"

#include <algorithm>
#include <string>

#include "exercise_kinds.h"
#include "lesson_values.h"

namespace convtutor::lessons {
namespace {

using nlohmann::json;

Error FieldError(const char* field, std::string message) { return Error{field, std::move(message), 0}; }

// A string field: empty when absent; an error when present but not a non-empty string.
Result<std::string> StringField(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end()) return std::string();
  if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
    return FieldError(key, "expected a non-empty string");
  }
  return found->get<std::string>();
}

Result<int> IntField(const json& object, const char* key, int fallback) {
  const auto found = object.find(key);
  if (found == object.end()) return fallback;
  if (!found->is_number_integer() || found->get<std::int64_t>() < -1 || found->get<std::int64_t>() > (1 << 30)) {
    return FieldError(key, "expected a whole number, got " + found->dump());
  }
  return found->get<int>();
}

Result<int> FindModel(const json& object, const Lesson& lesson) {
  const Result<std::string> id = StringField(object, "model");
  if (!id) return id.error();
  if (id.value().empty()) return FieldError("model", "needs \"model\": the id of a model block in this lesson");
  for (std::size_t i = 0; i < lesson.models.size(); ++i) {
    if (lesson.models[i].id == id.value()) return static_cast<int>(i);
  }
  return FieldError("model", "no model \"" + id.value() + "\" in this lesson");
}

Result<Exercise> ReadInverse(const json& object, const ExerciseSpec& spec, const Lesson& lesson) {
  const Result<std::string> scene_id = StringField(object, "scene");
  if (!scene_id) return scene_id.error();
  const int scene = scene_id.value().empty() ? -1 : FindScene(lesson, scene_id.value());
  if (!scene_id.value().empty() && scene < 0) return FieldError("scene", "no scene \"" + scene_id.value() + "\" in this lesson");
  if (scene < 0 && object.find("model") == object.end()) {
    return FieldError("scene", "needs \"scene\" (or \"model\" and \"layer\"): what the learner's number goes into");
  }
  const Result<std::string> find = StringField(object, "find");
  if (!find) return find.error();
  Unknown unknown = Unknown::kPadding;
  if (find.value() == "stride") {
    unknown = Unknown::kStride;
  } else if (find.value() == "kernel") {
    unknown = Unknown::kKernel;
  } else if (find.value() != "padding") {
    return FieldError("find", "expected \"padding\", \"stride\" or \"kernel\"");
  }
  const Result<std::string> axis = StringField(object, "axis");
  if (!axis) return axis.error();
  if (!axis.value().empty() && axis.value() != "rows" && axis.value() != "cols") {
    return FieldError("axis", "expected \"rows\" or \"cols\"");
  }
  const Result<int> target = IntField(object, "target", 0);
  if (!target) return target.error();
  if (object.find("target") == object.end()) return FieldError("target", "needs \"target\": the output size asked for");
  const bool rows = axis.value() != "cols";
  if (scene >= 0) {
    Result<Exercise> made = MakeInverseExercise(spec, unknown, rows, target.value(),
                                                lesson.scenes[static_cast<std::size_t>(scene)].request);
    if (made) made.value().scene = scene;
    return made;
  }
  const Result<int> model = FindModel(object, lesson);
  if (!model) return model.error();
  const LessonModel& source = lesson.models[static_cast<std::size_t>(model.value())];
  if (source.broken) return FieldError("model", "model \"" + source.id + "\" is broken: only find_line can ask about it");
  const Result<int> layer = IntField(object, "layer", -1);
  if (!layer) return layer.error();
  ExerciseSpec with_layer = spec;
  with_layer.layer = layer.value();
  Result<Exercise> made = MakeInverseExercise(with_layer, unknown, rows, target.value(), source.summary);
  if (made) made.value().model = model.value();
  return made;
}

Result<Exercise> ReadWeightShape(const json& object, const ExerciseSpec& spec, const Lesson& lesson) {
  const Result<int> model = FindModel(object, lesson);
  if (!model) return model.error();
  const Result<std::string> name = StringField(object, "framework");
  if (!name) return name.error();
  Framework framework = Framework::kTensorFlow;
  if (!ParseFramework(name.value(), &framework)) {
    return FieldError("framework", "expected \"tensorflow\" (tf.nn.conv2d), \"keras\" (kernel.shape) or \"pytorch\" "
                                   "(weight.shape)");
  }
  const Result<int> layer = IntField(object, "layer", -1);
  if (!layer) return layer.error();
  ExerciseSpec with_layer = spec;
  with_layer.layer = layer.value();
  const LessonModel& source = lesson.models[static_cast<std::size_t>(model.value())];
  if (source.broken) return FieldError("model", "model \"" + source.id + "\" is broken: only find_line can ask about it");
  Result<Exercise> made = MakeWeightShapeExercise(with_layer, framework, source.summary);
  if (made) made.value().model = model.value();
  return made;
}

Result<Exercise> ReadFindLine(const json& object, const ExerciseSpec& spec, const Lesson& lesson) {
  const Result<int> model = FindModel(object, lesson);
  if (!model) return model.error();
  const LessonModel& source = lesson.models[static_cast<std::size_t>(model.value())];
  if (!source.broken) {
    return FieldError("model", "model \"" + source.id + "\" is not marked broken (```model " + source.id +
                                   " broken```): find_line asks which line the core refuses");
  }
  Result<Exercise> made = MakeFindLineExercise(spec, source.source);
  if (made) made.value().model = model.value();
  return made;
}

// A claim: {"value": "<inline value expression>", "is": "<what the answer says it is>"}; true when
// the numbers the core computes are the numbers the claim states.
Result<bool> ClaimHolds(const json& claim, const Lesson& lesson, char letter) {
  const std::string which = std::string("answer ") + letter + ": claim: ";
  if (!claim.is_object() || !claim.contains("value") || !claim.contains("is") || !claim["value"].is_string() ||
      !claim["is"].is_string()) {
    return FieldError("claim", which + "expected {\"value\": \"<id>.<what>\", \"is\": \"<text>\"}");
  }
  const std::string expression = claim["value"].get<std::string>();
  if (expression.empty()) return FieldError("claim", which + "value: expected an expression such as \"seed.output_height\"");
  const Result<std::string> value = InlineValue(lesson, expression[0] == '=' ? expression.substr(1) : expression);
  if (!value) return FieldError("claim", which + value.error().message);
  const std::vector<double> computed = ReadAnswerNumbers(value.value(), false);
  return !computed.empty() && computed == ReadAnswerNumbers(claim["is"].get<std::string>(), false);
}

Result<Exercise> ReadChoice(const json& object, const ExerciseSpec& spec, const Lesson& lesson) {
  const auto list = object.find("choices");
  if (list == object.end() || !list->is_array()) {
    return FieldError("choices", "expected a list of {\"text\": ..., \"why\": ...}, one of them with \"right\": true");
  }
  std::vector<Choice> choices;
  int right = -1;
  for (const json& item : *list) {
    const char letter = static_cast<char>('a' + std::min<std::size_t>(choices.size(), 25));
    if (!item.is_object()) return FieldError("choices", std::string("answer ") + letter + ": expected an object");
    for (const auto& field : item.items()) {
      if (field.key() != "text" && field.key() != "why" && field.key() != "right" && field.key() != "claim") {
        return FieldError("choices", std::string("answer ") + letter + ": unknown field \"" + field.key() +
                                         "\"; expected text, why, right, claim");
      }
    }
    Choice choice;
    const Result<std::string> text = StringField(item, "text"), why = StringField(item, "why");
    if (!text || !why) return FieldError("choices", std::string("answer ") + letter + ": text and why are strings");
    choice.text = text.value();
    choice.why = why.value();
    const auto marked = item.find("right");
    if (marked != item.end() && !marked->is_boolean()) {
      return FieldError("choices", std::string("answer ") + letter + ": right: expected true or false");
    }
    const bool is_right = marked != item.end() && marked->get<bool>();
    if (is_right) {
      if (right >= 0) return FieldError("choices", "exactly one answer may be marked \"right\": true");
      right = static_cast<int>(choices.size());
    }
    const auto claim = item.find("claim");
    if (claim != item.end()) {
      const Result<bool> holds = ClaimHolds(*claim, lesson, letter);
      if (!holds) return holds.error();
      if (holds.value() != is_right) {
        return FieldError("claim", std::string("answer ") + letter + " is marked " + (is_right ? "right" : "wrong") +
                                       " but the core finds its claim " + (holds.value() ? "true" : "false"));
      }
    }
    choices.push_back(std::move(choice));
  }
  Result<Exercise> made = MakeChoiceExercise(spec, std::move(choices), right);
  // A choice may name the scene or model it is about, for the card's link.
  const Result<std::string> scene = StringField(object, "scene");
  if (!scene) return scene.error();
  if (made && !scene.value().empty()) {
    made.value().scene = FindScene(lesson, scene.value());
    if (made.value().scene < 0) return FieldError("scene", "no scene \"" + scene.value() + "\" in this lesson");
  }
  if (made && object.find("model") != object.end()) {
    const Result<int> model = FindModel(object, lesson);
    if (!model) return model.error();
    made.value().model = model.value();
  }
  return made;
}

}  // namespace

Result<Exercise> ReadExerciseOfKind(ExerciseKind kind, const json& object, const ExerciseSpec& spec,
                                    const Lesson& lesson) {
  switch (kind) {
    case ExerciseKind::kInverse:
      return ReadInverse(object, spec, lesson);
    case ExerciseKind::kWeightShape:
      return ReadWeightShape(object, spec, lesson);
    case ExerciseKind::kFindLine:
      return ReadFindLine(object, spec, lesson);
    case ExerciseKind::kChoice:
      return ReadChoice(object, spec, lesson);
    case ExerciseKind::kPredict:
      break;
  }
  return FieldError("kind", "predict exercises are read by the lesson parser");
}

}  // namespace convtutor::lessons
