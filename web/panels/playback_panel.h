// The transport bar: first / back / play-pause / forward / last, a timeline scrubber over every
// step, the speed and the level of detail. It only reports what the learner asked for.
#pragma once

#include <cstdint>
#include <string>

#include "convtutor/steps.h"

namespace convtutor::app {

struct PlaybackView {
  std::int64_t step = 0;
  std::int64_t steps = 0;
  bool playing = false;
  double steps_per_second = 2.0;
  Level level = Level::kCell;
  bool pooling = false;  // pooling has no channel level: one step per window tap instead
  // Non-empty when the number of steps is what an open exercise asks (multiply-adds at the finest
  // level): the counter reads "step 3 of ?" and this note is its tooltip.
  std::string steps_note;
};

struct PlaybackRequest {
  std::int64_t seek = -1;         // jump to this step
  bool toggle_play = false;
  double steps_per_second = 0.0;  // > 0: new speed
  bool change_level = false;
  Level level = Level::kCell;
};

// The speeds offered, in steps per second.
constexpr double kPlaybackSpeeds[] = {0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 64.0, 256.0};

PlaybackRequest DrawPlaybackPanel(const PlaybackView& view);

}  // namespace convtutor::app
