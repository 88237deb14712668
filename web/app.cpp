// The tutor's App: owns the lessons, the sandbox and the player, lays out the panels so they
// fill the window (in font units), and applies every request the panels and keys make in one
// place at the end of the frame. Everything shown is computed by the core.
#include "app.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <iterator>
#include <optional>
#include <utility>

#include <imgui.h>

#include "convtutor/filters.h"
#include "convtutor/generate.h"
#include "convtutor/geometry.h"
#include "convtutor/image.h"
#include "convtutor/layer_scene.h"
#include "convtutor/lesson.h"
#include "convtutor/model.h"
#include "convtutor/playback.h"
#include "convtutor/spoilers.h"
#include "convtutor/steps.h"
#include "panels/cell_work.h"
#include "panels/equation_panel.h"
#include "panels/grid_panel.h"
#include "panels/transposed_panel.h"
#include "panels/lesson_panel.h"
#include "panels/matrix_panel.h"
#include "panels/model_panel.h"
#include "panels/picture_panel.h"
#include "panels/playback_panel.h"
#include "panels/receptive_field_panel.h"
#include "panels/sandbox_panel.h"
#include "panels/shape_panel.h"
#include "panels/ui_theme.h"
#include "platform.h"
#include "stored_work.h"

namespace convtutor::app {

namespace {

constexpr const char* kSandboxSlug = "sandbox";
constexpr const char* kModelSlug = "your-model";
constexpr const char* kIntroSlug = "intro";

enum class EntryKind { kLesson, kIntro, kSandbox, kModel };

// One item of the lesson list: a lesson file, the built-in introduction, the sandbox, or the
// learner's own model.
struct Entry {
  EntryKind kind = EntryKind::kSandbox;
  int lesson = -1;  // index into the library's lessons for kLesson; -1 while its file is unread
  std::string slug;
  std::string title;
};

// Lesson links may lead to other sites, but only to web pages and mail: never to script or files.
bool IsWebAddress(const std::string& link) {
  for (const char* scheme : {"https://", "http://", "mailto:"}) {
    if (link.rfind(scheme, 0) == 0) return true;
  }
  return false;
}

// The scene shown while no lesson is available: small enough to read every number, rich
// enough to show channels, filters, padding, stride, bias and ReLU at once.
Scene IntroScene() {
  Scene scene;
  scene.layer.op = Op::kConv2d;
  scene.layer.kernel = Size2{3, 3};
  scene.layer.stride = Size2{2, 2};
  scene.layer.padding.mode = PaddingMode::kExplicit;
  scene.layer.padding.sides = Sides{1, 1, 1, 1};
  scene.layer.activation = Activation::kRelu;
  FillSpec spec;
  spec.seed = 7;
  scene.input = Volume{2, 5, 5, GenerateValues(2 * 5 * 5, spec)};
  spec.seed = 11;
  spec.low = -1.0f;
  spec.high = 1.0f;
  scene.weights = FilterBank{2, 2, 3, 3, GenerateValues(2 * 2 * 3 * 3, spec)};
  spec.seed = 13;
  scene.bias = GenerateValues(2, spec);
  return scene;
}

// Everything the learner asked for during one frame, applied together at its end.
struct FrameRequests {
  PlaybackRequest playback;
  std::int64_t seek_cell = -1;
  int open_entry = -1;
  int open_scene = -1;
  std::optional<SandboxSettings> sandbox;
  ValueTarget edit;
  std::optional<std::pair<ValueTarget, float>> edited_value;
  LessonPanelRequest lesson;
  bool scene_to_sandbox = false;  // take the lesson's scene into the sandbox
  ModelPanelRequest model;
  PicturePanelRequest picture;
  std::optional<TransposedView> transposed_view;  // the learner switched a transposed convolution's view
  std::int64_t scatter_seek = -1;                 // an input cell clicked in the scatter view: its first step
};

// The "<key><value>" part of an address ("lesson=<slug>&exercise=<id>"), or "" when it has none.
std::string LocationValue(const std::string& location, const std::string& key) {
  std::size_t start = 0;
  while (start < location.size()) {
    std::size_t end = location.find('&', start);
    if (end == std::string::npos) end = location.size();
    std::size_t begin = start;
    if (begin < end && (location[begin] == '#' || location[begin] == '?')) ++begin;
    if (location.compare(begin, key.size(), key) == 0) return location.substr(begin + key.size(), end - begin - key.size());
    start = end + 1;
  }
  return std::string();
}

bool KeyPressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); }

ImVec4 Colour(ImU32 colour) { return ImGui::ColorConvertU32ToFloat4(colour); }

// A white rounded card that scrolls its own content.
bool BeginCard(const char* id, ImVec2 size, bool scroll = true) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, Em(0.9f, 0.7f));
  const ImGuiWindowFlags flags =
      scroll ? ImGuiWindowFlags_None : ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  const bool open = ImGui::BeginChild(id, size, true, flags);
  ImGui::PopStyleVar();
  return open;
}

}  // namespace

struct App::Impl {
  lessons::LessonFolder lesson_folder;
  std::vector<Entry> entries;
  std::uint64_t frames_drawn = 0;
  int entry = 0;
  int scene_index = 0;
  SandboxSettings sandbox;
  lessons::Progress progress;
  lessons::Spoilers frame_spoilers;  // what the lesson's open exercises hide, built once a frame
  LessonPanelState lesson_state;

  std::optional<SceneData> data;
  // A conv_transpose2d scene's views; in the zero-inserted view `data` is its equivalent conv2d.
  TransposedView transposed_view = TransposedView::kScatter;
  std::optional<TransposedStage> transposed;
  std::string scene_title;
  std::string scene_error;
  std::int64_t step_count = 0;
  PlaybackClock clock;
  Level level = Level::kCell;
  float themed_font_size = 0.0f;
  // The sandbox is saved once the learner's changes settle, not on every frame of a drag.
  bool sandbox_unsaved = false;
  double sandbox_changed_at = 0.0;
  // "Your model": the learner's code, the core's reading of it, and the row on the stage.
  std::string model_code;
  std::string model_code_set_aside;  // the learner's own code while an example is shown
  Result<lessons::ModelSummary> model_summary = Error{"", "no model yet", 0};
  bool model_summarized = false;  // model_summary is of model_code (SummarizeModelCodeOnce)
  int model_layer = -1;
  std::optional<std::array<float, 4>> model_editor_box;  // drawn this frame (for the automation hook)
  bool model_unsaved = false;
  double model_changed_at = 0.0;
  std::int64_t equation_step = -1;  // the step the equation card last followed

  ValueTarget editing;
  float editing_value = 0.0f;
  bool open_editor = false;
  std::vector<GridPicture> grid_images;  // the stage's grids too fine for rectangles
  MatrixPanelCache matrix_cache;                // the matrix view's unrolled scene
  // The sandbox's picture: the decoded file behind sandbox.picture, the bundled samples, a fetch
  // under way, and the last picture that could not be opened (the one before stays on the stage).
  std::optional<Picture> picture;
  std::vector<std::string> samples;
  std::string picture_loading;
  std::int64_t step_after_picture = -1;  // a link's step for the sample on its way (-1: none)
  std::string sample_to_restore;          // the stored sandbox's sample, fetched at start-up
  std::optional<KeptPicture> own_picture_to_restore;   // the stored sandbox's own picture, until it opens
  std::optional<KeptPicture> model_photo_to_restore;   // the model's own photo from before, until needed
  std::string picture_error;
  double compute_ms = 0.0;
  // "Your model"'s photo, what its layers whose input has 1 or 3 channels run on: `model_photo`
  // names it ("" = generated values), a sample unless the learner opened a file of their own; the
  // first sample until the learner picks another (`model_photo_chosen`).
  std::optional<Picture> model_picture;
  std::string model_photo;
  bool model_photo_is_sample = true;
  bool model_photo_chosen = false;
  std::string model_photo_loading;
  std::string model_photo_error;
  // The rows before the layer on the stage, run on the photo a frame's share at a time, and what
  // they made of it once run (empty: the model could not be followed), for that layer and the rows
  // before it as they read then (OnStageModelChain).
  std::optional<lessons::ModelRun> model_run;
  std::optional<Volume> model_run_input;
  std::string model_run_stop;  // why model_run_input is empty after a run ("": it is not)
  std::string model_run_chain;
  // The row whose volume model_run_input is, and the rows up to it as they read (ModelChainUpTo):
  // a run to a deeper layer starts from it while they still read the same.
  int model_run_row = -1;
  std::string model_run_prefix;
  std::int64_t step_after_run = -1;  // the step to open on once the run is done (a link's, say)
  bool loading_scene = false;
  // Messages about the learner's stored work (reset on reading, or not being saved), shown above
  // the stage until dismissed; the store refusing is told once, however often it refuses.
  std::vector<std::string> notices;
  bool storage_refusal_told = false;
  bool picture_refusal_told = false;  // a picture's copy did not fit in the store (told once)
  std::uint64_t scene_generation = 0;  // counts the scenes made, so cached stage pictures know theirs  // LoadScene is running (a desktop fetch calls back inside it)

  ~Impl() {
    for (GridPicture& picture : grid_images) platform::ReleaseImage(picture.image);
  }

  explicit Impl(const AppOptions& options) : lesson_folder(platform::AssetPath("lessons")) {
    StoredWork stored = ReadStoredWork();
    // Progress stored under a lesson's old slug (renamed, or split) counts where that work lives
    // now: it is redirected again as each lesson is read (LessonsRead).
    progress = std::move(stored.progress);
    RebuildEntries();
    entry = FindEntry(ReadFirstLesson(options));
    if (stored.sandbox) {
      sandbox = std::move(*stored.sandbox);
    } else {
      RegenerateValues(sandbox);
    }
    samples = SampleNames(platform::AssetPath("samples"));
    // A sample picture comes back after a reload, and so does a file the learner opened, from the
    // copy kept of it (the sample is fetched again).
    if (!sandbox.picture.empty()) {
      if (sandbox.picture_is_sample) {
        sample_to_restore = sandbox.picture;
        RequestSample(sandbox.picture);
      } else if (stored.sandbox_picture && !stored.sandbox_picture->sample &&
                 stored.sandbox_picture->name == sandbox.picture) {
        own_picture_to_restore = std::move(stored.sandbox_picture);  // decoded when the sandbox opens
      } else {
        ForgetPicture();
      }
    }
    RestoreModelPhoto(std::move(stored.model_photo));
    if (std::string notice = ResetNotice(stored.resets); !notice.empty()) notices.push_back(std::move(notice));
    model_code = stored.model_code.value_or(kKerasExampleModel);
    model_code_set_aside = std::move(stored.model_code_set_aside);
    if (model_code.empty()) model_code = kKerasExampleModel;
    // Open the first page directly, so it starts at its own level of detail.
    OpenEntry(entry);
    if (options.step >= 0) Seek(options.step);
    if (!options.location.empty()) OpenLocation(options.location);
  }

