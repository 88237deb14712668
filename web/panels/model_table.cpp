// The model summary table shared by lessons and the "Your model" page (see model_table.h); a graph
// names its rows and says under each which rows it reads.
#include "panels/model_table.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <imgui.h>

#include "convtutor/spoilers.h"

#include "panels/markdown_view.h"
#include "panels/ui_theme.h"

namespace convtutor::app {

namespace {

constexpr ImU32 kHeaderGround = IM_COL32(246, 245, 251, 255);

// A small play triangle as a button, the mark lesson scene links carry.
bool PlayMark(const char* id, bool on_stage) {
  const float size = ImGui::GetFontSize();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::InvisibleButton(id, ImVec2(size, size));
  const bool hovered = ImGui::IsItemHovered();
  const ImU32 colour = on_stage || hovered ? colours::kAccent : colours::kAccentSoft;
  const float inset = size * 0.2f;
  ImGui::GetWindowDrawList()->AddTriangleFilled(ImVec2(at.x + inset, at.y + inset),
                                                ImVec2(at.x + size - inset, at.y + size * 0.5f),
                                                ImVec2(at.x + inset, at.y + size - inset), colour);
  if (hovered) ImGui::SetTooltip(on_stage ? "On the stage now" : "Watch this layer run on the stage");
  ImGui::SameLine(0.0f, size * 0.25f);
  return clicked;
}

// Activation rows name their function as written ("relu" for F.relu, "GELU" for nn.GELU) rather
// than the family; other rows show their kind.
std::string LayerLabel(const lessons::ModelLayer& layer) {
  if (layer.kind != "Activation") return layer.kind;
  std::string callee = layer.source.substr(0, layer.source.find('('));
  const std::size_t dot = callee.rfind('.');
  if (dot != std::string::npos) callee.erase(0, dot + 1);
  return callee.empty() ? layer.kind : callee;
}

// Under a graph's row: the rows it reads, "← bn2, downsample[1]" (its call as written is in the
// row's tooltip).
std::string ReadsText(const lessons::ModelLayer& layer, const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
    const int input = layer.inputs[k];
    if (input < 0 || input >= static_cast<int>(names.size())) continue;
    text += (k == 0 ? "\u2190 " : ", ") + names[static_cast<std::size_t>(input)];
  }
  return text;
}

}  // namespace

int DrawModelTable(const char* id, const lessons::ModelSummary& summary, const ModelTableOptions& options) {
  const float em = ImGui::GetFontSize();
  int clicked = -1;
  const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuterH |
                                ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX;
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(em * 0.55f, em * 0.15f));
  // A graph's rows carry names and what they read; play marks take room from the layer names too.
  const bool graph = lessons::IsGraph(summary);
  // The shape column is never narrower than its widest shape, "(128, 28, 28)" whole.
  ImGui::PushFont(MonoFont());
  float widest_shape = 0.0f;
  for (const lessons::ModelLayer& layer : summary.layers) {
    widest_shape = std::max(widest_shape, ImGui::CalcTextSize(lessons::ShapeText(layer.output_shape).c_str()).x);
  }
  ImGui::PopFont();
  if (ImGui::BeginTable(id, 3, flags, ImVec2(options.width, 0.0f))) {
    ImGui::TableSetupColumn("Layer", ImGuiTableColumnFlags_WidthStretch,
                            (options.playable ? 1.45f : 1.0f) + (graph ? 0.45f : 0.0f));
    ImGui::TableSetupColumn("Output shape", ImGuiTableColumnFlags_WidthFixed,
                            std::max(widest_shape + em * 0.3f, options.width * 0.3f));
    ImGui::TableSetupColumn("Parameters", ImGuiTableColumnFlags_WidthStretch, 1.3f);
    ImGui::TableNextRow();
    ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, kHeaderGround);
    ImGui::PushFont(BoldFont());
    for (int column = 0; column < 3; ++column) {
      ImGui::TableSetColumnIndex(column);
      ImGui::TextUnformatted(ImGui::TableGetColumnName(column));
    }
    ImGui::PopFont();
    RichTextStyle formula_style;
    formula_style.font = BodyFont();
    formula_style.colour = colours::kMutedText;
    formula_style.size = std::round(em * 0.9f);
    formula_style.line_height = 1.3f;
    const auto formula = [&formula_style](const std::string& text) {
      if (!text.empty()) DrawRichText(PlainSpans(text), formula_style, ImGui::GetContentRegionAvail().x);
    };
    const auto hidden = [&options](lessons::Ask ask, int layer) {
      const int exercise = options.open_exercise ? options.open_exercise(ask, layer) : -1;
      if (exercise < 0) return false;
      HiddenValue(lessons::PredictFirstNote(exercise));
      return true;
    };
    // A graph names every row, and under each row the rows it reads: "← conv1, add_1".
    const std::vector<std::string> names = graph ? lessons::LayerNames(summary) : std::vector<std::string>{};
    for (std::size_t i = 0; i < summary.layers.size(); ++i) {
      const lessons::ModelLayer& layer = summary.layers[i];
      const int layer_index = static_cast<int>(i);
      ImGui::TableNextRow();
      if (layer_index == options.on_stage) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, colours::kAccentSoft);
      ImGui::TableSetColumnIndex(0);
      if (options.playable && options.playable(layer_index)) {
        const std::string mark_id = "##play" + std::to_string(layer_index);
        if (PlayMark(mark_id.c_str(), layer_index == options.on_stage)) clicked = layer_index;
      }
      ImGui::TextUnformatted(graph ? names[i].c_str() : LayerLabel(layer).c_str());
      if (ImGui::IsItemHovered() && !layer.source.empty()) {
        // The call as written, to match the row with its line of code.
        ImGui::BeginTooltip();
        ImGui::PushFont(MonoFont());
        ImGui::Text("line %d: %s", layer.line, layer.source.c_str());
        ImGui::PopFont();
        ImGui::EndTooltip();
      }
      if (graph) formula(ReadsText(layer, names));
      // A layer's formula ends in its answer, so it hides with it.
      ImGui::TableSetColumnIndex(1);
      ImGui::PushFont(MonoFont());
      const bool shape_hidden = hidden(lessons::Ask::kLayerShape, layer_index);
      if (!shape_hidden) ImGui::TextUnformatted(lessons::ShapeText(layer.output_shape).c_str());
      ImGui::PopFont();
      if (!shape_hidden) formula(layer.shape_formula);
      ImGui::TableSetColumnIndex(2);
      ImGui::PushFont(MonoFont());
      const bool parameters_hidden = hidden(lessons::Ask::kLayerParameters, layer_index);
      if (!parameters_hidden) ImGui::TextUnformatted(FormatCount(layer.parameters).c_str());
      ImGui::PopFont();
      if (!parameters_hidden) formula(layer.parameters_formula);
    }
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::PushFont(BoldFont());
    ImGui::TextUnformatted("Total");
    ImGui::PopFont();
    ImGui::TableSetColumnIndex(2);
    ImGui::PushFont(MonoFont());
    if (!hidden(lessons::Ask::kModelParameters, -1)) ImGui::TextUnformatted(FormatCount(summary.total_parameters).c_str());
    ImGui::PopFont();
    ImGui::EndTable();
  }
  ImGui::PopStyleVar();
  return clicked;
}

}  // namespace convtutor::app
