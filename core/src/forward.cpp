// The fast whole-layer path: every output value at once, for live previews, real images and the
// benchmarks. Its matrix products run on the SIMD register tile of forward_tile.h (3×3 layers with
// many channels by Winograd's algorithm, forward_winograd.h; grouped layers a group at a time,
// transposed ones an output phase at a time); tests hold it to the step path.
#include "convtutor/forward.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "forward_scratch.h"
#include "forward_tile.h"
#include "forward_winograd.h"
#include "pooling_rules.h"

namespace convtutor {
namespace {

// The output columns [first, last] whose tap at input offset `offset` (= ox·stride + offset)
// lands inside a real row of `width` cells; empty when first > last.
struct ColumnRange {
  int first = 0;
  int last = -1;
};

ColumnRange RealColumns(int offset, int stride, int width, int out_width) {
  ColumnRange range;
  range.first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  const int room = width - 1 - offset;
  range.last = room < 0 ? -1 : room / stride;
  if (range.last > out_width - 1) range.last = out_width - 1;
  return range;
}

using detail::TileRow;
using detail::TileShape;

// conv2d as a matrix product, out[o][pixel] = Σ_k w[o][k] · patch[k][pixel] with k = (c, ky, kx),
// done one output row at a time in register tiles of shape.filters × shape.pixels (forward_tile.h),
// whose sums stay in registers for the whole k loop.

// Weights regrouped so a tile reads everything it needs for one k contiguously:
// [filter group][k][filter in group], zero for the filters past the last.
const float* PackWeights(const FilterBank& weights, const TileShape& shape, std::vector<float>& packed) {
  const int depth = weights.channels * weights.height * weights.width;
  const int groups = (weights.filters + shape.filters - 1) / shape.filters;
  float* values = detail::Zeroed(packed, static_cast<std::size_t>(groups * depth * shape.filters));
  for (int o = 0; o < weights.filters; ++o) {
    const float* filter = &weights.values[weights.Index(o, 0, 0, 0)];
    float* group = values + static_cast<std::size_t>((o / shape.filters) * depth * shape.filters);
    for (int k = 0; k < depth; ++k) group[k * shape.filters + o % shape.filters] = filter[k];
  }
  return values;
}

// The bias of each filter group's filters, zero for those past the last; empty when the layer has none.
std::vector<float> GroupedBias(const Scene& scene, int filters_per_group) {
  if (scene.bias.empty()) return {};
  std::vector<float> grouped = scene.bias;
  grouped.resize((scene.bias.size() + static_cast<std::size_t>(filters_per_group) - 1) /
                 static_cast<std::size_t>(filters_per_group) * static_cast<std::size_t>(filters_per_group), 0.0f);
  return grouped;
}

// The input as the tiles read it in place: at column stride s > 1 each row's columns are split
// by phase, [phase p][i] = column i·s + p (zero past the row), so the pixels ox·s + e of one tap are
// again neighbours, in phase e mod s; at stride 1 the input itself.
struct InPlaceInput {
  const float* values = nullptr;
  int row_length = 0;   // s · phase_width
  int phase_width = 0;  // ⌈width / s⌉
};

InPlaceInput SplitColumnsByPhase(const Volume& input, int stride, std::vector<float>& buffer) {
  InPlaceInput split;
  if (stride == 1) {
    split.values = input.values.data();
    split.row_length = input.width;
    split.phase_width = input.width;
    return split;
  }
  split.phase_width = (input.width + stride - 1) / stride;
  split.row_length = stride * split.phase_width;
  const int rows = input.channels * input.height;
  float* values = detail::Sized(buffer, static_cast<std::size_t>(rows) * static_cast<std::size_t>(split.row_length));
  for (int row = 0; row < rows; ++row) {
    const float* source = &input.values[static_cast<std::size_t>(row) * static_cast<std::size_t>(input.width)];
    float* target = values + static_cast<std::ptrdiff_t>(row) * split.row_length;
    for (int phase = 0; phase < stride; ++phase) {
      float* run = target + phase * split.phase_width;
      for (int i = 0; i < split.phase_width; ++i) {
        const int column = i * stride + phase;
        run[i] = column < input.width ? source[column] : 0.0f;
      }
    }
  }
  split.values = values;
  return split;
}

// Pixel groups [first, end) of one output row whose taps all lie inside the input: there the
// pixels of each tap are neighbouring cells of the in-place input, so a tile reads them there.
struct GroupRange {
  int first = 0;
  int end = 0;
};

GroupRange DirectGroups(const Scene& scene, const Geometry& geometry, int out_row, int pixels) {
  const LayerSpec& layer = scene.layer;
  const Volume& input = scene.input;
  GroupRange range;
  const int top = out_row * layer.stride.rows - geometry.padding.top;
  const int bottom = top + (layer.kernel.rows - 1) * layer.dilation.rows;
  if (top < 0 || bottom >= input.height) return range;
  const int stride = layer.stride.cols;
  const int left = geometry.padding.left;
  const int reach = (layer.kernel.cols - 1) * layer.dilation.cols;
  const int full_groups = geometry.out_width / pixels;
  range.first = ((left + stride - 1) / stride + pixels - 1) / pixels;  // from the first ox with ox·s ≥ left
  range.end = range.first;
  while (range.end < full_groups && (range.end * pixels + pixels - 1) * stride - left + reach < input.width) {
    ++range.end;
  }
  return range;
}

// Where each k = (c, ky, kx) reads in the in-place input, relative to pixel 0 of its window's top row.
std::vector<std::ptrdiff_t> TapOffsets(const Scene& scene, const Geometry& geometry, const InPlaceInput& split) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const int stride = layer.stride.cols;
  std::vector<std::ptrdiff_t> offsets;
  offsets.reserve(static_cast<std::size_t>(input.channels) * static_cast<std::size_t>(layer.kernel.rows) *
                  static_cast<std::size_t>(layer.kernel.cols));
  for (int c = 0; c < input.channels; ++c) {
    for (int ky = 0; ky < layer.kernel.rows; ++ky) {
      for (int kx = 0; kx < layer.kernel.cols; ++kx) {
        // Pixel ox reads column ox·s + e: phase e mod s, index ox + ⌊e / s⌋ (e may be negative).
        const int e = kx * layer.dilation.cols - geometry.padding.left;
        const int shift = e >= 0 ? e / stride : -((-e + stride - 1) / stride);
        const int phase = e - shift * stride;
        offsets.push_back((static_cast<std::ptrdiff_t>(c) * input.height + ky * layer.dilation.rows) * split.row_length +
                          phase * split.phase_width + shift);
      }
    }
  }
  return offsets;
}

// The input patches of one output row: [pixel group][k][pixel in group], zero where a tap falls in
// the padding or past the row's last pixel. Groups read in place (`direct`) are left alone.
void PackRow(const Scene& scene, const Geometry& geometry, int out_row, GroupRange direct, int pixels,
             float* patches) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const int kernel_rows = layer.kernel.rows;
  const int kernel_cols = layer.kernel.cols;
  const int depth = input.channels * kernel_rows * kernel_cols;
  const int out_width = geometry.out_width;
  const int groups = (out_width + pixels - 1) / pixels;
  const int stride = layer.stride.cols;
  const std::size_t group_size = static_cast<std::size_t>(depth * pixels);
  int k = 0;
  for (int c = 0; c < input.channels; ++c) {
    for (int ky = 0; ky < kernel_rows; ++ky) {
      const int iy = out_row * layer.stride.rows - geometry.padding.top + ky * layer.dilation.rows;
      const bool row_is_real = iy >= 0 && iy < input.height;
      const float* in_row = row_is_real ? &input.values[input.Index(c, iy, 0)] : nullptr;
      for (int kx = 0; kx < kernel_cols; ++kx, ++k) {
        const int offset = kx * layer.dilation.cols - geometry.padding.left;
        const ColumnRange real = row_is_real ? RealColumns(offset, stride, input.width, out_width) : ColumnRange{};
        float* column = patches + static_cast<std::size_t>(k * pixels);
        // Every group but the direct ones [direct.first, direct.end).
        for (int group = direct.first == 0 ? direct.end : 0; group < groups;
             group = group + 1 == direct.first ? direct.end : group + 1) {
          float* run = column + static_cast<std::size_t>(group) * group_size;
          const int first_ox = group * pixels;
          if (first_ox >= real.first && first_ox + pixels - 1 <= real.last) {
            const float* source = in_row + first_ox * stride + offset;
            if (stride == 1) {  // the common case: a straight copy the compiler turns into vector moves
              for (int j = 0; j < pixels; ++j) run[j] = source[j];
            } else {
              for (int j = 0; j < pixels; ++j) run[j] = source[j * stride];
            }
          } else {
            for (int j = 0; j < pixels; ++j) {
              const int ox = first_ox + j;
              run[j] = ox >= real.first && ox <= real.last ? in_row[ox * stride + offset] : 0.0f;
            }
          }
        }
      }
    }
  }
}

