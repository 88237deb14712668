// The one platform file: it opens the window (SDL2 + OpenGL 3 on the desktop, WebGL2 in the browser),
// loads the fonts, runs App::Frame every frame, and implements web/platform.h. Every difference
// between the browser and the desktop (every #ifdef __EMSCRIPTEN__) lives here and nowhere else.
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app.h"
#include "draw_lists.h"
#include "fonts.h"
#include "platform.h"
#include "settings_file.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#else
#include <SDL_opengl.h>

#include <fstream>

#include "convtutor/image.h"
#endif

namespace convtutor::platform {
namespace {

namespace fs = std::filesystem;

// While a scene plays, the address bar and the saved place follow it at most this often: each
// write (history.replaceState and the settings store) costs the browser's main thread a few
// milliseconds. Playback stopping, a jump and every other change are written at once.
constexpr double kLocationSyncWhilePlayingSeconds = 2.0;

struct CommandLine {
  app::AppOptions options;
  int width = 1280;   // logical pixels: the window is this times the content scale
  int height = 800;
  float scale = 0.0f;  // --scale: the content scale; 0 = what the desktop asks for
  std::string screenshot_path;  // non-empty: render a few frames, write this PNG, exit
  std::string image_path;       // --image: a picture to open in the sandbox
  bool print_state = false;     // with --screenshot: print the automation state as JSON on stdout
};

// Everything the running program holds; one instance lives for the whole run.
struct Runtime {
  SDL_Window* window = nullptr;
  SDL_GLContext gl_context = nullptr;
  DrawListRenderer renderer;
  app::App* app = nullptr;
  bool running = true;
  bool first_frame_drawn = false;
  bool remember_location = true;        // off for screenshots: they must not move the learner's place
  bool mouse_present = true;            // off for screenshots: no hover effects wherever X left the pointer
  float font_pixel_ratio = 0.0f;
  // How much larger than at 96 DPI everything is drawn where the system does not scale windows
  // itself (X11); the browser, macOS and Wayland report a pixel ratio instead and leave this at 1.
  float content_scale = 1.0f;
  bool fonts_from_saved_atlas = false;  // the fonts came from the build's saved atlas (web/fonts.h)
  std::uint64_t clock_start = 0;
  double frame_ms = 0.0;                // CPU time of the last frame (events, UI, GL submission)
  std::uint64_t frames_run = 0;         // lets scripts wait for the page to run a frame again
  // Frames whose picture differed from the one on screen and so were drawn (DrawListRenderer::Draw).
  std::uint64_t frames_drawn = 0;
  bool frame_drawn = false;             // the last frame was drawn (else the screen kept the one before)
  bool draw_every_frame = false;        // on for screenshots: the framebuffer read back is this frame's
  bool draw_next_frame = true;          // the first frame, and after the window lost its picture (exposed)
  std::string synced_location;          // last location written to the address bar / settings
  double location_synced_at = -1e9;
  std::string state_json;               // keeps the automation hook's answer alive for JS
  std::vector<SDL_Event> deferred_events;  // input held back to the next frame (see PollInput)
  // A location the browser opened (a link, back or forward: hashchange), applied as the next frame
  // begins, so that the work of the jump counts in that frame's frameMs like any other input.
  std::string opened_location;
};

double SecondsSince(std::uint64_t start) {
  return static_cast<double>(SDL_GetPerformanceCounter() - start) /
         static_cast<double>(SDL_GetPerformanceFrequency());
}

// The bytes of a file, or nothing when it cannot be read.
std::optional<std::vector<std::uint8_t>> ReadFileBytes(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return std::nullopt;
  std::vector<std::uint8_t> bytes;
  std::uint8_t chunk[65536];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof(chunk), file)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return std::nullopt;
  return bytes;
}

// Builds the fonts from the atlas the build saved, read in one piece: a byte vector grown or
// value-initialised in the web build's size-optimised code costs a call a byte, milliseconds here.
bool BuildFontsFromSavedAtlas(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  long size = -1;
  if (std::fseek(file, 0, SEEK_END) == 0) size = std::ftell(file);
  std::unique_ptr<std::uint8_t[]> bytes(size > 0 ? new std::uint8_t[static_cast<std::size_t>(size)] : nullptr);
  const bool read = bytes && std::fseek(file, 0, SEEK_SET) == 0 &&
                    std::fread(bytes.get(), 1, static_cast<std::size_t>(size), file) == static_cast<std::size_t>(size);
  std::fclose(file);
  return read && app::BuildFontAtlasFromSaved(*ImGui::GetIO().Fonts, bytes.get(), static_cast<std::size_t>(size));
}

// Makes the fonts for this pixel ratio: sharp on high-DPI screens while layouts stay in logical
// units (FontGlobalScale undoes the ratio). The content scale enlarges the fonts themselves:
// every layout is in font units, so it follows. At scale 1 the atlas the build saved is read
// instead of rasterised, when it was made from these very fonts; true when it was.
bool LoadFonts(float pixel_ratio, float content_scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  const float scale = pixel_ratio * content_scale;
  app::AddTutorFonts(*io.Fonts, AssetPath("fonts"), scale);
  io.FontGlobalScale = 1.0f / pixel_ratio;
  if (scale == 1.0f && BuildFontsFromSavedAtlas(AssetPath("fonts/") + app::kSavedFontAtlasName)) return true;
  io.Fonts->Build();
  return false;
}

float DrawablePixelRatio(SDL_Window* window) {
  int window_w = 0, window_h = 0, drawable_w = 0, drawable_h = 0;
  SDL_GetWindowSize(window, &window_w, &window_h);
  SDL_GL_GetDrawableSize(window, &drawable_w, &drawable_h);
  if (window_w <= 0 || drawable_w <= 0) return 1.0f;
  return static_cast<float>(drawable_w) / static_cast<float>(window_w);
}

void RefreshFontsIfPixelRatioChanged(Runtime& runtime) {
  const float ratio = DrawablePixelRatio(runtime.window);
  if (std::fabs(ratio - runtime.font_pixel_ratio) < 0.01f) return;
  runtime.font_pixel_ratio = ratio;
  runtime.fonts_from_saved_atlas = LoadFonts(ratio, runtime.content_scale);
  runtime.renderer.UploadFonts();
}

std::string StateJson(const Runtime& runtime) {
  const app::AutomationState state = runtime.app->State();
  nlohmann::json json = {
      {"lesson", state.lesson}, {"lessons", state.lessons}, {"step", state.step},
      {"steps", state.steps},   {"level", state.level},     {"playing", state.playing},
      {"frameMs", runtime.frame_ms}, {"frame", runtime.frames_run},
      {"framesDrawn", runtime.frames_drawn}, {"scene", state.scene}, {"loadErrors", state.load_errors},
      {"lessonsUnread", state.lessons_unread},
      {"contentScale", runtime.content_scale},
      {"fontAtlas", runtime.fonts_from_saved_atlas ? "saved" : "rasterised"}};
  nlohmann::json exercises = nlohmann::json::array();
  for (const app::ExerciseAutomation& exercise : state.exercises) {
    nlohmann::json box = nullptr;
    if (exercise.box_drawn) box = {exercise.box[0], exercise.box[1], exercise.box[2], exercise.box[3]};
    exercises.push_back({{"id", exercise.id}, {"solved", exercise.solved}, {"revealed", exercise.revealed},
                         {"feedback", exercise.feedback}, {"hint", exercise.hint}, {"box", box}});
  }
  json["exercises"] = exercises;
  json["modelEditor"] = nullptr;
  if (state.model_editor_drawn) {
    json["modelEditor"] = {state.model_editor[0], state.model_editor[1], state.model_editor[2], state.model_editor[3]};
  }
  json["image"] = nullptr;
  if (state.has_image) {
    nlohmann::json scaled_from = nullptr;
    if (state.image_scaled) scaled_from = {state.image_source_width, state.image_source_height};
    json["image"] = {{"name", state.image_name},         {"width", state.image_width},
                     {"height", state.image_height},     {"channels", state.image_channels},
                     {"scaledFrom", scaled_from}};
  }
  json["imageError"] = state.image_error;
  json["samples"] = state.samples;
  json["computeMs"] = state.compute_ms;
  json["partial"] = state.partial;
  json["view"] = state.view;
  json["notices"] = state.notices;
  json["modelCode"] = state.model_code;
  json["modelPhoto"] = state.model_photo;
  json["modelRun"] = nullptr;
  if (state.model_rows_needed > 0) json["modelRun"] = {{"rows", state.model_rows_needed}, {"run", state.model_rows_run}};
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------
#ifdef __EMSCRIPTEN__

// The page's automation hook (window.convtutor) and the address bar, wired to this runtime.
EM_JS(void, JsInstallHooks, (void* runtime), {
  var hook = window.convtutor || (window.convtutor = {ready : false});
  hook.state = function() { return JSON.parse(UTF8ToString(_convtutor_state_json(runtime))); };
  var openHash = function() {
    var location = window.location.hash.replace(/^#/, "");
    if (!location) return;
    var size = lengthBytesUTF8(location) + 1;
    var text = _malloc(size);
    stringToUTF8(location, text, size);
    _convtutor_open_location(runtime, text);
    _free(text);
  };
  window.addEventListener("hashchange", openHash);
  // A picture file (from the picker or dropped on the page) goes to the App as its bytes.
  var openFile = function(file) {
    if (!file) return;
    file.arrayBuffer().then(function(buffer) {
      var bytes = new Uint8Array(buffer);
      var data = _malloc(Math.max(bytes.length, 1));
      HEAPU8.set(bytes, data);
      var size = lengthBytesUTF8(file.name) + 1;
      var name = _malloc(size);
      stringToUTF8(file.name, name, size);
      _convtutor_open_picture(runtime, name, data, bytes.length);
      _free(name);
      _free(data);
    });
  };
  var picker = document.createElement("input");
  picker.type = "file";
  picker.accept = "image/png,image/jpeg,image/bmp,image/gif,.png,.jpg,.jpeg,.bmp,.gif";
  picker.style.display = "none";
  picker.id = "picture-picker";
  picker.addEventListener("change", function() {
    openFile(picker.files && picker.files[0]);
    picker.value = "";
  });
  document.body.appendChild(picker);
  hook.pickPicture = function() { picker.click(); };
  window.addEventListener("dragover", function(event) { event.preventDefault(); });
  window.addEventListener("drop", function(event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length > 0) openFile(files[0]);
  });
  // SDL has no clipboard in the browser: a paste (Ctrl+V) hands its text to SDL's own clipboard
  // before the frame in which Dear ImGui reads it for the key.
  window.addEventListener("paste", function(event) {
    var text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!text) return;
    var size = lengthBytesUTF8(text) + 1;
    var copy = _malloc(size);
    stringToUTF8(text, copy, size);
    _convtutor_set_clipboard(copy);
    _free(copy);
  });
});

EM_JS(char*, JsLocationHash, (), {
  var location = window.location.hash.replace(/^#/, "");
  var size = lengthBytesUTF8(location) + 1;
  var text = _malloc(size);
  stringToUTF8(location, text, size);
  return text;
});

EM_JS(void, JsReplaceHash, (const char* location), {
  history.replaceState(null, "", "#" + UTF8ToString(location));
});

// The browser's clipboard; refused quietly where the page may not write it.
EM_JS(void, JsCopyToSystemClipboard, (const char* text), {
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(UTF8ToString(text)).catch(function() {});
  }
});

// A named moment of the start-up in the page's performance timeline (read by bench/page_load.mjs).
EM_JS(void, JsMark, (const char* name), {
  if (window.performance && performance.mark) performance.mark(UTF8ToString(name));
});

EM_JS(void, JsMarkReady, (), {
  window.convtutor.ready = true;
  window.dispatchEvent(new Event("convtutor-ready"));
});

EM_JS(char*, JsReadSetting, (const char* key), {
  var value = null;
  try { value = window.localStorage.getItem("convtutor." + UTF8ToString(key)); } catch (e) {}
  value = value || "";
  var size = lengthBytesUTF8(value) + 1;
  var text = _malloc(size);
  stringToUTF8(value, text, size);
  return text;
});

EM_JS(void, JsPickPicture, (), {
  if (window.convtutor && window.convtutor.pickPicture) window.convtutor.pickPicture();
});

// 0 when stored; 1 when the page's storage is full; 2 when the browser refuses storage altogether
// (private browsing, or site data switched off: reading window.localStorage itself throws).
EM_JS(int, JsWriteSetting, (const char* key, const char* value), {
  try {
    window.localStorage.setItem("convtutor." + UTF8ToString(key), UTF8ToString(value));
    return 0;
  } catch (e) {
    return e && (e.name === "QuotaExceededError" || e.code === 22) ? 1 : 2;
  }
});

std::string TakeJsString(char* text) {
  std::string value = text ? text : "";
  std::free(text);
  return value;
}

#else

fs::path SettingsFile() {
  const char* data_home = std::getenv("XDG_DATA_HOME");
  if (data_home && *data_home) return fs::path(data_home) / "convtutor" / "settings.json";
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : ".") / ".local" / "share" / "convtutor" / "settings.json";
}

