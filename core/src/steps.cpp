// The step sequence as a pure function of (scene, level, index): StepAt finds the output cell
// by dividing the index and recomputes only that cell's work, so any step costs the same.
#include "convtutor/steps.h"

#include <cstring>
#include <limits>
#include <vector>

#include "pooling_rules.h"
#include "transposed_rules.h"

namespace convtutor {
namespace {

std::int64_t CellCount(const Geometry& geometry) {
  return std::int64_t{geometry.out_channels} * geometry.out_height * geometry.out_width;
}

std::int64_t StepsPerCell(const Scene& scene, Level level) {
  if (level == Level::kCell) return 1;
  const std::int64_t taps = std::int64_t{scene.layer.kernel.rows} * scene.layer.kernel.cols;
  if (IsPooling(scene.layer.op)) return level == Level::kTerm ? taps : 1;
  const std::int64_t finishing =
      (scene.bias.empty() ? 0 : 1) + (scene.layer.activation == Activation::kNone ? 0 : 1);
  const std::int64_t per_channel = level == Level::kTerm ? taps : 1;
  return std::int64_t{scene.weights.channels} * per_channel + finishing;
}

bool InsideInput(const Volume& input, int row, int col) {
  return row >= 0 && row < input.height && col >= 0 && col < input.width;
}

float Activate(Activation activation, float value) {
  return activation == Activation::kRelu && value < 0.0f ? 0.0f : value;
}

// A convolution step that ends on the product of input channel c and tap (ky, kx), or after
// channel c: records where it is and the running sum. Returns true (the step's partial is taken).
bool NoteTerm(int c, int ky, int kx, float sum, Step& step) {
  step.kind = StepKind::kTerm;
  step.channel = c;
  step.tap_row = ky;
  step.tap_col = kx;
  step.partial = sum;
  return true;
}

bool NoteChannel(int c, float sum, Step& step) {
  step.kind = StepKind::kChannel;
  step.channel = c;
  step.partial = sum;
  return true;
}

// Ends a convolution cell's step once its products are summed: the cell level shows the value;
// past the `product_steps` products come the bias step (if any), then the activation step (if any).
void FinishConvStep(const Scene& scene, Level level, std::int64_t within, std::int64_t product_steps, float sum,
                    bool partial_taken, Step& step) {
  const LayerSpec& layer = scene.layer;
  const bool has_bias = !scene.bias.empty();
  const float biased = has_bias ? sum + scene.bias[static_cast<std::size_t>(step.out_channel)] : sum;
  step.value = Activate(layer.activation, biased);
  if (level == Level::kCell) {
    step.kind = StepKind::kCell;
    step.partial = step.value;
  } else if (!partial_taken) {
    if (has_bias && within == product_steps) {
      step.kind = StepKind::kBias;
      step.partial = biased;
    } else if (within == product_steps && layer.activation == Activation::kNone) {
      // conv_transpose2d's cell that no input reaches, with nothing to finish: its one step.
      step.kind = StepKind::kCell;
      step.partial = step.value;
    } else {
      step.kind = StepKind::kActivation;
      step.partial = step.value;
    }
  }
}

// Runs a conv2d cell's multiply-adds in (channel, ky, kx) order over the filter's group of input
// channels (the cell of `step`: its out_channel and window origin), calling on_term(c, ky, kx, sum)
// after each tap (a padded one adds nothing) and on_channel(g, c, sum) after each channel of the
// group; returns the sum of the products.
template <typename OnTerm, typename OnChannel>
float SumConvCell(const Scene& scene, const Step& step, OnTerm on_term, OnChannel on_channel) {
  const Volume& input = scene.input;
  const FilterBank& weights = scene.weights;
  const LayerSpec& layer = scene.layer;
  const int first_channel = FirstGroupChannel(scene, step.out_channel);
  float sum = 0.0f;
  for (int g = 0; g < weights.channels; ++g) {
    const int c = first_channel + g;
    for (int ky = 0; ky < weights.height; ++ky) {
      const int row = step.origin_row + ky * layer.dilation.rows;
      for (int kx = 0; kx < weights.width; ++kx) {
        const int col = step.origin_col + kx * layer.dilation.cols;
        if (InsideInput(input, row, col)) sum += input.At(c, row, col) * weights.At(step.out_channel, g, ky, kx);
        on_term(c, ky, kx, sum);
      }
    }
    on_channel(g, c, sum);
  }
  return sum;
}

// The same for a conv_transpose2d cell, the gather view: over its group's channels, only the taps
// (ky, kx) that bring a real input cell to it, in (channel, ky, kx) order; on_term after each.
template <typename OnTerm, typename OnChannel>
float SumTransposedCell(const Scene& scene, const Geometry& geometry, const Step& step, OnTerm on_term,
                        OnChannel on_channel) {
  const Volume& input = scene.input;
  const FilterBank& weights = scene.weights;
  const int first_channel = FirstGroupChannel(scene, step.out_channel);
  float sum = 0.0f;
  for (int g = 0; g < weights.channels; ++g) {
    const int c = first_channel + g;
    for (int ky = 0; ky < weights.height; ++ky) {
      const int row = detail::TransposedSource(geometry.rows, step.out_row, ky);
      if (row < 0) continue;
      for (int kx = 0; kx < weights.width; ++kx) {
        const int col = detail::TransposedSource(geometry.cols, step.out_col, kx);
        if (col < 0) continue;
        sum += input.At(c, row, col) * weights.At(step.out_channel, g, ky, kx);
        on_term(c, ky, kx, sum);
      }
    }
    on_channel(g, c, sum);
  }
  return sum;
}

// The cell's products for either kind of convolution: SumTransposedCell or SumConvCell.
template <typename OnTerm, typename OnChannel>
float SumCellProducts(const Scene& scene, const Geometry& geometry, const Step& step, OnTerm on_term,
                      OnChannel on_channel) {
  return scene.layer.op == Op::kConvTranspose2d ? SumTransposedCell(scene, geometry, step, on_term, on_channel)
                                                : SumConvCell(scene, step, on_term, on_channel);
}

// Fills a convolution step (conv2d, or conv_transpose2d's gather view) from its cell's products,
// noting the running sum where step `within` (the step's position inside its cell) ends.
void FillConvolutionStep(const Scene& scene, const Geometry& geometry, Level level, std::int64_t within, Step& step) {
  bool partial_taken = false;
  std::int64_t products = 0;
  const auto on_term = [&](int c, int ky, int kx, float sum) {
    if (level == Level::kTerm && !partial_taken && products == within) partial_taken = NoteTerm(c, ky, kx, sum, step);
    ++products;
  };
  const auto on_channel = [&](int g, int c, float sum) {
    if (level == Level::kChannel && !partial_taken && g == within) partial_taken = NoteChannel(c, sum, step);
  };
  const float sum = SumCellProducts(scene, geometry, step, on_term, on_channel);
  const std::int64_t product_steps =
      level == Level::kTerm ? products : (level == Level::kChannel ? scene.weights.channels : 0);
  FinishConvStep(scene, level, within, product_steps, sum, partial_taken, step);
}

// conv_transpose2d at the term level, where cells have different numbers of steps: the output cell
// holding step `index` (binary search over the TransposedReach totals) and the step's position in it.
struct CellPosition {
  int out_channel = 0, out_row = 0, out_col = 0;
  std::int64_t within = 0;
};

CellPosition LocateTransposedTerm(const Geometry& geometry, std::int64_t index) {
  const TransposedReach& reach = geometry.transposed;
  const std::vector<std::int64_t>& before_row = reach.term_steps_before_row;
  const std::int64_t per_channel = before_row.back();
  CellPosition position;
  position.out_channel = static_cast<int>(index / per_channel);
  const std::int64_t in_channel = index % per_channel;
  // The last row starting at or before the step (rows without steps share their start with the next).
  int low = 0, high = geometry.out_height - 1;
  while (low < high) {
    const int middle = (low + high + 1) / 2;
    if (before_row[static_cast<std::size_t>(middle)] <= in_channel) low = middle; else high = middle - 1;
  }
  position.out_row = low;
  const std::int64_t in_row = in_channel - before_row[static_cast<std::size_t>(low)];
  low = 0;
  high = geometry.out_width - 1;
  while (low < high) {
    const int middle = (low + high + 1) / 2;
    if (TransposedTermStepsBefore(reach, position.out_row, middle) <= in_row) low = middle; else high = middle - 1;
  }
  position.out_col = low;
  position.within = in_row - TransposedTermStepsBefore(reach, position.out_row, low);
  return position;
}

// Fills a pooling step: taps in (ky, kx) order; padded taps are steps that change nothing.
void FillPoolStep(const Scene& scene, const Geometry& geometry, Level level, std::int64_t within, Step& step) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const bool is_max = layer.op == Op::kMaxPool2d;
  const int c = step.out_channel;
  const float not_yet = std::numeric_limits<float>::quiet_NaN();

