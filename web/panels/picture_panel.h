// The sandbox's picture controls: which photo is the input (a bundled sample, or the learner's
// own file), gray or colour, its size on the stage, a filter to try on it, and that filter's
// 3×3 kernel to edit in place. The panel only asks; the App fetches, decodes and applies.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "convtutor/filters.h"
#include "convtutor/image.h"
#include "sandbox_panel.h"

namespace convtutor::app {

struct PicturePanelView {
  const SandboxSettings* settings = nullptr;
  const std::vector<std::string>* samples = nullptr;  // the bundled pictures' names
  std::string loading;        // a picture being fetched, or ""
  std::string status;         // e.g. "256 × 171, scaled from 451 × 300"
  std::string error;          // the last picture that could not be opened, and why
  bool picker = true;         // the platform can show a file picker (else: drop a file on the window)
};

struct PicturePanelRequest {
  std::optional<std::string> open_sample;  // a sample chosen; "" = back to generated values
  bool pick_file = false;
  std::optional<PictureMode> mode;
  std::optional<int> side;
  std::optional<FilterPreset> preset;
  // The kernel of the first filter, edited in place (the same kernel in every input channel's slice).
  std::optional<std::vector<float>> kernel;
};

PicturePanelRequest DrawPicturePanel(const PicturePanelView& view);

}  // namespace convtutor::app
