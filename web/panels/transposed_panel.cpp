// Draws a transposed convolution's scatter view and the view bar. Every number comes from the
// core: the step (ScatterStepAt), the map built so far (ScatterMapAt), the products each cell
// receives (ProductsReaching), the size working (TransposedSizeFilledIn, ZeroInsertAxis).
#include "transposed_panel.h"

#include <algorithm>
#include <string>
#include <vector>

#include "ui_theme.h"

namespace convtutor::app {

namespace {

constexpr ImU32 kFaded = IM_COL32(255, 255, 255, 170);

std::string Num(int value) { return std::to_string(value); }

// Text centred in a cell when it fits.
void CellText(ImDrawList* draw, ImVec2 min, float cell, const std::string& text, ImU32 colour) {
  const float size = std::min(ImGui::GetFontSize(), cell * 0.45f);
  if (size < ImGui::GetFontSize() * 0.5f) return;
  ImFont* font = BodyFont();
  ImVec2 extent = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str());
  float fitted = size;
  if (extent.x > cell * 0.9f) {
    fitted = size * cell * 0.9f / extent.x;
    if (fitted < ImGui::GetFontSize() * 0.45f) return;
    extent = font->CalcTextSizeA(fitted, 1e9f, 0.0f, text.c_str());
  }
  draw->AddText(font, fitted, ImVec2(min.x + (cell - extent.x) * 0.5f, min.y + (cell - extent.y) * 0.5f), colour,
                text.c_str());
}

void Label(ImDrawList* draw, ImVec2 at, const std::string& text, bool accent) {
  draw->AddText(accent ? BoldFont() : BodyFont(), ImGui::GetFontSize() * 0.85f, at,
                accent ? colours::kAccent : colours::kMutedText, text.c_str());
}

void GridLines(ImDrawList* draw, ImVec2 min, int cols, int rows, float cell) {
  for (int row = 0; row <= rows; ++row) {
    const float y = min.y + static_cast<float>(row) * cell;
    draw->AddLine(ImVec2(min.x, y), ImVec2(min.x + static_cast<float>(cols) * cell, y), colours::kGridLine);
  }
  for (int col = 0; col <= cols; ++col) {
    const float x = min.x + static_cast<float>(col) * cell;
    draw->AddLine(ImVec2(x, min.y), ImVec2(x, min.y + static_cast<float>(rows) * cell), colours::kGridLine);
  }
}

ImVec2 CellMin(ImVec2 origin, int row, int col, float cell) {
  return ImVec2(origin.x + static_cast<float>(col) * cell, origin.y + static_cast<float>(row) * cell);
}

void Outline(ImDrawList* draw, ImVec2 min, float cell, float thickness) {
  draw->AddRect(min, ImVec2(min.x + cell, min.y + cell), colours::kAccent, 0.0f, 0, thickness);
}

bool Hovered(ImVec2 min, float cell) {
  return ImGui::IsMouseHoveringRect(min, ImVec2(min.x + cell, min.y + cell));
}

std::string ViewLabel(TransposedView view) {
  switch (view) {
    case TransposedView::kScatter: return "Scatter";
    case TransposedView::kGather: return "Gather";
    case TransposedView::kZeroInserted: return "Zero-inserted";
  }
  return "Scatter";
}

const char* ViewTooltip(TransposedView view) {
  switch (view) {
    case TransposedView::kScatter:
      return "Input cell by input cell: each adds its value times the kernel into the output, where copies overlap";
    case TransposedView::kGather:
      return "Output cell by output cell: the products that reach it, as PyTorch computes it";
    case TransposedView::kZeroInserted:
      return "The same layer as a stride-1 convolution of the flipped kernel over the input with zeros inserted";
  }
  return "";
}

// The scatter draws every cell as a rectangle: a real layer's thousands of cells play in the
// gather view, whose grids become pictures.
constexpr std::int64_t kScatterMaxCells = 12000;

bool ScatterFits(const Scene& scene, const Geometry& geometry) {
  const std::int64_t cells = std::int64_t{scene.input.channels} * scene.input.height * scene.input.width +
                             std::int64_t{geometry.out_channels} * geometry.out_height * geometry.out_width;
  return cells <= kScatterMaxCells;
}

}  // namespace