  const lessons::LessonLibrary& Library() const { return lesson_folder.Library(); }

  // The slug of the page to open first (`options.lesson`, else the address's lesson, else the
  // first page), with its lesson read, and the lessons whose stored work moved into it; a lesson
  // file that turns out broken gives way to the next page.
  std::string ReadFirstLesson(const AppOptions& options) {
    const bool from_address = options.lesson.empty();
    const std::string exercise = from_address ? LocationValue(options.location, "exercise=") : std::string();
    std::string slug = CurrentSlug(from_address ? ParseLocation(options.location).lesson : options.lesson, exercise);
    if (FindEntry(slug) < 0) slug = entries.front().slug;
    while (IsUnread(FindEntry(slug))) {
      ReadLesson(slug);
      if (FindEntry(slug) < 0) slug = entries.front().slug;
    }
    lesson_folder.ReadLessonsLeadingTo(slug);
    LessonsRead();
    return slug;
  }

  // The entries follow the lesson folder: a lesson file is listed by its slug until it is read,
  // then by its title, and no longer once it is found broken.
  void RebuildEntries() {
    const std::string current = entries.empty() ? std::string() : entries[static_cast<std::size_t>(entry)].slug;
    entries.clear();
    const std::vector<lessons::Lesson>& read = Library().lessons;
    for (const std::string& slug : lesson_folder.Slugs()) {
      const auto lesson = std::find_if(read.begin(), read.end(), [&slug](const lessons::Lesson& l) { return l.slug == slug; });
      if (lesson == read.end()) {
        entries.push_back(Entry{EntryKind::kLesson, -1, slug, slug});
      } else {
        entries.push_back(Entry{EntryKind::kLesson, static_cast<int>(lesson - read.begin()), slug, lesson->title});
      }
    }
    if (entries.empty()) entries.push_back(Entry{EntryKind::kIntro, -1, kIntroSlug, "A first convolution"});
    entries.push_back(Entry{EntryKind::kSandbox, -1, kSandboxSlug, "Sandbox"});
    entries.push_back(Entry{EntryKind::kModel, -1, kModelSlug, "Your model"});
    entry = std::max(FindEntry(current), 0);
  }

  bool IsUnread(int index) const {
    return index >= 0 && entries[static_cast<std::size_t>(index)].kind == EntryKind::kLesson &&
           entries[static_cast<std::size_t>(index)].lesson < 0;
  }

  // After lessons were read: the list shows them, and stored work is placed in them.
  void LessonsRead() {
    RebuildEntries();
    progress = progress.Redirected(Library());
  }

  void ReadLesson(const std::string& slug) {
    if (lesson_folder.Read(slug)) LessonsRead();
  }

  // What the stage shows: while it stays the same from one frame's end to the next, the learner
  // is reading rather than moving through the course.
  struct StageMark {
    int entry = -1;
    int scene_index = -1;
    std::int64_t step = -1;
    Level level = Level::kCell;
    bool operator==(const StageMark& other) const {
      return entry == other.entry && scene_index == other.scene_index && step == other.step && level == other.level;
    }
  };
  StageMark CurrentStageMark() const { return StageMark{entry, scene_index, clock.step, level}; }
  StageMark stage_at_last_frame_end;

  // One more lesson file at the end of a frame, after the first, in which the learner is reading:
  // nothing plays, the stage shows what it showed a frame ago, and no drag, edit or scroll is under
  // way. A lesson's first read is cold code and can take tens of milliseconds in the browser, a
  // hitch that would land in playback or a drag. A lesson opened or linked to is read at once.
  void ReadOneMoreLessonWhileReading() {
    const StageMark stage = CurrentStageMark();
    const ImGuiIO& io = ImGui::GetIO();
    const bool learner_reading = !clock.playing && stage == stage_at_last_frame_end && !ImGui::IsAnyItemActive() &&
                                 !ImGui::IsMouseDragging(ImGuiMouseButton_Left) && io.MouseWheel == 0.0f;
    stage_at_last_frame_end = stage;
    if (frames_drawn > 0 && learner_reading && lesson_folder.ReadNext()) LessonsRead();
  }

  // Where a link or stored key naming `slug` (and `id` in it) leads, reading the lessons that
  // decides (see lessons::LessonFolder::CurrentSlug).
  std::string CurrentSlug(const std::string& slug, const std::string& id = "") {
    const std::size_t unread = lesson_folder.UnreadCount();
    std::string current = lesson_folder.CurrentSlug(slug, id);
    if (lesson_folder.UnreadCount() != unread) LessonsRead();
    return current;
  }

