// Lessons from Markdown files: the block list from md4c, then the fenced scene, model and exercise
// blocks interpreted by the core (requests, model summaries, computed answers). Every problem is an
// Error with the file and line, so a teacher sees what to fix and the other lessons still load.
#include "convtutor/lesson.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <utility>

#include "convtutor/im2col.h"
#include "convtutor/receptive_field.h"
#include "lesson_exercise_kinds.h"
#include "lesson_markdown.h"
#include "lesson_text.h"
#include "lesson_values.h"

namespace convtutor::lessons {
namespace {

using nlohmann::json;

// Records where nlohmann's parser stopped, so unreadable JSON in a block names its line.
class SyntaxErrorFinder : public nlohmann::json_sax<json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    error_byte = position;
    reason = error.what();
    return false;
  }

  std::size_t error_byte = 0;  // 1-based, 0 when the text parsed
  std::string reason;
};

int CountLines(std::string_view text, std::size_t end) {
  end = std::min(end, text.size());
  return static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

// The words of a fence's info text after the block type: "seed broken" → seed, broken.
std::vector<std::string> Words(std::string_view text) {
  std::string spaced(text);
  std::replace(spaced.begin(), spaced.end(), '\t', ' ');
  std::vector<std::string> words;
  for (std::string& piece : Split(spaced, ' ')) {
    if (!piece.empty()) words.push_back(std::move(piece));
  }
  return words;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
std::string JsonReason(const std::string& what) {
  const std::size_t column = what.find("column ");
  const std::size_t start = column == std::string::npos ? std::string::npos : what.find(": ", column);
  return start == std::string::npos ? what : what.substr(start + 2);
}

// A fenced block's body as it sits in the file: its text and the file line of its first line.
struct BlockSource {
  std::string_view text;
  int first_line = 0;

  // The file line of the first mention of "key" in the block, so an error about a field points
  // at the line that holds it; the fence line when it is not there.
  int LineOfKey(const std::string& key) const {
    const std::size_t at = text.find("\"" + key + "\"");
    return at == std::string_view::npos ? first_line - 1 : first_line + CountLines(text, at);
  }
};

class LessonBuilder {
 public:
  LessonBuilder(std::string_view markdown, const std::string& file_name, const RequestOptions& options)
      : markdown_(markdown), file_(file_name), options_(options) {
    // A byte-order mark (some editors write one) would hide the first heading from md4c.
    if (markdown_.substr(0, 3) == "\xEF\xBB\xBF") markdown_.remove_prefix(3);
    lesson_.file = file_name;
    const std::size_t slash = file_name.find_last_of('/');
    const std::string base = slash == std::string::npos ? file_name : file_name.substr(slash + 1);
    lesson_.slug = base.size() > 3 && base.compare(base.size() - 3, 3, ".md") == 0 ? base.substr(0, base.size() - 3)
                                                                                   : base;
  }

  ParsedLesson Build() {
    MarkdownDocument document = ParseMarkdown(markdown_);
    std::vector<PendingExercise> exercises;
    for (std::size_t i = 0; i < document.blocks.size(); ++i) {
      Block block = std::move(document.blocks[i]);
      if (block.kind != BlockKind::kCode) {
        lesson_.blocks.push_back(std::move(block));
        continue;
      }
      const auto argument = document.info_arguments.find(i);
      const std::string info_argument = argument == document.info_arguments.end() ? "" : argument->second;
      if (block.language == "scene") {
        AddScene(block);
      } else if (block.language == "model") {
        AddModel(block, info_argument);
      } else if (block.language == "exercise") {
        // Answered once every scene and model is known: a question may come before its scene.
        block.kind = BlockKind::kExercise;
        block.index = static_cast<int>(exercises.size());
        exercises.push_back(PendingExercise{block.code, block.line});
        lesson_.blocks.push_back(std::move(block));
      } else if (block.language == kProgressBlock) {
        if (block.code.find_first_not_of(" \t\r\n") != std::string::npos) {
          Fail(block.line, "progress block: takes no text (it lists the learner's progress in every lesson)");
        }
        lesson_.blocks.push_back(std::move(block));
      } else {
        CheckLanguage(block);
        lesson_.blocks.push_back(std::move(block));
      }
    }
    for (const PendingExercise& pending : exercises) AddExercise(pending);
    SetTitle();
    CheckLinks();
    std::vector<Error> value_errors = ExpandInlineValues(lesson_, file_);
    errors_.insert(errors_.end(), value_errors.begin(), value_errors.end());
    // A teacher fixes a file from the top down.
    std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) { return a.line < b.line; });
    return ParsedLesson{std::move(lesson_), std::move(errors_)};
  }

 private:
  struct PendingExercise {
    std::string text;
    int line = 0;
  };

  void Fail(int line, std::string message) { errors_.push_back(Error{file_, std::move(message), line}); }

  static BlockSource Source(const Block& block) { return BlockSource{block.code, block.line + 1}; }

  // Reads a block's JSON object; on failure records the error and returns a discarded value.
  json ReadObject(const Block& block, const std::string& what) {
    const BlockSource source = Source(block);
    SyntaxErrorFinder finder;
    json::sax_parse(source.text.begin(), source.text.end(), &finder, json::input_format_t::json, true, false);
    if (finder.error_byte > 0) {
      const int line = source.first_line + CountLines(source.text, finder.error_byte - 1);
      Fail(line, what + " block: unreadable JSON: " + JsonReason(finder.reason));
      return json::value_t::discarded;
    }
    json value = json::parse(source.text.begin(), source.text.end(), nullptr, false);
    if (!value.is_object()) {
      Fail(block.line, what + " block: expected one JSON object {...}");
      return json::value_t::discarded;
    }
    return value;
  }

  // A typo in a fence word would silently turn a scene into a code listing; say so instead.
  void CheckLanguage(const Block& block) {
    std::string lower = block.language;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* ours : {"scene", "model", "exercise", kProgressBlock}) {
      const std::string word = ours;
      const bool near = lower == word || lower == word + "s" || (lower.size() > 3 && word.rfind(lower, 0) == 0) ||
                        (lower == "excercise" && word == "exercise");
      if (near) {
        Fail(block.line, "unknown block type \"" + block.language + "\"; did you mean \"" + word + "\"?");
        return;
      }
    }
  }

  bool TakeString(json& object, const char* key, const std::string& what, const Block& block, std::string* out) {
    const auto found = object.find(key);
    if (found == object.end()) return true;
    if (!found->is_string() || found->get_ref<const std::string&>().empty()) {
      Fail(Source(block).LineOfKey(key), what + ": " + key + ": expected a non-empty string");
      return false;
    }
    *out = found->get<std::string>();
    object.erase(found);
    return true;
  }

  void AddScene(Block& block) {
    json request = ReadObject(block, "scene");
    if (request.is_discarded()) return;
    LessonScene scene;
    scene.line = block.line;
    if (!TakeString(request, "id", "scene", block, &scene.id)) return;
    if (scene.id.empty()) {
      Fail(block.line, "scene block: needs an \"id\" so text and exercises can point at it");
      return;
    }
    const std::string what = "scene \"" + scene.id + "\"";
    if (FindScene(lesson_, scene.id) >= 0) {
      Fail(Source(block).LineOfKey("id"), what + ": id is used by an earlier scene");
      return;
    }
    for (const LessonModel& model : lesson_.models) {
      if (model.id == scene.id) {
        Fail(Source(block).LineOfKey("id"), what + ": id is used by a model");
        return;
      }
    }
    if (!TakeString(request, "title", what, block, &scene.title)) return;
    if (scene.title.empty()) scene.title = scene.id;
    std::string level_name;
    if (!TakeString(request, "level", what, block, &level_name)) return;
    if (!level_name.empty() && !ParseLevel(level_name.c_str(), &scene.level)) {
      Fail(Source(block).LineOfKey("level"), what + ": level: expected \"cell\", \"channel\" or \"term\", got \"" +
                                                 level_name + "\"");
      return;
    }
    const auto step = request.find("step");
    const bool has_step = step != request.end();
    if (has_step) {
      if (!step->is_number_integer() || step->get<std::int64_t>() < 0) {
        Fail(Source(block).LineOfKey("step"), what + ": step: expected a whole number from 0");
        return;
      }
      scene.step = step->get<std::int64_t>();
      request.erase(step);
    }
    std::string view_name;
    if (!TakeString(request, "view", what, block, &view_name)) return;
    if (!view_name.empty() && !ParseView(view_name, &scene.view)) {
      Fail(Source(block).LineOfKey("view"), what + ": view: expected \"layer\", \"receptive_field\" or \"matrix\", got \"" +
                                                view_name + "\"");
      return;
    }
    const auto then = request.find("then");
    nlohmann::json later_layers;
    if (then != request.end()) {
      later_layers = std::move(*then);
      request.erase(then);
    }
    Result<Request> parsed = ParseRequest(request, options_);
    if (!parsed) {
      const Error& error = parsed.error();
      Fail(Source(block).LineOfKey(error.field), what + ": " + error.ToString());
      return;
    }
    scene.request = std::move(parsed.value());
    scene.json = std::move(request);
    if (!later_layers.is_null() && !StackLayers(block, what, later_layers, scene)) return;
    const std::int64_t steps = StepCount(scene.request.scene, scene.request.geometry, scene.level);
    if (scene.step >= steps) {
      Fail(Source(block).LineOfKey("step"), what + ": step: the scene has " + std::to_string(steps) +
                                                " steps at level \"" + LevelName(scene.level) + "\" (0 to " +
                                                std::to_string(steps - 1) + "), got " + std::to_string(scene.step));
      return;
    }
    if (!CheckView(block, what, scene)) return;
    block.kind = BlockKind::kScene;
    block.index = static_cast<int>(lesson_.scenes.size());
    lesson_.scenes.push_back(std::move(scene));
    lesson_.blocks.push_back(std::move(block));
  }

  static bool ParseView(const std::string& name, SceneView* view) {
    constexpr std::pair<const char*, SceneView> kViews[] = {
        {"layer", SceneView::kLayer}, {"receptive_field", SceneView::kReceptiveField}, {"matrix", SceneView::kMatrix}};
    for (const auto& [spelling, value] : kViews) {
      if (name != spelling) continue;
      *view = value;
      return true;
    }
    return false;
  }

  // "then": the layers stacked on the scene's own; the scene becomes the last of them. A view the
  // stack cannot be drawn in (a receptive field through a transposed layer, a matrix of a pooling
  // layer) is refused here, so the stage never meets it.
  bool StackLayers(const Block& block, const std::string& what, const nlohmann::json& later_layers, LessonScene& scene) {
    Result<std::vector<Request>> stack = ChainLayers(scene.request, later_layers);
    if (!stack) {
      Fail(Source(block).LineOfKey("then"), what + ": " + stack.error().message);
      return false;
    }
    std::vector<Request>& layers = stack.value();
    scene.request = std::move(layers.back());
    layers.pop_back();
    scene.layers_before = std::move(layers);
    return true;
  }

  bool CheckView(const Block& block, const std::string& what, const LessonScene& scene) {
    Error error;
    if (scene.view == SceneView::kReceptiveField) {
      Result<ReceptiveField> field = TraceReceptiveField(scene.Stack(), 0, 0);
      if (field) return true;
      error = field.error();
    } else if (scene.view == SceneView::kMatrix) {
      Result<Unrolled> unrolled = Unroll(scene.request.scene, scene.request.geometry);
      if (unrolled) return true;
      error = unrolled.error();
    } else {
      return true;
    }
    Fail(Source(block).LineOfKey("view"), what + ": view: " + error.ToString());
    return false;
  }

  void AddModel(Block& block, const std::string& info_argument) {
    LessonModel model;
    model.line = block.line;
    const std::vector<std::string> words = Words(info_argument);
    model.id = words.empty() ? "" : words[0];
    model.broken = words.size() > 1 && words[1] == "broken";
    if (words.size() > 2 || (words.size() == 2 && !model.broken)) {
      Fail(block.line, "model \"" + model.id + "\": after the id only the word \"broken\" may follow");
      return;
    }
    if (model.id.empty()) model.id = "model-" + std::to_string(lesson_.models.size() + 1);
    for (const LessonModel& earlier : lesson_.models) {
      if (earlier.id == model.id) {
        Fail(block.line, "model \"" + model.id + "\": id is used by an earlier model");
        return;
      }
    }
    // Inline values and exercises name a scene or a model by id alone, so the two must differ.
    if (FindScene(lesson_, model.id) >= 0) {
      Fail(block.line, "model \"" + model.id + "\": id is used by a scene");
      return;
    }
    model.source = block.code;
    Result<ModelSummary> summary = SummarizeModel(block.code, block.line + 1);
    if (model.broken && summary) {
      Fail(block.line, "model \"" + model.id + "\" is marked broken, but the core accepts it");
      return;
    }
    if (!summary && !model.broken) {
      Fail(summary.error().line, "model \"" + model.id + "\": " + summary.error().message);
      return;
    }
    if (summary) model.summary = std::move(summary.value());
    block.kind = BlockKind::kModel;
    block.index = static_cast<int>(lesson_.models.size());
    lesson_.models.push_back(std::move(model));
    lesson_.blocks.push_back(std::move(block));
  }

  // Reads a whole number field of an exercise; false (with the error recorded) when malformed.
  bool TakeInt(const json& object, const char* key, const std::string& what, const BlockSource& source,
               std::int64_t* out) {
    const auto found = object.find(key);
    if (found == object.end()) return true;
    if (!found->is_number_integer()) {
      Fail(source.LineOfKey(key), what + ": " + key + ": expected a whole number, got " + found->dump());
      return false;
    }
    *out = found->get<std::int64_t>();
    return true;
  }

  void AddExercise(const PendingExercise& pending) {
    Block holder;
    holder.code = pending.text;
    holder.line = pending.line;
    const BlockSource source = Source(holder);
    json object = ReadObject(holder, "exercise");
    Exercise exercise;
    exercise.line = pending.line;
    exercise.fallback_hint = "This exercise could not be set up.";
    if (!object.is_discarded() && FillExercise(object, source, &exercise)) {
      lesson_.exercises.push_back(std::move(exercise));
      return;
    }
    // Keep indices aligned with the blocks that point at exercises.
    lesson_.exercises.push_back(std::move(exercise));
  }

  bool FillExercise(const json& object, const BlockSource& source, Exercise* exercise) {
    constexpr const char* kFields[] = {"id",    "question", "kind",   "ask",  "scene", "model",     "cell",   "channel",
                                       "step",  "level",    "layer",  "find", "axis",  "target",    "framework", "choices"};
    for (const auto& item : object.items()) {
      if (std::find_if(std::begin(kFields), std::end(kFields), [&](const char* f) { return item.key() == f; }) ==
          std::end(kFields)) {
        Fail(source.LineOfKey(item.key()), "exercise block: unknown field \"" + item.key() +
                                               "\"; expected id, question, kind, ask, scene or model, cell, channel, "
                                               "step, level, layer, find, axis, target, framework, choices");
        return false;
      }
    }
    json copy = object;
    Block holder;
    holder.code = std::string(source.text);
    holder.line = source.first_line - 1;
    ExerciseSpec spec;
    spec.line = source.first_line - 1;
    if (!TakeString(copy, "id", "exercise", holder, &spec.id)) return false;
    if (spec.id.empty()) {
      Fail(spec.line, "exercise block: needs an \"id\" (unique in the lesson) to remember that it was solved");
      return false;
    }
    const std::string what = "exercise \"" + spec.id + "\"";
    for (const Exercise& earlier : lesson_.exercises) {
      if (earlier.id == spec.id) {
        Fail(source.LineOfKey("id"), what + ": id is used by an earlier exercise");
        return false;
      }
    }
    if (!TakeString(copy, "question", what, holder, &spec.question)) return false;
    if (spec.question.empty()) {
      Fail(spec.line, what + ": needs a \"question\" for the learner");
      return false;
    }
    std::string kind_name;
    if (!TakeString(copy, "kind", what, holder, &kind_name)) return false;
    ExerciseKind kind = ExerciseKind::kPredict;
    if (!kind_name.empty() && !ParseExerciseKind(kind_name, &kind)) {
      Fail(source.LineOfKey("kind"), what + ": kind: expected predict, inverse, weight_shape, find_line or choice, "
                                            "got \"" + kind_name + "\"");
      return false;
    }
    if (kind != ExerciseKind::kPredict) {
      Result<Exercise> made = ReadExerciseOfKind(kind, copy, spec, lesson_);
      if (!made) {
        const Error& error = made.error();
        Fail(error.field.empty() ? spec.line : source.LineOfKey(error.field), what + ": " + error.ToString());
        return false;
      }
      *exercise = std::move(made.value());
      return true;
    }
    std::string ask_name;
    if (!TakeString(copy, "ask", what, holder, &ask_name)) return false;
    if (!ParseAsk(ask_name, &spec.ask)) {
      Fail(ask_name.empty() ? spec.line : source.LineOfKey("ask"),
           what + ": ask: expected one of output_height, output_width, padding_rows, padding_cols, value, "
                  "partial_sum, parameters, feature_maps, multiply_adds, layer_shape, layer_parameters, "
                  "model_parameters, layer_multiply_adds, receptive_field" +
               (ask_name.empty() ? std::string() : ", got \"" + ask_name + "\""));
      return false;
    }
    std::string scene_id, model_id, level_name;
    if (!TakeString(copy, "scene", what, holder, &scene_id)) return false;
    if (!TakeString(copy, "model", what, holder, &model_id)) return false;
    if (!TakeString(copy, "level", what, holder, &level_name)) return false;
    if (!level_name.empty() && !ParseLevel(level_name.c_str(), &spec.level)) {
      Fail(source.LineOfKey("level"), what + ": level: expected \"cell\", \"channel\" or \"term\"");
      return false;
    }
    std::int64_t channel = 0, layer = 0;
    if (!TakeInt(copy, "step", what, source, &spec.step)) return false;
    if (!TakeInt(copy, "channel", what, source, &channel)) return false;
    if (!TakeInt(copy, "layer", what, source, &layer)) return false;
    spec.channel = static_cast<int>(std::clamp<std::int64_t>(channel, -1, 1 << 30));
    spec.layer = static_cast<int>(std::clamp<std::int64_t>(layer, -1, 1 << 30));
    const auto cell = copy.find("cell");
    if (cell != copy.end()) {
      if (!cell->is_array() || cell->size() != 2 || !(*cell)[0].is_number_integer() ||
          !(*cell)[1].is_number_integer()) {
        Fail(source.LineOfKey("cell"), what + ": cell: expected [row, col] of the output, counted from 0");
        return false;
      }
      spec.cell_row = static_cast<int>(std::clamp<std::int64_t>((*cell)[0].get<std::int64_t>(), -1, 1 << 30));
      spec.cell_col = static_cast<int>(std::clamp<std::int64_t>((*cell)[1].get<std::int64_t>(), -1, 1 << 30));
    }

    if (scene_id.empty() == model_id.empty()) {
      Fail(spec.line, what + ": needs either \"scene\" or \"model\" (the id of a block in this lesson)");
      return false;
    }
    Result<Exercise> made = Error{};
    int scene_index = -1, model_index = -1;
    if (!scene_id.empty()) {
      scene_index = FindScene(lesson_, scene_id);
      if (scene_index < 0) {
        Fail(source.LineOfKey("scene"), what + ": scene: no scene \"" + scene_id + "\" in this lesson");
        return false;
      }
      const LessonScene& scene = lesson_.scenes[static_cast<std::size_t>(scene_index)];
      made = spec.ask == Ask::kReceptiveField ? MakeReceptiveFieldExercise(spec, scene.Stack())
                                              : MakeSceneExercise(spec, scene.request);
    } else {
      for (std::size_t i = 0; i < lesson_.models.size(); ++i) {
        if (lesson_.models[i].id == model_id) model_index = static_cast<int>(i);
      }
      if (model_index < 0) {
        Fail(source.LineOfKey("model"), what + ": model: no model \"" + model_id + "\" in this lesson");
        return false;
      }
      if (lesson_.models[static_cast<std::size_t>(model_index)].broken) {
        Fail(source.LineOfKey("model"), what + ": model: \"" + model_id + "\" is broken; only a find_line exercise "
                                               "can ask about it");
        return false;
      }
      made = MakeModelExercise(spec, lesson_.models[static_cast<std::size_t>(model_index)].summary);
    }
    if (!made) {
      const Error& error = made.error();
      Fail(error.field.empty() ? spec.line : source.LineOfKey(error.field), what + ": " + error.ToString());
      return false;
    }
    *exercise = std::move(made.value());
    exercise->scene = scene_index;
    exercise->model = model_index;
    return true;
  }

  static std::string PlainText(const std::vector<Span>& spans) {
    std::string text;
    for (const Span& span : spans) text += span.line_break ? " " : span.text;
    return text;
  }

  void SetTitle() {
    for (const Block& block : lesson_.blocks) {
      if (block.kind == BlockKind::kHeading && block.level == 1) {
        lesson_.title = PlainText(block.spans);
        return;
      }
    }
    lesson_.title = lesson_.slug;
  }

  // A link to a scene or exercise that does not exist is a broken lesson, not a dead click.
  void CheckLinks() {
    const auto check = [this](const std::vector<Span>& spans, int line) {
      for (const Span& span : spans) {
        if (span.link.empty()) continue;
        const LinkTarget target = ResolveLink(lesson_, span.link);
        const bool local = target.kind == LinkTarget::Kind::kScene || target.kind == LinkTarget::Kind::kExercise;
        if (local && target.index < 0) {
          Fail(line, "link \"" + span.link + "\": no " +
                         (target.kind == LinkTarget::Kind::kScene ? "scene" : "exercise") + " \"" + target.id +
                         "\" in this lesson");
        } else if (target.kind == LinkTarget::Kind::kScene && span.link.find("step=") != std::string::npos) {
          // The step counts at the level the scene opens at.
          const LessonScene& scene = lesson_.scenes[static_cast<std::size_t>(target.index)];
          const std::int64_t steps = StepCount(scene.request.scene, scene.request.geometry, scene.level);
          if (target.step < 0 || target.step >= steps) {
            Fail(line, "link \"" + span.link + "\": step must be a whole number from 0 to " +
                           std::to_string(steps - 1) + " (scene \"" + scene.id + "\" at level \"" +
                           LevelName(scene.level) + "\")");
          }
        }
      }
    };
    for (const Block& block : lesson_.blocks) {
      check(block.spans, block.line);
      for (const auto& row : block.rows) {
        for (const auto& cell : row) check(cell, block.line);
      }
    }
  }

  std::string_view markdown_;
  std::string file_;
  RequestOptions options_;
  Lesson lesson_;
  std::vector<Error> errors_;
};

}  // namespace