TransposedView ShownTransposedView(const Scene& scene, const Geometry& geometry, TransposedView asked) {
  return asked == TransposedView::kScatter && !ScatterFits(scene, geometry) ? TransposedView::kGather : asked;
}

std::optional<TransposedStage> MakeTransposedStage(const SceneData& data, TransposedView view) {
  if (data.scene.layer.op != Op::kConvTranspose2d) return std::nullopt;
  TransposedStage stage;
  stage.view = ShownTransposedView(data.scene, data.geometry, view);
  stage.scene = data.scene;
  stage.geometry = data.geometry;
  stage.plan = MakeScatterPlan(data.scene, data.geometry);
  stage.equivalent = EquivalentConvScene(data.scene, data.geometry);
  Result<Geometry> equivalent = ResolveGeometry(stage.equivalent);
  if (!equivalent) return std::nullopt;
  stage.equivalent_geometry = equivalent.value();
  return stage;
}

std::int64_t StageStepCount(const TransposedStage& stage, const SceneData& data, Level level) {
  if (stage.view == TransposedView::kScatter) return ScatterStepCount(stage.scene, stage.geometry, stage.plan, level);
  return StepCount(data.scene, data.geometry, level);
}

std::int64_t ScatterStepAfterLevelChange(const TransposedStage& stage, Level from, Level to, std::int64_t step) {
  const ScatterStep at = ScatterStepAt(stage.scene, stage.geometry, stage.plan, from, step);
  const int group_channel = at.in_channel < 0 ? 0 : at.in_channel - FirstGroupChannel(stage.scene, at.out_channel);
  return ScatterStepIndex(stage.scene, stage.plan, to, at.out_channel, group_channel, std::max(at.in_row, 0),
                          std::max(at.in_col, 0));
}

float ScatterPartial(const TransposedStage& stage, Level level, std::int64_t step) {
  const ScatterStep at = ScatterStepAt(stage.scene, stage.geometry, stage.plan, level, step);
  if (at.kind == StepKind::kTerm && at.out_row >= 0) return at.partial;
  const ScatterMap map = ScatterMapAt(stage.scene, stage.geometry, stage.plan, level, step);
  // The first cell the copy lands on (the map's first cell for a bias or activation step, or a copy
  // cropped whole).
  const bool lands = at.rows.Taps() > 0 && at.cols.Taps() > 0;
  const int row = lands ? at.copy_row + at.rows.first_tap * stage.geometry.rows.dilation : 0;
  const int col = lands ? at.copy_col + at.cols.first_tap * stage.geometry.cols.dilation : 0;
  return map.values[static_cast<std::size_t>(row * map.width + col)];
}

