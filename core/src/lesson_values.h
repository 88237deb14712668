// Inline computed values in lesson prose (private to the lesson parser): an inline code span
// "=<id>.<what>" is replaced by the number, shape or formula the core computes, so a lesson
// never has to type a result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "convtutor/lesson.h"

namespace convtutor::lessons {

// The parts of an inline value's expression "<id>.<what>" or "<model>.<what>.<layer>".
struct InlineExpression {
  std::string id;
  std::string what;
  int layer = -1;  // third part, for model layer values
};

// Reads an expression (without the leading "="); the error quotes it.
Result<InlineExpression> ParseInlineExpression(std::string_view text);

// What "=<id>.<what>[.<layer>]" stands for in `lesson`, e.g. "=valid.output_width" → "127",
// "=cats.layer_shape.1" → "(298, 298, 32)", "=same.rows_explanation" → "total padding 2 → ...".
Result<std::string> InlineValue(const Lesson& lesson, std::string_view expression);

// Replaces every inline value in the lesson's text blocks; each one that cannot be computed is an
// error with its block's line.
std::vector<Error> ExpandInlineValues(Lesson& lesson, const std::string& file_name);

}  // namespace convtutor::lessons
