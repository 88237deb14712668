// The player's clock (a time accumulator) and the "lesson=<slug>&step=<n>" address format.
#include "convtutor/playback.h"

#include <cmath>

namespace convtutor {

PlaybackClock AdvanceClock(PlaybackClock clock, double now_seconds, std::int64_t step_count) {
  const double previous = clock.last_seconds;
  clock.last_seconds = now_seconds;
  if (step_count <= 0) {
    clock.step = 0;
    clock.playing = false;
    clock.carried = 0.0;
    return clock;
  }
  if (clock.step >= step_count) clock.step = step_count - 1;
  if (clock.step < 0) clock.step = 0;
  if (!clock.playing || previous < 0.0) {
    clock.carried = 0.0;
    return clock;
  }
  double elapsed = now_seconds - previous;
  if (elapsed < 0.0) elapsed = 0.0;
  if (elapsed > kMaxPlaybackGapSeconds) elapsed = kMaxPlaybackGapSeconds;
  clock.carried += elapsed * clock.steps_per_second;
  const double whole = std::floor(clock.carried);
  clock.carried -= whole;
  const std::int64_t remaining = step_count - 1 - clock.step;
  if (whole >= static_cast<double>(remaining)) {
    clock.step = step_count - 1;
    clock.playing = false;
    clock.carried = 0.0;
  } else {
    clock.step += static_cast<std::int64_t>(whole);
  }
  return clock;
}

namespace {

// Reads a non-negative decimal step; -1 for anything else (empty, signs, letters, overflow).
std::int64_t ParseStep(std::string_view text) {
  if (text.empty() || text.size() > 18) return -1;
  std::int64_t value = 0;
  for (char digit : text) {
    if (digit < '0' || digit > '9') return -1;
    value = value * 10 + (digit - '0');
  }
  return value;
}

}  // namespace

Location ParseLocation(std::string_view text) {
  Location location;
  if (!text.empty() && (text.front() == '#' || text.front() == '?')) text.remove_prefix(1);
  while (!text.empty()) {
    const std::size_t end = text.find('&');
    const std::string_view pair = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = pair.substr(0, equals);
    const std::string_view value = pair.substr(equals + 1);
    if (key == "lesson") {
      location.lesson = std::string(value);
    } else if (key == "step") {
      location.step = ParseStep(value);
    }
  }
  return location;
}

std::string FormatLocation(const Location& location) {
  std::string text = "lesson=" + location.lesson;
  if (location.step >= 0) text += "&step=" + std::to_string(location.step);
  return text;
}

}  // namespace convtutor
