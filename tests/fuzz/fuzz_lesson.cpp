// Fuzz target for the lesson reader (lessons::ParseLesson): any Markdown gives a lesson and errors,
// every block's index points into its vector and every error names a line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "convtutor/lesson.h"
#include "fuzz_check.h"

namespace {

using convtutor::fuzz::Check;

bool PointsInto(int index, std::size_t size) { return index >= 0 && static_cast<std::size_t>(index) < size; }
bool PointsIntoOrNone(int index, std::size_t size) { return index == -1 || PointsInto(index, size); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view markdown(reinterpret_cast<const char*>(data), size);
  if (convtutor::fuzz::MayNameEndlessFile(markdown)) return 0;
  // Scene blocks find pictures as the real lessons do, from the lessons folder.
  const convtutor::RequestOptions options{CONVTUTOR_SOURCE_DIR "/lessons", ""};
  const convtutor::lessons::ParsedLesson parsed = convtutor::lessons::ParseLesson(markdown, "fuzz.md", options);
  const convtutor::lessons::Lesson& lesson = parsed.lesson;
  for (const convtutor::Error& error : parsed.errors) Check(error.line >= 1, "every error has a line");
  for (const convtutor::lessons::Block& block : lesson.blocks) {
    Check(block.line >= 1, "every block has a line");
    switch (block.kind) {
      case convtutor::lessons::BlockKind::kScene:
        Check(PointsInto(block.index, lesson.scenes.size()), "a scene block points at a scene");
        break;
      case convtutor::lessons::BlockKind::kModel:
        Check(PointsInto(block.index, lesson.models.size()), "a model block points at a model");
        break;
      case convtutor::lessons::BlockKind::kExercise:
        Check(PointsInto(block.index, lesson.exercises.size()), "an exercise block points at an exercise");
        break;
      default:
        break;
    }
  }
  for (const convtutor::lessons::Exercise& exercise : lesson.exercises) {
    Check(PointsIntoOrNone(exercise.scene, lesson.scenes.size()), "an exercise's scene is in the lesson");
    Check(PointsIntoOrNone(exercise.model, lesson.models.size()), "an exercise's model is in the lesson");
  }
  return 0;
}
