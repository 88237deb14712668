// Output sizes, padding and the written derivation, checked against cases worked by hand
// (the ones the lessons use), plus validation: every bad field is named in the error.
#include <gtest/gtest.h>

#include <string>

#include "convtutor/geometry.h"
#include "scene_builders.h"

namespace convtutor {
namespace {

using testing::ConvScene;
using testing::MustResolve;
using testing::PoolScene;
using testing::SetExplicitPadding;

AxisGeometry MustResolveAxis(PaddingMode mode, int input, int kernel, int stride, int dilation = 1,
                             int before = 0, int after = 0, bool ceil_mode = false, bool pooling = false) {
  Result<AxisGeometry> axis =
      ResolveAxis(mode, input, kernel, stride, dilation, before, after, ceil_mode, pooling, "cols");
  EXPECT_TRUE(axis.ok()) << (axis.ok() ? "" : axis.error().ToString());
  return axis.ok() ? axis.value() : AxisGeometry{};
}

std::string FieldOf(const Scene& scene) {
  Result<Geometry> geometry = ResolveGeometry(scene);
  return geometry.ok() ? "(no error)" : geometry.error().field;
}

Scene SmallConv() {
  return ConvScene(Volume::Zeros(3, 5, 5), FilterBank::Zeros(2, 3, 3, 3), {0.0f, 0.0f});
}

TEST(output_size, valid_256_kernel_4_stride_2_gives_127_and_covers_every_column) {
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kValid, 256, 4, 2);
  EXPECT_EQ(axis.output, 127);
  EXPECT_EQ(axis.uncovered, 0);
  EXPECT_EQ(axis.pad_before, 0);
  EXPECT_EQ(axis.pad_after, 0);
  EXPECT_EQ(axis.formula, "\u230A(256 \u2212 4) / 2\u230B + 1 = 127");
}

TEST(output_size, valid_255_kernel_4_stride_2_gives_126_and_leaves_one_column_uncovered) {
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kValid, 255, 4, 2);
  EXPECT_EQ(axis.output, 126);
  EXPECT_EQ(axis.uncovered, 1);
  EXPECT_EQ(axis.formula, "\u230A(255 \u2212 4) / 2\u230B + 1 = 126");
  EXPECT_NE(axis.explanation.find("the last column is never covered"), std::string::npos) << axis.explanation;
}

TEST(output_size, valid_reports_several_uncovered_columns_in_the_plural) {
  // 10 wide, kernel 3, stride 4: windows start at 0 and 4 and end at 6, so columns 7, 8, 9 are unread.
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kValid, 10, 3, 4);
  EXPECT_EQ(axis.output, 2);
  EXPECT_EQ(axis.uncovered, 3);
  EXPECT_NE(axis.explanation.find("the last 3 columns are never covered"), std::string::npos) << axis.explanation;
}

TEST(output_size, a_stride_longer_than_the_kernel_names_the_cells_between_windows_it_never_reads) {
  // 8 rows, kernel 2, stride 3: windows on rows 0–1, 3–4, 6–7; ⌊6 / 3⌋ + 1 = 3 divides exactly,
  // yet rows 2 and 5 are never read.
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kValid, 8, 2, 3);
  EXPECT_EQ(axis.output, 3);
  EXPECT_EQ(axis.uncovered, 0);
  EXPECT_NE(axis.explanation.find("2 columns between windows are never read"), std::string::npos) << axis.explanation;
}

TEST(output_size, a_one_by_one_kernel_at_stride_2_skips_every_other_cell_even_with_same) {
  // 8 rows, kernel 1, stride 2, 'same': ⌈8 / 2⌉ = 4 windows on 0, 2, 4, 6, no padding needed;
  // 1, 3 and 5 lie between windows, and 7 after the last one.
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kSame, 8, 1, 2);
  EXPECT_EQ(axis.output, 4);
  EXPECT_NE(axis.explanation.find("3 columns between windows are never read"), std::string::npos) << axis.explanation;
  EXPECT_NE(axis.explanation.find("the last column is never covered"), std::string::npos) << axis.explanation;
}