std::optional<TransposedView> DrawTransposedViewBar(const TransposedStage& stage, const StageSpoilers& hidden) {
  std::optional<TransposedView> picked;
  for (TransposedView view : {TransposedView::kScatter, TransposedView::kGather, TransposedView::kZeroInserted}) {
    const bool selected = view == stage.view;
    const bool fits = view != TransposedView::kScatter || ScatterFits(stage.scene, stage.geometry);
    if (selected) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(colours::kAccentSoft));
    if (!fits) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kMutedText));
    const std::string label = ViewLabel(view) + "##view";
    if (ImGui::SmallButton(label.c_str()) && !selected && fits) picked = view;
    if (!fits) ImGui::PopStyleColor();
    if (selected) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s", fits ? ViewTooltip(view)
                                   : "This layer has too many cells to draw as a scatter: watch it in the gather view");
    }
    ImGui::SameLine();
  }
  // The working of the output size, in this view's terms.
  const LayerSpec& layer = stage.scene.layer;
  std::string rows, cols;
  if (stage.view == TransposedView::kZeroInserted) {
    rows = ZeroInsertAxis(stage.geometry.rows, layer.output_padding.rows).explanation;
    cols = ZeroInsertAxis(stage.geometry.cols, layer.output_padding.cols).explanation;
  } else {
    rows = TransposedSizeFilledIn(stage.geometry.rows, layer.output_padding.rows);
    cols = TransposedSizeFilledIn(stage.geometry.cols, layer.output_padding.cols);
  }
  if (hidden.Asks(lessons::Ask::kOutputHeight) || hidden.Asks(lessons::Ask::kOutputWidth)) {
    const int exercise = std::max(hidden.spoilers->SceneAsk(hidden.scene_index, lessons::Ask::kOutputHeight),
                                  hidden.spoilers->SceneAsk(hidden.scene_index, lessons::Ask::kOutputWidth));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + Em(0.5f));
    HiddenValue(lessons::PredictFirstNote(exercise));
    return picked;
  }
  const std::string symbols = stage.view == TransposedView::kZeroInserted ? std::string()
                                                                          : std::string(kTransposedSizeSymbols) + ":  ";
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kMutedText));
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + Em(0.5f));
  if (rows == cols) {
    ImGui::TextWrapped("%srows and columns %s", symbols.c_str(), rows.c_str());
  } else {
    ImGui::TextWrapped("%srows %s;  columns %s", symbols.c_str(), rows.c_str(), cols.c_str());
  }
  ImGui::PopStyleColor();
  return picked;
}

