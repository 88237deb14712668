// Gathers the core's account of one output cell for the grid and equation panels: nothing here
// computes a convolution; it asks StepAt and WindowTerms and records where the step stands.
#include "cell_work.h"

#include <cmath>
#include <cstring>

#include "convtutor/forward.h"
#include "convtutor/transposed.h"

namespace convtutor::app {

namespace {

float MaxAbs(const std::vector<float>& values) {
  float largest = 0.0f;
  for (float value : values) {
    if (!std::isnan(value) && std::fabs(value) > largest) largest = std::fabs(value);
  }
  return largest;
}

std::int64_t StepsPerCell(const SceneData& data, Level level) {
  const std::int64_t cells = CellCount(data.geometry);
  if (cells <= 0) return 0;
  return StepCount(data.scene, data.geometry, level) / cells;
}

// FNV-1a over the input's size and the bits of its values.
std::uint64_t InputHash(const Volume& input) {
  std::uint64_t hash = 1469598103934665603ull;
  const auto mix = [&hash](std::uint32_t word) { hash = (hash ^ word) * 1099511628211ull; };
  mix(static_cast<std::uint32_t>(input.channels));
  mix(static_cast<std::uint32_t>(input.height));
  mix(static_cast<std::uint32_t>(input.width));
  for (float value : input.values) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    mix(bits);
  }
  return hash;
}

}  // namespace

SceneData MakeSceneData(Scene scene, Geometry geometry) {
  SceneData data;
  data.output = Forward(scene, geometry);
  data.scene = std::move(scene);
  data.geometry = geometry;
  data.input_max_abs = MaxAbs(data.scene.input.values);
  data.input_hash = InputHash(data.scene.input);
  std::vector<float> weights = data.scene.weights.values;
  weights.insert(weights.end(), data.scene.bias.begin(), data.scene.bias.end());
  data.weight_max_abs = MaxAbs(weights);
  data.output_max_abs = MaxAbs(data.output.values);
  return data;
}

bool ReadsOneChannel(const Step& step) { return step.kind == StepKind::kChannel || step.kind == StepKind::kTerm; }

bool PoolingSkipsPadding(const LayerSpec& layer) {
  return IsPooling(layer.op) &&
         !(layer.op == Op::kAvgPool2d && layer.padding.mode != PaddingMode::kSame && layer.count_include_pad);
}

std::int64_t CellCount(const Geometry& geometry) {
  return static_cast<std::int64_t>(geometry.out_channels) * geometry.out_height * geometry.out_width;
}

std::int64_t FirstStepOfCell(const SceneData& data, Level level, std::int64_t cell) {
  // A transposed convolution's cells take different numbers of term steps.
  if (data.scene.layer.op == Op::kConvTranspose2d && level == Level::kTerm) {
    return GatherFirstTermStep(data.geometry, cell);
  }
  return cell * StepsPerCell(data, level);
}

CellWork DescribeCell(const SceneData& data, Level level, std::int64_t step_index) {
  CellWork work;
  work.level = level;
  const Scene& scene = data.scene;
  const Geometry& geometry = data.geometry;
  work.step = StepAt(scene, geometry, level, step_index);
  const Step& step = work.step;
  work.cell = (static_cast<std::int64_t>(step.out_channel) * geometry.out_height + step.out_row) *
                  geometry.out_width + step.out_col;
  work.cell_finished = step_index + 1 == FirstStepOfCell(data, level, work.cell + 1);
  work.terms = WindowTerms(scene, geometry, step.out_channel, step.out_row, step.out_col);

  if (!IsPooling(scene.layer.op)) {
    // The channel-level steps of this cell give the running sum after each channel, the bias
    // and the activation, whatever level the learner is watching.
    for (const Step& part : ChannelSteps(scene, geometry, work.cell)) {
      if (part.kind == StepKind::kChannel) {
        work.channel_sums.push_back(ChannelSum{part.channel, part.partial});
      } else if (part.kind == StepKind::kBias) {
        work.has_bias_step = true;
        work.after_bias = part.partial;
      } else if (part.kind == StepKind::kActivation) {
        work.has_activation_step = true;
        work.after_activation = part.partial;
      }
    }
  }

  const int term_count = static_cast<int>(work.terms.size());
  switch (step.kind) {
    case StepKind::kCell:
      work.terms_done = term_count;
      work.bias_done = true;
      work.activation_done = true;
      break;
    case StepKind::kChannel:
      for (const WindowTerm& term : work.terms) {
        if (term.channel <= step.channel) ++work.terms_done;
      }
      break;
    case StepKind::kTerm:
      for (int i = 0; i < term_count; ++i) {
        const WindowTerm& term = work.terms[static_cast<std::size_t>(i)];
        const bool same_channel = !IsPooling(scene.layer.op) ? term.channel == step.channel : true;
        if (same_channel && term.tap_row == step.tap_row && term.tap_col == step.tap_col) {
          work.current_term = i;
          work.terms_done = i + 1;
          break;
        }
      }
      break;
    case StepKind::kBias:
      work.terms_done = term_count;
      work.bias_done = true;
      break;
    case StepKind::kActivation:
      work.terms_done = term_count;
      work.bias_done = true;
      work.activation_done = true;
      break;
  }
  return work;
}

}  // namespace convtutor::app
