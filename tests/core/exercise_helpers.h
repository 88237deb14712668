// Small helpers the exercise test suites share: a request from literal JSON, a scene exercise made
// from it, a bare spec asking one thing, and whether a wrong answer's hint names the mistake.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "convtutor/exercise.h"
#include "convtutor/request.h"

namespace convtutor::testing {

inline Request MakeRequest(const std::string& json) {
  auto request = ParseRequestText(json);
  EXPECT_TRUE(request.ok()) << (request.ok() ? "" : request.error().ToString());
  return request.ok() ? request.value() : Request{};
}

inline lessons::Exercise SceneExercise(const std::string& json, lessons::ExerciseSpec spec) {
  auto exercise = lessons::MakeSceneExercise(spec, MakeRequest(json));
  EXPECT_TRUE(exercise.ok()) << (exercise.ok() ? "" : exercise.error().ToString());
  return exercise.ok() ? exercise.value() : lessons::Exercise{};
}

inline lessons::ExerciseSpec Asking(lessons::Ask ask) {
  lessons::ExerciseSpec spec;
  spec.id = "q";
  spec.question = "?";
  spec.ask = ask;
  return spec;
}

inline bool HintMentions(const lessons::CheckResult& result, const std::string& words) {
  return !result.correct && result.hint.find(words) != std::string::npos;
}

}  // namespace convtutor::testing
