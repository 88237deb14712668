// "Predict, then see": computes an exercise's answer from the scene or model with the core, works
// out what the typical wrong paths (forgot the + 1, floored where 'same' rounds up, forgot the bias,
// ...) would give for these numbers, and matches a learner's answer against both.
#include "convtutor/exercise.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "lesson_text.h"

namespace convtutor::lessons {
namespace {

using std::int64_t;
using std::to_string;

struct AskSpelling {
  Ask ask;
  const char* name;
};
constexpr AskSpelling kAskNames[] = {
    {Ask::kOutputHeight, "output_height"},
    {Ask::kOutputWidth, "output_width"},
    {Ask::kPaddingRows, "padding_rows"},
    {Ask::kPaddingCols, "padding_cols"},
    {Ask::kValue, "value"},
    {Ask::kPartialSum, "partial_sum"},
    {Ask::kParameters, "parameters"},
    {Ask::kFeatureMaps, "feature_maps"},
    {Ask::kMultiplyAdds, "multiply_adds"},
    {Ask::kLayerShape, "layer_shape"},
    {Ask::kLayerParameters, "layer_parameters"},
    {Ask::kModelParameters, "model_parameters"},
    {Ask::kLayerMultiplyAdds, "layer_multiply_adds"},
};

Answer Count(int64_t number) { return Answer{{static_cast<double>(number)}, true, Grouped(number)}; }

Answer Pair(int64_t before, int64_t after) {
  return Answer{{static_cast<double>(before), static_cast<double>(after)},
                true,
                to_string(before) + " before, " + to_string(after) + " after"};
}

Answer ShapeAnswer(const std::vector<int>& shape) {
  Answer answer;
  for (int size : shape) answer.numbers.push_back(size);
  answer.text = ShapeText(shape);
  return answer;
}

Answer ValueAnswer(double value) { return Answer{{value}, false, DecimalText(value)}; }

int64_t FloorDiv(int64_t numerator, int64_t denominator) {
  const int64_t quotient = numerator / denominator;
  return (numerator % denominator != 0 && (numerator < 0) != (denominator < 0)) ? quotient - 1 : quotient;
}
int64_t CeilDiv(int64_t numerator, int64_t denominator) { return -FloorDiv(-numerator, denominator); }

bool SameNumber(double a, double b, bool integral) {
  if (integral) return std::fabs(a - b) < 1e-9;
  // Learners round: two decimals are enough, and large values get a relative margin.
  return std::fabs(a - b) <= std::max(0.005, 1e-3 * std::fabs(b));
}

bool SameAnswer(const std::vector<double>& numbers, const Answer& answer) {
  if (numbers.size() != answer.numbers.size()) return false;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (!SameNumber(numbers[i], answer.numbers[i], answer.integral)) return false;
  }
  return true;
}

// Collects the wrong paths; one that happens to give the right answer (or repeats an earlier
// wrong path) teaches nothing and is left out.
class MistakeList {
 public:
  explicit MistakeList(const Answer& answer) : answer_(answer) {}

  void Add(Answer result, std::string hint) {
    result.integral = answer_.integral;
    if (result.numbers.size() != answer_.numbers.size()) return;
    for (double number : result.numbers) {
      if (std::isnan(number)) return;
    }
    if (SameAnswer(result.numbers, answer_)) return;
    for (const Mistake& earlier : mistakes_) {
      if (SameAnswer(result.numbers, earlier.result)) return;
    }
    mistakes_.push_back(Mistake{std::move(result), std::move(hint)});
  }
  void Add(int64_t count, std::string hint) { Add(Count(count), std::move(hint)); }
  void AddValue(double value, std::string hint) { Add(ValueAnswer(value), std::move(hint)); }

  std::vector<Mistake> Take() { return std::move(mistakes_); }