TEST(output_size, a_stride_no_longer_than_the_kernel_reads_every_cell_between_windows) {
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kValid, 8, 3, 3);  // windows 0–2, 3–5: no gaps
  EXPECT_EQ(axis.explanation.find("between windows"), std::string::npos) << axis.explanation;
}

TEST(padding, same_256_kernel_4_stride_2_gives_128_with_one_cell_on_each_side) {
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kSame, 256, 4, 2);
  EXPECT_EQ(axis.output, 128);
  EXPECT_EQ(axis.pad_before, 1);
  EXPECT_EQ(axis.pad_after, 1);
  EXPECT_EQ(axis.formula, "\u2308256 / 2\u2309 = 128");
  EXPECT_EQ(axis.explanation, "total padding 2 \u2192 1 before, 1 after");
}

TEST(padding, same_at_stride_1_keeps_the_size) {
  for (int kernel = 1; kernel <= 6; ++kernel) {
    EXPECT_EQ(MustResolveAxis(PaddingMode::kSame, 9, kernel, 1).output, 9) << "kernel " << kernel;
  }
}

TEST(padding, same_at_stride_2_gives_half_the_size_rounded_up) {
  EXPECT_EQ(MustResolveAxis(PaddingMode::kSame, 7, 3, 2).output, 4);
  EXPECT_EQ(MustResolveAxis(PaddingMode::kSame, 8, 3, 2).output, 4);
  EXPECT_EQ(MustResolveAxis(PaddingMode::kSame, 9, 3, 2).output, 5);
}

TEST(padding, same_puts_the_extra_row_at_the_bottom) {
  // 8 rows, kernel 3, stride 2: 4 outputs need (4 − 1)·2 + 3 = 9 cells, one more than 8: it goes after.
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kSame, 8, 3, 2);
  EXPECT_EQ(axis.pad_before, 0);
  EXPECT_EQ(axis.pad_after, 1);
  // Kernel 4 at stride 1 needs 3 cells: 1 before, 2 after.
  const AxisGeometry even = MustResolveAxis(PaddingMode::kSame, 6, 4, 1);
  EXPECT_EQ(even.pad_before, 1);
  EXPECT_EQ(even.pad_after, 2);
  EXPECT_NE(even.explanation.find("total padding 3 \u2192 1 before, 2 after"), std::string::npos)
      << even.explanation;
  const Result<AxisGeometry> rows = ResolveAxis(PaddingMode::kSame, 8, 3, 2, 1, 0, 0, false, false, "rows");
  ASSERT_TRUE(rows.ok());
  EXPECT_NE(rows.value().explanation.find("at the bottom"), std::string::npos) << rows.value().explanation;
}

TEST(padding, same_needs_no_padding_when_the_windows_already_fit) {
  // 8 wide, kernel 2, stride 2: four windows tile the row exactly.
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kSame, 8, 2, 2);
  EXPECT_EQ(axis.output, 4);
  EXPECT_EQ(axis.pad_before + axis.pad_after, 0);
}

TEST(padding, full_pads_kernel_minus_one_on_each_side) {
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kFull, 5, 3, 1);
  EXPECT_EQ(axis.pad_before, 2);
  EXPECT_EQ(axis.pad_after, 2);
  EXPECT_EQ(axis.output, 7);
}

TEST(padding, explicit_padding_appears_in_the_formula) {
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kExplicit, 5, 3, 2, 1, 1, 1);
  EXPECT_EQ(axis.output, 3);
  EXPECT_EQ(axis.formula, "\u230A(5 + 1 + 1 \u2212 3) / 2\u230B + 1 = 3");
}

