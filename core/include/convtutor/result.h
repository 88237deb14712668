// Errors as values: a Result<T> holds either a value or an Error that names the field at fault,
// so the CLI can print one clear line and the app can show a broken lesson without stopping.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace convtutor {

struct Error {
  std::string field;    // e.g. "weights", "padding", "lessons/03-padding.md"; may be empty
  std::string message;  // what was expected, in plain words
  int line = 0;         // 1-based line in a lesson file; 0 when not about a file

  // "field: message" (or "field:line: message"), the one line the CLI prints.
  std::string ToString() const {
    std::string text = field;
    if (line > 0) text += ":" + std::to_string(line);
    if (!text.empty()) text += ": ";
    return text + message;
  }
};

template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}    // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const T& value() const { return std::get<0>(state_); }
  T& value() { return std::get<0>(state_); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace convtutor
