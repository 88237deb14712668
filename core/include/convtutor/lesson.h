// Lessons: Markdown files with fenced scene, model and exercise blocks, parsed (with md4c) into a
// UI-neutral document model that a renderer draws block by block. A broken lesson is reported with
// its file and line while the other lessons still load. Also the learner's progress.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "convtutor/exercise.h"
#include "convtutor/model.h"
#include "convtutor/request.h"
#include "convtutor/result.h"

namespace convtutor::lessons {

// A run of text with one style. A paragraph is a list of spans; a renderer lays them out in order.
struct Span {
  std::string text;
  bool emphasis = false;  // *text*
  bool strong = false;    // **text**
  bool code = false;      // `text`
  std::string link;       // target of the enclosing [link](target); empty when not a link
  bool line_break = false;// a hard line break (text is empty)
  bool computed = false;  // an inline value `=<id>.<what>` the core filled in (see docs/writing-lessons.md)
  std::string expression; // with computed: what it stands for, e.g. "valid.output_width" (for spoilers.h)
};

// Where a link points. Lesson links: "#scene=<id>" (optionally "&step=<n>"), "#exercise=<id>",
// "#lesson=<slug>" (optionally "&image=<sample>", a sample picture to open in the sandbox);
// anything else is external.
struct LinkTarget {
  enum class Kind { kExternal, kScene, kExercise, kLesson };
  Kind kind = Kind::kExternal;
  std::string id;           // scene/exercise id or lesson slug; the URL for external links
  int index = -1;           // scene or exercise index in the lesson (-1 when unknown or not local)
  std::int64_t step = -1;   // "&step=<n>" on a scene link
  std::string image;        // "&image=<sample>" on a lesson link
};

enum class BlockKind {
  kHeading,    // level 1..6, spans
  kParagraph,  // spans
  kListItem,   // spans of the item's first paragraph; depth, ordered, number
  kCode,       // code, language
  kTable,      // rows of cells of spans; rows[0] is the header row
  kRule,       // thematic break
  kScene,      // index into Lesson::scenes (where the scene block stood)
  kModel,      // index into Lesson::models
  kExercise,   // index into Lesson::exercises
};

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  int line = 0;                // 1-based source line where the block starts
  int level = 0;               // heading level 1..6
  int depth = 0;               // list nesting: 0 outside lists; an item of a top-level list has depth 1;
                               // a later paragraph or code block inside an item has the item's depth
  bool ordered = false;        // list item of a numbered list
  int number = 0;              // list item: its number in a numbered list (1-based)
  bool quote = false;          // inside a > block quote
  std::vector<Span> spans;     // heading, paragraph, list item
  std::string code;            // code block text (ends with a newline)
  std::string language;        // code block info word, e.g. "python"
  std::vector<std::vector<std::vector<Span>>> rows;  // table: rows → cells → spans
  int index = -1;              // scene/model/exercise index
};

// How the stage draws a scene ("view"): the layer's grids; the stack's receptive field, for a
// chosen cell of the last layer, traced down to the input; or the layer as a matrix product (im2col).
enum class SceneView { kLayer, kReceptiveField, kMatrix };

// The fence word of a block that shows the learner's progress over every lesson (it has no text).
inline constexpr const char* kProgressBlock = "progress";

// A scene block: a CLI request (see request.h) plus "id", "title" and optional view hints.
struct LessonScene {
  std::string id;
  std::string title;
  int line = 0;
  Request request;             // parsed and validated by the core: scene + geometry
  nlohmann::json json;         // the request as written, without id/title/level/step/then/view (for the sandbox)
  Level level = Level::kCell;  // "level": the level of detail to open at
  std::int64_t step = 0;       // "step": the step to open at
  SceneView view = SceneView::kLayer;  // "view": "layer", "receptive_field" or "matrix"
  // "then": [...] stacks more layers on the request's; `request` is then the last of them, and these
  // the layers before it, from the input up (each one's output the next one's input).
  std::vector<Request> layers_before;

  // Every layer from the input up, this scene's own last.
  std::vector<const Request*> Stack() const {
    std::vector<const Request*> stack;
    for (const Request& layer : layers_before) stack.push_back(&layer);
    stack.push_back(&request);
    return stack;
  }
};

// A model block: ```model <id>, then a Keras-like layer stack. ```model <id> broken is a model
// with one mistake for a find_line exercise: the core must refuse it, and its summary stays empty.
struct LessonModel {
  std::string id;
  int line = 0;
  std::string source;          // the block's text as written
  ModelSummary summary;
  bool broken = false;
};

struct Lesson {
  std::string file;            // file name, e.g. "03-padding.md"
  std::string slug;            // file name without ".md", e.g. "03-padding"
  std::string title;           // text of the first level-1 heading (the slug when there is none)
  std::vector<Block> blocks;
  std::vector<LessonScene> scenes;
  std::vector<LessonModel> models;
  std::vector<Exercise> exercises;
};

// Parses one lesson. `file_name` is used for the slug and in every error (Error.field); each error
// has the line. A lesson with errors should not be shown as if it were whole. Pictures in
// scene blocks are found through `options` (request.h).
struct ParsedLesson {
  Lesson lesson;
  std::vector<Error> errors;
};
ParsedLesson ParseLesson(std::string_view markdown, const std::string& file_name,
                         const RequestOptions& options = {});