// "1.5" → 1.5, within 0.5 to 4.
bool ParseScale(const std::string& value, float* scale) {
  char* end = nullptr;
  const float parsed = std::strtof(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !(parsed >= 0.5f && parsed <= 4.0f)) return false;
  *scale = parsed;
  return true;
}

std::optional<CommandLine> ParseCommandLine(int argc, char** argv) {
  CommandLine line;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--print-state") {
      line.print_state = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      std::fprintf(stderr, "convtutor-app: %s needs a value (flags: --lesson SLUG --step N --image PICTURE --screenshot FILE.png [--print-state] --width W --height H --scale S)\n", flag.c_str());
      return std::nullopt;
    }
    const std::string& value = args[++i];
    char* end = nullptr;
    const long long number = std::strtoll(value.c_str(), &end, 10);
    const bool is_number = end && *end == '\0' && !value.empty();
    if (flag == "--lesson") {
      line.options.lesson = value;
    } else if (flag == "--screenshot") {
      line.screenshot_path = value;
    } else if (flag == "--image") {
      line.image_path = value;
    } else if (flag == "--step" && is_number && number >= 0) {
      line.options.step = number;
    } else if ((flag == "--width" || flag == "--height") && is_number && number >= 200 && number <= 8192) {
      (flag == "--width" ? line.width : line.height) = static_cast<int>(number);
    } else if (flag == "--scale" && ParseScale(value, &line.scale)) {
    } else {
      std::fprintf(stderr, "convtutor-app: bad flag or value: %s %s\n", flag.c_str(), value.c_str());
      return std::nullopt;
    }
  }
  return line;
}

