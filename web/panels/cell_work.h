// What the panels need to know about the output cell being written at the current step, all
// asked of the core: its terms, the running sum after each input channel, the bias and
// activation steps, and how far through the cell the current step is.
#pragma once

#include <cstdint>
#include <vector>

#include "convtutor/geometry.h"
#include "convtutor/scene.h"
#include "convtutor/steps.h"
#include "convtutor/tensor.h"

namespace convtutor::app {

// Everything computed once per scene (the fast whole-layer path for the finished cells).
struct SceneData {
  Scene scene;
  Geometry geometry;
  Volume output;                // Forward(scene, geometry)
  bool input_is_picture = false; // the input is a photo's pixels / 255: drawn as the photo
  // The output maps are shown whole from the first step, faded where the window has not been
  // yet: a photo's, and a model layer's on what the layers before it made of a photo.
  bool maps_ahead = false;
  std::uint64_t generation = 0;  // differs for every scene the App makes: keys the stage's cached pictures
  std::uint64_t input_hash = 0;  // of the input's size and values: its pictures survive a change of weights
  float input_max_abs = 0.0f;   // the ends of each tensor's colour scale
  float weight_max_abs = 0.0f;
  float output_max_abs = 0.0f;
};

SceneData MakeSceneData(Scene scene, Geometry geometry);

struct ChannelSum {
  int channel = 0;
  float running = 0.0f;  // the cell's running sum after this input channel
};

struct CellWork {
  Step step;                        // the current step at the current level
  Level level = Level::kCell;
  std::int64_t cell = 0;            // index of the output cell, in the order steps visit cells
  std::vector<WindowTerm> terms;    // every term of the cell
  std::vector<ChannelSum> channel_sums;  // conv2d: from the core's channel-level steps
  bool has_bias_step = false;
  float after_bias = 0.0f;
  bool has_activation_step = false;
  float after_activation = 0.0f;
  // Progress through the cell at this step.
  int terms_done = 0;               // terms [0, terms_done) are summed in
  int current_term = -1;            // the term this step adds, or -1
  bool bias_done = false;
  bool activation_done = false;
  bool cell_finished = false;       // this is the cell's last step: its value is final
};

CellWork DescribeCell(const SceneData& data, Level level, std::int64_t step_index);

// The number of output cells, and the first step of `cell` at `level` (every cell takes the
// same number of steps at one level).
std::int64_t CellCount(const Geometry& geometry);
std::int64_t FirstStepOfCell(const SceneData& data, Level level, std::int64_t cell);

// Whether the step reads one input channel (a channel or multiply-add step) rather than the whole
// window: the panels then single that channel out.
bool ReadsOneChannel(const Step& step);

// Whether a pooling window leaves its padded cells out (drawn crossed out, "pad"): max pooling
// always does, average pooling unless PyTorch's count_include_pad counts them as zeros.
bool PoolingSkipsPadding(const LayerSpec& layer);

}  // namespace convtutor::app
