// The scatter view and the equivalent convolution of conv_transpose2d (transposed.h). A scatter
// step is found from its index through the plan's running totals, and a map's progress is summed
// in scatter order, so the view's last step shows exactly the numbers its cells add up to.
#include "convtutor/transposed.h"

#include <algorithm>

#include "transposed_rules.h"

namespace convtutor {
namespace {

std::string Str(std::int64_t number) { return std::to_string(number); }
constexpr const char* kMinus = " \u2212 ";
constexpr const char* kDot = "\u00B7";

// The plan's steps of one input channel's row `row` before column `col`.
std::int64_t ScatterTermStepsBefore(const ScatterPlan& plan, int row, int col) {
  const int row_taps = plan.row_taps[static_cast<std::size_t>(row)];
  if (row_taps == 0) return col;  // every copy of the row is cropped: one step a cell
  return std::int64_t{row_taps} * plan.col_taps_before[static_cast<std::size_t>(col)] +
         plan.empty_cols_before[static_cast<std::size_t>(col)];
}

std::int64_t StepsPerMap(const Scene& scene, const ScatterPlan& plan, Level level) {
  const std::int64_t positions = std::int64_t{scene.input.height} * scene.input.width;
  std::int64_t work = positions;
  if (level == Level::kChannel) work = positions * plan.group_channels;
  if (level == Level::kTerm) work = plan.term_steps_before_row.back() * plan.group_channels;
  return work + plan.finishing_steps;
}

// The largest index in [0, count) whose running total `before(index)` is at most `target`.
template <typename Before>
int LastAtOrBefore(int count, std::int64_t target, Before before) {
  int low = 0, high = count - 1;
  while (low < high) {
    const int middle = (low + high + 1) / 2;
    if (before(middle) <= target) low = middle; else high = middle - 1;
  }
  return low;
}

// Where a product sits in the scatter order: (group channel, input row, input column, ky, kx).
struct ScatterKey {
  int channel = 0, row = 0, col = 0, tap_row = 0, tap_col = 0;
};

// Whether the product at `key` has been added by the step at `limit`, at this level of detail.
bool AddedBy(const ScatterKey& key, const ScatterKey& limit, Level level) {
  const auto before = [](std::initializer_list<int> a, std::initializer_list<int> b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end()) || std::equal(a.begin(), a.end(), b.begin());
  };
  if (level == Level::kCell) return before({key.row, key.col}, {limit.row, limit.col});
  if (level == Level::kChannel) return before({key.channel, key.row, key.col}, {limit.channel, limit.row, limit.col});
  return before({key.channel, key.row, key.col, key.tap_row, key.tap_col},
                {limit.channel, limit.row, limit.col, limit.tap_row, limit.tap_col});
}

}  // namespace

const char* TransposedViewName(TransposedView view) {
  switch (view) {
    case TransposedView::kScatter: return "scatter";
    case TransposedView::kGather: return "gather";
    case TransposedView::kZeroInserted: return "zero_inserted";
  }
  return "scatter";
}

bool ParseTransposedView(std::string_view name, TransposedView* view) {
  for (TransposedView candidate : {TransposedView::kScatter, TransposedView::kGather, TransposedView::kZeroInserted}) {
    if (name == TransposedViewName(candidate)) {
      *view = candidate;
      return true;
    }
  }
  return false;
}

std::string TransposedSizeFilledIn(const AxisGeometry& axis, int output_padding) {
  return "(" + Str(axis.input) + kMinus + "1)" + kDot + Str(axis.stride) + kMinus + "2" + kDot + Str(axis.pad_before) +
         " + " + Str(axis.dilation) + kDot + "(" + Str(axis.kernel) + kMinus + "1) + " + Str(output_padding) +
         " + 1 = " + Str(axis.output);
}

