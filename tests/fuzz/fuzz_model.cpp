// Fuzz target for the model-code reader (lessons::SummarizeModel): Keras and PyTorch code of any
// shape must give a summary or an error, and an accepted summary must add up and be a graph in
// running order. A small accepted model is also run on a picture up to its last convolution or
// pooling row (LayerInputFrom: merges, padding, upsampling, activations on the way), which must
// give that row's input size or nothing.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "convtutor/layer_scene.h"
#include "convtutor/model.h"
#include "fuzz_check.h"

namespace {

// Models this small are run (under the sanitizers a run of a million multiply-adds takes a moment).
constexpr std::int64_t kMaxRunMultiplyAdds = 1'000'000;
constexpr std::int64_t kMaxRunValues = 100'000;

std::int64_t Values(const std::vector<int>& shape) {
  std::int64_t count = 1;
  for (int extent : shape) count *= extent;
  return count;
}

void RunOnAPicture(const convtutor::lessons::ModelSummary& summary) {
  using convtutor::fuzz::Check;
  if (summary.total_multiply_adds > kMaxRunMultiplyAdds || summary.layers[0].output_shape.size() != 3) return;
  int last = -1;
  for (std::size_t row = 0; row < summary.layers.size(); ++row) {
    if (Values(summary.layers[row].output_shape) > kMaxRunValues) return;
    if (convtutor::lessons::IsSteppableLayer(summary.layers[row])) last = static_cast<int>(row);
  }
  if (last < 1) return;
  const std::vector<int>& shape = summary.layers[0].output_shape;
  const bool first = summary.channels_first;
  convtutor::Volume picture = convtutor::Volume::Zeros(first ? shape[0] : shape[2], first ? shape[1] : shape[0],
                                                       first ? shape[2] : shape[1]);
  for (std::size_t i = 0; i < picture.values.size(); ++i) picture.values[i] = static_cast<float>(i % 9) / 4.0f - 1.0f;
  const std::optional<convtutor::Volume> made = convtutor::lessons::LayerInputFrom(summary, last, picture);
  if (!made) return;
  const std::vector<int>& in = summary.layers[static_cast<std::size_t>(last)].input_shape;
  Check(in.size() == 3, "a steppable row reads an image");
  const int channels = first ? in[0] : in[2], height = first ? in[1] : in[0], width = first ? in[2] : in[1];
  Check(made->channels == channels && made->height == height && made->width == width,
        "a model run gives the row the size it reads");
  Check(made->values.size() == static_cast<std::size_t>(Values(in)), "a model run's volume holds its values");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using convtutor::fuzz::Check;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const convtutor::Result<convtutor::lessons::ModelSummary> summary = convtutor::lessons::SummarizeModel(text);
  if (!summary) {
    Check(!summary.error().message.empty(), "a refused model says why");
    return 0;
  }
  const std::vector<convtutor::lessons::ModelLayer>& layers = summary.value().layers;
  Check(!layers.empty() && layers[0].kind == "Input", "a summary starts with its Input row");
  std::int64_t parameters = 0;
  for (std::size_t row = 0; row < layers.size(); ++row) {
    const convtutor::lessons::ModelLayer& layer = layers[row];
    for (int extent : layer.output_shape) Check(extent >= 0, "shapes are non-negative");
    // A graph in the order the code runs it: every row reads earlier rows, and only Input rows read none.
    Check(layer.inputs.empty() == (layer.kind == "Input"), "only Input rows read no row");
    for (int input : layer.inputs) Check(input >= 0 && static_cast<std::size_t>(input) < row, "a row reads earlier rows");
    Check(layer.parameters >= 0, "parameter counts are non-negative");
    Check(layer.multiply_adds >= 0, "multiply-add counts are non-negative");
    if (layer.shares_parameters_with >= 0) {
      // A module called again counts its parameters once, on the row it shares them with.
      Check(static_cast<std::size_t>(layer.shares_parameters_with) < row, "a shared module points at an earlier row");
      Check(layer.parameters == 0, "a shared module's second row counts no parameters");
    }
    parameters += layer.parameters;
  }
  Check(parameters == summary.value().total_parameters, "the total is the sum of the rows' own counts");
  RunOnAPicture(summary.value());
  return 0;
}
