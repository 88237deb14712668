// The fast path's per-thread working memory (forward_scratch.h says why it outlives a call).
#include "forward_scratch.h"

#include <algorithm>

namespace convtutor::detail {

ForwardScratch& ThreadScratch() {
  thread_local ForwardScratch scratch;
  return scratch;
}

float* Sized(std::vector<float>& buffer, std::size_t size) {
  if (buffer.size() < size) buffer.resize(size);
  return buffer.data();
}

float* Zeroed(std::vector<float>& buffer, std::size_t size) {
  float* values = Sized(buffer, size);
  std::fill(values, values + size, 0.0f);
  return values;
}

}  // namespace convtutor::detail