ZeroInsertedAxis ZeroInsertAxis(const AxisGeometry& axis, int output_padding) {
  ZeroInsertedAxis zeros;
  zeros.inserted = (axis.input - 1) * axis.stride + 1;
  zeros.border_before = axis.dilation * (axis.kernel - 1) - axis.pad_before;
  zeros.border_after = zeros.border_before + output_padding;
  zeros.length = axis.output + axis.span - 1;
  zeros.source.assign(static_cast<std::size_t>(zeros.length), -1);
  for (int cell = 0; cell < zeros.length; ++cell) {
    // Cell `cell` is position cell − border_before of the inserted input, where input i sits at i·s.
    const int at = cell - zeros.border_before;
    if (at >= 0 && at % axis.stride == 0 && at / axis.stride < axis.input) {
      zeros.source[static_cast<std::size_t>(cell)] = at / axis.stride;
    }
  }
  const auto border = [](int count, const char* where) {
    if (count >= 0) return Str(count) + (count == 1 ? " zero " : " zeros ") + where;
    return Str(-count) + (-count == 1 ? " cell cropped " : " cells cropped ") + where;
  };
  std::string text = "(" + Str(axis.input) + kMinus + "1)" + kDot + Str(axis.stride) + " + 1 = " + Str(zeros.inserted) +
                     " cells with " + Str(axis.stride - 1) + " zero" + (axis.stride == 2 ? "" : "s") +
                     " between inputs; " + border(zeros.border_before, "before") + " and " +
                     border(zeros.border_after, "after") + " (d" + kDot + "(k" + kMinus + "1)" + kMinus + "p = " +
                     Str(zeros.border_before) + (output_padding > 0 ? ", + output_padding after" : "") + "): " +
                     Str(zeros.length) + " cells; a stride-1 window of span " + Str(axis.span) + " fits " +
                     Str(zeros.length) + kMinus + Str(axis.span) + " + 1 = " + Str(axis.output) + " times";
  zeros.explanation = std::move(text);
  return zeros;
}

Scene EquivalentConvScene(const Scene& scene, const Geometry& geometry) {
  const LayerSpec& layer = scene.layer;
  const ZeroInsertedAxis rows = ZeroInsertAxis(geometry.rows, layer.output_padding.rows);
  const ZeroInsertedAxis cols = ZeroInsertAxis(geometry.cols, layer.output_padding.cols);
  Scene conv;
  conv.layer = layer;
  conv.layer.op = Op::kConv2d;
  conv.layer.stride = Size2{1, 1};
  conv.layer.padding = PaddingSpec{};
  conv.layer.output_padding = Size2{0, 0};
  conv.input = Volume::Zeros(scene.input.channels, rows.length, cols.length);
  for (int c = 0; c < scene.input.channels; ++c) {
    for (int y = 0; y < rows.length; ++y) {
      const int in_row = rows.source[static_cast<std::size_t>(y)];
      if (in_row < 0) continue;
      for (int x = 0; x < cols.length; ++x) {
        const int in_col = cols.source[static_cast<std::size_t>(x)];
        if (in_col >= 0) conv.input.At(c, y, x) = scene.input.At(c, in_row, in_col);
      }
    }
  }
  const FilterBank& weights = scene.weights;
  conv.weights = FilterBank::Zeros(weights.filters, weights.channels, weights.height, weights.width);
  for (int o = 0; o < weights.filters; ++o) {
    for (int c = 0; c < weights.channels; ++c) {
      for (int ky = 0; ky < weights.height; ++ky) {
        for (int kx = 0; kx < weights.width; ++kx) {
          conv.weights.At(o, c, weights.height - 1 - ky, weights.width - 1 - kx) = weights.At(o, c, ky, kx);
        }
      }
    }
  }
  conv.bias = scene.bias;
  return conv;
}

std::int64_t GatherFirstTermStep(const Geometry& geometry, std::int64_t cell) {
  const std::int64_t plane = std::int64_t{geometry.out_height} * geometry.out_width;
  const std::int64_t channel = cell / plane;
  const int row = static_cast<int>((cell % plane) / geometry.out_width);
  const int col = static_cast<int>(cell % geometry.out_width);
  const TransposedReach& reach = geometry.transposed;
  return channel * reach.term_steps_before_row.back() + reach.term_steps_before_row[static_cast<std::size_t>(row)] +
         TransposedTermStepsBefore(reach, row, col);
}

Landing LandingOf(const AxisGeometry& axis, int in) {
  Landing landing;
  landing.first_out = in * axis.stride - axis.pad_before;
  landing.first_tap = axis.kernel;
  landing.end_tap = 0;
  for (int tap = 0; tap < axis.kernel; ++tap) {
    const int out = landing.first_out + tap * axis.dilation;
    if (out < 0 || out >= axis.output) continue;
    landing.first_tap = std::min(landing.first_tap, tap);
    landing.end_tap = tap + 1;
  }
  if (landing.end_tap == 0) landing.first_tap = 0;
  return landing;
}

int ProductsReaching(const Geometry& geometry, int out_row, int out_col) {
  return detail::TransposedTapsAt(geometry.rows, out_row) * detail::TransposedTapsAt(geometry.cols, out_col) *
         geometry.transposed.group_channels;
}

