// The fast path's working memory (packed weights and patches, a strided input split by phase,
// Winograd's transformed tiles and sums), kept from one Forward call to the next on each thread:
// fresh buffers of a few hundred KB cost a page fault per 4 KB on every call, which on a
// 64-channel layer took a third of its time.
#pragma once

#include <cstddef>
#include <vector>

namespace convtutor::detail {

struct ForwardScratch {
  std::vector<float> weights;  // the layer's weights regrouped (or transformed) for the register tile
  std::vector<float> inputs;   // packed patches, or Winograd's transformed input tiles
  std::vector<float> sums;     // sums that do not go straight to the output
  std::vector<float> padded;   // Winograd's input rows with their padding
  std::vector<float> phases;   // a strided layer's input, its columns split by phase
};

// This thread's scratch; each Forward call uses it from start to end, never two at once.
ForwardScratch& ThreadScratch();

// `buffer` holding at least `size` values, its memory kept; the values are whatever it held.
float* Sized(std::vector<float>& buffer, std::size_t size);

// `buffer` holding `size` zeros, its memory kept.
float* Zeroed(std::vector<float>& buffer, std::size_t size);

}  // namespace convtutor::detail
