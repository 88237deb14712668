// Draws the core's Geometry as a small table plus the two derivations (rows, columns); the
// formulas and explanations are the core's own strings.
#include "shape_panel.h"

#include <string>

#include <imgui.h>

#include "ui_theme.h"

namespace convtutor::app {

namespace {

const char* kTimes = " \xC3\x97 ";

// One fact: a muted label and its value, side by side in a table row.
void Row(const char* label, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kMutedText));
  ImGui::TextUnformatted(label);
  ImGui::PopStyleColor();
  ImGui::TableSetColumnIndex(1);
  ImGui::PushFont(MonoFont());
  ImGui::TextWrapped("%s", value.c_str());
  ImGui::PopFont();
}

void Derivation(const char* title, const AxisGeometry& axis) {
  ImGui::PushFont(BoldFont());
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  ImGui::SameLine(Em(5.0f) + ImGui::GetStyle().CellPadding.x);
  ImGui::PushFont(MonoFont());
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kAccent));
  ImGui::TextWrapped("%s", axis.formula.c_str());
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (!axis.explanation.empty()) MutedText(axis.explanation.c_str());
}

}  // namespace

void DrawShapePanel(const Scene& scene, const Geometry& geometry) {
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_NoSavedSettings;
  // A narrow card gives the values more of its width.
  const float label_width = ImGui::GetContentRegionAvail().x < Em(20.0f) ? Em(5.0f) : Em(6.5f);
  if (ImGui::BeginTable("##shape", 2, flags)) {
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, label_width);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    Row("Input", std::to_string(scene.input.channels) + kTimes + std::to_string(scene.input.height) + kTimes +
                     std::to_string(scene.input.width));
    Row("Operation", OpName(scene.layer.op) + std::string(", padding ") + PaddingModeName(scene.layer.padding.mode));
    Row("Padding", "top " + std::to_string(geometry.padding.top) + ", bottom " +
                       std::to_string(geometry.padding.bottom) + ", left " + std::to_string(geometry.padding.left) +
                       ", right " + std::to_string(geometry.padding.right));
    Row("Window", std::to_string(geometry.rows.kernel) + kTimes + std::to_string(geometry.cols.kernel) +
                      ", stride " + std::to_string(geometry.rows.stride) + kTimes +
                      std::to_string(geometry.cols.stride) + ", dilation " + std::to_string(geometry.rows.dilation) +
                      kTimes + std::to_string(geometry.cols.dilation));
    Row("Output", std::to_string(geometry.out_channels) + kTimes + std::to_string(geometry.out_height) + kTimes +
                      std::to_string(geometry.out_width));
    Row("Parameters", FormatCount(static_cast<long long>(geometry.parameters)));
    Row(IsPooling(scene.layer.op) ? "Window taps" : "Multiply-adds",
        FormatCount(static_cast<long long>(geometry.multiply_adds)));
    ImGui::EndTable();
  }
  ImGui::Spacing();
  Derivation("Rows", geometry.rows);
  Derivation("Columns", geometry.cols);
}

}  // namespace convtutor::app
