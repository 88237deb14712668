// Draws im2col with ImGui's draw list: the core's patch and filter matrices (Unroll) and the output
// entries, with the step's place in the product (PositionOfStep) in the accent: the row it reads,
// the column of its filter, the tap it adds and the entry it writes. Nothing is computed here.
#include "panels/matrix_panel.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "panels/ui_theme.h"

namespace convtutor::app {

namespace {

constexpr float kMaxCellEm = 1.9f;

struct Matrix {
  ImVec2 origin;
  float cell = 0.0f;
  ImDrawList* draw = nullptr;

  ImVec2 Min(int row, int col) const {
    return ImVec2(origin.x + cell * static_cast<float>(col), origin.y + cell * static_cast<float>(row));
  }
  ImVec2 Max(int row, int col) const { return Min(row + 1, col + 1); }

  // One entry: its value (and `text`, the value formatted) on the tensor's colour scale, or the padding's grey.
  void Entry(int row, int col, float value, const std::string& text, float max_abs, bool padded) const {
    const ImVec2 min = Min(row, col), max = Max(row, col);
    const ImU32 ground = padded ? colours::kPadding : ValueColour(value, max_abs);
    draw->AddRectFilled(min, max, ground);
    Text(min, text, padded ? colours::kMutedText : TextColourOn(ground));
  }
  void Text(ImVec2 min, const std::string& text, ImU32 colour) const {
    const float size = std::min(ImGui::GetFontSize(), cell * 0.52f);
    if (size < ImGui::GetFontSize() * 0.5f) return;
    ImFont* font = BodyFont();
    ImVec2 extent = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str());
    const float fitted = extent.x > cell * 0.92f ? size * cell * 0.92f / extent.x : size;
    extent = font->CalcTextSizeA(fitted, 1e9f, 0.0f, text.c_str());
    draw->AddText(font, fitted, ImVec2(std::round(min.x + (cell - extent.x) * 0.5f), std::round(min.y + (cell - extent.y) * 0.5f)),
                  colour, text.c_str());
  }
  void Lines(int rows, int cols) const {
    for (int r = 0; r <= rows; ++r) draw->AddLine(Min(r, 0), Min(r, cols), colours::kGridLine);
    for (int c = 0; c <= cols; ++c) draw->AddLine(Min(0, c), Min(rows, c), colours::kGridLine);
  }
  void Ring(int row, int col, int rows, int cols, float thickness = 2.0f) const {
    draw->AddRect(Min(row, col), Max(row + rows - 1, col + cols - 1), colours::kAccent, 0.0f, 0, thickness);
  }
};

// The matrix's name, and under it its size (a one-column matrix is too narrow for both on a line).
void Caption(ImDrawList* draw, ImVec2 at, const char* title, const std::string& detail) {
  const float size = std::round(ImGui::GetFontSize() * 0.85f);
  draw->AddText(BoldFont(), size, at, colours::kText, title);
  draw->AddText(BodyFont(), size, ImVec2(at.x, std::round(at.y + size * 1.15f)), colours::kMutedText, detail.c_str());
}

std::string Dims(int rows, int cols) { return std::to_string(rows) + " \xC3\x97 " + std::to_string(cols); }

// Unrolls `data`'s scene and formats every entry, unless `cache` already holds that scene's.
void FillCache(const SceneData& data, MatrixPanelCache& cache) {
  if (cache.unrolled && cache.generation == data.generation) return;
  cache = MatrixPanelCache{};
  cache.generation = data.generation;
  cache.unrolled = Unroll(data.scene, data.geometry);
  if (!*cache.unrolled) return;
  const Unrolled& m = cache.unrolled->value();
  for (std::size_t i = 0; i < m.patches.size(); ++i) cache.patch_text.push_back(m.padded[i] ? "0" : FormatValue(m.patches[i]));
  for (float weight : m.filter_matrix) cache.filter_text.push_back(FormatValue(weight));
  for (int row = 0; row < m.rows; ++row) {
    for (int o = 0; o < m.filters; ++o) {
      cache.output_text.push_back(FormatValue(data.output.At(o, row / data.geometry.out_width, row % data.geometry.out_width)));
    }
  }
}

}  // namespace