// Every output cell: its sum of products, plus the bias, then the activation.
void ConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const TileShape shape = detail::SimdTileShape();
  const int filters = shape.filters;
  const int pixels = shape.pixels;
  const FilterBank& weights = scene.weights;
  const int depth = weights.channels * weights.height * weights.width;
  const int groups = (weights.filters + filters - 1) / filters;
  const int pixel_groups = (geometry.out_width + pixels - 1) / pixels;
  const int full_pixel_groups = geometry.out_width / pixels;
  const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(output.height) * output.width;
  detail::ForwardScratch& scratch = detail::ThreadScratch();
  const float* packed_weights = PackWeights(weights, shape, scratch.weights);
  const std::vector<float> bias = GroupedBias(scene, shape.filters);
  const InPlaceInput split = SplitColumnsByPhase(scene.input, scene.layer.stride.cols, scratch.phases);
  const std::vector<std::ptrdiff_t> tap_offsets = TapOffsets(scene, geometry, split);
  const std::ptrdiff_t packed_group_size = static_cast<std::ptrdiff_t>(depth) * pixels;
  float* patches = detail::Sized(scratch.inputs, static_cast<std::size_t>(pixel_groups * packed_group_size));
  // The sums with no place in the output: a partial last pixel group, a group's filters past the last.
  const int tile_size = filters * pixels;
  float* spilled = detail::Sized(scratch.sums, static_cast<std::size_t>(pixel_groups * tile_size));  // [pixel group][filter][pixel]
  for (int oy = 0; oy < output.height; ++oy) {
    const GroupRange direct = DirectGroups(scene, geometry, oy, pixels);
    PackRow(scene, geometry, oy, direct, pixels, patches);
    // In the in-place input: the window's top row for pixel 0, then each k at its fixed offset.
    const std::ptrdiff_t corner =
        static_cast<std::ptrdiff_t>(oy * scene.layer.stride.rows - geometry.padding.top) * split.row_length;
    for (int group = 0; group < groups; ++group) {
      const int first_filter = group * filters;
      const bool whole_group = first_filter + filters <= output.channels;
      TileRow row;
      row.depth = depth;
      row.weights = packed_weights + static_cast<std::size_t>(group * depth * filters);
      row.bias = bias.empty() ? nullptr : &bias[static_cast<std::size_t>(group * filters)];
      row.relu = scene.layer.activation == Activation::kRelu;
      // Pixel groups [first, end) from the packed patches or read in place; their sums straight into
      // the output where they fit, else spilled and copied.
      const auto multiply = [&](int first, int end, bool in_place) {
        if (first >= end) return;
        row.offsets = in_place ? tap_offsets.data() : nullptr;
        row.tap_step = in_place ? 0 : pixels;
        row.input_stride = in_place ? pixels : packed_group_size;
        const float* inputs = in_place ? split.values + (corner + first * pixels)
                                       : patches + first * packed_group_size;
        const int fitting_end = whole_group ? (end < full_pixel_groups ? end : full_pixel_groups) : first;
        if (fitting_end > first) {
          row.inputs = inputs;
          row.tiles = fitting_end - first;
          row.sums = &output.values[output.Index(first_filter, oy, first * pixels)];
          row.sum_tile_stride = pixels;
          row.sum_filter_stride = plane;
          detail::MultiplyTileRow(row);
        }
        if (end <= fitting_end) return;
        row.inputs = inputs + (fitting_end - first) * row.input_stride;
        row.tiles = end - fitting_end;
        row.sums = spilled + fitting_end * tile_size;
        row.sum_tile_stride = tile_size;
        row.sum_filter_stride = pixels;
        detail::MultiplyTileRow(row);
        for (int o = first_filter; o < first_filter + filters && o < output.channels; ++o) {
          float* out_row = &output.values[output.Index(o, oy, 0)];
          for (int pixel_group = fitting_end; pixel_group < end; ++pixel_group) {
            const float* sums = spilled + pixel_group * tile_size + (o - first_filter) * pixels;
            const int first_ox = pixel_group * pixels;
            std::copy(sums, sums + std::min(pixels, output.width - first_ox), out_row + first_ox);
          }
        }
      };
      multiply(0, direct.first < direct.end ? direct.first : pixel_groups, false);
      multiply(direct.first, direct.end, true);
      if (direct.first < direct.end) multiply(direct.end, pixel_groups, false);
    }
  }
}