  float best = not_yet;
  bool seen_real = false;
  float sum = 0.0f;
  float running_at_step = 0.0f;  // max pooling: NaN until a real tap, since `best` starts as NaN
  for (int ky = 0; ky < layer.kernel.rows; ++ky) {
    const int row = step.origin_row + ky * layer.dilation.rows;
    for (int kx = 0; kx < layer.kernel.cols; ++kx) {
      const int col = step.origin_col + kx * layer.dilation.cols;
      if (InsideInput(input, row, col)) {
        const float value = input.At(c, row, col);
        if (is_max) {
          if (!seen_real || value > best) best = value;
        } else {
          sum += value;
        }
        seen_real = true;
      }
      if (level == Level::kTerm && ky * layer.kernel.cols + kx == within) {
        step.tap_row = ky;
        step.tap_col = kx;
        running_at_step = is_max ? best : sum;
      }
    }
  }
  if (is_max) {
    // PyTorch's answer for a window that sees only padding.
    step.value = seen_real ? best : -std::numeric_limits<float>::infinity();
  } else {
    const int divisor = detail::AvgDivisor(layer, geometry, step.origin_row, step.origin_col);
    step.value = divisor > 0 ? sum / static_cast<float>(divisor) : 0.0f;
    if (level == Level::kTerm) running_at_step = divisor > 0 ? running_at_step / static_cast<float>(divisor) : 0.0f;
  }
  step.channel = c;
  if (level == Level::kTerm) {
    step.kind = StepKind::kTerm;
    const bool last = within == std::int64_t{layer.kernel.rows} * layer.kernel.cols - 1;
    // The last tap shows the finished value (also for a max window that saw only padding).
    step.partial = last ? step.value : running_at_step;
  } else {
    step.kind = StepKind::kCell;
    step.partial = step.value;
  }
}

// A transposed convolution's step: `origin` is the window's first tap in the zero-inserted input
// (input cell i sits at i·s there), d·(k − 1) − p before output cell 0's window.
Step TransposedStepAt(const Scene& scene, const Geometry& geometry, Level level, std::int64_t index) {
  CellPosition position;
  if (level == Level::kTerm) {
    position = LocateTransposedTerm(geometry, index);
  } else {
    const std::int64_t per_cell = StepsPerCell(scene, level);
    const std::int64_t cell = index / per_cell;
    const std::int64_t plane = std::int64_t{geometry.out_height} * geometry.out_width;
    position.out_channel = static_cast<int>(cell / plane);
    position.out_row = static_cast<int>((cell % plane) / geometry.out_width);
    position.out_col = static_cast<int>(cell % geometry.out_width);
    position.within = index % per_cell;
  }
  Step step;
  step.index = index;
  step.count = StepCount(scene, geometry, level);
  step.out_channel = position.out_channel;
  step.out_row = position.out_row;
  step.out_col = position.out_col;
  step.origin_row = step.out_row + geometry.padding.top - (geometry.rows.span - 1);
  step.origin_col = step.out_col + geometry.padding.left - (geometry.cols.span - 1);
  FillConvolutionStep(scene, geometry, level, position.within, step);
  return step;
}

// The products of one conv_transpose2d cell that contribute, in (channel, ky, kx) order; each
// names the real input cell it reads (never padded).
std::vector<WindowTerm> TransposedWindowTerms(const Scene& scene, const Geometry& geometry, int out_channel,
                                              int out_row, int out_col) {
  const FilterBank& weights = scene.weights;
  const int first_channel = FirstGroupChannel(scene, out_channel);
  std::vector<WindowTerm> terms;
  for (int g = 0; g < weights.channels; ++g) {
    for (int ky = 0; ky < weights.height; ++ky) {
      const int row = detail::TransposedSource(geometry.rows, out_row, ky);
      if (row < 0) continue;
      for (int kx = 0; kx < weights.width; ++kx) {
        const int col = detail::TransposedSource(geometry.cols, out_col, kx);
        if (col < 0) continue;
        WindowTerm term;
        term.channel = first_channel + g;
        term.tap_row = ky;
        term.tap_col = kx;
        term.in_row = row;
        term.in_col = col;
        term.input = scene.input.At(term.channel, row, col);
        term.weight = weights.At(out_channel, g, ky, kx);
        term.product = term.input * term.weight;
        terms.push_back(term);
      }
    }
  }
  return terms;
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kCell: return "cell";
    case Level::kChannel: return "channel";
    case Level::kTerm: return "term";
  }
  return "cell";
}

