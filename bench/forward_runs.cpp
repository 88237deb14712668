// Times the fast whole-layer path (Forward) on the live-preview layer of issue 7, a 3×256×256
// picture through 8 filters 3×3 (valid, stride 1, bias), 20 times after one warm-up run. Built
// natively and as WebAssembly; bench/forward_browser.mjs runs both and prints one JSON line each.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "bench_scenes.h"
#include "convtutor/forward.h"
#include "convtutor/geometry.h"

int main() {
  constexpr int kRuns = 20;
  const convtutor::Scene scene = convtutor::bench::ConvScene(3, 256, 8, 3, 1, convtutor::PaddingMode::kValid);
  const auto geometry = convtutor::ResolveGeometry(scene);
  if (!geometry) {
    std::fprintf(stderr, "forward_runs: %s\n", geometry.error().ToString().c_str());
    return 1;
  }
  float checksum = convtutor::Forward(scene, geometry.value()).values[0];  // the warm-up run
  std::vector<double> run_ms;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = std::chrono::steady_clock::now();
    const convtutor::Volume output = convtutor::Forward(scene, geometry.value());
    const auto stop = std::chrono::steady_clock::now();
    checksum += output.values.back();  // keeps the work observable
    run_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::vector<double> sorted = run_ms;
  std::sort(sorted.begin(), sorted.end());
  const double median_ms = (sorted[kRuns / 2 - 1] + sorted[kRuns / 2]) / 2.0;
  std::printf("{\"layer\": \"3x256x256 -> 8 filters 3x3, valid\", \"multiply_adds\": %lld, \"median_ms\": %.3f, "
              "\"min_ms\": %.3f, \"max_ms\": %.3f, \"checksum\": %g}\n",
              static_cast<long long>(geometry.value().multiply_adds), median_ms, sorted.front(), sorted.back(),
              static_cast<double>(checksum));
  return 0;
}
