// Output sizes and padding for one layer, with the derivation written in the learner's own
// numbers. Also the single place that validates a scene: every error names the request field.
#include "convtutor/geometry.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "transposed_rules.h"

namespace convtutor {
namespace {

// Real math glyphs, so the derivation reads like the textbook formula.
constexpr const char* kMinus = " \u2212 ";
constexpr const char* kFloorOpen = "\u230A";
constexpr const char* kFloorClose = "\u230B";
constexpr const char* kCeilOpen = "\u2308";
constexpr const char* kCeilClose = "\u2309";
constexpr const char* kDot = "\u00B7";
constexpr const char* kArrow = " \u2192 ";

// Bounds on sizes, so every count below fits in 64 bits (and the step count with room to spare).
constexpr std::int64_t kMaxOutputCells = std::int64_t{1} << 40;
constexpr std::int64_t kMaxMultiplyAdds = std::int64_t{1} << 60;

std::string Str(std::int64_t number) { return std::to_string(number); }

Error FieldError(const char* field, std::string message) { return Error{field, std::move(message), 0}; }

// "row"/"rows" or "column"/"columns", for sentences about one axis.
std::string AxisNoun(const char* axis_name, std::int64_t count) {
  const bool rows = std::string(axis_name) == "rows";
  std::string noun = rows ? "row" : "column";
  return count == 1 ? noun : noun + "s";
}

std::int64_t CeilDiv(std::int64_t numerator, std::int64_t denominator) {
  return (numerator + denominator - 1) / denominator;
}

// "span (3 − 1)·2 + 1 = 5; " when dilation spreads the window, else nothing: the learner sees
// where the number subtracted in the formula comes from.
std::string SpanPrefix(int kernel, int dilation, std::int64_t span) {
  if (dilation == 1) return "";
  return "span (" + Str(kernel) + kMinus + "1)" + kDot + Str(dilation) + " + 1 = " + Str(span) + "; ";
}

}  // namespace

Result<AxisGeometry> ResolveAxis(PaddingMode mode, int input, int kernel, int stride, int dilation,
                                 int explicit_before, int explicit_after, bool ceil_mode, bool pooling,
                                 const char* axis_name) {
  const bool along_rows = std::string(axis_name) == "rows";
  const std::string axis = along_rows ? "rows" : "columns";
  if (input < 1) return FieldError("input", "needs at least 1 " + AxisNoun(axis_name, 1) + ", got " + Str(input));
  if (kernel < 1) return FieldError("kernel_size", "must be at least 1 along the " + axis + ", got " + Str(kernel));
  if (stride < 1) return FieldError("stride", "must be at least 1 along the " + axis + ", got " + Str(stride));
  if (dilation < 1) {
    return FieldError("dilation", "must be at least 1 along the " + axis + ", got " + Str(dilation));
  }
  if (ceil_mode && (mode == PaddingMode::kSame || mode == PaddingMode::kFull)) {
    return FieldError("ceil_mode", std::string("applies to valid or explicit padding only, not \"") +
                                       PaddingModeName(mode) + "\"");
  }

  const std::int64_t n = input;
  const std::int64_t s = stride;
  const std::int64_t span = (std::int64_t{kernel} - 1) * dilation + 1;

  AxisGeometry axis_geometry;
  axis_geometry.input = input;
  axis_geometry.kernel = kernel;
  axis_geometry.stride = stride;
  axis_geometry.dilation = dilation;

  std::int64_t before = 0;
  std::int64_t after = 0;
  std::int64_t output = 0;
  std::string formula = SpanPrefix(kernel, dilation, span);
  std::string explanation;

  if (mode == PaddingMode::kSame) {
    // TensorFlow's SAME: the output size comes first, the padding is whatever makes it fit,
    // and an odd total puts the extra cell after (bottom/right).
    output = CeilDiv(n, s);
    const std::int64_t needed = (output - 1) * s + span - n;
    const std::int64_t total = needed > 0 ? needed : 0;
    before = total / 2;
    after = total - before;
    formula += kCeilOpen + Str(n) + " / " + Str(s) + kCeilClose + " = " + Str(output);
    if (total == 0) {
      explanation = "no padding needed";
    } else {
      explanation = "total padding " + Str(total) + kArrow + Str(before) + " before, " + Str(after) + " after";
      if (total % 2 == 1) {
        explanation += std::string(" (TensorFlow puts the odd extra cell ") +
                       (along_rows ? "at the bottom)" : "on the right)");
      }
    }
    if (pooling && total > 0) explanation += "; padded cells are ignored by the pool";
  } else {
    if (mode == PaddingMode::kFull) {
      before = after = span - 1;
    } else if (mode == PaddingMode::kExplicit) {
      if (explicit_before < 0 || explicit_after < 0) {
        return FieldError("padding", "must not be negative along the " + axis + ", got " + Str(explicit_before) +
                                         " and " + Str(explicit_after));
      }
      before = explicit_before;
      after = explicit_after;
      // PyTorch's rule: a pooling pad wider than half the window would let a window see
      // nothing but padding.
      if (pooling && (before > kernel / 2 || after > kernel / 2)) {
        return FieldError("padding", "pooling pads must be at most half the window (" + Str(kernel / 2) +
                                         " along the " + axis + "), as in PyTorch; got " + Str(before) + " and " +
                                         Str(after));
      }
    }
    const std::int64_t padded = n + before + after;
    if (padded > std::numeric_limits<int>::max()) {
      return FieldError("padding", "makes the " + axis + " too long (" + Str(padded) + " cells)");
    }
    if (span > padded) {
      std::string message = "the window spans " + Str(span) + " " + AxisNoun(axis_name, span) +
                            " but the padded input has only " + Str(padded);
      return FieldError("kernel_size", message);
    }
    const std::int64_t reach = padded - span;
    std::string inside = "(" + Str(n);
    if (before > 0 || after > 0) inside += " + " + Str(before) + " + " + Str(after);
    inside += kMinus + Str(span) + ") / " + Str(s);
    if (ceil_mode) {
      output = CeilDiv(reach, s) + 1;
      formula += kCeilOpen + inside + kCeilClose + " + 1 = " + Str(output);
      // PyTorch drops a last window that would start inside the bottom/right padding.
      if ((output - 1) * s >= n + before) {
        --output;
        formula += std::string(kMinus) + "1 = " + Str(output);
        explanation = "the last window would start in the padding, so it is dropped";
      }
    } else {
      output = reach / s + 1;
      formula += kFloorOpen + inside + kFloorClose + " + 1 = " + Str(output);
    }
    std::string edges;
    if (mode == PaddingMode::kFull) {
      edges = "full padding: (" + Str(kernel) + kMinus + "1)" + kDot + Str(dilation) + " = " + Str(before) +
              " on each side";
    } else if (before > 0 || after > 0) {
      edges = "padding " + Str(before) + " before, " + Str(after) + " after";
      if (pooling) edges += " (max ignores padded cells; avg counts them unless count_include_pad is false)";
    } else {
      edges = "no padding";
    }
    explanation = explanation.empty() ? edges : edges + "; " + explanation;
  }

  // A stride longer than the window jumps over cells: those between two windows are never read,
  // however exactly the division comes out. Count the real ones (padding may fill some gaps); an
  // axis of more than 65,536 windows is no picture to explain, and is not counted.
  if (s > span && output > 1 && output <= 65536) {
    std::int64_t skipped = 0;
    for (std::int64_t window = 0; window + 1 < output; ++window) {
      const std::int64_t gap_start = std::max<std::int64_t>(window * s - before + span, 0);
      const std::int64_t gap_end = std::min<std::int64_t>((window + 1) * s - before, n);
      if (gap_end > gap_start) skipped += gap_end - gap_start;
    }
    if (skipped > 0) {
      explanation += "; the window covers " + Str(span) + " " + AxisNoun(axis_name, span) + " but jumps " + Str(s) +
                     ", so " + Str(skipped) + " " + AxisNoun(axis_name, skipped) + " between windows " +
                     (skipped == 1 ? "is" : "are") + " never read";
    }
  }

  // Real cells after the end of the last window are never read: the floor case.
  const std::int64_t last_end = (output - 1) * s - before + span;  // one past the last tap
  const std::int64_t uncovered = n - last_end > 0 ? n - last_end : 0;
  if (uncovered > 0) {
    explanation += "; the last " + (uncovered == 1 ? AxisNoun(axis_name, 1)
                                                   : Str(uncovered) + " " + AxisNoun(axis_name, uncovered)) +
                   " " + (uncovered == 1 ? "is" : "are") + " never covered by a window";
  }

  axis_geometry.span = static_cast<int>(span);
  axis_geometry.pad_before = static_cast<int>(before);
  axis_geometry.pad_after = static_cast<int>(after);
  axis_geometry.output = static_cast<int>(output);
  axis_geometry.uncovered = static_cast<int>(uncovered);
  axis_geometry.formula = std::move(formula);
  axis_geometry.explanation = std::move(explanation);
  return axis_geometry;
}

Result<AxisGeometry> ResolveTransposedAxis(int input, int kernel, int stride, int dilation, int padding,
                                           int output_padding, const char* axis_name) {
  const std::string axis = std::string(axis_name) == "rows" ? "rows" : "columns";
  if (input < 1) return FieldError("input", "needs at least 1 " + AxisNoun(axis_name, 1) + ", got " + Str(input));
  if (kernel < 1) return FieldError("kernel_size", "must be at least 1 along the " + axis + ", got " + Str(kernel));
  if (stride < 1) return FieldError("stride", "must be at least 1 along the " + axis + ", got " + Str(stride));
  if (dilation < 1) {
    return FieldError("dilation", "must be at least 1 along the " + axis + ", got " + Str(dilation));
  }
  if (padding < 0) return FieldError("padding", "must not be negative along the " + axis + ", got " + Str(padding));
  if (output_padding < 0) {
    return FieldError("output_padding", "must not be negative along the " + axis + ", got " + Str(output_padding));
  }
  if (output_padding >= stride && output_padding >= dilation) {
    return FieldError("output_padding", "must be smaller than the stride (" + Str(stride) + ") or the dilation (" +
                                            Str(dilation) + ") along the " + axis + ", as in PyTorch; got " +
                                            Str(output_padding));
  }
  const std::int64_t n = input, s = stride, p = padding, d = dilation, k = kernel, r = output_padding;
  const std::int64_t span = (k - 1) * d + 1;
  const std::int64_t output = (n - 1) * s - 2 * p + d * (k - 1) + r + 1;
  std::string formula = "(" + Str(n) + kMinus + "1)" + kDot + Str(s) + kMinus + "2" + kDot + Str(p) + " + " + Str(d) +
                        kDot + "(" + Str(k) + kMinus + "1)";
  if (r > 0) formula += " + " + Str(r);
  formula += " + 1 = " + Str(output);
  if (output < 1) {
    return FieldError("padding", "leaves no output along the " + axis + ": " + formula +
                                     "; the padding may remove at most " + Str((output + 2 * p - 1) / 2) +
                                     " per side");
  }
  if (output > std::numeric_limits<int>::max()) {
    return FieldError("stride", "makes the " + axis + " too long (" + Str(output) + " cells)");
  }
  // The gather view: s − 1 zeros between input cells, then d·(k − 1) − p zero cells around them
  // (output_padding more after), under the flipped kernel at stride 1.
  const std::int64_t zeros_before = d * (k - 1) - p;
  const std::int64_t zeros_after = zeros_before + r;
  std::string explanation;
  if (s > 1) {
    explanation = "stride " + Str(s) + " puts " + Str(s - 1) + " zero" + (s == 2 ? "" : "s") + " between input " +
                  AxisNoun(axis_name, 2) + " (" + Str((n - 1) * s + 1) + " cells); ";
  }
  const auto side = [](std::int64_t zeros) {
    return zeros >= 0 ? Str(zeros) + " zero" + (zeros == 1 ? "" : "s") : Str(-zeros) + " cropped";
  };
  explanation += "the flipped kernel slides over it at stride 1 with d" + std::string(kDot) + "(k" + kMinus + "1)" +
                 kMinus + "p = " + side(zeros_before) + " before and " + side(zeros_after) + " after";
  if (r > 0) explanation += " (output_padding " + Str(r) + " adds to the end)";

  AxisGeometry axis_geometry;
  axis_geometry.input = input;
  axis_geometry.kernel = kernel;
  axis_geometry.stride = stride;
  axis_geometry.dilation = dilation;
  axis_geometry.span = static_cast<int>(span);
  axis_geometry.pad_before = padding;
  axis_geometry.pad_after = padding;
  axis_geometry.output = static_cast<int>(output);
  axis_geometry.formula = std::move(formula);
  axis_geometry.explanation = std::move(explanation);
  return axis_geometry;
}

namespace {

std::string Shape(int a, int b, int c) { return Str(a) + "\u00D7" + Str(b) + "\u00D7" + Str(c); }

// Fields that belong to the other kind of layer are refused rather than silently ignored.
Result<bool> CheckOperationFields(const Scene& scene) {
  const LayerSpec& layer = scene.layer;
  const Volume& input = scene.input;
  if (!IsPooling(layer.op)) {
    const FilterBank& weights = scene.weights;
    if (weights.filters < 1 || weights.channels < 1 || weights.height < 1 || weights.width < 1) {
      return FieldError("weights", "conv2d needs weights of shape O\u00D7C\u00D7kh\u00D7kw with every size at least 1");
    }
    const std::int64_t expected = std::int64_t{weights.filters} * weights.channels * weights.height * weights.width;
    if (static_cast<std::int64_t>(weights.values.size()) != expected) {
      return FieldError("weights", "holds " + Str(static_cast<std::int64_t>(weights.values.size())) +
                                       " values but its shape needs " + Str(expected));
    }
    if (layer.groups < 1) return FieldError("groups", "must be at least 1, got " + Str(layer.groups));
    if (input.channels % layer.groups != 0) {
      return FieldError("groups", Str(layer.groups) + " groups do not divide the input's " + Str(input.channels) +
                                      " channels");
    }
    if (weights.filters % layer.groups != 0) {
      return FieldError("groups", Str(layer.groups) + " groups do not divide the " + Str(weights.filters) +
                                      " output channels");
    }
    if (layer.groups == 1 && weights.channels != input.channels) {
      return FieldError("weights", "each filter spans " + Str(weights.channels) + " channels but the input has " +
                                       Str(input.channels) + "; a filter must cover every input channel");
    }
    if (weights.channels * layer.groups != input.channels) {
      return FieldError("weights", "each filter spans " + Str(weights.channels) + " channels but a group has " +
                                       Str(input.channels / layer.groups) + " (" + Str(input.channels) +
                                       " input channels / " + Str(layer.groups) + " groups)");
    }
    if (layer.kernel.rows != weights.height || layer.kernel.cols != weights.width) {
      return FieldError("kernel_size", Str(layer.kernel.rows) + "\u00D7" + Str(layer.kernel.cols) +
                                           " does not match the weights' " + Str(weights.height) + "\u00D7" +
                                           Str(weights.width));
    }
    if (!scene.bias.empty() && static_cast<std::int64_t>(scene.bias.size()) != weights.filters) {
      return FieldError("bias", "has " + Str(static_cast<std::int64_t>(scene.bias.size())) +
                                    " values but there are " + Str(weights.filters) + " filters (one bias each)");
    }
    const std::string op = OpName(layer.op);
    if (layer.ceil_mode) return FieldError("ceil_mode", "applies to pooling only, not " + op);
    if (!layer.count_include_pad) return FieldError("count_include_pad", "applies to avg_pool2d only, not " + op);
    if (layer.op == Op::kConvTranspose2d) {
      const Sides& sides = layer.padding.sides;
      if (layer.padding.mode != PaddingMode::kExplicit || sides.top != sides.bottom || sides.left != sides.right) {
        return FieldError("padding", "conv_transpose2d takes PyTorch's explicit padding p or [ph, pw] only");
      }
    } else if (layer.output_padding.rows != 0 || layer.output_padding.cols != 0) {
      return FieldError("output_padding", "applies to conv_transpose2d only, not " + op);
    }
    return true;
  }
  const std::string op = OpName(layer.op);
  if (layer.groups != 1) return FieldError("groups", op + " has no groups: each channel is pooled on its own");
  if (layer.output_padding.rows != 0 || layer.output_padding.cols != 0) {
    return FieldError("output_padding", "applies to conv_transpose2d only, not " + op);
  }
  if (scene.weights.filters != 0 || !scene.weights.values.empty()) {
    return FieldError("weights", op + " has no weights: it only looks at the window");
  }
  if (!scene.bias.empty()) return FieldError("bias", op + " has no bias");
  if (layer.activation != Activation::kNone) return FieldError("activation", "applies to conv2d only, not " + op);
  if (layer.padding.mode == PaddingMode::kFull) {
    return FieldError("padding", op + " takes \"valid\", \"same\" or explicit padding, not \"full\"");
  }
  if (layer.op == Op::kAvgPool2d && (layer.dilation.rows != 1 || layer.dilation.cols != 1)) {
    return FieldError("dilation", "avg_pool2d has no dilation (as in PyTorch); it must be 1");
  }
  if (layer.op == Op::kMaxPool2d && !layer.count_include_pad) {
    return FieldError("count_include_pad", "applies to avg_pool2d only, not max_pool2d");
  }
  return true;
}

// The tables StepAt reads to find a term step's cell (see TransposedReach).
TransposedReach TransposedTables(const Scene& scene, const Geometry& geometry) {
  TransposedReach reach;
  reach.group_channels = scene.weights.channels;
  reach.finishing_steps =
      (scene.bias.empty() ? 0 : 1) + (scene.layer.activation == Activation::kNone ? 0 : 1);
  const int height = geometry.out_height, width = geometry.out_width;
  reach.col_taps_before.assign(1, 0);
  reach.empty_cols_before.assign(1, 0);
  for (int x = 0; x < width; ++x) {
    const int taps = detail::TransposedTapsAt(geometry.cols, x);
    reach.col_taps.push_back(taps);
    reach.col_taps_before.push_back(reach.col_taps_before.back() + taps);
    reach.empty_cols_before.push_back(reach.empty_cols_before.back() + (taps == 0 ? 1 : 0));
  }
  reach.term_steps_before_row.assign(1, 0);
  for (int y = 0; y < height; ++y) {
    reach.row_taps.push_back(detail::TransposedTapsAt(geometry.rows, y));
    reach.term_steps_before_row.push_back(reach.term_steps_before_row.back() + TransposedTermStepsBefore(reach, y, width));
  }
  return reach;
}

Result<Geometry> ResolveTransposedGeometry(const Scene& scene) {
  const LayerSpec& layer = scene.layer;
  const Sides& sides = layer.padding.sides;
  Result<AxisGeometry> rows = ResolveTransposedAxis(scene.input.height, layer.kernel.rows, layer.stride.rows,
                                                    layer.dilation.rows, sides.top, layer.output_padding.rows, "rows");
  if (!rows) return rows.error();
  Result<AxisGeometry> cols = ResolveTransposedAxis(scene.input.width, layer.kernel.cols, layer.stride.cols,
                                                    layer.dilation.cols, sides.left, layer.output_padding.cols, "cols");
  if (!cols) return cols.error();
  Geometry geometry;
  geometry.rows = std::move(rows.value());
  geometry.cols = std::move(cols.value());
  geometry.padding = sides;
  geometry.out_channels = scene.weights.filters;
  geometry.out_height = geometry.rows.output;
  geometry.out_width = geometry.cols.output;
  const std::int64_t plane = std::int64_t{geometry.out_height} * geometry.out_width;
  if (plane > kMaxOutputCells / geometry.out_channels) {
    return FieldError("stride", "the output would have " + Str(geometry.out_height) + "\u00D7" +
                                    Str(geometry.out_width) + " cells per channel, more than the tutor can hold");
  }
  geometry.transposed = TransposedTables(scene, geometry);
  const TransposedReach& reach = geometry.transposed;
  std::int64_t row_taps = 0;
  for (int taps : reach.row_taps) row_taps += taps;
  // Every contributing product: per output channel, the group's channels × reaching rows × columns.
  const std::int64_t products_per_channel = row_taps * reach.col_taps_before.back();
  if (products_per_channel > kMaxMultiplyAdds / (std::int64_t{geometry.out_channels} * reach.group_channels)) {
    return FieldError("kernel_size", "the layer would need more multiply-adds than the tutor can count");
  }
  geometry.multiply_adds = products_per_channel * geometry.out_channels * reach.group_channels;
  geometry.parameters = std::int64_t{scene.weights.filters} * scene.weights.channels * layer.kernel.rows *
                            layer.kernel.cols +
                        static_cast<std::int64_t>(scene.bias.size());
  return geometry;
}

}  // namespace

std::int64_t TransposedTermStepsBefore(const TransposedReach& reach, int row, int col) {
  const int row_taps = reach.row_taps[static_cast<std::size_t>(row)];
  const std::int64_t products =
      std::int64_t{reach.group_channels} * row_taps * reach.col_taps_before[static_cast<std::size_t>(col)];
  std::int64_t steps = products + std::int64_t{reach.finishing_steps} * col;
  // A cell with no product and nothing to finish still has its one step, so every cell is visited.
  if (reach.finishing_steps == 0) steps += row_taps == 0 ? col : reach.empty_cols_before[static_cast<std::size_t>(col)];
  return steps;
}

Result<Geometry> ResolveGeometry(const Scene& scene) {
  const LayerSpec& layer = scene.layer;
  const Volume& input = scene.input;
  if (input.channels < 1 || input.height < 1 || input.width < 1) {
    return FieldError("input", "needs a C\u00D7H\u00D7W shape with every size at least 1, got " +
                                   Shape(input.channels, input.height, input.width));
  }
  const std::int64_t input_count = std::int64_t{input.channels} * input.height * input.width;
  if (static_cast<std::int64_t>(input.values.size()) != input_count) {
    return FieldError("input", "holds " + Str(static_cast<std::int64_t>(input.values.size())) +
                                   " values but its shape " + Shape(input.channels, input.height, input.width) +
                                   " needs " + Str(input_count));
  }
  if (layer.kernel.rows < 1 || layer.kernel.cols < 1) {
    return FieldError("kernel_size", "must be at least 1\u00D71, got " + Str(layer.kernel.rows) + "\u00D7" +
                                         Str(layer.kernel.cols));
  }
  if (layer.stride.rows < 1 || layer.stride.cols < 1) {
    return FieldError("stride", "must be at least 1, got " + Str(layer.stride.rows) + ", " + Str(layer.stride.cols));
  }
  if (layer.dilation.rows < 1 || layer.dilation.cols < 1) {
    return FieldError("dilation", "must be at least 1, got " + Str(layer.dilation.rows) + ", " +
                                      Str(layer.dilation.cols));
  }
  Result<bool> fields = CheckOperationFields(scene);
  if (!fields) return fields.error();

  const bool pooling = IsPooling(layer.op);
  if (layer.op == Op::kConvTranspose2d) return ResolveTransposedGeometry(scene);
  const Sides& sides = layer.padding.sides;
  Result<AxisGeometry> rows = ResolveAxis(layer.padding.mode, input.height, layer.kernel.rows, layer.stride.rows,
                                          layer.dilation.rows, sides.top, sides.bottom, layer.ceil_mode, pooling,
                                          "rows");
  if (!rows) return rows.error();
  Result<AxisGeometry> cols = ResolveAxis(layer.padding.mode, input.width, layer.kernel.cols, layer.stride.cols,
                                          layer.dilation.cols, sides.left, sides.right, layer.ceil_mode, pooling,
                                          "cols");
  if (!cols) return cols.error();

  Geometry geometry;
  geometry.rows = std::move(rows.value());
  geometry.cols = std::move(cols.value());
  geometry.padding = Sides{geometry.rows.pad_before, geometry.rows.pad_after, geometry.cols.pad_before,
                           geometry.cols.pad_after};
  geometry.out_channels = pooling ? input.channels : scene.weights.filters;
  geometry.out_height = geometry.rows.output;
  geometry.out_width = geometry.cols.output;
  // Counts that would not fit are refused before anyone multiplies them or allocates for them.
  const std::int64_t plane = std::int64_t{geometry.out_height} * geometry.out_width;
  if (plane > kMaxOutputCells / geometry.out_channels) {
    const Sides& pads = geometry.padding;
    const bool padded = pads.top > 0 || pads.bottom > 0 || pads.left > 0 || pads.right > 0;
    return FieldError(padded ? "padding" : "input",
                      "the output would have " + Str(geometry.out_height) + "\u00D7" + Str(geometry.out_width) +
                          " cells per channel, more than the tutor can hold");
  }
  const std::int64_t out_cells = geometry.out_channels * plane;
  const std::int64_t taps = std::int64_t{layer.kernel.rows} * layer.kernel.cols;
  const std::int64_t work_per_cell = pooling ? taps : taps * scene.weights.channels;
  if (work_per_cell > kMaxMultiplyAdds / out_cells) {
    return FieldError("kernel_size", "the layer would need more multiply-adds than the tutor can count");
  }
  geometry.multiply_adds = out_cells * work_per_cell;
  geometry.parameters = pooling ? 0
                                : std::int64_t{scene.weights.filters} * scene.weights.channels * taps +
                                      static_cast<std::int64_t>(scene.bias.size());
  return geometry;
}

}  // namespace convtutor