// A convolution of one group (every filter spans every input channel), its bias and activation
// applied as the sums are stored: by Winograd's algorithm where it suits, else the register tile.
void PlainConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  if (detail::SuitsWinograd(scene)) {
    detail::WinogradSums(scene, geometry, output);
  } else {
    ConvSums(scene, geometry, output);
  }
}

// Grouped conv2d (depthwise too): each group's input channels and filters as a convolution of its
// own, on the same fast path, written into the group's maps.
void GroupedConvSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const int groups = scene.layer.groups;
  const int channels = scene.weights.channels;
  const int filters = scene.weights.filters / groups;
  Scene group_scene;
  group_scene.layer = scene.layer;
  group_scene.layer.groups = 1;
  group_scene.input = Volume::Zeros(channels, scene.input.height, scene.input.width);
  group_scene.weights = FilterBank::Zeros(filters, channels, scene.weights.height, scene.weights.width);
  Volume group_output = Volume::Zeros(filters, output.height, output.width);
  const auto in_values = static_cast<std::ptrdiff_t>(group_scene.input.values.size());
  const auto weight_values = static_cast<std::ptrdiff_t>(group_scene.weights.values.size());
  const auto out_values = static_cast<std::ptrdiff_t>(group_output.values.size());
  for (int group = 0; group < groups; ++group) {
    const auto in = scene.input.values.begin() + group * in_values;
    std::copy(in, in + in_values, group_scene.input.values.begin());
    const auto weights = scene.weights.values.begin() + group * weight_values;
    std::copy(weights, weights + weight_values, group_scene.weights.values.begin());
    if (!scene.bias.empty()) {
      const auto bias = scene.bias.begin() + group * filters;
      group_scene.bias.assign(bias, bias + filters);
    }
    PlainConvSums(group_scene, geometry, group_output);
    std::copy(group_output.values.begin(), group_output.values.end(), output.values.begin() + group * out_values);
  }
}

