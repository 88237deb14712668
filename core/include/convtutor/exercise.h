// "Predict, then see" exercises: the learner predicts a number (an output size, a padding split,
// a value at a step, a parameter count, ...) and the core, which computed the answer from the scene,
// says whether it is right or which step of the formula went wrong. Other kinds ask the other way
// round: which padding gives this size, what shape the weight tensor has, which line the core
// refuses, or which of a few answers is right.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/model.h"
#include "convtutor/request.h"
#include "convtutor/result.h"
#include "convtutor/steps.h"

namespace convtutor::lessons {

// What an exercise asks about. The answer always comes from the core, never from the lesson text.
enum class Ask {
  kOutputHeight,      // scene: output rows
  kOutputWidth,       // scene: output columns
  kPaddingRows,       // scene: "before after" padding along the rows (top bottom)
  kPaddingCols,       // scene: "before after" padding along the columns (left right)
  kValue,             // scene: the final value of one output cell ("cell": [row, col], "channel")
  kPartialSum,        // scene: the running value after step "step" at level "level"
  kParameters,        // scene: weights + bias
  kFeatureMaps,       // scene: number of output channels
  kMultiplyAdds,      // scene: multiply-adds for the whole layer
  kLayerShape,        // model: output shape of layer "layer" (1-based, Input is 0)
  kLayerParameters,   // model: parameters of layer "layer"
  kModelParameters,   // model: total parameters
  kLayerMultiplyAdds, // model: multiply-adds of layer "layer"
  kReceptiveField,    // scene stack: input rows one cell after layer "layer" sees (receptive_field.h)
};

// What kind of question an exercise is. Every kind is checked by the core.
enum class ExerciseKind {
  kPredict,      // predict the number the scene or model gives (an Ask)
  kInverse,      // which padding, stride or kernel gives this output size? checked by computing with it
  kWeightShape,  // the weight tensor of a model layer, in a named framework's order
  kFindLine,     // which line of a model does the core refuse?
  kChoice,       // one of a few answers is right; each wrong one has its own explanation
};
const char* ExerciseKindName(ExerciseKind kind);  // "predict", "inverse", "weight_shape", "find_line", "choice"
bool ParseExerciseKind(std::string_view name, ExerciseKind* kind);

const char* AskName(Ask ask);  // the lesson-file spelling: "output_height", "padding_rows", ...
bool ParseAsk(std::string_view name, Ask* ask);

// A computed answer: one number, a pair (padding before/after) or a shape (H, W, C).
struct Answer {
  std::vector<double> numbers;
  bool integral = true;  // false for values (compared with a small tolerance)
  std::string text;      // how to show it, e.g. "61", "1 before, 2 after", "(61, 61, 24)", "-3.5"
};

// A typical wrong path and what the learner who took it should look at.
struct Mistake {
  Answer result;      // what that wrong path produces for this scene
  std::string hint;   // points at the step of the formula that went wrong
};

// An inverse exercise: the layer of a scene along one axis, with the learner's number put in place
// of the unknown before the core computes the output size.
enum class Unknown { kPadding, kStride, kKernel };
struct InverseProblem {
  Unknown unknown = Unknown::kPadding;
  bool rows = true;          // the axis: rows (height) or columns (width)
  int target = 0;            // the output size asked for
  PaddingMode mode = PaddingMode::kValid;  // the scene's padding (explicit once the learner gives numbers)
  int input = 0, kernel = 0, stride = 1, dilation = 1, pad_before = 0, pad_after = 0;
  bool ceil_mode = false, pooling = false;
};

// Frameworks whose weight tensors are laid out differently.
enum class Framework {
  kTensorFlow,  // tf.nn.conv2d's filter [kh, kw, in, out]; a Dense matrix [in, units]
  kKeras,       // layer.kernel.shape: (kh, kw, in, out); Dense (in, units)
  kPyTorch,     // module.weight.shape: (out, in, kh, kw); Linear (out_features, in_features)
};
const char* FrameworkName(Framework framework);  // "tensorflow", "keras", "pytorch"
bool ParseFramework(std::string_view name, Framework* framework);

// One answer of a choice exercise, as the lesson wrote it.
struct Choice {
  std::string text;  // what the learner picks
  std::string why;   // why it is right or wrong, shown once picked
};

struct Exercise {
  ExerciseKind kind = ExerciseKind::kPredict;
  std::string id;              // unique within the lesson
  std::string question;        // the prompt shown to the learner (plain text)
  int line = 0;                // 1-based line of the exercise block in the lesson file
  Ask ask = Ask::kOutputHeight;
  int scene = -1;              // index into Lesson::scenes, or -1
  int model = -1;              // index into Lesson::models, or -1
  int layer = -1;              // model layer asks: the layer (Input is 0); -1 otherwise
  std::int64_t step = -1;      // the step that reveals the answer in the scene (-1: none), for "show me"
  Level step_level = Level::kCell;  // the level `step` counts at
  Answer answer;               // computed by the core
  std::string explanation;     // the working with the scene's numbers, shown once solved or revealed
  std::vector<Mistake> mistakes;
  std::string fallback_hint;   // for a wrong answer that matches no known mistake
  InverseProblem inverse;      // kInverse: what the learner's answer is computed with
  Framework framework = Framework::kTensorFlow;  // kWeightShape: whose order
  std::vector<Choice> choices; // kChoice, in the lesson's order; answer.numbers[0] is the right one's index
};

struct CheckResult {
  bool correct = false;
  std::string hint;  // empty when correct; otherwise specific when the answer matches a known mistake
};

// What a lesson's exercise block asks for, before the answer is computed.
struct ExerciseSpec {
  std::string id;
  std::string question;
  int line = 0;
  Ask ask = Ask::kOutputHeight;
  int cell_row = 0, cell_col = 0, channel = 0;  // kValue: the output cell (channel = output channel)
  std::int64_t step = 0;                        // kPartialSum
  Level level = Level::kTerm;                   // kPartialSum
  int layer = 0;                                // kLayerShape, kLayerParameters (Input is 0)
};

// Computes the answer, the working and the typical mistakes from a validated scene (scene asks)
// or a model summary (model asks). Fails, naming the field, when the answer cannot be computed
// (a cell outside the output, a step out of range, a layer that does not exist, a model ask on a scene).
Result<Exercise> MakeSceneExercise(const ExerciseSpec& spec, const Request& request);
Result<Exercise> MakeModelExercise(const ExerciseSpec& spec, const ModelSummary& summary);

// The kinds that ask the other way round. `spec` gives id, question, line (and layer for a weight
// shape). Each fails, naming the field, when the question cannot be set: no value of the unknown
// gives the target; a layer without weights; a model the core accepts (find_line needs a refusal);
// fewer than two choices or not exactly one right one.
Result<Exercise> MakeInverseExercise(const ExerciseSpec& spec, Unknown unknown, bool rows, int target,
                                     const Request& request);
// The same for layer `spec.layer` of a model (a convolution or a pooling layer).
Result<Exercise> MakeInverseExercise(const ExerciseSpec& spec, Unknown unknown, bool rows, int target,
                                     const ModelSummary& summary);
Result<Exercise> MakeWeightShapeExercise(const ExerciseSpec& spec, Framework framework, const ModelSummary& summary);
// `model_source` is the model block as written; its lines are counted from 1.
Result<Exercise> MakeFindLineExercise(const ExerciseSpec& spec, std::string_view model_source);
Result<Exercise> MakeChoiceExercise(const ExerciseSpec& spec, std::vector<Choice> choices, int right);

// Reads what the learner typed ("61", "4,632", "(None, 61, 61, 24)", "61x61x24", "1 2", "1, 2",
// "-3.5") and compares it with the computed answer. Inverse answers are computed with; weight shapes
// read "[5, 5, 1, 32]", "(32, 1, 5, 5)" or "[7*7*64, 1024]"; a line is its number; a choice is its
// letter ("b"), its number ("2") or its text.
CheckResult CheckAnswer(const Exercise& exercise, std::string_view learner_text);

}  // namespace convtutor::lessons