// Reads the back buffer (before it is swapped) and writes it as a PNG, top row first.
bool WriteScreenshot(SDL_Window* window, const std::string& path) {
  int width = 0, height = 0;
  SDL_GL_GetDrawableSize(window, &width, &height);
  const auto row_bytes = static_cast<std::size_t>(width) * 3;
  std::vector<unsigned char> pixels(row_bytes * static_cast<std::size_t>(height));
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  Picture screen{width, height, std::vector<std::uint8_t>(pixels.size())};
  for (std::size_t row = 0; row < static_cast<std::size_t>(height); ++row) {
    const auto source = pixels.begin() + static_cast<std::ptrdiff_t>((static_cast<std::size_t>(height) - 1 - row) * row_bytes);
    std::copy(source, source + static_cast<std::ptrdiff_t>(row_bytes),
              screen.rgb.begin() + static_cast<std::ptrdiff_t>(row * row_bytes));
  }
  const std::vector<std::uint8_t> png = EncodePng(screen);
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
  return !png.empty() && file.good();
}

#endif
// ---------------------------------------------------------------------------------------------

// Keeps the address bar (web) and the saved place (both) in step with where the learner is.
void SyncLocation(Runtime& runtime, bool force) {
  // The first frame goes to the screen before the address bar and the store are written (some
  // milliseconds of the browser's main thread): they follow a frame later.
  if (!force && !runtime.first_frame_drawn) return;
  const std::string location = runtime.app->Location();
  if (!runtime.remember_location || location == runtime.synced_location) return;
  const double now = SecondsSince(runtime.clock_start);
  const bool settled = !runtime.app->Playing();
  if (!force && !settled && now - runtime.location_synced_at < kLocationSyncWhilePlayingSeconds) return;
  runtime.synced_location = location;
  runtime.location_synced_at = now;
#ifdef __EMSCRIPTEN__
  JsReplaceHash(location.c_str());
#endif
  const std::string refused = WriteSetting("location", location);
  if (!refused.empty()) runtime.app->StorageRefused(refused);
}