LinkTarget ResolveLink(const Lesson& lesson, const std::string& link);
int FindScene(const Lesson& lesson, std::string_view id);     // -1 when absent
int FindExercise(const Lesson& lesson, std::string_view id);  // -1 when absent

// Every *.md file in `folder`, sorted by file name. Lessons with errors are left out of `lessons`
// and their errors (Error.field = file name, Error.line) are listed, so the rest still load.
// A scene's picture path is taken from `folder` ({"image": "pictures/cat-48.png"}), sample names
// from `samples_folder`.
//
// The folder may hold `redirects.txt`, one `old-slug new-slug` per line (blank lines and lines
// starting with `#` aside): a renamed lesson's old slug, or a split lesson's slug whose exercises
// and scenes partly moved to `new-slug`. A broken line is an error naming file:line.
struct LessonRedirect {
  std::string from;
  std::string to;
};
struct LessonLibrary {
  std::vector<Lesson> lessons;           // read and whole, in file order
  std::vector<Error> errors;
  std::vector<LessonRedirect> redirects;
  std::vector<std::string> unread;       // slugs of the lesson files a LessonFolder has not read yet

  // The slug a link or a stored key naming `slug` (and, when `id` is not empty, one of its
  // exercises or scenes) leads to now: `slug` itself while it names a lesson holding `id`,
  // otherwise where redirects.txt sends it (followed as far as it goes); `slug` when nothing fits.
  // While a lesson on the way is unread nothing is decided yet, and the answer is `slug`.
  std::string CurrentSlug(const std::string& slug, const std::string& id = "") const;
};
LessonLibrary LoadLessons(const std::string& folder, const std::string& samples_folder = "");

// The same folder read one lesson file at a time, so a program can show the lesson it opens on
// before it has read the others. Making it lists the files and reads redirects.txt's lines; each
// lesson is read and checked when asked for. Once every file is read, Library() is exactly what
// LoadLessons gives (lessons in file order, errors in file order, redirects checked against the
// lessons that read); before that, redirects.txt's errors are not reported yet.
class LessonFolder {
 public:
  explicit LessonFolder(const std::string& folder, const std::string& samples_folder = "");

  const LessonLibrary& Library() const { return library_; }
  // Every lesson file's slug in file order, read or not, leaving out those read and found broken.
  std::vector<std::string> Slugs() const;
  std::size_t UnreadCount() const { return library_.unread.size(); }

  // Reads the lesson file of `slug`; false when no unread file has that slug.
  bool Read(const std::string& slug);
  // Reads the first unread file in file order; false when every file is read.
  bool ReadNext();
  void ReadAll();
  // LessonLibrary::CurrentSlug, after reading every lesson it meets on the way: the final answer.
  std::string CurrentSlug(const std::string& slug, const std::string& id = "");
  // Reads every lesson from which a line of redirects.txt leads on to `slug`, so that work stored
  // under those lessons' slugs (Progress::Redirected) is placed in `slug` as it will be for good.
  void ReadLessonsLeadingTo(const std::string& slug);

 private:
  struct LessonFile {
    std::string slug;
    std::string path;
    bool read = false;
    bool broken = false;
  };

  void ReadFile(LessonFile& file);
  void CheckRedirects();

  std::string folder_;
  std::string samples_folder_;
  std::string prefix_;  // how errors name the folder: "lessons" in "lessons/03-padding.md"
  std::vector<LessonFile> files_;
  std::vector<std::pair<LessonRedirect, int>> redirect_lines_;  // the lines of redirects.txt that read, and where
  std::vector<Error> redirect_errors_;  // those that do not, reported once every lesson is read
  LessonLibrary library_;
};

// What the learner has done, kept between visits (the UI stores ToJson() via platform settings).
struct Progress {
  std::set<std::string> lessons_done;       // slugs
  std::set<std::string> exercises_solved;   // ExerciseKey(slug, exercise id)
  std::set<std::string> exercises_revealed; // answer shown on request (not solved): no longer hidden
  std::string last_lesson;                  // slug, to reopen where the learner was

  static std::string ExerciseKey(const std::string& slug, const std::string& exercise_id) {
    return slug + "/" + exercise_id;
  }
  bool IsSolved(const std::string& slug, const std::string& exercise_id) const {
    return exercises_solved.count(ExerciseKey(slug, exercise_id)) > 0;
  }
  bool IsRevealed(const std::string& slug, const std::string& exercise_id) const {
    return exercises_revealed.count(ExerciseKey(slug, exercise_id)) > 0;
  }
  int SolvedCount(const Lesson& lesson) const;
  void Reset() { *this = Progress{}; }
  // Stored as {"version": kFormatVersion, ...}.
  static constexpr int kFormatVersion = 1;
  std::string ToJson() const;
  // Text that is not a progress object of a known version (not JSON, no version, or saved by a
  // newer tutor) gives an error, and the caller starts afresh. Otherwise whatever reads is kept:
  // a list or entry of the wrong type is left out and, when `dropped` is given, named there
  // ("lessons_done", "2 entries of exercises_solved").
  static Result<Progress> FromJson(std::string_view text, std::vector<std::string>* dropped = nullptr);
  // The same progress with every slug and exercise key moved to where `library` says it lives
  // now (LessonLibrary::CurrentSlug), so work stored before a lesson was renamed or split counts.
  // A key whose way passes a lesson not read yet stays; redirecting again once it is read moves it.
  Progress Redirected(const LessonLibrary& library) const;
};

}  // namespace convtutor::lessons
