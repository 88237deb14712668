// The exercises that ask the other way round: "which padding gives 128?" (checked by computing the
// output with the learner's number), "what shape is the weight tensor in this framework?", "which
// line does the core refuse?" (the core's own refusal is the key) and "which of these is right?".
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>

#include "exercise_kinds.h"
#include "lesson_text.h"

namespace convtutor::lessons {
namespace {

using std::int64_t;
using std::to_string;

// A lesson-file spelling of an enum value.
template <class Enum>
struct Spelling {
  Enum value;
  const char* name;
};
constexpr Spelling<ExerciseKind> kKindNames[] = {
    {ExerciseKind::kPredict, "predict"},         {ExerciseKind::kInverse, "inverse"},
    {ExerciseKind::kWeightShape, "weight_shape"}, {ExerciseKind::kFindLine, "find_line"},
    {ExerciseKind::kChoice, "choice"},
};
constexpr Spelling<Framework> kFrameworkNames[] = {
    {Framework::kTensorFlow, "tensorflow"}, {Framework::kKeras, "keras"}, {Framework::kPyTorch, "pytorch"}};

template <class Enum, std::size_t N>
const char* NameIn(const Spelling<Enum> (&table)[N], Enum value) {
  for (const Spelling<Enum>& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "unknown";
}

template <class Enum, std::size_t N>
bool ParseIn(const Spelling<Enum> (&table)[N], std::string_view name, Enum* value) {
  for (const Spelling<Enum>& entry : table) {
    if (name == entry.name) {
      *value = entry.value;
      return true;
    }
  }
  return false;
}

// No answer the learner types is taken further than this (a padding of a million is not a question).
constexpr double kLargestNumber = 1 << 20;

Exercise Start(const ExerciseSpec& spec, ExerciseKind kind) {
  Exercise exercise;
  exercise.kind = kind;
  exercise.id = spec.id;
  exercise.question = spec.question;
  exercise.line = spec.line;
  return exercise;
}

Answer WholeNumber(int64_t number, std::string text) {
  return Answer{{static_cast<double>(number)}, true, std::move(text)};
}

bool IsWhole(double number) { return std::isfinite(number) && number == std::floor(number); }

bool SameNumbers(const std::vector<double>& numbers, const std::vector<double>& expected) {
  if (numbers.size() != expected.size()) return false;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (std::fabs(numbers[i] - expected[i]) > 1e-9) return false;
  }
  return true;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string Trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

// ---- Inverse: the learner's number goes into the layer, the core computes the output size. ----

const char* UnknownNoun(Unknown unknown) {
  return unknown == Unknown::kPadding ? "padding" : unknown == Unknown::kStride ? "stride" : "kernel";
}

// The output size along the problem's axis with the unknown set to `value` (padding: `value` before
// and `after` after).
Result<AxisGeometry> ComputeWith(const InverseProblem& problem, int value, int after) {
  const char* axis = problem.rows ? "rows" : "cols";
  switch (problem.unknown) {
    case Unknown::kPadding:
      return ResolveAxis(PaddingMode::kExplicit, problem.input, problem.kernel, problem.stride, problem.dilation,
                         value, after, problem.ceil_mode, problem.pooling, axis);
    case Unknown::kStride:
      return ResolveAxis(problem.mode, problem.input, problem.kernel, value, problem.dilation, problem.pad_before,
                         problem.pad_after, problem.ceil_mode, problem.pooling, axis);
    case Unknown::kKernel:
      break;
  }
  return ResolveAxis(problem.mode, problem.input, value, problem.stride, problem.dilation, problem.pad_before,
                     problem.pad_after, problem.ceil_mode, problem.pooling, axis);
}

bool GivesTarget(const InverseProblem& problem, int value, int after) {
  const Result<AxisGeometry> axis = ComputeWith(problem, value, after);
  return axis && axis.value().output == problem.target;
}

// "1 row", "128 columns".
std::string AxisCells(const InverseProblem& problem, int64_t count) {
  return to_string(count) + (problem.rows ? " row" : " column") + (count == 1 ? "" : "s");
}

// The values that give the target, the smallest first, as the answer and its working. Padding
// is looked for as the same number on both sides first (PyTorch's padding=p), then as a split.
Result<Exercise> SolveInverse(const ExerciseSpec& spec, const InverseProblem& problem) {
  Exercise exercise = Start(spec, ExerciseKind::kInverse);
  exercise.inverse = problem;
  // Far enough that every value giving the target is seen, and never more than a few thousand
  // tries: a padding past (target·s + span) / 2 on each side already gives more than the target, a
  // stride past the padded input or a kernel past it gives the same output (or none).
  const int64_t padded = int64_t{problem.input} + problem.pad_before + problem.pad_after;
  const int64_t span = int64_t{problem.kernel - 1} * problem.dilation + 1;
  const int64_t reach = problem.unknown == Unknown::kPadding ? (int64_t{problem.target} * problem.stride + span) / 2 + 1
                        : problem.unknown == Unknown::kStride ? padded + 1
                                                              : padded / problem.dilation + 2;
  const int limit = static_cast<int>(std::min<int64_t>(reach, 4096));
  std::vector<int> right;
  for (int value = problem.unknown == Unknown::kPadding ? 0 : 1; value <= limit; ++value) {
    if (GivesTarget(problem, value, value)) right.push_back(value);
  }
  std::string split;
  if (right.empty() && problem.unknown == Unknown::kPadding) {
    for (int total = 1; total <= 2 * limit && split.empty(); total += 2) {
      if (GivesTarget(problem, total / 2, total - total / 2)) {
        split = to_string(total / 2) + " " + to_string(total - total / 2);
        exercise.answer = Answer{{static_cast<double>(total / 2), static_cast<double>(total - total / 2)}, true, split};
        exercise.explanation = ComputeWith(problem, total / 2, total - total / 2).value().formula +
                               ": no padding the same on both sides gives " + AxisCells(problem, problem.target) +
                               ", so pad " + to_string(total / 2) + " before and " + to_string(total - total / 2) +
                               " after";
      }
    }
  }
  if (right.empty() && split.empty()) {
    return Error{"target", std::string("no ") + UnknownNoun(problem.unknown) + " gives " +
                               AxisCells(problem, problem.target) + " for this scene"};
  }
  if (!right.empty()) {
    const int best = right.front();
    const AxisGeometry axis = ComputeWith(problem, best, best).value();
    exercise.answer = WholeNumber(best, to_string(best));
    std::string noun = UnknownNoun(problem.unknown);
    noun[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(noun[0])));
    exercise.explanation = noun + " " + to_string(best) +
                           (problem.unknown == Unknown::kPadding ? " on each side" : "") + ": " + axis.formula;
    if (right.size() > 1) {
      std::string others;
      for (std::size_t i = 1; i < right.size() && i < 4; ++i) others += (i > 1 ? ", " : "") + to_string(right[i]);
      exercise.explanation += " (" + others + (right.size() > 4 ? ", ..." : "") + " give" +
                              (right.size() == 2 ? "s" : "") + " " + to_string(problem.target) + " too)";
    }
  }
  exercise.fallback_hint = std::string("Put your ") + UnknownNoun(problem.unknown) + " into \u230A(n + before + after " +
                           kMinusSign + " span) / s\u230B + 1 and compare with " + to_string(problem.target) + ".";
  return exercise;
}

CheckResult CheckInverse(const Exercise& exercise, std::string_view learner_text) {
  const InverseProblem& problem = exercise.inverse;
  const std::string noun = UnknownNoun(problem.unknown);
  const bool padding = problem.unknown == Unknown::kPadding;
  // Padding may be two numbers, "0 3": spaces separate them.
  const std::vector<double> numbers = ReadAnswerNumbers(learner_text, !padding);
  if (numbers.empty() && padding && Lower(learner_text).find("same") != std::string::npos) {
    const Result<AxisGeometry> same = ResolveAxis(PaddingMode::kSame, problem.input, problem.kernel, problem.stride,
                                                  problem.dilation, 0, 0, false, problem.pooling,
                                                  problem.rows ? "rows" : "cols");
    if (!same) return CheckResult{false, "Give the padding as a number of cells."};
    return CheckResult{false, "Give numbers: 'same' would pad " + to_string(same.value().pad_before) + " before and " +
                                  to_string(same.value().pad_after) + " after here (" + same.value().formula +
                                  "). How many cells is that on each side?"};
  }
  if (numbers.empty()) return CheckResult{false, "Type a number: the " + noun + " in cells."};
  const std::vector<double> values = padding && numbers.size() > 2 ? std::vector<double>{} : numbers;
  if (values.empty() || (!padding && values.size() != 1)) {
    return CheckResult{false, padding ? "Give one number (the padding on each side) or two (before and after)."
                                      : "Give one number: the " + noun + "."};
  }
  for (double value : values) {
    if (!IsWhole(value)) return CheckResult{false, "The " + noun + " is a whole number of cells."};
    if (value < (padding ? 0 : 1)) {
      return CheckResult{false, padding ? "Padding adds cells; it cannot be negative."
                                        : "The " + noun + " is at least 1."};
    }
    if (value > kLargestNumber) return CheckResult{false, "That is far more than this input needs: try a small number."};
  }
  const int first = static_cast<int>(values[0]);
  const int after = values.size() == 2 ? static_cast<int>(values[1]) : first;
  const Result<AxisGeometry> axis = ComputeWith(problem, first, after);
  const std::string yours = noun + " " + (values.size() == 2 ? to_string(first) + " and " + to_string(after)
                                                              : to_string(first));
  if (!axis) return CheckResult{false, "With " + yours + ": " + axis.error().message + "."};
  const int output = axis.value().output;
  if (output == problem.target) return CheckResult{true, ""};
  // More padding gives more output; a larger stride or kernel gives less.
  const bool larger = output > problem.target;
  const std::string direction = padding ? (larger ? "less padding" : "more padding")
                                        : std::string(larger ? "a larger " : "a smaller ") + noun;
  return CheckResult{false, "With " + yours + " the output has " + AxisCells(problem, output) + ", not " +
                                to_string(problem.target) + ": " + axis.value().formula + ". Try " + direction + "."};
}

// One axis of a model's sliding-window layer (a convolution or a pooling), as an inverse problem.
Result<InverseProblem> LayerProblem(const ModelLayer& layer, bool rows) {
  const bool convolution = layer.kind == "Conv2D" || layer.kind == "Conv2d";
  const bool pooling = layer.kind == "MaxPooling2D" || layer.kind == "AveragePooling2D" || layer.kind == "MaxPool2d" ||
                       layer.kind == "AvgPool2d";
  if ((!convolution && !pooling) || layer.input_shape.size() != 3) {
    return Error{"layer", "has no sliding window along the rows and columns", 0};
  }
  InverseProblem problem;
  problem.rows = rows;
  const std::vector<int>& shape = layer.input_shape;
  problem.input = layer.channels_first ? shape[rows ? 1 : 2] : shape[rows ? 0 : 1];
  problem.kernel = rows ? layer.kernel_rows : layer.kernel_cols;
  problem.stride = rows ? layer.stride_rows : layer.stride_cols;
  problem.dilation = rows ? layer.dilation_rows : layer.dilation_cols;
  problem.pad_before = problem.pad_after = rows ? layer.pad_rows : layer.pad_cols;
  problem.mode = layer.same_padding ? PaddingMode::kSame : problem.pad_before > 0 ? PaddingMode::kExplicit
                                                                                    : PaddingMode::kValid;
  problem.ceil_mode = layer.ceil_mode;
  problem.pooling = pooling;
  return problem;
}

// ---- Weight tensor shape: the layer's numbers in the framework's order. ----

bool IsConvolutionLayer(const ModelLayer& layer) { return layer.kind == "Conv2D" || layer.kind == "Conv2d"; }
bool IsDenseLayer(const ModelLayer& layer) { return layer.kind == "Dense" || layer.kind == "Linear"; }

std::string BracketText(const std::vector<int>& shape, Framework framework) {
  std::string text = framework == Framework::kTensorFlow ? "[" : "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i > 0 ? ", " : "") + to_string(shape[i]);
  return text + (framework == Framework::kTensorFlow ? "]" : ")");
}

const char* OrderText(Framework framework, bool convolution) {
  if (framework == Framework::kPyTorch) return convolution ? "(out, in, kh, kw)" : "(out_features, in_features)";
  if (framework == Framework::kKeras) return convolution ? "(kh, kw, in, out)" : "(inputs, units)";
  return convolution ? "[kh, kw, in, out]" : "[inputs, units]";
}

const char* WhoseWeight(Framework framework, bool convolution) {
  if (framework == Framework::kPyTorch) return convolution ? "PyTorch's Conv2d weight" : "PyTorch's Linear weight";
  if (framework == Framework::kKeras) return convolution ? "Keras's Conv2D kernel" : "Keras's Dense kernel";
  return convolution ? "tf.nn.conv2d's filter" : "TensorFlow's weight matrix for x @ W";
}

std::vector<double> AsNumbers(const std::vector<int>& shape) { return std::vector<double>(shape.begin(), shape.end()); }

// A shape as typed: "[5, 5, 1, 32]", "(32, 1, 5, 5)", "torch.Size([32, 1, 5, 5])", "5x5x1x32";
// a part may be a product, "[7*7*64, 1024]".
std::vector<double> ReadShape(std::string_view text) {
  if (text.find(',') == std::string_view::npos) return ReadAnswerNumbers(text, false);
  std::vector<double> shape;
  for (const std::string& part : Split(text, ',')) {
    std::string factors = part;
    std::replace(factors.begin(), factors.end(), '*', ' ');
    const std::vector<double> numbers = ReadAnswerNumbers(factors, false);
    if (numbers.empty()) continue;
    double product = 1.0;
    for (double number : numbers) product *= number;
    shape.push_back(product);
  }
  return shape;
}

// ---- Find the line: the core's refusal names the line. ----

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines = Split(text, '\n');
  if (!lines.empty() && Trimmed(lines.back()).empty()) lines.pop_back();
  return lines;
}

bool HoldsNoLayer(const std::string& line) {
  const std::string text = Trimmed(line);
  return text.empty() || text[0] == '#' || text.rfind("import ", 0) == 0 || text.rfind("from ", 0) == 0 ||
         text == "])" || text == ")" || text == "]";
}

std::string LineHint(const std::vector<std::string>& lines, int line, int refused) {
  const std::string& text = lines[static_cast<std::size_t>(line - 1)];
  if (HoldsNoLayer(text)) return "Line " + to_string(line) + " holds no layer to refuse.";
  if (line > refused) {
    return "The core never gets to line " + to_string(line) + ": an earlier line already cannot work. Follow the "
           "shapes from the input down.";
  }
  std::string prefix;
  for (int i = 0; i < line; ++i) prefix += lines[static_cast<std::size_t>(i)] + "\n";
  const Result<ModelSummary> upto = SummarizeModel(prefix, 1);
  if (upto && !upto.value().layers.empty()) {
    return "Line " + to_string(line) + " works: the core reads it and the shape is " +
           ShapeText(upto.value().layers.back().output_shape) + " after it. Carry that shape on down.";
  }
  if (Trimmed(text).find("Input(") != std::string::npos || Trimmed(text).find("torch.randn(") != std::string::npos) {
    return "Line " + to_string(line) + " only says what goes in; the mistake is in a layer further down.";
  }
  return "The core reads line " + to_string(line) + " without complaint; the mistake is further down.";
}

// ---- Choice: a letter, a number or the text of one answer. ----

int ChosenIndex(const Exercise& exercise, std::string_view learner_text) {
  const std::string typed = Lower(Trimmed(learner_text));
  const int count = static_cast<int>(exercise.choices.size());
  for (int i = 0; i < count; ++i) {
    if (typed == Lower(Trimmed(exercise.choices[static_cast<std::size_t>(i)].text))) return i;
  }
  // "b", "b)", "(b)", "b. ..." : a letter on its own or before a bracket or a full stop.
  std::string head = typed;
  if (!head.empty() && head[0] == '(') head.erase(0, 1);
  if (!head.empty() && head[0] >= 'a' && head[0] < 'a' + count &&
      (head.size() == 1 || head[1] == ')' || head[1] == '.' || head[1] == ' ')) {
    return head[0] - 'a';
  }
  const std::vector<double> numbers = ReadAnswerNumbers(typed, true);
  if (numbers.size() == 1 && IsWhole(numbers[0]) && numbers[0] >= 1 && numbers[0] <= count &&
      typed.find_first_not_of("0123456789 .)") == std::string::npos) {
    return static_cast<int>(numbers[0]) - 1;
  }
  return -1;
}

CheckResult CheckMistakes(const Exercise& exercise, const std::vector<double>& numbers) {
  if (SameNumbers(numbers, exercise.answer.numbers)) return CheckResult{true, ""};
  for (const Mistake& mistake : exercise.mistakes) {
    if (SameNumbers(numbers, mistake.result.numbers)) return CheckResult{false, mistake.hint};
  }
  return CheckResult{false, exercise.fallback_hint};
}

}  // namespace

