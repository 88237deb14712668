// The step sequence: playback as a pure function of (scene, level, index). StepAt recomputes
// one output cell's work from the index alone, so step 5,000,000 costs what step 0 costs and
// no list of frames ever exists.
#pragma once

#include <cstdint>
#include <vector>

#include "convtutor/geometry.h"
#include "convtutor/scene.h"

namespace convtutor {

enum class Level {
  kCell,     // one step per output cell
  kChannel,  // conv2d: per cell, one step per input channel, then bias, then activation
  kTerm,     // conv2d: per cell, one step per multiply-add (channel, ky, kx), then bias, activation;
             // conv_transpose2d: per cell, one step per multiply-add that contributes (a tap whose
             // input is a real cell, not an inserted zero or padding), then bias, activation; a cell
             // no input reaches and with nothing to finish has one "cell" step;
             // pooling: one step per window tap
};
// Grouped convolutions: a cell's channel and term steps run over its filter's group only.

enum class StepKind { kCell, kChannel, kTerm, kBias, kActivation };

const char* LevelName(Level level);       // "cell", "channel", "term"
const char* StepKindName(StepKind kind);  // "cell", "channel", "term", "bias", "activation"
bool ParseLevel(const char* name, Level* level);

// Cells are ordered by output channel, then row, then column.
struct Step {
  std::int64_t index = 0;
  std::int64_t count = 0;
  StepKind kind = StepKind::kCell;
  int out_channel = 0, out_row = 0, out_col = 0;
  // Input coordinate of the window's top-left tap; negative inside the top/left padding.
  // conv_transpose2d: the coordinate in the zero-inserted input (input cell i at i·stride) of the
  // flipped kernel's first tap, out + p − d·(k − 1); tap (ky, kx) reads origin + (k − 1 − ky)·d.
  int origin_row = 0, origin_col = 0;
  int channel = -1;               // input channel for channel/term steps (pooling: the pooled channel)
  int tap_row = -1, tap_col = -1; // kernel tap for term steps (conv_transpose2d: the weights' own, unflipped)
  // The cell's running value after this step (equals `value` on the cell's last step).
  // Max pooling before any real (non-padded) tap: NaN.
  float partial = 0.0f;
  float value = 0.0f;             // the cell's final output value
};

std::int64_t StepCount(const Scene& scene, const Geometry& geometry, Level level);

// Precondition: 0 <= index < StepCount(scene, geometry, level).
Step StepAt(const Scene& scene, const Geometry& geometry, Level level, std::int64_t index);

// Every channel-level step of output cell `cell` (cells in the order steps visit them) of a conv2d
// or conv_transpose2d scene, equal to StepAt(scene, geometry, Level::kChannel, cell · steps per
// cell + i) for each i, found in two passes over the cell's products instead of one per step.
std::vector<Step> ChannelSteps(const Scene& scene, const Geometry& geometry, std::int64_t cell);

// One multiply-add (conv2d) or one pooling tap under a window, for the equation line and the
// products drawn under the window.
struct WindowTerm {
  int channel = 0;
  int tap_row = 0, tap_col = 0;
  int in_row = 0, in_col = 0;   // input coordinate (may lie in the padding)
  bool padded = false;          // true when (in_row, in_col) is outside the real input
  float input = 0.0f;           // 0 where padded
  float weight = 0.0f;          // conv2d only
  float product = 0.0f;         // conv2d: input·weight; pooling: input
};

// Every term of one output cell, in (channel, ky, kx) order, over the filter's group of channels.
// Pooling: the taps of that channel. conv_transpose2d: only the products that contribute.
std::vector<WindowTerm> WindowTerms(const Scene& scene, const Geometry& geometry, int out_channel,
                                    int out_row, int out_col);

}  // namespace convtutor
