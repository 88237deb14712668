// Fuzz target for the request reader: ParseRequestText, then for a small accepted request the
// result JSON, steps at every level, and the property that the fast path (Forward) and the step
// path agree on every checked cell.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "convtutor/forward.h"
#include "convtutor/request.h"
#include "convtutor/steps.h"
#include "convtutor/transposed.h"
#include "fuzz_check.h"

namespace {

using convtutor::fuzz::Check;

// Keeps one run cheap: larger requests are parsed but not computed.
constexpr std::int64_t kMaxValues = 4096;
constexpr std::int64_t kMaxMultiplyAdds = 200'000;
constexpr std::int64_t kMaxCheckedCells = 32;

// The last term step of `cell` must be the cell's final value, and equal Forward's, within a
// tolerance relative to the magnitude of the terms that were summed.
// A transposed convolution's cells take different numbers of term steps (the products that land).
std::int64_t FirstTermStep(const convtutor::Scene& scene, const convtutor::Geometry& geometry, std::int64_t cell,
                           std::int64_t steps_per_cell) {
  if (scene.layer.op == convtutor::Op::kConvTranspose2d) return convtutor::GatherFirstTermStep(geometry, cell);
  return cell * steps_per_cell;
}

void CheckCellAgrees(const convtutor::Scene& scene, const convtutor::Geometry& geometry,
                     const convtutor::Volume& fast, std::int64_t cell, std::int64_t steps_per_cell) {
  const convtutor::Step last = convtutor::StepAt(scene, geometry, convtutor::Level::kTerm,
                                                 FirstTermStep(scene, geometry, cell + 1, steps_per_cell) - 1);
  const std::int64_t cells_per_channel = std::int64_t{geometry.out_height} * geometry.out_width;
  Check(last.out_channel == cell / cells_per_channel && last.out_row == (cell % cells_per_channel) / geometry.out_width &&
            last.out_col == cell % geometry.out_width,
        "the last term step of a cell is that cell's");
  const float fast_value = fast.At(last.out_channel, last.out_row, last.out_col);
  if (std::isnan(last.value) || std::isnan(fast_value)) {
    Check(std::isnan(last.value) == std::isnan(fast_value), "Forward and StepAt agree on an undefined value");
    return;
  }
  Check(last.partial == last.value || (std::isnan(last.partial) && std::isnan(last.value)),
        "a cell's last step has the final value as its running sum");
  double magnitude = 0.0;
  for (const convtutor::WindowTerm& term :
       convtutor::WindowTerms(scene, geometry, last.out_channel, last.out_row, last.out_col)) {
    magnitude += std::fabs(static_cast<double>(term.product));
  }
  if (!scene.bias.empty()) magnitude += std::fabs(static_cast<double>(scene.bias[static_cast<std::size_t>(last.out_channel)]));
  // Sums that overflow float may overflow in one order of addition and not in another.
  if (!std::isfinite(magnitude) || magnitude > 1e30) return;
  const double tolerance = 1e-5 * magnitude + 1e-30;
  Check(std::fabs(static_cast<double>(last.value) - static_cast<double>(fast_value)) <= tolerance,
        "Forward and the step path give the same value");
}

// The scatter view's finished maps and the equivalent convolution both give Forward's output.
void CheckScatterAgrees(const convtutor::Scene& scene, const convtutor::Geometry& geometry, const convtutor::Volume& fast) {
  const convtutor::ScatterPlan plan = convtutor::MakeScatterPlan(scene, geometry);
  const std::int64_t per_map = convtutor::ScatterStepCount(scene, geometry, plan, convtutor::Level::kTerm) /
                               geometry.out_channels;
  const convtutor::Scene conv = convtutor::EquivalentConvScene(scene, geometry);
  const convtutor::Result<convtutor::Geometry> conv_geometry = convtutor::ResolveGeometry(conv);
  Check(conv_geometry.ok() && conv_geometry.value().out_height == geometry.out_height &&
            conv_geometry.value().out_width == geometry.out_width,
        "the equivalent convolution has the transposed convolution's output size");
  const convtutor::Volume equivalent = convtutor::Forward(conv, conv_geometry.value());
  for (int map = 0; map < geometry.out_channels; ++map) {
    const convtutor::ScatterMap built =
        convtutor::ScatterMapAt(scene, geometry, plan, convtutor::Level::kTerm, (map + 1) * per_map - 1);
    for (int row = 0; row < geometry.out_height; ++row) {
      for (int col = 0; col < geometry.out_width; ++col) {
        const double expected = fast.At(map, row, col);
        double magnitude = 1e-30;
        for (const convtutor::WindowTerm& term : convtutor::WindowTerms(scene, geometry, map, row, col)) {
          magnitude += std::fabs(static_cast<double>(term.product));
        }
        if (!scene.bias.empty()) magnitude += std::fabs(static_cast<double>(scene.bias[static_cast<std::size_t>(map)]));
        if (!std::isfinite(magnitude) || magnitude > 1e30 || std::isnan(expected)) continue;
        const double scattered = built.values[static_cast<std::size_t>(row * geometry.out_width + col)];
        Check(std::fabs(scattered - expected) <= 1e-5 * magnitude + 1e-30, "the scatter builds Forward's output");
        Check(std::fabs(static_cast<double>(equivalent.At(map, row, col)) - expected) <= 1e-5 * magnitude + 1e-30,
              "the zero-inserted convolution gives Forward's output");
      }
    }
  }
}

void ExerciseAcceptedRequest(const convtutor::Request& request) {
  const convtutor::Scene& scene = request.scene;
  const convtutor::Geometry& geometry = request.geometry;
  if (static_cast<std::int64_t>(scene.input.values.size()) > kMaxValues ||
      static_cast<std::int64_t>(scene.weights.values.size()) > kMaxValues ||
      geometry.multiply_adds > kMaxMultiplyAdds) {
    return;
  }
  const std::int64_t cells = std::int64_t{geometry.out_channels} * geometry.out_height * geometry.out_width;
  if (cells == 0 || cells > kMaxValues) return;
  Check(!convtutor::ComputeResultJson(request).dump().empty(), "a result renders as JSON");

  for (convtutor::Level level : {convtutor::Level::kCell, convtutor::Level::kChannel, convtutor::Level::kTerm}) {
    const std::int64_t count = convtutor::StepCount(scene, geometry, level);
    Check(count >= cells, "every level has at least one step per output cell");
    for (std::int64_t index : {std::int64_t{0}, count / 2, count - 1}) {
      const convtutor::Step step = convtutor::StepAt(scene, geometry, level, index);
      Check(step.index == index && step.count == count, "a step knows its index and the count");
      Check(!convtutor::StepJson(step).dump().empty(), "a step renders as JSON");
    }
  }

  const std::int64_t term_steps = convtutor::StepCount(scene, geometry, convtutor::Level::kTerm);
  const bool transposed = scene.layer.op == convtutor::Op::kConvTranspose2d;
  Check(transposed || term_steps % cells == 0, "every cell has the same number of term steps");
  const convtutor::Volume fast = convtutor::Forward(scene, geometry);
  Check(fast.channels == geometry.out_channels && fast.height == geometry.out_height &&
            fast.width == geometry.out_width && fast.values.size() == static_cast<std::size_t>(cells),
        "Forward's output has the geometry's shape");
  const std::int64_t stride = std::max<std::int64_t>(1, cells / kMaxCheckedCells);
  for (std::int64_t cell = 0; cell < cells; cell += stride) {
    CheckCellAgrees(scene, geometry, fast, cell, term_steps / cells);
  }
  CheckCellAgrees(scene, geometry, fast, cells - 1, term_steps / cells);
  if (transposed) CheckScatterAgrees(scene, geometry, fast);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (convtutor::fuzz::MayNameEndlessFile(text)) return 0;
  // Picture requests find the golden test pictures by their relative paths.
  const convtutor::RequestOptions options{CONVTUTOR_SOURCE_DIR "/tests/golden/images", ""};
  const convtutor::Result<convtutor::Request> request = convtutor::ParseRequestText(text, options);
  if (!request) {
    Check(!request.error().message.empty(), "a refused request says why");
    return 0;
  }
  ExerciseAcceptedRequest(request.value());
  return 0;
}