// A picture file from the desktop (dropped on the window, or --image) goes to the App as bytes.
void OpenPictureFile(Runtime& runtime, const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  const std::optional<std::vector<std::uint8_t>> bytes = ReadFileBytes(path);
  // An unreadable file is still handed over (empty), so the App says so on screen.
  runtime.app->OpenPicture(name, bytes ? *bytes : std::vector<std::uint8_t>());
}

// Dear ImGui 1.86's SDL backend takes Ctrl, Shift, Alt and Super from SDL's modifier state at the
// time it handles a key, which is the state after every key already queued. On a slow frame a
// whole Ctrl+A or Ctrl+C is queued before it is handled, Ctrl has been released by then, and the
// shortcut would arrive as a plain key. The modifiers the key event itself carries are the ones
// held when it happened.
void TakeModifiersFromKeyEvent(const SDL_KeyboardEvent& key) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeyShift = (key.keysym.mod & KMOD_SHIFT) != 0;
  io.KeyCtrl = (key.keysym.mod & KMOD_CTRL) != 0;
  io.KeyAlt = (key.keysym.mod & KMOD_ALT) != 0;
  io.KeySuper = (key.keysym.mod & KMOD_GUI) != 0;
}

void HandleEvent(Runtime& runtime, const SDL_Event& event) {
  ImGui_ImplSDL2_ProcessEvent(&event);
  if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) TakeModifiersFromKeyEvent(event.key);
  if (event.type == SDL_QUIT) runtime.running = false;
  if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_EXPOSED) runtime.draw_next_frame = true;
  if (event.type == SDL_DROPFILE && event.drop.file != nullptr) {
    OpenPictureFile(runtime, event.drop.file);
    SDL_free(event.drop.file);
  }
}

