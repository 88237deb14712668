// Draws the sandbox's settings as a labelled form and turns settings into a Scene. Shapes that
// change regenerate the values deterministically (generate.h), so a seed always means the same
// numbers.
#include "sandbox_panel.h"

#include <string>

#include <imgui.h>

#include "ui_theme.h"

namespace convtutor::app {

namespace {

std::size_t Count(int a, int b, int c, int d = 1) {
  return static_cast<std::size_t>(a) * static_cast<std::size_t>(b) * static_cast<std::size_t>(c) *
         static_cast<std::size_t>(d);
}

// A form row: a muted label on the left, the control filling the rest.
void Label(const char* text) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kMutedText));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::TableSetColumnIndex(1);
  ImGui::SetNextItemWidth(-1.0f);
}

bool BeginForm(const char* id) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_NoSavedSettings)) return false;
  ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, Em(6.5f));
  ImGui::TableSetupColumn("control", ImGuiTableColumnFlags_WidthStretch);
  return true;
}

bool ShapesDiffer(const SandboxSettings& a, const SandboxSettings& b) {
  return a.op != b.op || a.input_size[0] != b.input_size[0] || a.input_size[1] != b.input_size[1] ||
         a.channels != b.channels || a.filters != b.filters || a.kernel[0] != b.kernel[0] ||
         a.kernel[1] != b.kernel[1] || a.bias != b.bias || a.fill != b.fill || a.seed != b.seed;
}

}  // namespace

void RegenerateValues(SandboxSettings& settings) {
  FillSpec spec;
  spec.fill = settings.fill;
  spec.seed = settings.seed;
  settings.input = GenerateValues(Count(settings.channels, settings.input_size[0], settings.input_size[1]), spec);
  spec.seed = settings.seed * 7919u + 1u;  // weights differ from the input even at one seed
  spec.low = -1.0f;
  spec.high = 1.0f;
  const bool conv = !IsPooling(settings.op);
  settings.weights = conv ? GenerateValues(Count(settings.filters, settings.channels, settings.kernel[0],
                                                 settings.kernel[1]),
                                           spec)
                          : std::vector<float>();
  spec.seed = settings.seed * 104729u + 3u;
  settings.bias_values = conv && settings.bias
                             ? GenerateValues(static_cast<std::size_t>(settings.filters), spec)
                             : std::vector<float>();
}

Scene BuildSandboxScene(const SandboxSettings& settings) {
  Scene scene;
  LayerSpec& layer = scene.layer;
  layer.op = settings.op;
  layer.kernel = Size2{settings.kernel[0], settings.kernel[1]};
  layer.stride = Size2{settings.stride[0], settings.stride[1]};
  layer.dilation = Size2{settings.dilation[0], settings.dilation[1]};
  layer.padding.mode = settings.padding;
  layer.padding.sides = Sides{settings.sides[0], settings.sides[1], settings.sides[2], settings.sides[3]};
  layer.ceil_mode = settings.ceil_mode;
  layer.count_include_pad = settings.count_include_pad;
  layer.activation = IsPooling(settings.op) ? Activation::kNone : settings.activation;
  scene.input = Volume{settings.channels, settings.input_size[0], settings.input_size[1], settings.input};
  if (!IsPooling(settings.op)) {
    scene.weights = FilterBank{settings.filters, settings.channels, settings.kernel[0], settings.kernel[1],
                               settings.weights};
    scene.bias = settings.bias_values;
  }
  return scene;
}