const char* ExerciseKindName(ExerciseKind kind) { return NameIn(kKindNames, kind); }
bool ParseExerciseKind(std::string_view name, ExerciseKind* kind) { return ParseIn(kKindNames, name, kind); }
const char* FrameworkName(Framework framework) { return NameIn(kFrameworkNames, framework); }
bool ParseFramework(std::string_view name, Framework* framework) { return ParseIn(kFrameworkNames, name, framework); }

Result<Exercise> MakeInverseExercise(const ExerciseSpec& spec, Unknown unknown, bool rows, int target,
                                     const Request& request) {
  const LayerSpec& layer = request.scene.layer;
  if (layer.op == Op::kConvTranspose2d) {
    return Error{"scene", "inverse exercises work on conv2d and pooling scenes, not conv_transpose2d", 0};
  }
  if (target < 1) return Error{"target", "must be an output size of at least 1, got " + to_string(target), 0};
  const AxisGeometry& axis = rows ? request.geometry.rows : request.geometry.cols;
  InverseProblem problem;
  problem.unknown = unknown;
  problem.rows = rows;
  problem.target = target;
  problem.mode = layer.padding.mode;
  problem.input = axis.input;
  problem.kernel = axis.kernel;
  problem.stride = axis.stride;
  problem.dilation = axis.dilation;
  problem.pad_before = axis.pad_before;
  problem.pad_after = axis.pad_after;
  problem.ceil_mode = layer.ceil_mode;
  problem.pooling = IsPooling(layer.op);
  return SolveInverse(spec, problem);
}

