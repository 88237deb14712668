// Fuzz target for the model-code reader (lessons::SummarizeModel): Keras and PyTorch code of any
// shape must give a summary or an error, and an accepted summary must add up and be a graph in
// running order.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "convtutor/model.h"
#include "fuzz_check.h"

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
  return 0;
}