// Dear ImGui 1.86 reads each key's state once per frame: a key pressed and released within one
// frame (a quick tap, or scripted key presses) would never be seen, nor would a second press. So
// each key changes at most once per frame: a key event for a key that already changed this frame
// waits, with everything after it, for the next frame.
void PollInput(Runtime& runtime) {
  std::vector<SDL_Event> pending;
  pending.swap(runtime.deferred_events);
  std::vector<SDL_Scancode> changed_this_frame;
  SDL_Event polled;
  std::size_t next = 0;
  while (true) {
    SDL_Event event;
    if (next < pending.size()) {
      event = pending[next++];
    } else if (SDL_PollEvent(&polled)) {
      event = polled;
    } else {
      break;
    }
    if (event.type == SDL_KEYDOWN || event.type == SDL_KEYUP) {
      const SDL_Scancode key = event.key.keysym.scancode;
      if (std::find(changed_this_frame.begin(), changed_this_frame.end(), key) != changed_this_frame.end()) {
        runtime.deferred_events.push_back(event);
        runtime.deferred_events.insert(runtime.deferred_events.end(),
                                       pending.begin() + static_cast<std::ptrdiff_t>(next), pending.end());
        return;
      }
      changed_this_frame.push_back(key);
    }
    HandleEvent(runtime, event);
  }
}

// One frame: input, the App's widgets, drawing. Its CPU time is what the hook reports as frameMs.
void RunFrame(Runtime& runtime) {
  const std::uint64_t frame_start = SDL_GetPerformanceCounter();
  PollInput(runtime);
  if (!runtime.opened_location.empty()) {
    runtime.app->OpenLocation(runtime.opened_location);
    runtime.opened_location.clear();
    SyncLocation(runtime, true);
  }
  RefreshFontsIfPixelRatioChanged(runtime);

  ImGui_ImplSDL2_NewFrame();
  if (!runtime.mouse_present) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  ImGui::NewFrame();
  runtime.app->Frame(SecondsSince(runtime.clock_start));
  ImGui::Render();

  const bool force = runtime.draw_every_frame || runtime.draw_next_frame;
  runtime.frame_drawn = runtime.renderer.Draw(*ImGui::GetDrawData(), ImVec4(0.11f, 0.12f, 0.14f, 1.0f), force);
  runtime.draw_next_frame = false;
  runtime.frame_ms = SecondsSince(frame_start) * 1000.0;
  ++runtime.frames_run;
  if (runtime.frame_drawn) ++runtime.frames_drawn;
  SyncLocation(runtime, false);
}

