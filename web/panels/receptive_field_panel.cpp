// Draws a stack's receptive field with ImGui's draw list: one grid per level (the input, then each
// layer's map), scaled alike and centred on one line; the cells the chosen cell depends on, their
// bounding square and the cone that joins them are the core's trace (TraceReceptiveField), never
// worked out here. Under it, the recurrence with the core's formulas.
#include "panels/receptive_field_panel.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "convtutor/receptive_field.h"
#include "convtutor/spoilers.h"
#include "panels/ui_theme.h"

namespace convtutor::app {

namespace {

constexpr float kMaxCellEm = 1.6f;
constexpr const char* kTimes = " \xC3\x97 ";

std::string Pair(int rows, int cols) { return std::to_string(rows) + kTimes + std::to_string(cols); }

ImU32 WithAlpha(ImU32 colour, int alpha) {
  return (colour & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

// The layer between two levels, in a word or two: "3 × 3", "stride 2", "dilation 2", "max pool".
std::vector<std::string> LayerCaption(const Request& layer) {
  const LayerSpec& spec = layer.scene.layer;
  std::vector<std::string> lines;
  const std::string window = Pair(spec.kernel.rows, spec.kernel.cols);
  lines.push_back(IsPooling(spec.op) ? window + " pool" : window);
  if (spec.stride.rows != 1 || spec.stride.cols != 1) lines.push_back("stride " + std::to_string(spec.stride.rows));
  if (spec.dilation.rows != 1 || spec.dilation.cols != 1) {
    lines.push_back("dilation " + std::to_string(spec.dilation.rows));
  }
  const Sides& pad = layer.geometry.padding;
  const bool even = pad.top == pad.bottom && pad.top == pad.left && pad.top == pad.right;
  if (even && pad.top > 0) lines.push_back("padding " + std::to_string(pad.top));
  if (!even) lines.push_back("padded");
  return lines;
}

void CentredText(ImDrawList* draw, ImFont* font, float size, float centre_x, float y, ImU32 colour,
                 const std::string& text) {
  const float width = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str()).x;
  draw->AddText(font, size, ImVec2(std::round(centre_x - width * 0.5f), std::round(y)), colour, text.c_str());
}

}  // namespace

FieldSpoiler OpenFieldSpoiler(const lessons::Lesson& lesson, const lessons::Spoilers& spoilers, int scene_index) {
  FieldSpoiler hidden;
  const int exercise = spoilers.SceneAsk(scene_index, lessons::Ask::kReceptiveField);
  if (exercise < 0) return hidden;
  const int layers = static_cast<int>(lesson.scenes[static_cast<std::size_t>(scene_index)].layers_before.size()) + 1;
  const int asked = lesson.exercises[static_cast<std::size_t>(exercise)].layer;
  hidden.from = asked <= 0 ? layers : asked;
  hidden.note = lessons::PredictFirstNote(exercise);
  return hidden;
}

std::int64_t DrawReceptiveFieldPanel(const lessons::LessonScene& scene, const Step& step, const FieldSpoiler& hidden,
                                     ImVec2 size) {
  const std::vector<const Request*> stack = scene.Stack();
  const Result<ReceptiveField> traced = TraceReceptiveField(stack, step.out_row, step.out_col);
  if (!traced) {
    MutedText(traced.error().ToString().c_str());
    return -1;
  }
  const ReceptiveField& field = traced.value();
  const int levels = field.layers + 1;
  const auto rows_of = [&field](int level) { return static_cast<int>(field.rows.levels[static_cast<std::size_t>(level)].reached.size()); };
  const auto cols_of = [&field](int level) { return static_cast<int>(field.cols.levels[static_cast<std::size_t>(level)].reached.size()); };

  const float em = ImGui::GetFontSize();
  const float gap = Em(4.2f);
  const float header = Em(1.5f);
  const float footer = Em(3.0f);
  int total_cols = 0, tallest = 0;
  for (int level = 0; level < levels; ++level) {
    total_cols += cols_of(level);
    tallest = std::max(tallest, rows_of(level));
  }
  const float cell = std::floor(std::min({Em(kMaxCellEm), (size.x - gap * static_cast<float>(levels - 1)) / static_cast<float>(total_cols),
                                          (size.y - header - footer) / static_cast<float>(tallest)}));
  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##field", ImVec2(std::max(size.x, 1.0f), std::max(size.y, 1.0f)));
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  ImDrawList* draw = ImGui::GetWindowDrawList();

  const float used = cell * static_cast<float>(total_cols) + gap * static_cast<float>(levels - 1);
  float x = top_left.x + std::max(0.0f, (size.x - used) * 0.5f);
  const float middle = top_left.y + header + std::max(cell * static_cast<float>(tallest), 0.0f) * 0.5f +
                       std::max(0.0f, (size.y - header - footer - cell * static_cast<float>(tallest)) * 0.4f);
  const float small = std::round(em * 0.85f);
  std::int64_t picked = -1;
  ImVec2 previous_min, previous_max;  // the region's box on the level before (for the cone)
  bool previous_shown = false;
  for (int level = 0; level < levels; ++level) {
    const std::size_t at = static_cast<std::size_t>(level);
    const FieldSpan& rows = field.rows.levels[at];
    const FieldSpan& cols = field.cols.levels[at];
    const int height = rows_of(level), width = cols_of(level);
    const ImVec2 origin(x, std::round(middle - cell * static_cast<float>(height) * 0.5f));
    const ImVec2 end(origin.x + cell * static_cast<float>(width), origin.y + cell * static_cast<float>(height));
    const bool last = level == levels - 1;
    // An open exercise asks what the input level shows; the maps above it are the way there.
    const bool shown = hidden.from < 0 || level > 0;

    for (int r = 0; r < height; ++r) {
      for (int c = 0; c < width; ++c) {
        const ImVec2 min(origin.x + cell * static_cast<float>(c), origin.y + cell * static_cast<float>(r));
        const ImVec2 max(min.x + cell, min.y + cell);
        const bool reached = rows.reached[static_cast<std::size_t>(r)] && cols.reached[static_cast<std::size_t>(c)];
        ImU32 fill = colours::kPanel;
        if (shown && reached) fill = last ? colours::kAccent : Mix(colours::kPanel, colours::kAccent, 0.32f);
        draw->AddRectFilled(min, max, fill);
        const bool under = hovered && last && mouse.x >= min.x && mouse.x < max.x && mouse.y >= min.y && mouse.y < max.y;
        if (under) {
          draw->AddRect(min, max, colours::kAccent, 0.0f, 0, 2.0f);
          ImGui::SetTooltip("Choose this cell: row %d, column %d", r, c);
          if (clicked) picked = (std::int64_t{step.out_channel} * height + r) * width + c;
        }
      }
    }
    for (int r = 0; r <= height; ++r) {
      const float y = origin.y + cell * static_cast<float>(r);
      draw->AddLine(ImVec2(origin.x, y), ImVec2(end.x, y), colours::kGridLine);
    }
    for (int c = 0; c <= width; ++c) {
      const float cx = origin.x + cell * static_cast<float>(c);
      draw->AddLine(ImVec2(cx, origin.y), ImVec2(cx, end.y), colours::kGridLine);
    }

    // The region's bounding box, and the cone from the level before.
    const ImVec2 box_min(origin.x + cell * static_cast<float>(cols.first), origin.y + cell * static_cast<float>(rows.first));
    const ImVec2 box_max(origin.x + cell * static_cast<float>(cols.last + 1), origin.y + cell * static_cast<float>(rows.last + 1));
    const bool has_region = rows.Extent() > 0 && cols.Extent() > 0;
    if (shown && has_region) {
      draw->AddRect(box_min, box_max, colours::kAccent, 0.0f, 0, 2.0f);
      if (previous_shown) {
        const ImU32 cone = WithAlpha(colours::kAccent, 110);
        draw->AddLine(ImVec2(previous_max.x, previous_min.y), box_min, cone, 1.5f);
        draw->AddLine(previous_max, ImVec2(box_min.x, box_max.y), cone, 1.5f);
      }
    } else if (!shown) {
      CentredText(draw, HeadingFont(), std::round(em * 1.5f), (origin.x + end.x) * 0.5f,
                  (origin.y + end.y) * 0.5f - em * 0.75f, colours::kMutedText, "?");
      if (hovered && mouse.x >= origin.x && mouse.x < end.x && mouse.y >= origin.y && mouse.y < end.y) {
        ImGui::SetTooltip("%s", hidden.note.c_str());
      }
    }
    previous_min = box_min;
    previous_max = box_max;
    previous_shown = shown && has_region;

    // Above: what the level is; below: what the chosen cell reads there.
    const float centre_x = (origin.x + end.x) * 0.5f;
    const std::string title = level == 0 ? "Input" : "Layer " + std::to_string(level);
    CentredText(draw, BoldFont(), small, centre_x, origin.y - header, last ? colours::kAccent : colours::kText,
                title + "  " + Pair(height, width));
    std::string reads, more;
    if (last) {
      reads = "cell (" + std::to_string(step.out_row) + ", " + std::to_string(step.out_col) + ")";
    } else if (!shown) {
      reads = "reads ?";
    } else {
      reads = (level == 0 ? "sees " : "reads ") + Pair(rows.Extent(), cols.Extent());
      const int r_rows = field.rows.size.back(), r_cols = field.cols.size.back();
      if (level == 0 && (r_rows != rows.Extent() || r_cols != cols.Extent())) {
        more = "of " + Pair(r_rows, r_cols) + ": the rest is padding";
      }
    }
    CentredText(draw, BodyFont(), small, centre_x, end.y + em * 0.35f, colours::kMutedText, reads);
    if (!more.empty()) CentredText(draw, BodyFont(), small, centre_x, end.y + em * 1.35f, colours::kMutedText, more);

    // Between this level and the next, above the cone: the layer that reads it.
    if (!last) {
      const std::vector<std::string> caption = LayerCaption(*stack[at]);
      const float gap_centre = end.x + gap * 0.5f;
      float y = middle - cell * static_cast<float>(tallest) * 0.5f;
      for (const std::string& line : caption) {
        CentredText(draw, BodyFont(), small, gap_centre, y, colours::kMutedText, line);
        y += em * 1.05f;
      }
      CentredText(draw, BodyFont(), std::round(em * 1.2f), gap_centre, y, colours::kMutedText, "\xE2\x86\x92");
    }
    x = end.x + gap;
  }
  return picked;
}

void DrawReceptiveFieldWorking(const lessons::LessonScene& scene, const Step& step, const FieldSpoiler& hidden) {
  const std::vector<const Request*> stack = scene.Stack();
  const Result<ReceptiveField> traced = TraceReceptiveField(stack, step.out_row, step.out_col);
  if (!traced) return;
  const FieldAxis& rows = traced.value().rows;
  SectionTitle("Receptive field, layer by layer");
  ImGui::PushFont(MonoFont());
  ImGui::TextUnformatted("r = r(before) + (k \xE2\x88\x92 1)\xC2\xB7" "d\xC2\xB7j(before)    j = j(before)\xC2\xB7s");
  ImGui::PopFont();
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH;
  if (!ImGui::BeginTable("##field-working", 6, flags)) return;
  for (const char* heading : {"", "k", "s", "d", "jump j", "field r (rows)"}) ImGui::TableSetupColumn(heading);
  ImGui::TableHeadersRow();
  for (int level = 0; level <= traced.value().layers; ++level) {
    const std::size_t at = static_cast<std::size_t>(level);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(level == 0 ? "input" : ("layer " + std::to_string(level)).c_str());
    ImGui::PushFont(MonoFont());
    if (level == 0) {
      for (int column : {4, 5}) {
        ImGui::TableSetColumnIndex(column);
        ImGui::TextUnformatted("1");
      }
    } else {
      const AxisGeometry& axis = stack[at - 1]->geometry.rows;
      const int numbers[] = {axis.kernel, axis.stride, axis.dilation};
      for (int column = 1; column <= 3; ++column) {
        ImGui::TableSetColumnIndex(column);
        ImGui::TextUnformatted(std::to_string(numbers[column - 1]).c_str());
      }
      ImGui::TableSetColumnIndex(4);
      ImGui::TextUnformatted(rows.jump_formula[at].c_str());
      ImGui::TableSetColumnIndex(5);
      if (hidden.from >= 0 && level >= hidden.from) {
        HiddenValue(hidden.note);
      } else {
        ImGui::TextUnformatted(rows.size_formula[at].c_str());
      }
    }
    ImGui::PopFont();
  }
  ImGui::EndTable();
}

}  // namespace convtutor::app
