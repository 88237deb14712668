// The App driven headlessly (a Dear ImGui context with no window or GPU) over the real lessons:
// keys move the player, playback follows elapsed time rather than frames, addresses open a lesson
// and step, broken lesson files leave the rest working, and the shape card keeps an open exercise's
// answer hidden. A fake platform stands in for web/platform.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>
#include <imgui_internal.h>

#include "app.h"
#include "convtutor/image.h"
#include "convtutor/layer_scene.h"
#include "convtutor/lesson.h"
#include "convtutor/model.h"
#include "convtutor/playback.h"
#include "font_glyphs.h"
#include "panels/grid_panel.h"
#include "panels/model_panel.h"
#include "panels/sandbox_panel.h"
#include "panels/ui_theme.h"
#include "platform.h"
#include "stored_work.h"
#include "../scratch_folder.h"

namespace {

// The fake platform's state. The platform functions are free functions, so the fake keeps its
// assets folder and settings here; each test sets them afresh.
std::string g_asset_root = CONVTUTOR_SOURCE_DIR;
std::map<std::string, std::string> g_settings;
std::size_t g_setting_limit = std::string::npos;  // longer values are refused, as a full store refuses them
std::vector<std::pair<int, int>> g_uploaded_sizes;  // width × height of every picture uploaded
std::vector<int> g_uploaded_row_counts;             // how many rows each upload of part of a picture held
std::map<std::uintptr_t, std::vector<std::uint32_t>> g_textures;  // what each stand-in texture holds

}  // namespace

namespace convtutor::platform {
std::string AssetPath(const std::string& relative) { return g_asset_root + "/" + relative; }
std::string ReadSetting(const std::string& key) { return g_settings[key]; }
std::string WriteSetting(const std::string& key, const std::string& value) {
  if (value.size() > g_setting_limit) return "the browser's storage for this page is full";
  g_settings[key] = value;
  return "";
}
void OpenUrl(const std::string& url) { ADD_FAILURE() << "no test follows an external link: " << url; }
// No GPU here: a picture is its size, a stand-in texture id and the colours it was given.
void UploadImage(GpuImage& image, const std::uint32_t* pixels, int width, int height) {
  g_uploaded_sizes.emplace_back(width, height);
  if (image.texture == nullptr) image.texture = reinterpret_cast<void*>(std::uintptr_t{g_textures.size() + 1});
  image.width = width;
  image.height = height;
  g_textures[reinterpret_cast<std::uintptr_t>(image.texture)].assign(pixels, pixels + std::size_t(width) * std::size_t(height));
}
void UploadImageRows(GpuImage& image, const std::uint32_t* pixels, int first_row, int row_count) {
  g_uploaded_row_counts.push_back(row_count);
  std::vector<std::uint32_t>& texture = g_textures.at(reinterpret_cast<std::uintptr_t>(image.texture));
  std::copy(pixels, pixels + std::size_t(row_count) * std::size_t(image.width),
            texture.begin() + std::ptrdiff_t(first_row) * image.width);
}
void ReleaseImage(GpuImage& image) { image = GpuImage{}; }
// Assets arrive at once, read from the fake's assets folder.
void FetchAsset(const std::string& relative, AssetDone done) {
  std::ifstream file(AssetPath(relative), std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  done(static_cast<bool>(file) || !bytes.empty(), bytes);
}
bool CanPickFiles() { return false; }
void PickPictureFile() { ADD_FAILURE() << "no test opens the file picker"; }
}  // namespace convtutor::platform

namespace {

using convtutor::app::App;
using convtutor::app::AppOptions;
using convtutor::app::AutomationState;
using convtutor::app::GridPage;
using convtutor::app::GroupPageHolding;
using convtutor::app::PageHolding;
using convtutor::app::SandboxSettings;

// Where the fake keyboard puts each key in io.KeysDown.
enum FakeKey { kRight = 1, kLeft, kHome, kEnd, kSpace, kPageDown, kPageUp };

class HeadlessApp : public ::testing::Test {
 protected:
  HeadlessApp() {
    g_asset_root = CONVTUTOR_SOURCE_DIR;
    g_settings.clear();
    g_setting_limit = std::string::npos;
    g_uploaded_sizes.clear();
    g_uploaded_row_counts.clear();
    g_textures.clear();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280.0f, 720.0f);
    io.IniFilename = nullptr;
    io.Fonts->AddFontDefault();
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    io.KeyMap[ImGuiKey_RightArrow] = kRight;
    io.KeyMap[ImGuiKey_LeftArrow] = kLeft;
    io.KeyMap[ImGuiKey_Home] = kHome;
    io.KeyMap[ImGuiKey_End] = kEnd;
    io.KeyMap[ImGuiKey_Space] = kSpace;
    io.KeyMap[ImGuiKey_PageDown] = kPageDown;
    io.KeyMap[ImGuiKey_PageUp] = kPageUp;
  }
  ~HeadlessApp() override { ImGui::DestroyContext(); }

  // One frame, `seconds_later` after the previous one.
  void Frame(App& app, double seconds_later = 1.0 / 60.0) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = static_cast<float>(seconds_later);
    clock_ += seconds_later;
    ImGui::NewFrame();
    app.Frame(clock_);
    ImGui::Render();
  }

  // Frames until "Your model"'s summary row `row` is on the stage (a run before it takes a few), at most 30.
  void FrameUntilLayer(App& app, int row) {
    const std::string scene = "layer-" + std::to_string(row);
    for (int frame = 0; frame < 30 && app.State().scene != scene; ++frame) Frame(app);
  }

  // Presses and releases a key, as two frames.
  void Press(App& app, FakeKey key) {
    ImGui::GetIO().KeysDown[key] = true;
    Frame(app);
    ImGui::GetIO().KeysDown[key] = false;
    Frame(app);
  }

  // One frame; returns every piece of text it drew (ImGui's log).
  std::string FrameText(App& app) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    clock_ += 1.0 / 60.0;
    ImGui::NewFrame();
    ImGui::LogToClipboard();
    app.Frame(clock_);
    ImGui::LogFinish();
    const std::string text = ImGui::GetClipboardText();
    ImGui::Render();
    return text;
  }

  // Frames until the App has read every lesson file (one a frame after the first).
  void ReadEveryLesson(App& app) {
    for (int frame = 0; frame < 1000 && app.State().lessons_unread > 0; ++frame) Frame(app);
    ASSERT_EQ(app.State().lessons_unread, 0);
  }

  double clock_ = 0.0;
};

// How many lesson files the real course has, counted without the core.
int RealLessonFiles() {
  int files = 0;
  for (const auto& file : std::filesystem::directory_iterator(std::filesystem::path(CONVTUTOR_SOURCE_DIR) / "lessons")) {
    files += file.path().extension() == ".md" ? 1 : 0;
  }
  return files;
}

TEST_F(HeadlessApp, right_and_left_step_forward_and_back) {
  App app(AppOptions{});
  Frame(app);
  ASSERT_EQ(app.State().step, 0);
  Press(app, kRight);
  Press(app, kRight);
  EXPECT_EQ(app.State().step, 2);
  Press(app, kLeft);
  EXPECT_EQ(app.State().step, 1);
}

TEST_F(HeadlessApp, home_and_end_jump_to_the_first_and_last_step) {
  App app(AppOptions{});
  Frame(app);
  Press(app, kEnd);
  const AutomationState at_end = app.State();
  EXPECT_EQ(at_end.step, at_end.steps - 1);
  Press(app, kHome);
  EXPECT_EQ(app.State().step, 0);
}

TEST_F(HeadlessApp, left_on_the_first_step_stays_there) {
  App app(AppOptions{});
  Frame(app);
  Press(app, kLeft);
  EXPECT_EQ(app.State().step, 0);
}

TEST_F(HeadlessApp, space_plays_and_playback_follows_time_not_frames) {
  const double steps_per_second = convtutor::PlaybackClock{}.steps_per_second;
  // Two apps play for one second each, one at 10 frames a second, one at 100.
  App slow(AppOptions{});
  Frame(slow);
  Press(slow, kSpace);
  ASSERT_TRUE(slow.State().playing);
  const std::int64_t slow_start = slow.State().step;
  for (int frame = 0; frame < 10; ++frame) Frame(slow, 0.1);
  App fast(AppOptions{});
  Frame(fast);
  Press(fast, kSpace);
  const std::int64_t fast_start = fast.State().step;
  for (int frame = 0; frame < 100; ++frame) Frame(fast, 0.01);
  // Both moved one second's worth of steps (plus a fraction from the key's release frame).
  const auto expected = static_cast<std::int64_t>(steps_per_second);
  EXPECT_EQ(slow.State().step - slow_start, expected);
  EXPECT_EQ(fast.State().step - fast_start, expected);
  Press(fast, kSpace);
  EXPECT_FALSE(fast.State().playing);
}

// The characters of `text` the fonts lack (drawn as "?"), each once: "U+1D40 ᵀ, ...".
std::string MissingGlyphs(const std::string& text) {
  std::string missing;
  const char* end = text.data() + text.size();
  for (const char* at = text.data(); at < end;) {
    unsigned int codepoint = 0;
    const char* next = at + ImTextCharFromUtf8(&codepoint, at, end);
    const std::string character(at, next);
    at = next;
    if (convtutor::app::FontsDraw(codepoint) || missing.find(character) != std::string::npos) continue;
    char name[16];
    std::snprintf(name, sizeof name, "U+%04X ", codepoint);
    missing += (missing.empty() ? "" : ", ") + std::string(name) + character;
  }
  return missing;
}

TEST_F(HeadlessApp, every_character_of_every_lesson_file_has_a_glyph) {
  int files = 0;
  for (const auto& file : std::filesystem::directory_iterator(std::filesystem::path(CONVTUTOR_SOURCE_DIR) / "lessons")) {
    std::ifstream in(file.path());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      EXPECT_EQ(MissingGlyphs(line), "") << file.path().filename().string() << ":" << number << ": " << line;
    }
    ++files;
  }
  EXPECT_GE(files, 9);
}

TEST_F(HeadlessApp, every_character_the_app_draws_for_a_lesson_has_a_glyph) {
  ImGui::GetIO().DisplaySize = ImVec2(1600.0f, 30000.0f);  // tall enough that no text is scrolled away
  App app(AppOptions{});
  Frame(app);
  for (const std::string& slug : app.State().lessons) {
    app.OpenLocation("lesson=" + slug + "&step=0");
    Frame(app);
    const std::string first = FrameText(app);
    EXPECT_NE(first.find_first_not_of(" \n"), std::string::npos) << slug;
    EXPECT_EQ(MissingGlyphs(first), "") << slug << " at its first step";
    Press(app, kEnd);
    EXPECT_EQ(MissingGlyphs(FrameText(app)), "") << slug << " at its last step";
  }
}

TEST(font_glyphs, a_character_outside_the_fonts_is_reported) {
  EXPECT_EQ(MissingGlyphs("3 \xC3\x97 3 \xE2\x8C\x8A" "a\xE2\x8C\x8B"), "");     // × ⌊ ⌋
  EXPECT_EQ(MissingGlyphs("W\xE1\xB5\x80x \xE1\xB5\x80"), "U+1D40 \xE1\xB5\x80");  // ᵀ, named once
}

// A 2-map output of 4 rows × 5 columns: cells 0..19 are map 0, row by row.
convtutor::Geometry FourByFiveTwice() {
  convtutor::Geometry geometry;
  geometry.out_channels = 2;
  geometry.out_height = 4;
  geometry.out_width = 5;
  return geometry;
}

TEST(output_extent, an_open_height_shows_the_rows_reached_so_far_and_a_mark) {
  const auto extent = convtutor::app::VisibleOutputExtent(FourByFiveTwice(), 7, true, false);  // row 1, col 2
  EXPECT_EQ(extent.rows, 2);
  EXPECT_EQ(extent.cols, 5);
  EXPECT_TRUE(extent.more_rows);
  EXPECT_FALSE(extent.more_cols);
}

TEST(output_extent, an_open_width_shows_the_columns_of_the_first_row_as_they_are_written) {
  const auto first_row = convtutor::app::VisibleOutputExtent(FourByFiveTwice(), 2, false, true);
  EXPECT_EQ(first_row.cols, 3);
  EXPECT_TRUE(first_row.more_cols);
  EXPECT_EQ(first_row.rows, 4);
  const auto second_row = convtutor::app::VisibleOutputExtent(FourByFiveTwice(), 5, false, true);
  EXPECT_EQ(second_row.cols, 5);  // row 0 is finished: its length is known
  EXPECT_FALSE(second_row.more_cols);
}

TEST(output_extent, the_last_row_or_a_second_map_shows_the_whole_grid) {
  for (const std::int64_t cell : {15, 19, 20, 39}) {
    const auto extent = convtutor::app::VisibleOutputExtent(FourByFiveTwice(), cell, true, true);
    EXPECT_EQ(extent.rows, 4) << cell;
    EXPECT_EQ(extent.cols, 5) << cell;
    EXPECT_FALSE(extent.more_rows || extent.more_cols) << cell;
  }
}