void PresentFrame(Runtime& runtime) {
  if (runtime.frame_drawn) {
    SDL_GL_SwapWindow(runtime.window);
  } else {
#ifndef __EMSCRIPTEN__
    // No swap to wait for the display: the loop waits about a 60 Hz display frame itself. (The
    // browser runs a frame per animation frame whether or not it draws.)
    constexpr Uint32 kUndrawnFrameMilliseconds = 16;
    SDL_Delay(kUndrawnFrameMilliseconds);
#endif
  }
  if (!runtime.first_frame_drawn) {
    runtime.first_frame_drawn = true;
#ifdef __EMSCRIPTEN__
    JsMark("convtutor-ready");
    JsMarkReady();
#endif
  }
}

// X11 leaves scaling to each program. SDL reports the display's DPI from the monitor's size
// (XRandR) or, without XRandR, from the Xft.dpi setting desktops write (192 for 200%). Quarter
// steps, as desktops offer, never below 1; 1 for every other video driver.
float DesktopContentScale() {
  const char* driver = SDL_GetCurrentVideoDriver();
  float dpi = 0.0f;
  if (driver == nullptr || std::string(driver) != "x11" || SDL_GetDisplayDPI(0, nullptr, &dpi, nullptr) != 0) return 1.0f;
  return std::clamp(std::round(dpi / 96.0f * 4.0f) / 4.0f, 1.0f, 4.0f);
}

// `width`×`height` in logical pixels; `scale` 0 takes the desktop's content scale.
bool StartWindow(Runtime& runtime, int width, int height, float scale) {
#ifdef __EMSCRIPTEN__
  // SDL writes the window title into the page's <title>: keep the page's full title.
  const char* window_title = "Convolution tutor: step through convolution and pooling";
  // Keys go to the canvas (which the page focuses), so the page's own shortcuts keep working.
  SDL_SetHint(SDL_HINT_EMSCRIPTEN_KEYBOARD_ELEMENT, "#canvas");
  const char* glsl_version = "#version 300 es";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#else
  const char* window_title = "Convolution tutor";
  const char* glsl_version = "#version 130";
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#endif
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    std::fprintf(stderr, "convtutor-app: cannot start SDL: %s\n", SDL_GetError());
    return false;
  }
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  // The drawing is flat (draw_lists.cpp never tests depth), so no depth buffer: in the browser it
  // would be another screen-sized buffer to make, and to make again on every resize.
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  const auto flags = static_cast<SDL_WindowFlags>(SDL_WINDOW_OPENGL | SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  runtime.content_scale = scale > 0.0f ? scale : DesktopContentScale();
  runtime.window = SDL_CreateWindow(window_title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                    static_cast<int>(std::lround(static_cast<float>(width) * runtime.content_scale)),
                                    static_cast<int>(std::lround(static_cast<float>(height) * runtime.content_scale)),
                                    flags);
  if (!runtime.window) {
    std::fprintf(stderr, "convtutor-app: cannot open a window: %s\n", SDL_GetError());
    return false;
  }
  runtime.gl_context = SDL_GL_CreateContext(runtime.window);
  if (!runtime.gl_context) {
    std::fprintf(stderr, "convtutor-app: cannot create an OpenGL context: %s\n", SDL_GetError());
    return false;
  }
  SDL_GL_MakeCurrent(runtime.window, runtime.gl_context);
  SDL_GL_SetSwapInterval(1);
#ifdef __EMSCRIPTEN__
  JsMark("convtutor-context");  // from here to "convtutor-window": Dear ImGui, the shaders, the fonts
#endif

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // window layout is the App's job, not a stray imgui.ini
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForOpenGL(runtime.window, runtime.gl_context);
#ifdef __EMSCRIPTEN__
  // Copying (Ctrl+C in a text box) also reaches the system clipboard, which SDL cannot do here.
  ImGui::GetIO().SetClipboardTextFn = [](void*, const char* text) {
    SDL_SetClipboardText(text);
    JsCopyToSystemClipboard(text);
  };
#endif
  if (!runtime.renderer.Start(glsl_version)) return false;
  runtime.clock_start = SDL_GetPerformanceCounter();
  RefreshFontsIfPixelRatioChanged(runtime);
  return true;
}

