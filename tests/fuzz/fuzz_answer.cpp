// Fuzz target for the exercise answer reader (lessons::CheckAnswer): any typed text gets a verdict
// and, when wrong, a hint; an answer written the way the core writes it (Grouped counts, pairs,
// shapes, DecimalText values) reads back as correct.
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

// An answer of each kind the core makes, from fuzzed numbers, written as the core writes it.
convtutor::lessons::Exercise MakeExercise(ByteReader& reader) {
  convtutor::lessons::Exercise exercise;
  exercise.fallback_hint = "wrong";
  Answer& answer = exercise.answer;
  switch (reader.Take<std::uint8_t>() % 4) {
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
  return exercise;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ByteReader reader(data, size);
  const convtutor::lessons::Exercise exercise = MakeExercise(reader);
  const convtutor::lessons::CheckResult typed = convtutor::lessons::CheckAnswer(exercise, reader.Rest());
  Check(typed.correct == typed.hint.empty(), "a wrong answer gets a hint, a right one none");
  // Values the core cannot write as a number ("undefined", "inf") have no text to read back.
  if (std::isfinite(exercise.answer.numbers[0])) {
    Check(convtutor::lessons::CheckAnswer(exercise, exercise.answer.text).correct,
          "the core's own answer text reads back as correct");
  }
  return 0;
}
