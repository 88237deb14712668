// Merges of several rows (Add, Subtract, Multiply, Average, Maximum, Concatenate; PyTorch's +, *,
// torch.add, torch.cat): the output shape, with the arithmetic, or the refusal the framework gives
// when the shapes do not fit. No parameters.
#include <algorithm>
#include <string>
#include <vector>

#include "lesson_text.h"
#include "model/layer_rules.h"

namespace convtutor::lessons::reading {
namespace {

using std::to_string;

// Internal shapes are channels last; the learner reads (C, H, W) in a PyTorch model.
std::vector<int> Shown(const std::vector<int>& shape, bool torch) {
  if (torch && shape.size() == 3) return {shape[2], shape[0], shape[1]};
  return shape;
}

// The internal index of axis `shown_index` of a shape as the learner reads it.
std::size_t InternalAxis(std::size_t shown_index, std::size_t rank, bool torch) {
  if (!torch || rank != 3) return shown_index;
  constexpr std::size_t kFromChannelsFirst[] = {2, 0, 1};
  return kFromChannelsFirst[shown_index];
}

const char* AxisNoun(std::size_t internal_index, std::size_t rank) {
  if (rank != 3) return "values";
  constexpr const char* kNouns[] = {"rows", "columns", "channels"};
  return kNouns[internal_index];
}

std::string Operator(const std::string& kind) {
  if (kind == "Add") return " + ";
  if (kind == "Subtract") return " " + std::string(kMinusSign) + " ";
  if (kind == "Multiply") return std::string(" ") + kTimes + " ";
  return ", ";
}

std::string Framework(bool torch) { return torch ? "PyTorch" : "Keras"; }

Result<bool> Elementwise(const std::string& what, ModelLayer& layer, const std::vector<std::vector<int>>& shapes,
                         bool torch) {
  std::vector<int> out = shapes[0];
  bool equal = true;
  for (std::size_t i = 1; i < shapes.size(); ++i) {
    const std::vector<int>& shape = shapes[i];
    bool fits = shape.size() == out.size();
    for (std::size_t axis = 0; fits && axis < out.size(); ++axis) {
      if (shape[axis] == out[axis]) continue;
      equal = false;
      // Broadcasting: a size of 1 stretches to the other (PyTorch, and Keras's merges).
      if (shape[axis] == 1 || out[axis] == 1) {
        out[axis] = std::max(shape[axis], out[axis]);
      } else {
        fits = false;
      }
    }
    if (!fits) {
      return Error{"", what + ": the shapes " + ShapeText(Shown(shapes[i - 1], torch)) + " and " +
                           ShapeText(Shown(shape, torch)) + " do not match (" + Framework(torch) +
                           " would fail here: every size must be equal, or 1)", layer.line};
    }
  }
  std::string joined;
  for (std::size_t i = 0; i < shapes.size(); ++i) joined += (i ? Operator(layer.kind) : "") + ShapeText(Shown(shapes[i], torch));
  if (layer.kind == "Average") joined = "mean of " + joined;
  if (layer.kind == "Maximum") joined = "max of " + joined;
  layer.output_shape = out;
  layer.shape_formula = joined + " = " + ShapeText(Shown(out, torch)) +
                        (equal ? ": equal shapes, cell by cell" : ": sizes of 1 stretched to match");
  return true;
}

Result<bool> Concatenate(const std::string& what, ModelLayer& layer, const std::vector<std::vector<int>>& shapes,
                         int axis, bool torch) {
  const std::size_t rank = shapes[0].size();
  const int written = axis;
  if (axis < 0) axis += static_cast<int>(rank) + 1;  // batch included: -1 is the last axis
  if (axis < 1 || axis > static_cast<int>(rank)) {
    return Error{"", what + ": axis " + to_string(written) + " is not an axis of " + ShapeText(Shown(shapes[0], torch)) +
                         (axis == 0 ? " (axis 0 is the batch)" : ""), layer.line};
  }
  const std::size_t joined_axis = InternalAxis(static_cast<std::size_t>(axis - 1), rank, torch);
  std::vector<int> out = shapes[0];
  std::string sum = to_string(shapes[0][joined_axis]);
  for (std::size_t i = 1; i < shapes.size(); ++i) {
    const std::vector<int>& shape = shapes[i];
    bool fits = shape.size() == rank;
    for (std::size_t a = 0; fits && a < rank; ++a) fits = a == joined_axis || shape[a] == out[a];
    if (!fits) {
      return Error{"", what + ": the shapes " + ShapeText(Shown(shapes[0], torch)) + " and " +
                           ShapeText(Shown(shape, torch)) + " differ outside the joined axis " + to_string(written) +
                           " (" + Framework(torch) + " would fail here: only the " + AxisNoun(joined_axis, rank) +
                           " may differ)", layer.line};
    }
    out[joined_axis] += shape[joined_axis];
    sum += " + " + to_string(shape[joined_axis]);
  }
  layer.output_shape = out;
  layer.shape_formula = sum + " = " + to_string(out[joined_axis]) + " " + AxisNoun(joined_axis, rank);
  return true;
}

}  // namespace

Result<bool> BuildMerge(const std::string& what, ModelLayer& layer, const std::vector<std::vector<int>>& shapes,
                        int axis, bool torch) {
  // torch.cat([x], 1) of one tensor is that tensor (DenseNet's first layer concatenates a list of one).
  const std::size_t fewest = torch && layer.kind == "Concatenate" ? 1 : 2;
  if (shapes.size() < fewest) {
    return Error{"", what + ": needs at least " + std::string(fewest == 1 ? "one tensor" : "two tensors to combine"), layer.line};
  }
  layer.use_bias = false;
  if (layer.kind == "Concatenate") return Concatenate(what, layer, shapes, axis, torch);
  return Elementwise(what, layer, shapes, torch);
}

}  // namespace convtutor::lessons::reading
