// im2col: the windows of a conv2d layer copied out as the rows of one matrix and its filters as the
// columns of another, so the layer becomes one matrix product; a row on its own for a step, and
// where a step's window, tap and filter sit in that product.
#include "convtutor/im2col.h"

#include <cstddef>
#include <string>

namespace convtutor {
namespace {

std::size_t At(int row, int column, int columns) {
  return static_cast<std::size_t>(row) * static_cast<std::size_t>(columns) + static_cast<std::size_t>(column);
}

// The window of row `row`: its taps in (channel, ky, kx) order, and whether each is padding.
void FillRow(const Scene& scene, const Geometry& geometry, int row, float* values, std::vector<bool>::iterator padded) {
  const int out_y = row / geometry.out_width;
  const int out_x = row % geometry.out_width;
  const Volume& input = scene.input;
  const int kh = scene.weights.height, kw = scene.weights.width;
  int column = 0;
  for (int c = 0; c < input.channels; ++c) {
    for (int ky = 0; ky < kh; ++ky) {
      const int y = out_y * geometry.rows.stride - geometry.padding.top + ky * geometry.rows.dilation;
      for (int kx = 0; kx < kw; ++kx, ++column) {
        const int x = out_x * geometry.cols.stride - geometry.padding.left + kx * geometry.cols.dilation;
        const bool outside = y < 0 || y >= input.height || x < 0 || x >= input.width;
        values[column] = outside ? 0.0f : input.At(c, y, x);
        padded[column] = outside;
      }
    }
  }
}

}  // namespace

Result<Unrolled> Unroll(const Scene& scene, const Geometry& geometry) {
  if (scene.layer.op != Op::kConv2d) {
    return Error{"op", std::string("im2col unrolls conv2d layers; this one is ") + OpName(scene.layer.op), 0};
  }
  if (scene.layer.groups != 1) return Error{"groups", "im2col is shown for ungrouped layers (groups 1)", 0};
  Unrolled unrolled;
  unrolled.rows = geometry.out_height * geometry.out_width;
  unrolled.columns = scene.weights.channels * scene.weights.height * scene.weights.width;
  unrolled.filters = scene.weights.filters;
  const std::int64_t patch_entries = std::int64_t{unrolled.rows} * unrolled.columns;
  const std::int64_t filter_entries = std::int64_t{unrolled.columns} * unrolled.filters;
  if (patch_entries > kMaxUnrolledEntries || filter_entries > kMaxUnrolledEntries) {
    return Error{"input", "the unrolled matrix would have " + std::to_string(patch_entries) +
                              " entries; it is drawn up to " + std::to_string(kMaxUnrolledEntries), 0};
  }
  unrolled.patches.assign(static_cast<std::size_t>(patch_entries), 0.0f);
  unrolled.padded.assign(static_cast<std::size_t>(patch_entries), false);
  for (int row = 0; row < unrolled.rows; ++row) {
    const std::size_t start = At(row, 0, unrolled.columns);
    FillRow(scene, geometry, row, &unrolled.patches[start],
            unrolled.padded.begin() + static_cast<std::ptrdiff_t>(start));
  }
  unrolled.filter_matrix.assign(static_cast<std::size_t>(filter_entries), 0.0f);
  for (int o = 0; o < unrolled.filters; ++o) {
    for (int t = 0; t < unrolled.columns; ++t) {
      unrolled.filter_matrix[At(t, o, unrolled.filters)] = scene.weights.values[At(o, t, unrolled.columns)];
    }
  }
  return unrolled;
}

std::vector<float> PatchRow(const Scene& scene, const Geometry& geometry, int row) {
  const int columns = scene.weights.channels * scene.weights.height * scene.weights.width;
  std::vector<float> values(static_cast<std::size_t>(columns));
  std::vector<bool> padded(static_cast<std::size_t>(columns));
  FillRow(scene, geometry, row, values.data(), padded.begin());
  return values;
}

MatrixPosition PositionOfStep(const Scene& scene, const Geometry& geometry, const Step& step) {
  MatrixPosition position;
  position.row = step.out_row * geometry.out_width + step.out_col;
  position.filter = step.out_channel;
  if (step.kind == StepKind::kTerm) {
    position.column = (step.channel * scene.weights.height + step.tap_row) * scene.weights.width + step.tap_col;
  }
  return position;
}

float RowTimesColumn(const Unrolled& unrolled, const Scene& scene, int row, int filter) {
  float sum = 0.0f;
  for (int t = 0; t < unrolled.columns; ++t) {
    sum += unrolled.patches[At(row, t, unrolled.columns)] * unrolled.filter_matrix[At(t, filter, unrolled.filters)];
  }
  if (!scene.bias.empty()) sum += scene.bias[static_cast<std::size_t>(filter)];
  return sum;
}

}  // namespace convtutor