 private:
  const Answer& answer_;
  std::vector<Mistake> mistakes_;
};

Exercise Start(const ExerciseSpec& spec, Answer answer) {
  Exercise exercise;
  exercise.id = spec.id;
  exercise.question = spec.question;
  exercise.line = spec.line;
  exercise.ask = spec.ask;
  exercise.answer = std::move(answer);
  return exercise;
}

// "1 row", "2 columns".
std::string Cells(int64_t count, const std::string& noun) { return to_string(count) + " " + noun + (count == 1 ? "" : "s"); }

const char* AxisNoun(bool rows) { return rows ? "rows" : "columns"; }

// Output size along one axis: the wrong paths learners take through ⌊(n + p − span) / s⌋ + 1.
void OutputSizeExercise(const AxisGeometry& axis, const AxisGeometry& other, const LayerSpec& layer, bool rows,
                        Exercise& exercise) {
  const int64_t n = axis.input, k = axis.kernel, s = axis.stride, d = axis.dilation, span = axis.span;
  const int64_t before = axis.pad_before, after = axis.pad_after, padded = n + before + after;
  const PaddingMode mode = layer.padding.mode;
  const bool pooling = IsPooling(layer.op);
  const std::string noun = AxisNoun(rows);
  const std::string counts = " counts the jumps between window positions; add 1 for the first position.";
  MistakeList mistakes(exercise.answer);

  if (mode == PaddingMode::kSame) {
    mistakes.Add(n / s, "'same' rounds up, not down: \u2308" + to_string(n) + " / " + to_string(s) +
                            "\u2309, because a last window that hangs into the padding still counts.");
    if (n >= span) {
      mistakes.Add((n - span) / s + 1, "That is the 'valid' size. With padding='same' the padding makes every "
                                       "window fit, so the size depends only on n and the stride: \u2308n / s\u2309.");
    }
    mistakes.Add(n, "'same' keeps the size only at stride 1; with stride " + to_string(s) +
                        " divide by the stride and round up.");
    exercise.fallback_hint = "With padding='same' the output has \u2308n / s\u2309 " + noun + ", here n = " +
                             to_string(n) + " and s = " + to_string(s) + ".";
  } else {
    const int64_t reach = padded - span;
    if (layer.ceil_mode) {
      mistakes.Add(reach / s + 1, "ceil_mode=True rounds the division up: a last window that starts inside the "
                                  "input counts even if it hangs over the edge.");
    } else {
      mistakes.Add(CeilDiv(reach, s) + 1, "Round the division down: a window that would hang over the edge is "
                                          "never taken (the leftover " + noun + " are simply not covered).");
    }
    const int64_t rounded = layer.ceil_mode ? CeilDiv(reach, s) : reach / s;
    const std::string open = layer.ceil_mode ? "\u2308(" : "\u230A(", close = layer.ceil_mode ? "\u2309" : "\u230B";
    mistakes.Add(rounded, "Looks like the + 1 is missing: " + open + to_string(padded) + " " + kMinusSign + " " +
                              to_string(span) + ") / " + to_string(s) + close + counts);
    if (before + after > 0 && n >= span) {
      const std::string slides = "the window slides over n + before + after = " + to_string(padded) +
                                 " cells, not " + to_string(n) + ".";
      mistakes.Add((n - span) / s + 1, mode == PaddingMode::kFull
                                           ? "padding='full' adds span " + std::string(kMinusSign) +
                                                 " 1 cells on each side, so add the padding first: " + slides
                                           : "Add the padding first: " + slides);
    }
    if (before > 0 && after > 0) {
      const std::string both = "Padding goes on both sides: add the " + to_string(before) + " before and the " +
                               to_string(after) + " after.";
      if (n + before >= span) mistakes.Add((n + before - span) / s + 1, both);
      if (n + after >= span) mistakes.Add((n + after - span) / s + 1, both);
    }
    if (before + after == 0) {
      mistakes.Add(CeilDiv(n, s), s == 1 ? "That is the input size: without padding the window must stay inside the "
                                           "input, so the output is smaller."
                                         : "That would be the 'same' size \u2308n / s\u2309; without padding the "
                                           "window must stay inside the input.");
    }
    if (d > 1 && padded >= k) {
      mistakes.Add((padded - k) / s + 1, "Dilation spreads the " + to_string(k) + " taps over (" + to_string(k) +
                                             " " + kMinusSign + " 1)" + kDot + to_string(d) + " + 1 = " +
                                             to_string(span) + " cells: subtract the span, not the kernel size.");
    }
    if (s > 1) {
      mistakes.Add(reach + 1, pooling && s == k
                                  ? "Pooling's stride defaults to its window size: the window jumps " + to_string(s) +
                                        " cells at a time, so divide by " + to_string(s) + "."
                                  : "Divide by the stride: the window jumps " + to_string(s) + " cells at a time.");
    }
    exercise.fallback_hint = "Work through \u230A(n + before + after " + std::string(kMinusSign) +
                             " span) / s\u230B + 1 with n = " + to_string(n) + ", padding " + to_string(before) +
                             " + " + to_string(after) + ", span " + to_string(span) + ", stride " + to_string(s) +
                             (layer.ceil_mode ? " (ceil_mode: round up)" : "") + ".";
  }
  mistakes.Add(other.output, std::string("That is the number of ") + AxisNoun(!rows) + "; the " + noun +
                                 " come from the input's " + noun + ".");
  exercise.mistakes = mistakes.Take();
  exercise.explanation = axis.formula + " (" + axis.explanation + ")";
}

void PaddingExercise(const AxisGeometry& axis, const LayerSpec& layer, bool rows, Exercise& exercise) {
  const int64_t n = axis.input, s = axis.stride, span = axis.span;
  const int64_t before = axis.pad_before, after = axis.pad_after, total = before + after;
  const std::string sides = rows ? "top and bottom" : "left and right";
  MistakeList mistakes(exercise.answer);
  if (layer.padding.mode == PaddingMode::kSame) {
    mistakes.Add(Pair(after, before), "TensorFlow and Keras put the odd extra cell after (" +
                                          std::string(rows ? "bottom" : "right") + "), not before.");
    mistakes.Add(Pair(CeilDiv(total, 2), CeilDiv(total, 2)),
                 "An odd total cannot split evenly: \u230Atotal / 2\u230B before, the rest after.");
    const int64_t naive = span - 1;
    mistakes.Add(Pair(naive / 2, naive - naive / 2),
                 "With stride " + to_string(s) + ", 'same' pads only what the last window needs: total = max((out " +
                     kMinusSign + " 1)" + kDot + "s + span " + kMinusSign + " n, 0).");
    exercise.fallback_hint = "'same' first fixes the output at \u2308n / s\u2309, then pads just enough: total = (out " +
                             std::string(kMinusSign) + " 1)" + kDot + "s + span " + kMinusSign + " n, with n = " +
                             to_string(n) + ", s = " + to_string(s) + ", span = " + to_string(span) + ".";
  } else if (layer.padding.mode == PaddingMode::kValid) {
    mistakes.Add(Pair((span - 1) / 2, (span - 1) / 2), "'valid' means no padding at all: the window stays inside the input.");
    exercise.fallback_hint = "'valid' means no padding at all.";
  } else if (layer.padding.mode == PaddingMode::kFull) {
    mistakes.Add(Pair(axis.kernel - 1, axis.kernel - 1), "With dilation, full padding is span " +
                                                             std::string(kMinusSign) + " 1 = (k " + kMinusSign +
                                                             " 1)" + kDot + "d on each side.");
    exercise.fallback_hint = "'full' pads span " + std::string(kMinusSign) + " 1 cells on each side, so every "
                             "window that touches the input at all is taken.";
  } else {
    mistakes.Add(Pair(after, before), "The first number is the padding before (" +
                                          std::string(rows ? "top" : "left") + "), the second after.");
    exercise.fallback_hint = "Read the padding from the request: a single number pads every side; [top, bottom, "
                             "left, right] lists each side.";
  }
  if (total > 0) {
    const std::string split = "Padding is split between " + sides + ", not put on one side.";
    mistakes.Add(Pair(0, total), split);
    mistakes.Add(Pair(total, 0), split);
    mistakes.Add(Pair(total, total), "That is the total on each side; split the total between " + sides + ".");
  }
  exercise.mistakes = mistakes.Take();
  exercise.explanation = axis.explanation;
  exercise.step = 0;
}

// Σ input · weight for filter `filter` with the window's top-left tap at (top, left) of the input;
// taps outside the input read 0, as padding does.
double WindowSum(const Scene& scene, int filter, int64_t top, int64_t left) {
  const FilterBank& weights = scene.weights;
  const Volume& input = scene.input;
  const int64_t dilation_rows = scene.layer.dilation.rows, dilation_cols = scene.layer.dilation.cols;
  double sum = 0.0;
  for (int channel = 0; channel < weights.channels; ++channel) {
    for (int ky = 0; ky < weights.height; ++ky) {
      for (int kx = 0; kx < weights.width; ++kx) {
        const int64_t y = top + ky * dilation_rows, x = left + kx * dilation_cols;
        if (y < 0 || x < 0 || y >= input.height || x >= input.width) continue;
        sum += static_cast<double>(input.At(channel, static_cast<int>(y), static_cast<int>(x))) *
               weights.At(filter, channel, ky, kx);
      }
    }
  }
  return sum;
}

std::string ActivationWord(const LayerSpec& layer) {
  return layer.activation == Activation::kRelu ? "ReLU" : "the activation";
}

Result<Exercise> ValueExercise(const ExerciseSpec& spec, const Request& request) {
  const Scene& scene = request.scene;
  const Geometry& geometry = request.geometry;
  if (spec.channel < 0 || spec.channel >= geometry.out_channels) {
    return Error{"channel", "the output has channels 0 to " + to_string(geometry.out_channels - 1) + ", got " +
                                to_string(spec.channel), 0};
  }
  if (spec.cell_row < 0 || spec.cell_row >= geometry.out_height || spec.cell_col < 0 ||
      spec.cell_col >= geometry.out_width) {
    return Error{"cell", "the output is " + to_string(geometry.out_height) + kTimes + to_string(geometry.out_width) +
                             " (rows and columns counted from 0), got [" + to_string(spec.cell_row) + ", " +
                             to_string(spec.cell_col) + "]", 0};
  }
  const int64_t cell = (int64_t{spec.channel} * geometry.out_height + spec.cell_row) * geometry.out_width + spec.cell_col;
  const Step step = StepAt(scene, geometry, Level::kCell, cell);
  if (std::isnan(step.value)) return Error{"cell", "this cell's window sees only padding; its value is undefined", 0};
  Exercise exercise = Start(spec, ValueAnswer(step.value));
  exercise.step = cell;
  exercise.step_level = Level::kCell;
  MistakeList mistakes(exercise.answer);
  const std::vector<WindowTerm> terms = WindowTerms(scene, geometry, spec.channel, spec.cell_row, spec.cell_col);
  const LayerSpec& layer = scene.layer;
  if (!IsPooling(layer.op)) {
    const bool relu = layer.activation == Activation::kRelu;
    const auto activate = [relu](double value) { return relu ? std::max(value, 0.0) : value; };
    const double bias = scene.bias.empty() ? 0.0 : scene.bias[static_cast<std::size_t>(spec.channel)];
    double sum = 0.0, first_channel = 0.0, flipped = 0.0;
    for (const WindowTerm& term : terms) {
      sum += term.product;
      if (term.channel == 0) first_channel += term.product;
      // The same input under the weight mirrored in both directions: true convolution.
      const int mirror_row = scene.weights.height - 1 - term.tap_row;
      const int mirror_col = scene.weights.width - 1 - term.tap_col;
      flipped += static_cast<double>(term.input) * scene.weights.At(spec.channel, term.channel, mirror_row, mirror_col);
    }
    mistakes.AddValue(activate(sum), "Add the filter's bias (" + DecimalText(bias) + ") after summing the products.");
    if (relu) mistakes.AddValue(sum + bias, "Apply " + ActivationWord(layer) + " last: a negative sum becomes 0.");
    if (scene.input.channels > 1) {
      mistakes.AddValue(activate(first_channel + bias),
                        "A filter covers every input channel: add the products of all " +
                            to_string(scene.input.channels) + " channels, not just the first.");
    }
    mistakes.AddValue(activate(flipped + bias), "Convolution layers do not flip the kernel: multiply each input by "
                                                "the weight in the same position of the window.");
    // The window in the wrong place: where a learner who forgot the stride or the padding puts it.
    const AxisGeometry& rows = geometry.rows;
    const AxisGeometry& cols = geometry.cols;
    const auto window_at = [&](int64_t top, int64_t left) {
      return activate(WindowSum(scene, spec.channel, top, left) + bias);
    };
    const int64_t top = int64_t{spec.cell_row} * rows.stride - rows.pad_before;
    const int64_t left = int64_t{spec.cell_col} * cols.stride - cols.pad_before;
    if (rows.stride > 1 || cols.stride > 1) {
      mistakes.AddValue(window_at(spec.cell_row - rows.pad_before, spec.cell_col - cols.pad_before),
                        "Place the window with the stride: output row r starts at input row r" + std::string(kDot) +
                            "s " + kMinusSign + " the top padding, so it jumps s cells per output step.");
    }
    if (rows.pad_before > 0 || cols.pad_before > 0) {
      mistakes.AddValue(window_at(top + rows.pad_before, left + cols.pad_before),
                        "Padding shifts the window: it starts " + Cells(rows.pad_before, "row") + " up and " +
                            Cells(cols.pad_before, "column") + " left, over padded zeros.");
    }
    exercise.fallback_hint = "Multiply each input under the window by the weight over it, add all products (every "
                             "channel), add the bias" + std::string(relu ? ", then apply ReLU." : ".") +
                             " Padded cells count as 0.";
    exercise.explanation = "the sum of " + to_string(terms.size()) + " products" +
                           (scene.bias.empty() ? "" : " plus the bias") + (relu ? ", then ReLU" : "") + " = " +
                           exercise.answer.text;
  } else {
    double real_max = -INFINITY, sum = 0.0, with_padding_max = -INFINITY;
    int real = 0;
    for (const WindowTerm& term : terms) {
      with_padding_max = std::max(with_padding_max, static_cast<double>(term.input));
      if (term.padded) continue;
      real_max = std::max(real_max, static_cast<double>(term.input));
      sum += term.input;
      ++real;
    }
    const double taps = static_cast<double>(terms.size());
    if (layer.op == Op::kMaxPool2d) {
      mistakes.AddValue(with_padding_max, "Max pooling ignores padding: padded cells are not zeros.");
      mistakes.AddValue(sum / std::max(real, 1), "Max pooling takes the largest value, not the average.");
      exercise.fallback_hint = "Take the largest real value under the window; padded cells do not take part.";
      exercise.explanation = (real == 1 ? std::string("the only real value under the window")
                                        : "the largest of the " + to_string(real) + " real values under the window") +
                             " = " + exercise.answer.text;
    } else {
      mistakes.AddValue(sum / taps, "Check the divisor: here padded cells are not counted, so divide by the " +
                                        to_string(real) + " real cells.");
      mistakes.AddValue(sum / std::max(real, 1), "Check the divisor: here padded cells count (as zeros), so divide "
                                                 "by all " + to_string(terms.size()) + " window cells.");
      mistakes.AddValue(sum, "Average pooling divides the sum by the number of cells.");
      mistakes.AddValue(real_max, "Average pooling averages; it does not take the largest value.");
      exercise.fallback_hint = "Add the values under the window and divide by the number of cells that count.";
      exercise.explanation = "the window's sum divided by its cell count = " + exercise.answer.text;
    }
  }
  exercise.mistakes = mistakes.Take();
  return exercise;
}

Result<Exercise> PartialSumExercise(const ExerciseSpec& spec, const Request& request) {
  const Scene& scene = request.scene;
  const Geometry& geometry = request.geometry;
  const int64_t steps = StepCount(scene, geometry, spec.level);
  if (spec.step < 0 || spec.step >= steps) {
    return Error{"step", "the scene has " + to_string(steps) + " steps at level \"" + LevelName(spec.level) +
                             "\" (0 to " + to_string(steps - 1) + "), got " + to_string(spec.step), 0};
  }
  const Step step = StepAt(scene, geometry, spec.level, spec.step);
  if (std::isnan(step.partial)) {
    return Error{"step", "at this step the window has seen only padding, so the running maximum is undefined; ask "
                         "about a later step", 0};
  }
  Exercise exercise = Start(spec, ValueAnswer(step.partial));
  exercise.step = spec.step;
  exercise.step_level = spec.level;
  MistakeList mistakes(exercise.answer);
  const auto same_cell = [&](const Step& other) {
    return other.out_channel == step.out_channel && other.out_row == step.out_row && other.out_col == step.out_col;
  };
  if (spec.step > 0) {
    const Step previous = StepAt(scene, geometry, spec.level, spec.step - 1);
    if (same_cell(previous)) {
      mistakes.AddValue(previous.partial, "That is the value one step earlier: the running value after step " +
                                              to_string(spec.step) + " includes that step's own work.");
    }
  }
  if (spec.step + 1 < steps) {
    const Step next = StepAt(scene, geometry, spec.level, spec.step + 1);
    if (same_cell(next)) {
      mistakes.AddValue(next.partial, "That includes the next step too; stop after step " + to_string(spec.step) + ".");
    }
  }
  mistakes.AddValue(step.value, "That is the cell's final value; the question asks for the running value after "
                                "step " + to_string(spec.step) + " only.");
  if (step.kind == StepKind::kTerm && !IsPooling(scene.layer.op)) {
    for (const WindowTerm& term : WindowTerms(scene, geometry, step.out_channel, step.out_row, step.out_col)) {
      if (term.channel == step.channel && term.tap_row == step.tap_row && term.tap_col == step.tap_col) {
        mistakes.AddValue(term.product, "That is only this step's product; add it to the running sum so far.");
      }
    }
  }
  exercise.mistakes = mistakes.Take();
  exercise.fallback_hint = "Follow the cell's work step by step from its first step; steps are counted from 0.";
  exercise.explanation = std::string("after step ") + to_string(spec.step) + " (" + StepKindName(step.kind) +
                         ") the running value is " + exercise.answer.text;
  return exercise;
}

void ParametersExercise(const Scene& scene, const Geometry& geometry, Exercise& exercise) {
  MistakeList mistakes(exercise.answer);
  if (IsPooling(scene.layer.op)) {
    mistakes.Add(int64_t{scene.layer.kernel.rows} * scene.layer.kernel.cols,
                 "Pooling learns nothing: the window only takes a max or an average, so there are no weights.");
    exercise.fallback_hint = "Pooling has no weights and no bias.";
    exercise.explanation = "pooling has no parameters";
  } else {
    const int64_t filters = scene.weights.filters, channels = scene.weights.channels;
    const int64_t taps = int64_t{scene.weights.height} * scene.weights.width;
    const bool has_bias = !scene.bias.empty();
    const int64_t bias = has_bias ? 1 : 0;
    if (has_bias) {
      mistakes.Add(filters * channels * taps, "Each filter also has one bias: add " + Grouped(filters) + ".");
    } else {
      mistakes.Add(filters * (channels * taps + 1), "This layer has no bias, so count only the weights.");
    }
    mistakes.Add(filters * (taps + bias), "Each filter spans all " + to_string(channels) + " input channels: " +
                                              "kh" + kDot + "kw" + kDot + "C weights per filter.");
    mistakes.Add(channels * taps + bias, "Multiply by the number of filters (" + to_string(filters) +
                                             "): each has its own weights" + (has_bias ? " and bias." : "."));
    if (has_bias) {
      mistakes.Add(filters * channels * taps + 1, "There is one bias per filter, not one for the whole layer.");
      mistakes.Add(2 * filters * channels * taps, "There is one bias per filter, not one per weight.");
    }
    exercise.fallback_hint = std::string("Count per filter: kh") + kDot + "kw" + kDot + "C weights" +
                             (has_bias ? " + 1 bias" : "") + ", then multiply by the number of filters.";
    exercise.explanation = "(" + to_string(scene.weights.height) + kDot + to_string(scene.weights.width) + kDot +
                           to_string(channels) + (has_bias ? " + 1" : "") + ")" + kDot + to_string(filters) + " = " +
                           Grouped(geometry.parameters);
  }
  exercise.mistakes = mistakes.Take();
}

void FeatureMapsExercise(const Scene& scene, Exercise& exercise) {
  MistakeList mistakes(exercise.answer);
  const int64_t channels = scene.input.channels;
  if (IsPooling(scene.layer.op)) {
    mistakes.Add(1, "Pooling works on each channel separately: as many maps come out as go in.");
    exercise.fallback_hint = "Pooling keeps the number of channels.";
    exercise.explanation = "pooling keeps the " + to_string(channels) + " channels";
  } else {
    const int64_t filters = scene.weights.filters;
    mistakes.Add(filters * channels, "Each filter sums over all " + to_string(channels) +
                                         " input channels into ONE map: maps = filters, not filters " + kTimes +
                                         " channels.");
    mistakes.Add(channels, "The output has one map per filter, whatever the number of input channels.");
    exercise.fallback_hint = "Count the filters: each makes one output map.";
    exercise.explanation = to_string(filters) + " filters " + "\u2192 " + to_string(filters) + " maps";
  }
  exercise.mistakes = mistakes.Take();
}

void MultiplyAddsExercise(const Scene& scene, const Geometry& geometry, Exercise& exercise) {
  MistakeList mistakes(exercise.answer);
  const int64_t cells = int64_t{geometry.out_height} * geometry.out_width;
  const int64_t channels = scene.input.channels;
  const int64_t taps = int64_t{geometry.rows.kernel} * geometry.cols.kernel;
  const int64_t maps = geometry.out_channels;
  const int64_t input_cells = int64_t{scene.input.height} * scene.input.width;
  if (IsPooling(scene.layer.op)) {
    mistakes.Add(cells * taps, "Every channel is pooled separately: multiply by the " + to_string(channels) + " channels.");
    mistakes.Add(input_cells * channels * taps, "Count windows, that is output cells, not input cells.");
    exercise.fallback_hint = "Output cells (all channels) " + std::string(kTimes) + " cells per window.";
  } else {
    mistakes.Add(maps * cells * taps, "Each output value sums over all " + to_string(channels) +
                                          " input channels: multiply by C too.");
    mistakes.Add(cells * channels * taps, "Every filter makes its own map: multiply by the " + to_string(maps) +
                                              " output channels.");
    mistakes.Add(maps * input_cells * channels * taps, "Count one window per output cell (" + to_string(cells) +
                                                           " per map), not one per input cell.");
    mistakes.Add(maps * cells * channels, "Each output value needs kh" + std::string(kDot) + "kw multiply-adds per channel.");
    exercise.fallback_hint = "Output values (" + std::string("maps ") + kTimes + " rows " + kTimes +
                             " columns) " + kTimes + " multiply-adds per value (C " + kTimes + " kh " + kTimes + " kw).";
  }
  exercise.explanation = Grouped(geometry.multiply_adds) + " multiply-adds";
  exercise.mistakes = mistakes.Take();
}

// An ordinary convolution, every filter seeing every channel (the typical mistakes below assume it).
bool IsConvolution(const ModelLayer& layer) {
  return (layer.kind == "Conv2D" || layer.kind == "Conv2d") && layer.groups <= 1;
}
bool IsDense(const ModelLayer& layer) { return layer.kind == "Dense" || layer.kind == "Linear"; }
bool IsSpatial(const ModelLayer& layer) {
  return IsConvolution(layer) || layer.kind == "MaxPooling2D" || layer.kind == "AveragePooling2D" ||
         layer.kind == "MaxPool2d" || layer.kind == "AvgPool2d";
}

// An image shape as (height, width, channels) whatever order the summary shows it in.
struct Image {
  int64_t height = 0, width = 0, channels = 0;
};

Image AsImage(const ModelLayer& layer, const std::vector<int>& shape) {
  return layer.channels_first ? Image{shape[1], shape[2], shape[0]} : Image{shape[0], shape[1], shape[2]};
}

Answer ImageAnswer(const ModelLayer& layer, int64_t height, int64_t width, int64_t channels) {
  const auto h = static_cast<int>(height), w = static_cast<int>(width), c = static_cast<int>(channels);
  return ShapeAnswer(layer.channels_first ? std::vector<int>{c, h, w} : std::vector<int>{h, w, c});
}

// The size a spatial layer would give along one axis with other rules, for the shape mistakes.
int64_t ValidSize(int64_t n, int64_t span, int64_t s) { return n >= span ? (n - span) / s + 1 : 0; }

void LayerShapeMistakes(const ModelLayer& layer, MistakeList& mistakes) {
  const std::vector<int>& in_shape = layer.input_shape;
  const std::vector<int>& out_shape = layer.output_shape;
  // The right numbers in the other framework's order: the commonest slip between Keras and PyTorch.
  if (out_shape.size() == 3) {
    const std::vector<int> swapped = layer.channels_first ? std::vector<int>{out_shape[1], out_shape[2], out_shape[0]}
                                                          : std::vector<int>{out_shape[2], out_shape[0], out_shape[1]};
    mistakes.Add(ShapeAnswer(swapped), layer.channels_first
                                           ? "PyTorch puts the channels first: (channels, height, width)."
                                           : "Keras puts the channels last: (height, width, channels).");
  }
  if (IsSpatial(layer) && in_shape.size() == 3 && out_shape.size() == 3) {
    const Image in = AsImage(layer, in_shape);
    const Image out = AsImage(layer, out_shape);
    const int64_t span_rows = int64_t{layer.kernel_rows - 1} * layer.dilation_rows + 1;
    const int64_t span_cols = int64_t{layer.kernel_cols - 1} * layer.dilation_cols + 1;
    const int64_t sr = layer.stride_rows, sc = layer.stride_cols;
    const auto shape = [&](int64_t rows, int64_t cols, int64_t channels) {
      return ImageAnswer(layer, rows, cols, channels);
    };
    if (layer.same_padding) {
      mistakes.Add(shape(ValidSize(in.height, span_rows, sr), ValidSize(in.width, span_cols, sc), out.channels),
                   "padding='same' pads so the size is \u2308n / s\u2309; only 'valid' shrinks by the kernel.");
      mistakes.Add(shape(in.height / sr, in.width / sc, out.channels), "'same' rounds up: \u2308n / s\u2309.");
    } else {
      const int64_t rows = in.height + 2 * int64_t{layer.pad_rows}, cols = in.width + 2 * int64_t{layer.pad_cols};
      if (layer.channels_first) {
        if (layer.pad_rows > 0 || layer.pad_cols > 0) {
          mistakes.Add(shape(ValidSize(in.height, span_rows, sr), ValidSize(in.width, span_cols, sc), out.channels),
                       "Add the padding first: padding=" + to_string(layer.pad_rows) + " adds " +
                           to_string(layer.pad_rows) + " cells on each side.");
        }
      } else {
        mistakes.Add(shape(CeilDiv(in.height, sr), CeilDiv(in.width, sc), out.channels),
                     "That would be padding='same'; Keras's default is 'valid' (no padding): \u230A(n " +
                         std::string(kMinusSign) + " span) / s\u230B + 1.");
      }
      mistakes.Add(shape((rows - span_rows) / sr, (cols - span_cols) / sc, out.channels),
                   "Looks like the + 1 is missing: count the window's first position too.");
      if (layer.ceil_mode) {
        mistakes.Add(shape((rows - span_rows) / sr + 1, (cols - span_cols) / sc + 1, out.channels),
                     "ceil_mode=True rounds the division up: a last window that starts inside the input counts.");
      } else {
        mistakes.Add(shape(CeilDiv(rows - span_rows, sr) + 1, CeilDiv(cols - span_cols, sc) + 1, out.channels),
                     "Round the division down: a window that would hang over the edge is not taken.");
      }
      if (!IsConvolution(layer) && sr > 1) {
        mistakes.Add(shape(ValidSize(rows, span_rows, 1), ValidSize(cols, span_cols, 1), out.channels),
                     "A pooling layer's stride defaults to its window size: the window jumps " + to_string(sr) +
                         " cells at a time.");
      }
    }
    if (IsConvolution(layer)) {
      mistakes.Add(shape(out.height, out.width, in.channels), "The number of channels out is the number of filters (" +
                                                                  to_string(layer.filters) + "), not the input's channels.");
      mistakes.Add(shape(out.height, out.width, int64_t{layer.filters} * in.channels),
                   "Each filter sums over every input channel into ONE map: channels out = filters.");
    } else {
      mistakes.Add(shape(out.height, out.width, 1), "Pooling keeps every channel: as many maps come out as go in.");
    }
  } else if (layer.kind == "Flatten" && in_shape.size() == 3) {
    const Image in = AsImage(layer, in_shape);
    mistakes.Add(ShapeAnswer({static_cast<int>(in.height * in.width)}),
                 "Flatten keeps every channel: height " + std::string(kTimes) + " width " + kTimes + " channels values.");
  } else if (IsDense(layer) && !in_shape.empty()) {
    mistakes.Add(ShapeAnswer({in_shape.back()}), std::string("A ") + layer.kind + " layer outputs one value per unit (" +
                                                     to_string(layer.filters) + ").");
  }
}

void LayerParameterMistakes(const ModelLayer& layer, MistakeList& mistakes) {
  const std::vector<int>& in_shape = layer.input_shape;
  if (IsConvolution(layer) && in_shape.size() == 3) {
    const int64_t channels = AsImage(layer, in_shape).channels;
    const int64_t weights = int64_t{layer.kernel_rows} * layer.kernel_cols * channels * layer.filters;
    const int64_t bias = layer.use_bias ? 1 : 0;
    if (layer.use_bias) {
      mistakes.Add(weights, "Each filter also has one bias: add " + Grouped(layer.filters) + ".");
      mistakes.Add(weights + 1, "There is one bias per filter, not one for the whole layer.");
    } else {
      mistakes.Add(weights + layer.filters, "This layer has no bias (use_bias=False / bias=False): count only the weights.");
    }
    mistakes.Add((int64_t{layer.kernel_rows} * layer.kernel_cols + bias) * layer.filters,
                 "Each filter spans all " + to_string(channels) + " input channels: kh" + kDot + "kw" + kDot +
                     "C weights per filter.");
    mistakes.Add(weights / layer.filters + bias, "Multiply by the number of filters (" + to_string(layer.filters) + ").");
  } else if (IsDense(layer) && !in_shape.empty()) {
    const int64_t weights = int64_t{in_shape.back()} * layer.filters;
    if (layer.use_bias) {
      mistakes.Add(weights, "Each unit also has one bias: add " + Grouped(layer.filters) + ".");
      mistakes.Add(weights + 1, "There is one bias per unit, not one for the whole layer.");
    }
  } else if (layer.kind == "BatchNormalization" && !in_shape.empty()) {
    mistakes.Add(2 * int64_t{in_shape.back()}, "Keras counts 4 per channel: \u03B3 and \u03B2 (trained) and the "
                                               "moving mean and variance (not trained).");
  } else if (layer.kind == "BatchNorm2d" && !in_shape.empty()) {
    mistakes.Add(4 * int64_t{AsImage(layer, in_shape).channels},
                 "PyTorch counts only \u03B3 and \u03B2 as parameters; the running mean and variance are buffers.");
  } else if (layer.parameters == 0) {
    mistakes.Add(1, "This layer learns nothing: no weights, no bias.");
    if (!in_shape.empty()) mistakes.Add(in_shape.back(), "This layer learns nothing: no weights, no bias.");
  }
}

void LayerMultiplyAddMistakes(const ModelLayer& layer, MistakeList& mistakes) {
  if (!IsConvolution(layer) || layer.input_shape.size() != 3 || layer.output_shape.size() != 3) return;
  const Image in = AsImage(layer, layer.input_shape);
  const Image out = AsImage(layer, layer.output_shape);
  const int64_t taps = int64_t{layer.kernel_rows} * layer.kernel_cols;
  mistakes.Add(out.height * out.width * out.channels * taps,
               "Each output value sums over all " + to_string(in.channels) + " input channels: multiply by C too.");
  mistakes.Add(out.height * out.width * in.channels * taps,
               "Every filter makes its own map: multiply by the " + to_string(out.channels) + " filters.");
  mistakes.Add(in.height * in.width * out.channels * in.channels * taps,
               "Count one window per output value (" + Grouped(out.height * out.width) + " per map), not one per "
               "input cell.");
  mistakes.Add(layer.parameters, "That is the parameter count: each weight is used once per output position.");
}

}  // namespace

