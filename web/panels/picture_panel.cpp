// Draws the picture controls as a labelled form like the sandbox's: a sample list with "Open…",
// gray or RGB, the stage size, the filter preset with its purpose, and the kernel as a 3×3 grid of
// draggable numbers, so the map follows a weight while it is dragged.
#include "picture_panel.h"

#include <imgui.h>

#include "ui_theme.h"

namespace convtutor::app {

namespace {

// The first filter's kernel when every slice holds the same 3×3 kernel, else nothing to edit here.
std::optional<std::vector<float>> SharedKernel(const SandboxSettings& settings) {
  if (IsPooling(settings.op) || settings.kernel[0] != 3 || settings.kernel[1] != 3) return std::nullopt;
  const int slices = SlicesPerFilter(settings);
  if (settings.weights.size() < static_cast<std::size_t>(9 * slices)) return std::nullopt;
  std::vector<float> kernel(settings.weights.begin(), settings.weights.begin() + 9);
  for (int c = 1; c < slices; ++c) {
    for (std::size_t k = 0; k < 9; ++k) {
      if (settings.weights[static_cast<std::size_t>(c) * 9 + k] != kernel[k]) return std::nullopt;
    }
  }
  return kernel;
}

}  // namespace

PicturePanelRequest DrawPicturePanel(const PicturePanelView& view) {
  PicturePanelRequest request;
  const SandboxSettings& settings = *view.settings;
  SectionTitle("Picture");
  if (!BeginForm("##picture")) return request;

  FormLabel("Input");
  const std::string preview = settings.picture.empty() ? std::string("generated values") : settings.picture;
  const float open_width = ImGui::CalcTextSize("Open…").x + ImGui::GetStyle().FramePadding.x * 2.0f;
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - open_width - ImGui::GetStyle().ItemInnerSpacing.x);
  if (ImGui::BeginCombo("##sample", preview.c_str())) {
    if (ImGui::Selectable("generated values", settings.picture.empty())) request.open_sample = std::string();
    for (const std::string& name : *view.samples) {
      if (ImGui::Selectable(name.c_str(), settings.picture_is_sample && settings.picture == name)) {
        request.open_sample = name;
      }
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
  request.pick_file = OpenPictureButton("picture", view.picker);

  if (!settings.picture.empty()) {
    FormLabel("Colour");
    int mode = settings.picture_mode == PictureMode::kRgb ? 1 : 0;
    if (ImGui::RadioButton("gray", &mode, 0)) request.mode = PictureMode::kGray;
    ImGui::SameLine();
    if (ImGui::RadioButton("RGB", &mode, 1)) request.mode = PictureMode::kRgb;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Three channels, red, green and blue: each filter has a slice for each, summed");

    FormLabel("Longest side");
    const std::string side_text = std::to_string(settings.picture_side) + " pixels";
    if (ImGui::BeginCombo("##side", side_text.c_str())) {
      for (int side : kPictureSides) {
        const std::string label = std::to_string(side) + " pixels";
        if (ImGui::Selectable(label.c_str(), side == settings.picture_side)) request.side = side;
      }
      ImGui::EndCombo();
    }
  }

  if (!IsPooling(settings.op)) {
    FormLabel("Filter");
    const char* preset_name =
        settings.preset >= 0 ? FilterPresetName(static_cast<FilterPreset>(settings.preset)) : "your own weights";
    if (ImGui::BeginCombo("##preset", preset_name)) {
      for (int i = 0; i < kFilterPresetCount; ++i) {
        const auto preset = static_cast<FilterPreset>(i);
        if (ImGui::Selectable(FilterPresetName(preset), i == settings.preset)) request.preset = preset;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", FilterPresetPurpose(preset));
      }
      ImGui::EndCombo();
    }
    if (std::optional<std::vector<float>> kernel = SharedKernel(settings)) {
      FormLabel("Kernel");
      const float spacing = ImGui::GetStyle().ItemInnerSpacing.x;
      const float width = (ImGui::GetContentRegionAvail().x - 2.0f * spacing) / 3.0f;
      bool edited = false;
      for (int k = 0; k < 9; ++k) {
        if (k % 3 != 0) ImGui::SameLine(0.0f, spacing);
        ImGui::PushID(k);
        ImGui::SetNextItemWidth(width);
        edited |= ImGui::DragFloat("##w", &(*kernel)[static_cast<std::size_t>(k)], 0.01f, -10.0f, 10.0f, "%.3g");
        ImGui::PopID();
      }
      if (edited) request.kernel = std::move(*kernel);
    }
  }
  ImGui::EndTable();

  if (!view.loading.empty()) MutedText(("Loading " + view.loading + "…").c_str());
  if (!view.status.empty()) MutedText(view.status.c_str());
  if (!view.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kError));
    ImGui::TextWrapped("%s", view.error.c_str());
    ImGui::PopStyleColor();
  }
  if (!settings.picture.empty() && !IsPooling(settings.op)) {
    MutedText("Drag a kernel number to change it: the map follows at once.");
  }
  ImGui::Spacing();
  return request;
}

}  // namespace convtutor::app