  int FindEntry(const std::string& slug) const {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (entries[i].slug == slug) return static_cast<int>(i);
    }
    return -1;
  }

  int EntryIndex(const char* slug) const { return std::max(FindEntry(slug), 0); }

  // Reads the learner's code again; the row on the stage stays if it can still play, otherwise
  // the first layer that can takes its place. Code that does not read (half-typed, most often)
  // keeps the row chosen, for when it reads again.
  void SummarizeModelCode() {
    model_summarized = true;
    model_summary = lessons::SummarizeModel(model_code);
    if (!model_summary) return;
    const std::vector<lessons::ModelLayer>& layers = model_summary.value().layers;
    const auto playable = [&layers](int row) {
      return row >= 0 && row < static_cast<int>(layers.size()) &&
             lessons::IsSteppableLayer(layers[static_cast<std::size_t>(row)]);
    };
    if (playable(model_layer)) return;
    model_layer = -1;
    for (int row = 0; row < static_cast<int>(layers.size()) && model_layer < 0; ++row) {
      if (playable(row)) model_layer = row;
    }
  }

  // Whether the model code is a lesson's model as it was put in (its "Try it in Your model").
  bool ModelCodeIsALessons() const {
    for (const lessons::Lesson& lesson : Library().lessons) {
      for (const lessons::LessonModel& model : lesson.models) {
        if (model.source == model_code) return true;
      }
    }
    return false;
  }

  // A lesson's model in "Your model" from its first layer, as an example goes in: the learner's
  // own code is set aside first, and kept.
  void TryModel(const std::string& source) {
    PutInEditor(source, ModelCodeIsALessons(), model_code, model_code_set_aside);
    model_layer = -1;
    SummarizeModelCode();
    model_unsaved = true;
    model_changed_at = clock.last_seconds;
    OpenEntry(EntryIndex(kModelSlug));
  }

  // The code is read when "Your model" first opens, not before the first frame of another page.
  void SummarizeModelCodeOnce() {
    if (!model_summarized) SummarizeModelCode();
  }

  const lessons::ModelLayer* OnStageModelLayer() const {
    if (!model_summary || model_layer < 0) return nullptr;
    return &model_summary.value().layers[static_cast<std::size_t>(model_layer)];
  }

  // The layer on the stage as the stage depends on it: its input shape, and the source and inputs
  // of it and of every row before it (on the photo, those rows make its input). Empty when none.
  std::string OnStageModelChain() const {
    const lessons::ModelLayer* layer = OnStageModelLayer();
    if (layer == nullptr) return std::string();
    std::string chain = std::to_string(model_layer);
    for (int size : layer->input_shape) chain += "," + std::to_string(size);
    return chain + ModelChainUpTo(model_layer);
  }

  // The source and inputs of the summary's rows 0 to `last`.
  std::string ModelChainUpTo(int last) const {
    std::string chain;
    for (int row = 0; row <= last; ++row) {
      const lessons::ModelLayer& layer = model_summary.value().layers[static_cast<std::size_t>(row)];
      chain += "\n" + layer.source + " <-";
      for (int input : layer.inputs) chain += " " + std::to_string(input);
    }
    return chain;
  }

  const lessons::Lesson* CurrentLesson() const {
    const Entry& current = entries[static_cast<std::size_t>(entry)];
    return current.kind == EntryKind::kLesson && current.lesson >= 0
               ? &Library().lessons[static_cast<std::size_t>(current.lesson)]
               : nullptr;
  }

  // The lesson scene on the stage, or null (no lesson, or a lesson without scenes).
  const lessons::LessonScene* StageScene() const {
    const lessons::Lesson* lesson = CurrentLesson();
    if (lesson == nullptr || scene_index < 0 || scene_index >= static_cast<int>(lesson->scenes.size())) return nullptr;
    return &lesson->scenes[static_cast<std::size_t>(scene_index)];
  }

  // The whole layer at once (the core's fast path), timed: the automation hook reports it.
  SceneData TimedSceneData(Scene scene, const Geometry& geometry) {
    const auto start = std::chrono::steady_clock::now();
    SceneData made = MakeSceneData(std::move(scene), geometry);
    made.generation = ++scene_generation;
    compute_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return made;
  }

  // --- The sandbox's picture ---
  // A sample is name.png or name.jpg (image.h): each is asked for in turn.
  static void FetchSample(const std::string& name, std::size_t extension, platform::AssetDone done) {
    static constexpr const char* kExtensions[] = {".png", ".jpg"};
    const std::string file = "samples/" + name + kExtensions[extension];
    platform::FetchAsset(file, [name, extension, done](bool ok, const std::vector<std::uint8_t>& bytes) {
      if (!ok && extension + 1 < std::size(kExtensions)) {
        FetchSample(name, extension + 1, done);
        return;
      }
      done(ok, bytes);
    });
  }

  // The model's photo is fetched the first time the page needs it; until it arrives (or when it
  // cannot be had) the layer keeps its generated values.
  void RequestModelPicture() {
    if (model_photo_to_restore) DecodeKeptModelPhoto();
    if (!model_photo_chosen) {
      model_photo_chosen = true;
      model_photo = samples.empty() ? std::string() : samples.front();
    }
    if (model_picture || model_photo.empty() || !model_photo_is_sample || !model_photo_loading.empty() ||
        !model_photo_error.empty()) {
      return;
    }
    const std::string name = model_photo;
    model_photo_loading = name;
    FetchSample(name, 0, [this, name](bool ok, const std::vector<std::uint8_t>& bytes) {
      if (model_photo_loading != name) return;  // another photo was chosen meanwhile
      model_photo_loading.clear();
      if (!ok) {
        model_photo_error = "The sample picture \"" + name + "\" could not be fetched.";
        return;
      }
      UseModelPhoto(name, true, bytes);
    });
  }

  // The model's photo as stored: a sample (fetched when the page needs it), generated values, or a
  // file of the learner's own, from the copy kept of it (decoded when the page needs it: a start-up
  // on a lesson does not wait for it). A sample the tutor no longer has gives way to the first one.
  void RestoreModelPhoto(std::optional<KeptPicture> kept) {
    if (!kept) return;
    if (kept->sample && !kept->name.empty() && std::find(samples.begin(), samples.end(), kept->name) == samples.end()) {
      return;
    }
    model_photo_chosen = true;
    model_photo = kept->name;
    model_photo_is_sample = kept->sample;
    if (!kept->sample) model_photo_to_restore = std::move(kept);
  }

  // The learner's own photo kept from a visit before, decoded now that the page needs it; one that
  // does not read gives way to the first sample, and the learner is told.
  void DecodeKeptModelPhoto() {
    const KeptPicture kept = std::move(*model_photo_to_restore);
    model_photo_to_restore.reset();
    Result<Picture> decoded = DecodePicture(kept.file.data(), kept.file.size(), kept.name);
    if (decoded) {
      model_picture = std::move(decoded.value());
      return;
    }
    notices.push_back(ResetNotice({"your model's photo (its file is not a picture the tutor can read)"}));
    model_photo_chosen = false;
    model_photo_is_sample = true;
  }

  // A decoded photo becomes the model's (the rows before the layer run on it again); one the core
  // refuses leaves the photo before, with the reason under the photo's name. A file of the
  // learner's own is kept for the next visit (a sample is named in ChooseModelSample).
  void UseModelPhoto(const std::string& name, bool sample, const std::vector<std::uint8_t>& bytes) {
    Result<Picture> decoded = DecodePicture(bytes.data(), bytes.size(), name);
    if (!decoded) {
      model_photo_error = decoded.error().ToString();
      return;
    }
    model_photo_chosen = true;
    model_photo = name;
    model_photo_is_sample = sample;
    model_photo_error.clear();
    model_photo_to_restore.reset();
    model_picture = std::move(decoded.value());
    if (!sample) StorePicture("model_photo", KeptPicture{name, false, FileToKeep(bytes, *model_picture)});
    ForgetModelRun();
    // On the desktop a sample arrives at once, inside LoadScene, which then uses it itself.
    if (!loading_scene && entries[static_cast<std::size_t>(entry)].kind == EntryKind::kModel) LoadScene();
  }

  // A sample chosen for the model ("" = generated values): fetched, and on the stage once it is in.
  void ChooseModelSample(const std::string& name) {
    model_photo_chosen = true;
    model_photo_error.clear();
    if (!name.empty() && std::find(samples.begin(), samples.end(), name) == samples.end()) {
      model_photo_error = "There is no sample picture called \"" + name + "\".";
      return;
    }
    if (name == model_photo && model_photo_is_sample) return;
    model_photo = name;
    model_photo_is_sample = true;
    model_photo_to_restore.reset();
    StorePicture("model_photo", KeptPicture{name, true, {}});
    model_photo_loading.clear();
    model_picture.reset();
    ForgetModelRun();
    LoadScene();
  }

  // An address's or a lesson link's "image=<sample>": the sandbox with that sample, fetched unless
  // it is already there (an empty name asks nothing).
  void OpenSample(const std::string& name) {
    if (name.empty()) return;
    const bool known = std::find(samples.begin(), samples.end(), name) != samples.end();
    const bool shown = sandbox.picture == name && sandbox.picture_is_sample && (picture || picture_loading == name);
    if (!known) {
      picture_error = "There is no sample picture called \"" + name + "\".";
    } else if (!shown) {
      RequestSample(name);
    } else if (entry != EntryIndex(kSandboxSlug)) {
      OpenEntry(EntryIndex(kSandboxSlug));
    }
  }

  void RequestSample(const std::string& name) {
    picture_loading = name;
    picture_error.clear();
    FetchSample(name, 0, [this, name](bool ok, const std::vector<std::uint8_t>& bytes) {
      if (picture_loading != name) return;  // another picture was asked for meanwhile
      picture_loading.clear();
      if (!ok) {
        picture_error = "The sample picture \"" + name + "\" could not be fetched.";
        if (!picture && sandbox.picture == name) ForgetPicture();
        LoadScene();
        return;
      }
      ShowPicture(name, true, bytes);
    });
  }

  // The sandbox's picture file of the learner's own kept from a visit before, decoded now that the
  // sandbox opens; one that does not read gives way to generated values, and the learner is told.
  void DecodeKeptPicture() {
    const KeptPicture kept = std::move(*own_picture_to_restore);
    own_picture_to_restore.reset();
    Result<Picture> decoded = DecodePicture(kept.file.data(), kept.file.size(), kept.name);
    if (!decoded) {
      notices.push_back(ResetNotice({"your picture in the sandbox (its file is not a picture the tutor can read)"}));
      ForgetPicture();
      return;
    }
    picture = std::move(decoded.value());
    ApplyPictureToSandbox();
  }

  // Keeps one picture part (stored_work.h). A store with no room for the copy keeps none (no
  // stale copy of the picture before) and says so once; the rest of the work is still saved.
  void StorePicture(const char* key, const KeptPicture& kept) {
    const std::string refused = platform::WriteSetting(key, PictureToStore(kept));
    if (refused.empty()) return;
    if (!platform::WriteSetting(key, "").empty()) {
      StorageRefused(refused);
    } else if (!picture_refusal_told) {
      picture_refusal_told = true;
      notices.push_back("The picture \"" + kept.name + "\" is not kept for your next visit: " + refused +
                        ". The rest of your work is saved.");
    }
  }

  // Back to generated values.
  void ForgetPicture() {
    StorePicture("sandbox_picture", KeptPicture{});
    own_picture_to_restore.reset();
    picture.reset();
    sandbox.picture.clear();
    sandbox.picture_is_sample = false;
    sandbox.input_size[0] = std::min(sandbox.input_size[0], kSandboxMaxInputSide);
    sandbox.input_size[1] = std::min(sandbox.input_size[1], kSandboxMaxInputSide);
    RegenerateValues(sandbox);
    if (sandbox.preset >= 0) ApplyPreset(static_cast<FilterPreset>(sandbox.preset));
  }

  // Decodes `bytes` into the sandbox's input and opens the sandbox; a file the core refuses leaves
  // the picture before on the stage, with the reason on screen.
  void ShowPicture(const std::string& name, bool sample, const std::vector<std::uint8_t>& bytes) {
    Result<Picture> decoded = DecodePicture(bytes.data(), bytes.size(), name);
    if (!decoded) {
      picture_error = decoded.error().ToString();
      LoadScene();
      return;
    }
    if (sandbox.picture.empty()) {
      // A first picture: one Sobel filter that shows its edges, without padding.
      sandbox.op = Op::kConv2d;
      sandbox.filters = 1;
      sandbox.stride[0] = sandbox.stride[1] = 1;
      sandbox.dilation[0] = sandbox.dilation[1] = 1;
      sandbox.padding = PaddingMode::kValid;
      sandbox.activation = Activation::kNone;
      sandbox.preset = static_cast<int>(FilterPreset::kSobelX);
    }
    picture = std::move(decoded.value());
    picture_error.clear();
    own_picture_to_restore.reset();
    StorePicture("sandbox_picture", sample ? KeptPicture{} : KeptPicture{name, false, FileToKeep(bytes, *picture)});
    // A picture has thousands of cells: it opens one step per cell, as a real layer does.
    level = Level::kCell;
    sandbox.picture = name;
    sandbox.picture_is_sample = sample;
    ApplyPictureToSandbox();
    SandboxChanged();
    const int sandbox_entry = EntryIndex(kSandboxSlug);
    // The sample a reload restores waits in the sandbox; any other picture opens it.
    const bool restored = sample && name == sample_to_restore;
    sample_to_restore.clear();
    if (entry != sandbox_entry) {
      if (!restored) OpenEntry(sandbox_entry);
    } else {
      LoadScene();
    }
    if (entry == sandbox_entry && step_after_picture >= 0) Seek(step_after_picture);
    step_after_picture = -1;
  }

  // The picture, at the chosen colour mode and size, becomes the sandbox's input; weights follow
  // a change of channels (the preset's kernel again, or fresh values). Another size keeps them: the
  // learner's own weights stay through a change of side and a reload.
  void ApplyPictureToSandbox() {
    if (!picture) return;
    PictureVolume view = PictureToVolume(*picture, sandbox.picture_mode, sandbox.picture_side);
    const int slices_before = SlicesPerFilter(sandbox);
    const bool recoloured = view.volume.channels != sandbox.channels;
    sandbox.channels = view.volume.channels;
    if (sandbox.channels % sandbox.groups != 0) sandbox.groups = 1;  // gray after RGB: one channel, one group
    sandbox.input_size[0] = view.volume.height;
    sandbox.input_size[1] = view.volume.width;
    if (recoloured || SlicesPerFilter(sandbox) != slices_before) RegenerateValues(sandbox);
    sandbox.input = std::move(view.volume.values);
    if (sandbox.preset >= 0) ApplyPreset(static_cast<FilterPreset>(sandbox.preset));
  }

  // Every filter gets the preset's 3×3 kernel in each of its slices, and no bias.
  void ApplyPreset(FilterPreset preset) {
    if (IsPooling(sandbox.op)) return;
    sandbox.preset = static_cast<int>(preset);
    sandbox.kernel[0] = sandbox.kernel[1] = 3;
    sandbox.weights = FilterPresetBank(preset, sandbox.filters, SlicesPerFilter(sandbox), sandbox.seed).values;
    if (sandbox.bias) sandbox.bias_values.assign(static_cast<std::size_t>(sandbox.filters), 0.0f);
  }

  // "256 × 171, scaled from 451 × 300"
  std::string PictureStatus() const {
    if (!picture || sandbox.picture.empty()) return std::string();
    const char* times = " \xC3\x97 ";
    std::string status = std::to_string(sandbox.input_size[1]) + times + std::to_string(sandbox.input_size[0]) + " pixels";
    if (sandbox.input_size[1] != picture->width || sandbox.input_size[0] != picture->height) {
      status += ", scaled from " + std::to_string(picture->width) + times + std::to_string(picture->height);
    }
    return status;
  }

  void ApplyPictureRequest(const PicturePanelRequest& request) {
    if (request.pick_file) platform::PickPictureFile();
    if (request.open_sample) {
      if (request.open_sample->empty()) {
        picture_loading.clear();
        ForgetPicture();
        SandboxChanged();
        LoadScene();
      } else {
        RequestSample(*request.open_sample);
      }
      return;
    }
    bool changed = false;
    if (request.mode) {
      sandbox.picture_mode = *request.mode;
      changed = true;
    }
    if (request.side) {
      sandbox.picture_side = *request.side;
      changed = true;
    }
    if (changed) ApplyPictureToSandbox();
    if (request.preset) {
      ApplyPreset(*request.preset);
      changed = true;
    }
    if (request.kernel && request.kernel->size() == 9 && !IsPooling(sandbox.op)) {
      for (int c = 0; c < SlicesPerFilter(sandbox); ++c) {
        std::copy(request.kernel->begin(), request.kernel->end(),
                  sandbox.weights.begin() + static_cast<std::ptrdiff_t>(c) * 9);
      }
      sandbox.preset = -1;
      changed = true;
    }
    if (changed) {
      SandboxChanged();
      LoadScene();
    }
  }

  // Rebuilds the scene of the current entry; the step is kept where it still exists.
  void LoadScene() {
    loading_scene = true;
    BuildScene();
    loading_scene = false;
  }

  // A deep layer's rows before it can need seconds of work (VGG-16's last layers 14.9 G): they run
  // this much a frame, at least one row, so the page stays alive and shows how far they are.
  // About 15 ms in Chromium on the development machine; a layer needing no more opens at once.
  static constexpr std::int64_t kModelRunMultiplyAddsAFrame = 250'000'000;

  void StartModelRun() {
    // What the last run made, if the rows up to it still read the same and this run needs it.
    int known_row = -1;
    std::optional<Volume> known;
    if (model_run_input && model_run_row >= 0 && model_run_row < model_layer &&
        model_run_row < static_cast<int>(model_summary.value().layers.size()) &&
        ModelChainUpTo(model_run_row) == model_run_prefix) {
      known_row = model_run_row;
      known = std::move(model_run_input);
    }
    model_run = lessons::ModelRunOnPicture(model_summary.value(), model_layer, *model_picture, 1, known_row, std::move(known));
    model_run_input.reset();
    model_run_stop = model_run ? std::string() : "the model's input is not a picture of 1 or 3 channels";
    model_run_row = model_run ? model_run->WantedRow() : -1;
    model_run_prefix = model_run_row >= 0 ? ModelChainUpTo(model_run_row) : std::string();
    model_run_chain = OnStageModelChain();
    step_after_run = clock.step;
    // A run with nothing to do (the row it wants is the one the last run made) is done already.
    if (model_run && model_run->Done()) FinishModelRun();
  }

  // Keeps what a finished run made, or why it made nothing (the model could not be followed).
  void FinishModelRun() {
    model_run_input = model_run->TakeResult();
    model_run_stop = model_run_input ? std::string() : WhyNotRun(*model_run);
    model_run.reset();
  }

  // Why the photo does not reach the layer on the stage, in the title's words.
  std::string WhyNotRun(const lessons::ModelRun& run) const {
    if (run.TooMuchWork()) {
      return "the rows before it need " + FormatCount(run.MultiplyAddsNeeded()) + " multiply-adds, more than the " +
             FormatCount(lessons::kMaxModelRunMultiplyAdds) + " the tutor runs";
    }
    const std::vector<lessons::ModelLayer>& layers = model_summary.value().layers;
    const int row = run.StoppedAtRow();
    if (row < 0 || row >= static_cast<int>(layers.size())) return "the tutor cannot follow the rows before it";
    const lessons::ModelLayer& layer = layers[static_cast<std::size_t>(row)];
    return "the tutor cannot run the photo through row " + std::to_string(row) + " yet, " + layer.source + " (line " +
           std::to_string(layer.line) + ")";
  }

  // Whether the rows before the layer on the stage are still running: only ever on "Your model".
  bool ModelRunning() const { return model_run && !model_run->Done(); }

  // The rows before the layer run again the next time the layer is built.
  void ForgetModelRun() {
    model_run.reset();
    model_run_input.reset();
    model_run_stop.clear();
    model_run_chain.clear();
  }

  // "Your model" with summary row `row` on the stage, from its first step; a row that cannot
  // play (or a model that does not read) leaves the stage as it is.
  void OpenModelLayer(int row) {
    SummarizeModelCodeOnce();
    if (!model_summary || row == model_layer || row < 0 || row >= static_cast<int>(model_summary.value().layers.size()) ||
        !lessons::IsSteppableLayer(model_summary.value().layers[static_cast<std::size_t>(row)])) {
      return;
    }
    model_layer = row;
    clock.playing = false;
    clock.step = 0;
    LoadScene();
  }

  // Runs the next rows, up to a frame's share of work; once done, keeps what they made.
  void RunModelRows() {
    std::int64_t work = 0;
    while (ModelRunning()) {
      const std::int64_t next = model_run->NextLayer().multiply_adds;
      if (work > 0 && work + next > kModelRunMultiplyAddsAFrame) break;
      model_run->RunNextRow();
      work += next;
    }
    if (!ModelRunning()) FinishModelRun();
  }

  // A frame's share of a run under way; the stage is built once it is done, at the step it waits for.
  void ContinueModelRun() {
    if (!ModelRunning()) return;
    LoadScene();
    if (!ModelRunning() && step_after_run >= 0) Seek(step_after_run);
  }

  bool Scattering() const { return transposed && transposed->view == TransposedView::kScatter; }

  std::int64_t CountSteps() const {
    return transposed ? StageStepCount(*transposed, *data, level) : StepCount(data->scene, data->geometry, level);
  }

  void BuildScene() {
    data.reset();
    transposed.reset();
    scene_error.clear();
    scene_title.clear();
    step_count = 0;
    const Entry& current = entries[static_cast<std::size_t>(entry)];
    if (current.kind == EntryKind::kLesson) {
      const lessons::Lesson& lesson = *CurrentLesson();
      if (lesson.scenes.empty()) {
        scene_error = "This lesson has no scene to play; its examples are in the text.";
        return;
      }
      const lessons::LessonScene& lesson_scene = lesson.scenes[static_cast<std::size_t>(scene_index)];
      scene_title = lesson_scene.title.empty() ? lesson_scene.id : lesson_scene.title;
      data = TimedSceneData(lesson_scene.request.scene, lesson_scene.request.geometry);
      data->input_is_picture = lesson_scene.request.picture.has_value();
      data->maps_ahead = data->input_is_picture;
    } else if (current.kind == EntryKind::kModel) {
      SummarizeModelCodeOnce();
      if (!model_summary) {
        scene_error = "The model code has a problem to fix first: the message under the code says where.";
        return;
      }
      if (model_layer < 0) {
        scene_error = "This model has no convolution or pooling layer to step through.";
        return;
      }
      const lessons::ModelLayer& layer = model_summary.value().layers[static_cast<std::size_t>(model_layer)];
      scene_title = "Layer " + std::to_string(model_layer) + ": " + layer.source;
      Result<Scene> scene = lessons::LayerScene(layer);
      if (!scene) {
        scene_error = scene.error().message;  // it names the layer and its line itself
        return;
      }
      Volume& input = scene.value().input;
      RequestModelPicture();
      // The photo goes in at the model's input; each layer gets what the layers before it made
      // of it, as far as the core can follow the model (else the layer keeps generated values).
      bool on_photo = false;
      if (model_picture && model_run_chain != OnStageModelChain()) StartModelRun();
      if (ModelRunning()) {
        RunModelRows();
        if (ModelRunning()) return;  // the stage shows how far the run is (DrawModelRun)
      }
      if (model_picture && model_run_input) {
        input = *model_run_input;
        on_photo = model_layer == 1;
        scene_title += "  (on the photo \"" + model_photo + "\"" +
                       (model_layer == 1 ? std::string(")") : std::string(", through the layers before it, scaled to \xC2\xB1" "1)"));
      } else if (model_picture && !model_run_stop.empty()) {
        scene_title += "  (generated values: " + model_run_stop + ")";
      }
      Result<Geometry> geometry = ResolveGeometry(scene.value());
      if (!geometry) {
        scene_error = geometry.error().ToString();
        return;
      }
      data = TimedSceneData(std::move(scene.value()), geometry.value());
      data->input_is_picture = on_photo;
      data->maps_ahead = model_picture.has_value() && model_run_input.has_value();
    } else {
      if (current.kind == EntryKind::kSandbox && own_picture_to_restore) DecodeKeptPicture();
      if (current.kind == EntryKind::kSandbox && !sandbox.picture.empty() && !picture) {
        scene_error = "Loading the picture " + sandbox.picture + "…";
        return;
      }
      Scene scene = current.kind == EntryKind::kIntro ? IntroScene() : BuildSandboxScene(sandbox);
      scene_title = current.kind == EntryKind::kIntro ? "Two channels, two filters, stride 2, bias and ReLU"
                                                      : "Your layer";
      Result<Geometry> geometry = ResolveGeometry(scene);
      if (!geometry) {
        scene_error = geometry.error().ToString();
        return;
      }
      data = TimedSceneData(std::move(scene), geometry.value());
      data->input_is_picture = current.kind == EntryKind::kSandbox && !sandbox.picture.empty();
      data->maps_ahead = data->input_is_picture;
    }
    // Pooling has no channel level (one channel per window): show it cell by cell instead.
    if (IsPooling(data->scene.layer.op) && level == Level::kChannel) level = Level::kCell;
    transposed = MakeTransposedStage(*data, transposed_view);
    if (transposed && transposed_view == TransposedView::kZeroInserted) {
      data = TimedSceneData(transposed->equivalent, transposed->equivalent_geometry);
    }
    step_count = CountSteps();
    if (step_count <= 0) {
      scene_error = "This layer has no output cells to step through.";
      data.reset();
      return;
    }
    clock.step = std::clamp<std::int64_t>(clock.step, 0, step_count - 1);
  }

  // A lesson not read yet is read first; one found broken is not opened (its problems join the
  // list in the top bar) and the learner stays where they were.
  void OpenEntry(int index) {
    index = std::clamp(index, 0, static_cast<int>(entries.size()) - 1);
    if (IsUnread(index)) {
      const std::string slug = entries[static_cast<std::size_t>(index)].slug;
      ReadLesson(slug);
      index = FindEntry(slug);
      if (index < 0) return;
    }
    entry = index;
    // A run left unfinished starts again if the learner comes back.
    if (entries[static_cast<std::size_t>(entry)].kind != EntryKind::kModel && ModelRunning()) ForgetModelRun();
    clock.step = 0;
    clock.playing = false;
    // A real layer has thousands of cells: its page opens one step per cell.
    if (entries[static_cast<std::size_t>(entry)].kind == EntryKind::kModel) level = Level::kCell;
    OpenScene(0);
  }

  void OpenScene(int index) {
    scene_index = index;
    const lessons::Lesson* lesson = CurrentLesson();
    if (lesson != nullptr && index >= 0 && index < static_cast<int>(lesson->scenes.size())) {
      level = lesson->scenes[static_cast<std::size_t>(index)].level;
      clock.step = lesson->scenes[static_cast<std::size_t>(index)].step;
    } else {
      scene_index = 0;
    }
    LoadScene();
  }

  // While the rows before a model layer run, the step waits for the layer (a link's, say).
  void Seek(std::int64_t step) {
    if (ModelRunning()) step_after_run = step;
    if (step_count <= 0) return;
    clock.step = std::clamp<std::int64_t>(step, 0, step_count - 1);
    clock.carried = 0.0;
  }

  void SetLevel(Level new_level) {
    if (!data || new_level == level) {
      level = new_level;
      return;
    }
    if (Scattering()) {
      // Stay on the same input cell.
      const std::int64_t step = ScatterStepAfterLevelChange(*transposed, level, new_level, clock.step);
      level = new_level;
      step_count = CountSteps();
      Seek(step);
      return;
    }
    // Stay on the same output cell when the level of detail changes.
    const std::int64_t cell = DescribeCell(*data, level, clock.step).cell;
    level = new_level;
    step_count = CountSteps();
    Seek(FirstStepOfCell(*data, level, cell));
  }

  // `exercise`, when the address names one, decides where the old slug of a split lesson leads.
  void Open(const convtutor::Location& location, const std::string& exercise = "") {
    if (!location.lesson.empty()) {
      const int index = FindEntry(CurrentSlug(location.lesson, exercise));
      if (index >= 0 && index != entry) OpenEntry(index);
    }
    if (location.step >= 0) {
      clock.playing = false;
      Seek(location.step);
    }
  }

  // Scrolls the lesson text to the exercise `id` names, puts the cursor in its answer box and puts
  // the scene it asks about on the stage.
  void ScrollToExercise(const std::string& id) {
    const lessons::Lesson* lesson = CurrentLesson();
    if (lesson == nullptr || id.empty()) return;
    for (std::size_t i = 0; i < lesson->exercises.size(); ++i) {
      if (lesson->exercises[i].id != id) continue;
      const int scene = lesson->exercises[i].scene;
      if (scene >= 0 && scene != scene_index) OpenScene(scene);
      // The panel resets its state when it meets a new lesson: meet it here first, so the
      // request survives to the next frame's drawing.
      if (lesson_state.slug != lesson->slug) {
        lesson_state = LessonPanelState{};
        lesson_state.slug = lesson->slug;
      }
      lesson_state.scroll_to_exercise = static_cast<int>(i);
    }
  }

  // Writes one part of the learner's work; a store that refuses is reported once.
  void Store(const std::string& key, const std::string& value) {
    const std::string refused = platform::WriteSetting(key, value);
    if (!refused.empty()) StorageRefused(refused);
  }

  void StorageRefused(const std::string& reason) {
    if (storage_refusal_told) return;
    storage_refusal_told = true;
    notices.push_back("Your work is not being saved: " + reason +
                      ". The tutor keeps working, but what you do now is gone once you close it.");
  }

  void SandboxChanged() {
    sandbox_unsaved = true;
    sandbox_changed_at = clock.last_seconds;
  }

  void SaveOnceSettled() {
    constexpr double kSettleSeconds = 0.5;
    if (sandbox_unsaved && clock.last_seconds - sandbox_changed_at >= kSettleSeconds) {
      Store("sandbox", SandboxToJson(sandbox));
      sandbox_unsaved = false;
    }
    if (model_unsaved && clock.last_seconds - model_changed_at >= kSettleSeconds) {
      Store("model_code", ModelCodeToStore(model_code, model_code_set_aside));
      model_unsaved = false;
    }
  }

  // Sets one sandbox value; the scene on the stage was built from the sandbox, so its tensors
  // give the index of the value in the sandbox's own vectors.
  void ApplyEdit(const ValueTarget& target, float value) {
    if (!data) return;
    std::vector<float>* values = nullptr;
    std::size_t index = 0;
    switch (target.tensor) {
      case ValueTarget::Tensor::kInput:
        values = &sandbox.input;
        index = data->scene.input.Index(target.a, target.b, target.c);
        break;
      case ValueTarget::Tensor::kWeight:
        values = &sandbox.weights;
        sandbox.preset = -1;
        index = data->scene.weights.Index(target.a, target.b, target.c, target.d);
        break;
      case ValueTarget::Tensor::kBias:
        values = &sandbox.bias_values;
        index = static_cast<std::size_t>(target.a);
        break;
      case ValueTarget::Tensor::kNone:
        return;
    }
    if (index >= values->size()) return;
    (*values)[index] = value;
    SandboxChanged();
    LoadScene();
  }

  void OpenLocation(const std::string& location);
  void DrawFrame(FrameRequests& requests);
  void DrawTopBar(FrameRequests& requests);
  void DrawNotices();
  void DrawSideColumn(FrameRequests& requests, ImVec2 size);
  void DrawStage(FrameRequests& requests, ImVec2 size, const CellWork* work);
  void DrawValueEditor(FrameRequests& requests);
  void DrawSceneError();
  void DrawModelRun();
  void HandleKeys(FrameRequests& requests);
  void Apply(const FrameRequests& requests);
  void ApplyLessonRequest(const LessonPanelRequest& request);
  void SaveProgress();
};

