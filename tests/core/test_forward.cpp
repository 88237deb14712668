// The fast whole-layer path against the step path on many random scenes (every padding mode,
// stride, dilation, pooling rule), and the deterministic value generator the scenes are built from.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "convtutor/forward.h"
#include "convtutor/generate.h"
#include "convtutor/steps.h"
#include "forward_tile.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

// Draws a random layer and input; roughly half the draws are invalid (kernel wider than the
// padded input, ...), which the caller skips.
Scene RandomScene(std::mt19937& random, std::uint32_t seed) {
  auto pick = [&random](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  Scene scene;
  scene.layer.op = static_cast<Op>(pick(0, 2));
  const bool pooling = IsPooling(scene.layer.op);
  scene.layer.kernel = {pick(1, 4), pick(1, 4)};
  scene.layer.stride = {pick(1, 3), pick(1, 3)};
  if (scene.layer.op != Op::kAvgPool2d) scene.layer.dilation = {pick(1, 3), pick(1, 3)};
  const int mode = pick(0, pooling ? 2 : 3);
  scene.layer.padding.mode = mode == 0 ? PaddingMode::kValid
                             : mode == 1 ? PaddingMode::kSame
                             : mode == 2 ? PaddingMode::kExplicit
                                         : PaddingMode::kFull;
  if (scene.layer.padding.mode == PaddingMode::kExplicit) {
    const int most_rows = pooling ? scene.layer.kernel.rows / 2 : 3;
    const int most_cols = pooling ? scene.layer.kernel.cols / 2 : 3;
    scene.layer.padding.sides = Sides{pick(0, most_rows), pick(0, most_rows), pick(0, most_cols), pick(0, most_cols)};
  }
  FillSpec fill;
  fill.seed = seed;
  fill.integers = pick(0, 1) == 1;
  scene.input = Volume::Zeros(pick(1, 4), pick(1, 12), pick(1, 40));  // wide enough for 2 whole 16-pixel tiles
  scene.input.values = GenerateValues(scene.input.values.size(), fill);
  if (pooling) {
    const bool can_ceil = scene.layer.padding.mode != PaddingMode::kSame;
    scene.layer.ceil_mode = can_ceil && pick(0, 1) == 1;
    if (scene.layer.op == Op::kAvgPool2d) scene.layer.count_include_pad = pick(0, 1) == 1;
    return scene;
  }
  const int filters = pick(1, 4);
  scene.weights = FilterBank::Zeros(filters, scene.input.channels, scene.layer.kernel.rows, scene.layer.kernel.cols);
  fill.seed = seed + 1000003u;
  scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
  if (pick(0, 1) == 1) {
    fill.seed = seed + 2000003u;
    scene.bias = GenerateValues(static_cast<std::size_t>(filters), fill);
  }
  scene.layer.activation = pick(0, 1) == 1 ? Activation::kRelu : Activation::kNone;
  return scene;
}

std::string Describe(const Scene& scene) {
  const LayerSpec& layer = scene.layer;
  return std::string(OpName(layer.op)) + " " + PaddingModeName(layer.padding.mode) + " input " +
         std::to_string(scene.input.channels) + "x" + std::to_string(scene.input.height) + "x" +
         std::to_string(scene.input.width) + " kernel " + std::to_string(layer.kernel.rows) + "x" +
         std::to_string(layer.kernel.cols) + " stride " + std::to_string(layer.stride.rows) + "," +
         std::to_string(layer.stride.cols) + " dilation " + std::to_string(layer.dilation.rows) + "," +
         std::to_string(layer.dilation.cols) + (layer.ceil_mode ? " ceil" : "");
}

::testing::AssertionResult ForwardEqualsTheStepPathBitForBit(const Scene& scene, const Geometry& geometry) {
  const Volume fast = Forward(scene, geometry);
  for (std::size_t i = 0; i < fast.values.size(); ++i) {
    const float step = StepAt(scene, geometry, Level::kCell, static_cast<std::int64_t>(i)).value;
    if (fast.values[i] != step) {
      return ::testing::AssertionFailure() << Describe(scene) << " cell " << i << ": fast " << fast.values[i]
                                           << ", steps " << step;
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(forward, matches_the_step_path_on_many_random_scenes) {
  std::mt19937 random(20240611u);
  int checked = 0;
  int cells = 0;
  std::map<std::string, int> kinds;  // every op with every padding mode it allows must turn up
  for (std::uint32_t seed = 1; checked < 600 && seed < 5000; ++seed) {
    const Scene scene = RandomScene(random, seed);
    const Result<Geometry> geometry = ResolveGeometry(scene);
    if (!geometry) continue;
    ++checked;
    ++kinds[std::string(OpName(scene.layer.op)) + " " + PaddingModeName(scene.layer.padding.mode) +
            (scene.layer.ceil_mode ? " ceil" : "")];
    const Volume fast = Forward(scene, geometry.value());
    ASSERT_EQ(fast.channels, geometry.value().out_channels);
    ASSERT_EQ(fast.height, geometry.value().out_height);
    ASSERT_EQ(fast.width, geometry.value().out_width);
    const std::int64_t per_cell = StepCount(scene, geometry.value(), Level::kTerm) /
                                  StepCount(scene, geometry.value(), Level::kCell);
    for (std::size_t i = 0; i < fast.values.size(); ++i) {
      const auto cell = static_cast<std::int64_t>(i);
      const Step step = StepAt(scene, geometry.value(), Level::kCell, cell);
      ASSERT_TRUE(testing::CloseEnough(fast.values[i], step.value))
          << Describe(scene) << " cell " << i << ": fast " << fast.values[i] << ", steps " << step.value;
      const Step last_term = StepAt(scene, geometry.value(), Level::kTerm, (cell + 1) * per_cell - 1);
      ASSERT_EQ(last_term.value, step.value) << Describe(scene) << " cell " << i;
      ++cells;
    }
  }
  EXPECT_EQ(checked, 600);
  EXPECT_GT(cells, 10000);
  EXPECT_EQ(kinds.size(), 4u + 2 * 5u) << "conv2d: 4 padding modes; each pool: 3 modes + ceil on 2";
  for (const auto& [kind, count] : kinds) EXPECT_GE(count, 10) << kind;
}

TEST(forward, equals_the_step_path_to_the_last_bit_on_layers_with_few_channels) {
  // Below 8 channels the fast path adds the same products in the same (channel, ky, kx) order as
  // the step path, so the output grid and the step's value never differ on screen.
  std::mt19937 random(99u);
  int checked = 0;
  for (std::uint32_t seed = 1; checked < 200 && seed < 2000; ++seed) {
    const Scene scene = RandomScene(random, seed);
    const Result<Geometry> geometry = ResolveGeometry(scene);
    if (!geometry) continue;
    ++checked;
    ASSERT_TRUE(ForwardEqualsTheStepPathBitForBit(scene, geometry.value()));
  }
  EXPECT_EQ(checked, 200);
}

TEST(forward, three_by_three_layers_with_many_channels_match_the_step_path_in_every_padding) {
  // Layers like these take the fast path's Winograd branch (3×3, stride 1, ≥ 8 channels and filters),
  // which rounds differently: hold it to the step path on odd and even sizes and every padding.
  const PaddingMode modes[] = {PaddingMode::kValid, PaddingMode::kSame, PaddingMode::kFull, PaddingMode::kExplicit};
  // 4×70: rows of 35 tiles, whole vectors of tiles for the transforms with AVX-512's 16 lanes.
  const int sizes[][2] = {{9, 9}, {8, 13}, {3, 20}, {17, 6}, {4, 70}};
  std::uint32_t seed = 77;
  for (PaddingMode mode : modes) {
    for (const auto& size : sizes) {
      FillSpec fill;
      fill.integers = false;
      fill.seed = ++seed;
      Scene scene = testing::ConvScene(Volume::Zeros(9, size[0], size[1]), FilterBank::Zeros(10, 9, 3, 3),
                                       GenerateValues(10, fill));
      fill.seed = ++seed;
      scene.input.values = GenerateValues(scene.input.values.size(), fill);
      fill.seed = ++seed;
      scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
      scene.layer.padding.mode = mode;
      scene.layer.padding.sides = Sides{2, 0, 1, 2};  // used by kExplicit only
      scene.layer.activation = seed % 2 == 0 ? Activation::kRelu : Activation::kNone;
      const Geometry geometry = testing::MustResolve(scene);
      const Volume fast = Forward(scene, geometry);
      for (std::size_t i = 0; i < fast.values.size(); ++i) {
        const Step step = StepAt(scene, geometry, Level::kCell, static_cast<std::int64_t>(i));
        ASSERT_TRUE(testing::CloseEnough(fast.values[i], step.value))
            << Describe(scene) << " cell " << i << ": fast " << fast.values[i] << ", steps " << step.value;
      }
    }
  }
}

TEST(forward, a_winograd_layer_of_integers_gives_the_step_paths_integers) {
  // Winograd's transformed weights are multiples of 1/4 and every product and sum of small
  // integers and quarters is exact in float, fused or not: an integer scene must print the step
  // path's integers in every cell, whatever the padding. The inputs are a quantised picture's,
  // 0 to 15 (unlike the signed reals of the test above), the weights and bias signed -2 to 2:
  // every transformed value stays under 2^22 quarters (16 channels · 16 · 15 · 18, then 9 such
  // sums), so exactness holds at this range too.
  const PaddingMode modes[] = {PaddingMode::kValid, PaddingMode::kSame, PaddingMode::kFull};
  std::uint32_t seed = 900;
  for (PaddingMode mode : modes) {
    FillSpec fill;
    fill.seed = ++seed;
    Scene scene = testing::ConvScene(Volume::Zeros(16, 11, 37), FilterBank::Zeros(12, 16, 3, 3),
                                     GenerateValues(12, fill));
    FillSpec picture = fill;
    picture.seed = ++seed;
    picture.low = 0.0f;
    picture.high = 15.0f;
    scene.input.values = GenerateValues(scene.input.values.size(), picture);
    fill.seed = ++seed;
    scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
    scene.layer.padding.mode = mode;
    const Geometry geometry = testing::MustResolve(scene);
    ASSERT_TRUE(ForwardEqualsTheStepPathBitForBit(scene, geometry));
  }
}

TEST(forward, a_sixty_four_channel_layer_stays_within_rounding_of_the_step_path_at_any_scale) {
  // Winograd's transforms round differently from the step path, and the difference grows with the
  // channels summed and with the size of the products: hold a real-sized layer (64 channels, the
  // benchmark's) to the step path with the generator's default reals, an image's non-negative
  // range and large magnitudes. Values are compared in units of one typical product (1 for the
  // default ranges, where this is exactly CloseEnough), as a float sum's rounding scales with it.
  // Winograd F(4×4, 3×3) fails this (errors of 4e-4 units at the default ranges); F(2×2) passes.
  struct Ranges {
    float input_low, input_high, weight_low, weight_high;
  };
  const Ranges cases[] = {{-2.0f, 2.0f, -2.0f, 2.0f}, {0.0f, 1.0f, -1.0f, 1.0f}, {0.0f, 255.0f, -0.1f, 0.1f},
                          {-100.0f, 100.0f, -100.0f, 100.0f}};
  std::uint32_t seed = 500;
  for (const Ranges& ranges : cases) {
    FillSpec fill;
    fill.integers = false;
    fill.seed = ++seed;
    fill.low = ranges.input_low;
    fill.high = ranges.input_high;
    Scene scene = testing::ConvScene(Volume::Zeros(64, 22, 21), FilterBank::Zeros(16, 64, 3, 3));
    scene.input.values = GenerateValues(scene.input.values.size(), fill);
    fill.seed = ++seed;
    fill.low = ranges.weight_low;
    fill.high = ranges.weight_high;
    scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
    scene.layer.padding.mode = PaddingMode::kSame;
    const float largest_input = std::max(std::fabs(ranges.input_low), std::fabs(ranges.input_high));
    const float largest_weight = std::max(std::fabs(ranges.weight_low), std::fabs(ranges.weight_high));
    const float unit = largest_input * largest_weight / 4.0f;  // 2 × 2 for the default ranges
    const Geometry geometry = testing::MustResolve(scene);
    const Volume fast = Forward(scene, geometry);
    for (std::size_t i = 0; i < fast.values.size(); ++i) {
      const Step step = StepAt(scene, geometry, Level::kCell, static_cast<std::int64_t>(i));
      ASSERT_TRUE(testing::CloseEnough(fast.values[i] / unit, step.value / unit))
          << "inputs in [" << ranges.input_low << ", " << ranges.input_high << "], cell " << i << ": fast "
          << fast.values[i] << ", steps " << step.value;
    }
  }
}

TEST(forward, simd_tile_rows_equal_the_portable_loop_bit_for_bit) {
  // The fast path's SIMD register tile (whatever target this CPU runs, in its tile shape) against
  // its portable loop, unfused and fused, on random depths, tile counts, input strides (often
  // neighbouring tiles, which the SIMD loop reads its own way) and tap offsets (a table, or evenly
  // spaced as the packed patches and Winograd's tiles), written with gaps between sums.
  const detail::TileShape shape = detail::SimdTileShape();
  std::mt19937 random(4242u);
  auto pick = [&random](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  for (int trial = 0; trial < 300; ++trial) {
    detail::TileRow row;
    row.depth = pick(1, 80);
    row.tiles = pick(1, 11);
    row.fused = trial % 2 == 1;
    row.input_stride = pick(0, 1) == 1 ? shape.pixels : pick(shape.pixels, 3 * shape.pixels);
    const bool even_taps = trial % 5 < 2;
    row.tap_step = even_taps ? pick(1, 2 * shape.pixels) : 0;
    const int reach = even_taps ? static_cast<int>(row.depth * row.tap_step) + shape.pixels : pick(shape.pixels, 200);
    std::vector<std::ptrdiff_t> offsets(static_cast<std::size_t>(row.depth));
    for (std::ptrdiff_t& offset : offsets) offset = pick(0, reach - shape.pixels);
    FillSpec fill;
    fill.integers = trial % 3 == 0;
    fill.seed = static_cast<std::uint32_t>(trial) + 1u;
    const std::vector<float> inputs =
        GenerateValues(static_cast<std::size_t>(row.tiles * row.input_stride + reach), fill);
    fill.seed += 7777u;
    const std::vector<float> weights = GenerateValues(static_cast<std::size_t>(row.depth * shape.filters), fill);
    row.inputs = inputs.data();
    row.weights = weights.data();
    row.offsets = even_taps ? nullptr : offsets.data();
    row.sum_filter_stride = shape.pixels + pick(0, 3);
    row.sum_tile_stride = shape.filters * row.sum_filter_stride + pick(0, 5);
    const auto sums_size = static_cast<std::size_t>(row.tiles * row.sum_tile_stride);
    std::vector<float> simd(sums_size, -1.0f);
    std::vector<float> portable(sums_size, -1.0f);
    row.sums = simd.data();
    detail::MultiplyTileRow(row);
    row.sums = portable.data();
    detail::MultiplyTileRowPortable(row, shape);
    ASSERT_EQ(simd, portable) << "depth " << row.depth << ", " << row.tiles << " tiles, input stride "
                              << row.input_stride << ", tap step " << row.tap_step << (row.fused ? ", fused" : "");
  }
}

TEST(forward, filters_past_a_whole_tile_on_one_or_three_channels_equal_the_step_path) {
  // 5 to 13 filters: tiles of 4 filters with a partial last one, on grey and RGB inputs of random
  // sizes, strides, dilations and paddings; below 8 channels the sums keep the step path's order.
  std::mt19937 random(31337u);
  auto pick = [&random](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  int checked = 0;
  for (std::uint32_t seed = 1; checked < 60 && seed < 3000; ++seed) {
    Scene scene = RandomScene(random, seed);
    if (IsPooling(scene.layer.op)) continue;
    const int channels = pick(0, 1) == 1 ? 3 : 1;
    FillSpec fill;
    fill.seed = seed;
    fill.integers = pick(0, 1) == 1;
    scene.input = Volume::Zeros(channels, pick(3, 20), pick(3, 40));
    scene.input.values = GenerateValues(scene.input.values.size(), fill);
    const int filters = pick(5, 13);
    scene.weights = FilterBank::Zeros(filters, channels, scene.layer.kernel.rows, scene.layer.kernel.cols);
    fill.seed = seed + 99u;
    scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
    scene.bias = GenerateValues(static_cast<std::size_t>(filters), fill);
    const Result<Geometry> geometry = ResolveGeometry(scene);
    if (!geometry) continue;
    ++checked;
    ASSERT_TRUE(ForwardEqualsTheStepPathBitForBit(scene, geometry.value())) << "with " << filters << " filters";
  }
  EXPECT_EQ(checked, 60);
}

TEST(forward, strided_layers_read_in_place_equal_the_step_path_bit_for_bit) {
  // At a column stride above 1 the tiles read the input with its columns split by phase: rows wide
  // enough for many whole tiles, strides 2 and 3, dilations, paddings on either side (the tiles at
  // the edges are packed instead), odd widths whose last phase is shorter, grey and RGB.
  struct Case {
    int channels, width, kernel, stride, dilation;
    Sides padding;
  };
  const Case cases[] = {{3, 256, 4, 2, 1, Sides{0, 0, 0, 0}}, {3, 101, 3, 2, 2, Sides{1, 2, 3, 0}},
                        {1, 97, 5, 3, 1, Sides{2, 2, 2, 2}},  {3, 130, 2, 3, 3, Sides{0, 1, 0, 5}},
                        {2, 75, 3, 2, 1, Sides{0, 0, 7, 1}}};
  std::uint32_t seed = 4000;
  for (const Case& each : cases) {
    FillSpec fill;
    fill.integers = false;
    fill.seed = ++seed;
    Scene scene = testing::ConvScene(Volume::Zeros(each.channels, 9, each.width),
                                     FilterBank::Zeros(6, each.channels, each.kernel, each.kernel), GenerateValues(6, fill));
    fill.seed = ++seed;
    scene.input.values = GenerateValues(scene.input.values.size(), fill);
    fill.seed = ++seed;
    scene.weights.values = GenerateValues(scene.weights.values.size(), fill);
    scene.layer.stride = {1, each.stride};
    scene.layer.dilation = {1, each.dilation};
    scene.layer.padding.mode = PaddingMode::kExplicit;
    scene.layer.padding.sides = each.padding;
    scene.layer.activation = seed % 2 == 0 ? Activation::kRelu : Activation::kNone;
    const Geometry geometry = testing::MustResolve(scene);
    ASSERT_TRUE(ForwardEqualsTheStepPathBitForBit(scene, geometry));
  }
}

TEST(forward, makes_one_output_channel_per_filter_and_keeps_channels_when_pooling) {
  Scene conv = testing::ConvScene(Volume::Zeros(3, 6, 6), FilterBank::Zeros(5, 3, 3, 3));
  EXPECT_EQ(Forward(conv, testing::MustResolve(conv)).channels, 5);
  Scene pool = testing::PoolScene(Op::kAvgPool2d, Volume::Zeros(3, 6, 6), 2, 2);
  EXPECT_EQ(Forward(pool, testing::MustResolve(pool)).channels, 3);
}

TEST(generate, the_same_seed_gives_the_same_values) {
  FillSpec spec;
  spec.seed = 42;
  EXPECT_EQ(GenerateValues(100, spec), GenerateValues(100, spec));
  spec.integers = false;
  EXPECT_EQ(GenerateValues(100, spec), GenerateValues(100, spec));
}

TEST(generate, different_seeds_give_different_values) {
  FillSpec first;
  first.integers = false;
  FillSpec second = first;
  second.seed = first.seed + 1;
  EXPECT_NE(GenerateValues(50, first), GenerateValues(50, second));
}

TEST(generate, random_integers_stay_in_range_and_use_every_value) {
  FillSpec spec;
  spec.low = -2.0f;
  spec.high = 2.0f;
  std::vector<int> seen(5, 0);
  for (float value : GenerateValues(1000, spec)) {
    ASSERT_EQ(value, std::round(value));
    ASSERT_GE(value, -2.0f);
    ASSERT_LE(value, 2.0f);
    ++seen[static_cast<std::size_t>(value + 2.0f)];
  }
  for (int count : seen) EXPECT_GT(count, 100);
}

TEST(generate, random_reals_stay_in_range_and_spread_across_it) {
  FillSpec spec;
  spec.integers = false;
  spec.low = 0.5f;
  spec.high = 1.5f;
  const std::vector<float> values = GenerateValues(1000, spec);
  int below_middle = 0;
  for (float value : values) {
    ASSERT_GE(value, 0.5f);
    ASSERT_LE(value, 1.5f);
    if (value < 1.0f) ++below_middle;
  }
  EXPECT_GT(below_middle, 400);
  EXPECT_LT(below_middle, 600);
}

TEST(generate, ramp_counts_from_zero_and_ones_and_zeros_are_constant) {
  FillSpec spec;
  spec.fill = Fill::kRamp;
  EXPECT_EQ(GenerateValues(4, spec), (std::vector<float>{0, 1, 2, 3}));
  spec.fill = Fill::kOnes;
  EXPECT_EQ(GenerateValues(3, spec), (std::vector<float>{1, 1, 1}));
  spec.fill = Fill::kZeros;
  EXPECT_EQ(GenerateValues(2, spec), (std::vector<float>{0, 0}));
}

}  // namespace
}  // namespace convtutor