ScatterPlan MakeScatterPlan(const Scene& scene, const Geometry& geometry) {
  ScatterPlan plan;
  plan.group_channels = scene.weights.channels;
  plan.finishing_steps = (scene.bias.empty() ? 0 : 1) + (scene.layer.activation == Activation::kNone ? 0 : 1);
  plan.col_taps_before.assign(1, 0);
  plan.empty_cols_before.assign(1, 0);
  for (int col = 0; col < scene.input.width; ++col) {
    const int taps = LandingOf(geometry.cols, col).Taps();
    plan.col_taps.push_back(taps);
    plan.col_taps_before.push_back(plan.col_taps_before.back() + taps);
    plan.empty_cols_before.push_back(plan.empty_cols_before.back() + (taps == 0 ? 1 : 0));
  }
  plan.term_steps_before_row.assign(1, 0);
  for (int row = 0; row < scene.input.height; ++row) {
    plan.row_taps.push_back(LandingOf(geometry.rows, row).Taps());
    plan.term_steps_before_row.push_back(plan.term_steps_before_row.back() +
                                         ScatterTermStepsBefore(plan, row, scene.input.width));
  }
  return plan;
}

std::int64_t ScatterStepCount(const Scene& scene, const Geometry& geometry, const ScatterPlan& plan, Level level) {
  return std::int64_t{geometry.out_channels} * StepsPerMap(scene, plan, level);
}

ScatterStep ScatterStepAt(const Scene& scene, const Geometry& geometry, const ScatterPlan& plan, Level level,
                          std::int64_t index) {
  ScatterStep step;
  step.index = index;
  step.count = ScatterStepCount(scene, geometry, plan, level);
  const std::int64_t per_map = StepsPerMap(scene, plan, level);
  step.out_channel = static_cast<int>(index / per_map);
  const std::int64_t within_map = index % per_map;
  const std::int64_t work = per_map - plan.finishing_steps;
  if (within_map >= work) {
    step.kind = within_map == work && !scene.bias.empty() ? StepKind::kBias : StepKind::kActivation;
    return step;
  }
  const int width = scene.input.width;
  const std::int64_t positions = std::int64_t{scene.input.height} * width;
  int group_channel = 0;
  std::int64_t position = within_map;
  std::int64_t within_cell = 0;
  if (level == Level::kChannel) {
    group_channel = static_cast<int>(within_map / positions);
    position = within_map % positions;
  }
  if (level == Level::kTerm) {
    const std::int64_t per_channel = plan.term_steps_before_row.back();
    group_channel = static_cast<int>(within_map / per_channel);
    const std::int64_t in_channel = within_map % per_channel;
    const int row = LastAtOrBefore(scene.input.height, in_channel,
                                   [&](int r) { return plan.term_steps_before_row[static_cast<std::size_t>(r)]; });
    const std::int64_t in_row = in_channel - plan.term_steps_before_row[static_cast<std::size_t>(row)];
    const int col = LastAtOrBefore(width, in_row, [&](int c) { return ScatterTermStepsBefore(plan, row, c); });
    within_cell = in_row - ScatterTermStepsBefore(plan, row, col);
    position = std::int64_t{row} * width + col;
  }
  step.kind = level == Level::kCell ? StepKind::kCell : (level == Level::kChannel ? StepKind::kChannel : StepKind::kTerm);
  step.in_row = static_cast<int>(position / width);
  step.in_col = static_cast<int>(position % width);
  step.rows = LandingOf(geometry.rows, step.in_row);
  step.cols = LandingOf(geometry.cols, step.in_col);
  step.copy_row = step.rows.first_out;
  step.copy_col = step.cols.first_out;
  if (level == Level::kCell) return step;
  step.in_channel = FirstGroupChannel(scene, step.out_channel) + group_channel;
  step.input = scene.input.At(step.in_channel, step.in_row, step.in_col);
  if (level == Level::kChannel || step.rows.Taps() == 0 || step.cols.Taps() == 0) return step;
  step.tap_row = step.rows.first_tap + static_cast<int>(within_cell / step.cols.Taps());
  step.tap_col = step.cols.first_tap + static_cast<int>(within_cell % step.cols.Taps());
  step.out_row = step.copy_row + step.tap_row * geometry.rows.dilation;
  step.out_col = step.copy_col + step.tap_col * geometry.cols.dilation;
  step.weight = scene.weights.At(step.out_channel, group_channel, step.tap_row, step.tap_col);
  step.product = step.input * step.weight;
  // The cell's running value: its products in scatter order (channel, then input row and column
  // ascending, which is kernel row and column descending), up to this one.
  const ScatterKey limit{group_channel, step.in_row, step.in_col, step.tap_row, step.tap_col};
  float sum = 0.0f;
  for (int g = 0; g < plan.group_channels; ++g) {
    const int c = FirstGroupChannel(scene, step.out_channel) + g;
    for (int ky = scene.weights.height - 1; ky >= 0; --ky) {
      const int row = detail::TransposedSource(geometry.rows, step.out_row, ky);
      if (row < 0) continue;
      for (int kx = scene.weights.width - 1; kx >= 0; --kx) {
        const int col = detail::TransposedSource(geometry.cols, step.out_col, kx);
        if (col < 0 || !AddedBy(ScatterKey{g, row, col, ky, kx}, limit, Level::kTerm)) continue;
        sum += scene.input.At(c, row, col) * scene.weights.At(step.out_channel, g, ky, kx);
      }
    }
  }
  step.partial = sum;
  return step;
}