void App::Impl::OpenLocation(const std::string& location) {
  // A transposed convolution's view first: the step counts in it. No view named is the scatter.
  // A location naming the view the layer is already shown in (a large layer's gather, which its
  // own links name) rebuilds nothing.
  TransposedView view = TransposedView::kScatter;
  ParseTransposedView(LocationValue(location, "view="), &view);
  if (view != transposed_view) {
    const bool shown = transposed && ShownTransposedView(transposed->scene, transposed->geometry, view) == transposed->view;
    transposed_view = view;
    if (!shown) LoadScene();
  }
  const convtutor::Location place = ParseLocation(location);
  const std::string exercise = LocationValue(location, "exercise=");
  Open(place, exercise);
  ScrollToExercise(exercise);
  const std::string sample = LocationValue(location, "image=");
  if (entries[static_cast<std::size_t>(entry)].kind == EntryKind::kModel) {
    // "Your model"'s photo and row: a link (or a reload) comes back to what the learner chose.
    if (!sample.empty()) ChooseModelSample(sample);
    const std::string layer = LocationValue(location, "layer=");
    if (!layer.empty() && layer.size() <= 6 &&
        std::all_of(layer.begin(), layer.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      OpenModelLayer(std::stoi(layer));
    }
    if (place.step >= 0) Seek(place.step);
    return;
  }
  OpenSample(sample);
  // A sample still on its way starts its scene afresh when it arrives: the step waits for it, so
  // a reload comes back to the same place.
  if (!sample.empty() && picture_loading == sample) step_after_picture = place.step;
}

void App::Impl::DrawTopBar(FrameRequests& requests) {
  const float bar_height = Em(2.6f);
  const float start_y = ImGui::GetCursorPosY();
  ImGui::PushFont(HeadingFont());
  const float heading_height = ImGui::GetTextLineHeight();
  ImGui::SetCursorPosY(start_y + (bar_height - heading_height) * 0.5f);
  const ImVec2 mark = ImGui::GetCursorScreenPos();
  const float side = heading_height * 0.8f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  // A tiny 2×2 grid with one accent cell: the tutor's mark.
  const float half = side * 0.5f;
  const float top = mark.y + (heading_height - side) * 0.5f;
  draw->AddRectFilled(ImVec2(mark.x, top), ImVec2(mark.x + half - 1, top + half - 1), colours::kAccent, 2.0f);
  draw->AddRectFilled(ImVec2(mark.x + half, top), ImVec2(mark.x + side, top + half - 1), colours::kGridLine, 2.0f);
  draw->AddRectFilled(ImVec2(mark.x, top + half), ImVec2(mark.x + half - 1, top + side), colours::kGridLine, 2.0f);
  draw->AddRectFilled(ImVec2(mark.x + half, top + half), ImVec2(mark.x + side, top + side), colours::kGridLine, 2.0f);
  ImGui::SetCursorScreenPos(ImVec2(mark.x + side + Em(0.5f), mark.y));
  ImGui::TextUnformatted("Convolution tutor");
  ImGui::PopFont();

  // The lesson navigator, centred on the bar.
  const float combo_width = std::min(Em(24.0f), ImGui::GetContentRegionMax().x * 0.4f);
  const float nav_width = combo_width + 2.0f * ImGui::GetFrameHeight() + 2.0f * ImGui::GetStyle().ItemSpacing.x;
  ImGui::SameLine(std::max((ImGui::GetContentRegionMax().x - nav_width) * 0.5f, ImGui::GetCursorPosX() + Em(2.0f)));
  ImGui::SetCursorPosY(start_y + (bar_height - ImGui::GetFrameHeight()) * 0.5f);
  if (ImGui::ArrowButton("##previous", ImGuiDir_Left) && entry > 0) requests.open_entry = entry - 1;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Previous lesson (Page Up)");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(combo_width);
  const Entry& current = entries[static_cast<std::size_t>(entry)];
  // Lessons are numbered; the sandbox and "Your model" after them are not.
  const auto numbered = [](const Entry& item) { return item.kind == EntryKind::kLesson || item.kind == EntryKind::kIntro; };
  const auto lesson_count = std::count_if(entries.begin(), entries.end(), numbered);
  const std::string preview = !numbered(current) ? current.title
                                                 : std::to_string(entry + 1) + " / " + std::to_string(lesson_count) +
                                                       "   " + current.title;
  if (ImGui::BeginCombo("##lesson", preview.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const Entry& item = entries[i];
      const std::string label = !numbered(item) ? item.title : std::to_string(i + 1) + ".  " + item.title;
      // A lesson not read yet shows its slug, muted, for the few frames until its turn.
      const bool unread = IsUnread(static_cast<int>(i));
      if (unread) ImGui::PushStyleColor(ImGuiCol_Text, Colour(colours::kMutedText));
      if (ImGui::Selectable(label.c_str(), static_cast<int>(i) == entry)) requests.open_entry = static_cast<int>(i);
      if (unread) ImGui::PopStyleColor();
      if (item.kind != EntryKind::kLesson || unread) continue;
      // Each lesson shows its exercises solved ("3/5") at the right, and a small accent dot once
      // the learner marked it as done.
      const lessons::Lesson& lesson = Library().lessons[static_cast<std::size_t>(item.lesson)];
      const ImVec2 max = ImGui::GetItemRectMax();
      const ImVec2 min = ImGui::GetItemRectMin();
      const bool done = progress.lessons_done.count(item.slug) > 0;
      if (!lesson.exercises.empty()) {
        const std::string solved =
            std::to_string(progress.SolvedCount(lesson)) + "/" + std::to_string(lesson.exercises.size());
        const float text_width = ImGui::CalcTextSize(solved.c_str()).x;
        ImGui::GetWindowDrawList()->AddText(ImVec2(max.x - Em(1.2f) - text_width, (min.y + max.y - ImGui::GetTextLineHeight()) * 0.5f),
                                            ImGui::GetColorU32(ImGuiCol_TextDisabled), solved.c_str());
      }
      if (done) {
        ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(max.x - Em(0.6f), (min.y + max.y) * 0.5f), Em(0.22f),
                                                    colours::kAccent);
      }
      if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%d of %zu exercises solved%s", progress.SolvedCount(lesson), lesson.exercises.size(),
                          done ? ", done" : "");
      }
    }
    if (!Library().errors.empty()) {
      ImGui::Separator();
      DrawLessonErrors(Library().errors);
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::ArrowButton("##next", ImGuiDir_Right) && entry + 1 < static_cast<int>(entries.size())) {
    requests.open_entry = entry + 1;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Next lesson (Page Down)");

  const std::vector<Error>& lesson_errors = Library().errors;
  if (lesson_errors.empty()) {
    // The keys, where the eye looks for help: the right end of the bar.
    const char* keys =
        "Space play  \xC2\xB7  \xE2\x86\x90 \xE2\x86\x92 step  \xC2\xB7  Home End  \xC2\xB7  PgUp PgDn lesson";
    const float width = ImGui::CalcTextSize(keys).x;
    const float nav_right = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
    if (nav_right + Em(2.0f) + width < ImGui::GetContentRegionMax().x) {
      ImGui::SameLine(ImGui::GetContentRegionMax().x - width);
      ImGui::SetCursorPosY(start_y + (bar_height - ImGui::GetTextLineHeight()) * 0.5f);
      ImGui::TextColored(Colour(colours::kMutedText), "%s", keys);
    }
  } else {
    const std::string note = std::to_string(lesson_errors.size()) +
                             (lesson_errors.size() == 1 ? " lesson problem" : " lesson problems");
    const float width = ImGui::CalcTextSize(note.c_str()).x + Em(1.2f);
    ImGui::SameLine(ImGui::GetContentRegionMax().x - width);
    ImGui::PushStyleColor(ImGuiCol_Button, Colour(colours::kErrorSoft));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, Colour(colours::kErrorSoft));
    ImGui::PushStyleColor(ImGuiCol_Text, Colour(colours::kError));
    ImGui::Button(note.c_str());
    ImGui::PopStyleColor(3);
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(Em(36.0f));
      DrawLessonErrors(lesson_errors);
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
  ImGui::SetCursorPosY(start_y + bar_height);
}

