// Draws the sandbox's settings as a labelled form; a change of shape regenerates the values
// (sandbox_settings.h).
#include "sandbox_panel.h"

#include <algorithm>
#include <string>
#include <utility>

#include <imgui.h>

#include "ui_theme.h"

namespace convtutor::app {

namespace {

// A number with − and + buttons, kept within [low, high]; fills the width it is given.
bool Stepper(const char* id, int* value, int low, int high, float width) {
  ImGui::SetNextItemWidth(width);
  int edited = *value;
  if (!ImGui::InputInt(id, &edited, 1, 1)) return false;
  edited = edited < low ? low : (edited > high ? high : edited);
  if (edited == *value) return false;
  *value = edited;
  return true;
}

// Two steppers side by side (rows and columns, or before and after), sharing the row.
bool StepperPair(const char* id, int* values, int low, int high) {
  const float spacing = ImGui::GetStyle().ItemInnerSpacing.x;
  const float width = (ImGui::GetContentRegionAvail().x - spacing) * 0.5f;
  ImGui::PushID(id);
  bool changed = Stepper("##first", &values[0], low, high, width);
  ImGui::SameLine(0.0f, spacing);
  changed |= Stepper("##second", &values[1], low, high, width);
  ImGui::PopID();
  return changed;
}


bool ShapesDiffer(const SandboxSettings& a, const SandboxSettings& b) {
  return a.op != b.op || a.input_size[0] != b.input_size[0] || a.input_size[1] != b.input_size[1] ||
         a.channels != b.channels || a.filters != b.filters || a.groups != b.groups || a.kernel[0] != b.kernel[0] ||
         a.kernel[1] != b.kernel[1] || a.bias != b.bias || a.fill != b.fill || a.seed != b.seed;
}

}  // namespace

SandboxRequest DrawSandboxPanel(const SandboxSettings& settings) {
  SandboxRequest request;
  SandboxSettings edited = settings;
  bool changed = false;
  const bool conv = !IsPooling(edited.op);

  SectionTitle("Layer");
  if (BeginForm("##layer")) {
    FormLabel("Operation");
    const char* ops[] = {"Convolution", "Max pooling", "Average pooling", "Transposed convolution"};
    int op = static_cast<int>(edited.op);
    if (ImGui::Combo("##op", &op, ops, 4)) {
      edited.op = static_cast<Op>(op);
      changed = true;
    }
    FormLabel(conv ? "Kernel" : "Window");
    changed |= StepperPair("kernel", edited.kernel, 1, 7);
    FormLabel("Stride");
    changed |= StepperPair("stride", edited.stride, 1, 4);
    FormLabel("Dilation");
    changed |= StepperPair("dilation", edited.dilation, 1, 4);
    const bool transposed = edited.op == Op::kConvTranspose2d;
    if (transposed) {
      // PyTorch's padding p (rows, cols) crops the scattered output; output_padding adds at the end.
      FormLabel("Padding p");
      int crop[2] = {edited.sides[0], edited.sides[2]};
      if (StepperPair("crop", crop, 0, 6)) {
        edited.sides[0] = edited.sides[1] = crop[0];
        edited.sides[2] = edited.sides[3] = crop[1];
        changed = true;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Rows and columns cropped from each side of the scattered output");
      FormLabel("Output pad");
      changed |= StepperPair("output-padding", edited.output_padding, 0, 3);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Extra rows and columns at the bottom and right (smaller than the stride)");
    } else {
      FormLabel("Padding");
      const char* modes[] = {"valid (none)", "same", "full", "explicit per side"};
      int mode = static_cast<int>(edited.padding);
      if (ImGui::Combo("##padding", &mode, modes, 4)) {
        edited.padding = static_cast<PaddingMode>(mode);
        changed = true;
      }
    }
    if (!transposed && edited.padding == PaddingMode::kExplicit) {
      FormLabel("Top, bottom");
      changed |= StepperPair("top-bottom", &edited.sides[0], 0, 6);
      FormLabel("Left, right");
      changed |= StepperPair("left-right", &edited.sides[2], 0, 6);
    }
    if (conv) {
      FormLabel("Bias");
      changed |= ImGui::Checkbox("##bias", &edited.bias);
      FormLabel("Activation");
      const char* activations[] = {"none", "ReLU"};
      int activation = static_cast<int>(edited.activation);
      if (ImGui::Combo("##activation", &activation, activations, 2)) {
        edited.activation = static_cast<Activation>(activation);
        changed = true;
      }
    } else {
      FormLabel("ceil_mode");
      changed |= ImGui::Checkbox("##ceil", &edited.ceil_mode);
      if (edited.op == Op::kAvgPool2d) {
        FormLabel("Count pads");
        changed |= ImGui::Checkbox("##countpad", &edited.count_include_pad);
      }
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  SectionTitle("Input");
  if (BeginForm("##input")) {
    if (edited.picture.empty()) {
      FormLabel("Rows, cols");
      changed |= ImGui::SliderInt2("##size", edited.input_size, 1, kSandboxMaxInputSide);
      FormLabel("Channels");
      changed |= Stepper("##channels", &edited.channels, 1, 4, -1.0f);
    }
    if (conv) {
      FormLabel("Filters");
      changed |= Stepper("##filters", &edited.filters, 1, 4, -1.0f);
      FormLabel("Groups");
      changed |= Stepper("##groups", &edited.groups, 1, 4, -1.0f);
      if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("Each filter sees only its group's channels: groups = channels is a depthwise convolution");
      }
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  SectionTitle("Values");
  if (BeginForm("##values")) {
    FormLabel("Fill");
    const char* fills[] = {"random integers", "ramp", "ones", "zeros"};
    int fill = static_cast<int>(edited.fill);
    if (ImGui::Combo("##fill", &fill, fills, 4)) {
      edited.fill = static_cast<Fill>(fill);
      changed = true;
    }
    FormLabel("Seed");
    int seed = static_cast<int>(edited.seed);
    ImGui::SetNextItemWidth(-Em(7.0f));
    if (ImGui::InputInt("##seed", &seed, 0, 0) && seed >= 0) {
      edited.seed = static_cast<std::uint32_t>(seed);
      changed = true;
    }
    ImGui::SameLine();
    if (ImGui::Button("Randomise", ImVec2(-1.0f, 0.0f))) {
      edited.seed += 1;
      edited.fill = Fill::kRandom;
      changed = true;
    }
    ImGui::EndTable();
  }
  MutedText("Click any input, weight or bias value in the picture to edit it.");

  if (changed) {
    if (ShapesDiffer(edited, settings)) RegenerateValues(edited);
    request.changed = true;
    request.settings = std::move(edited);
  }
  return request;
}

}  // namespace convtutor::app
