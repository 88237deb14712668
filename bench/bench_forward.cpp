// Google Benchmark of the fast whole-layer path (Forward) on the three reference layers and a
// U-Net-like transposed layer, reported as multiply-adds per second so it compares directly with
// bench/pytorch_reference.py.
#include <benchmark/benchmark.h>

#include "bench_scenes.h"
#include "convtutor/forward.h"
#include "convtutor/geometry.h"

namespace {

using convtutor::bench::ConvScene;
using convtutor::bench::TransposedScene;

void RunLayer(benchmark::State& state, const convtutor::Scene& scene) {
  const auto geometry = convtutor::ResolveGeometry(scene);
  if (!geometry) {
    state.SkipWithError(geometry.error().ToString().c_str());
    return;
  }
  for (auto _ : state) {
    convtutor::Volume output = convtutor::Forward(scene, geometry.value());
    benchmark::DoNotOptimize(output.values.data());
    benchmark::ClobberMemory();
  }
  state.counters["MAC/s"] = benchmark::Counter(
      static_cast<double>(geometry.value().multiply_adds) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_Rgb256_32x4x4_Stride2_Valid(benchmark::State& state) {
  RunLayer(state, ConvScene(3, 256, 32, 4, 2, convtutor::PaddingMode::kValid));
}
void BM_Rgb256_8x3x3_Valid(benchmark::State& state) {
  RunLayer(state, ConvScene(3, 256, 8, 3, 1, convtutor::PaddingMode::kValid));
}
void BM_C64x56_64x3x3_Same(benchmark::State& state) {
  RunLayer(state, ConvScene(64, 56, 64, 3, 1, convtutor::PaddingMode::kSame));
}
// 64×56×56 → 32 maps of 112×112: each phase a 2×2 convolution over 64 channels.
void BM_C64x56_Transposed32x4x4_Stride2(benchmark::State& state) {
  RunLayer(state, TransposedScene(64, 56, 32, 4, 2, 1));
}

BENCHMARK(BM_Rgb256_32x4x4_Stride2_Valid)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Rgb256_8x3x3_Valid)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_C64x56_64x3x3_Same)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_C64x56_Transposed32x4x4_Stride2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