TEST(padding, explicit_padding_may_differ_per_side) {
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kExplicit, 5, 3, 1, 1, 0, 2);
  EXPECT_EQ(axis.pad_before, 0);
  EXPECT_EQ(axis.pad_after, 2);
  EXPECT_EQ(axis.output, 5);
}

TEST(dilation, spreads_the_window_and_the_formula_shows_the_span) {
  // Kernel 3 with dilation 2 spans (3 − 1)·2 + 1 = 5 cells: on 7 cells that leaves 3 positions.
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kValid, 7, 3, 1, 2);
  EXPECT_EQ(axis.span, 5);
  EXPECT_EQ(axis.output, 3);
  EXPECT_NE(axis.formula.find("(3 \u2212 1)\u00B72 + 1 = 5"), std::string::npos) << axis.formula;
  EXPECT_NE(axis.formula.find("\u230A(7 \u2212 5) / 1\u230B + 1 = 3"), std::string::npos) << axis.formula;
}

TEST(ceil_mode, rounds_up_and_keeps_a_window_that_starts_on_real_cells) {
  // 6 wide, kernel 3, stride 2, pad 1: ⌈(6 + 2 − 3) / 2⌉ + 1 = 4; the 4th window starts at 5 (real).
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kExplicit, 6, 3, 2, 1, 1, 1, true, true);
  EXPECT_EQ(axis.output, 4);
}

TEST(ceil_mode, drops_a_window_that_would_start_in_the_padding) {
  // 5 wide, kernel 2, stride 2, pad 1: ⌈(5 + 2 − 2) / 2⌉ + 1 = 4, but the 4th window would start
  // at 3·2 − 1 = 5, in the right padding: PyTorch drops it, leaving 3.
  const AxisGeometry axis = MustResolveAxis(PaddingMode::kExplicit, 5, 2, 2, 1, 1, 1, true, true);
  EXPECT_EQ(axis.output, 3);
  EXPECT_NE(axis.explanation.find("dropped"), std::string::npos) << axis.explanation;
}

TEST(ceil_mode, without_padding_adds_the_partial_last_window) {
  // 5 wide, kernel 2, stride 2: floor gives 2, ceil gives ⌈3 / 2⌉ + 1 = 3.
  EXPECT_EQ(MustResolveAxis(PaddingMode::kValid, 5, 2, 2, 1, 0, 0, false, true).output, 2);
  EXPECT_EQ(MustResolveAxis(PaddingMode::kValid, 5, 2, 2, 1, 0, 0, true, true).output, 3);
}

TEST(layer_geometry, rgb_256_with_32_filters_4x4_stride_2_counts_parameters_and_multiply_adds) {
  Scene scene = ConvScene(Volume::Zeros(3, 256, 256), FilterBank::Zeros(32, 3, 4, 4), std::vector<float>(32));
  scene.layer.stride = {2, 2};
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(geometry.out_channels, 32);
  EXPECT_EQ(geometry.out_height, 127);
  EXPECT_EQ(geometry.out_width, 127);
  // 32 filters × 3 channels × 16 taps = 1536 weights, plus 32 biases.
  EXPECT_EQ(geometry.parameters, 1568);
  // 127 · 127 · 32 = 516128 output cells, each 3 · 16 = 48 multiply-adds.
  EXPECT_EQ(geometry.multiply_adds, 24774144);
}

TEST(layer_geometry, parameters_leave_out_the_bias_when_there_is_none) {
  Scene scene = ConvScene(Volume::Zeros(3, 5, 5), FilterBank::Zeros(2, 3, 3, 3));
  EXPECT_EQ(MustResolve(scene).parameters, 54);
}

TEST(layer_geometry, pooling_keeps_the_channels_and_has_no_parameters) {
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(6, 8, 8), 2, 2);
  scene.layer.stride = {2, 2};
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(geometry.out_channels, 6);
  EXPECT_EQ(geometry.out_height, 4);
  EXPECT_EQ(geometry.parameters, 0);
  EXPECT_EQ(geometry.multiply_adds, 6 * 4 * 4 * 4);
}