void App::Impl::DrawSideColumn(FrameRequests& requests, ImVec2 size) {
  if (!BeginCard("##side", size)) {
    ImGui::EndChild();
    return;
  }
  const Entry& current = entries[static_cast<std::size_t>(entry)];
  if (current.kind == EntryKind::kSandbox) {
    ImGui::PushFont(HeadingFont());
    ImGui::TextUnformatted("Sandbox");
    ImGui::PopFont();
    MutedText("Change anything: the picture, the equation and the shapes follow at once.");
    ImGui::Spacing();
    PicturePanelView picture_view;
    picture_view.settings = &sandbox;
    picture_view.samples = &samples;
    picture_view.loading = picture_loading;
    picture_view.status = PictureStatus();
    picture_view.error = picture_error;
    picture_view.picker = platform::CanPickFiles();
    requests.picture = DrawPicturePanel(picture_view);
    SandboxRequest sandbox_request = DrawSandboxPanel(sandbox);
    if (sandbox_request.changed) requests.sandbox = std::move(sandbox_request.settings);
  } else if (current.kind == EntryKind::kModel) {
    SummarizeModelCodeOnce();
    ModelPhotoView photo;
    photo.samples = &samples;
    photo.shown = model_photo;
    photo.loading = model_photo_loading;
    photo.error = model_photo_error;
    photo.picker = platform::CanPickFiles();
    requests.model =
        DrawModelPanel(model_code, model_code_set_aside, ModelCodeIsALessons(), model_summary, model_layer, photo);
    const float* box = requests.model.editor_box;
    model_editor_box = std::array<float, 4>{box[0], box[1], box[2], box[3]};
  } else if (current.kind == EntryKind::kIntro) {
    ImGui::PushFont(HeadingFont());
    ImGui::TextWrapped("%s", current.title.c_str());
    ImGui::PopFont();
    ImGui::TextWrapped(
        "A convolution slides a small window over the input. At each position it multiplies every value "
        "under the window by the filter's weight at the same place, adds all the products over every input "
        "channel, adds the filter's bias, and applies the activation. The result is one cell of the output.");
    ImGui::Spacing();
    ImGui::TextWrapped(
        "Here the input has two channels, so each filter is a stack of two 3\xC3\x97" "3 slices. Two filters make "
        "two output maps. The grey hatched border is padding; the window moves two cells at a time.");
    ImGui::Spacing();
    MutedText("Press Space to play, Right and Left to step, Home and End to jump. Choose Multiply-add "
              "below to see every product one at a time.");
  } else {
    // Lessons not read yet count; a ```progress block lists the course once all are read.
    const auto lesson_count = std::count_if(entries.begin(), entries.end(),
                                            [](const Entry& item) { return item.kind == EntryKind::kLesson; });
    const bool course_read = lesson_folder.UnreadCount() == 0;
    requests.lesson = DrawLessonPanel(*CurrentLesson(), scene_index, progress, frame_spoilers, lesson_state,
                                      static_cast<int>(lesson_count), course_read ? &Library().lessons : nullptr);
  }
  ImGui::EndChild();
}