ParsedLesson ParseLesson(std::string_view markdown, const std::string& file_name, const RequestOptions& options) {
  return LessonBuilder(markdown, file_name, options).Build();
}

LinkTarget ResolveLink(const Lesson& lesson, const std::string& link) {
  LinkTarget target;
  target.id = link;
  if (link.empty() || link[0] != '#') return target;
  // "#scene=<id>&step=<n>": split the fragment into key=value parts.
  std::string scene, exercise, lesson_slug, step;
  for (const std::string& part : Split(std::string_view(link).substr(1), '&')) {
    const std::size_t equals = part.find('=');
    if (equals == std::string::npos) continue;
    const std::string key = part.substr(0, equals);
    const std::string value = part.substr(equals + 1);
    if (key == "scene") scene = value;
    if (key == "exercise") exercise = value;
    if (key == "lesson") lesson_slug = value;
    if (key == "image") target.image = value;
    if (key == "step") step = value;
  }
  if (!scene.empty()) {
    target.kind = LinkTarget::Kind::kScene;
    target.id = scene;
    target.index = FindScene(lesson, scene);
    if (!step.empty() && step.find_first_not_of("0123456789") == std::string::npos && step.size() < 18) {
      target.step = std::stoll(step);
    }
  } else if (!exercise.empty()) {
    target.kind = LinkTarget::Kind::kExercise;
    target.id = exercise;
    target.index = FindExercise(lesson, exercise);
  } else if (!lesson_slug.empty()) {
    target.kind = LinkTarget::Kind::kLesson;
    target.id = lesson_slug;
  }
  return target;
}