Result<Exercise> MakeInverseExercise(const ExerciseSpec& spec, Unknown unknown, bool rows, int target,
                                     const ModelSummary& summary) {
  const int last = static_cast<int>(summary.layers.size()) - 1;
  if (spec.layer < 1 || spec.layer > last) {
    return Error{"layer", "the model has layers 1 to " + to_string(last) + " after its input, got " +
                              to_string(spec.layer), 0};
  }
  const ModelLayer& layer = summary.layers[static_cast<std::size_t>(spec.layer)];
  const Result<InverseProblem> problem = LayerProblem(layer, rows);
  if (!problem) return Error{"layer", "layer " + to_string(spec.layer) + " (" + layer.kind + ") " + problem.error().message, 0};
  if (target < 1) return Error{"target", "must be an output size of at least 1, got " + to_string(target), 0};
  InverseProblem with_target = problem.value();
  with_target.unknown = unknown;
  with_target.target = target;
  Result<Exercise> exercise = SolveInverse(spec, with_target);
  if (exercise) exercise.value().layer = spec.layer;
  return exercise;
}

Result<AxisGeometry> LayerAxis(const ModelLayer& layer, bool rows) {
  const Result<InverseProblem> problem = LayerProblem(layer, rows);
  if (!problem) return problem.error();
  const InverseProblem& p = problem.value();
  return ResolveAxis(p.mode, p.input, p.kernel, p.stride, p.dilation, p.pad_before, p.pad_after, p.ceil_mode,
                     p.pooling, rows ? "rows" : "cols");
}

