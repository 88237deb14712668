// The model being read, row by row (see model_builder.h).
#include "model/model_builder.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "lesson_text.h"
#include "model/layer_arguments.h"
#include "model/layer_rules.h"

namespace convtutor::lessons::reading {

using std::to_string;

ModelBuilder::ModelBuilder(bool channels_first) : channels_first_(channels_first) {
  summary_.channels_first = channels_first;
}

int ModelBuilder::Append(ModelLayer layer) {
  summary_.total_parameters += layer.parameters;
  summary_.total_multiply_adds += layer.multiply_adds;
  summary_.layers.push_back(std::move(layer));
  return LastRow();
}

Result<int> ModelBuilder::AddInput(const Call& call) {
  LayerArguments arguments(call, {"shape"});
  Result<std::vector<int>> shape = Error{};
  const auto& positional = arguments.positional();
  const bool all_numbers = !positional.empty() && std::all_of(positional.begin(), positional.end(), [](const Argument* a) {
    return a->value.kind == Value::Kind::kNumber;
  });
  if (all_numbers) {
    // Input(300, 300, 3): the sizes written out; torch.randn(1, 3, 32, 32) leads with the batch.
    Value tuple;
    tuple.kind = Value::Kind::kTuple;
    for (const Argument* argument : positional) tuple.items.push_back(argument->value);
    if (channels_first_ && tuple.items.size() == 4) tuple.items.erase(tuple.items.begin());
    shape = arguments.Shape(tuple, call.line);
  } else {
    const Argument* argument = arguments.Find("shape");
    if (argument == nullptr) argument = arguments.Find("input_shape");
    if (argument == nullptr) {
      const Argument* batch = arguments.Find("batch_shape");
      if (batch == nullptr) batch = arguments.Find("batch_input_shape");
      if (batch != nullptr && batch->value.kind == Value::Kind::kTuple && !batch->value.items.empty()) {
        Value without_batch = batch->value;
        without_batch.items.erase(without_batch.items.begin());
        shape = arguments.Shape(without_batch, batch->line);
      } else {
        return Error{"", call.name + ": needs a shape, e.g. Input(shape=(28, 28, 1))", call.line};
      }
    } else {
      Result<bool> checked = all_numbers ? Result<bool>(true)
                                         : arguments.Check({"input_shape", "batch_shape", "batch_input_shape"});
      if (!checked) return checked.error();
      shape = arguments.Shape(argument->value, argument->line);
    }
  }
  if (!shape) return shape.error();
  ModelLayer layer;
  layer.line = call.line;
  layer.source = call.source;
  layer.kind = "Input";
  layer.output_shape = shape.value();
  if (channels_first_ && layer.output_shape.size() == 3) {  // written (C, H, W); worked as (H, W, C)
    const std::vector<int> chw = layer.output_shape;
    layer.output_shape = {chw[1], chw[2], chw[0]};
  }
  return Append(std::move(layer));
}

Result<int> ModelBuilder::AddLayer(const Call& call, const std::string& kind, int input) {
  if (kind == "Input") return AddInput(call);
  if (input < 0) {
    // input_shape=... on the first layer stands for an Input layer.
    Result<int> made = AddInputShapeFrom(call);
    if (!made) return made;
    input = made.value();
  } else {
    for (const Argument& argument : call.arguments) {
      if (argument.keyword == "input_shape") {
        return Error{"", call.name + ": input_shape belongs on the first layer only", argument.line};
      }
    }
  }
  ModelLayer layer;
  layer.line = call.line;
  layer.source = call.source;
  layer.kind = kind;
  layer.inputs = {input};
  layer.input_shape = Row(input).output_shape;
  Result<bool> built = BuildLayer(call, layer, channels_first_);
  if (!built) return built.error();
  Result<bool> counted = CountMultiplyAdds(layer);
  if (!counted) return counted.error();
  return Append(std::move(layer));
}

Result<int> ModelBuilder::AddMerge(const Call& call, const std::string& kind, const std::vector<int>& inputs,
                                   int axis) {
  ModelLayer layer;
  layer.line = call.line;
  layer.source = call.source;
  layer.kind = kind;
  layer.inputs = inputs;
  std::vector<std::vector<int>> shapes;
  for (int input : inputs) shapes.push_back(Row(input).output_shape);
  if (!shapes.empty()) layer.input_shape = shapes[0];
  Result<bool> built = BuildMerge(call.name, layer, shapes, axis, channels_first_);
  if (!built) return built.error();
  return Append(std::move(layer));
}

ModelLayer ModelBuilder::ViewRow(const Call& call, const std::string& kind, int input) {
  ModelLayer layer;
  layer.line = call.line;
  layer.source = call.source;
  layer.kind = kind;
  layer.use_bias = false;
  layer.inputs = {input};
  layer.input_shape = Row(input).output_shape;
  return layer;
}

int ModelBuilder::AddReshape(const Call& call, int input, const std::vector<int>& shape_chw) {
  ModelLayer layer = ViewRow(call, "Reshape", input);
  layer.output_shape = {shape_chw[1], shape_chw[2], shape_chw[0]};
  layer.shape_formula = Grouped(Product(shape_chw)) + " = " + to_string(shape_chw[0]) + kDot +
                        to_string(shape_chw[1]) + kDot + to_string(shape_chw[2]);
  return Append(std::move(layer));
}

int ModelBuilder::AddChannelChunk(const Call& call, int input, int first, int count, int chunks) {
  ModelLayer layer = ViewRow(call, "Chunk", input);
  layer.output_shape = layer.input_shape;
  layer.output_shape[2] = count;  // (H, W, C) inside the builder
  layer.shape_formula = to_string(layer.input_shape[2]) + " channels / " + to_string(chunks) + " = " + to_string(count) +
                        " (channels " + to_string(first) + " to " + to_string(first + count - 1) + ")";
  return Append(std::move(layer));
}

void ModelBuilder::ShareParameters(int row, int owner, const std::string& owner_name) {
  ModelLayer& layer = Row(row);
  const std::int64_t owned = Row(owner).parameters;
  summary_.total_parameters -= layer.parameters;
  layer.parameters = 0;
  layer.shares_parameters_with = owner;
  if (owned > 0) {
    layer.parameters_formula = "0: shares " + owner_name + "'s " + Grouped(owned) + " (counted at its first call)";
  }
}

std::vector<int> ModelBuilder::ShapeOf(int row) const {
  std::vector<int> shape = summary_.layers[static_cast<std::size_t>(row)].output_shape;
  if (channels_first_ && shape.size() == 3) shape = {shape[2], shape[0], shape[1]};
  return shape;
}

Result<ModelSummary> ModelBuilder::Finish(int line) {
  if (summary_.layers.size() < 2) {
    return Error{"", "no layers found: write one layer per call, e.g. Input(28, 28, 1) then Conv2D(32, (3, 3))", line};
  }
  if (channels_first_) {
    // Worked channels-last inside; shown as PyTorch counts: (C, H, W).
    const auto channels_first = [](std::vector<int>& shape) {
      if (shape.size() == 3) shape = {shape[2], shape[0], shape[1]};
    };
    for (ModelLayer& layer : summary_.layers) {
      channels_first(layer.input_shape);
      channels_first(layer.output_shape);
      layer.channels_first = true;
    }
  }
  return std::move(summary_);
}

Result<int> ModelBuilder::AddInputShapeFrom(const Call& call) {
  for (const Argument& argument : call.arguments) {
    if (argument.keyword != "input_shape") continue;
    LayerArguments arguments(call, {});
    Result<std::vector<int>> shape = arguments.Shape(argument.value, argument.line);
    if (!shape) return shape.error();
    ModelLayer layer;
    layer.line = argument.line;
    layer.source = "input_shape=" + Describe(argument.value);
    layer.kind = "Input";
    layer.output_shape = shape.value();
    return Append(std::move(layer));
  }
  if (channels_first_) {
    return Error{"", call.name + ": the stack needs the input's shape first: Input(channels, height, width) or "
                     "torch.randn(1, channels, height, width)", call.line};
  }
  return Error{"", call.name + ": the first layer needs the input's shape: start with Input(height, width, channels) "
                   "or add input_shape=(height, width, channels)", call.line};
}

}  // namespace convtutor::lessons::reading