int FindScene(const Lesson& lesson, std::string_view id) {
  for (std::size_t i = 0; i < lesson.scenes.size(); ++i) {
    if (lesson.scenes[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

int FindExercise(const Lesson& lesson, std::string_view id) {
  for (std::size_t i = 0; i < lesson.exercises.size(); ++i) {
    if (!lesson.exercises[i].id.empty() && lesson.exercises[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

namespace {

// The whole file as bytes; false when it cannot be opened or read.
bool ReadWholeFile(const std::string& path, std::string* text) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  char chunk[16384];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0) text->append(chunk, got);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  return !failed;
}

// Reads `redirects.txt`'s lines (`name` is how errors call it): one "old-slug new-slug" per line,
// an old slug once. Whether each new slug leads to a lesson is checked once the lessons are read.
std::vector<std::pair<LessonRedirect, int>> ParseRedirectLines(const std::string& text, const std::string& name,
                                                               std::vector<Error>& errors) {
  std::vector<std::pair<LessonRedirect, int>> read;  // each line that reads, with its number
  const auto fail = [&](int line, std::string message) { errors.push_back(Error{name, std::move(message), line}); };
  std::size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> words;
    std::string word;
    for (std::size_t i = start; i <= end; ++i) {
      const char c = i < end ? text[i] : ' ';
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
      } else {
        word += c;
      }
    }
    start = end + 1;
    if (words.empty() || words[0][0] == '#') continue;
    if (words.size() != 2) {
      fail(line, "expected two slugs, `old-slug new-slug`, but the line has " + std::to_string(words.size()) + " words");
    } else if (words[0] == words[1]) {
      fail(line, "`" + words[0] + "` redirects to itself");
    } else if (std::any_of(read.begin(), read.end(), [&words](const auto& r) { return r.first.from == words[0]; })) {
      fail(line, "`" + words[0] + "` is redirected twice");
    } else {
      read.push_back({LessonRedirect{words[0], words[1]}, line});
    }
  }
  return read;
}

const Lesson* FindLesson(const LessonLibrary& library, const std::string& slug) {
  const auto found = std::find_if(library.lessons.begin(), library.lessons.end(),
                                  [&slug](const Lesson& lesson) { return lesson.slug == slug; });
  return found == library.lessons.end() ? nullptr : &*found;
}

const LessonRedirect* FindRedirect(const std::vector<LessonRedirect>& redirects, const std::string& from) {
  const auto found = std::find_if(redirects.begin(), redirects.end(),
                                  [&from](const LessonRedirect& redirect) { return redirect.from == from; });
  return found == redirects.end() ? nullptr : &*found;
}

// Where CurrentSlug's walk along the redirects ends (`slug` when nothing fits), or the first
// unread lesson it meets, which must be read before the walk can go on.
struct RedirectWalk {
  std::string current;
  std::string unread;
};
RedirectWalk WalkRedirects(const LessonLibrary& library, const std::string& slug, const std::string& id) {
  const auto holds = [&id](const Lesson& lesson) {
    return id.empty() ||
           std::any_of(lesson.exercises.begin(), lesson.exercises.end(), [&id](const Exercise& e) { return e.id == id; }) ||
           std::any_of(lesson.scenes.begin(), lesson.scenes.end(), [&id](const LessonScene& s) { return s.id == id; });
  };
  std::string current = slug;
  // Each step follows one line of the table, so a cycle ends after as many steps as it has lines.
  for (std::size_t hops = 0; hops <= library.redirects.size(); ++hops) {
    if (std::find(library.unread.begin(), library.unread.end(), current) != library.unread.end()) {
      return RedirectWalk{slug, current};
    }
    const Lesson* lesson = FindLesson(library, current);
    if (lesson != nullptr && holds(*lesson)) return RedirectWalk{current, ""};
    const LessonRedirect* redirect = FindRedirect(library.redirects, current);
    if (redirect == nullptr) break;
    current = redirect->to;
  }
  return RedirectWalk{slug, ""};
}

}  // namespace

std::string LessonLibrary::CurrentSlug(const std::string& slug, const std::string& id) const {
  return WalkRedirects(*this, slug, id).current;
}

LessonFolder::LessonFolder(const std::string& folder, const std::string& samples_folder)
    : folder_(folder), samples_folder_(samples_folder) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path root(folder);
  // Errors name files the way a teacher sees them: "lessons/03-padding.md".
  prefix_ = root.filename().empty() ? root.parent_path().filename().string() : root.filename().string();
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".md" && it->is_regular_file(error)) paths.push_back(it->path());
  }
  if (error) {
    library_.errors.push_back(Error{folder, "cannot read the lesson folder: " + error.message(), 0});
    return;
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& path : paths) {
    files_.push_back(LessonFile{path.stem().string(), path.string()});
    library_.unread.push_back(files_.back().slug);
  }
  const fs::path redirects = root / "redirects.txt";
  const std::string name = prefix_ + "/redirects.txt";
  if (fs::exists(redirects, error)) {
    std::string text;
    if (ReadWholeFile(redirects.string(), &text)) {
      redirect_lines_ = ParseRedirectLines(text, name, redirect_errors_);
    } else {
      redirect_errors_.push_back(Error{name, "cannot read the file", 0});
    }
  }
  // Until the lessons are read, every line that reads leads on: a line to a lesson that is not
  // there leads nowhere, which CurrentSlug treats as nothing fitting.
  for (const auto& [redirect, line] : redirect_lines_) library_.redirects.push_back(redirect);
  if (files_.empty()) CheckRedirects();
}

std::vector<std::string> LessonFolder::Slugs() const {
  std::vector<std::string> slugs;
  for (const LessonFile& file : files_) {
    if (!file.broken) slugs.push_back(file.slug);
  }
  return slugs;
}

bool LessonFolder::Read(const std::string& slug) {
  for (LessonFile& file : files_) {
    if (file.slug != slug || file.read) continue;
    ReadFile(file);
    return true;
  }
  return false;
}

bool LessonFolder::ReadNext() {
  for (LessonFile& file : files_) {
    if (file.read) continue;
    ReadFile(file);
    return true;
  }
  return false;
}

void LessonFolder::ReadAll() {
  while (ReadNext()) {
  }
}

std::string LessonFolder::CurrentSlug(const std::string& slug, const std::string& id) {
  RedirectWalk walk = WalkRedirects(library_, slug, id);
  while (!walk.unread.empty() && Read(walk.unread)) walk = WalkRedirects(library_, slug, id);
  return walk.current;
}

void LessonFolder::ReadLessonsLeadingTo(const std::string& slug) {
  for (const LessonRedirect& start : library_.redirects) {
    // The slugs on the way from this line's old slug, as far as `slug`.
    std::vector<std::string> way{start.from};
    for (const LessonRedirect* next = &start; next != nullptr && way.size() <= library_.redirects.size();
         next = FindRedirect(library_.redirects, way.back())) {
      if (next->to == slug) {
        for (const std::string& before : way) Read(before);
        break;
      }
      way.push_back(next->to);
    }
  }
}

void LessonFolder::ReadFile(LessonFile& file) {
  file.read = true;
  library_.unread.erase(std::find(library_.unread.begin(), library_.unread.end(), file.slug));
  const std::string file_name = std::filesystem::path(file.path).filename().string();
  const std::string name = prefix_ + "/" + file_name;
  std::vector<Error> errors;
  std::string text;
  if (!ReadWholeFile(file.path, &text)) {
    errors.push_back(Error{name, "cannot read the file", 0});
  } else {
    ParsedLesson parsed = ParseLesson(text, name, RequestOptions{folder_, samples_folder_});
    parsed.lesson.file = file_name;
    if (parsed.errors.empty()) {
      // In file order, whatever order the files are read in.
      const auto at = std::find_if(library_.lessons.begin(), library_.lessons.end(),
                                   [&file_name](const Lesson& lesson) { return lesson.file > file_name; });
      library_.lessons.insert(at, std::move(parsed.lesson));
    }
    errors = std::move(parsed.errors);
  }
  file.broken = !errors.empty();
  const auto at = std::find_if(library_.errors.begin(), library_.errors.end(),
                               [&name](const Error& error) { return error.field > name; });
  library_.errors.insert(at, errors.begin(), errors.end());
  if (library_.unread.empty()) CheckRedirects();
}

// Each new slug must be a lesson or, for a lesson renamed more than once, an old slug of a later
// line that ends at one. redirects.txt's errors follow the lessons', from the top down.
void LessonFolder::CheckRedirects() {
  library_.redirects.clear();
  for (const auto& [redirect, line] : redirect_lines_) {
    // Follow the chain of lines; one that is longer than the table is a cycle.
    std::string slug = redirect.to;
    for (std::size_t hops = 0; hops < redirect_lines_.size() && FindLesson(library_, slug) == nullptr; ++hops) {
      const auto next = std::find_if(redirect_lines_.begin(), redirect_lines_.end(),
                                     [&slug](const auto& r) { return r.first.from == slug; });
      if (next == redirect_lines_.end()) break;
      slug = next->first.to;
    }
    if (FindLesson(library_, slug) != nullptr) {
      library_.redirects.push_back(redirect);
    } else {
      redirect_errors_.push_back(Error{prefix_ + "/redirects.txt",
                                       "`" + redirect.to +
                                           "` names no lesson (the new slug must be a lesson's file name without .md)",
                                       line});
    }
  }
  std::stable_sort(redirect_errors_.begin(), redirect_errors_.end(),
                   [](const Error& a, const Error& b) { return a.line < b.line; });
  library_.errors.insert(library_.errors.end(), redirect_errors_.begin(), redirect_errors_.end());
  redirect_errors_.clear();
}

LessonLibrary LoadLessons(const std::string& folder, const std::string& samples_folder) {
  LessonFolder lessons(folder, samples_folder);
  lessons.ReadAll();
  return lessons.Library();
}

Progress Progress::Redirected(const LessonLibrary& library) const {
  const auto moved = [&library](const std::set<std::string>& keys) {
    std::set<std::string> result;
    for (const std::string& key : keys) {
      const std::size_t slash = key.find('/');
      if (slash == std::string::npos) {
        result.insert(key);
        continue;
      }
      const std::string id = key.substr(slash + 1);
      result.insert(ExerciseKey(library.CurrentSlug(key.substr(0, slash), id), id));
    }
    return result;
  };
  Progress progress;
  for (const std::string& slug : lessons_done) progress.lessons_done.insert(library.CurrentSlug(slug));
  progress.exercises_solved = moved(exercises_solved);
  progress.exercises_revealed = moved(exercises_revealed);
  progress.last_lesson = library.CurrentSlug(last_lesson);
  return progress;
}

int Progress::SolvedCount(const Lesson& lesson) const {
  int solved = 0;
  for (const Exercise& exercise : lesson.exercises) solved += IsSolved(lesson.slug, exercise.id) ? 1 : 0;
  return solved;
}

std::string Progress::ToJson() const {
  json object;
  object["version"] = kFormatVersion;
  object["lessons_done"] = lessons_done;
  object["exercises_solved"] = exercises_solved;
  object["exercises_revealed"] = exercises_revealed;
  object["last_lesson"] = last_lesson;
  // Replace rather than throw on a malformed name: progress must always be savable.
  return object.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Progress> Progress::FromJson(std::string_view text, std::vector<std::string>* dropped) {
  const json object = json::parse(text.begin(), text.end(), nullptr, false);
  if (object.is_discarded() || !object.is_object()) return Error{"progress", "unreadable progress data", 0};
  const auto version = object.find("version");
  if (version == object.end() || !version->is_number_integer()) {
    return Error{"progress", "unknown progress format version", 0};
  }
  if (version->get<long long>() != kFormatVersion) {
    return Error{"progress", "progress saved in format " + version->dump() + ", which this tutor does not know", 0};
  }
  const auto drop = [dropped](std::string what) {
    if (dropped) dropped->push_back(std::move(what));
  };
  Progress progress;
  for (const char* key : {"lessons_done", "exercises_solved", "exercises_revealed"}) {
    const auto list = object.find(key);
    if (list == object.end()) continue;
    if (!list->is_array()) {
      drop(key);
      continue;
    }
    const std::string name = key;
    std::set<std::string>& target = name == "lessons_done"       ? progress.lessons_done
                                    : name == "exercises_solved" ? progress.exercises_solved
                                                                 : progress.exercises_revealed;
    std::size_t unreadable = 0;
    for (const json& item : *list) {
      if (item.is_string()) {
        target.insert(item.get<std::string>());
      } else {
        ++unreadable;
      }
    }
    if (unreadable > 0) drop(std::to_string(unreadable) + (unreadable == 1 ? " entry of " : " entries of ") + name);
  }
  const auto last = object.find("last_lesson");
  if (last != object.end()) {
    if (last->is_string()) {
      progress.last_lesson = last->get<std::string>();
    } else {
      drop("last_lesson");
    }
  }
  return progress;
}

}  // namespace convtutor::lessons