void DrawMatrixPanel(const SceneData& data, const CellWork& work, MatrixPanelCache& cache, ImVec2 size) {
  FillCache(data, cache);
  const Result<Unrolled>& made = *cache.unrolled;
  if (!made) {
    MutedText(made.error().ToString().c_str());
    return;
  }
  const Unrolled& m = made.value();
  const MatrixPosition at = PositionOfStep(data.scene, data.geometry, work.step);
  const float em = ImGui::GetFontSize();
  const float sign = Em(2.0f);
  const float label = Em(3.2f);   // window labels left of the patch rows
  const float header = Em(2.3f);
  const float footer = Em(1.5f);
  const float across = static_cast<float>(m.columns + 2 * m.filters);
  const float cell = std::floor(std::min({Em(kMaxCellEm), (size.x - label - 2.0f * sign) / across,
                                          (size.y - header - footer) / static_cast<float>(std::max(m.rows, m.columns))}));
  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float used = label + cell * across + 2.0f * sign;
  const float left = top_left.x + std::max(0.0f, (size.x - used) * 0.5f);
  const float top = top_left.y + header;
  const int taps_per_channel = data.scene.weights.height * data.scene.weights.width;

  // The patches: every window as a row; the row this step reads is ringed, the taps summed so far
  // tinted, the tap it adds (a term step) or the channel it adds (a channel step) in the accent.
  const Matrix patches{ImVec2(left + label, top), cell, draw};
  Caption(draw, ImVec2(patches.origin.x, top_left.y), "Patches", Dims(m.rows, m.columns) + ": a window a row");
  const float label_size = std::round(em * 0.75f);
  for (int row = 0; row < m.rows; ++row) {
    for (int col = 0; col < m.columns; ++col) {
      const std::size_t index = static_cast<std::size_t>(row) * static_cast<std::size_t>(m.columns) + static_cast<std::size_t>(col);
      patches.Entry(row, col, m.patches[index], cache.patch_text[index], data.input_max_abs, m.padded[index]);
    }
    if (cell >= em * 0.9f) {
      const std::string window = "(" + std::to_string(row / data.geometry.out_width) + ", " +
                                 std::to_string(row % data.geometry.out_width) + ")";
      const float width = BodyFont()->CalcTextSizeA(label_size, 1e9f, 0.0f, window.c_str()).x;
      const ImVec2 min = patches.Min(row, 0);
      draw->AddText(BodyFont(), label_size, ImVec2(min.x - width - em * 0.35f, std::round(min.y + (cell - label_size) * 0.5f)),
                    row == at.row ? colours::kAccent : colours::kMutedText, window.c_str());
    }
  }
  patches.Lines(m.rows, m.columns);
  int summed = 0;
  if (at.column >= 0) {
    summed = at.column;
  } else if (work.step.kind == StepKind::kChannel) {
    summed = work.step.channel * taps_per_channel;
  } else if (work.cell_finished || work.bias_done) {
    summed = m.columns;
  }
  for (int col = 0; col < summed; ++col) {
    draw->AddRectFilled(patches.Min(at.row, col), patches.Max(at.row, col), colours::kAccentFaint);
  }
  patches.Ring(at.row, 0, 1, m.columns);
  if (at.column >= 0) patches.Ring(at.row, at.column, 1, 1, 3.0f);
  if (work.step.kind == StepKind::kChannel) patches.Ring(at.row, work.step.channel * taps_per_channel, 1, taps_per_channel, 3.0f);

  // The filters: filter o is column o, its weights in the patches' tap order.
  float x = patches.origin.x + cell * static_cast<float>(m.columns) + sign;
  const float middle = top + cell * static_cast<float>(m.rows) * 0.5f;
  const auto sign_at = [&](float centre_x, const char* text) {
    const float size_px = std::round(em * 1.3f);
    const ImVec2 extent = BodyFont()->CalcTextSizeA(size_px, 1e9f, 0.0f, text);
    draw->AddText(BodyFont(), size_px, ImVec2(std::round(centre_x - extent.x * 0.5f), std::round(middle - extent.y * 0.5f)),
                  colours::kMutedText, text);
  };
  sign_at(x - sign * 0.5f, "\xC3\x97");
  const Matrix filters{ImVec2(x, top), cell, draw};
  Caption(draw, ImVec2(x, top_left.y), "Filters", Dims(m.columns, m.filters));
  for (int t = 0; t < m.columns; ++t) {
    for (int o = 0; o < m.filters; ++o) {
      const std::size_t index = static_cast<std::size_t>(t) * static_cast<std::size_t>(m.filters) + static_cast<std::size_t>(o);
      filters.Entry(t, o, m.filter_matrix[index], cache.filter_text[index], data.weight_max_abs, false);
    }
  }
  filters.Lines(m.columns, m.filters);
  filters.Ring(0, at.filter, m.columns, 1);
  if (at.column >= 0) filters.Ring(at.column, at.filter, 1, 1, 3.0f);
  if (work.step.kind == StepKind::kChannel) filters.Ring(work.step.channel * taps_per_channel, at.filter, taps_per_channel, 1, 3.0f);

  // The output: entry (row, o) is output cell (y, x) of map o; finished entries show their value,
  // the one being written its running sum.
  x += cell * static_cast<float>(m.filters) + sign;
  sign_at(x - sign * 0.5f, "=");
  const Matrix output{ImVec2(x, top), cell, draw};
  Caption(draw, ImVec2(x, top_left.y), "Output", Dims(m.rows, m.filters));
  for (int row = 0; row < m.rows; ++row) {
    for (int o = 0; o < m.filters; ++o) {
      const std::int64_t cell_index = std::int64_t{o} * m.rows + row;
      if (cell_index < work.cell) {
        const int y = row / data.geometry.out_width, x_out = row % data.geometry.out_width;
        const std::size_t index = static_cast<std::size_t>(row) * static_cast<std::size_t>(m.filters) + static_cast<std::size_t>(o);
        output.Entry(row, o, data.output.At(o, y, x_out), cache.output_text[index], data.output_max_abs, false);
      } else if (cell_index == work.cell) {
        draw->AddRectFilled(output.Min(row, o), output.Max(row, o), colours::kAccentFaint);
        output.Text(output.Min(row, o), FormatValue(work.step.partial), colours::kAccent);
      } else {
        draw->AddRectFilled(output.Min(row, o), output.Max(row, o), colours::kPending);
      }
    }
  }
  output.Lines(m.rows, m.filters);
  output.Ring(at.row, at.filter, 1, 1, 3.0f);

  // In words, under the matrices.
  const int y = at.row / data.geometry.out_width, x_out = at.row % data.geometry.out_width;
  std::string words = "Row " + std::to_string(at.row) + " (the window of output cell (" + std::to_string(y) + ", " +
                      std::to_string(x_out) + ")) times column " + std::to_string(at.filter) + " (filter " +
                      std::to_string(at.filter) + ")" + (data.scene.bias.empty() ? "" : ", plus its bias,") +
                      " gives that cell of map " + std::to_string(at.filter) + ".";
  const float bottom = top + cell * static_cast<float>(std::max(m.rows, m.columns)) + em * 0.3f;
  draw->AddText(BodyFont(), std::round(em * 0.85f), ImVec2(patches.origin.x, bottom), colours::kMutedText, words.c_str());
}

}  // namespace convtutor::app