#ifndef __EMSCRIPTEN__
void StopWindow(Runtime& runtime) {
  runtime.renderer.Stop();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_GL_DeleteContext(runtime.gl_context);
  SDL_DestroyWindow(runtime.window);
  SDL_Quit();
}
#endif

}  // namespace

// --- web/platform.h ------------------------------------------------------------------------------
#ifdef __EMSCRIPTEN__

std::string AssetPath(const std::string& relative) { return "/" + relative; }

std::string ReadSetting(const std::string& key) { return TakeJsString(JsReadSetting(key.c_str())); }

std::string WriteSetting(const std::string& key, const std::string& value) {
  switch (JsWriteSetting(key.c_str(), value.c_str())) {
    case 0: return "";
    case 1: return "the browser's storage for this page is full";
    default: return "this browser does not let the page store anything (private browsing, or site data switched off)";
  }
}

#else

std::string AssetPath(const std::string& relative) {
  char* base = SDL_GetBasePath();
  const std::string folder = base ? base : "./";
  SDL_free(base);
  return folder + relative;
}

std::string ReadSetting(const std::string& key) {
  const nlohmann::json settings = app::ReadSettingsFile(SettingsFile());
  const auto found = settings.find(key);
  return found != settings.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string WriteSetting(const std::string& key, const std::string& value) {
  return app::WriteSettingToFile(SettingsFile(), key, value);
}

#endif

// The textures are draw_lists.cpp's, shared by OpenGL 3 and WebGL 2.
void UploadImage(GpuImage& image, const std::uint32_t* pixels, int width, int height) {
  const auto texture = static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(image.texture));
  const bool resize = image.width != width || image.height != height;
  image.texture = reinterpret_cast<void*>(static_cast<std::uintptr_t>(UploadTexture(texture, pixels, width, height, resize)));
  image.width = width;
  image.height = height;
}

void UploadImageRows(GpuImage& image, const std::uint32_t* pixels, int first_row, int row_count) {
  UploadTextureRows(static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(image.texture)), pixels, image.width,
                    first_row, row_count);
}

void ReleaseImage(GpuImage& image) {
  DeleteTexture(static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(image.texture)));
  image = GpuImage{};
}

#ifdef __EMSCRIPTEN__

namespace {
void AssetArrived(void* handle, void* buffer, int size) {
  std::unique_ptr<AssetDone> done(static_cast<AssetDone*>(handle));
  const auto* bytes = static_cast<const std::uint8_t*>(buffer);
  (*done)(true, std::vector<std::uint8_t>(bytes, bytes + std::max(size, 0)));
}
void AssetFailed(void* handle) {
  std::unique_ptr<AssetDone> done(static_cast<AssetDone*>(handle));
  (*done)(false, std::vector<std::uint8_t>());
}
}  // namespace

// Relative to the page, so the samples folder beside index.html is fetched.
void FetchAsset(const std::string& relative, AssetDone done) {
  emscripten_async_wget_data(relative.c_str(), new AssetDone(std::move(done)), AssetArrived, AssetFailed);
}

bool CanPickFiles() { return true; }
void PickPictureFile() { JsPickPicture(); }

#else

void FetchAsset(const std::string& relative, AssetDone done) {
  const std::optional<std::vector<std::uint8_t>> bytes = ReadFileBytes(AssetPath(relative));
  done(bytes.has_value(), bytes ? *bytes : std::vector<std::uint8_t>());
}

bool CanPickFiles() { return false; }
void PickPictureFile() {}

#endif

// SDL does both: window.open in the browser, xdg-open (or the like) on the desktop.
void OpenUrl(const std::string& url) {
  if (SDL_OpenURL(url.c_str()) != 0) {
    std::fprintf(stderr, "convtutor-app: could not open %s: %s\n", url.c_str(), SDL_GetError());
  }
}

}  // namespace convtutor::platform

// --- Entry points ---------------------------------------------------------------------------------
using convtutor::platform::Runtime;

#ifdef __EMSCRIPTEN__

