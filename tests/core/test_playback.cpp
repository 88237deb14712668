// Tests of the player's clock (steps follow elapsed time, not frames) and of the shareable
// "lesson=<slug>&step=<n>" address. Expected values are worked by hand.
#include <gtest/gtest.h>

#include "convtutor/playback.h"

namespace convtutor {
namespace {

PlaybackClock PlayingAt(double steps_per_second, double start_seconds) {
  PlaybackClock clock;
  clock.playing = true;
  clock.steps_per_second = steps_per_second;
  return AdvanceClock(clock, start_seconds, 100);
}

TEST(playback, first_call_only_records_the_time) {
  const PlaybackClock clock = PlayingAt(4.0, 10.0);
  EXPECT_EQ(clock.step, 0);
  EXPECT_DOUBLE_EQ(clock.last_seconds, 10.0);
}

TEST(playback, steps_follow_elapsed_time_whatever_the_frame_rate) {
  // 4 steps per second for one second: 4 steps, in 3 frames or in 100.
  PlaybackClock few_frames = PlayingAt(4.0, 0.0);
  for (double t : {0.3, 0.6, 1.0}) few_frames = AdvanceClock(few_frames, t, 100);
  PlaybackClock many_frames = PlayingAt(4.0, 0.0);
  for (int frame = 1; frame <= 100; ++frame) many_frames = AdvanceClock(many_frames, frame * 0.01, 100);
  EXPECT_EQ(few_frames.step, 4);
  EXPECT_EQ(many_frames.step, 4);
}

TEST(playback, fractions_of_a_step_carry_over_between_frames) {
  // 2 steps per second, frames every 0.2 s: 0.4, 0.8, 1.2 → one step at the third frame.
  PlaybackClock clock = PlayingAt(2.0, 0.0);
  clock = AdvanceClock(clock, 0.2, 100);
  clock = AdvanceClock(clock, 0.4, 100);
  EXPECT_EQ(clock.step, 0);
  clock = AdvanceClock(clock, 0.6, 100);
  EXPECT_EQ(clock.step, 1);
}

TEST(playback, a_paused_clock_does_not_move) {
  PlaybackClock clock;
  clock.step = 7;
  clock = AdvanceClock(clock, 0.0, 100);
  clock = AdvanceClock(clock, 5.0, 100);
  EXPECT_EQ(clock.step, 7);
  EXPECT_FALSE(clock.playing);
}

TEST(playback, stops_at_the_last_step) {
  PlaybackClock clock = PlayingAt(4.0, 0.0);
  clock.step = 8;
  clock = AdvanceClock(clock, 0.5, 10);  // 2 steps wanted, 1 left
  EXPECT_EQ(clock.step, 9);
  EXPECT_FALSE(clock.playing);
}

TEST(playback, a_long_gap_counts_as_half_a_second) {
  // A suspended tab comes back after 60 s: at 10 steps/s the player moves 5, not 600.
  PlaybackClock clock = PlayingAt(10.0, 0.0);
  clock = AdvanceClock(clock, 60.0, 1000);
  EXPECT_EQ(clock.step, 5);
}

TEST(playback, a_step_beyond_a_shorter_sequence_is_clamped) {
  PlaybackClock clock;
  clock.step = 50;
  clock = AdvanceClock(clock, 0.0, 20);
  EXPECT_EQ(clock.step, 19);
}

TEST(location, reads_lesson_and_step) {
  const Location location = ParseLocation("lesson=03-padding&step=42");
  EXPECT_EQ(location.lesson, "03-padding");
  EXPECT_EQ(location.step, 42);
}

TEST(location, accepts_a_leading_hash_and_any_order) {
  const Location location = ParseLocation("#step=5&lesson=intro");
  EXPECT_EQ(location.lesson, "intro");
  EXPECT_EQ(location.step, 5);
}

TEST(location, ignores_unknown_keys_and_unreadable_steps) {
  const Location location = ParseLocation("theme=dark&lesson=sandbox&step=-3&junk");
  EXPECT_EQ(location.lesson, "sandbox");
  EXPECT_EQ(location.step, -1);
}

TEST(location, an_empty_address_names_nothing) {
  const Location location = ParseLocation("");
  EXPECT_TRUE(location.lesson.empty());
  EXPECT_EQ(location.step, -1);
}

TEST(location, formats_as_the_page_address) {
  EXPECT_EQ(FormatLocation(Location{"intro", 12}), "lesson=intro&step=12");
  EXPECT_EQ(FormatLocation(Location{"intro", -1}), "lesson=intro");
}

}  // namespace
}  // namespace convtutor
