// The "Your model" page's side column (see model_panel.h): the code editor, five examples, and the
// core's summary table or the line it could not follow.
#include "panels/model_panel.h"

#include <algorithm>

#include <imgui.h>

#include "convtutor/layer_scene.h"
#include "panels/model_table.h"
#include "panels/ui_theme.h"

namespace convtutor::app {

const char* const kKerasExampleModel =
    "from tensorflow import keras\n"
    "from tensorflow.keras import layers\n"
    "\n"
    "model = keras.Sequential([\n"
    "    keras.Input(shape=(64, 64, 3)),\n"
    "    layers.Conv2D(16, (3, 3), activation='relu'),\n"
    "    layers.MaxPooling2D((2, 2)),\n"
    "    layers.Conv2D(32, (3, 3), strides=2, padding='same', activation='relu'),\n"
    "    layers.MaxPooling2D((2, 2)),\n"
    "    layers.Flatten(),\n"
    "    layers.Dense(10),\n"
    "])\n";

const char* const kPyTorchExampleModel =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.conv1 = nn.Conv2d(3, 6, 5)\n"
    "        self.pool = nn.MaxPool2d(2, 2)\n"
    "        self.conv2 = nn.Conv2d(6, 16, 5)\n"
    "        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n"
    "        self.fc2 = nn.Linear(120, 84)\n"
    "        self.fc3 = nn.Linear(84, 10)\n"
    "\n"
    "    def forward(self, x):\n"
    "        x = self.pool(F.relu(self.conv1(x)))\n"
    "        x = self.pool(F.relu(self.conv2(x)))\n"
    "        x = torch.flatten(x, 1)\n"
    "        x = F.relu(self.fc1(x))\n"
    "        x = F.relu(self.fc2(x))\n"
    "        return self.fc3(x)\n"
    "\n"
    "x = torch.randn(1, 3, 32, 32)\n";

const char* const kResNetExampleModel =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "\n"
    "class BasicBlock(nn.Module):\n"
    "    expansion = 1\n"
    "\n"
    "    def __init__(self, in_planes, planes, stride=1):\n"
    "        super().__init__()\n"
    "        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)\n"
    "        self.bn1 = nn.BatchNorm2d(planes)\n"
    "        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)\n"
    "        self.bn2 = nn.BatchNorm2d(planes)\n"
    "        self.shortcut = nn.Sequential()\n"
    "        if stride != 1 or in_planes != planes:\n"
    "            self.shortcut = nn.Sequential(\n"
    "                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False),\n"
    "                nn.BatchNorm2d(planes))\n"
    "\n"
    "    def forward(self, x):\n"
    "        out = F.relu(self.bn1(self.conv1(x)))\n"
    "        out = self.bn2(self.conv2(out))\n"
    "        out += self.shortcut(x)\n"
    "        return F.relu(out)\n"
    "\n"
    "class ResNet(nn.Module):\n"
    "    def __init__(self, block, num_blocks, num_classes=10):\n"
    "        super().__init__()\n"
    "        self.in_planes = 64\n"
    "        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)\n"
    "        self.bn1 = nn.BatchNorm2d(64)\n"
    "        self.layer1 = self._make_layer(block, 64, num_blocks[0], stride=1)\n"
    "        self.layer2 = self._make_layer(block, 128, num_blocks[1], stride=2)\n"
    "        self.layer3 = self._make_layer(block, 256, num_blocks[2], stride=2)\n"
    "        self.layer4 = self._make_layer(block, 512, num_blocks[3], stride=2)\n"
    "        self.linear = nn.Linear(512 * block.expansion, num_classes)\n"
    "\n"
    "    def _make_layer(self, block, planes, num_blocks, stride):\n"
    "        strides = [stride] + [1] * (num_blocks - 1)\n"
    "        layers = []\n"
    "        for stride in strides:\n"
    "            layers.append(block(self.in_planes, planes, stride))\n"
    "            self.in_planes = planes * block.expansion\n"
    "        return nn.Sequential(*layers)\n"
    "\n"
    "    def forward(self, x):\n"
    "        out = F.relu(self.bn1(self.conv1(x)))\n"
    "        out = self.layer1(out)\n"
    "        out = self.layer2(out)\n"
    "        out = self.layer3(out)\n"
    "        out = self.layer4(out)\n"
    "        out = F.avg_pool2d(out, 4)\n"
    "        out = out.view(out.size(0), -1)\n"
    "        return self.linear(out)\n"
    "\n"
    "model = ResNet(BasicBlock, [2, 2, 2, 2])  # ResNet-18, for 32×32 pictures\n"
    "x = torch.randn(1, 3, 32, 32)\n";

const char* const kUNetExampleModel =
    "import torch\n"
    "import torch.nn as nn\n"
    "\n"
    "class DoubleConv(nn.Module):\n"
    "    def __init__(self, in_channels, out_channels):\n"
    "        super().__init__()\n"
    "        self.block = nn.Sequential(\n"
    "            nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False),\n"
    "            nn.BatchNorm2d(out_channels),\n"
    "            nn.ReLU(inplace=True),\n"
    "            nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False),\n"
    "            nn.BatchNorm2d(out_channels),\n"
    "            nn.ReLU(inplace=True))\n"
    "\n"
    "    def forward(self, x):\n"
    "        return self.block(x)\n"
    "\n"
    "class UNet(nn.Module):\n"
    "    def __init__(self, channels=3, classes=2, width=16):\n"
    "        super().__init__()\n"
    "        self.down1 = DoubleConv(channels, width)\n"
    "        self.down2 = DoubleConv(width, width * 2)\n"
    "        self.bottom = DoubleConv(width * 2, width * 4)\n"
    "        self.pool = nn.MaxPool2d(2)\n"
    "        self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)\n"
    "        self.up2 = DoubleConv(width * 4 + width * 2, width * 2)\n"
    "        self.up1 = DoubleConv(width * 2 + width, width)\n"
    "        self.head = nn.Conv2d(width, classes, kernel_size=1)\n"
    "\n"
    "    def forward(self, x):\n"
    "        skip1 = self.down1(x)\n"
    "        skip2 = self.down2(self.pool(skip1))\n"
    "        x = self.bottom(self.pool(skip2))\n"
    "        x = self.up2(torch.cat([self.up(x), skip2], dim=1))\n"
    "        x = self.up1(torch.cat([self.up(x), skip1], dim=1))\n"
    "        return self.head(x)\n"
    "\n"
    "model = UNet()\n"
    "x = torch.randn(1, 3, 128, 128)\n";

const char* const kTensorFlow1ExampleModel =
    "import tensorflow.compat.v1 as tf\n"
    "\n"
    "def weight_variable(shape):\n"
    "    return tf.Variable(tf.truncated_normal(shape, stddev=0.1))\n"
    "\n"
    "def bias_variable(shape):\n"
    "    return tf.Variable(tf.constant(0.1, shape=shape))\n"
    "\n"
    "x = tf.placeholder(tf.float32, shape=[None, 784])\n"
    "x_image = tf.reshape(x, [-1, 28, 28, 1])\n"
    "\n"
    "W_conv1 = weight_variable([5, 5, 1, 32])\n"
    "b_conv1 = bias_variable([32])\n"
    "h_conv1 = tf.nn.relu(tf.nn.conv2d(x_image, W_conv1, strides=[1, 1, 1, 1], padding='SAME') + b_conv1)\n"
    "h_pool1 = tf.nn.max_pool(h_conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
    "\n"
    "conv2 = tf.layers.conv2d(h_pool1, 64, 5, padding='same', activation=tf.nn.relu)\n"
    "pool2 = tf.layers.max_pooling2d(conv2, 2, 2)\n"
    "\n"
    "flat = tf.reshape(pool2, [-1, 7 * 7 * 64])\n"
    "W_fc = weight_variable([7 * 7 * 64, 10])\n"
    "b_fc = bias_variable([10])\n"
    "logits = tf.matmul(flat, W_fc) + b_fc\n";

namespace {

// The core's message on a soft red ground, naming the line it could not follow.
void DrawModelError(const Error& error) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::ColorConvertU32ToFloat4(colours::kErrorSoft));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, Em(0.8f, 0.6f));
  if (ImGui::BeginChild("##model-error", ImVec2(0.0f, Em(5.5f)), true)) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kError));
    SectionTitle(error.line > 0 ? ("Line " + std::to_string(error.line)).c_str() : "Not understood");
    ImGui::TextWrapped("%s", error.message.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

// "Photo: [sample ▾] Open…": what the layers whose input has 1 or 3 channels run on.
void DrawModelPhoto(const ModelPhotoView& photo, ModelPanelRequest& request) {
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Photo");
  ImGui::SameLine();
  const float open_width = ImGui::CalcTextSize("Open…").x + style.FramePadding.x * 2.0f;
  ImGui::SetNextItemWidth(std::max(Em(6.0f), ImGui::GetContentRegionAvail().x - open_width - style.ItemInnerSpacing.x));
  const std::string preview = photo.shown.empty() ? std::string("generated values") : photo.shown;
  if (ImGui::BeginCombo("##model-photo", preview.c_str())) {
    if (ImGui::Selectable("generated values", photo.shown.empty())) request.photo_sample = std::string();
    for (const std::string& name : *photo.samples) {
      if (ImGui::Selectable(name.c_str(), photo.shown == name)) request.photo_sample = name;
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("A layer whose input has 1 or 3 channels runs on this photo, after the layers before it");
  }
  ImGui::SameLine(0.0f, style.ItemInnerSpacing.x);
  request.pick_photo = OpenPictureButton("model-photo", photo.picker);
  if (!photo.loading.empty()) MutedText(("Loading " + photo.loading + "…").c_str());
  if (!photo.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kError));
    ImGui::TextWrapped("%s", photo.error.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace

bool IsExampleModel(const std::string& code) {
  return code == kKerasExampleModel || code == kPyTorchExampleModel || code == kResNetExampleModel ||
         code == kUNetExampleModel || code == kTensorFlow1ExampleModel;
}

void PutInEditor(const std::string& model, bool borrowed, std::string& code, std::string& set_aside) {
  if (model == code) return;
  if (!IsExampleModel(code) && !borrowed) set_aside = code;
  code = model;
}

ModelPanelRequest DrawModelPanel(std::string& code, std::string& set_aside, bool borrowed,
                                 const Result<lessons::ModelSummary>& summary, int on_stage, const ModelPhotoView& photo) {
  ModelPanelRequest request;
  ImGui::PushFont(HeadingFont());
  ImGui::TextUnformatted("Your model");
  ImGui::PopFont();
  MutedText("Paste your Keras, PyTorch or TensorFlow 1 model, its own block classes, branches and skip connections "
            "too: every layer's output shape and parameter count are worked out below. Press the play mark of a "
            "convolution or pooling layer to watch it run.");
  ImGui::Spacing();
  const bool showing_example = IsExampleModel(code) || borrowed;
  // The buttons go on one line while they fit, and wrap where the column is narrow.
  bool first_button = true;
  const auto place_button = [&first_button](const char* label) {
    if (!first_button) {
      ImGui::SameLine();
      const float needed = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
      if (ImGui::GetContentRegionAvail().x < needed) ImGui::NewLine();
    }
    first_button = false;
  };
  for (const auto& [label, example] : {std::pair{"Keras example", kKerasExampleModel},
                                       std::pair{"PyTorch example", kPyTorchExampleModel},
                                       std::pair{"ResNet-18", kResNetExampleModel},
                                       std::pair{"U-Net", kUNetExampleModel},
                                       std::pair{"TF1 example", kTensorFlow1ExampleModel}}) {
    place_button(label);
    if (ImGui::SmallButton(label) && code != example) {
      PutInEditor(example, borrowed, code, set_aside);
      request.code_changed = true;
    }
  }
  if (showing_example && !set_aside.empty()) {
    place_button("Your code");
    if (ImGui::SmallButton("Your code")) {
      code = set_aside;
      set_aside.clear();
      request.code_changed = true;
    }
  }

  const float width = ImGui::GetContentRegionAvail().x;
  const float editor_height = std::clamp(ImGui::GetContentRegionAvail().y * 0.42f, Em(8.0f), Em(22.0f));
  ImGui::PushFont(MonoFont());
  if (ImGui::InputTextMultiline("##model-code", code.data(), code.capacity() + 1, ImVec2(width, editor_height),
                                ImGuiInputTextFlags_CallbackResize, GrowString, &code)) {
    request.code_changed = true;
  }
  const ImVec2 editor_min = ImGui::GetItemRectMin();
  const ImVec2 editor_size = ImGui::GetItemRectSize();
  request.editor_box[0] = editor_min.x;
  request.editor_box[1] = editor_min.y;
  request.editor_box[2] = editor_size.x;
  request.editor_box[3] = editor_size.y;
  ImGui::PopFont();
  ImGui::Spacing();
  DrawModelPhoto(photo, request);
  ImGui::Spacing();

  if (!summary) {
    DrawModelError(summary.error());
    return request;
  }
  const lessons::ModelSummary& model = summary.value();
  ModelTableOptions options;
  options.width = width;
  options.on_stage = on_stage;
  options.playable = [&model](int layer) {
    return lessons::IsSteppableLayer(model.layers[static_cast<std::size_t>(layer)]);
  };
  request.play_layer = DrawModelTable("##your-model", model, options);
  ImGui::Spacing();
  MutedText(model.channels_first ? "Shapes are (channels, height, width), as PyTorch counts them; the batch "
                                   "axis is left out."
                                 : "Shapes are (height, width, channels), as Keras prints them without the "
                                   "batch axis (None).");
  return request;
}

}  // namespace convtutor::app
