// Times the fast whole-layer path (Forward) on the three reference layers of bench/bench_scenes.h,
// 20 runs each after warm-up runs filling kWarmUpMs (at least one), and prints one JSON line per layer: the median, fastest and
// slowest run in wall-clock ms, and the median in CPU ms (std::clock: this program has one thread,
// so it is the CPU time PyTorch's script reports; in a browser it falls back to the wall clock).
// Built natively and as WebAssembly; bench/forward_browser.mjs and bench/side_by_side.mjs read it.
//   forward_runs [LAYER_NAME]   only that layer (names as in bench/pytorch_reference.py)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <vector>

#include "bench_scenes.h"
#include "convtutor/forward.h"
#include "convtutor/geometry.h"

namespace {

constexpr int kRuns = 20;
// WebAssembly starts in V8's baseline compiler and its optimising compiler replaces hot functions
// in the background, later on a busy machine: the warm-up lasts long enough for that to be done,
// so that the runs time the code a learner's page runs once it has been open a moment. (With
// 300 ms the first layer, timed right after the page loads, was sometimes still partly in the
// baseline code on the 2-core machine: 2.1–3.3 ms in Chromium where node took 1.97.)
constexpr double kWarmUpMs = 1000.0;

struct ReferenceLayer {
  const char* name;
  int channels, size, filters, kernel, stride;
  convtutor::PaddingMode padding;
};

constexpr ReferenceLayer kLayers[] = {
    {"Rgb256_32x4x4_Stride2_Valid", 3, 256, 32, 4, 2, convtutor::PaddingMode::kValid},
    {"Rgb256_8x3x3_Valid", 3, 256, 8, 3, 1, convtutor::PaddingMode::kValid},
    {"C64x56_64x3x3_Same", 64, 56, 64, 3, 1, convtutor::PaddingMode::kSame},
};

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
}

bool TimeLayer(const ReferenceLayer& layer) {
  const convtutor::Scene scene =
      convtutor::bench::ConvScene(layer.channels, layer.size, layer.filters, layer.kernel, layer.stride, layer.padding);
  const auto geometry = convtutor::ResolveGeometry(scene);
  if (!geometry) {
    std::fprintf(stderr, "forward_runs: %s: %s\n", layer.name, geometry.error().ToString().c_str());
    return false;
  }
  float checksum = 0.0f;
  const auto warm_up_start = std::chrono::steady_clock::now();
  do {
    checksum += convtutor::Forward(scene, geometry.value()).values[0];
  } while (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - warm_up_start).count() <
           kWarmUpMs);
  std::vector<double> wall_ms;
  std::vector<double> cpu_ms;
  for (int run = 0; run < kRuns; ++run) {
    const std::clock_t cpu_start = std::clock();
    const auto start = std::chrono::steady_clock::now();
    const convtutor::Volume output = convtutor::Forward(scene, geometry.value());
    const auto stop = std::chrono::steady_clock::now();
    const std::clock_t cpu_stop = std::clock();
    checksum += output.values.back();  // keeps the work observable
    wall_ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    cpu_ms.push_back(1000.0 * static_cast<double>(cpu_stop - cpu_start) / CLOCKS_PER_SEC);
  }
  std::printf("{\"layer\": \"%s\", \"multiply_adds\": %lld, \"median_ms\": %.3f, \"min_ms\": %.3f, "
              "\"max_ms\": %.3f, \"cpu_median_ms\": %.3f, \"checksum\": %g}\n",
              layer.name, static_cast<long long>(geometry.value().multiply_adds), Median(wall_ms),
              *std::min_element(wall_ms.begin(), wall_ms.end()), *std::max_element(wall_ms.begin(), wall_ms.end()),
              Median(cpu_ms), static_cast<double>(checksum));
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: forward_runs [LAYER_NAME]\n");
    return 2;
  }
  bool found = false;
  for (const ReferenceLayer& layer : kLayers) {
    if (argc == 2 && std::strcmp(argv[1], layer.name) != 0) continue;
    found = true;
    if (!TimeLayer(layer)) return 1;
  }
  if (!found) {
    std::fprintf(stderr, "forward_runs: no reference layer named %s\n", argv[1]);
    return 2;
  }
  std::printf("{\"done\": true}\n");
  return 0;
}
