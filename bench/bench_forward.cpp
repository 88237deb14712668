// Google Benchmark of the fast whole-layer path (Forward) on the three reference layers,
// reported as multiply-adds per second so it compares directly with bench/pytorch_reference.py.
#include <benchmark/benchmark.h>

#include "convtutor/forward.h"
#include "convtutor/generate.h"
#include "convtutor/geometry.h"
#include "convtutor/scene.h"

namespace {

using convtutor::FillSpec;
using convtutor::GenerateValues;

convtutor::Scene ConvScene(int channels, int size, int filters, int kernel, int stride,
                           convtutor::PaddingMode padding) {
  convtutor::Scene scene;
  scene.layer.op = convtutor::Op::kConv2d;
  scene.layer.kernel = {kernel, kernel};
  scene.layer.stride = {stride, stride};
  scene.layer.padding.mode = padding;
  FillSpec fill;
  fill.integers = false;
  scene.input = convtutor::Volume::Zeros(channels, size, size);
  scene.input.values = GenerateValues(scene.input.values.size(), fill);
  fill.seed = 2;
  scene.weights = convtutor::FilterBank::Zeros(filters, channels, kernel, kernel);
  scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
  fill.seed = 3;
  scene.bias = GenerateValues(static_cast<std::size_t>(filters), fill);
  return scene;
}

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

BENCHMARK(BM_Rgb256_32x4x4_Stride2_Valid)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Rgb256_8x3x3_Valid)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_C64x56_64x3x3_Same)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