TEST(output_extent, nothing_is_hidden_when_no_exercise_asks) {
  const auto extent = convtutor::app::VisibleOutputExtent(FourByFiveTwice(), 0, false, false);
  EXPECT_EQ(extent.rows, 4);
  EXPECT_EQ(extent.cols, 5);
}

TEST_F(HeadlessApp, page_down_and_page_up_switch_lessons) {
  App app(AppOptions{});
  Frame(app);
  const AutomationState first = app.State();
  ASSERT_GE(first.lessons.size(), 2u);
  Press(app, kPageDown);
  EXPECT_EQ(app.State().lesson, first.lessons[1]);
  Press(app, kPageUp);
  EXPECT_EQ(app.State().lesson, first.lessons[0]);
}

TEST_F(HeadlessApp, an_address_opens_that_lesson_at_that_step_and_is_reported_back) {
  App app(AppOptions{});
  Frame(app);
  const std::string second = app.State().lessons.at(1);
  app.OpenLocation("lesson=" + second + "&step=3");
  Frame(app);
  EXPECT_EQ(app.State().lesson, second);
  EXPECT_EQ(app.State().step, 3);
  EXPECT_EQ(app.Location(), "lesson=" + second + "&step=3");
}

TEST_F(HeadlessApp, the_start_options_open_a_lesson_and_step) {
  App probe(AppOptions{});
  const std::string second = probe.State().lessons.at(1);
  App app(AppOptions{second, 2});
  Frame(app);
  EXPECT_EQ(app.State().lesson, second);
  EXPECT_EQ(app.State().step, 2);
}

TEST_F(HeadlessApp, a_step_beyond_the_end_opens_the_last_step) {
  App app(AppOptions{});
  Frame(app);
  app.OpenLocation("step=999999999");
  Frame(app);
  EXPECT_EQ(app.State().step, app.State().steps - 1);
}

TEST_F(HeadlessApp, an_unknown_lesson_in_an_address_leaves_the_current_lesson) {
  App app(AppOptions{});
  Frame(app);
  const std::string before = app.State().lesson;
  app.OpenLocation("lesson=no-such-lesson");
  Frame(app);
  EXPECT_EQ(app.State().lesson, before);
}

TEST_F(HeadlessApp, the_sandbox_and_your_model_come_after_the_lessons) {
  App app(AppOptions{});
  const AutomationState state = app.State();
  ASSERT_GE(state.lessons.size(), 3u);
  EXPECT_EQ(state.lessons[state.lessons.size() - 2], "sandbox");
  EXPECT_EQ(state.lessons.back(), "your-model");
  app.OpenLocation("lesson=sandbox&step=1");
  Frame(app);
  EXPECT_EQ(app.State().lesson, "sandbox");
  EXPECT_EQ(app.State().step, 1);
  EXPECT_GT(app.State().steps, 1);
}

TEST_F(HeadlessApp, your_model_opens_with_an_example_and_its_first_convolution_on_the_stage) {
  App app(AppOptions{"your-model", 0});
  Frame(app);
  EXPECT_EQ(app.State().lesson, "your-model");
  // The Keras example: row 0 is the input (64×64×3), row 1 Conv2D(16, (3, 3)): 64 − 3 + 1 = 62,
  // so 16 maps of 62×62 cells, one step each at the opening level.
  EXPECT_EQ(app.State().scene, "layer-1");
  EXPECT_EQ(app.State().level, "cell");
  EXPECT_EQ(app.State().steps, 16 * 62 * 62);
}

TEST_F(HeadlessApp, your_model_opens_one_step_per_cell_whatever_the_lesson_before_it_used) {
  App app(AppOptions{"01-sliding-window", 0});
  Frame(app);
  app.OpenLocation("lesson=01-sliding-window&step=0");
  Frame(app);
  ASSERT_NE(app.State().level, "cell");  // the first lesson opens at the multiply-add level
  app.OpenLocation("lesson=your-model");
  Frame(app);
  EXPECT_EQ(app.State().lesson, "your-model");
  EXPECT_EQ(app.State().level, "cell");
}

TEST_F(HeadlessApp, old_slugs_open_the_renamed_or_split_lesson_and_progress_stored_under_them_counts) {
  // Saved before lesson 03 was split (its PyTorch part is now 04-padding-in-pytorch) and the
  // lessons after it were renumbered (08-weight-tensors is now 09-weight-tensors).
  g_settings["progress"] =
      R"({"version": 1, "exercises_solved": ["03-padding/torch-one-height", "08-weight-tensors/hwio-params"]})";
  App app(AppOptions{"08-weight-tensors", 0});
  Frame(app);
  const auto solved = [&app](const std::string& id) {
    for (const convtutor::app::ExerciseAutomation& exercise : app.State().exercises) {
      if (exercise.id == id) return exercise.solved;
    }
    return false;
  };
  EXPECT_EQ(app.State().lesson, "09-weight-tensors");
  EXPECT_TRUE(solved("hwio-params"));
  app.OpenLocation("lesson=03-padding&exercise=torch-one-height");
  Frame(app);
  EXPECT_EQ(app.State().lesson, "04-padding-in-pytorch");
  EXPECT_TRUE(solved("torch-one-height"));
  app.OpenLocation("lesson=03-padding&exercise=seed-pad");
  Frame(app);
  EXPECT_EQ(app.State().lesson, "03-padding") << "what the split lesson still holds stays there";
  app.OpenLocation("lesson=04-pooling&step=0");
  Frame(app);
  EXPECT_EQ(app.State().lesson, "05-pooling");
}

TEST_F(HeadlessApp, grids_too_fine_for_rectangles_are_drawn_as_one_picture_each) {
  // The Keras example's first convolution: 3 input channels of 64×64, 16 maps of 62×62. On a
  // screen with 4 pixels per point its cells are at least a pixel wide: a picture has a pixel a cell.
  ImGui::GetIO().DisplayFramebufferScale = ImVec2(4.0f, 4.0f);
  App app(AppOptions{"your-model", 0});
  Frame(app);
  EXPECT_EQ(std::count(g_uploaded_sizes.begin(), g_uploaded_sizes.end(), std::make_pair(64, 64)), 3);
  EXPECT_EQ(std::count(g_uploaded_sizes.begin(), g_uploaded_sizes.end(), std::make_pair(62, 62)), 16);
}

// The Keras example's first convolution draws its pictures in this order: 3 input channels,
// 16 filters (3×3 slices over 3 channels: 3 cells across, 3 slices and the 2 rows between them
// down), 16 maps. Texture t + 1 is the t-th picture drawn.
constexpr std::size_t kExampleInputs = 3, kExampleFilters = 16, kExampleMaps = 16;

TEST_F(HeadlessApp, a_grid_with_more_cells_than_screen_pixels_is_a_picture_of_the_cells_at_its_pixels_centres) {
  // The input channels and the maps (the filters' pictures have a pixel a cell at either scale).
  std::vector<int> cells(kExampleInputs, 64);
  cells.resize(kExampleInputs + kExampleMaps, 62);
  const auto texture_of = [](std::size_t grid) {
    return grid < kExampleInputs ? grid + 1 : grid + kExampleFilters + 1;
  };
  ImGui::GetIO().DisplayFramebufferScale = ImVec2(4.0f, 4.0f);
  App full(AppOptions{"your-model", 100});
  Frame(full);
  const auto full_pictures = g_textures;
  ASSERT_EQ(g_uploaded_sizes.size(), cells.size() + kExampleFilters);

  // On a screen with a pixel per point the same grids have fewer pixels than cells (the headless
  // page is 1280 points wide): each pixel shows the cell under its centre.
  g_textures.clear();
  g_uploaded_sizes.clear();
  ImGui::GetIO().DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
  App small(AppOptions{"your-model", 100});
  Frame(small);
  ASSERT_EQ(g_uploaded_sizes.size(), cells.size() + kExampleFilters);
  for (std::size_t picture = 0; picture < cells.size(); ++picture) {
    const auto [width, height] = g_uploaded_sizes[texture_of(picture) - 1];
    ASSERT_LT(width, cells[picture]) << "picture " << picture;
    ASSERT_EQ(width, height) << "picture " << picture;
    const std::vector<std::uint32_t>& shown = g_textures.at(texture_of(picture));
    const std::vector<std::uint32_t>& whole = full_pictures.at(texture_of(picture));
    for (int row = 0; row < height; ++row) {
      for (int col = 0; col < width; ++col) {
        const auto centre = [&](int pixel) {
          return static_cast<int>(std::floor((pixel + 0.5) * cells[picture] / width));
        };
        ASSERT_EQ(shown[std::size_t(row) * std::size_t(width) + std::size_t(col)],
                  whole[std::size_t(centre(row)) * std::size_t(cells[picture]) + std::size_t(centre(col))])
            << "picture " << picture << ", pixel row " << row << ", column " << col;
      }
    }
  }
}

TEST_F(HeadlessApp, a_map_being_written_is_repainted_only_where_the_window_moved_and_shows_what_a_fresh_page_shows) {
  // 16 maps of 62×62, one step a cell: from step 0 the window goes 70 cells on, into the map's
  // second row, then 65 back, into the first row again.
  const auto stepped = [this](App& app, FakeKey key, int presses) {
    for (int i = 0; i < presses; ++i) Press(app, key);
  };
  const auto fresh_pictures = [this](std::int64_t step) {
    g_textures.clear();
    App fresh(AppOptions{"your-model", step});
    Frame(fresh);
    EXPECT_EQ(fresh.State().step, step);
    return g_textures;
  };
  // With a pixel per cell (4 pixels a point) and with fewer pixels than cells (1 pixel a point).
  for (const float scale : {4.0f, 1.0f}) {
    SCOPED_TRACE(scale);
    ImGui::GetIO().DisplayFramebufferScale = ImVec2(scale, scale);
    g_uploaded_sizes.clear();
    g_uploaded_row_counts.clear();
    g_textures.clear();
    App app(AppOptions{"your-model", 0});
    Frame(app);
    const std::size_t whole_uploads = g_uploaded_sizes.size();
    stepped(app, kRight, 70);
    ASSERT_EQ(app.State().step, 70);
    EXPECT_EQ(g_uploaded_sizes.size(), whole_uploads);  // no picture uploaded whole again
    EXPECT_EQ(g_uploaded_row_counts.size(), 70u);       // one part a step: the map being written
    EXPECT_EQ(*std::max_element(g_uploaded_row_counts.begin(), g_uploaded_row_counts.end()), 2);
    const auto after_forward = g_textures;
    EXPECT_EQ(after_forward, fresh_pictures(70));

    g_textures = after_forward;
    stepped(app, kLeft, 65);
    ASSERT_EQ(app.State().step, 5);
    // The fresh page's inputs, filters and maps.
    EXPECT_EQ(g_uploaded_sizes.size(), whole_uploads + kExampleInputs + kExampleFilters + kExampleMaps);
    const auto after_back = g_textures;
    EXPECT_EQ(after_back, fresh_pictures(5));
  }
}

TEST_F(HeadlessApp, filters_too_fine_for_rectangles_are_pictures_of_their_slices_with_the_panel_between) {
  const auto summary = convtutor::lessons::SummarizeModel(convtutor::app::kKerasExampleModel);
  ASSERT_TRUE(summary.ok());
  const auto scene = convtutor::lessons::LayerScene(summary.value().layers.at(1));
  ASSERT_TRUE(scene.ok());
  const convtutor::FilterBank& weights = scene.value().weights;
  ASSERT_EQ(weights.filters, static_cast<int>(kExampleFilters));
  const int rows = weights.channels * (weights.height + 1) - 1;
  App app(AppOptions{"your-model", 0});
  Frame(app);
  ASSERT_EQ(g_uploaded_sizes.size(), kExampleInputs + kExampleFilters + kExampleMaps);
  for (int filter = 0; filter < weights.filters; ++filter) {
    const std::size_t texture = kExampleInputs + static_cast<std::size_t>(filter) + 1;
    ASSERT_EQ(g_uploaded_sizes[texture - 1], std::make_pair(weights.width, rows)) << "filter " << filter;
    const std::vector<std::uint32_t>& pixels = g_textures.at(texture);
    const auto pixel = [&](int row, int col) { return pixels[std::size_t(row) * std::size_t(weights.width) + std::size_t(col)]; };
    // Weight (c, ky, kx) at row c·(k + 1) + ky; equal weights have one colour, different ones
    // different colours, and the row under each slice but the last is the panel's colour.
    for (int a = 0; a < rows * weights.width; ++a) {
      const int a_row = a / weights.width, a_col = a % weights.width;
      if (a_row % (weights.height + 1) == weights.height) {
        EXPECT_EQ(pixel(a_row, a_col), convtutor::app::colours::kPanel) << "filter " << filter << ", row " << a_row;
        continue;
      }
      const float a_value = weights.At(filter, a_row / (weights.height + 1), a_row % (weights.height + 1), a_col);
      for (int b = 0; b < rows * weights.width; ++b) {
        const int b_row = b / weights.width, b_col = b % weights.width;
        if (b_row % (weights.height + 1) == weights.height) continue;
        const float b_value = weights.At(filter, b_row / (weights.height + 1), b_row % (weights.height + 1), b_col);
        EXPECT_EQ(pixel(a_row, a_col) == pixel(b_row, b_col), a_value == b_value)
            << "filter " << filter << ": weights " << a_value << " and " << b_value;
      }
    }
  }
}