const char* AskName(Ask ask) {
  for (const AskSpelling& entry : kAskNames) {
    if (entry.ask == ask) return entry.name;
  }
  return "unknown";
}

bool ParseAsk(std::string_view name, Ask* ask) {
  for (const AskSpelling& entry : kAskNames) {
    if (name == entry.name) {
      *ask = entry.ask;
      return true;
    }
  }
  return false;
}

Result<Exercise> MakeSceneExercise(const ExerciseSpec& spec, const Request& request) {
  const Scene& scene = request.scene;
  const Geometry& geometry = request.geometry;
  // The mistakes below are worked for ungrouped conv2d and pooling windows only.
  if (scene.layer.op == Op::kConvTranspose2d || scene.layer.groups != 1) {
    return Error{"op", "exercises on conv_transpose2d and grouped convolutions are not available yet", 0};
  }
  const auto last_cell = [&] { return int64_t{geometry.out_height} * geometry.out_width - 1; };
  switch (spec.ask) {
    case Ask::kOutputHeight:
    case Ask::kOutputWidth: {
      const bool rows = spec.ask == Ask::kOutputHeight;
      Exercise exercise = Start(spec, Count(rows ? geometry.out_height : geometry.out_width));
      OutputSizeExercise(rows ? geometry.rows : geometry.cols, rows ? geometry.cols : geometry.rows, scene.layer,
                         rows, exercise);
      exercise.step = last_cell();  // the last window shows where the output ends
      return exercise;
    }
    case Ask::kPaddingRows:
    case Ask::kPaddingCols: {
      const bool rows = spec.ask == Ask::kPaddingRows;
      const AxisGeometry& axis = rows ? geometry.rows : geometry.cols;
      Exercise exercise = Start(spec, Pair(axis.pad_before, axis.pad_after));
      PaddingExercise(axis, scene.layer, rows, exercise);
      return exercise;
    }
    case Ask::kValue:
      return ValueExercise(spec, request);
    case Ask::kPartialSum:
      return PartialSumExercise(spec, request);
    case Ask::kParameters: {
      Exercise exercise = Start(spec, Count(geometry.parameters));
      ParametersExercise(scene, geometry, exercise);
      return exercise;
    }
    case Ask::kFeatureMaps: {
      Exercise exercise = Start(spec, Count(geometry.out_channels));
      FeatureMapsExercise(scene, exercise);
      return exercise;
    }
    case Ask::kMultiplyAdds: {
      Exercise exercise = Start(spec, Count(geometry.multiply_adds));
      MultiplyAddsExercise(scene, geometry, exercise);
      return exercise;
    }
    case Ask::kLayerShape:
    case Ask::kLayerParameters:
    case Ask::kModelParameters:
    case Ask::kLayerMultiplyAdds:
      break;
  }
  return Error{"ask", std::string("\"") + AskName(spec.ask) + "\" is about a model; use \"model\" instead of \"scene\"", 0};
}