const char* StepKindName(StepKind kind) {
  switch (kind) {
    case StepKind::kCell: return "cell";
    case StepKind::kChannel: return "channel";
    case StepKind::kTerm: return "term";
    case StepKind::kBias: return "bias";
    case StepKind::kActivation: return "activation";
  }
  return "cell";
}

bool ParseLevel(const char* name, Level* level) {
  for (Level candidate : {Level::kCell, Level::kChannel, Level::kTerm}) {
    if (std::strcmp(name, LevelName(candidate)) == 0) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

std::int64_t StepCount(const Scene& scene, const Geometry& geometry, Level level) {
  if (scene.layer.op == Op::kConvTranspose2d && level == Level::kTerm) {
    return std::int64_t{geometry.out_channels} * geometry.transposed.term_steps_before_row.back();
  }
  return CellCount(geometry) * StepsPerCell(scene, level);
}

Step StepAt(const Scene& scene, const Geometry& geometry, Level level, std::int64_t index) {
  if (scene.layer.op == Op::kConvTranspose2d) return TransposedStepAt(scene, geometry, level, index);
  const std::int64_t per_cell = StepsPerCell(scene, level);
  const std::int64_t cell = index / per_cell;
  const std::int64_t within = index % per_cell;
  const std::int64_t plane = std::int64_t{geometry.out_height} * geometry.out_width;

  Step step;
  step.index = index;
  step.count = StepCount(scene, geometry, level);
  step.out_channel = static_cast<int>(cell / plane);
  step.out_row = static_cast<int>((cell % plane) / geometry.out_width);
  step.out_col = static_cast<int>(cell % geometry.out_width);
  step.origin_row = step.out_row * scene.layer.stride.rows - geometry.padding.top;
  step.origin_col = step.out_col * scene.layer.stride.cols - geometry.padding.left;
  if (IsPooling(scene.layer.op)) {
    FillPoolStep(scene, geometry, level, within, step);
  } else {
    FillConvolutionStep(scene, geometry, level, within, step);
  }
  return step;
}

std::vector<Step> ChannelSteps(const Scene& scene, const Geometry& geometry, std::int64_t cell) {
  const std::int64_t per_cell = StepsPerCell(scene, Level::kChannel);
  const Step first = StepAt(scene, geometry, Level::kChannel, cell * per_cell);
  std::vector<Step> steps(static_cast<std::size_t>(per_cell), first);
  for (std::int64_t i = 0; i < per_cell; ++i) {
    steps[static_cast<std::size_t>(i)].index = first.index + i;
    steps[static_cast<std::size_t>(i)].channel = -1;  // the bias and activation steps keep none
  }
  const auto on_term = [](int, int, int, float) {};
  const auto on_channel = [&](int g, int c, float sum) { NoteChannel(c, sum, steps[static_cast<std::size_t>(g)]); };
  const float sum = SumCellProducts(scene, geometry, first, on_term, on_channel);
  const int channels = scene.weights.channels;
  for (std::int64_t i = 0; i < per_cell; ++i) {
    FinishConvStep(scene, Level::kChannel, i, channels, sum, i < channels, steps[static_cast<std::size_t>(i)]);
  }
  return steps;
}

std::vector<WindowTerm> WindowTerms(const Scene& scene, const Geometry& geometry, int out_channel, int out_row,
                                    int out_col) {
  const LayerSpec& layer = scene.layer;
  const Volume& input = scene.input;
  const int origin_row = out_row * layer.stride.rows - geometry.padding.top;
  const int origin_col = out_col * layer.stride.cols - geometry.padding.left;
  const bool pooling = IsPooling(layer.op);
  if (layer.op == Op::kConvTranspose2d) return TransposedWindowTerms(scene, geometry, out_channel, out_row, out_col);
  const int first_channel = pooling ? out_channel : FirstGroupChannel(scene, out_channel);
  const int end_channel = pooling ? out_channel + 1 : first_channel + scene.weights.channels;

  std::vector<WindowTerm> terms;
  terms.reserve(static_cast<std::size_t>(end_channel - first_channel) *
                static_cast<std::size_t>(layer.kernel.rows) * static_cast<std::size_t>(layer.kernel.cols));
  for (int c = first_channel; c < end_channel; ++c) {
    for (int ky = 0; ky < layer.kernel.rows; ++ky) {
      for (int kx = 0; kx < layer.kernel.cols; ++kx) {
        WindowTerm term;
        term.channel = c;
        term.tap_row = ky;
        term.tap_col = kx;
        term.in_row = origin_row + ky * layer.dilation.rows;
        term.in_col = origin_col + kx * layer.dilation.cols;
        term.padded = !InsideInput(input, term.in_row, term.in_col);
        term.input = term.padded ? 0.0f : input.At(c, term.in_row, term.in_col);
        if (pooling) {
          term.product = term.input;
        } else {
          term.weight = scene.weights.At(out_channel, c - first_channel, ky, kx);
          term.product = term.input * term.weight;
        }
        terms.push_back(term);
      }
    }
  }
  return terms;
}

}  // namespace convtutor
