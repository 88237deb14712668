// Receptive fields: which cells one output cell depends on, traced back layer by layer through the
// windows (clipped to each layer's real cells), and the size and jump recurrence that says how big
// that region is, with the numbers of the learner's stack; plus the exercise that asks for it.
#include "convtutor/receptive_field.h"

#include <cstddef>
#include <cstdint>

#include "convtutor/forward.h"
#include "lesson_text.h"

namespace convtutor {
namespace {

std::string Str(int value) { return std::to_string(value); }

// The cells of the level below that the reached cells of `above` read through their windows.
FieldSpan SpanBelow(const FieldSpan& above, const AxisGeometry& axis) {
  FieldSpan below;
  below.reached.assign(static_cast<std::size_t>(axis.input), false);
  for (std::size_t i = 0; i < above.reached.size(); ++i) {
    if (!above.reached[i]) continue;
    const int start = static_cast<int>(i) * axis.stride - axis.pad_before;
    for (int tap = 0; tap < axis.kernel; ++tap) {
      const int cell = start + tap * axis.dilation;
      if (cell >= 0 && cell < axis.input) below.reached[static_cast<std::size_t>(cell)] = true;
    }
  }
  below.first = axis.input;
  for (int cell = 0; cell < axis.input; ++cell) {
    if (!below.reached[static_cast<std::size_t>(cell)]) continue;
    if (below.first > cell) below.first = cell;
    below.last = cell;
  }
  if (below.last < 0) below.first = 0;
  return below;
}

// Both the trace from the chosen cell down and the recurrence from the input up, along one axis.
FieldAxis TraceAxis(const std::vector<const AxisGeometry*>& axes, int chosen) {
  const std::size_t layers = axes.size();
  FieldAxis field;
  field.levels.resize(layers + 1);
  FieldSpan& top = field.levels[layers];
  top.reached.assign(static_cast<std::size_t>(axes.back()->output), false);
  top.reached[static_cast<std::size_t>(chosen)] = true;
  top.first = top.last = chosen;
  for (std::size_t l = layers; l > 0; --l) field.levels[l - 1] = SpanBelow(field.levels[l], *axes[l - 1]);

  field.size = {1};
  field.jump = {1};
  field.size_formula = {""};
  field.jump_formula = {""};
  for (std::size_t l = 1; l <= layers; ++l) {
    const AxisGeometry& axis = *axes[l - 1];
    const int size = field.size[l - 1] + (axis.kernel - 1) * axis.dilation * field.jump[l - 1];
    const int jump = field.jump[l - 1] * axis.stride;
    field.size_formula.push_back(Str(field.size[l - 1]) + " + (" + Str(axis.kernel) + " " + lessons::kMinusSign +
                                 " 1)" + lessons::kDot + Str(axis.dilation) + lessons::kDot + Str(field.jump[l - 1]) +
                                 " = " + Str(size));
    field.jump_formula.push_back(Str(field.jump[l - 1]) + lessons::kDot + Str(axis.stride) + " = " + Str(jump));
    field.size.push_back(size);
    field.jump.push_back(jump);
  }
  return field;
}

}  // namespace

Result<std::vector<Request>> ChainLayers(const Request& first, const nlohmann::json& then) {
  if (!then.is_array()) return Error{"then", "expected a list of layers [{...}, ...]", 0};
  std::vector<Request> stack{first};
  for (std::size_t i = 0; i < then.size(); ++i) {
    const std::string which = "then[" + std::to_string(i) + "]";
    const nlohmann::json& layer = then[i];
    if (!layer.is_object()) return Error{"then", which + ": expected a layer {...}", 0};
    for (const char* taken : {"input", "data_format"}) {
      if (layer.contains(taken)) {
        return Error{"then", which + ": " + taken + ": a later layer reads the layer before's output, channels first", 0};
      }
    }
    const Geometry& before = stack.back().geometry;
    nlohmann::json request = layer;
    request["input"] = {{"shape", {before.out_channels, before.out_height, before.out_width}}, {"fill", "zeros"}};
    Result<Request> parsed = ParseRequest(request);
    if (!parsed) return Error{"then", which + ": " + parsed.error().ToString(), 0};
    parsed.value().scene.input = Forward(stack.back().scene, before);
    stack.push_back(std::move(parsed.value()));
  }
  return stack;
}

Result<ReceptiveField> TraceReceptiveField(const std::vector<const Request*>& stack, int out_row, int out_col) {
  if (stack.empty()) return Error{"then", "a receptive field needs at least one layer", 0};
  std::vector<const AxisGeometry*> rows, cols;
  for (std::size_t l = 0; l < stack.size(); ++l) {
    const Request& layer = *stack[l];
    const std::string which = "layer " + Str(static_cast<int>(l) + 1);
    if (layer.scene.layer.op == Op::kConvTranspose2d) {
      return Error{"op", which + ": the receptive field is traced through conv2d and pooling layers, not conv_transpose2d", 0};
    }
    if (l > 0) {
      const Geometry& before = stack[l - 1]->geometry;
      if (layer.geometry.rows.input != before.out_height || layer.geometry.cols.input != before.out_width) {
        return Error{"then", which + ": its input is " + Str(layer.geometry.rows.input) + lessons::kTimes +
                                 Str(layer.geometry.cols.input) + ", but the layer before gives " +
                                 Str(before.out_height) + lessons::kTimes + Str(before.out_width), 0};
      }
    }
    rows.push_back(&layer.geometry.rows);
    cols.push_back(&layer.geometry.cols);
  }
  const Geometry& last = stack.back()->geometry;
  if (out_row < 0 || out_row >= last.out_height || out_col < 0 || out_col >= last.out_width) {
    return Error{"cell", "the last layer's output has rows 0 to " + Str(last.out_height - 1) + " and columns 0 to " +
                             Str(last.out_width - 1) + ", got [" + Str(out_row) + ", " + Str(out_col) + "]", 0};
  }
  ReceptiveField field;
  field.layers = static_cast<int>(stack.size());
  field.rows = TraceAxis(rows, out_row);
  field.cols = TraceAxis(cols, out_col);
  return field;
}

namespace lessons {
namespace {

// "₁₂": a level's number as a subscript (U+2080 + digit).
std::string Subscript(int number) {
  std::string digits = std::to_string(number), text;
  for (char digit : digits) text += std::string("\xE2\x82") + static_cast<char>(0x80 + (digit - '0'));
  return text;
}

}  // namespace

Result<Exercise> MakeReceptiveFieldExercise(const ExerciseSpec& spec, const std::vector<const Request*>& stack) {
  const int layers = static_cast<int>(stack.size());
  if (layers == 0) return Error{"ask", "\"receptive_field\" needs a scene with \"then\" or \"view\": \"receptive_field\"", 0};
  const int layer = spec.layer <= 0 ? layers : spec.layer;
  if (layer < 1 || layer > layers) {
    return Error{"layer", "the stack has layers 1 to " + std::to_string(layers) + ", got " + std::to_string(spec.layer), 0};
  }
  const Geometry& last = stack.back()->geometry;
  Result<ReceptiveField> traced = TraceReceptiveField(stack, last.out_height / 2, last.out_width / 2);
  if (!traced) return traced.error();
  const FieldAxis& rows = traced.value().rows;
  const std::size_t top = static_cast<std::size_t>(layer);

  Exercise exercise;
  exercise.id = spec.id;
  exercise.question = spec.question;
  exercise.line = spec.line;
  exercise.ask = spec.ask;
  exercise.layer = spec.layer;
  const int answer = rows.size[top];
  exercise.answer = Answer{{static_cast<double>(answer)}, true, Grouped(answer)};
  exercise.step = std::int64_t{last.out_height / 2} * last.out_width + last.out_width / 2;
  exercise.step_level = Level::kCell;
  exercise.explanation = "r" + Subscript(0) + " = 1";
  for (std::size_t l = 1; l <= top; ++l) {
    exercise.explanation += "; r" + Subscript(static_cast<int>(l)) + " = " + rows.size_formula[l];
  }

  // The usual shortcuts, worked with this stack's numbers.
  int kernels = 0, no_jump = 1, no_dilation = 1, last_span = 1;
  for (std::size_t l = 1; l <= top; ++l) {
    const AxisGeometry& axis = stack[l - 1]->geometry.rows;
    kernels += axis.span;
    no_jump += (axis.kernel - 1) * axis.dilation;
    no_dilation += (axis.kernel - 1) * rows.jump[l - 1];
    last_span = axis.span;
  }
  const auto add = [&exercise](int result, const std::string& hint) {
    if (result == exercise.answer.numbers[0]) return;
    for (const Mistake& earlier : exercise.mistakes) {
      if (earlier.result.numbers[0] == result) return;
    }
    exercise.mistakes.push_back(Mistake{Answer{{static_cast<double>(result)}, true, Grouped(result)}, hint});
  };
  add(kernels, "Adding the kernel sizes counts twice the cells that neighbouring windows share: each layer adds "
               "only (k " + std::string(kMinusSign) + " 1)" + kDot + "d" + kDot + "j to what the layer before saw.");
  add(no_jump, "A stride spreads the cells of every later layer apart: after a stride-2 layer, one step in the "
               "next layer is 2 input cells, so its kernel adds (k " + std::string(kMinusSign) + " 1)" + kDot + "d" +
                   kDot + "j with the jump j.");
  add(no_dilation, "A dilated kernel spans (k " + std::string(kMinusSign) + " 1)" + kDot +
                       "d + 1 cells: multiply what it adds by its dilation.");
  add(last_span, "That is what one cell sees of the layer just before it; follow each of those cells back "
                 "through the earlier layers to the input.");
  exercise.fallback_hint = "Start from r" + Subscript(0) + " = 1 and go up one layer at a time: r grows by (k " +
                           kMinusSign + " 1)" + kDot + "d" + kDot + "j, then the jump j is multiplied by the stride.";
  return exercise;
}

}  // namespace lessons
}  // namespace convtutor