Result<Exercise> MakeWeightShapeExercise(const ExerciseSpec& spec, Framework framework, const ModelSummary& summary) {
  const int last = static_cast<int>(summary.layers.size()) - 1;
  if (spec.layer < 1 || spec.layer > last) {
    return Error{"layer", "the model has layers 1 to " + to_string(last) + " after its input, got " +
                              to_string(spec.layer), 0};
  }
  const ModelLayer& layer = summary.layers[static_cast<std::size_t>(spec.layer)];
  const bool convolution = IsConvolutionLayer(layer);
  if ((!convolution && !IsDenseLayer(layer)) || layer.input_shape.empty()) {
    return Error{"layer", "layer " + to_string(spec.layer) + " (" + layer.kind + ") has no weight tensor to ask about", 0};
  }
  const std::vector<int>& in_shape = layer.input_shape;
  const int in = convolution ? (layer.channels_first ? in_shape.front() : in_shape.back()) : in_shape.back();
  const int out = layer.filters, kh = layer.kernel_rows, kw = layer.kernel_cols;
  const auto order = [&](Framework in_framework) {
    if (!convolution) return in_framework == Framework::kPyTorch ? std::vector<int>{out, in} : std::vector<int>{in, out};
    return in_framework == Framework::kPyTorch ? std::vector<int>{out, in, kh, kw} : std::vector<int>{kh, kw, in, out};
  };
  const std::vector<int> shape = order(framework);
  Exercise exercise = Start(spec, ExerciseKind::kWeightShape);
  exercise.framework = framework;
  exercise.layer = spec.layer;
  exercise.answer = Answer{AsNumbers(shape), true, BracketText(shape, framework)};
  const auto add = [&](const std::vector<int>& result, std::string hint) {
    const std::vector<double> numbers = AsNumbers(result);
    if (SameNumbers(numbers, exercise.answer.numbers)) return;
    for (const Mistake& earlier : exercise.mistakes) {
      if (SameNumbers(numbers, earlier.result.numbers)) return;
    }
    exercise.mistakes.push_back(Mistake{Answer{numbers, true, ShapeText(result)}, std::move(hint)});
  };
  const Framework other = framework == Framework::kPyTorch ? Framework::kTensorFlow : Framework::kPyTorch;
  add(order(other), std::string("That is ") + (other == Framework::kPyTorch ? "PyTorch's" : "TensorFlow's and Keras's") +
                        " order " + OrderText(other, convolution) + "; " + WhoseWeight(framework, convolution) +
                        " is " + OrderText(framework, convolution) + ".");
  if (convolution) {
    add(framework == Framework::kPyTorch ? std::vector<int>{in, out, kh, kw} : std::vector<int>{kh, kw, out, in},
        framework == Framework::kPyTorch
            ? "PyTorch puts the filters (out) first: (out, in, kh, kw); in and out are swapped here."
            : "The input channels come before the filters: " + std::string(OrderText(framework, true)) + ".");
  } else if (spec.layer >= 2) {
    // After Flatten, each of height·width·channels values is one input: counting only the channels is the slip.
    const ModelLayer& flatten = summary.layers[static_cast<std::size_t>(spec.layer - 1)];
    if (flatten.kind == "Flatten" && flatten.input_shape.size() == 3) {
      const std::vector<int>& image = flatten.input_shape;
      const int channels = layer.channels_first ? image.front() : image.back();
      add(framework == Framework::kPyTorch ? std::vector<int>{out, channels} : std::vector<int>{channels, out},
          "Flatten passes every value, not just the channels: " + to_string(image[0]) + kTimes + to_string(image[1]) +
              kTimes + to_string(image[2]) + " = " + Grouped(in) + " inputs.");
    }
  }
  exercise.fallback_hint = std::string(WhoseWeight(framework, convolution)) + " is " + OrderText(framework, convolution) +
                           (convolution ? ": kernel height and width, input channels, filters." : ".");
  exercise.explanation = std::string(WhoseWeight(framework, convolution)) + " " + OrderText(framework, convolution) +
                         " = " + exercise.answer.text;
  return exercise;
}