extern "C" {
// The automation hook: window.convtutor.state() parses this.
EMSCRIPTEN_KEEPALIVE const char* convtutor_state_json(void* handle) {
  auto& runtime = *static_cast<Runtime*>(handle);
  runtime.state_json = convtutor::platform::StateJson(runtime);
  return runtime.state_json.c_str();
}

// Called on paste with the pasted text.
EMSCRIPTEN_KEEPALIVE void convtutor_set_clipboard(const char* text) { SDL_SetClipboardText(text); }

// Called with a picture file the learner picked or dropped on the page.
EMSCRIPTEN_KEEPALIVE void convtutor_open_picture(void* handle, const char* name, const std::uint8_t* data, int size) {
  auto& runtime = *static_cast<Runtime*>(handle);
  runtime.app->OpenPicture(name, std::vector<std::uint8_t>(data, data + std::max(size, 0)));
}

// Called on hashchange with the new "lesson=<slug>&step=<n>": the next frame opens it.
EMSCRIPTEN_KEEPALIVE void convtutor_open_location(void* handle, const char* location) {
  static_cast<Runtime*>(handle)->opened_location = location;
}
}

namespace {
void BrowserFrame(void* handle) {
  auto& runtime = *static_cast<Runtime*>(handle);
  convtutor::platform::RunFrame(runtime);
  convtutor::platform::PresentFrame(runtime);
}
}  // namespace

int main() {
  namespace platform = convtutor::platform;
  // The main loop outlives main()'s stack frame, so the runtime lives on the heap for good.
  platform::JsMark("convtutor-main");
  auto* runtime = new Runtime();
  if (!platform::StartWindow(*runtime, 1280, 800, 1.0f)) return 1;
  platform::JsMark("convtutor-window");
  // A deep link wins; otherwise resume where the learner was. Only that lesson is read now.
  convtutor::app::AppOptions options;
  options.location = platform::TakeJsString(platform::JsLocationHash());
  if (options.location.empty()) options.location = platform::ReadSetting("location");
  runtime->app = new convtutor::app::App(options);
  platform::JsMark("convtutor-lessons");
  platform::JsInstallHooks(runtime);
  // The first frame is drawn at once, not at the next animation frame the main loop waits for.
  BrowserFrame(runtime);
  emscripten_set_main_loop_arg(BrowserFrame, runtime, 0, true);
  return 0;
}

#else

int main(int argc, char** argv) {
  namespace platform = convtutor::platform;
  const std::optional<platform::CommandLine> line = platform::ParseCommandLine(argc, argv);
  if (!line) return 2;
  Runtime runtime;
  if (!platform::StartWindow(runtime, line->width, line->height, line->scale)) return 1;
  runtime.remember_location = line->screenshot_path.empty();
  runtime.draw_every_frame = !line->screenshot_path.empty();
  runtime.mouse_present = line->screenshot_path.empty();
  convtutor::app::AppOptions options = line->options;
  if (options.lesson.empty() && runtime.remember_location) options.location = platform::ReadSetting("location");
  auto app = std::make_unique<convtutor::app::App>(options);
  runtime.app = app.get();
  if (!line->image_path.empty()) platform::OpenPictureFile(runtime, line->image_path);
  runtime.synced_location = app->Location();

  int exit_code = 0;
  if (!line->screenshot_path.empty()) {
    // A few frames let the layout settle (ImGui sizes windows from the previous frame), and go on
    // until every lesson is read, so the state printed counts the problems of them all.
    constexpr int kSettleFrames = 8;
    for (int frame = 1;; ++frame) {
      platform::RunFrame(runtime);
      const bool last = frame >= kSettleFrames && app->State().lessons_unread == 0;
      if (last && !platform::WriteScreenshot(runtime.window, line->screenshot_path)) {
        std::fprintf(stderr, "convtutor-app: cannot write screenshot %s\n", line->screenshot_path.c_str());
        exit_code = 1;
      }
      platform::PresentFrame(runtime);
      if (last) break;
    }
    if (line->print_state) std::printf("%s\n", platform::StateJson(runtime).c_str());
  } else {
    while (runtime.running) {
      platform::RunFrame(runtime);
      platform::PresentFrame(runtime);
    }
    platform::SyncLocation(runtime, true);
  }
  runtime.app = nullptr;
  app.reset();  // the App goes before the ImGui context it draws with
  platform::StopWindow(runtime);
  return exit_code;
}

#endif
