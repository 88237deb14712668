// Private to lessons, models and exercises: numbers written the way the learner reads them
// ("4,632", "2.5", "−3") and the glyphs of the formulas.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace convtutor::lessons {

// The pieces of `text` between `delimiter`s ("a.b.c" → a, b, c; "a." → a and an empty piece).
// Plain string work: the browser build stays free of the iostreams machinery.
inline std::vector<std::string> Split(std::string_view text, char delimiter) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  for (std::size_t end = text.find(delimiter); end != std::string_view::npos; end = text.find(delimiter, start)) {
    pieces.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  pieces.emplace_back(text.substr(start));
  return pieces;
}

inline constexpr const char* kTimes = "\u00D7";
inline constexpr const char* kDot = "\u00B7";
inline constexpr const char* kMinusSign = "\u2212";

// Whole numbers with thousands separators, as Keras's summary prints parameter counts.
inline std::string Grouped(std::int64_t number) {
  const bool negative = number < 0;
  std::string digits = std::to_string(negative ? -number : number);
  for (std::size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return (negative ? kMinusSign : "") + digits;
}

// A value with at most four decimals and no trailing zeros; a real minus sign.
inline std::string DecimalText(double value) {
  if (std::isnan(value)) return "undefined";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", std::fabs(value));
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  const bool zero = text == "0";
  return (value < 0 && !zero ? kMinusSign : "") + text;
}

}  // namespace convtutor::lessons
