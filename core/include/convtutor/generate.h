// Deterministic example values for scenes (lessons, the sandbox): the same seed gives the same
// numbers on every platform, native and WebAssembly alike, so no std:: distributions here.
#pragma once

#include <cstdint>
#include <vector>

namespace convtutor {

// kRamp counts 0, 1, 2, ... in storage order (like torch.arange); only kRandom uses low/high.
enum class Fill { kRandom, kRamp, kOnes, kZeros };

struct FillSpec {
  Fill fill = Fill::kRandom;
  std::uint32_t seed = 1;
  float low = -2.0f;    // random values lie in [low, high]
  float high = 2.0f;
  bool integers = true; // small integers read best on a grid
};

std::vector<float> GenerateValues(std::size_t count, const FillSpec& spec);

}  // namespace convtutor