// conv_transpose2d by output phase. Output cell y of an axis receives tap t from input cell
// (y + p − t·d) / s where that divides exactly, so the cells y = y0 + s·j of one phase y0 all take
// the same taps, and along j each tap reads consecutive input cells: the phase is an ordinary
// stride-1 convolution of the input with those taps (last first, d / gcd(d, s) cells apart).
// Each phase runs on the convolutions' fast path and its sums land s cells apart in the output.
struct TransposedPhase {
  int first_out = 0;      // y0, the phase's first output cell
  int outputs = 0;        // its cells y0, y0 + s, ... inside the output
  std::vector<int> taps;  // the kernel taps reaching it, in the order the convolution reads them
  int dilation = 1;       // input cells between consecutive taps
  // The input cells its convolution covers, [first_input, first_input + outputs + span − 1): the
  // real ones [crop_begin, crop_end), zeros before and after them.
  int first_input = 0;
  int crop_begin = 0, crop_end = 0;
  int pad_before = 0, pad_after = 0;
  bool Empty() const { return taps.empty() || crop_end <= crop_begin; }  // only the bias reaches it
};

TransposedPhase PhaseOf(const AxisGeometry& axis, int first_out) {
  TransposedPhase phase;
  phase.first_out = first_out;
  phase.outputs = first_out < axis.output ? (axis.output - first_out + axis.stride - 1) / axis.stride : 0;
  for (int tap = axis.kernel - 1; tap >= 0; --tap) {
    const int reach = first_out + axis.pad_before - tap * axis.dilation;
    if (((reach % axis.stride) + axis.stride) % axis.stride == 0) phase.taps.push_back(tap);
  }
  if (phase.outputs == 0 || phase.taps.empty()) return phase;
  phase.first_input = (first_out + axis.pad_before - phase.taps.front() * axis.dilation) / axis.stride;
  if (phase.taps.size() > 1) phase.dilation = (phase.taps[0] - phase.taps[1]) * axis.dilation / axis.stride;
  const int span = (static_cast<int>(phase.taps.size()) - 1) * phase.dilation + 1;
  const int last_input = phase.first_input + phase.outputs + span - 1;  // one past
  phase.crop_begin = std::max(phase.first_input, 0);
  phase.crop_end = std::min(last_input, axis.input);
  phase.pad_before = phase.crop_begin - phase.first_input;
  phase.pad_after = last_input - phase.crop_end;
  return phase;
}