std::int64_t DrawScatterStage(const TransposedStage& stage, const SceneData& data, Level level, std::int64_t index,
                              const StageSpoilers& hidden, ImVec2 size) {
  const Scene& scene = stage.scene;
  const Geometry& geometry = stage.geometry;
  const FilterBank& weights = scene.weights;
  const ScatterStep step = ScatterStepAt(scene, geometry, stage.plan, level, index);
  const ScatterMap map = ScatterMapAt(scene, geometry, stage.plan, level, index);
  const int first_channel = FirstGroupChannel(scene, step.out_channel);
  const bool finishing = step.kind == StepKind::kBias || step.kind == StepKind::kActivation;

  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##scatter", size);
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  ImDrawList* draw = ImGui::GetWindowDrawList();

  // One cell size for the three columns (inputs, the filter's slices beside their copies, the
  // maps), the largest over the ways of putting the inputs and the maps so many to a row.
  const float label = Em(1.3f), gap = Em(0.6f), column_gap = Em(2.2f), header = Em(1.7f), legend = Em(1.5f);
  const int copy_cols = 2 * weights.width + 1;
  const float room_y = size.y - header - legend;
  const auto fit = [&](int in_per_row, int out_per_row) {
    const auto rows_of = [](int count, int per_row) { return (count + per_row - 1) / per_row; };
    const int in_rows = rows_of(scene.input.channels, in_per_row), out_rows = rows_of(geometry.out_channels, out_per_row);
    const float across = static_cast<float>(in_per_row * scene.input.width + copy_cols + out_per_row * geometry.out_width);
    const float gaps = 2.0f * column_gap + static_cast<float>(in_per_row - 1 + out_per_row - 1) * gap;
    float best = (size.x - gaps) / across;
    const auto height_fit = [&](int grids, int cells_tall) {
      return (room_y - static_cast<float>(grids) * label - static_cast<float>(grids - 1) * gap) /
             static_cast<float>(std::max(grids * cells_tall, 1));
    };
    best = std::min({best, height_fit(in_rows, scene.input.height), height_fit(out_rows, geometry.out_height),
                     height_fit(weights.channels, weights.height + 1)});
    return best;
  };
  int in_per_row = 1, out_per_row = 1;
  for (int in = 1; in <= std::min(scene.input.channels, 4); ++in) {
    for (int out = 1; out <= std::min(geometry.out_channels, 4); ++out) {
      if (fit(in, out) > fit(in_per_row, out_per_row)) {
        in_per_row = in;
        out_per_row = out;
      }
    }
  }
  const float cell = std::max(2.0f, std::min(Em(3.0f), fit(in_per_row, out_per_row)));
  const float across = static_cast<float>(in_per_row * scene.input.width + copy_cols + out_per_row * geometry.out_width) +
                       static_cast<float>(in_per_row - 1 + out_per_row - 1) * gap / cell;
  // Where grid `index` of a column sits, so many to a row.
  const auto place = [&](float column_x, int index, int per_row, int cols, int rows) {
    return ImVec2(column_x + static_cast<float>(index % per_row) * (static_cast<float>(cols) * cell + gap),
                  top_left.y + header + static_cast<float>(index / per_row) * (label + static_cast<float>(rows) * cell + gap));
  };

  const float used = across * cell + 2.0f * column_gap;
  float x = top_left.x + std::max(0.0f, (size.x - used) * 0.5f);
  const float y = top_left.y;
  std::int64_t seek = -1;
  std::string tooltip;

  // --- Input: the cell scattering now; channels outside the filter's group step back.
  draw->AddText(BoldFont(), ImGui::GetFontSize(), ImVec2(x, y), colours::kText, "Input");
  for (int channel = 0; channel < scene.input.channels; ++channel) {
    const ImVec2 at = place(x, channel, in_per_row, scene.input.width, scene.input.height);
    const bool seen = channel >= first_channel && channel < first_channel + weights.channels;
    const bool current = seen && !finishing && (step.in_channel < 0 || step.in_channel == channel);
    Label(draw, at, "channel " + Num(channel), current);
    const ImVec2 origin(at.x, at.y + label);
    for (int row = 0; row < scene.input.height; ++row) {
      for (int col = 0; col < scene.input.width; ++col) {
        const ImVec2 min = CellMin(origin, row, col, cell);
        const float value = scene.input.At(channel, row, col);
        const ImU32 fill = ValueColour(value, data.input_max_abs);
        draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), fill);
        CellText(draw, min, cell, FormatValue(value), TextColourOn(fill));
        if (Hovered(min, cell) && seen) {
          tooltip = "input channel " + Num(channel) + ", row " + Num(row) + ", column " + Num(col) + ": " +
                    FormatValue(value) + "\nclick to scatter this cell";
          if (clicked) {
            seek = ScatterStepIndex(scene, stage.plan, level, step.out_channel, channel - first_channel, row, col);
          }
        }
      }
    }
    GridLines(draw, origin, scene.input.width, scene.input.height, cell);
    if (!seen) {
      draw->AddRectFilled(origin, ImVec2(origin.x + static_cast<float>(scene.input.width) * cell,
                                         origin.y + static_cast<float>(scene.input.height) * cell), kFaded);
    }
    if (current) {
      const ImVec2 min = CellMin(origin, step.in_row, step.in_col, cell);
      draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), colours::kAccentSoft);
      Outline(draw, min, cell, Em(0.2f));
    }
  }
  x += static_cast<float>(in_per_row * scene.input.width) * cell + static_cast<float>(in_per_row - 1) * gap + column_gap;

  // --- The filter of this map, each slice beside the copy it adds (input value × slice).
  draw->AddText(BoldFont(), ImGui::GetFontSize(), ImVec2(x, y), colours::kText,
                ("Filter " + Num(step.out_channel) + "  \xC3\x97 input = copy").c_str());
  float grid_y = y + header;
  for (int slice = 0; slice < weights.channels; ++slice) {
    const int channel = first_channel + slice;
    const bool current = !finishing && (step.in_channel < 0 || step.in_channel == channel);
    const float input = step.in_row >= 0 ? scene.input.At(channel, step.in_row, step.in_col) : 0.0f;
    Label(draw, ImVec2(x, grid_y), "slice for channel " + Num(channel), current);
    const ImVec2 origin(x, grid_y + label);
    const ImVec2 copy_origin(x + static_cast<float>(weights.width + 1) * cell, origin.y);
    for (int ky = 0; ky < weights.height; ++ky) {
      for (int kx = 0; kx < weights.width; ++kx) {
        const float weight = weights.At(step.out_channel, slice, ky, kx);
        const ImVec2 min = CellMin(origin, ky, kx, cell);
        const ImU32 fill = ValueColour(weight, data.weight_max_abs);
        draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), fill);
        CellText(draw, min, cell, FormatValue(weight), TextColourOn(fill));
        // The copy: cropped taps (landing outside the output) are hatched grey.
        const ImVec2 copy = CellMin(copy_origin, ky, kx, cell);
        const bool lands = ky >= step.rows.first_tap && ky < step.rows.end_tap && kx >= step.cols.first_tap &&
                           kx < step.cols.end_tap;
        if (finishing) continue;
        if (!lands) {
          draw->AddRectFilled(copy, ImVec2(copy.x + cell, copy.y + cell), colours::kPadding);
          CellText(draw, copy, cell, "cropped", colours::kMutedText);
        } else {
          const float product = input * weight;
          const ImU32 copy_fill = ValueColour(product, std::max(data.output_max_abs, 1e-6f));
          draw->AddRectFilled(copy, ImVec2(copy.x + cell, copy.y + cell), copy_fill);
          CellText(draw, copy, cell, FormatValue(product), TextColourOn(copy_fill));
        }
        if (Hovered(copy, cell)) {
          tooltip = lands ? FormatValue(input) + " \xC3\x97 " + FormatValue(weight) + " lands on output row " +
                                Num(step.copy_row + ky * geometry.rows.dilation) + ", column " +
                                Num(step.copy_col + kx * geometry.cols.dilation)
                          : std::string("this product lands outside the output: the padding crops it");
        }
        if (step.kind == StepKind::kTerm && channel == step.in_channel && ky == step.tap_row && kx == step.tap_col) {
          Outline(draw, min, cell, Em(0.2f));
          Outline(draw, copy, cell, Em(0.2f));
        }
      }
    }
    GridLines(draw, origin, weights.width, weights.height, cell);
    if (!finishing) GridLines(draw, copy_origin, weights.width, weights.height, cell);
    if (!current) {
      draw->AddRectFilled(origin, ImVec2(copy_origin.x + static_cast<float>(weights.width) * cell,
                                         origin.y + static_cast<float>(weights.height) * cell), kFaded);
    }
    grid_y = origin.y + static_cast<float>(weights.height) * cell + gap + cell * 0.5f;
  }
  x += static_cast<float>(copy_cols) * cell + column_gap;

  // --- Output: the map being built, the cells this copy lands on, products received / in all.
  draw->AddText(BoldFont(), ImGui::GetFontSize(), ImVec2(x, y), colours::kText, "Output");
  const bool counts_fit = cell >= Em(2.2f);
  const bool totals_shown = !hidden.Asks(lessons::Ask::kValue);
  // While the size is asked, the map shows what the copies so far have reached (and a "?").
  int rows_shown = geometry.out_height, cols_shown = geometry.out_width;
  const bool hide_rows = hidden.Asks(lessons::Ask::kOutputHeight), hide_cols = hidden.Asks(lessons::Ask::kOutputWidth);
  if ((hide_rows || hide_cols) && !finishing) {
    int reached_row = 0, reached_col = 0;
    for (int row = 0; row < geometry.out_height; ++row) {
      for (int col = 0; col < geometry.out_width; ++col) {
        if (map.added[static_cast<std::size_t>(row * geometry.out_width + col)] == 0) continue;
        reached_row = std::max(reached_row, row + 1);
        reached_col = std::max(reached_col, col + 1);
      }
    }
    if (hide_rows) rows_shown = std::max(reached_row, 1);
    if (hide_cols) cols_shown = std::max(reached_col, 1);
  }
  for (int out = 0; out < geometry.out_channels; ++out) {
    const bool building = out == step.out_channel;
    const ImVec2 at = place(x, out, out_per_row, geometry.out_width, geometry.out_height);
    Label(draw, at, "map " + Num(out), building);
    const ImVec2 origin(at.x, at.y + label);
    for (int row = 0; row < rows_shown; ++row) {
      for (int col = 0; col < cols_shown; ++col) {
        const ImVec2 min = CellMin(origin, row, col, cell);
        const std::size_t at = static_cast<std::size_t>(row * geometry.out_width + col);
        const int total = ProductsReaching(geometry, row, col);
        bool shown = out < step.out_channel;
        float value = shown ? data.output.At(out, row, col) : 0.0f;
        if (building) {
          shown = map.added[at] > 0 || map.biased;
          value = map.values[at];
        }
        const ImU32 fill = shown ? ValueColour(value, data.output_max_abs) : colours::kPending;
        draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), fill);
        if (shown) CellText(draw, min, cell, FormatValue(value), TextColourOn(fill));
        if (building && counts_fit) {
          const std::string count = Num(map.added[at]) + (totals_shown ? "/" + Num(total) : std::string());
          const float small = ImGui::GetFontSize() * 0.55f;
          const ImVec2 extent = BodyFont()->CalcTextSizeA(small, 1e9f, 0.0f, count.c_str());
          draw->AddText(BodyFont(), small, ImVec2(min.x + cell - extent.x - 2.0f, min.y + cell - extent.y - 1.0f),
                        shown ? TextColourOn(fill) : colours::kMutedText, count.c_str());
        }
        if (Hovered(min, cell)) {
          tooltip = "output map " + Num(out) + ", row " + Num(row) + ", column " + Num(col);
          if (totals_shown) tooltip += ": " + Num(total) + (total == 1 ? " product reaches it" : " products reach it");
          if (building) tooltip += " (" + Num(map.added[at]) + " added so far)";
        }
      }
    }
    GridLines(draw, origin, cols_shown, rows_shown, cell);
    if (rows_shown < geometry.out_height || cols_shown < geometry.out_width) {
      const ImVec2 mark = CellMin(origin, rows_shown < geometry.out_height ? rows_shown : 0,
                                  rows_shown < geometry.out_height ? 0 : cols_shown, cell);
      CellText(draw, mark, cell, "?", colours::kMutedText);
    }
    if (building && !finishing) {
      // The copy's footprint: every output cell one of its taps lands on.
      for (int ky = step.rows.first_tap; ky < step.rows.end_tap; ++ky) {
        for (int kx = step.cols.first_tap; kx < step.cols.end_tap; ++kx) {
          const int row = step.copy_row + ky * geometry.rows.dilation;
          const int col = step.copy_col + kx * geometry.cols.dilation;
          if (row >= rows_shown || col >= cols_shown) continue;
          const ImVec2 min = CellMin(origin, row, col, cell);
          const bool product = step.kind == StepKind::kTerm;
          if (product && (row != step.out_row || col != step.out_col)) continue;
          Outline(draw, min, cell, product ? Em(0.22f) : Em(0.14f));
        }
      }
      if (step.kind == StepKind::kTerm) {
        // The rest of the copy, faintly: where its other products go.
        for (int ky = step.rows.first_tap; ky < step.rows.end_tap; ++ky) {
          for (int kx = step.cols.first_tap; kx < step.cols.end_tap; ++kx) {
            const int row = step.copy_row + ky * geometry.rows.dilation;
            const int col = step.copy_col + kx * geometry.cols.dilation;
            if (row >= rows_shown || col >= cols_shown) continue;
            const ImVec2 min = CellMin(origin, row, col, cell);
            draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), colours::kAccentFaint);
          }
        }
      }
    } else if (building) {
      draw->AddRect(origin, ImVec2(origin.x + static_cast<float>(cols_shown) * cell,
                                   origin.y + static_cast<float>(rows_shown) * cell),
                    colours::kAccent, 0.0f, 0, Em(0.16f));
    }
  }

  const std::string note =
      std::string("Violet: the input cell scattering and the output cells its copy lands on.") +
      (counts_fit ? (totals_shown ? "  n/m in a cell: products added so far / all that reach it; where copies overlap, "
                                    "m is larger."
                                  : "  n in a cell: products added so far.")
                  : "");
  draw->AddText(BodyFont(), ImGui::GetFontSize() * 0.8f, ImVec2(top_left.x, top_left.y + size.y - Em(1.1f)),
                colours::kMutedText, note.c_str());
  if (!tooltip.empty()) ImGui::SetTooltip("%s", tooltip.c_str());
  return seek;
}

