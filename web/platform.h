// The few services the App needs from the platform it runs on, implemented once per platform
// in web/platform.cpp: where assets live and a small key-value store that survives restarts
// (localStorage in the browser, a file in the user's data folder on the desktop), and a way out to
// the learner's web browser for links a lesson makes to other sites.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace convtutor::platform {

// Absolute or relative path of a packaged asset, e.g. AssetPath("lessons") or
// AssetPath("fonts/NotoSans-Regular.ttf").
std::string AssetPath(const std::string& relative);

// Reads a stored value; empty when absent (or when the store cannot be read at all).
std::string ReadSetting(const std::string& key);
// Stores a value whole (another tab or copy of the app writing the same key at the same time
// leaves one of the two values, never a mix). Returns "" when stored, else why not, as a phrase
// for the learner ("the browser's storage for this page is full").
std::string WriteSetting(const std::string& key, const std::string& value);

// Opens a web address in a new browser tab (web) or the system's browser (desktop).
void OpenUrl(const std::string& url);

// Fetches a packaged file that is not part of the start-up download (a sample picture) and hands
// `done` its bytes, or ok = false when it cannot be had. The browser fetches it from the page's
// folder and calls back on a later frame; the desktop reads it before returning.
using AssetDone = std::function<void(bool ok, const std::vector<std::uint8_t>& bytes)>;
void FetchAsset(const std::string& relative, AssetDone done);

// Whether the platform can ask the learner for a file (the browser's file picker). The desktop
// has no dialog: a file dropped on its window, or --image PATH, opens a picture instead.
bool CanPickFiles();
// Opens the file picker; the chosen picture arrives later through App::OpenPicture.
void PickPictureFile();

// A picture held by the GPU: grids whose cells are too small to read draw them through one, a
// single quad instead of tens of thousands of rectangles.
struct GpuImage {
  void* texture = nullptr;  // Dear ImGui's ImTextureID
  int width = 0;
  int height = 0;
};
// Puts width×height colours (Dear ImGui's packed RGBA, row by row) into `image`, creating its
// texture on first use and resizing it when the size changed.
void UploadImage(GpuImage& image, const std::uint32_t* pixels, int width, int height);
// Overwrites rows first_row … first_row + row_count - 1 of an uploaded picture with `pixels`
// (row_count rows of image.width colours).
void UploadImageRows(GpuImage& image, const std::uint32_t* pixels, int first_row, int row_count);
void ReleaseImage(GpuImage& image);

}  // namespace convtutor::platform