void App::Impl::DrawStage(FrameRequests& requests, ImVec2 size, const CellWork* work) {
  const float lower_height = std::clamp(size.y * 0.32f, Em(9.0f), Em(16.0f));
  const float grid_height = size.y - lower_height - ImGui::GetStyle().ItemSpacing.y;
  const lessons::Lesson* current_lesson = CurrentLesson();
  const lessons::Spoilers& spoilers = frame_spoilers;
  if (BeginCard("##stage", ImVec2(size.x, grid_height), false)) {
    // A long title (a model's layer source with the photo's note) wraps rather than runs off the card.
    ImGui::PushFont(BoldFont());
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(scene_title.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    const lessons::Lesson* lesson = CurrentLesson();
    if (lesson != nullptr && lesson->scenes.size() > 1) {
      ImGui::SameLine(0.0f, Em(1.0f));
      for (std::size_t i = 0; i < lesson->scenes.size(); ++i) {
        const std::string label = std::to_string(i + 1) + "##pick" + std::to_string(i);
        const bool selected = static_cast<int>(i) == scene_index;
        if (selected) ImGui::PushStyleColor(ImGuiCol_Button, Colour(colours::kAccentSoft));
        if (ImGui::SmallButton(label.c_str())) requests.open_scene = static_cast<int>(i);
        if (selected) ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", lesson->scenes[i].title.c_str());
        ImGui::SameLine();
      }
    }
    // Take this scene into the sandbox, where every parameter and value can be changed; the
    // button shortens, then steps aside, when the title and scene buttons leave no room.
    bool sandbox_button = false;
    // A stack's receptive field is not one layer the sandbox could hold.
    const bool one_layer = StageScene() == nullptr || StageScene()->view != lessons::SceneView::kReceptiveField;
    if (lesson != nullptr && data && one_layer) {
      const float used = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + Em(1.0f);
      for (const char* label : {"Open in sandbox", "Sandbox"}) {
        const float width = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
        if (used + width > ImGui::GetContentRegionMax().x) continue;
        ImGui::SameLine(ImGui::GetContentRegionMax().x - width);
        if (ImGui::SmallButton(label)) requests.scene_to_sandbox = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Change this layer's parameters and values in the sandbox");
        sandbox_button = true;
        break;
      }
    }
    if (!sandbox_button && lesson != nullptr && lesson->scenes.size() > 1) ImGui::NewLine();
    ImGui::Spacing();
    if (transposed) {
      requests.transposed_view = DrawTransposedViewBar(*transposed, StageSpoilers{&spoilers, scene_index});
      ImGui::Spacing();
    }
    const lessons::LessonScene* shown = StageScene();
    const lessons::SceneView view = shown != nullptr ? shown->view : lessons::SceneView::kLayer;
    if (data && Scattering()) {
      requests.scatter_seek = DrawScatterStage(*transposed, *data, level, clock.step, StageSpoilers{&spoilers, scene_index},
                                               ImGui::GetContentRegionAvail());
    } else if (data && work != nullptr && view == lessons::SceneView::kReceptiveField) {
      const std::int64_t picked = DrawReceptiveFieldPanel(*shown, work->step, OpenFieldSpoiler(*lesson, spoilers, scene_index),
                                                          ImGui::GetContentRegionAvail());
      if (picked >= 0) requests.seek_cell = picked;
    } else if (data && work != nullptr) {
      GridPanelState grid_state;
      // The zero-inserted view's values are not the sandbox's own.
      grid_state.editable = entries[static_cast<std::size_t>(entry)].kind == EntryKind::kSandbox &&
                            (!transposed || transposed->view == TransposedView::kGather);
      grid_state.spoilers = &spoilers;
      grid_state.scene_index = scene_index;
      grid_state.images = &grid_images;
      ImVec2 available = ImGui::GetContentRegionAvail();
      // The matrix view: the layer's grids above, the same step as a matrix product below.
      const float grids_share = view == lessons::SceneView::kMatrix ? 0.36f : 1.0f;
      const GridPanelRequest grid_request =
          DrawGridPanel(*data, *work, grid_state, ImVec2(available.x, std::floor(available.y * grids_share)));
      requests.seek_cell = grid_request.seek_cell;
      requests.edit = grid_request.edit;
      if (view == lessons::SceneView::kMatrix) DrawMatrixPanel(*data, *work, matrix_cache, ImGui::GetContentRegionAvail());
    } else if (ModelRunning()) {
      DrawModelRun();
    } else {
      DrawSceneError();
    }
  }
  ImGui::EndChild();

  const float equation_width = std::floor(size.x * 0.58f);
  if (BeginCard("##equation", ImVec2(equation_width, lower_height), false)) {
    const lessons::LessonScene* shown = StageScene();
    if (data && Scattering()) {
      DrawScatterEquation(*transposed, level, clock.step);
    } else if (data && work != nullptr && shown != nullptr && shown->view == lessons::SceneView::kReceptiveField) {
      DrawReceptiveFieldWorking(*shown, work->step, OpenFieldSpoiler(*current_lesson, spoilers, scene_index));
    } else if (data && work != nullptr) {
      DrawEquationPanel(*data, *work, clock.step != equation_step);
      equation_step = clock.step;
    } else {
      MutedText("No step to show.");
    }
  }
  ImGui::EndChild();
  ImGui::SameLine();
  if (BeginCard("##shape", ImVec2(0.0f, lower_height))) {
    if (data) {
      DrawShapePanel(data->scene, data->geometry, spoilers, scene_index);
    } else {
      MutedText(ModelRunning() ? "The shapes appear once the layer opens." : "The shapes appear once the layer is valid.");
    }
  }
  ImGui::EndChild();
}

void App::Impl::DrawSceneError() {
  // A calm card rather than a crash: the core's one-line message, naming the field at fault.
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_ChildBg, Colour(colours::kErrorSoft));
  ImGui::PushStyleColor(ImGuiCol_Border, Colour(colours::kErrorSoft));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, Em(1.0f, 0.8f));
  if (ImGui::BeginChild("##error", ImVec2(0.0f, Em(5.0f)), true)) {
    ImGui::PushStyleColor(ImGuiCol_Text, Colour(colours::kError));
    const EntryKind kind = entries[static_cast<std::size_t>(entry)].kind;
    SectionTitle(kind == EntryKind::kSandbox ? "This layer cannot be computed"
                 : kind == EntryKind::kModel ? "This layer cannot be stepped through here"
                                             : "Nothing to play here");
    ImGui::TextWrapped("%s", scene_error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
}

void App::Impl::DrawModelRun() {
  const lessons::ModelRun& run = *model_run;
  ImGui::Spacing();
  SectionTitle("Running the photo through the layers before this one");
  const double share = run.MultiplyAddsNeeded() > 0
                           ? static_cast<double>(run.MultiplyAddsRun()) / static_cast<double>(run.MultiplyAddsNeeded())
                           : static_cast<double>(run.RowsRun()) / static_cast<double>(std::max(1, run.RowsNeeded()));
  const std::string done = FormatCount(run.MultiplyAddsRun()) + " of " + FormatCount(run.MultiplyAddsNeeded()) +
                           " multiply-adds";
  ImGui::ProgressBar(static_cast<float>(share), ImVec2(std::min(ImGui::GetContentRegionAvail().x, Em(28.0f)), 0.0f),
                     done.c_str());
  const lessons::ModelLayer& next = run.NextLayer();
  ImGui::TextWrapped("Row %d of %d to run: %s (line %d)", run.RowsRun() + 1, run.RowsNeeded(),
                     next.source.c_str(), next.line);
  MutedText("The layer opens on what they make of the photo as soon as they are done.");
}

void App::Impl::DrawValueEditor(FrameRequests& requests) {
  if (open_editor) {
    ImGui::OpenPopup("Edit value");
    open_editor = false;
  }
  if (ImGui::BeginPopup("Edit value")) {
    SectionTitle("New value");
    ImGui::SetNextItemWidth(Em(8.0f));
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    // Enter (or leaving the box) sets the value, as does the button.
    ImGui::InputFloat("##value", &editing_value, 0.0f, 0.0f, "%.3g");
    const bool entered = ImGui::IsItemDeactivatedAfterEdit();
    ImGui::SameLine();
    if (ImGui::Button("Set") || entered) {
      requests.edited_value = std::make_pair(editing, editing_value);
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void App::Impl::HandleKeys(FrameRequests& requests) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (KeyPressed(ImGuiKey_RightArrow)) requests.playback.seek = clock.step + 1;
  if (KeyPressed(ImGuiKey_LeftArrow)) requests.playback.seek = std::max<std::int64_t>(clock.step - 1, 0);
  if (KeyPressed(ImGuiKey_Home)) requests.playback.seek = 0;
  if (KeyPressed(ImGuiKey_End)) requests.playback.seek = step_count - 1;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) requests.playback.toggle_play = true;
  if (KeyPressed(ImGuiKey_PageDown) && entry + 1 < static_cast<int>(entries.size())) requests.open_entry = entry + 1;
  if (KeyPressed(ImGuiKey_PageUp) && entry > 0) requests.open_entry = entry - 1;
}

void App::Impl::SaveProgress() { Store("progress", progress.ToJson()); }

void App::Impl::ApplyLessonRequest(const LessonPanelRequest& request) {
  const lessons::Lesson* lesson = CurrentLesson();
  if (lesson == nullptr) return;
  if (!request.solved_exercise.empty()) {
    progress.exercises_solved.insert(lessons::Progress::ExerciseKey(lesson->slug, request.solved_exercise));
    SaveProgress();
  }
  if (!request.revealed_exercise.empty()) {
    progress.exercises_revealed.insert(lessons::Progress::ExerciseKey(lesson->slug, request.revealed_exercise));
    SaveProgress();
  }
  if (request.lesson_completed) {
    progress.lessons_done.insert(lesson->slug);
    SaveProgress();
  }
  if (request.reset_progress) {
    progress.Reset();
    SaveProgress();
  }
  if (request.show_scene >= 0) {
    clock.playing = false;
    // An exercise's step counts output cells: a transposed convolution shows it in the gather view.
    if (request.show_step >= 0) transposed_view = TransposedView::kGather;
    OpenScene(request.show_scene);
    if (request.show_step >= 0) {
      if (request.change_level) SetLevel(request.level);
      Seek(request.show_step);
    }
  }
  // A "#lesson=<slug>&image=<sample>" link opens as that address would (on "Your model", the
  // sample is the model's photo, not the sandbox's).
  if (!request.open_lesson.empty()) {
    OpenLocation("lesson=" + request.open_lesson + (request.open_image.empty() ? "" : "&image=" + request.open_image));
  }
  if (IsWebAddress(request.open_url)) platform::OpenUrl(request.open_url);
  if (!request.try_model.empty()) TryModel(request.try_model);
}

void App::Impl::Apply(const FrameRequests& requests) {
  ApplyLessonRequest(requests.lesson);
  if (requests.open_entry >= 0) {
    OpenEntry(requests.open_entry);
    return;
  }
  if (requests.open_scene >= 0) {
    clock.playing = false;
    OpenScene(requests.open_scene);
    return;
  }
  if (requests.scene_to_sandbox && data) {
    sandbox = SandboxFromScene(transposed ? transposed->scene : data->scene);
    SandboxChanged();
    const std::int64_t step = clock.step;
    OpenEntry(EntryIndex(kSandboxSlug));
    Seek(step);
    return;
  }
  if (requests.model.code_changed) {
    // The table follows every keystroke; the stage only changes when its layer, or a row before
    // it (which makes its input on the photo), does.
    const std::string before = OnStageModelChain();
    SummarizeModelCode();
    model_unsaved = true;
    model_changed_at = clock.last_seconds;
    const std::string after = OnStageModelChain();
    if (before.empty() || after != before) LoadScene();
  }
  if (requests.model.photo_sample) ChooseModelSample(*requests.model.photo_sample);
  if (requests.model.pick_photo) platform::PickPictureFile();
  if (requests.model.play_layer >= 0 && requests.model.play_layer != model_layer) {
    OpenModelLayer(requests.model.play_layer);
    return;
  }
  ApplyPictureRequest(requests.picture);
  if (requests.sandbox) {
    const int preset = sandbox.preset;
    const bool had_3x3 = sandbox.kernel[0] == 3 && sandbox.kernel[1] == 3;
    sandbox = *requests.sandbox;
    // A preset is a 3×3 kernel: another kernel size makes the weights the learner's own.
    const bool is_3x3 = sandbox.kernel[0] == 3 && sandbox.kernel[1] == 3;
    sandbox.preset = had_3x3 && is_3x3 ? preset : -1;
    if (picture && !sandbox.picture.empty()) {
      ApplyPictureToSandbox();
    } else if (sandbox.preset >= 0) {
      ApplyPreset(static_cast<FilterPreset>(sandbox.preset));
    }
    SandboxChanged();
    LoadScene();
    return;
  }
  if (requests.transposed_view) {
    transposed_view = *requests.transposed_view;
    clock.playing = false;
    clock.step = 0;
    LoadScene();
    return;
  }
  if (requests.edited_value) ApplyEdit(requests.edited_value->first, requests.edited_value->second);
  if (requests.edit.tensor != ValueTarget::Tensor::kNone && data) {
    editing = requests.edit;
    const ValueTarget& target = editing;
    const Scene& scene = data->scene;
    if (target.tensor == ValueTarget::Tensor::kInput) editing_value = scene.input.At(target.a, target.b, target.c);
    if (target.tensor == ValueTarget::Tensor::kWeight) {
      editing_value = scene.weights.At(target.a, target.b, target.c, target.d);
    }
    if (target.tensor == ValueTarget::Tensor::kBias) editing_value = scene.bias[static_cast<std::size_t>(target.a)];
    open_editor = true;
  }
  const PlaybackRequest& playback = requests.playback;
  if (playback.change_level) SetLevel(playback.level);
  if (playback.steps_per_second > 0.0) clock.steps_per_second = playback.steps_per_second;
  if (requests.scatter_seek >= 0) {
    clock.playing = false;
    Seek(requests.scatter_seek);
  }
  if (requests.seek_cell >= 0 && data) {
    clock.playing = false;
    Seek(FirstStepOfCell(*data, level, requests.seek_cell));
  }
  if (playback.seek >= 0) {
    clock.playing = false;
    Seek(playback.seek);
  }
  if (playback.toggle_play && step_count > 0) {
    // Play from the start when the end has been reached.
    if (!clock.playing && clock.step >= step_count - 1) Seek(0);
    clock.playing = !clock.playing;
    clock.carried = 0.0;
  }
}

// The notices, one wrapped line each with its own button to dismiss it.
void App::Impl::DrawNotices() {
  for (std::size_t i = 0; i < notices.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    ImGui::PushStyleColor(ImGuiCol_Text, Colour(colours::kError));
    ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - Em(6.0f));
    ImGui::TextUnformatted(notices[i].c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::SameLine(ImGui::GetContentRegionMax().x - Em(5.0f));
    const bool dismissed = ImGui::SmallButton("Dismiss");
    ImGui::PopID();
    if (dismissed) {
      notices.erase(notices.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
}

void App::Impl::DrawFrame(FrameRequests& requests) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0.0f, 0.0f));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, Em(1.0f, 0.6f));
  ImGui::Begin("Convolution tutor", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::PopStyleVar();

  // In a lesson, what its open exercises ask stays hidden; the sandbox and introduction hide nothing.
  const lessons::Lesson* lesson = CurrentLesson();
  frame_spoilers = lesson != nullptr ? lessons::Spoilers(*lesson, progress) : lessons::Spoilers();

  std::optional<CellWork> work;
  if (data && !Scattering()) work = DescribeCell(*data, level, clock.step);

  DrawTopBar(requests);
  DrawNotices();

  const ImGuiStyle& style = ImGui::GetStyle();
  const float playback_height = Em(3.4f);
  const ImVec2 available = ImGui::GetContentRegionAvail();
  const float body_height = available.y - playback_height - style.ItemSpacing.y;
  const float side_width = std::clamp(available.x * 0.3f, std::min(Em(18.0f), available.x * 0.36f), Em(34.0f));

  DrawSideColumn(requests, ImVec2(side_width, body_height));
  ImGui::SameLine();
  ImGui::BeginGroup();
  DrawStage(requests, ImVec2(available.x - side_width - style.ItemSpacing.x, body_height), work ? &*work : nullptr);
  ImGui::EndGroup();

  if (BeginCard("##playback", ImVec2(available.x, playback_height), false)) {
    PlaybackView view;
    view.step = clock.step;
    view.steps = step_count;
    view.playing = clock.playing;
    view.steps_per_second = clock.steps_per_second;
    view.level = level;
    view.pooling = data && IsPooling(data->scene.layer.op);
    // One step per multiply-add: the total would state a multiply-add exercise's answer.
    const lessons::Lesson* lesson = CurrentLesson();
    if (lesson != nullptr && data && step_count == data->geometry.multiply_adds) {
      const int exercise = frame_spoilers.SceneAsk(scene_index, lessons::Ask::kMultiplyAdds);
      if (exercise >= 0) view.steps_note = lessons::PredictFirstNote(exercise);
    }
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() - Em(0.25f));
    requests.playback = DrawPlaybackPanel(view);
  }
  ImGui::EndChild();

  DrawValueEditor(requests);
  ImGui::End();
}

App::App(const AppOptions& options) : impl_(new Impl(options)) {}
App::~App() { delete impl_; }

void App::Frame(double seconds) {
  Impl& app = *impl_;
  const float font_size = ImGui::GetFontSize();
  if (font_size != app.themed_font_size) {
    ApplyTheme(font_size);
    app.themed_font_size = font_size;
  }
  app.clock = AdvanceClock(app.clock, seconds, app.step_count);
  app.model_editor_box.reset();
  FrameRequests requests;
  app.DrawFrame(requests);
  app.HandleKeys(requests);
  app.Apply(requests);
  app.ContinueModelRun();  // after drawing, so that each frame shows how far the run is
  app.SaveOnceSettled();
  app.ReadOneMoreLessonWhileReading();
  ++app.frames_drawn;
}

AutomationState App::State() const {
  AutomationState state;
  state.lesson = impl_->entries[static_cast<std::size_t>(impl_->entry)].slug;
  for (const Entry& entry : impl_->entries) state.lessons.push_back(entry.slug);
  state.step = impl_->clock.step;
  state.steps = impl_->step_count;
  state.level = LevelName(impl_->level);
  state.playing = impl_->clock.playing;
  state.notices = impl_->notices;
  state.model_code = impl_->model_code;
  state.model_photo = impl_->model_photo;
  if (impl_->ModelRunning()) {
    state.model_rows_needed = impl_->model_run->RowsNeeded();
    state.model_rows_run = impl_->model_run->RowsRun();
  }
  const Entry& current = impl_->entries[static_cast<std::size_t>(impl_->entry)];
  if (impl_->data) {
    if (current.kind == EntryKind::kSandbox) {
      state.scene = kSandboxSlug;
    } else if (current.kind == EntryKind::kModel) {
      state.scene = "layer-" + std::to_string(impl_->model_layer);
    } else if (current.kind == EntryKind::kIntro) {
      state.scene = kIntroSlug;
    } else {
      state.scene = impl_->CurrentLesson()->scenes[static_cast<std::size_t>(impl_->scene_index)].id;
    }
  }
  state.load_errors = static_cast<int>(impl_->Library().errors.size());
  state.lessons_unread = static_cast<int>(impl_->lesson_folder.UnreadCount());
  const Impl& app = *impl_;
  state.samples = app.samples;
  state.compute_ms = app.compute_ms;
  state.image_error = app.picture_error;
  if (current.kind == EntryKind::kSandbox && app.picture && !app.sandbox.picture.empty()) {
    state.has_image = true;
    state.image_name = app.sandbox.picture;
    state.image_width = app.sandbox.input_size[1];
    state.image_height = app.sandbox.input_size[0];
    state.image_channels = app.sandbox.channels;
    state.image_source_width = app.picture->width;
    state.image_source_height = app.picture->height;
    state.image_scaled = state.image_width != app.picture->width || state.image_height != app.picture->height;
  }
  if (app.data) {
    state.partial = app.Scattering() ? ScatterPartial(*app.transposed, app.level, app.clock.step)
                                     : StepAt(app.data->scene, app.data->geometry, app.level, app.clock.step).partial;
  }
  if (app.transposed) state.view = TransposedViewName(app.transposed->view);
  if (current.kind == EntryKind::kModel && impl_->model_editor_box) {
    state.model_editor_drawn = true;
    std::copy(impl_->model_editor_box->begin(), impl_->model_editor_box->end(), std::begin(state.model_editor));
  }
  const lessons::Lesson* lesson = impl_->CurrentLesson();
  if (lesson == nullptr) return state;
  const LessonPanelState& panel = impl_->lesson_state;
  const bool inputs_current = panel.slug == lesson->slug && panel.inputs.size() == lesson->exercises.size();
  for (std::size_t i = 0; i < lesson->exercises.size(); ++i) {
    ExerciseAutomation exercise;
    exercise.id = lesson->exercises[i].id;
    exercise.solved = impl_->progress.IsSolved(lesson->slug, exercise.id);
    exercise.revealed = impl_->progress.IsRevealed(lesson->slug, exercise.id);
    if (inputs_current) {
      const ExerciseInput& input = panel.inputs[i];
      if (input.checked) exercise.feedback = input.correct ? "correct" : "wrong";
      exercise.hint = input.hint;
      exercise.solved = exercise.solved || (input.checked && input.correct);
      exercise.revealed = exercise.revealed || input.revealed;
      exercise.box_drawn = input.box_drawn;
      std::copy(std::begin(input.box), std::end(input.box), std::begin(exercise.box));
    }
    state.exercises.push_back(exercise);
  }
  return state;
}

bool App::Playing() const { return impl_->clock.playing; }

std::string App::Location() const {
  const Entry& current = impl_->entries[static_cast<std::size_t>(impl_->entry)];
  // While a model layer's rows before it run, the step it will open at.
  const std::int64_t step = impl_->ModelRunning() ? impl_->step_after_run : impl_->clock.step;
  std::string location = FormatLocation(convtutor::Location{current.slug, step});
  const SandboxSettings& sandbox = impl_->sandbox;
  if (current.kind == EntryKind::kSandbox && sandbox.picture_is_sample && !sandbox.picture.empty()) {
    location += "&image=" + sandbox.picture;
  }
  if (impl_->transposed && impl_->transposed->view != TransposedView::kScatter) {
    location += std::string("&view=") + TransposedViewName(impl_->transposed->view);
  }
  if (current.kind == EntryKind::kModel && impl_->model_layer >= 0) location += "&layer=" + std::to_string(impl_->model_layer);
  // A sample other than the first one; a file of the learner's own is not kept.
  if (current.kind == EntryKind::kModel && impl_->model_photo_is_sample && !impl_->model_photo.empty() &&
      !impl_->samples.empty() && impl_->model_photo != impl_->samples.front()) {
    location += "&image=" + impl_->model_photo;
  }
  return location;
}

void App::StorageRefused(const std::string& reason) { impl_->StorageRefused(reason); }

// On "Your model" a picture opened (or dropped) is the model's photo; elsewhere the sandbox's input.
void App::OpenPicture(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  if (impl_->entries[static_cast<std::size_t>(impl_->entry)].kind == EntryKind::kModel) {
    impl_->UseModelPhoto(name, false, bytes);
    return;
  }
  impl_->picture_loading.clear();
  impl_->ShowPicture(name, false, bytes);
}

void App::OpenLocation(const std::string& location) { impl_->OpenLocation(location); }

}  // namespace convtutor::app