TEST(layer_geometry, resolved_padding_lists_each_side) {
  Scene scene = ConvScene(Volume::Zeros(1, 8, 6), FilterBank::Zeros(1, 1, 3, 4));
  scene.layer.stride = {2, 1};
  testing::SetPadding(scene, PaddingMode::kSame);
  const Geometry geometry = MustResolve(scene);
  EXPECT_EQ(geometry.padding.top, 0);
  EXPECT_EQ(geometry.padding.bottom, 1);
  EXPECT_EQ(geometry.padding.left, 1);
  EXPECT_EQ(geometry.padding.right, 2);
}

TEST(validation, weights_must_span_every_input_channel) {
  Scene scene = SmallConv();
  scene.weights = FilterBank::Zeros(2, 4, 3, 3);
  EXPECT_EQ(FieldOf(scene), "weights");
}

TEST(validation, weights_must_hold_as_many_values_as_their_shape) {
  Scene scene = SmallConv();
  scene.weights.values.pop_back();
  EXPECT_EQ(FieldOf(scene), "weights");
}

TEST(validation, bias_needs_one_value_per_filter) {
  Scene scene = SmallConv();
  scene.bias = {1.0f, 2.0f, 3.0f};
  EXPECT_EQ(FieldOf(scene), "bias");
}

TEST(validation, no_bias_at_all_is_fine) {
  Scene scene = SmallConv();
  scene.bias.clear();
  EXPECT_EQ(FieldOf(scene), "(no error)");
}

TEST(validation, stride_and_dilation_must_be_at_least_one) {
  Scene scene = SmallConv();
  scene.layer.stride = {0, 1};
  EXPECT_EQ(FieldOf(scene), "stride");
  scene = SmallConv();
  scene.layer.dilation = {1, 0};
  EXPECT_EQ(FieldOf(scene), "dilation");
}

TEST(validation, explicit_padding_must_not_be_negative) {
  Scene scene = SmallConv();
  SetExplicitPadding(scene, 0, -1, 0, 0);
  EXPECT_EQ(FieldOf(scene), "padding");
}

TEST(validation, kernel_size_must_match_the_weights) {
  Scene scene = SmallConv();
  scene.layer.kernel = {3, 2};
  EXPECT_EQ(FieldOf(scene), "kernel_size");
}

TEST(validation, kernel_must_fit_inside_the_padded_input) {
  Scene scene = ConvScene(Volume::Zeros(1, 3, 3), FilterBank::Zeros(1, 1, 4, 4));
  EXPECT_EQ(FieldOf(scene), "kernel_size");
  SetExplicitPadding(scene, 1, 0, 1, 0);
  EXPECT_EQ(FieldOf(scene), "(no error)");
}

TEST(validation, pooling_kernel_must_be_at_least_one) {
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(1, 4, 4), 0, 2);
  EXPECT_EQ(FieldOf(scene), "kernel_size");
}

TEST(validation, input_values_must_match_its_shape) {
  Scene scene = SmallConv();
  scene.input.values.resize(10);
  EXPECT_EQ(FieldOf(scene), "input");
  scene.input = Volume{};
  EXPECT_EQ(FieldOf(scene), "input");
}

TEST(validation, conv_only_fields_are_refused_on_pooling) {
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(1, 4, 4), 2, 2);
  scene.layer.activation = Activation::kRelu;
  EXPECT_EQ(FieldOf(scene), "activation");
  scene = PoolScene(Op::kAvgPool2d, Volume::Zeros(1, 4, 4), 2, 2);
  scene.bias = {1.0f};
  EXPECT_EQ(FieldOf(scene), "bias");
  scene = PoolScene(Op::kAvgPool2d, Volume::Zeros(1, 4, 4), 2, 2);
  scene.weights = FilterBank::Zeros(1, 1, 2, 2);
  EXPECT_EQ(FieldOf(scene), "weights");
}