SandboxSettings SandboxFromScene(const Scene& scene) {
  SandboxSettings settings;
  const LayerSpec& layer = scene.layer;
  settings.op = layer.op;
  settings.input_size[0] = scene.input.height;
  settings.input_size[1] = scene.input.width;
  settings.channels = scene.input.channels;
  settings.kernel[0] = layer.kernel.rows;
  settings.kernel[1] = layer.kernel.cols;
  if (!IsPooling(layer.op)) {
    settings.filters = scene.weights.filters;
    settings.kernel[0] = scene.weights.height;
    settings.kernel[1] = scene.weights.width;
  }
  settings.stride[0] = layer.stride.rows;
  settings.stride[1] = layer.stride.cols;
  settings.dilation[0] = layer.dilation.rows;
  settings.dilation[1] = layer.dilation.cols;
  settings.padding = layer.padding.mode;
  const Sides& sides = layer.padding.sides;
  settings.sides[0] = sides.top;
  settings.sides[1] = sides.bottom;
  settings.sides[2] = sides.left;
  settings.sides[3] = sides.right;
  settings.bias = !scene.bias.empty();
  settings.activation = layer.activation;
  settings.ceil_mode = layer.ceil_mode;
  settings.count_include_pad = layer.count_include_pad;
  settings.input = scene.input.values;
  settings.weights = scene.weights.values;
  settings.bias_values = scene.bias;
  return settings;
}

SandboxRequest DrawSandboxPanel(const SandboxSettings& settings) {
  SandboxRequest request;
  SandboxSettings edited = settings;
  bool changed = false;
  const bool conv = !IsPooling(edited.op);

  SectionTitle("Layer");
  if (BeginForm("##layer")) {
    Label("Operation");
    const char* ops[] = {"Convolution", "Max pooling", "Average pooling"};
    int op = static_cast<int>(edited.op);
    if (ImGui::Combo("##op", &op, ops, 3)) {
      edited.op = static_cast<Op>(op);
      changed = true;
    }
    Label(conv ? "Kernel" : "Window");
    changed |= ImGui::SliderInt2("##kernel", edited.kernel, 1, 7);
    Label("Stride");
    changed |= ImGui::SliderInt2("##stride", edited.stride, 1, 4);
    Label("Dilation");
    changed |= ImGui::SliderInt2("##dilation", edited.dilation, 1, 4);
    Label("Padding");
    const char* modes[] = {"valid (none)", "same", "full", "explicit per side"};
    int mode = static_cast<int>(edited.padding);
    if (ImGui::Combo("##padding", &mode, modes, 4)) {
      edited.padding = static_cast<PaddingMode>(mode);
      changed = true;
    }
    if (edited.padding == PaddingMode::kExplicit) {
      Label("Top, bottom");
      changed |= ImGui::SliderInt2("##tb", &edited.sides[0], 0, 6);
      Label("Left, right");
      changed |= ImGui::SliderInt2("##lr", &edited.sides[2], 0, 6);
    }
    if (conv) {
      Label("Bias");
      changed |= ImGui::Checkbox("##bias", &edited.bias);
      Label("Activation");
      const char* activations[] = {"none", "ReLU"};
      int activation = static_cast<int>(edited.activation);
      if (ImGui::Combo("##activation", &activation, activations, 2)) {
        edited.activation = static_cast<Activation>(activation);
        changed = true;
      }
    } else {
      Label("ceil_mode");
      changed |= ImGui::Checkbox("##ceil", &edited.ceil_mode);
      if (edited.op == Op::kAvgPool2d) {
        Label("Count pads");
        changed |= ImGui::Checkbox("##countpad", &edited.count_include_pad);
      }
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  SectionTitle("Input");
  if (BeginForm("##input")) {
    Label("Rows, cols");
    changed |= ImGui::SliderInt2("##size", edited.input_size, 1, kSandboxMaxInputSide);
    Label("Channels");
    changed |= ImGui::SliderInt("##channels", &edited.channels, 1, 4);
    if (conv) {
      Label("Filters");
      changed |= ImGui::SliderInt("##filters", &edited.filters, 1, 4);
    }
    ImGui::EndTable();
  }

  ImGui::Spacing();
  SectionTitle("Values");
  if (BeginForm("##values")) {
    Label("Fill");
    const char* fills[] = {"random integers", "ramp", "ones", "zeros"};
    int fill = static_cast<int>(edited.fill);
    if (ImGui::Combo("##fill", &fill, fills, 4)) {
      edited.fill = static_cast<Fill>(fill);
      changed = true;
    }
    Label("Seed");
    int seed = static_cast<int>(edited.seed);
    ImGui::SetNextItemWidth(-Em(7.0f));
    if (ImGui::InputInt("##seed", &seed) && seed >= 0) {
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