Result<Exercise> MakeModelExercise(const ExerciseSpec& spec, const ModelSummary& summary) {
  if (spec.ask == Ask::kModelParameters) {
    Exercise exercise = Start(spec, Count(summary.total_parameters));
    MistakeList mistakes(exercise.answer);
    int64_t without_bias = 0, convolutions = 0, dense = 0, shared_twice = 0;
    for (const ModelLayer& layer : summary.layers) {
      if (layer.shares_parameters_with >= 0) {
        // A module called again owns nothing here; counting its weights again is the mistake.
        shared_twice += summary.layers[static_cast<std::size_t>(layer.shares_parameters_with)].parameters;
        continue;
      }
      const int64_t biases = layer.use_bias && (IsConvolution(layer) || IsDense(layer)) ? layer.filters : 0;
      without_bias += layer.parameters - biases;
      if (IsConvolution(layer)) convolutions += layer.parameters;
      if (IsDense(layer)) dense += layer.parameters;
    }
    mistakes.Add(without_bias, "Count the biases too: one per filter in each convolution, one per unit in each Dense/Linear layer.");
    if (shared_twice > 0) {
      mistakes.Add(summary.total_parameters + shared_twice,
                   "A module that forward calls twice is one set of weights: count it once.");
    }
    // Counting only one kind of layer is a mistake only when the model has both kinds.
    if (convolutions > 0 && dense > 0) {
      mistakes.Add(convolutions, "Add the fully connected (Dense/Linear) layers' parameters too: they are often most of the model.");
      mistakes.Add(dense, "Add the convolution layers' parameters too.");
    }
    exercise.mistakes = mistakes.Take();
    exercise.fallback_hint = "Add up every layer's parameters; pooling, Flatten and Dropout have none.";
    exercise.explanation = "the sum of the layers' parameters = " + Grouped(summary.total_parameters);
    return exercise;
  }
  if (spec.ask != Ask::kLayerShape && spec.ask != Ask::kLayerParameters && spec.ask != Ask::kLayerMultiplyAdds) {
    return Error{"ask", std::string("\"") + AskName(spec.ask) + "\" is about a scene; use \"scene\" instead of \"model\"", 0};
  }
  const int last = static_cast<int>(summary.layers.size()) - 1;
  if (spec.layer < 0 || spec.layer > last) {
    return Error{"layer", "the model has layers 0 (the input) to " + to_string(last) + ", got " + to_string(spec.layer), 0};
  }
  const ModelLayer& layer = summary.layers[static_cast<std::size_t>(spec.layer)];
  if (spec.ask == Ask::kLayerShape) {
    Exercise exercise = Start(spec, ShapeAnswer(layer.output_shape));
    exercise.layer = spec.layer;
    MistakeList mistakes(exercise.answer);
    LayerShapeMistakes(layer, mistakes);
    exercise.mistakes = mistakes.Take();
    exercise.fallback_hint = "Work out the layer's output from its input " + ShapeText(layer.input_shape) +
                             (IsSpatial(layer) ? std::string(": height and width from the kernel, stride and padding; "
                                                             "channels from the filters.")
                                               : ".");
    exercise.explanation = layer.shape_formula.empty() ? ShapeText(layer.output_shape) : layer.shape_formula;
    return exercise;
  }
  if (spec.ask == Ask::kLayerMultiplyAdds) {
    Exercise exercise = Start(spec, Count(layer.multiply_adds));
    exercise.layer = spec.layer;
    MistakeList mistakes(exercise.answer);
    LayerMultiplyAddMistakes(layer, mistakes);
    exercise.mistakes = mistakes.Take();
    exercise.fallback_hint = IsConvolution(layer) ? "Output values (height " + std::string(kTimes) + " width " + kTimes +
                                                        " filters) " + kTimes + " multiply-adds per value (kh " + kTimes +
                                                        " kw " + kTimes + " input channels)."
                             : IsDense(layer)     ? std::string("One multiply-add per weight: inputs ") + kTimes + " units."
                                                  : "Count the work per output value, then the output values.";
    exercise.explanation = Grouped(layer.multiply_adds) + " multiply-adds";
    return exercise;
  }
  Exercise exercise = Start(spec, Count(layer.parameters));
  exercise.layer = spec.layer;
  MistakeList mistakes(exercise.answer);
  if (layer.shares_parameters_with >= 0) {
    const ModelLayer& owner = summary.layers[static_cast<std::size_t>(layer.shares_parameters_with)];
    mistakes.Add(owner.parameters, "This is the same module as layer " + to_string(layer.shares_parameters_with) +
                                       ", called again: its weights are counted there, so none are new here.");
  } else {
    LayerParameterMistakes(layer, mistakes);
  }
  exercise.mistakes = mistakes.Take();
  exercise.fallback_hint = IsConvolution(layer) ? std::string("Per filter: kh") + kDot + "kw" + kDot +
                                                         "C weights + 1 bias; then multiply by the filters."
                           : IsDense(layer)      ? "Per unit: one weight per input value + 1 bias; then multiply by "
                                                     "the units."
                                                   : "Does this layer have anything to learn?";
  exercise.explanation = layer.parameters_formula.empty() ? Grouped(layer.parameters) : layer.parameters_formula;
  return exercise;
}

