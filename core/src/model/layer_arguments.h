// One layer call's arguments, by the layer's positional order and keywords: checked (unknown
// keywords named, with the framework's spelling), and read as whole numbers, pairs, flags, padding
// modes and input shapes, each refusal naming the line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "convtutor/result.h"
#include "model/calls.h"

namespace convtutor::lessons::reading {

// Arguments that do not change shapes or parameter counts.
bool IsIgnorable(const std::string& keyword);

// A whole number ≥ 0 or a pair of them (padding=1, output_padding=(1, 0)) into rows and cols; false
// when `value` is neither.
bool NonNegativePair(const Value& value, int& rows, int& cols);

class LayerArguments {
 public:
  // `positional_names` in the order the layer's signature takes them.
  LayerArguments(const Call& call, std::vector<std::string> positional_names);

  // Checks the positional count and that every keyword is known or harmless.
  Result<bool> Check(const std::vector<std::string>& extra_keywords) const;

  const Argument* Find(const std::string& name) const;

  // A positive int, or a pair of them from a tuple; `fallback` when absent (or None).
  Result<std::pair<int, int>> Pair(const std::string& name, std::pair<int, int> fallback) const;
  Result<int> Positive(const std::string& name, bool required) const;
  Result<bool> Flag(const std::string& name, bool fallback) const;
  // padding='valid' or 'same'.
  Result<bool> SamePadding() const;
  // A shape tuple of whole numbers such as (300, 300, 3); None is refused (sizes must be known).
  Result<std::vector<int>> Shape(const Value& value, int line) const;

  const Call& call() const { return call_; }
  const std::vector<const Argument*>& positional() const { return positional_; }

 private:
  const Call& call_;
  std::vector<const Argument*> positional_;
  std::vector<const Argument*> keywords_;
  std::vector<std::string> names_;
};

}  // namespace convtutor::lessons::reading