Result<Exercise> MakeFindLineExercise(const ExerciseSpec& spec, std::string_view model_source) {
  const Result<ModelSummary> summary = SummarizeModel(model_source, 1);
  if (summary) return Error{"model", "the core accepts this model; find_line needs a model with one mistake", 0};
  const Error& refusal = summary.error();
  const std::vector<std::string> lines = Lines(model_source);
  const int count = static_cast<int>(lines.size());
  if (refusal.line < 1 || refusal.line > count) {
    return Error{"model", "the core refuses this model without naming one of its lines: " + refusal.message, 0};
  }
  Exercise exercise = Start(spec, ExerciseKind::kFindLine);
  exercise.answer = WholeNumber(refusal.line, "line " + to_string(refusal.line));
  for (int line = 1; line <= count; ++line) {
    if (line == refusal.line) continue;
    exercise.mistakes.push_back(Mistake{WholeNumber(line, to_string(line)), LineHint(lines, line, refusal.line)});
  }
  exercise.fallback_hint = "Name a line by its number, 1 to " + to_string(count) + ".";
  exercise.explanation = "The tutor stops at line " + to_string(refusal.line) + ": " + refusal.message;
  return exercise;
}

Result<Exercise> MakeChoiceExercise(const ExerciseSpec& spec, std::vector<Choice> choices, int right) {
  if (choices.size() < 2 || choices.size() > 6) {
    return Error{"choices", "expected 2 to 6 answers, got " + to_string(choices.size()), 0};
  }
  if (right < 0 || right >= static_cast<int>(choices.size())) {
    return Error{"choices", "exactly one answer must be marked \"right\": true", 0};
  }
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (Trimmed(choices[i].text).empty() || Trimmed(choices[i].why).empty()) {
      return Error{"choices", std::string("answer ") + static_cast<char>('a' + i) +
                                  " needs a \"text\" and a \"why\" (shown when it is picked)", 0};
    }
  }
  Exercise exercise = Start(spec, ExerciseKind::kChoice);
  const auto chosen = static_cast<std::size_t>(right);
  exercise.answer = WholeNumber(right, std::string(1, static_cast<char>('a' + right)) + ") " + choices[chosen].text);
  exercise.explanation = choices[chosen].why;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i == chosen) continue;
    const std::string letter(1, static_cast<char>('a' + i));
    exercise.mistakes.push_back(Mistake{WholeNumber(static_cast<int64_t>(i), letter), choices[i].why});
  }
  exercise.fallback_hint = std::string("Pick one of the answers: a to ") + static_cast<char>('a' + choices.size() - 1) + ".";
  exercise.choices = std::move(choices);
  return exercise;
}