namespace {

// Reads every number in the learner's text. For a single-number answer, separators inside the
// number ("4,632", "4 632", "4_632") are part of it; otherwise commas, spaces, x and × separate.
std::vector<double> ReadNumbers(std::string_view text, bool single) {
  std::string cleaned;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // U+2212 minus sign reads as '-'.
    if (text.compare(i, 3, "\u2212") == 0) {
      cleaned += '-';
      i += 2;
      continue;
    }
    const char c = text[i];
    const bool separator = c == ',' || c == '_' || c == '\'' || c == ' ';
    const bool between_digits = i > 0 && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i - 1])) &&
                                std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if (single && separator && between_digits) continue;
    cleaned += c;
  }
  std::vector<double> numbers;
  std::size_t i = 0;
  while (i < cleaned.size()) {
    const bool sign = cleaned[i] == '-' && i + 1 < cleaned.size() &&
                      (std::isdigit(static_cast<unsigned char>(cleaned[i + 1])) || cleaned[i + 1] == '.');
    if (!sign && !std::isdigit(static_cast<unsigned char>(cleaned[i])) &&
        !(cleaned[i] == '.' && i + 1 < cleaned.size() && std::isdigit(static_cast<unsigned char>(cleaned[i + 1])))) {
      ++i;
      continue;
    }
    std::size_t end = i + (sign ? 1 : 0);
    while (end < cleaned.size() && (std::isdigit(static_cast<unsigned char>(cleaned[end])) || cleaned[end] == '.')) ++end;
    numbers.push_back(std::strtod(cleaned.substr(i, end - i).c_str(), nullptr));
    i = end;
  }
  return numbers;
}

