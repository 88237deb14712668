// The player's clock and the shareable address of a place in the tutor, as pure functions so
// they can be tested without a window: playback advances by elapsed time, never per frame.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace convtutor {

// Where the player stands and how fast it moves. A few fields, no list of frames.
struct PlaybackClock {
  std::int64_t step = 0;
  bool playing = false;
  double steps_per_second = 2.0;
  double carried = 0.0;        // the fraction of a step accumulated since the last whole step
  double last_seconds = -1.0;  // the clock reading of the previous call; < 0 before the first
};

// Longest pause the clock accepts as playback time: after a suspended tab or a debugger stop
// the player resumes where it was instead of leaping ahead.
constexpr double kMaxPlaybackGapSeconds = 0.5;

// Advances `clock` to the monotonic time `now_seconds` over a sequence of `step_count` steps.
// Steps are taken at `steps_per_second` whatever the frame rate; at the last step the player
// stops. A paused clock only records the time.
PlaybackClock AdvanceClock(PlaybackClock clock, double now_seconds, std::int64_t step_count);

// A place in the tutor, as written in the page's address: "lesson=<slug>&step=<n>".
struct Location {
  std::string lesson;      // empty when the address names none
  std::int64_t step = -1;  // -1 when the address names none (or an unreadable one)
};

// Reads "lesson=<slug>&step=<n>", with or without a leading '#' or '?'. Unknown keys and
// unreadable values are ignored rather than refused: a shared link should open what it can.
Location ParseLocation(std::string_view text);
std::string FormatLocation(const Location& location);

}  // namespace convtutor