CheckResult CheckOtherKind(const Exercise& exercise, std::string_view learner_text) {
  switch (exercise.kind) {
    case ExerciseKind::kInverse:
      return CheckInverse(exercise, learner_text);
    case ExerciseKind::kWeightShape: {
      const std::vector<double> shape = ReadShape(learner_text);
      if (shape.empty()) {
        const bool convolution = exercise.answer.numbers.size() == 4;
        return CheckResult{false, std::string("Type the shape ") + OrderText(exercise.framework, convolution) +
                                      " with numbers."};
      }
      if (shape.size() != exercise.answer.numbers.size()) {
        return CheckResult{false, exercise.answer.numbers.size() == 4
                                      ? "A convolution's weight has four axes: kernel height, kernel width, input "
                                        "channels and filters (each filter spans every input channel)."
                                      : "A dense layer's weight is a matrix: two numbers, inputs and units."};
      }
      return CheckMistakes(exercise, shape);
    }
    case ExerciseKind::kFindLine: {
      const std::vector<double> numbers = ReadAnswerNumbers(learner_text, true);
      if (numbers.size() != 1 || !IsWhole(numbers[0])) return CheckResult{false, "Give the line's number."};
      return CheckMistakes(exercise, numbers);
    }
    case ExerciseKind::kChoice: {
      const int chosen = ChosenIndex(exercise, learner_text);
      if (chosen < 0) return CheckResult{false, exercise.fallback_hint};
      return CheckMistakes(exercise, {static_cast<double>(chosen)});
    }
    case ExerciseKind::kPredict:
      break;
  }
  return CheckResult{false, exercise.fallback_hint};
}

}  // namespace convtutor::lessons