// The phase's input, cropped to the cells it reads. The zeros around it are written out where they
// are few (the register tile then reads every window in place), else left to the padding, as when
// the kernel reaches far past the input.
void SetPhaseInput(const Volume& source, const TransposedPhase& rows, const TransposedPhase& cols, Scene& phase_scene) {
  const int real_rows = rows.crop_end - rows.crop_begin, real_cols = cols.crop_end - cols.crop_begin;
  const int all_rows = real_rows + rows.pad_before + rows.pad_after;
  const int all_cols = real_cols + cols.pad_before + cols.pad_after;
  const bool zeros_written = std::int64_t{all_rows} * all_cols <= 2 * std::int64_t{real_rows} * real_cols;
  phase_scene.layer.padding.sides =
      zeros_written ? Sides{} : Sides{rows.pad_before, rows.pad_after, cols.pad_before, cols.pad_after};
  Volume& input = phase_scene.input;
  input.channels = source.channels;
  input.height = zeros_written ? all_rows : real_rows;
  input.width = zeros_written ? all_cols : real_cols;
  const int top = zeros_written ? rows.pad_before : 0, left = zeros_written ? cols.pad_before : 0;
  input.values.assign(static_cast<std::size_t>(input.channels) * static_cast<std::size_t>(input.height) *
                          static_cast<std::size_t>(input.width), 0.0f);
  for (int c = 0; c < input.channels; ++c) {
    for (int y = 0; y < real_rows; ++y) {
      const float* row = &source.values[source.Index(c, rows.crop_begin + y, cols.crop_begin)];
      std::copy(row, row + real_cols, &input.values[input.Index(c, top + y, left)]);
    }
  }
}

// The phase's kernel: the taps that reach it, in the order its convolution reads them.
void SetPhaseWeights(const FilterBank& weights, const TransposedPhase& rows, const TransposedPhase& cols,
                     Scene& phase_scene) {
  LayerSpec& spec = phase_scene.layer;
  spec.kernel = Size2{static_cast<int>(rows.taps.size()), static_cast<int>(cols.taps.size())};
  spec.dilation = Size2{rows.dilation, cols.dilation};
  FilterBank& taps = phase_scene.weights;
  taps = FilterBank::Zeros(weights.filters, weights.channels, spec.kernel.rows, spec.kernel.cols);
  for (int o = 0; o < weights.filters; ++o) {
    for (int c = 0; c < weights.channels; ++c) {
      for (int ky = 0; ky < spec.kernel.rows; ++ky) {
        for (int kx = 0; kx < spec.kernel.cols; ++kx) {
          taps.At(o, c, ky, kx) =
              weights.At(o, c, rows.taps[static_cast<std::size_t>(ky)], cols.taps[static_cast<std::size_t>(kx)]);
        }
      }
    }
  }
}