// The real lessons and one sample picture, "tiny" (37×23 RGB), as the App's assets in `root`.
void UseAssetsWithTinySample(const std::filesystem::path& root) {
  std::filesystem::create_directories(root / "samples");
  std::filesystem::copy(std::filesystem::path(CONVTUTOR_SOURCE_DIR) / "lessons", root / "lessons");
  std::filesystem::copy_file(std::filesystem::path(CONVTUTOR_SOURCE_DIR) / "tests/golden/images/rgb-37x23.png",
                             root / "samples" / "tiny.png");
  std::ofstream(root / "samples" / "index.txt") << "tiny\n";
  g_asset_root = root.string();
}

// Where the last frame drew each GPU picture: its textured quad (min x, min y, max x, max y) by texture.
std::map<std::uintptr_t, ImVec4> DrawnPictures() {
  std::map<std::uintptr_t, ImVec4> quads;
  const ImDrawData* draw_data = ImGui::GetDrawData();
  for (int list_index = 0; list_index < draw_data->CmdListsCount; ++list_index) {
    const ImDrawList* list = draw_data->CmdLists[list_index];
    for (const ImDrawCmd& command : list->CmdBuffer) {
      const auto texture = reinterpret_cast<std::uintptr_t>(command.TextureId);
      if (texture == 0 || command.ElemCount == 0) continue;
      ImVec4 quad(1e9f, 1e9f, -1e9f, -1e9f);
      for (unsigned int i = 0; i < command.ElemCount; ++i) {
        const ImVec2 at = list->VtxBuffer[static_cast<int>(list->IdxBuffer[static_cast<int>(command.IdxOffset + i)] + command.VtxOffset)].pos;
        quad = ImVec4(std::min(quad.x, at.x), std::min(quad.y, at.y), std::max(quad.z, at.x), std::max(quad.w, at.y));
      }
      quads[texture] = quad;
    }
  }
  return quads;
}

TEST_F(HeadlessApp, a_depthwise_layers_filters_keep_a_readable_size_beside_a_long_header) {
  // 512 depthwise 3×3 filters: the column's header ("512 × 1 × 3 × 3, filters 0–63 shown") is
  // wider than the fifth of the stage the filters get, which once left them nowhere to fit and
  // drawn at a pixel a cell, one under another.
  g_settings["model_code"] = "Input(512, 28, 28)\nnn.Conv2d(512, 512, 3, padding=1, groups=512)\n";
  App app(AppOptions{"your-model", 0});
  Frame(app);
  ASSERT_EQ(app.State().scene, "layer-1");
  const std::map<std::uintptr_t, ImVec4> quads = DrawnPictures();
  constexpr std::uintptr_t kInputs = 64, kFilters = 64;
  ASSERT_GE(quads.size(), kInputs + kFilters);
  for (std::uintptr_t texture = kInputs + 1; texture <= kInputs + kFilters; ++texture) {
    const ImVec4& quad = quads.at(texture);
    EXPECT_GE(quad.z - quad.x, 3 * 2.0f) << "filter " << texture - kInputs - 1 << ": 3 cells of at least 2 pixels";
  }
}

TEST_F(HeadlessApp, a_photo_under_a_layer_of_many_maps_gets_a_share_of_the_stage_of_its_own) {
  // The photo's 3 channels and 64 maps of 176×176: at one scale for both, each would be a couple
  // of dozen pixels wide; the photo then gets its own share of the width, so it is drawn larger.
  const ScratchFolder scratch;
  UseAssetsWithTinySample(scratch.Path());
  g_settings["model_code"] = "Input(3, 176, 176)\nnn.Conv2d(3, 64, 3, padding=1)\n";
  App app(AppOptions{"your-model", 0});
  for (int frame = 0; frame < 3; ++frame) Frame(app);
  ASSERT_NE(FrameText(app).find("on the photo \"tiny\""), std::string::npos);
  const std::map<std::uintptr_t, ImVec4> quads = DrawnPictures();
  // Drawn in order: the 3 channels, the filters (if pictures), the 64 maps last.
  ASSERT_GE(quads.size(), 3u + 64u);
  const float map_width = quads.rbegin()->second.z - quads.rbegin()->second.x;
  for (std::uintptr_t channel = 1; channel <= 3; ++channel) {
    const ImVec4& quad = quads.at(channel);
    EXPECT_GE(quad.z - quad.x, 2.0f * map_width) << "channel " << channel - 1;
  }
}

// Four convolutions on the tiny sample photo at 64×64, and a link to the last one at step 5: row 4
// reads rows 0–3, 7 M, 151 M and 151 M multiply-adds, more than a frame's share (250 M).
AppOptions LinkToTheFourthOfFourConvolutionsOnThePhoto(const ScratchFolder& scratch) {
  UseAssetsWithTinySample(scratch.Path());
  std::string code = "Input(3, 64, 64)\nnn.Conv2d(3, 64, 3, padding=1)\n";
  for (int layer = 0; layer < 3; ++layer) code += "nn.Conv2d(64, 64, 3, padding=1)\n";
  g_settings["model_code"] = code;
  AppOptions options;
  options.location = "lesson=your-model&step=5&layer=4";
  return options;
}

TEST_F(HeadlessApp, a_deep_layers_rows_before_it_run_on_the_photo_a_frame_at_a_time_then_it_opens_at_the_links_step) {
  // The page opens on the first layer (the photo itself, the Input row), then the link's: its run
  // starts from that Input row's photo and runs rows 1 and 2, the first frame says how far the run
  // is, then runs row 3; the layer then opens on the photo at the step the link asked for.
  const ScratchFolder scratch;
  App app(LinkToTheFourthOfFourConvolutionsOnThePhoto(scratch));
  const AutomationState running = app.State();
  EXPECT_EQ(running.model_rows_needed, 3);
  EXPECT_EQ(running.model_rows_run, 2);
  EXPECT_EQ(running.steps, 0);
  EXPECT_EQ(app.Location(), "lesson=your-model&step=5&layer=4") << "a reload now comes back to the same place";
  const std::string text = FrameText(app);
  EXPECT_NE(text.find("Running the photo through the layers before this one"), std::string::npos);
  EXPECT_NE(text.find("Row 3 of 3 to run: nn.Conv2d(64, 64, 3, padding=1) (line 4)"), std::string::npos)
      << text;
  const AutomationState opened = app.State();
  EXPECT_EQ(opened.model_rows_needed, 0);
  EXPECT_EQ(opened.scene, "layer-4");
  EXPECT_EQ(opened.step, 5);
  EXPECT_EQ(opened.steps, 64 * 64 * 64);
  EXPECT_NE(FrameText(app).find("through the layers before it"), std::string::npos);
  EXPECT_EQ(app.Location(), "lesson=your-model&step=5&layer=4");
  // Its maps are shown whole from the start, faded ahead of the window, as a photo's are: the
  // last map, which the window has not reached, is a picture of many colours, not one.
  ASSERT_FALSE(g_textures.empty());
  const std::vector<std::uint32_t>& last_map = g_textures.rbegin()->second;
  EXPECT_GT(std::set<std::uint32_t>(last_map.begin(), last_map.end()).size(), 10u);
}

TEST_F(HeadlessApp, a_layer_deeper_starts_from_what_the_run_to_the_layer_before_made) {
  // Row 3 needs rows 0–2 (158 M: at once); row 4 then needs only row 3 (151 M), not 309 M again,
  // so it too opens at once. An edit to row 1 (another kernel, the same shapes) starts from the
  // photo again.
  const ScratchFolder scratch;
  AppOptions options = LinkToTheFourthOfFourConvolutionsOnThePhoto(scratch);
  options.location = "lesson=your-model&layer=3";
  App app(options);
  ASSERT_EQ(app.State().scene, "layer-3");
  ASSERT_EQ(app.State().model_rows_needed, 0);
  app.OpenLocation("lesson=your-model&layer=4&step=9");
  EXPECT_EQ(app.State().model_rows_needed, 0) << "row 3 alone is within a frame's share";
  EXPECT_EQ(app.State().scene, "layer-4");
  EXPECT_EQ(app.State().step, 9);
  app.OpenLocation("lesson=your-model&layer=3");
  ASSERT_EQ(app.State().scene, "layer-3");
  app.OpenLocation("lesson=your-model&layer=4");
  EXPECT_EQ(app.State().model_rows_needed, 0) << "back down from row 3's volume again";
}

TEST_F(HeadlessApp, a_run_left_for_another_page_stops_and_starts_again_on_coming_back) {
  const ScratchFolder scratch;
  App app(LinkToTheFourthOfFourConvolutionsOnThePhoto(scratch));
  ASSERT_EQ(app.State().model_rows_run, 2);
  Press(app, kPageUp);
  EXPECT_EQ(app.State().lesson, "sandbox");
  EXPECT_EQ(app.State().model_rows_needed, 0) << "no rows run behind another page";
  EXPECT_EQ(app.Location().find("step=5"), std::string::npos) << "the sandbox's own step, not the layer's";
  Press(app, kPageDown);
  EXPECT_EQ(app.State().lesson, "your-model");
  EXPECT_EQ(app.State().scene, "layer-4");
}

TEST_F(HeadlessApp, a_link_to_a_your_model_row_that_cannot_play_leaves_the_first_layer_on_the_stage) {
  g_settings["model_code"] = "Input(1, 8, 8)\nnn.Conv2d(1, 2, 3)\nnn.Flatten()\n";
  for (const char* layer : {"2", "9", "-1", "x", "99999999"}) {
    AppOptions options;
    options.location = std::string("lesson=your-model&step=3&layer=") + layer;
    App app(options);
    Frame(app);
    EXPECT_EQ(app.State().scene, "layer-1") << layer;
    EXPECT_EQ(app.State().step, 3) << layer;
  }
}

// The tiny sample and a second one, "gray", in the fake's assets folder.
void UseAssetsWithTwoSamples(const std::filesystem::path& root) {
  UseAssetsWithTinySample(root);
  std::filesystem::copy_file(std::filesystem::path(CONVTUTOR_SOURCE_DIR) / "tests/golden/images/gray-29x31.png",
                             root / "samples" / "gray.png");
  std::ofstream(root / "samples" / "index.txt") << "tiny\ngray\n";
}

TEST_F(HeadlessApp, a_link_naming_a_sample_puts_your_model_on_that_photo_and_the_address_keeps_it) {
  const ScratchFolder scratch;
  UseAssetsWithTwoSamples(scratch.Path());
  g_settings["model_code"] = "Input(3, 16, 16)\nnn.Conv2d(3, 2, 3)\n";
  AppOptions first;
  first.location = "lesson=your-model&step=4";
  App default_photo(first);
  EXPECT_NE(FrameText(default_photo).find("on the photo \"tiny\""), std::string::npos) << "the first sample by default";
  EXPECT_EQ(default_photo.Location(), "lesson=your-model&step=4&layer=1");
  AppOptions options;
  options.location = "lesson=your-model&step=4&image=gray";
  App app(options);
  EXPECT_NE(FrameText(app).find("on the photo \"gray\""), std::string::npos);
  EXPECT_EQ(app.State().model_photo, "gray");
  EXPECT_EQ(app.State().lesson, "your-model") << "the sandbox is not opened";
  EXPECT_EQ(app.State().step, 4);
  EXPECT_EQ(app.Location(), "lesson=your-model&step=4&layer=1&image=gray");
  AppOptions unknown;
  unknown.location = "lesson=your-model&image=nothing";
  App unknown_photo(unknown);
  EXPECT_NE(FrameText(unknown_photo).find("There is no sample picture called \"nothing\"."), std::string::npos);
}

