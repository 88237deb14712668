// The tutor's user interface: one App that draws every panel with Dear ImGui each frame and
// applies what the learner asked for in one place. It knows nothing of SDL, GL or the browser:
// web/platform.cpp owns the window, the main loop and the browser/desktop differences.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace convtutor::app {

// Fonts the platform loads, by index in ImGui::GetIO().Fonts->Fonts (sizes in logical pixels;
// rasterised at the screen's pixel ratio, so they stay sharp on high-DPI screens):
//   [0] body    Noto Sans Regular 17 (+ arrows, math symbols, shapes from DejaVu Sans) - the default
//   [1] bold    Noto Sans Bold 17 (same symbols)
//   [2] mono    JetBrains Mono Regular 16 (numbers, code, equations; has its own symbols)
//   [3] heading Noto Sans Bold 25 (same symbols)
// Glyphs: web/font_glyphs.h lists them; any other character is drawn as "?".
// Size layouts with ImGui::GetFontSize() (font units), not fixed pixels.

struct AppOptions {
  AppOptions() = default;
  AppOptions(std::string first_lesson, std::int64_t first_step) : lesson(std::move(first_lesson)), step(first_step) {}

  std::string lesson;        // slug to open first; empty = the first lesson (or where the learner was)
  std::int64_t step = -1;    // step to open at; -1 = the start (or where the learner was)
  // An address to open first, as OpenLocation takes it (a deep link, or where the learner was);
  // its lesson is the one read before the first frame unless `lesson` names another.
  std::string location;
};

// One exercise of the current lesson as the automation hook reports it.
struct ExerciseAutomation {
  std::string id;
  bool solved = false;     // answered right now or on an earlier visit
  bool revealed = false;   // "Show the answer" was pressed (now or earlier)
  std::string feedback;    // "" (not checked), "correct" or "wrong": the core's verdict on the last check
  std::string hint;        // the core's hint after a wrong answer
  bool box_drawn = false;  // the answer box was drawn and visible in the last frame
  float box[4] = {0.0f, 0.0f, 0.0f, 0.0f};  // its x, y, width, height in ImGui display units (CSS pixels)
};

// What the automation hook (window.convtutor.state()) and the desktop screenshot mode read.
struct AutomationState {
  std::string lesson;                // slug of the current lesson
  std::vector<std::string> lessons;  // every slug, in order
  std::int64_t step = 0;
  std::int64_t steps = 0;
  std::string level;                 // "cell", "channel" or "term"
  bool playing = false;
  std::string scene;                 // id of the scene on the stage; "sandbox", "intro", "layer-<row>"
                                     // (Your model), or "" for none
  int load_errors = 0;               // lesson problems reported while loading (broken files)
  int lessons_unread = 0;            // lesson files not read yet (one is read each frame after the first)
  std::vector<ExerciseAutomation> exercises;  // the current lesson's exercises, in order
  bool model_editor_drawn = false;   // "Your model": the code editor's rectangle (as for exercise boxes)
  float model_editor[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  // The sandbox's picture, when one is on the stage.
  bool has_image = false;
  std::string image_name;
  int image_width = 0, image_height = 0, image_channels = 0;  // as on the stage
  int image_source_width = 0, image_source_height = 0;       // the file's own size
  bool image_scaled = false;
  std::string image_error;           // the last picture that could not be opened, and why ("" = none)
  std::vector<std::string> samples;  // names of the bundled pictures
  double compute_ms = 0.0;           // the last whole-layer recomputation (the core's fast path)
  float partial = 0.0f;              // the running value of the cell at this step (the magnifier's sum)
  std::string view;                  // a transposed convolution's view: "scatter", "gather", "zero_inserted"; else ""
  std::vector<std::string> notices;  // messages about the stored work on screen (what was reset, not saving)
  std::string model_code;            // "Your model": the learner's code as the editor holds it
  std::string model_photo;           // "Your model"'s photo ("" = generated values)
  // "Your model" on the photo: the rows before the layer still running (0 and 0 when none is).
  int model_rows_needed = 0, model_rows_run = 0;
};

class App {
 public:
  // Reads only the lesson it opens on (and what that needs), so the first frame comes soon; the
  // other lesson files are read one a frame from the second frame on, and a lesson the learner
  // opens before its turn is read at once.
  explicit App(const AppOptions& options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Draws one frame of ImGui widgets. Call between ImGui::NewFrame() and ImGui::Render().
  // `seconds` is a monotonic clock; playback advances by elapsed time, not by frames.
  void Frame(double seconds);

  AutomationState State() const;
  // Whether a scene is playing: cheaper than State() for a question asked every frame.
  bool Playing() const;

  // The address of where the learner is, "lesson=<slug>&step=<n>" (with "&image=<sample>" when the
  // sandbox shows a sample picture), for the URL hash.
  std::string Location() const;
  // A picture file the learner opened (file picker, drop, --image): decoded by the core and put on
  // the sandbox's stage. A file that is not a usable picture is reported on screen, and the
  // picture shown before stays.
  void OpenPicture(const std::string& name, const std::vector<std::uint8_t>& bytes);

  // Opens an address of that form (a deep link or a hashchange); unknown parts are ignored.
  // "&exercise=<id>" also scrolls the lesson text to that exercise and puts the cursor in its box;
  // "&image=<sample>" opens the sandbox with that sample picture as its input.
  void OpenLocation(const std::string& location);
  // The platform's store refused a write (`reason` is web/platform.h's phrase): the learner is
  // told once, however often it happens, and everything keeps working.
  void StorageRefused(const std::string& reason);

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace convtutor::app