void TransposedSums(const Scene& scene, const Geometry& geometry, Volume& output) {
  const LayerSpec& layer = scene.layer;
  Scene phase_scene;
  phase_scene.layer = layer;
  phase_scene.layer.op = Op::kConv2d;
  phase_scene.layer.stride = Size2{1, 1};
  phase_scene.layer.output_padding = Size2{0, 0};
  phase_scene.layer.padding.mode = PaddingMode::kExplicit;
  phase_scene.bias = scene.bias;
  // One phase (stride 1) is the whole output, written in place; otherwise each phase's sums go
  // through this buffer, every cell of it written by the convolution.
  const bool one_phase = layer.stride.rows == 1 && layer.stride.cols == 1;
  Volume phase_output;
  for (int first_row = 0; first_row < layer.stride.rows; ++first_row) {
    const TransposedPhase rows = PhaseOf(geometry.rows, first_row);
    for (int first_col = 0; first_col < layer.stride.cols; ++first_col) {
      const TransposedPhase cols = PhaseOf(geometry.cols, first_col);
      if (rows.outputs == 0 || cols.outputs == 0) continue;
      const auto land = [&](int o, int j, int i) -> float& {
        return output.At(o, rows.first_out + j * layer.stride.rows, cols.first_out + i * layer.stride.cols);
      };
      if (rows.Empty() || cols.Empty()) {  // no input reaches these cells: the bias, activated
        for (int o = 0; o < output.channels; ++o) {
          const float bias = scene.bias.empty() ? 0.0f : scene.bias[static_cast<std::size_t>(o)];
          const float value = layer.activation == Activation::kRelu && bias < 0.0f ? 0.0f : bias;
          for (int j = 0; j < rows.outputs; ++j) {
            for (int i = 0; i < cols.outputs; ++i) land(o, j, i) = value;
          }
        }
        continue;
      }
      SetPhaseInput(scene.input, rows, cols, phase_scene);
      SetPhaseWeights(scene.weights, rows, cols, phase_scene);
      Geometry phase_geometry;
      phase_geometry.padding = phase_scene.layer.padding.sides;
      phase_geometry.out_channels = output.channels;
      phase_geometry.out_height = rows.outputs;
      phase_geometry.out_width = cols.outputs;
      if (!one_phase) {
        phase_output.channels = output.channels;
        phase_output.height = rows.outputs;
        phase_output.width = cols.outputs;
        phase_output.values.resize(static_cast<std::size_t>(output.channels) * static_cast<std::size_t>(rows.outputs) *
                                   static_cast<std::size_t>(cols.outputs));
      }
      Volume& sums = one_phase ? output : phase_output;
      if (layer.groups > 1) {
        GroupedConvSums(phase_scene, phase_geometry, sums);
      } else {
        PlainConvSums(phase_scene, phase_geometry, sums);
      }
      if (one_phase) continue;
      for (int o = 0; o < output.channels; ++o) {
        for (int j = 0; j < rows.outputs; ++j) {
          for (int i = 0; i < cols.outputs; ++i) land(o, j, i) = phase_output.At(o, j, i);
        }
      }
    }
  }
}

void ConvForward(const Scene& scene, const Geometry& geometry, Volume& output) {
  if (scene.layer.op == Op::kConvTranspose2d) {
    TransposedSums(scene, geometry, output);
  } else if (scene.layer.groups > 1) {
    GroupedConvSums(scene, geometry, output);
  } else {
    PlainConvSums(scene, geometry, output);
  }
}

void PoolForward(const Scene& scene, const Geometry& geometry, Volume& output) {
  const Volume& input = scene.input;
  const LayerSpec& layer = scene.layer;
  const bool is_max = layer.op == Op::kMaxPool2d;
  for (int c = 0; c < output.channels; ++c) {
    for (int oy = 0; oy < output.height; ++oy) {
      const int origin_row = oy * layer.stride.rows - geometry.padding.top;
      for (int ox = 0; ox < output.width; ++ox) {
        const int origin_col = ox * layer.stride.cols - geometry.padding.left;
        float best = -std::numeric_limits<float>::infinity();
        float sum = 0.0f;
        for (int ky = 0; ky < layer.kernel.rows; ++ky) {
          const int iy = origin_row + ky * layer.dilation.rows;
          if (iy < 0 || iy >= input.height) continue;
          for (int kx = 0; kx < layer.kernel.cols; ++kx) {
            const int ix = origin_col + kx * layer.dilation.cols;
            if (ix < 0 || ix >= input.width) continue;
            const float value = input.At(c, iy, ix);
            if (value > best) best = value;
            sum += value;
          }
        }
        if (is_max) {
          output.At(c, oy, ox) = best;
        } else {
          const int divisor = detail::AvgDivisor(layer, geometry, origin_row, origin_col);
          output.At(c, oy, ox) = divisor > 0 ? sum / static_cast<float>(divisor) : 0.0f;
        }
      }
    }
  }
}

}  // namespace

Volume Forward(const Scene& scene, const Geometry& geometry) {
  Volume output = Volume::Zeros(geometry.out_channels, geometry.out_height, geometry.out_width);
  if (IsPooling(scene.layer.op)) {
    PoolForward(scene, geometry, output);
  } else {
    ConvForward(scene, geometry, output);
  }
  return output;
}

}  // namespace convtutor