std::int64_t ScatterStepIndex(const Scene& scene, const ScatterPlan& plan, Level level, int out_channel,
                              int group_channel, int in_row, int in_col) {
  const std::int64_t width = scene.input.width;
  std::int64_t within = in_row * width + in_col;
  if (level == Level::kChannel) within += std::int64_t{group_channel} * scene.input.height * width;
  if (level == Level::kTerm) {
    within = std::int64_t{group_channel} * plan.term_steps_before_row.back() +
             plan.term_steps_before_row[static_cast<std::size_t>(in_row)] + ScatterTermStepsBefore(plan, in_row, in_col);
  }
  return out_channel * StepsPerMap(scene, plan, level) + within;
}

ScatterMap ScatterMapAt(const Scene& scene, const Geometry& geometry, const ScatterPlan& plan, Level level,
                        std::int64_t index) {
  const ScatterStep step = ScatterStepAt(scene, geometry, plan, level, index);
  ScatterMap map;
  map.out_channel = step.out_channel;
  map.height = geometry.out_height;
  map.width = geometry.out_width;
  const std::size_t cells = static_cast<std::size_t>(map.height) * static_cast<std::size_t>(map.width);
  map.values.assign(cells, 0.0f);
  map.added.assign(cells, 0);
  const bool finishing = step.kind == StepKind::kBias || step.kind == StepKind::kActivation;
  // A copy cropped whole has no tap: everything of its input cell counts as added.
  const int last = scene.weights.height * scene.weights.width;
  const ScatterKey limit{step.in_channel - FirstGroupChannel(scene, step.out_channel), step.in_row, step.in_col,
                         step.tap_row >= 0 ? step.tap_row : last, step.tap_col >= 0 ? step.tap_col : last};
  const int first_channel = FirstGroupChannel(scene, step.out_channel);
  for (int g = 0; g < plan.group_channels; ++g) {
    for (int row = 0; row < scene.input.height; ++row) {
      const Landing rows = LandingOf(geometry.rows, row);
      for (int col = 0; col < scene.input.width; ++col) {
        const Landing cols = LandingOf(geometry.cols, col);
        const float input = scene.input.At(first_channel + g, row, col);
        for (int ky = rows.first_tap; ky < rows.end_tap; ++ky) {
          const int y = rows.first_out + ky * geometry.rows.dilation;
          if (y < 0 || y >= map.height) continue;
          for (int kx = cols.first_tap; kx < cols.end_tap; ++kx) {
            const int x = cols.first_out + kx * geometry.cols.dilation;
            if (x < 0 || x >= map.width) continue;
            if (!finishing && !AddedBy(ScatterKey{g, row, col, ky, kx}, limit, level)) continue;
            const std::size_t at = static_cast<std::size_t>(y) * static_cast<std::size_t>(map.width) +
                                   static_cast<std::size_t>(x);
            map.values[at] += input * scene.weights.At(step.out_channel, g, ky, kx);
            ++map.added[at];
          }
        }
      }
    }
  }
  map.biased = finishing && !scene.bias.empty();
  map.activated = step.kind == StepKind::kActivation;
  for (float& value : map.values) {
    if (map.biased) value += scene.bias[static_cast<std::size_t>(step.out_channel)];
    if (map.activated && scene.layer.activation == Activation::kRelu && value < 0.0f) value = 0.0f;
  }
  return map;
}

}  // namespace convtutor