TEST_F(HeadlessApp, a_picture_opened_on_your_model_is_the_models_photo_and_the_sandbox_keeps_its_own) {
  const ScratchFolder scratch;
  UseAssetsWithTwoSamples(scratch.Path());
  g_settings["model_code"] = "Input(3, 16, 16)\nnn.Conv2d(3, 2, 3)\n";
  App app(AppOptions{"your-model", 0});
  Frame(app);
  std::ifstream file(std::filesystem::path(CONVTUTOR_SOURCE_DIR) / "tests/golden/images/rgb-33x21.bmp", std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  app.OpenPicture("mine.bmp", bytes);
  EXPECT_EQ(app.State().lesson, "your-model");
  EXPECT_EQ(app.State().model_photo, "mine.bmp");
  EXPECT_NE(FrameText(app).find("on the photo \"mine.bmp\""), std::string::npos);
  EXPECT_EQ(app.Location(), "lesson=your-model&step=0&layer=1") << "a file of the learner's own is not in the address";
  app.OpenPicture("broken.png", {1, 2, 3});
  EXPECT_EQ(app.State().model_photo, "mine.bmp") << "the photo before stays";
  EXPECT_NE(FrameText(app).find("broken.png"), std::string::npos) << "and the reason is on screen";
  Press(app, kPageUp);
  EXPECT_EQ(app.State().lesson, "sandbox");
  EXPECT_FALSE(app.State().has_image) << "the sandbox keeps its generated values";
}

TEST_F(HeadlessApp, a_deep_layers_inputs_filters_and_maps_are_side_by_side_inside_the_window) {
  // 512 input channels (of which the first page of 64 is shown), 64 filters of 512 slices (each
  // filter 2,047 cells tall, a tenth of a pixel a cell), 64 maps: the filters are a pixel or two
  // wide each, and the gaps between them used to be as wide as between large grids, which pushed
  // the maps past the window's right edge; and cells were at least a fifth of a pixel, which made
  // such a filter taller than the stage. On a narrow window (960 wide with the page's fonts, 720
  // with this test's smaller one) the three columns' headers, shapes and pages, were wider together
  // than the stage, and the grids were pushed off it: now the headers are cut short instead.
  g_settings["model_code"] = "Input(512, 14, 14)\nnn.Conv2d(512, 512, 3, padding=1)\n";  // VGG-16's last
  for (const float width : {1280.0f, 720.0f}) {
    SCOPED_TRACE(width);
    ImGui::GetIO().DisplaySize = ImVec2(width, 720.0f);
    g_uploaded_sizes.clear();
    g_textures.clear();
    App app(AppOptions{"your-model", 0});
    Frame(app);
    ASSERT_EQ(app.State().scene, "layer-1");
    constexpr std::uintptr_t kInputs = 64, kFilters = 64, kMaps = 64;
    ASSERT_EQ(g_uploaded_sizes.size(), kInputs + kFilters + kMaps);
    // Textures are numbered in drawing order: inputs, filters, maps.
    std::map<std::uintptr_t, ImVec4> quads = DrawnPictures();
    const ImVec2 window = ImGui::GetIO().DisplaySize;
    float right_of[3] = {-1e9f, -1e9f, -1e9f}, left_of[3] = {1e9f, 1e9f, 1e9f};
    for (std::uintptr_t texture = 1; texture <= kInputs + kFilters + kMaps; ++texture) {
      ASSERT_EQ(quads.count(texture), 1u) << "picture " << texture << " is not drawn";
      const ImVec4& quad = quads[texture];
      EXPECT_GE(quad.x, 0.0f) << "picture " << texture;
      EXPECT_GE(quad.y, 0.0f) << "picture " << texture;
      EXPECT_LE(quad.z, window.x) << "picture " << texture;
      EXPECT_LE(quad.w, window.y) << "picture " << texture;
      const int column = texture <= kInputs ? 0 : texture <= kInputs + kFilters ? 1 : 2;
      left_of[column] = std::min(left_of[column], quad.x);
      right_of[column] = std::max(right_of[column], quad.z);
    }
    EXPECT_LT(right_of[0], left_of[1]) << "the filters are right of the input";
    EXPECT_LT(right_of[1], left_of[2]) << "the maps are right of the filters";
  }
}

TEST_F(HeadlessApp, a_large_windows_magnifier_leaves_the_grids_their_room_inside_the_window) {
  // AlexNet's first layer: 96 filters of 11×11 over a 227-pixel input. Its magnifier's taps at
  // their full 2.7 em made a band 11 taps tall, higher than the stage: the grids got no height,
  // were laid out at a cell a pixel or more and went off the stage.
  g_settings["model_code"] = "Input(3, 227, 227)\nnn.Conv2d(3, 96, 11, stride=4)\n";
  App app(AppOptions{"your-model", 0});
  Frame(app);
  ASSERT_EQ(app.State().scene, "layer-1");
  // Textures in drawing order: the 3 input channels, the first page of 64 filters, 64 maps.
  constexpr std::uintptr_t kPictures = 3 + 64 + 64;
  const std::map<std::uintptr_t, ImVec4> quads = DrawnPictures();
  ASSERT_EQ(quads.size(), kPictures);
  const ImVec2 window = ImGui::GetIO().DisplaySize;
  float lowest = 0.0f;
  for (const auto& [texture, quad] : quads) {
    EXPECT_GE(quad.x, 0.0f) << "picture " << texture;
    EXPECT_GE(quad.y, 0.0f) << "picture " << texture;
    EXPECT_LE(quad.z, window.x) << "picture " << texture;
    lowest = std::max(lowest, quad.w);
  }
  // The magnifier's band (its title, then the taps) comes under every grid, above the window's foot.
  EXPECT_LT(lowest, window.y * 0.6f) << "the grids keep to the top of the stage, the band under them";
}

TEST_F(HeadlessApp, a_link_naming_the_gather_view_a_large_transposed_layer_is_shown_in_does_not_rebuild_it) {
  // 64 channels of 16×16 spread over 32 maps of 32×32: more cells than the scatter draws, so the
  // stage shows the layer gathered, and the locations it writes say view=gather. Opening one used
  // to compute the whole layer again (the view asked for had been the scatter), its pictures too.
  g_settings["model_code"] = "Input(64, 16, 16)\nnn.ConvTranspose2d(64, 32, 4, stride=2, padding=1)\n";
  App app(AppOptions{"your-model", 0});
  Frame(app);
  ASSERT_EQ(app.State().view, "gather");
  const std::size_t uploads = g_uploaded_sizes.size();
  ASSERT_GT(uploads, 0u);
  app.OpenLocation("lesson=your-model&step=5&view=gather");
  Frame(app);
  EXPECT_EQ(app.State().step, 5);
  EXPECT_EQ(g_uploaded_sizes.size(), uploads) << "every picture made afresh: the layer was rebuilt";
  // Asking for the zero-inserted view does rebuild the stage, around the equivalent convolution.
  app.OpenLocation("lesson=your-model&step=5&view=zero_inserted");
  Frame(app);
  EXPECT_EQ(app.State().view, "zero_inserted");
  EXPECT_GT(g_uploaded_sizes.size(), uploads);
}

TEST(grid_page, a_column_of_many_grids_shows_the_page_of_64_holding_the_current_one) {
  const GridPage all = PageHolding(40, 30);
  EXPECT_EQ(all.first, 0);
  EXPECT_EQ(all.count, 40);
  EXPECT_EQ(all.Note("channels"), "");
  const GridPage middle = PageHolding(512, 200);
  EXPECT_EQ(middle.first, 192);
  EXPECT_EQ(middle.count, 64);
  EXPECT_EQ(middle.Note("channels"), ", channels 192\xE2\x80\x93" "255 shown");
  const GridPage none = PageHolding(512, -1);  // no current grid: the first page
  EXPECT_EQ(none.first, 0);
  EXPECT_EQ(none.count, 64);
  const GridPage last = PageHolding(130, 129);  // a short last page
  EXPECT_EQ(last.first, 128);
  EXPECT_EQ(last.count, 2);
  EXPECT_EQ(last.Note("maps"), ", maps 128\xE2\x80\x93" "129 shown");
}

TEST(grid_page, a_grouped_layers_input_page_holds_whole_groups_and_pages_a_large_group_from_its_first_channel) {
  // Two groups of 100 channels: the second group's first page is its channels 100–163, as the
  // equation lists them (it counts from the group's first channel), not 64–127.
  const GridPage second_group = GroupPageHolding(200, 100, 100);
  EXPECT_EQ(second_group.first, 100);
  EXPECT_EQ(second_group.count, 64);
  EXPECT_EQ(second_group.Note("channels"), ", channels 100\xE2\x80\x93" "163 shown");
  const GridPage its_rest = GroupPageHolding(200, 100, 170);  // a channel step on channel 170
  EXPECT_EQ(its_rest.first, 164);
  EXPECT_EQ(its_rest.count, 36);
  // Four groups of 48: a page is one whole group (48–95), not channels 0–63 holding a third of it.
  const GridPage group = GroupPageHolding(192, 48, 48);
  EXPECT_EQ(group.first, 48);
  EXPECT_EQ(group.count, 48);
  // Depthwise (groups of one) and ungrouped layers page as before.
  EXPECT_EQ(GroupPageHolding(512, 1, 200).first, PageHolding(512, 200).first);
  EXPECT_EQ(GroupPageHolding(512, 1, 200).count, 64);
  EXPECT_EQ(GroupPageHolding(512, 512, 200).first, 192);
  EXPECT_EQ(GroupPageHolding(40, 20, 30).count, 40);  // everything fits
}

TEST_F(HeadlessApp, grids_with_readable_cells_draw_no_pictures) {
  App app(AppOptions{"06-channels", 0});
  Frame(app);
  EXPECT_TRUE(g_uploaded_sizes.empty());
}

TEST_F(HeadlessApp, your_model_reads_the_code_the_learner_left) {
  // Two 3×3 filters on one 5×5 channel: 2 maps of 3×3 cells. Row 1 is the convolution.
  g_settings["model_code"] = "Input(1, 5, 5)\nnn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())\n";
  App app(AppOptions{"your-model", 0});
  Frame(app);
  EXPECT_EQ(app.State().scene, "layer-1");
  EXPECT_EQ(app.State().steps, 18);
  EXPECT_NE(FrameText(app).find("(2, 3, 3)"), std::string::npos);  // the table, channels first
}

TEST_F(HeadlessApp, the_learners_code_set_aside_for_an_example_comes_back_after_a_reload) {
  // An example loaded over the learner's code keeps theirs aside, with "Your code" to bring it
  // back; both are stored, so a reload shows the example and still offers their code.
  const std::string mine = "Input(1, 5, 5)\nnn.Conv2d(1, 2, 3)\n";
  g_settings["model_code"] = convtutor::app::ModelCodeToStore(convtutor::app::kKerasExampleModel, mine);
  const convtutor::app::StoredWork stored = convtutor::app::ReadStoredWork();
  EXPECT_EQ(stored.model_code, std::optional<std::string>(convtutor::app::kKerasExampleModel));
  EXPECT_EQ(stored.model_code_set_aside, mine);
  App app(AppOptions{"your-model", 0});
  Frame(app);
  EXPECT_EQ(app.State().model_code, convtutor::app::kKerasExampleModel);
  EXPECT_NE(FrameText(app).find("Your code"), std::string::npos);
  // Without code set aside, nothing more is stored than before.
  EXPECT_EQ(convtutor::app::ModelCodeToStore(mine, ""), "{\"code\":\"Input(1, 5, 5)\\nnn.Conv2d(1, 2, 3)\\n\",\"version\":1}");
}

TEST(model_editor, a_model_put_in_sets_the_learners_own_code_aside_once_and_keeps_it) {
  using convtutor::app::PutInEditor;
  const std::string mine = "Input(1, 5, 5)\nnn.Conv2d(1, 2, 3)\n";
  const std::string lesson_model = "Input(8, 8, 3)\nConv2D(4, (3, 3))\n";
  std::string code = mine, set_aside;
  PutInEditor(lesson_model, false, code, set_aside);  // "Try it in Your model" over the learner's code
  EXPECT_EQ(code, lesson_model);
  EXPECT_EQ(set_aside, mine);
  PutInEditor(convtutor::app::kKerasExampleModel, true, code, set_aside);  // then an example: a lesson's was not theirs
  EXPECT_EQ(code, convtutor::app::kKerasExampleModel);
  EXPECT_EQ(set_aside, mine);
  PutInEditor(convtutor::app::kPyTorchExampleModel, false, code, set_aside);  // example to example
  EXPECT_EQ(set_aside, mine);
  code = "Input(2, 4, 4)\nnn.Conv2d(2, 1, 3)\n";  // the learner edits it: now theirs
  PutInEditor(lesson_model, false, code, set_aside);
  EXPECT_EQ(set_aside, "Input(2, 4, 4)\nnn.Conv2d(2, 1, 3)\n");
}

TEST_F(HeadlessApp, your_model_reads_the_tensorflow_1_example_and_plays_its_first_convolution) {
  // Row 1 reshapes 784 values to 28×28×1; row 2 is tf.nn.conv2d with W [5, 5, 1, 32], SAME: 32 maps
  // of 28×28 cells. The table counts W and b: 5·5·1·32 + 32 = 832.
  g_settings["model_code"] = convtutor::app::kTensorFlow1ExampleModel;
  App app(AppOptions{"your-model", 0});
  Frame(app);
  EXPECT_EQ(app.State().scene, "layer-2");
  EXPECT_EQ(app.State().steps, 32 * 28 * 28);
  EXPECT_NE(FrameText(app).find("832"), std::string::npos);
}

TEST_F(HeadlessApp, your_model_reads_the_resnet_example_and_plays_a_blocks_convolution_by_link) {
  // ResNet-18's layer2[0].conv1 (row 18): 64 → 128 channels, 3×3, stride 2, padding 1 on 32×32:
  // (32 + 2 − 3) / 2 + 1 = 16, so 128·16·16 cells; its weights 3·3·64·128 = 73,728 (no bias).
  g_settings["model_code"] = convtutor::app::kResNetExampleModel;
  AppOptions options;
  options.location = "lesson=your-model&layer=18&step=3";
  App app(options);
  for (int frame = 0; frame < 30 && app.State().scene != "layer-18"; ++frame) Frame(app);
  EXPECT_EQ(app.State().scene, "layer-18");
  EXPECT_EQ(app.State().steps, 128 * 16 * 16);
  EXPECT_EQ(app.State().step, 3);
  const std::string text = FrameText(app);
  EXPECT_NE(text.find("self.layer2[0].conv1 = nn.Conv2d(in_planes, planes"), std::string::npos);
  EXPECT_NE(text.find("73,728"), std::string::npos);
}

// "Your model" with `code` in its editor, opened by a link at summary row `row` on the tiny sample
// photo (in `scratch`, which must outlive the App).
AppOptions YourModelLinkOnTheTinyPhoto(const ScratchFolder& scratch, const char* code, int row) {
  UseAssetsWithTinySample(scratch.Path());
  g_settings["model_code"] = code;
  AppOptions options;
  options.location = "lesson=your-model&layer=" + std::to_string(row);
  return options;
}

TEST_F(HeadlessApp, a_layer_the_photo_cannot_reach_says_which_row_stops_it) {
  // Row 2, a softmax over the channels, is not one the tutor runs: the pooling row after it keeps
  // generated values, and its title says why, naming the row and its line.
  const ScratchFolder scratch;
  App app(YourModelLinkOnTheTinyPhoto(scratch, "Input(8, 8, 3)\nConv2D(2, 3)\nActivation('softmax')\nMaxPooling2D(2)\n", 3));
  FrameUntilLayer(app, 3);
  ASSERT_EQ(app.State().scene, "layer-3");
  const std::string text = FrameText(app);
  EXPECT_NE(text.find("(generated values: the tutor cannot run the photo through row 2 yet, Activation('softmax') (line 3))"),
            std::string::npos)
      << text;
  app.OpenLocation("lesson=your-model&layer=1");
  EXPECT_EQ(FrameText(app).find("generated values:"), std::string::npos) << "the first layer is on the photo itself";
}

TEST_F(HeadlessApp, a_layer_reading_the_same_row_as_the_last_one_opens_on_what_that_run_made) {
  // ResNet-18's layer2[0].conv1 (row 18) and its shortcut's convolution (row 23) both read row 17:
  // after the first, the second needs nothing run, and still opens on the photo's values.
  const ScratchFolder scratch;
  App app(YourModelLinkOnTheTinyPhoto(scratch, convtutor::app::kResNetExampleModel, 18));
  FrameUntilLayer(app, 18);
  ASSERT_EQ(app.State().scene, "layer-18");
  ASSERT_NE(FrameText(app).find("through the layers before it"), std::string::npos);
  app.OpenLocation("lesson=your-model&layer=23");
  FrameUntilLayer(app, 23);
  ASSERT_EQ(app.State().scene, "layer-23");
  EXPECT_NE(FrameText(app).find("through the layers before it"), std::string::npos) << FrameText(app);
}

TEST_F(HeadlessApp, your_model_runs_the_photo_through_the_u_nets_upsampling_and_concatenation_to_its_decoder) {
  // Row 31 (up1.block[0]) reads the concatenation of the upsampled row 28 (32 maps) and the
  // encoder's row 6 (16 maps): 48 channels of 128×128, computed from the photo, not generated.
  const ScratchFolder scratch;
  App app(YourModelLinkOnTheTinyPhoto(scratch, convtutor::app::kUNetExampleModel, 31));
  FrameUntilLayer(app, 31);
  ASSERT_EQ(app.State().scene, "layer-31");
  EXPECT_EQ(app.State().model_rows_needed, 0);
  const std::string text = FrameText(app);
  EXPECT_NE(text.find("on the photo \"tiny\""), std::string::npos) << text;
  EXPECT_NE(text.find("through the layers before it"), std::string::npos) << text;
  EXPECT_NE(text.find("self.up1 = DoubleConv(width * 2 + width, width)"), std::string::npos) << text;
}

TEST_F(HeadlessApp, your_model_says_in_plain_words_why_a_layer_too_large_to_step_is_refused) {
  // The original U-Net's first layer on its 572-pixel tile: 570·570·64 = 20,793,600 output values, over 4,000,000.
  g_settings["model_code"] = "Input(572, 572, 1)\nConv2D(64, 3)\n";
  App app(AppOptions{"your-model", 0});
  Frame(app);
  EXPECT_EQ(app.State().steps, 0);
  const std::string text = FrameText(app);
  EXPECT_NE(text.find("Conv2D on line 2 makes 20,793,600 output values, more than the 4,000,000"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("layer:2"), std::string::npos) << "the card reads as words, not as a field and a line number";
}

TEST_F(HeadlessApp, your_model_names_the_line_it_cannot_follow_and_plays_nothing) {
  // A 9×9 kernel on an 8×8 input, on line 2.
  g_settings["model_code"] = "Input(8, 8, 3)\nConv2D(4, 9)\n";
  App app(AppOptions{"your-model", 0});
  Frame(app);
  EXPECT_EQ(app.State().scene, "");
  EXPECT_EQ(app.State().steps, 0);
  EXPECT_NE(FrameText(app).find("Line 2"), std::string::npos);
}

TEST_F(HeadlessApp, a_broken_lesson_file_leaves_the_others_working) {
  const ScratchFolder scratch;
  const std::filesystem::path& root = scratch.Path();
  std::filesystem::create_directories(root / "lessons");
  // 4×4 input, 3×3 kernel, stride 1: 2×2 output cells, one step each at the cell level.
  std::ofstream(root / "lessons" / "01-good.md") << "# Good\n\nText.\n\n```scene\n"
                                                     "{\"id\": \"s\", \"title\": \"S\", \"op\": \"conv2d\",\n"
                                                     " \"input\": {\"shape\": [1, 4, 4], \"fill\": \"ramp\"},\n"
                                                     " \"weights\": {\"shape\": [1, 1, 3, 3], \"fill\": \"ones\"}}\n"
                                                     "```\n";
  std::ofstream(root / "lessons" / "02-broken.md")
      << "# Broken\n\n```scene\n{\"id\": \"x\", \"op\": \"conv9d\"}\n```\n";
  g_asset_root = root.string();
  App app(AppOptions{});
  Frame(app);
  EXPECT_EQ(app.State().lessons.size(), 4u) << "listed until it is read";
  ReadEveryLesson(app);
  const AutomationState state = app.State();
  ASSERT_EQ(state.lessons.size(), 3u);
  EXPECT_EQ(state.lessons[0], "01-good");
  EXPECT_EQ(state.lessons[1], "sandbox");
  EXPECT_EQ(state.load_errors, 1);  // the broken file, reported to the automation hook
  app.OpenLocation("lesson=01-good&step=0");
  Frame(app);
  EXPECT_EQ(app.State().lesson, "01-good");
  EXPECT_EQ(app.State().steps, 4);
}

TEST_F(HeadlessApp, only_the_lesson_it_opens_on_is_read_before_the_first_frame_then_one_a_frame) {
  const int files = RealLessonFiles();
  App app(AppOptions{"06-channels", 0});
  const AutomationState opening = app.State();
  EXPECT_EQ(opening.lesson, "06-channels");
  EXPECT_EQ(opening.lessons_unread, files - 1);
  EXPECT_EQ(static_cast<int>(opening.lessons.size()), files + 2) << "every file is listed, read or not";
  EXPECT_GT(opening.steps, 0);
  Frame(app);
  EXPECT_EQ(app.State().lessons_unread, files - 1) << "the first frame reads nothing more";
  for (int read = 1; read < files; ++read) {
    Frame(app);
    EXPECT_EQ(app.State().lessons_unread, files - 1 - read);
  }
  EXPECT_EQ(app.State().lessons, opening.lessons);
  EXPECT_EQ(app.State().load_errors, 0);
  EXPECT_EQ(app.State().lesson, "06-channels");
}

TEST_F(HeadlessApp, lessons_left_unread_are_read_while_the_learner_reads_not_while_playing_or_on_a_jump) {
  const int files = RealLessonFiles();
  App app(AppOptions{});
  Frame(app);
  Press(app, kSpace);
  ASSERT_TRUE(app.State().playing);
  for (int frame = 0; frame < 30; ++frame) Frame(app);
  EXPECT_GT(app.State().step, 0);
  EXPECT_EQ(app.State().lessons_unread, files - 1) << "nothing is read while the scene plays";
  Press(app, kSpace);
  ASSERT_FALSE(app.State().playing);
  const int paused = app.State().lessons_unread;
  EXPECT_LT(paused, files - 1) << "reading goes on once playback stops";
  app.OpenLocation("lesson=" + app.State().lesson + "&step=3");
  Frame(app);
  EXPECT_EQ(app.State().step, 3);
  EXPECT_EQ(app.State().lessons_unread, paused) << "the frame that draws a jump reads nothing";
  Frame(app);
  EXPECT_EQ(app.State().lessons_unread, paused - 1) << "the next frame, the stage still, reads one";
  Press(app, kRight);
  EXPECT_EQ(app.State().lessons_unread, paused - 2) << "a step reads nothing in its frame, one in the key's release";
}

TEST_F(HeadlessApp, the_address_it_starts_with_opens_its_lesson_and_is_the_only_one_read) {
  AppOptions options;
  options.location = "lesson=12-transposed-convolution&step=4&view=gather";
  App app(options);
  EXPECT_EQ(app.State().lessons_unread, RealLessonFiles() - 1);
  Frame(app);
  EXPECT_EQ(app.State().lesson, "12-transposed-convolution");
  EXPECT_EQ(app.State().step, 4);
  EXPECT_EQ(app.State().view, "gather");
}

TEST_F(HeadlessApp, a_lesson_not_read_yet_is_read_at_once_when_an_address_or_a_key_opens_it) {
  App app(AppOptions{});
  Frame(app);
  const std::vector<std::string> lessons = app.State().lessons;
  const int unread = app.State().lessons_unread;
  const std::string last = lessons.at(lessons.size() - 3);  // the last lesson, before the sandbox and "Your model"
  app.OpenLocation("lesson=" + last + "&step=2");
  EXPECT_EQ(app.State().lesson, last) << "opened in the same call, not some frames later";
  EXPECT_EQ(app.State().step, 2);
  EXPECT_EQ(app.State().lessons_unread, unread - 1);
  // Lessons are read in the background from the first on: the one after the sixth is still unread
  // when Page Down is pressed on the sixth.
  App sixth(AppOptions{lessons.at(5), 0});
  Press(sixth, kPageDown);
  EXPECT_EQ(sixth.State().lesson, lessons.at(6));
  EXPECT_GT(sixth.State().steps, 0);
}

// Lesson files for the tests of broken lessons: one that reads, one whose scene is not JSON.
constexpr const char* kTextLesson = "# Good\n\nText.\n";
constexpr const char* kBrokenLesson = "# Broken\n\n```scene\n{\"id\": \"x\",}\n```\n";

// Points the fake platform at a lessons folder in `scratch` holding `files` (name, text).
void UseLessonFiles(const ScratchFolder& scratch, const std::map<std::string, std::string>& files) {
  const std::filesystem::path lessons = scratch.Path() / "lessons";
  std::filesystem::create_directories(lessons);
  for (const auto& [name, text] : files) std::ofstream(lessons / name) << text;
  g_asset_root = scratch.Path().string();
}

TEST_F(HeadlessApp, an_address_to_a_broken_lesson_not_read_yet_leaves_the_learner_where_they_were) {
  const ScratchFolder scratch;
  UseLessonFiles(scratch, {{"01-good.md", kTextLesson}, {"02-broken.md", kBrokenLesson}});
  App app(AppOptions{});
  ASSERT_EQ(app.State().lessons_unread, 1);
  app.OpenLocation("lesson=02-broken&step=0");
  const AutomationState state = app.State();
  EXPECT_EQ(state.lesson, "01-good");
  EXPECT_EQ(state.load_errors, 1);
  EXPECT_EQ(state.lessons_unread, 0);
  EXPECT_EQ(state.lessons, (std::vector<std::string>{"01-good", "sandbox", "your-model"}));
}

TEST_F(HeadlessApp, a_broken_first_lesson_gives_way_to_the_next_that_reads) {
  const ScratchFolder scratch;
  UseLessonFiles(scratch, {{"01-broken.md", kBrokenLesson}, {"02-good.md", kTextLesson}});
  App app(AppOptions{});
  Frame(app);
  EXPECT_EQ(app.State().lesson, "02-good");
  EXPECT_EQ(app.State().load_errors, 1);
}

TEST_F(HeadlessApp, without_lessons_the_built_in_scene_and_the_sandbox_remain) {
  const ScratchFolder scratch;
  const std::filesystem::path& root = scratch.Path();
  std::filesystem::create_directories(root / "lessons");
  g_asset_root = root.string();
  App app(AppOptions{});
  Frame(app);
  const AutomationState state = app.State();
  ASSERT_EQ(state.lessons.size(), 3u);
  EXPECT_EQ(state.lessons[0], "intro");
  EXPECT_EQ(state.lessons[1], "sandbox");
  // The built-in scene: 5×5 input, padding 1, 3×3 kernel, stride 2 → 3×3 cells per map, 2 maps,
  // one step per cell at the opening level.
  app.OpenLocation("lesson=intro");
  Frame(app);
  EXPECT_EQ(app.State().level, "cell");
  EXPECT_EQ(app.State().steps, 18);
}

TEST_F(HeadlessApp, the_sandbox_reopens_as_the_learner_left_it) {
  // 2×2 max pooling, stride 2, over one 4×4 channel: 2×2 output cells, one step each.
  SandboxSettings settings;
  settings.op = convtutor::Op::kMaxPool2d;
  settings.input_size[0] = 4;
  settings.input_size[1] = 4;
  settings.channels = 1;
  settings.kernel[0] = 2;
  settings.kernel[1] = 2;
  settings.stride[0] = 2;
  settings.stride[1] = 2;
  settings.padding = convtutor::PaddingMode::kValid;
  convtutor::app::RegenerateValues(settings);
  g_settings["sandbox"] = convtutor::app::SandboxToJson(settings);
  App app(AppOptions{"sandbox", -1});
  Frame(app);
  EXPECT_EQ(app.State().lesson, "sandbox");
  EXPECT_EQ(app.State().level, "cell");
  EXPECT_EQ(app.State().steps, 4);
}

TEST_F(HeadlessApp, an_unreadable_saved_sandbox_gives_the_default_one) {
  g_settings["sandbox"] = "{\"op\": 7";
  App app(AppOptions{"sandbox", -1});
  Frame(app);
  EXPECT_EQ(app.State().lesson, "sandbox");
  EXPECT_GT(app.State().steps, 0);
}

// A 37×23 RGB picture of the test suite's own (tests/golden/make_image_golden.py).
std::vector<std::uint8_t> TestPictureBytes() {
  std::ifstream file(std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden/images/rgb-37x23.png", std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

TEST_F(HeadlessApp, an_opened_picture_goes_on_the_sandbox_stage_under_one_sobel_filter) {
  App app(AppOptions{});
  Frame(app);
  app.OpenPicture("mine.png", TestPictureBytes());
  Frame(app);
  const AutomationState state = app.State();
  EXPECT_EQ(state.lesson, "sandbox");
  ASSERT_TRUE(state.has_image) << state.image_error;
  EXPECT_EQ(state.image_name, "mine.png");
  // Smaller than the stage's 128 pixels: its own size, gray.
  EXPECT_EQ(state.image_width, 37);
  EXPECT_EQ(state.image_height, 23);
  EXPECT_EQ(state.image_channels, 1);
  EXPECT_FALSE(state.image_scaled);
  // One 3×3 filter, no padding: (23 − 2) × (37 − 2) cells, one step each.
  EXPECT_EQ(state.steps, 21 * 35);
  // An opened file cannot be fetched again, so the address does not name it.
  EXPECT_EQ(app.Location().find("image="), std::string::npos);
}

TEST_F(HeadlessApp, a_file_that_is_not_a_picture_is_reported_and_the_picture_before_stays) {
  App app(AppOptions{});
  app.OpenPicture("mine.png", TestPictureBytes());
  Frame(app);
  const std::string text = "not a picture at all";
  app.OpenPicture("notes.txt", std::vector<std::uint8_t>(text.begin(), text.end()));
  Frame(app);
  const AutomationState state = app.State();
  EXPECT_NE(state.image_error.find("notes.txt"), std::string::npos) << state.image_error;
  ASSERT_TRUE(state.has_image);
  EXPECT_EQ(state.image_name, "mine.png");
  EXPECT_EQ(state.steps, 21 * 35);
}

TEST_F(HeadlessApp, a_picture_file_opened_in_the_sandbox_comes_back_after_a_reload_pixel_for_pixel) {
  App app(AppOptions{});
  Frame(app);
  app.OpenPicture("mine.png", TestPictureBytes());
  app.OpenLocation("lesson=sandbox&step=40");
  Frame(app);
  const float before = app.State().partial;
  Frame(app, 1.0);  // the sandbox is stored once its changes settle
  App reloaded(AppOptions{"sandbox", 40});
  Frame(reloaded);
  const AutomationState state = reloaded.State();
  ASSERT_TRUE(state.has_image) << state.image_error;
  EXPECT_EQ(state.image_name, "mine.png");
  EXPECT_EQ(state.image_width, 37);
  EXPECT_EQ(state.image_height, 23);
  EXPECT_EQ(state.steps, 21 * 35);
  EXPECT_EQ(state.step, 40);
  EXPECT_EQ(state.partial, before) << "the same pixels under the same filter";
  EXPECT_TRUE(state.notices.empty());
}

TEST_F(HeadlessApp, the_learners_own_weights_on_a_picture_stay_through_a_reload) {
  App app(AppOptions{});
  Frame(app);
  app.OpenPicture("mine.png", TestPictureBytes());
  Frame(app, 1.0);
  Frame(app, 1.0);
  // The learner's own kernel, as the value editor leaves it: every weight 0.5, no preset.
  nlohmann::json stored = nlohmann::json::parse(g_settings["sandbox"]);
  for (auto& weight : stored["weights"]) weight = 0.5;
  stored["picture"]["preset"] = -1;
  g_settings["sandbox"] = stored.dump();
  App reloaded(AppOptions{"sandbox", 0});
  Frame(reloaded);
  // Step 0 is output cell (0, 0): 0.5 × the sum of the gray picture's top-left 3×3 pixels.
  const std::vector<std::uint8_t> bytes = TestPictureBytes();
  const convtutor::Volume gray =
      convtutor::PictureToVolume(convtutor::DecodePicture(bytes.data(), bytes.size(), "mine.png").value(),
                                 convtutor::PictureMode::kGray, 128).volume;
  double window = 0.0;
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 3; ++x) window += gray.At(0, y, x);
  }
  ASSERT_TRUE(reloaded.State().has_image);
  EXPECT_NEAR(reloaded.State().partial, 0.5 * window, 1e-5);
}

TEST_F(HeadlessApp, your_models_photo_comes_back_after_a_reload_a_sample_generated_values_or_the_learners_file) {
  const ScratchFolder scratch;
  UseAssetsWithTwoSamples(scratch.Path());
  g_settings["model_code"] = "Input(3, 16, 16)\nnn.Conv2d(3, 2, 3)\n";
  AppOptions link;
  link.location = "lesson=your-model&image=gray";
  App chose_a_sample(link);
  Frame(chose_a_sample);
  App after_the_sample(AppOptions{"your-model", 0});
  EXPECT_EQ(after_the_sample.State().model_photo, "gray");
  EXPECT_NE(FrameText(after_the_sample).find("on the photo \"gray\""), std::string::npos);

  std::ifstream file(std::filesystem::path(CONVTUTOR_SOURCE_DIR) / "tests/golden/images/rgb-33x21.bmp", std::ios::binary);
  const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  after_the_sample.OpenPicture("mine.bmp", bytes);
  App after_the_file(AppOptions{"your-model", 0});
  EXPECT_EQ(after_the_file.State().model_photo, "mine.bmp");
  EXPECT_NE(FrameText(after_the_file).find("on the photo \"mine.bmp\""), std::string::npos);
  EXPECT_TRUE(after_the_file.State().notices.empty());

  g_settings["model_photo"] = R"({"version": 1, "name": "", "sample": true})";  // "generated values"
  App after_generated(AppOptions{"your-model", 0});
  EXPECT_EQ(after_generated.State().model_photo, "");
  EXPECT_EQ(FrameText(after_generated).find("on the photo"), std::string::npos);
  g_settings["model_photo"] = R"({"version": 1, "name": "removed-sample", "sample": true})";
  App after_a_removed_sample(AppOptions{"your-model", 0});
  EXPECT_EQ(after_a_removed_sample.State().model_photo, "tiny") << "the first sample instead";
}

TEST_F(HeadlessApp, a_kept_picture_that_does_not_read_is_named_and_the_rest_comes_back) {
  const ScratchFolder scratch;
  UseAssetsWithTwoSamples(scratch.Path());
  SandboxSettings settings;
  convtutor::app::RegenerateValues(settings);
  settings.picture = "mine.png";
  settings.picture_is_sample = false;
  g_settings["sandbox"] = convtutor::app::SandboxToJson(settings);
  g_settings["sandbox_picture"] = R"({"version": 1, "name": "mine.png", "sample": false, "file": "bm90IGEgcGljdHVyZQ=="})";
  g_settings["model_photo"] = R"({"version": 1, "name": "x.png", "sample": false, "file": "**not base64**"})";
  g_settings["model_code"] = "Input(3, 16, 16)\nnn.Conv2d(3, 2, 3)\n";
  App app(AppOptions{"sandbox", 0});
  Frame(app);
  const AutomationState state = app.State();
  EXPECT_FALSE(state.has_image) << "generated values instead";
  EXPECT_GT(state.steps, 0);
  const auto told = [](const AutomationState& shown, const std::string& part) {
    return std::any_of(shown.notices.begin(), shown.notices.end(),
                       [&](const std::string& notice) { return notice.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(told(state, "your model's photo (its file is not readable)")) << "named as the store is read";
  EXPECT_TRUE(told(state, "your picture in the sandbox (its file is not a picture the tutor can read)"))
      << "named as the sandbox opens and decodes it";
  // A file that reads as base64 but is no picture is found out when the model's page needs it.
  g_settings["model_photo"] = R"({"version": 1, "name": "x.png", "sample": false, "file": "bm90IGEgcGljdHVyZQ=="})";
  App model(AppOptions{"your-model", 0});
  Frame(model);
  EXPECT_TRUE(told(model.State(), "your model's photo (its file is not a picture the tutor can read)"));
  EXPECT_EQ(model.State().model_photo, "tiny") << "the first sample instead";
}

TEST_F(HeadlessApp, a_kept_picture_waits_to_be_decoded_until_its_page_opens) {
  App app(AppOptions{});
  Frame(app);
  app.OpenPicture("mine.png", TestPictureBytes());
  Frame(app, 1.0);
  Frame(app, 1.0);
  App on_a_lesson(AppOptions{"01-sliding-window", 0});
  Frame(on_a_lesson);
  EXPECT_FALSE(on_a_lesson.State().has_image) << "a start-up on a lesson does not decode the sandbox's picture";
  on_a_lesson.OpenLocation("lesson=sandbox");
  Frame(on_a_lesson);
  ASSERT_TRUE(on_a_lesson.State().has_image);
  EXPECT_EQ(on_a_lesson.State().image_name, "mine.png");
  EXPECT_EQ(on_a_lesson.State().image_width, 37);
  EXPECT_EQ(on_a_lesson.State().image_height, 23);
}

TEST_F(HeadlessApp, a_picture_too_large_for_the_store_is_not_kept_and_says_so_while_the_rest_is_saved) {
  g_setting_limit = 1000;  // the test picture's copy is a few kilobytes
  App app(AppOptions{});
  Frame(app);
  app.OpenPicture("mine.png", TestPictureBytes());
  Frame(app, 1.0);
  Frame(app, 1.0);
  const AutomationState state = app.State();
  EXPECT_TRUE(state.has_image);
  ASSERT_EQ(state.notices.size(), 1u);
  EXPECT_NE(state.notices[0].find("The picture \"mine.png\" is not kept for your next visit"), std::string::npos)
      << state.notices[0];
  EXPECT_EQ(g_settings["sandbox_picture"], "") << "no copy of an earlier picture is left";
  EXPECT_NE(g_settings["sandbox"].find("mine.png"), std::string::npos) << "the sandbox itself is saved";
}

TEST(kept_picture, a_small_file_is_kept_as_it_is_and_a_large_one_as_a_reduced_png) {
  const std::vector<std::uint8_t> small = TestPictureBytes();
  const convtutor::Picture tiny = convtutor::DecodePicture(small.data(), small.size(), "mine.png").value();
  EXPECT_EQ(convtutor::app::FileToKeep(small, tiny), small);
  // 600 × 400 pixels of noise: a PNG of them is over 512 KB.
  convtutor::Picture noisy{600, 400, {}};
  std::uint32_t state = 12345;
  for (int i = 0; i < 600 * 400 * 3; ++i) {
    state = state * 1664525u + 1013904223u;
    noisy.rgb.push_back(static_cast<std::uint8_t>(state >> 24));
  }
  const std::vector<std::uint8_t> large = convtutor::EncodePng(noisy);
  ASSERT_GT(large.size(), convtutor::app::kKeptPictureFileBytes);
  const std::vector<std::uint8_t> kept = convtutor::app::FileToKeep(large, noisy);
  const convtutor::Result<convtutor::Picture> copy = convtutor::DecodePicture(kept.data(), kept.size(), "copy.png");
  ASSERT_TRUE(copy) << copy.error().ToString();
  // Longest side 512: 600 → 512 and round(400 · 512 / 600) = round(341.3) = 341.
  EXPECT_EQ(copy.value().width, 512);
  EXPECT_EQ(copy.value().height, 341);
}

TEST_F(HeadlessApp, an_address_naming_a_sample_opens_it_and_the_address_keeps_it) {
  const ScratchFolder scratch;
  UseAssetsWithTinySample(scratch.Path());
  App app(AppOptions{});
  Frame(app);
  EXPECT_EQ(app.State().samples, std::vector<std::string>{"tiny"});
  app.OpenLocation("lesson=sandbox&image=tiny");
  Frame(app);
  const AutomationState state = app.State();
  ASSERT_TRUE(state.has_image) << state.image_error;
  EXPECT_EQ(state.image_name, "tiny");
  EXPECT_NE(app.Location().find("&image=tiny"), std::string::npos) << app.Location();
  // The same address again (a hash change to another step) moves the step and keeps the picture.
  app.OpenLocation("lesson=sandbox&step=3&image=tiny");
  Frame(app);
  EXPECT_EQ(app.State().step, 3);
  EXPECT_EQ(app.State().image_error, "");
  EXPECT_TRUE(app.State().has_image);
  // The sandbox remembers the sample (not its pixels) and fetches it again next time.
  Frame(app, 1.0);
  App again(AppOptions{"sandbox", -1});
  Frame(again);
  ASSERT_TRUE(again.State().has_image) << again.State().image_error;
  EXPECT_EQ(again.State().image_name, "tiny");
  EXPECT_EQ(again.State().steps, 21 * 35);
}

TEST_F(HeadlessApp, an_address_naming_an_unknown_sample_says_so) {
  App app(AppOptions{});
  app.OpenLocation("lesson=sandbox&image=nothing-here");
  Frame(app);
  EXPECT_FALSE(app.State().has_image);
  EXPECT_NE(app.State().image_error.find("nothing-here"), std::string::npos);
}

TEST_F(HeadlessApp, a_depthwise_sandbox_gives_each_filter_one_channel_of_its_own) {
  // 3 channels of 6×6 ones, 3 filters of ones in 3 groups, no bias, 'same' padding: 3 maps of 6×6 =
  // 108 cells. Each filter has one 3×3 slice, so an inner cell (row 1, column 1: step 7) sums 9 ones;
  // a filter that saw all three channels would sum 27.
  SandboxSettings settings;
  settings.channels = 3;
  settings.filters = 3;
  settings.groups = 3;
  settings.bias = false;
  settings.fill = convtutor::Fill::kOnes;
  convtutor::app::RegenerateValues(settings);
  ASSERT_EQ(settings.weights.size(), 3u * 1u * 9u);
  g_settings["sandbox"] = convtutor::app::SandboxToJson(settings);
  App app(AppOptions{"sandbox", -1});
  Frame(app);
  EXPECT_EQ(app.State().steps, 108);
  app.OpenLocation("lesson=sandbox&step=7");
  Frame(app);
  EXPECT_EQ(app.State().step, 7);
  EXPECT_FLOAT_EQ(app.State().partial, 9.0f);
}

TEST_F(HeadlessApp, a_transposed_sandbox_plays_as_a_scatter_a_gather_or_the_zero_inserted_convolution) {
  // A 2×2 input of ones, one 3×3 filter of ones, stride 2, no padding, no bias: a 5×5 output where
  // the centre cell (2, 2) is reached by all four copies, so it is 4. The scatter has one step per
  // input cell (4); the gather and the zero-inserted convolution one per output cell (25).
  SandboxSettings settings;
  settings.op = convtutor::Op::kConvTranspose2d;
  settings.input_size[0] = settings.input_size[1] = 2;
  settings.channels = 1;
  settings.filters = 1;
  settings.stride[0] = settings.stride[1] = 2;
  std::fill(std::begin(settings.sides), std::end(settings.sides), 0);
  settings.bias = false;
  settings.activation = convtutor::Activation::kNone;
  settings.fill = convtutor::Fill::kOnes;
  convtutor::app::RegenerateValues(settings);
  std::fill(settings.weights.begin(), settings.weights.end(), 1.0f);
  g_settings["sandbox"] = convtutor::app::SandboxToJson(settings);
  App app(AppOptions{"sandbox", -1});
  Frame(app);
  EXPECT_EQ(app.State().view, "scatter");
  EXPECT_EQ(app.State().steps, 4);
  app.OpenLocation("lesson=sandbox&step=3");
  Frame(app);
  EXPECT_FLOAT_EQ(app.State().partial, 4.0f);  // the last copy starts at (2, 2)
  for (const std::string view : {"gather", "zero_inserted"}) {
    app.OpenLocation("lesson=sandbox&step=12&view=" + view);  // cell (2, 2)
    Frame(app);
    EXPECT_EQ(app.State().view, view);
    EXPECT_EQ(app.State().steps, 25);
    EXPECT_FLOAT_EQ(app.State().partial, 4.0f) << view;
    EXPECT_EQ(app.Location(), "lesson=sandbox&step=12&view=" + view);
  }
  app.OpenLocation("lesson=sandbox&step=0");
  Frame(app);
  EXPECT_EQ(app.State().view, "scatter");
  EXPECT_EQ(app.State().steps, 4);
}

TEST_F(HeadlessApp, a_transposed_layer_too_large_to_draw_as_a_scatter_plays_in_the_gather_view) {
  // 4 channels of 48×48 (9,216 input cells) scattered at stride 2 onto 4 maps of 97×97: far more
  // cells than the scatter draws one by one.
  SandboxSettings settings;
  settings.op = convtutor::Op::kConvTranspose2d;
  settings.input_size[0] = settings.input_size[1] = 48;
  settings.channels = 4;
  settings.filters = 4;
  settings.stride[0] = settings.stride[1] = 2;
  std::fill(std::begin(settings.sides), std::end(settings.sides), 0);
  convtutor::app::RegenerateValues(settings);
  g_settings["sandbox"] = convtutor::app::SandboxToJson(settings);
  App app(AppOptions{"sandbox", -1});
  Frame(app);
  EXPECT_EQ(app.State().view, "gather");
  EXPECT_EQ(app.State().steps, 4 * 97 * 97);
}

TEST(sandbox_store, keeps_a_transposed_convolution_and_its_output_padding) {
  SandboxSettings settings;
  settings.op = convtutor::Op::kConvTranspose2d;
  settings.stride[0] = settings.stride[1] = 2;
  settings.output_padding[0] = 1;
  convtutor::app::RegenerateValues(settings);
  SandboxSettings read;
  ASSERT_TRUE(convtutor::app::SandboxFromJson(convtutor::app::SandboxToJson(settings), &read));
  EXPECT_EQ(read.op, convtutor::Op::kConvTranspose2d);
  EXPECT_EQ(read.output_padding[0], 1);
  const convtutor::Scene scene = convtutor::app::BuildSandboxScene(read);
  EXPECT_EQ(scene.layer.output_padding.rows, 1);
  EXPECT_EQ(scene.layer.padding.mode, convtutor::PaddingMode::kExplicit);
  // 6 rows, stride 2, p 1, kernel 3, output_padding 1: (6 − 1)·2 − 2 + 2 + 1 + 1 = 12.
  const convtutor::Result<convtutor::Geometry> geometry = convtutor::ResolveGeometry(scene);
  ASSERT_TRUE(geometry) << geometry.error().ToString();
  EXPECT_EQ(geometry.value().out_height, 12);
  EXPECT_EQ(geometry.value().out_width, 11);
}

TEST(sandbox_store, keeps_the_groups_and_reads_a_sandbox_stored_before_them_as_one_group) {
  SandboxSettings settings;
  settings.channels = 4;
  settings.filters = 2;
  settings.groups = 2;
  convtutor::app::RegenerateValues(settings);
  SandboxSettings read;
  ASSERT_TRUE(convtutor::app::SandboxFromJson(convtutor::app::SandboxToJson(settings), &read));
  EXPECT_EQ(read.groups, 2);
  EXPECT_EQ(read.weights.size(), 2u * 2u * 9u);
  nlohmann::json older = nlohmann::json::parse(convtutor::app::SandboxToJson(SandboxSettings{}));
  older.erase("groups");
  SandboxSettings old_default;
  convtutor::app::RegenerateValues(old_default);
  older["input"] = old_default.input;
  older["weights"] = old_default.weights;
  older["bias_values"] = old_default.bias_values;
  ASSERT_TRUE(convtutor::app::SandboxFromJson(older.dump(), &read));
  EXPECT_EQ(read.groups, 1);
}

TEST(sandbox_store, keeps_a_sample_picture_by_name_and_not_its_pixels) {
  SandboxSettings settings;
  settings.channels = 1;
  settings.filters = 1;
  settings.input_size[0] = 100;
  settings.input_size[1] = 128;
  settings.picture = "camera";
  settings.picture_is_sample = true;
  settings.picture_mode = convtutor::PictureMode::kRgb;
  settings.picture_side = 128;
  settings.preset = 4;
  convtutor::app::RegenerateValues(settings);
  const std::string text = convtutor::app::SandboxToJson(settings);
  EXPECT_LT(text.size(), 2000u) << "12,800 pixel values are not stored";
  SandboxSettings read;
  ASSERT_TRUE(convtutor::app::SandboxFromJson(text, &read));
  EXPECT_EQ(read.picture, "camera");
  EXPECT_TRUE(read.picture_is_sample);
  EXPECT_EQ(read.picture_mode, convtutor::PictureMode::kRgb);
  EXPECT_EQ(read.picture_side, 128);
  EXPECT_EQ(read.preset, 4);
  EXPECT_EQ(read.weights, settings.weights);
}

TEST(sandbox_store, keeps_every_setting_and_value) {
  SandboxSettings settings;
  settings.op = convtutor::Op::kConv2d;
  settings.channels = 3;
  settings.filters = 1;
  settings.padding = convtutor::PaddingMode::kExplicit;
  settings.sides[2] = 4;
  convtutor::app::RegenerateValues(settings);
  settings.input[5] = 0.25f;  // an edited value survives too
  SandboxSettings read;
  ASSERT_TRUE(convtutor::app::SandboxFromJson(convtutor::app::SandboxToJson(settings), &read));
  EXPECT_EQ(read.channels, 3);
  EXPECT_EQ(read.filters, 1);
  EXPECT_EQ(read.padding, convtutor::PaddingMode::kExplicit);
  EXPECT_EQ(read.sides[2], 4);
  EXPECT_EQ(read.input, settings.input);
  EXPECT_EQ(read.weights, settings.weights);
  EXPECT_EQ(read.bias_values, settings.bias_values);
}

TEST(sandbox_store, refuses_values_that_do_not_fit_the_shapes) {
  SandboxSettings settings;
  convtutor::app::RegenerateValues(settings);
  settings.input.pop_back();
  SandboxSettings read;
  read.channels = 2;
  EXPECT_FALSE(convtutor::app::SandboxFromJson(convtutor::app::SandboxToJson(settings), &read));
  EXPECT_FALSE(convtutor::app::SandboxFromJson("not json", &read));
  EXPECT_EQ(read.channels, 2);  // untouched
}

TEST(sandbox_store, refuses_a_value_beyond_floats_range_which_would_be_stored_again_as_null) {
  // Found by fuzz_stored: 2e79 read as a float is infinite, written back as null, then unreadable.
  SandboxSettings settings;
  convtutor::app::RegenerateValues(settings);
  nlohmann::json stored = nlohmann::json::parse(convtutor::app::SandboxToJson(settings));
  stored["weights"][0] = 2e79;
  SandboxSettings read;
  EXPECT_FALSE(convtutor::app::SandboxFromJson(stored.dump(), &read));
  stored["weights"][0] = 3e38;  // within float's range: kept
  EXPECT_TRUE(convtutor::app::SandboxFromJson(stored.dump(), &read));
}

// A lesson of one scene (5×7 input, 3×3 kernel, stride 2: 2 rows, 3 columns, by hand) asking for its
// rows and its multiply-adds. Not square, so the columns' formula (shown) differs from the rows'
// (hidden). It opens one step per multiply-add, so the step total is the multiply-add count.
constexpr const char* kRowsLesson = R"md(# Rows

```scene
{"id": "jump", "title": "Stride 2", "op": "conv2d",
 "input": {"shape": [1, 5, 7], "fill": "ramp"},
 "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}, "stride": 2, "level": "term"}
```

```exercise
{"id": "rows", "scene": "jump", "ask": "output_height", "question": "How many rows does the output have?"}
```

```exercise
{"id": "work", "scene": "jump", "ask": "multiply_adds", "question": "How many multiply-adds?"}
```
)md";

class HeadlessAppWithRowsLesson : public HeadlessApp {
 protected:
  HeadlessAppWithRowsLesson() {
    const std::filesystem::path& root = scratch_.Path();
    std::filesystem::create_directories(root / "lessons");
    std::ofstream(root / "lessons" / "01-rows.md") << kRowsLesson;
    g_asset_root = root.string();
    convtutor::lessons::ParsedLesson parsed = convtutor::lessons::ParseLesson(kRowsLesson, "01-rows.md");
    EXPECT_TRUE(parsed.errors.empty());
    lesson_ = parsed.lesson;
  }

  const std::string& RowsFormula() const { return lesson_.scenes.at(0).request.geometry.rows.formula; }
  const std::string& ColsFormula() const { return lesson_.scenes.at(0).request.geometry.cols.formula; }

  ScratchFolder scratch_;
  convtutor::lessons::Lesson lesson_;
};

TEST_F(HeadlessAppWithRowsLesson, the_shape_card_hides_the_rows_formula_while_the_exercise_is_open) {
  App app(AppOptions{"01-rows", 0});
  Frame(app);
  const std::string text = FrameText(app);
  ASSERT_EQ(app.State().lesson, "01-rows");
  ASSERT_NE(RowsFormula(), ColsFormula());
  EXPECT_EQ(text.find(RowsFormula()), std::string::npos) << text;
  EXPECT_NE(text.find(ColsFormula()), std::string::npos) << text;  // the columns are not asked
}

TEST_F(HeadlessAppWithRowsLesson, the_shape_card_shows_the_rows_formula_once_the_exercise_is_solved) {
  convtutor::lessons::Progress progress;
  progress.exercises_solved.insert(convtutor::lessons::Progress::ExerciseKey("01-rows", "rows"));
  g_settings["progress"] = progress.ToJson();
  App app(AppOptions{"01-rows", 0});
  Frame(app);
  const std::string text = FrameText(app);
  EXPECT_NE(text.find(RowsFormula()), std::string::npos) << text;
}

TEST_F(HeadlessAppWithRowsLesson, damaged_stored_work_is_reset_part_by_part_and_the_learner_is_told_what) {
  g_settings["progress"] = R"({"version": 1, "exercises_solved": ["01-rows/rows", 42], "lessons_done": {}})";
  g_settings["sandbox"] = "{\"op\": 0, \"input_size\": [";
  g_settings["model_code"] = R"json({"version": 9, "code": "Input(1, 5, 5)"})json";
  App app(AppOptions{"01-rows", 0});
  Frame(app);
  const AutomationState state = app.State();
  ASSERT_FALSE(state.exercises.empty());
  EXPECT_TRUE(state.exercises[0].solved) << "the readable part of the progress is kept";
  EXPECT_EQ(state.model_code.find("Input(1, 5, 5)"), std::string::npos) << "a newer format is not guessed at";
  ASSERT_EQ(state.notices.size(), 1u);
  const std::string& notice = state.notices[0];
  for (const char* part : {"part of your progress (1 entry of exercises_solved)", "part of your progress (lessons_done)",
                           "the sandbox settings (not readable)", "your model code (saved by a newer version of the tutor)"}) {
    EXPECT_NE(notice.find(part), std::string::npos) << notice;
  }
  EXPECT_NE(FrameText(app).find("could not be read and was reset"), std::string::npos) << "the notice is on screen";
}

TEST_F(HeadlessApp, stored_work_in_the_formats_before_versions_reads_without_a_notice) {
  // The sandbox as stored before "version" and "groups": a 4×4 input, one channel, 2×2 kernel.
  nlohmann::json sandbox = nlohmann::json::parse(convtutor::app::SandboxToJson(SandboxSettings{}));
  sandbox.erase("version");
  sandbox.erase("groups");
  sandbox["input_size"] = {4, 4};
  sandbox["channels"] = 1;
  sandbox["filters"] = 1;
  sandbox["kernel"] = {2, 2};
  sandbox["padding"] = static_cast<int>(convtutor::PaddingMode::kValid);
  sandbox["input"] = std::vector<float>(16, 1.0f);
  sandbox["weights"] = std::vector<float>(4, 1.0f);
  sandbox["bias_values"] = std::vector<float>(1, 0.0f);
  g_settings["sandbox"] = sandbox.dump();
  g_settings["model_code"] = "Input(1, 5, 5)\nnn.Sequential(nn.Conv2d(1, 2, 3))\n";  // plain text, as before
  App app(AppOptions{"sandbox", -1});
  Frame(app);
  EXPECT_TRUE(app.State().notices.empty());
  EXPECT_EQ(app.State().steps, 9);  // 3×3 cells of a valid 2×2 kernel on 4×4, by hand
  EXPECT_EQ(app.State().model_code, g_settings["model_code"]);
}

TEST_F(HeadlessApp, a_store_that_refuses_is_told_once_and_the_tutor_keeps_working) {
  App app(AppOptions{});
  Frame(app);
  app.StorageRefused("the browser's storage for this page is full");
  app.StorageRefused("the browser's storage for this page is full");
  Frame(app);
  ASSERT_EQ(app.State().notices.size(), 1u);
  EXPECT_NE(app.State().notices[0].find("storage for this page is full"), std::string::npos);
  Press(app, kRight);
  EXPECT_EQ(app.State().step, 1);
}

TEST_F(HeadlessAppWithRowsLesson, the_shape_card_shows_the_rows_formula_once_the_answer_was_revealed) {
  convtutor::lessons::Progress progress;
  progress.exercises_revealed.insert(convtutor::lessons::Progress::ExerciseKey("01-rows", "rows"));
  g_settings["progress"] = progress.ToJson();
  App app(AppOptions{"01-rows", 0});
  Frame(app);
  const std::string text = FrameText(app);
  EXPECT_NE(text.find(RowsFormula()), std::string::npos) << text;
}

TEST_F(HeadlessAppWithRowsLesson, the_step_total_hides_while_it_is_the_multiply_adds_asked_for) {
  // 2 × 3 output cells × 9 taps = 54, by hand; one step each.
  const std::string total = "of " + std::to_string(lesson_.scenes.at(0).request.geometry.multiply_adds);
  App app(AppOptions{"01-rows", 0});
  Frame(app);
  ASSERT_EQ(app.State().level, "term");
  std::string text = FrameText(app);
  EXPECT_EQ(text.find(total), std::string::npos) << text;
  EXPECT_NE(text.find("step 1 of ?"), std::string::npos) << text;

  convtutor::lessons::Progress progress;
  progress.exercises_solved.insert(convtutor::lessons::Progress::ExerciseKey("01-rows", "work"));
  g_settings["progress"] = progress.ToJson();
  App solved(AppOptions{"01-rows", 0});
  Frame(solved);
  text = FrameText(solved);
  EXPECT_NE(text.find(total), std::string::npos) << text;
}

TEST_F(HeadlessAppWithRowsLesson, the_automation_state_names_the_scene_and_each_exercise) {
  App app(AppOptions{"01-rows", 0});
  Frame(app);
  Frame(app);
  const AutomationState state = app.State();
  EXPECT_EQ(state.scene, "jump");
  EXPECT_EQ(state.load_errors, 0);
  ASSERT_EQ(state.exercises.size(), 2u);
  EXPECT_EQ(state.exercises[0].id, "rows");
  EXPECT_EQ(state.exercises[1].id, "work");
  EXPECT_FALSE(state.exercises[0].solved);
  EXPECT_EQ(state.exercises[0].feedback, "");
  EXPECT_TRUE(state.exercises[0].box_drawn);
  EXPECT_GT(state.exercises[0].box[2], 0.0f);
  // The second card is drawn below the first.
  EXPECT_GT(state.exercises[1].box[1], state.exercises[0].box[1]);
}

TEST_F(HeadlessAppWithRowsLesson, a_solved_exercise_is_reported_solved) {
  convtutor::lessons::Progress progress;
  progress.exercises_solved.insert(convtutor::lessons::Progress::ExerciseKey("01-rows", "work"));
  g_settings["progress"] = progress.ToJson();
  App app(AppOptions{"01-rows", 0});
  Frame(app);
  const AutomationState state = app.State();
  ASSERT_EQ(state.exercises.size(), 2u);
  EXPECT_FALSE(state.exercises[0].solved);
  EXPECT_TRUE(state.exercises[1].solved);
}

TEST_F(HeadlessAppWithRowsLesson, an_address_naming_an_exercise_opens_its_lesson_and_focuses_its_box) {
  App app(AppOptions{});
  app.OpenLocation("lesson=sandbox");
  Frame(app);
  ASSERT_EQ(app.State().lesson, "sandbox");
  EXPECT_EQ(app.State().scene, "sandbox");
  EXPECT_TRUE(app.State().exercises.empty());
  app.OpenLocation("lesson=01-rows&exercise=work");
  // The focus request takes a frame to land and another to show in io.WantTextInput.
  Frame(app);
  Frame(app);
  Frame(app);
  const AutomationState state = app.State();
  EXPECT_EQ(state.lesson, "01-rows");
  ASSERT_EQ(state.exercises.size(), 2u);
  EXPECT_TRUE(state.exercises[1].box_drawn);
  // The link put the cursor in that exercise's answer box.
  EXPECT_TRUE(ImGui::GetIO().WantTextInput);
}

}  // namespace

namespace {

// Two scenes; the exercise asks about the second, so a link to it must put that scene on the stage.
constexpr const char* kTwoScenesLesson = R"md(# Two scenes

```scene
{"id": "first", "title": "First", "op": "conv2d",
 "input": {"shape": [1, 5, 5], "fill": "ramp"}, "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}}
```

```scene
{"id": "second", "title": "Second", "op": "conv2d", "stride": 2,
 "input": {"shape": [1, 7, 7], "fill": "ramp"}, "weights": {"shape": [1, 1, 3, 3], "fill": "ones"}}
```

```exercise
{"id": "second-rows", "scene": "second", "ask": "output_height", "question": "How many rows?"}
```
)md";

TEST_F(HeadlessAppWithRowsLesson, an_address_naming_an_exercise_puts_the_scene_it_asks_about_on_the_stage) {
  std::ofstream(std::filesystem::path(g_asset_root) / "lessons" / "02-two.md") << kTwoScenesLesson;
  App app(AppOptions{"02-two", 0});
  Frame(app);
  ASSERT_EQ(app.State().lesson, "02-two");
  ASSERT_EQ(app.State().scene, "first");
  app.OpenLocation("lesson=02-two&exercise=second-rows");
  Frame(app);
  EXPECT_EQ(app.State().scene, "second");
}

// Lesson 14's first scene: two 3×3 layers; the working under the stage is the core's, r₁ = 3 shown
// and r₂ = 5 hidden while exercise "two-field" asks for it.
TEST_F(HeadlessApp, the_receptive_field_working_hides_the_size_its_exercise_asks_for) {
  const std::string first = "1 + (3 \xE2\x88\x92 1)\xC2\xB7" "1\xC2\xB7" "1 = 3";
  const std::string second = "3 + (3 \xE2\x88\x92 1)\xC2\xB7" "1\xC2\xB7" "1 = 5";
  {
    App app(AppOptions{"14-receptive-field", 12});
    Frame(app);
    const std::string text = FrameText(app);
    ASSERT_EQ(app.State().scene, "two");
    EXPECT_NE(text.find("Receptive field, layer by layer"), std::string::npos) << text;
    EXPECT_NE(text.find(first), std::string::npos) << text;
    EXPECT_EQ(text.find(second), std::string::npos) << text;
  }
  convtutor::lessons::Progress progress;
  progress.exercises_solved.insert(convtutor::lessons::Progress::ExerciseKey("14-receptive-field", "two-field"));
  g_settings["progress"] = progress.ToJson();
  App app(AppOptions{"14-receptive-field", 12});
  Frame(app);
  EXPECT_NE(FrameText(app).find(second), std::string::npos);
}

// The closing lesson's ```progress block lists every lesson and counts what was done in all of them.
TEST_F(HeadlessApp, the_closing_lesson_lists_the_progress_of_every_lesson) {
  ImGui::GetIO().DisplaySize = ImVec2(1600.0f, 30000.0f);  // the whole page in view
  convtutor::lessons::Progress progress;
  progress.exercises_solved.insert(convtutor::lessons::Progress::ExerciseKey("14-receptive-field", "two-field"));
  progress.lessons_done.insert("14-receptive-field");
  g_settings["progress"] = progress.ToJson();
  App app(AppOptions{"19-what-next", 0});
  Frame(app);
  EXPECT_EQ(FrameText(app).find("In all:"), std::string::npos) << "no totals over a course read in part";
  ReadEveryLesson(app);
  const std::string text = FrameText(app);
  const std::size_t lessons = app.State().lessons.size() - 2;  // the sandbox and "Your model" are not lessons
  EXPECT_NE(text.find("In all: 1 of "), std::string::npos) << text;
  EXPECT_NE(text.find(", 1 of " + std::to_string(lessons) + " lessons done."), std::string::npos) << text;
  EXPECT_NE(text.find("Receptive field: how far one cell sees"), std::string::npos) << text;
}

}  // namespace