std::string CountWord(std::size_t count) {
  return count == 2 ? "two numbers" : count == 3 ? "three numbers" : to_string(count) + " numbers";
}

}  // namespace

CheckResult CheckAnswer(const Exercise& exercise, std::string_view learner_text) {
  const std::size_t expected = exercise.answer.numbers.size();
  std::vector<double> numbers = ReadNumbers(learner_text, expected == 1);
  // An average typed as a fraction, "9/4", is one number.
  const std::size_t slash = learner_text.find('/');
  if (expected == 1 && numbers.size() == 2 && slash != std::string_view::npos &&
      ReadNumbers(learner_text.substr(0, slash), true).size() == 1 && numbers[1] != 0.0) {
    numbers = {numbers[0] / numbers[1]};
  }
  if (numbers.empty()) return CheckResult{false, "Type a number."};
  if (numbers.size() != expected) {
    if (exercise.ask == Ask::kPaddingRows || exercise.ask == Ask::kPaddingCols) {
      return CheckResult{false, "Give two numbers: the padding before (top or left) and after (bottom or right)."};
    }
    if (expected == 3) {
      return CheckResult{false, "A shape here has three numbers: height, width and channels."};
    }
    return CheckResult{false, "Give " + (expected == 1 ? std::string("one number") : CountWord(expected)) + "."};
  }
  if (SameAnswer(numbers, exercise.answer)) return CheckResult{true, ""};
  for (const Mistake& mistake : exercise.mistakes) {
    if (SameAnswer(numbers, mistake.result)) return CheckResult{false, mistake.hint};
  }
  return CheckResult{false, exercise.fallback_hint};
}

}  // namespace convtutor::lessons