void DrawScatterEquation(const TransposedStage& stage, Level level, std::int64_t index) {
  const Scene& scene = stage.scene;
  const Geometry& geometry = stage.geometry;
  const ScatterStep step = ScatterStepAt(scene, geometry, stage.plan, level, index);
  const std::string map = "map " + Num(step.out_channel);
  ImGui::PushFont(BoldFont());
  ImGui::TextUnformatted(("Step " + std::to_string(step.index + 1) + " of " + std::to_string(step.count)).c_str());
  ImGui::PopFont();
  if (step.kind == StepKind::kBias) {
    ImGui::TextWrapped("Every cell of %s adds the filter's bias %s.", map.c_str(),
                       FormatValue(scene.bias[static_cast<std::size_t>(step.out_channel)]).c_str());
    return;
  }
  if (step.kind == StepKind::kActivation) {
    ImGui::TextWrapped("ReLU on every cell of %s: negative sums become 0.", map.c_str());
    return;
  }
  const std::string where = "row " + Num(step.in_row) + ", column " + Num(step.in_col);
  const int landed = step.rows.Taps() * step.cols.Taps();
  const std::string footprint =
      landed == 0 ? std::string("its whole copy lands outside the output: the padding crops it")
                  : "its copy lands on " + Num(landed) + (landed == 1 ? " cell" : " cells") + ", output rows " +
                        Num(step.copy_row + step.rows.first_tap * geometry.rows.dilation) + "\xE2\x80\x93" +
                        Num(step.copy_row + (step.rows.end_tap - 1) * geometry.rows.dilation) + ", columns " +
                        Num(step.copy_col + step.cols.first_tap * geometry.cols.dilation) + "\xE2\x80\x93" +
                        Num(step.copy_col + (step.cols.end_tap - 1) * geometry.cols.dilation) +
                        " (it starts at " + Num(step.in_row) + "\xC2\xB7" + Num(geometry.rows.stride) + " \xE2\x88\x92 " +
                        Num(geometry.rows.pad_before) + " = " + Num(step.copy_row) + " down, " + Num(step.in_col) +
                        "\xC2\xB7" + Num(geometry.cols.stride) + " \xE2\x88\x92 " + Num(geometry.cols.pad_before) +
                        " = " + Num(step.copy_col) + " across)";
  if (step.kind == StepKind::kCell) {
    ImGui::TextWrapped("Input %s scatters into %s: each channel's value times the filter's slice for it; %s.",
                       where.c_str(), map.c_str(), footprint.c_str());
    return;
  }
  if (step.kind == StepKind::kChannel || step.tap_row < 0) {
    ImGui::TextWrapped("Input channel %d, %s, value %s: %s \xC3\x97 the slice is added into %s; %s.", step.in_channel,
                       where.c_str(), FormatValue(step.input).c_str(), FormatValue(step.input).c_str(), map.c_str(),
                       footprint.c_str());
    return;
  }
  ImGui::TextWrapped("Input channel %d, %s: %s \xC3\x97 tap (%d, %d) %s = %s lands on output row %d, column %d.",
                     step.in_channel, where.c_str(), FormatValue(step.input).c_str(), step.tap_row, step.tap_col,
                     FormatValue(step.weight).c_str(), FormatValue(step.product).c_str(), step.out_row, step.out_col);
  ImGui::PushFont(MonoFont());
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colours::kAccent), "that cell so far: %s  (%d of %d products)",
                     FormatValue(step.partial).c_str(),
                     ScatterMapAt(scene, geometry, stage.plan, level, index)
                         .added[static_cast<std::size_t>(step.out_row * geometry.out_width + step.out_col)],
                     ProductsReaching(geometry, step.out_row, step.out_col));
  ImGui::PopFont();
}

}  // namespace convtutor::app
