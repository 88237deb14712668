// Shared by the fuzz targets: a property check that stops the run with a message (libFuzzer
// keeps the input that got there), and the guard that keeps picture paths away from devices.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace convtutor::fuzz {

// Like assert, but also in release builds, and saying which property broke.
inline void Check(bool holds, const char* property) {
  if (holds) return;
  std::fprintf(stderr, "property broken: %s\n", property);
  std::abort();
}

// Requests and lessons may name picture files; an input that could name a device or a pipe
// (which never end, or block) is skipped, as are JSON \u escapes that could spell one.
inline bool MayNameEndlessFile(std::string_view text) {
  for (std::string_view risky : {"/dev", "/proc", "/sys", "/run", "\\u"}) {
    if (text.find(risky) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace convtutor::fuzz