TEST(validation, pooling_only_fields_are_refused_on_conv2d) {
  Scene scene = SmallConv();
  scene.layer.ceil_mode = true;
  EXPECT_EQ(FieldOf(scene), "ceil_mode");
  scene = SmallConv();
  scene.layer.count_include_pad = false;
  EXPECT_EQ(FieldOf(scene), "count_include_pad");
}

TEST(validation, count_include_pad_belongs_to_avg_pooling_only) {
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(1, 4, 4), 2, 2);
  scene.layer.count_include_pad = false;
  EXPECT_EQ(FieldOf(scene), "count_include_pad");
  scene.layer.op = Op::kAvgPool2d;
  EXPECT_EQ(FieldOf(scene), "(no error)");
}

TEST(validation, avg_pooling_has_no_dilation) {
  Scene scene = PoolScene(Op::kAvgPool2d, Volume::Zeros(1, 6, 6), 2, 2);
  scene.layer.dilation = {2, 2};
  EXPECT_EQ(FieldOf(scene), "dilation");
  scene.layer.op = Op::kMaxPool2d;
  EXPECT_EQ(FieldOf(scene), "(no error)");
}

TEST(validation, ceil_mode_does_not_combine_with_same_padding) {
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(1, 5, 5), 2, 2);
  testing::SetPadding(scene, PaddingMode::kSame);
  scene.layer.ceil_mode = true;
  EXPECT_EQ(FieldOf(scene), "ceil_mode");
}

TEST(validation, pooling_padding_is_at_most_half_the_window_as_in_pytorch) {
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(1, 5, 5), 2, 2);
  SetExplicitPadding(scene, 1, 1, 1, 1);
  EXPECT_EQ(FieldOf(scene), "(no error)");
  SetExplicitPadding(scene, 2, 0, 0, 0);
  EXPECT_EQ(FieldOf(scene), "padding");
}

TEST(validation, pooling_refuses_full_padding) {
  Scene scene = PoolScene(Op::kAvgPool2d, Volume::Zeros(1, 5, 5), 2, 2);
  testing::SetPadding(scene, PaddingMode::kFull);
  EXPECT_EQ(FieldOf(scene), "padding");
}

TEST(validation, refuses_padding_so_large_the_output_could_not_be_counted) {
  Scene scene = testing::ConvScene(Volume::Zeros(1, 1, 1), FilterBank::Zeros(4, 1, 1, 1));
  SetExplicitPadding(scene, 1000000000, 1000000000, 1000000000, 1000000000);
  EXPECT_EQ(FieldOf(scene), "padding");
  SetExplicitPadding(scene, 1000, 1000, 1000, 1000);
  EXPECT_EQ(FieldOf(scene), "(no error)");
}

TEST(validation, refuses_a_pooling_window_so_large_its_work_could_not_be_counted) {
  // A 2^30-wide window is allowed by the padding rule (pad ≤ half the window), but 16 channels of
  // 2^30 × 2^30 taps overflow any sensible count.
  Scene scene = PoolScene(Op::kMaxPool2d, Volume::Zeros(16, 1, 1), 1 << 30, 1 << 30);
  SetExplicitPadding(scene, 1 << 29, 1 << 29, 1 << 29, 1 << 29);
  EXPECT_EQ(FieldOf(scene), "kernel_size");
}

TEST(validation, messages_say_what_was_expected) {
  Scene scene = SmallConv();
  scene.weights = FilterBank::Zeros(2, 4, 3, 3);
  const Result<Geometry> geometry = ResolveGeometry(scene);
  ASSERT_FALSE(geometry.ok());
  EXPECT_EQ(geometry.error().ToString(),
            "weights: each filter spans 4 channels but the input has 3; a filter must cover every input channel");
}

}  // namespace
}  // namespace convtutor
