// Fuzz target for the exercise answer reader (lessons::CheckAnswer): any typed text gets a verdict
// and, when wrong, a hint; an answer written the way the core writes it (Grouped counts, pairs,
// shapes, DecimalText values, inverse numbers, weight shapes, lines, choice letters) reads back
// as correct. The other kinds are made by the core from fuzzed layers and choices.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/exercise.h"
#include "fuzz_check.h"
#include "lesson_text.h"

namespace {

using convtutor::fuzz::Check;
using convtutor::lessons::Answer;
using convtutor::lessons::Ask;

// Reads fuzz bytes as numbers; past the end they are zero.
class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  template <class T>
  T Take() {
    T value{};
    const std::size_t count = std::min(sizeof value, size_ - offset_);
    std::memcpy(&value, data_ + offset_, count);
    offset_ += count;
    return value;
  }
  std::string_view Rest() const {
    return std::string_view(reinterpret_cast<const char*>(data_ + offset_), size_ - offset_);
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t offset_ = 0;
};

// Whole numbers an Answer's doubles hold exactly (|n| < 2^53).
std::int64_t ExactCount(std::int64_t raw) { return raw % (std::int64_t{1} << 53); }

// A model of an input and one convolution or dense layer, with fuzzed sizes the core could have
// summarised (the exercise makers read only these fields).
convtutor::lessons::ModelSummary OneLayerModel(ByteReader& reader, bool dense) {
  convtutor::lessons::ModelLayer input, layer;
  input.kind = "Input";
  const int height = 1 + reader.Take<std::uint8_t>(), width = 1 + reader.Take<std::uint8_t>();
  const int channels = 1 + reader.Take<std::uint8_t>() % 64;
  input.output_shape = dense ? std::vector<int>{height * width} : std::vector<int>{height, width, channels};
  layer.kind = dense ? "Dense" : "Conv2D";
  layer.input_shape = input.output_shape;
  layer.filters = 1 + reader.Take<std::uint8_t>();
  layer.kernel_rows = 1 + reader.Take<std::uint8_t>() % 9;
  layer.kernel_cols = 1 + reader.Take<std::uint8_t>() % 9;
  layer.stride_rows = 1 + reader.Take<std::uint8_t>() % 5;
  layer.stride_cols = layer.stride_rows;
  layer.same_padding = reader.Take<std::uint8_t>() % 2 == 1;
  layer.output_shape = {1, 1, layer.filters};
  convtutor::lessons::ModelSummary summary;
  summary.layers = {input, layer};
  return summary;
}

// Models with one mistake each, for find_line: a wrong in_features, a channel mismatch, a layer
// that has shrunk to nothing.
constexpr const char* kBrokenModels[] = {
    "Input(1, 28, 28)\nnn.Conv2d(1, 8, 3)\nnn.Flatten()\nnn.Linear(6272, 10)\n",
    "Input(3, 32, 32)\nnn.Conv2d(3, 16, 3)\nnn.Conv2d(32, 8, 3)\n",
    "Input(4, 4, 1)\nConv2D(8, (3, 3))\nConv2D(8, (3, 3))\n",
};

// The kinds that ask the other way round, made by the core; false when the fuzzed numbers make no
// exercise (no value reaches the target), which is a fine outcome too.
bool MakeOtherKind(ByteReader& reader, std::uint8_t which, convtutor::lessons::Exercise* exercise) {
  using convtutor::lessons::Framework;
  convtutor::lessons::ExerciseSpec spec;
  spec.id = "fuzz";
  spec.question = "?";
  spec.layer = 1;
  convtutor::Result<convtutor::lessons::Exercise> made = convtutor::Error{};
  switch (which) {
    case 4: {
      const Framework framework = static_cast<Framework>(reader.Take<std::uint8_t>() % 3);
      const bool dense = reader.Take<std::uint8_t>() % 2 == 1;
      made = convtutor::lessons::MakeWeightShapeExercise(spec, framework, OneLayerModel(reader, dense));
      break;
    }
    case 5: {
      const auto unknown = static_cast<convtutor::lessons::Unknown>(reader.Take<std::uint8_t>() % 3);
      const int target = 1 + reader.Take<std::uint8_t>();
      made = convtutor::lessons::MakeInverseExercise(spec, unknown, true, target, OneLayerModel(reader, false));
      break;
    }
    case 6:
      made = convtutor::lessons::MakeFindLineExercise(spec, kBrokenModels[reader.Take<std::uint8_t>() % 3]);
      break;
    default: {
      std::vector<convtutor::lessons::Choice> choices(2 + reader.Take<std::uint8_t>() % 5);
      for (std::size_t i = 0; i < choices.size(); ++i) {
        choices[i] = {"answer " + std::to_string(i), "because " + std::to_string(i)};
      }
      const int right = reader.Take<std::uint8_t>() % static_cast<int>(choices.size());
      made = convtutor::lessons::MakeChoiceExercise(spec, choices, right);
      break;
    }
  }
  if (!made) return false;
  *exercise = std::move(made.value());
  return true;
}

// An answer of each kind the core makes, from fuzzed numbers, written as the core writes it.
bool MakeExercise(ByteReader& reader, convtutor::lessons::Exercise* made) {
  convtutor::lessons::Exercise& exercise = *made;
  exercise.fallback_hint = "wrong";
  Answer& answer = exercise.answer;
  const std::uint8_t which = reader.Take<std::uint8_t>() % 8;
  if (which >= 4) return MakeOtherKind(reader, which, made);
  switch (which) {
    case 0: {
      exercise.ask = Ask::kParameters;
      const std::int64_t count = ExactCount(reader.Take<std::int64_t>());
      answer = Answer{{static_cast<double>(count)}, true, convtutor::lessons::Grouped(count)};
      break;
    }
    case 1: {
      exercise.ask = Ask::kPaddingRows;
      const std::int64_t before = reader.Take<std::int32_t>(), after = reader.Take<std::int32_t>();
      answer = Answer{{static_cast<double>(before), static_cast<double>(after)}, true,
                      std::to_string(before) + " before, " + std::to_string(after) + " after"};
      break;
    }
    case 2: {
      exercise.ask = Ask::kLayerShape;
      std::vector<int> shape;
      for (int axis = 0; axis < 3; ++axis) shape.push_back(reader.Take<std::uint16_t>());
      answer = Answer{{}, true, convtutor::lessons::ShapeText(shape)};
      for (int extent : shape) answer.numbers.push_back(extent);
      break;
    }
    default: {
      exercise.ask = Ask::kValue;
      // Values are floats in the core (a double's 300 digits are not a value a scene makes).
      const double value = reader.Take<float>();
      answer = Answer{{value}, false, convtutor::lessons::DecimalText(value)};
      break;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader reader(data, size);
  convtutor::lessons::Exercise exercise;
  if (!MakeExercise(reader, &exercise)) return 0;
  const convtutor::lessons::CheckResult typed = convtutor::lessons::CheckAnswer(exercise, reader.Rest());
  Check(typed.correct == typed.hint.empty(), "a wrong answer gets a hint, a right one none");
  // Values the core cannot write as a number ("undefined", "inf") have no text to read back.
  if (std::isfinite(exercise.answer.numbers[0])) {
    Check(convtutor::lessons::CheckAnswer(exercise, exercise.answer.text).correct,
          "the core's own answer text reads back as correct");
  }
  return 0;
}
