// LayerScene against model summaries: every convolution or pooling row of real Keras and PyTorch
// texts, replayed as a scene, must give back the summary's own output shape and multiply-adds (two
// independent code paths), plus hand-worked sizes, deterministic values and the refusals; and a
// model run on a picture (LayerInputFrom), its activations held to PyTorch (activation_cases.json).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "convtutor/forward.h"
#include "convtutor/geometry.h"
#include "convtutor/layer_scene.h"
#include "convtutor/model.h"
#include "convtutor/steps.h"
#include "scene_builders.h"

namespace {

using convtutor::Geometry;
using convtutor::Op;
using convtutor::PaddingMode;
using convtutor::ResolveGeometry;
using convtutor::Scene;
using convtutor::lessons::IsSteppableLayer;
using convtutor::lessons::LayerInputFrom;
using convtutor::lessons::LayerInputFromPicture;
using convtutor::lessons::LayerScene;
using convtutor::lessons::ModelLayer;
using convtutor::lessons::ModelSummary;
using convtutor::lessons::SummarizeModel;
using convtutor::testing::MustSummarize;
using Shape = std::vector<int>;

Scene SceneOf(const ModelLayer& layer, std::uint32_t seed = 1) {
  auto scene = LayerScene(layer, seed);
  EXPECT_TRUE(scene.ok()) << (scene.ok() ? "" : scene.error().ToString());
  return scene.ok() ? scene.value() : Scene{};
}

// Replays every steppable row through the scene path and compares with what the summary says;
// returns how many rows were replayed, so a caller can insist the model really had them.
int ExpectEverySteppableRowMatchesTheSummary(const ModelSummary& summary) {
  int replayed = 0;
  for (const ModelLayer& layer : summary.layers) {
    if (!IsSteppableLayer(layer)) continue;
    SCOPED_TRACE(layer.source);
    auto scene = LayerScene(layer);
    if (!scene.ok()) {
      ADD_FAILURE() << scene.error().ToString();
      continue;
    }
    auto geometry = ResolveGeometry(scene.value());
    if (!geometry.ok()) {
      ADD_FAILURE() << geometry.error().ToString();
      continue;
    }
    const Geometry& g = geometry.value();
    const Shape shape = layer.channels_first ? Shape{g.out_channels, g.out_height, g.out_width}
                                             : Shape{g.out_height, g.out_width, g.out_channels};
    EXPECT_EQ(shape, layer.output_shape);
    EXPECT_EQ(g.multiply_adds, layer.multiply_adds);
    if (layer.shares_parameters_with < 0) {
      EXPECT_EQ(g.parameters, layer.parameters);
    }
    ++replayed;
  }
  return replayed;
}

const char* kKerasStack =
    "model = keras.Sequential([\n"                                            // 1
    "    keras.Input(shape=(32, 32, 3)),\n"                                   // 2
    "    layers.Conv2D(8, (3, 3), padding='same', activation='relu'),\n"      // 3
    "    layers.Conv2D(8, (3, 3), strides=(2, 2)),\n"                         // 4
    "    layers.MaxPooling2D((2, 2)),\n"                                      // 5
    "    layers.Conv2D(16, 3, strides=2, padding='same', use_bias=False),\n"  // 6
    "    layers.AveragePooling2D(pool_size=(2, 2), strides=(1, 1), padding='same'),\n"  // 7
    "    layers.BatchNormalization(),\n"                                      // 8
    "    layers.Flatten(),\n"                                                 // 9
    "    layers.Dense(10),\n"                                                 // 10
    "])\n";

const char* kTorchStack =
    "import torch\n"                                                // 1
    "from torch import nn\n"                                        // 2
    "x = torch.randn(1, 3, 28, 28)\n"                               // 3
    "model = nn.Sequential(\n"                                      // 4
    "    nn.Conv2d(3, 6, 5, padding=2),\n"                          // 5
    "    nn.ReLU(),\n"                                              // 6
    "    nn.MaxPool2d(3, stride=2, ceil_mode=True),\n"              // 7
    "    nn.Conv2d(6, 12, 3, dilation=2, bias=False),\n"            // 8
    "    nn.AvgPool2d(2, padding=1),\n"                             // 9
    "    nn.Conv2d(12, 4, (3, 1), stride=(1, 2), padding=(1, 0)),\n"  // 10
    "    nn.MaxPool2d(2, stride=1, dilation=2),\n"                  // 11
    "    nn.Flatten(),\n"                                           // 12
    "    nn.Linear(16, 10),\n"                                      // 13
    ")\n";

const char* kTorchClassNet =
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.conv1 = nn.Conv2d(3, 6, 5)\n"
    "        self.pool = nn.MaxPool2d(2, 2)\n"
    "        self.conv2 = nn.Conv2d(6, 16, 5)\n"
    "        self.fc1 = nn.Linear(16 * 4 * 4, 10)\n"
    "    def forward(self, x):\n"
    "        x = self.pool(F.relu(self.conv1(x)))\n"
    "        x = self.pool(F.relu(self.conv2(x)))\n"
    "        x = F.max_pool2d(x, 3, stride=1, padding=1)\n"
    "        x = F.avg_pool2d(x, 2, stride=1)\n"
    "        x = torch.flatten(x, 1)\n"
    "        return self.fc1(x)\n"
    "x = torch.randn(1, 3, 32, 32)\n";

TEST(layer_scene, every_keras_conv_and_pool_row_replays_to_the_summary_shape_and_work) {
  const ModelSummary summary = MustSummarize(kKerasStack);
  // Conv 'same' 32; conv valid stride 2 ⌊(32 − 3)/2⌋ + 1 = 15; pool 2 (stride 2) ⌊(15 − 2)/2⌋ + 1 = 7;
  // conv 'same' stride 2 ⌈7/2⌉ = 4; avg pool 'same' stride 1 keeps 4: five steppable rows.
  EXPECT_EQ(ExpectEverySteppableRowMatchesTheSummary(summary), 5);
  ASSERT_GE(summary.layers.size(), 6u);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{15, 15, 8}));
  EXPECT_EQ(summary.layers[5].output_shape, (Shape{4, 4, 16}));
}

TEST(layer_scene, every_pytorch_sequential_conv_and_pool_row_replays_to_the_summary_shape_and_work) {
  const ModelSummary summary = MustSummarize(kTorchStack);
  // 28 + 2·2 − 5 + 1 = 28; ceil_mode ⌈(28 − 3)/2⌉ + 1 = 14; dilation 2 spans 5: 14 − 5 + 1 = 10;
  // avg pad 1: ⌊(10 + 2 − 2)/2⌋ + 1 = 6; (3, 1) kernel: rows 6 + 2 − 3 + 1 = 6, cols ⌊(6 − 1)/2⌋ + 1 = 3;
  // max 2 dilation 2 spans 3: rows 6 − 3 + 1 = 4, cols 3 − 3 + 1 = 1 → 4·4·1 = 16 for the Linear.
  EXPECT_EQ(ExpectEverySteppableRowMatchesTheSummary(summary), 6);
  ASSERT_GE(summary.layers.size(), 8u);  // Input, Conv2d, ReLU, MaxPool2d, Conv2d, AvgPool2d, Conv2d, MaxPool2d, ...
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{6, 14, 14}));
  EXPECT_EQ(summary.layers[6].output_shape, (Shape{4, 6, 3}));
  EXPECT_EQ(summary.layers[7].output_shape, (Shape{4, 4, 1}));
}

TEST(layer_scene, every_pytorch_class_form_conv_and_pool_row_replays_including_functional_pooling) {
  const ModelSummary summary = MustSummarize(kTorchClassNet);
  // conv1 32 → 28, pool 14, conv2 10, pool (called again) 5, F.max_pool2d pad 1 keeps 5, F.avg_pool2d 2
  // stride 1 gives 4: six steppable rows, the second self.pool sharing (no) parameters.
  EXPECT_EQ(ExpectEverySteppableRowMatchesTheSummary(summary), 6);
}

TEST(layer_scene, a_keras_same_convolution_keeps_its_input_size_and_counts_work_by_hand) {
  const ModelSummary summary = MustSummarize(kKerasStack);
  ASSERT_GE(summary.layers.size(), 2u);
  const Scene scene = SceneOf(summary.layers[1]);
  EXPECT_EQ(scene.layer.op, Op::kConv2d);
  EXPECT_EQ(scene.layer.padding.mode, PaddingMode::kSame);
  // Keras's (32, 32, 3) becomes the core's 3×32×32; 8 filters of 3×3 over 3 channels.
  EXPECT_EQ(scene.input.channels, 3);
  EXPECT_EQ(scene.input.height, 32);
  EXPECT_EQ(scene.input.width, 32);
  EXPECT_EQ(scene.weights.filters, 8);
  EXPECT_EQ(scene.weights.channels, 3);
  auto geometry = ResolveGeometry(scene);
  ASSERT_TRUE(geometry.ok());
  // 32·32 cells · 8 filters · 3·3·3 taps = 8,192 · 27 = 221,184.
  EXPECT_EQ(geometry.value().multiply_adds, 221184);
}

TEST(layer_scene, pytorch_padding_dilation_and_ceil_mode_reach_the_scene) {
  const ModelSummary summary = MustSummarize(kTorchStack);
  ASSERT_GE(summary.layers.size(), 5u);
  const Scene first = SceneOf(summary.layers[1]);
  EXPECT_EQ(first.layer.padding.mode, PaddingMode::kExplicit);
  EXPECT_EQ(first.layer.padding.sides.top, 2);
  EXPECT_EQ(first.layer.padding.sides.bottom, 2);
  EXPECT_EQ(first.layer.padding.sides.left, 2);
  EXPECT_EQ(first.layer.padding.sides.right, 2);
  const Scene pool = SceneOf(summary.layers[3]);
  EXPECT_EQ(pool.layer.op, Op::kMaxPool2d);
  EXPECT_TRUE(pool.layer.ceil_mode);
  EXPECT_EQ(pool.layer.stride.rows, 2);
  EXPECT_EQ(pool.layer.kernel.rows, 3);
  const Scene dilated = SceneOf(summary.layers[4]);
  EXPECT_EQ(dilated.layer.dilation.rows, 2);
  EXPECT_EQ(dilated.layer.dilation.cols, 2);
  // PyTorch's (6, 14, 14) is already channels first.
  EXPECT_EQ(dilated.input.channels, 6);
  EXPECT_EQ(dilated.input.height, 14);
}

TEST(layer_scene, pooling_strides_default_to_the_window_in_keras_and_pytorch) {
  const Scene keras = SceneOf(MustSummarize("Input(8, 8, 1)\nMaxPooling2D((2, 2))\n").layers.at(1));
  EXPECT_EQ(keras.layer.stride.rows, 2);
  EXPECT_EQ(keras.layer.stride.cols, 2);
  const Scene torch = SceneOf(MustSummarize("Input(1, 9, 9)\nnn.MaxPool2d(3)\n").layers.at(1));
  EXPECT_EQ(torch.layer.stride.rows, 3);
  EXPECT_EQ(torch.layer.stride.cols, 3);
}

TEST(layer_scene, the_same_seed_gives_the_same_values_and_another_seed_other_values) {
  const ModelSummary summary = MustSummarize(kKerasStack);
  const ModelLayer& layer = summary.layers.at(1);
  const Scene once = SceneOf(layer, 7);
  const Scene again = SceneOf(layer, 7);
  const Scene other = SceneOf(layer, 8);
  EXPECT_EQ(once.input.values, again.input.values);
  EXPECT_EQ(once.weights.values, again.weights.values);
  EXPECT_EQ(once.bias, again.bias);
  EXPECT_NE(once.input.values, other.input.values);
  // Input and weights come from different seeds: their first values do not run in step.
  const std::vector<float> input_head(once.input.values.begin(), once.input.values.begin() + 27);
  EXPECT_NE(input_head, once.weights.values.size() >= 27
                            ? std::vector<float>(once.weights.values.begin(), once.weights.values.begin() + 27)
                            : std::vector<float>{});
}

TEST(layer_scene, generated_values_are_small_integers) {
  const Scene scene = SceneOf(MustSummarize(kKerasStack).layers.at(1));
  const auto small_integer = [](float value) { return value == static_cast<float>(static_cast<int>(value)) && value >= -9 && value <= 9; };
  EXPECT_TRUE(std::all_of(scene.input.values.begin(), scene.input.values.end(), small_integer));
  EXPECT_TRUE(std::all_of(scene.weights.values.begin(), scene.weights.values.end(), small_integer));
  EXPECT_TRUE(std::all_of(scene.bias.begin(), scene.bias.end(), small_integer));
  // Not all one value: the learner should see different numbers in the grid.
  EXPECT_NE(std::count(scene.input.values.begin(), scene.input.values.end(), scene.input.values.front()),
            static_cast<std::ptrdiff_t>(scene.input.values.size()));
}

TEST(layer_scene, there_is_one_bias_per_filter_exactly_when_the_layer_uses_bias) {
  const ModelSummary keras = MustSummarize(kKerasStack);
  EXPECT_EQ(SceneOf(keras.layers.at(1)).bias.size(), 8u);       // Conv2D(8, ...) with the default bias
  EXPECT_TRUE(SceneOf(keras.layers.at(4)).bias.empty());        // use_bias=False
  const ModelSummary torch = MustSummarize(kTorchStack);
  EXPECT_EQ(SceneOf(torch.layers.at(1)).bias.size(), 6u);       // nn.Conv2d(3, 6, 5, padding=2)
  EXPECT_TRUE(SceneOf(torch.layers.at(4)).bias.empty());        // bias=False
}

TEST(layer_scene, pooling_has_no_weights_and_no_bias) {
  const ModelSummary keras = MustSummarize(kKerasStack);
  const Scene max_pool = SceneOf(keras.layers.at(3));
  EXPECT_EQ(max_pool.layer.op, Op::kMaxPool2d);
  const Scene avg_pool = SceneOf(keras.layers.at(5));
  EXPECT_EQ(avg_pool.layer.op, Op::kAvgPool2d);
  for (const Scene* scene : {&max_pool, &avg_pool}) {
    EXPECT_EQ(scene->weights.filters, 0);
    EXPECT_TRUE(scene->weights.values.empty());
    EXPECT_TRUE(scene->bias.empty());
    EXPECT_FALSE(scene->input.values.empty());
  }
}

TEST(layer_scene, dense_flatten_and_batch_norm_rows_are_refused_naming_the_kind_and_line) {
  const ModelSummary summary = MustSummarize(kKerasStack);
  ASSERT_EQ(summary.layers.size(), 9u);
  // Rows 6, 7, 8 are BatchNormalization (line 8), Flatten (line 9), Dense (line 10).
  const char* kinds[] = {"BatchNormalization", "Flatten", "Dense"};
  for (int i = 0; i < 3; ++i) {
    const ModelLayer& layer = summary.layers[static_cast<std::size_t>(6 + i)];
    EXPECT_FALSE(IsSteppableLayer(layer));
    auto scene = LayerScene(layer);
    ASSERT_FALSE(scene.ok());
    EXPECT_NE(scene.error().message.find(kinds[i]), std::string::npos) << scene.error().message;
    EXPECT_NE(scene.error().message.find("line " + std::to_string(8 + i)), std::string::npos) << scene.error().message;
    EXPECT_EQ(scene.error().line, 8 + i);
  }
}

TEST(layer_scene, the_input_row_and_global_and_adaptive_pooling_are_not_steppable) {
  const ModelSummary keras = MustSummarize("Input(8, 8, 2)\nGlobalAveragePooling2D()\n");
  EXPECT_FALSE(IsSteppableLayer(keras.layers.at(0)));
  EXPECT_FALSE(IsSteppableLayer(keras.layers.at(1)));
  auto global = LayerScene(keras.layers.at(1));
  ASSERT_FALSE(global.ok());
  EXPECT_NE(global.error().message.find("GlobalAveragePooling2D"), std::string::npos);
  const ModelSummary torch = MustSummarize("Input(2, 8, 8)\nnn.BatchNorm2d(2)\nnn.AdaptiveAvgPool2d((1, 1))\n");
  EXPECT_FALSE(IsSteppableLayer(torch.layers.at(1)));
  EXPECT_FALSE(IsSteppableLayer(torch.layers.at(2)));
  auto batch_norm = LayerScene(torch.layers.at(1));
  ASSERT_FALSE(batch_norm.ok());
  EXPECT_NE(batch_norm.error().message.find("BatchNorm2d"), std::string::npos);
}

// Row 1 of `code` is refused, and its message holds every one of `parts` (the layer, its count,
// the limit).
void ExpectRowOneRefusedSaying(std::string_view code, std::initializer_list<const char*> parts) {
  const ModelSummary summary = MustSummarize(code);
  const auto scene = LayerScene(summary.layers.at(1));
  ASSERT_FALSE(scene.ok()) << code;
  const std::string& message = scene.error().message;
  for (const char* part : parts) EXPECT_NE(message.find(part), std::string::npos) << message;
}

TEST(layer_scene, a_layer_with_too_many_input_values_is_refused_with_its_count_and_the_limit) {
  // 256·256·64 = 65,536·64 = 4,194,304 input values, over 4,000,000.
  const std::string_view code = "Input(256, 256, 64)\nConv2D(64, 3)\n";
  EXPECT_TRUE(IsSteppableLayer(MustSummarize(code).layers.at(1)));
  ExpectRowOneRefusedSaying(code, {"Conv2D", "line 2", "4,194,304", "4,000,000"});
}

TEST(layer_scene, a_layer_with_too_many_multiply_adds_is_refused_with_its_count_and_the_limit) {
  // 128·128·128 = 2,097,152 input values and 126·126·192 = 3,048,192 output values are fine, but
  // each output value takes 3·3·128 = 1,152 taps: 3,511,517,184 multiply-adds, over 2,000,000,000.
  ExpectRowOneRefusedSaying("Input(128, 128, 128)\nConv2D(192, 3)\n", {"Conv2D", "3,511,517,184", "2,000,000,000"});
}

TEST(layer_scene, pooling_layers_whose_whole_layer_path_is_a_plain_loop_have_a_lower_limit) {
  // 16·200·200 output values, each the largest of 9·9 cells: 51,840,000, over 20,000,000.
  ExpectRowOneRefusedSaying("Input(16, 200, 200)\nnn.MaxPool2d(9, stride=1, padding=4)\n", {"51,840,000", "20,000,000"});
  // The same work in a grouped convolution runs on the fast path: 16·200·200 · 9·9 taps · 1 channel a group.
  const ModelSummary grouped = MustSummarize("Input(16, 200, 200)\nnn.Conv2d(16, 16, 9, padding=4, groups=16)\n");
  EXPECT_TRUE(LayerScene(grouped.layers.at(1)).ok());
}

TEST(layer_scene, transposed_layers_have_the_convolutions_limit_counting_the_zeros_their_kernel_reaches) {
  // Each input value scatters 3·3 taps into 64 maps: 48·48·64 · 9 · 64 = 84,934,656, under 2,000,000,000.
  const ModelSummary fits = MustSummarize("Input(48, 48, 64)\nConv2DTranspose(64, 3)\n");
  EXPECT_TRUE(LayerScene(fits.layers.at(1)).ok());
  // 64·64·256 · 9 · 256 = 2,415,919,104 products (1,115,136 output values, 66·66·256, are fine).
  ExpectRowOneRefusedSaying("Input(64, 64, 256)\nConv2DTranspose(256, 3)\n",
                            {"2,415,919,104 multiply-adds", "2,000,000,000"});
  // A 2×2 input under a 30×30 kernel: 2·2·64 · 900 · 64 = 14,745,600 products, but each output
  // phase's convolution covers the 31·31 cells with the zeros around the input: 31·30 per axis,
  // 930 · 930 · 64 filters · 64 channels = 3,542,630,400 multiply-adds.
  ExpectRowOneRefusedSaying("Input(2, 2, 64)\nConv2DTranspose(64, 30)\n",
                            {"3,542,630,400 multiply-adds counting the zeros"});
}

TEST(layer_scene, a_layer_with_too_many_output_values_is_refused_with_its_count_and_the_limit) {
  // The first layer of the original U-Net on its 572-pixel tile: only 187,142,400 multiply-adds,
  // but 570·570·64 = 20,793,600 output values, over 4,000,000.
  ExpectRowOneRefusedSaying("Input(572, 572, 1)\nConv2D(64, 3)\n", {"Conv2D", "20,793,600 output values", "4,000,000"});
}

TEST(layer_scene, a_transposed_layer_that_spreads_few_inputs_over_too_many_outputs_is_refused) {
  // 1×1 kernel, stride 16 over 200·200·1: only 40,000 multiply-adds, but Keras's 'valid' makes
  // n·s + max(k − s, 0) = 3,200 cells a side: 10,240,000 output values, over 4,000,000.
  ExpectRowOneRefusedSaying("Input(200, 200, 1)\nConv2DTranspose(1, 1, strides=16)\n",
                            {"Conv2DTranspose", "10,240,000 output values"});
}

TEST(layer_scene, real_architectures_layers_at_their_real_size_are_steppable) {
  // ResNet's 7×7 stride 2 on a 224-pixel photo: 112·112·64 = 802,816 outputs · 7·7·3 taps = 118,013,952 multiply-adds.
  const ModelSummary resnet = MustSummarize("Input(224, 224, 3)\nConv2D(64, 7, strides=2, padding='same')\n");
  const Scene first = SceneOf(resnet.layers.at(1));
  EXPECT_EQ(first.weights.values.size(), 64u * 3u * 7u * 7u);
  const Geometry resnet_geometry = convtutor::testing::MustResolve(first);
  EXPECT_EQ(resnet_geometry.out_height, 112);
  // VGG's second layer, the largest of VGG-16 and VGG-19: 224·224·64 = 3,211,264 input and output
  // values (under 4,000,000 each) · 3·3·64 taps = 1,849,688,064 multiply-adds (under 2,000,000,000).
  const ModelSummary vgg = MustSummarize("Input(224, 224, 64)\nConv2D(64, 3, padding='same')\n");
  EXPECT_EQ(vgg.layers.at(1).multiply_adds, 1849688064);
  const Geometry geometry = convtutor::testing::MustResolve(SceneOf(vgg.layers.at(1)));
  EXPECT_EQ(std::int64_t{geometry.out_channels} * geometry.out_height * geometry.out_width, 3211264);
  // The Keras model of 32 then 64 filters on a 300-pixel RGB image that learners ask about: 298·298·32 = 2,841,728 outputs.
  const ModelSummary keras = MustSummarize(
      "Input(300, 300, 3)\nConv2D(32, (3, 3), activation='relu')\nMaxPooling2D(2, 2)\nConv2D(64, (3, 3), activation='relu')\n");
  for (int row : {1, 2, 3}) EXPECT_TRUE(LayerScene(keras.layers.at(static_cast<std::size_t>(row))).ok()) << row;
}

TEST(layer_scene, a_layer_just_under_both_limits_is_accepted) {
  // 2,000·2,000·1 = 4,000,000 values (the limit itself); 2×2 pooling: 1,000·1,000 cells · 4 taps = 4,000,000.
  const ModelSummary summary = MustSummarize("Input(2000, 2000, 1)\nMaxPooling2D((2, 2))\n");
  const Scene scene = SceneOf(summary.layers.at(1));
  EXPECT_EQ(scene.input.values.size(), 4000000u);
}

TEST(layer_scene, avg_pool_count_include_pad_false_divides_the_corner_by_its_real_cells) {
  const ModelSummary summary =
      MustSummarize("Input(1, 4, 4)\nnn.AvgPool2d(3, stride=1, padding=1, count_include_pad = False)\n");
  const Scene scene = SceneOf(summary.layers.at(1));
  EXPECT_FALSE(scene.layer.count_include_pad);
  auto geometry = ResolveGeometry(scene);
  ASSERT_TRUE(geometry.ok());
  const convtutor::Volume output = convtutor::Forward(scene, geometry.value());
  // The top-left 3×3 window over padding 1 holds only the real cells (0..1, 0..1): their mean, not their sum / 9.
  const float real_sum = scene.input.At(0, 0, 0) + scene.input.At(0, 0, 1) + scene.input.At(0, 1, 0) + scene.input.At(0, 1, 1);
  EXPECT_FLOAT_EQ(output.At(0, 0, 0), real_sum / 4.0f);
}

TEST(layer_scene, avg_pool_keeps_pytorchs_default_of_counting_padding) {
  const ModelSummary summary = MustSummarize("Input(1, 4, 4)\nnn.AvgPool2d(3, stride=1, padding=1)\n");
  EXPECT_TRUE(SceneOf(summary.layers.at(1)).layer.count_include_pad);
}

TEST(layer_scene, avg_pool_with_a_divisor_override_is_refused) {
  const ModelSummary summary = MustSummarize("Input(1, 4, 4)\nnn.AvgPool2d(2, divisor_override=3)\n");
  auto scene = LayerScene(summary.layers.at(1));
  ASSERT_FALSE(scene.ok());
  EXPECT_NE(scene.error().message.find("divisor_override"), std::string::npos) << scene.error().message;
}

TEST(layer_scene, every_row_plays_one_cell_step_per_summary_output_value_ending_on_the_forward_result) {
  int played = 0;
  for (const char* text : {kKerasStack, kTorchStack, kTorchClassNet}) {
    const ModelSummary summary = MustSummarize(text);
    for (const ModelLayer& layer : summary.layers) {
      if (!IsSteppableLayer(layer)) continue;
      SCOPED_TRACE(layer.source);
      const Scene scene = SceneOf(layer);
      auto geometry = ResolveGeometry(scene);
      ASSERT_TRUE(geometry.ok());
      const Shape& out = layer.output_shape;
      const std::int64_t cells = std::int64_t{out[0]} * out[1] * out[2];
      ASSERT_EQ(convtutor::StepCount(scene, geometry.value(), convtutor::Level::kCell), cells);
      const convtutor::Step last = convtutor::StepAt(scene, geometry.value(), convtutor::Level::kCell, cells - 1);
      const convtutor::Volume output = convtutor::Forward(scene, geometry.value());
      EXPECT_EQ(last.value, output.At(output.channels - 1, output.height - 1, output.width - 1));
      ++played;
    }
  }
  EXPECT_EQ(played, 5 + 6 + 6);
}

TEST(layer_scene, transposed_grouped_and_depthwise_rows_replay_to_the_summary_shape_work_and_parameters) {
  // Keras: 'valid' transposed 5·2 + max(3 − 2, 0) = 11; 'same' with k − s = 4 − 2 even: 11·2 = 22;
  // depthwise m = 2 on 4 channels: 8 maps, 22 − 3 + 1 = 20; groups=2 conv 8 → 4.
  const ModelSummary keras = MustSummarize(
      "inputs = keras.Input(shape=(5, 5, 4))\n"
      "x = layers.Conv2DTranspose(4, 3, strides=2)(inputs)\n"
      "x = layers.Conv2DTranspose(4, 4, strides=2, padding='same')(x)\n"
      "x = layers.DepthwiseConv2D(3, depth_multiplier=2)(x)\n"
      "x = layers.Conv2D(4, 3, groups=2)(x)\n");
  EXPECT_EQ(ExpectEverySteppableRowMatchesTheSummary(keras), 4);
  EXPECT_EQ(keras.layers[2].output_shape, (Shape{22, 22, 4}));
  // PyTorch: the golden model's transposed rows (output_padding, groups, dilation, uneven padding)
  // and a depthwise plus grouped pair.
  const ModelSummary torch = MustSummarize(
      "x = torch.randn(1, 8, 5, 7)\n"
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.up1 = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1, groups=2)\n"
      "        self.up2 = nn.ConvTranspose2d(6, 4, (3, 5), stride=(2, 1), padding=(0, 2), dilation=2, bias=False)\n"
      "        self.depthwise = nn.Conv2d(4, 4, 3, groups=4)\n"
      "        self.grouped = nn.Conv2d(4, 6, 1, groups=2)\n"
      "    def forward(self, x):\n"
      "        return self.grouped(self.depthwise(self.up2(self.up1(x))))\n");
  EXPECT_EQ(ExpectEverySteppableRowMatchesTheSummary(torch), 4);
  const Scene up1 = SceneOf(torch.layers[1]);
  EXPECT_EQ(up1.layer.op, Op::kConvTranspose2d);
  EXPECT_EQ(up1.layer.groups, 2);
  EXPECT_EQ(up1.layer.output_padding.rows, 1);
  EXPECT_EQ(up1.weights.channels, 8 / 2);
}

TEST(layer_scene, a_separable_row_plays_its_depthwise_part) {
  // SeparableConv2D(16, 3, depth_multiplier=2) on 3 channels: the stage shows the 3·2 = 6 depthwise
  // maps of 6 − 3 + 1 = 4, each filter seeing one channel, without the 1×1 part's bias.
  const ModelSummary summary = MustSummarize("Input(6, 6, 3)\nSeparableConv2D(16, 3, depth_multiplier=2)\n");
  const Scene scene = SceneOf(summary.layers[1]);
  EXPECT_EQ(scene.layer.op, Op::kConv2d);
  EXPECT_EQ(scene.layer.groups, 3);
  EXPECT_EQ(scene.weights.filters, 6);
  EXPECT_EQ(scene.weights.channels, 1);
  EXPECT_TRUE(scene.bias.empty());
  const Geometry geometry = ResolveGeometry(scene).value();
  EXPECT_EQ(geometry.out_height, summary.layers[1].output_shape[0]);
  EXPECT_EQ(geometry.out_channels, 6);
}

TEST(layer_scene, a_keras_same_transposed_row_that_crops_unevenly_is_refused_in_plain_words) {
  // k − s = 3 − 2 = 1 cell to crop: TensorFlow takes it at the end only.
  const ModelSummary summary = MustSummarize("Input(4, 4, 1)\nConv2DTranspose(1, 3, strides=2, padding='same')\n");
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{8, 8, 1}));
  const auto scene = LayerScene(summary.layers[1]);
  ASSERT_FALSE(scene.ok());
  EXPECT_NE(scene.error().message.find("one cell more at the end"), std::string::npos) << scene.error().message;
}

// A model run on a picture: each row receives what the rows before it made of it.
convtutor::Volume TestPicture(int channels, int height, int width) {
  convtutor::Volume picture = convtutor::Volume::Zeros(channels, height, width);
  for (std::size_t i = 0; i < picture.values.size(); ++i) picture.values[i] = static_cast<float>(i % 7) / 7.0f;
  return picture;
}

TEST(layer_input, the_first_layer_receives_the_model_input_itself) {
  const ModelSummary summary = MustSummarize("Input(6, 6, 1)\nConv2D(2, 3)\n");
  const auto input = LayerInputFrom(summary, 1, TestPicture(1, 6, 6));
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(input->values, TestPicture(1, 6, 6).values);
}

// Row 1's convolution run on the test picture, as its own scene (generated weights, seed 1), as
// the chain passes it on: divided by the largest of its values' sizes.
convtutor::Volume ConvolvedTestPicture(const ModelSummary& summary) {
  Scene conv = SceneOf(summary.layers.at(1));
  conv.input = TestPicture(conv.input.channels, conv.input.height, conv.input.width);
  convtutor::Volume sums = convtutor::Forward(conv, ResolveGeometry(conv).value());
  float largest = 0.0f;
  for (float value : sums.values) largest = std::max(largest, std::fabs(value));
  EXPECT_GT(largest, 0.0f);
  for (float& value : sums.values) value /= largest;
  return sums;
}

TEST(layer_input, a_pooling_layer_receives_the_convolution_of_the_picture_after_its_relu) {
  const ModelSummary summary = MustSummarize("Input(6, 6, 1)\nConv2D(2, 3, activation='relu')\nMaxPooling2D(2)\n");
  const auto pooled_input = LayerInputFrom(summary, 2, TestPicture(1, 6, 6));
  ASSERT_TRUE(pooled_input.has_value());
  // The convolution row's own scene, run on the picture, scaled to ±1, then max(0, ·): 2 maps of 4×4.
  convtutor::Volume expected = ConvolvedTestPicture(summary);
  // The generated weights make some sums negative, so the ReLU has something to do.
  ASSERT_TRUE(std::any_of(expected.values.begin(), expected.values.end(), [](float v) { return v < 0.0f; }));
  for (float& value : expected.values) value = std::max(value, 0.0f);
  EXPECT_EQ(pooled_input->channels, 2);
  EXPECT_EQ(pooled_input->height, 4);
  EXPECT_EQ(pooled_input->values, expected.values);
}

TEST(layer_input, relu_modules_relu_layers_and_tf_nn_relu_pass_max_0_of_the_convolution_on) {
  // Row 1 a convolution, then its ReLU written three ways (PyTorch's module, as torchvision's VGG
  // writes it; Keras's layer; a TensorFlow function as the convolution's activation), then a pool.
  for (const auto& [code, pool_row] : std::vector<std::pair<std::string, int>>{
           {"Input(1, 6, 6)\nnn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(inplace=True), nn.MaxPool2d(2))\n", 3},
           {"Input(1, 6, 6)\nnn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(True), nn.MaxPool2d(2))\n", 3},
           {"Input(6, 6, 1)\nConv2D(2, 3)\nReLU()\nMaxPooling2D(2)\n", 3},
           {"Input(6, 6, 1)\nConv2D(2, 3, activation=tf.nn.relu)\nMaxPooling2D(2)\n", 2}}) {
    SCOPED_TRACE(code);
    const ModelSummary summary = MustSummarize(code);
    convtutor::Volume expected = ConvolvedTestPicture(summary);
    ASSERT_TRUE(std::any_of(expected.values.begin(), expected.values.end(), [](float v) { return v < 0.0f; }));
    for (float& value : expected.values) value = std::max(value, 0.0f);
    const auto pooled_input = LayerInputFrom(summary, pool_row, TestPicture(1, 6, 6));
    ASSERT_TRUE(pooled_input.has_value());
    EXPECT_EQ(pooled_input->values, expected.values);
  }
}

TEST(layer_input, sigmoid_tanh_relu6_and_linear_activations_are_run_on_the_way) {
  // Five 5×5 filters; scaled to ±1 the sums stay under ReLU6's cap, and some are below 0.
  const ModelSummary six = MustSummarize("Input(1, 8, 8)\nnn.Sequential(nn.Conv2d(1, 5, 5), nn.ReLU6(), nn.MaxPool2d(2))\n");
  const convtutor::Volume sums = ConvolvedTestPicture(six);
  ASSERT_TRUE(std::any_of(sums.values.begin(), sums.values.end(), [](float v) { return v < 0.0f; }));
  const auto clamped = LayerInputFrom(six, 3, TestPicture(1, 8, 8));
  ASSERT_TRUE(clamped.has_value());
  ASSERT_EQ(clamped->values.size(), sums.values.size());
  for (std::size_t i = 0; i < sums.values.size(); ++i) {
    EXPECT_EQ(clamped->values[i], std::min(std::max(sums.values[i], 0.0f), 6.0f)) << i;
  }
  const auto run = [&](const char* activation) {
    const ModelSummary summary =
        MustSummarize(std::string("Input(8, 8, 1)\nConv2D(5, 5)\nActivation(") + activation + ")\nMaxPooling2D(2)\n");
    const auto input = LayerInputFrom(summary, 3, TestPicture(1, 8, 8));
    EXPECT_TRUE(input.has_value()) << activation;
    return input.value_or(convtutor::Volume{});
  };
  const convtutor::Volume keras_sums = ConvolvedTestPicture(MustSummarize("Input(8, 8, 1)\nConv2D(5, 5)\n"));
  const convtutor::Volume sigmoid = run("'sigmoid'");
  const convtutor::Volume tanh = run("activation=tf.nn.tanh");
  const convtutor::Volume linear = run("'linear'");
  ASSERT_EQ(sigmoid.values.size(), keras_sums.values.size());
  ASSERT_EQ(tanh.values.size(), keras_sums.values.size());
  EXPECT_EQ(linear.values, keras_sums.values);
  for (std::size_t i = 0; i < keras_sums.values.size(); ++i) {
    EXPECT_FLOAT_EQ(sigmoid.values[i], 1.0f / (1.0f + std::exp(-keras_sums.values[i]))) << i;
    EXPECT_FLOAT_EQ(tanh.values[i], std::tanh(keras_sums.values[i])) << i;
  }
}

TEST(layer_input, an_activation_the_tutor_does_not_run_ends_the_chain_rather_than_passing_values_on) {
  // Each once passed its input on unchanged, or (a capped ReLU, whose name holds "relu") was taken
  // for max(0, x); a slope the text names rather than writes cannot be known before running.
  for (const char* code : {"Input(6, 6, 1)\nConv2D(2, 3)\nReLU(max_value=6)\nMaxPooling2D(2)\n",
                           "Input(6, 6, 1)\nConv2D(2, 3)\nReLU(6.0)\nMaxPooling2D(2)\n",
                           "Input(6, 6, 1)\nConv2D(2, 3)\nActivation('softmax')\nMaxPooling2D(2)\n",
                           "Input(6, 6, 1)\nConv2D(2, 3, activation='hard_sigmoid')\nMaxPooling2D(2)\n",
                           "Input(6, 6, 1)\nConv2D(2, 3)\nLeakyReLU(alpha=slope)\nMaxPooling2D(2)\n",
                           "Input(1, 6, 6)\nnn.Sequential(nn.Conv2d(1, 2, 3), nn.Softplus(beta=2), nn.MaxPool2d(2))\n",
                           "Input(1, 6, 6)\nnn.Sequential(nn.Conv2d(1, 2, 3), nn.GELU(approximate='cubic'), nn.MaxPool2d(2))\n",
                           "Input(1, 6, 6)\nnn.Sequential(nn.Conv2d(1, 2, 3), nn.LogSoftmax(dim=1), nn.MaxPool2d(2))\n"}) {
    const auto summary = SummarizeModel(code);
    ASSERT_TRUE(summary.ok()) << code << summary.error().message;
    EXPECT_FALSE(LayerInputFrom(summary.value(), static_cast<int>(summary.value().layers.size()) - 1, TestPicture(1, 6, 6))
                     .has_value())
        << code;
  }
}

// PyTorch's own outputs (tests/golden/make_activation_golden.py) of one row of values through an
// activation written as a Keras layer, a PyTorch module or a function in forward.
TEST(layer_input, leaky_relu_elu_gelu_silu_and_the_others_give_pytorchs_values_with_each_frameworks_defaults) {
  std::ifstream file(std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden/activation_cases.json");
  std::stringstream text;
  text << file.rdbuf();
  const nlohmann::json cases = nlohmann::json::parse(text.str())["cases"];
  ASSERT_GE(cases.size(), 20u);
  for (const nlohmann::json& item : cases) {
    const std::string code = item["model"].get<std::string>();
    const ModelSummary summary = MustSummarize(code);
    const std::vector<float> values = item["input"].get<std::vector<float>>();
    convtutor::Volume row = convtutor::Volume::Zeros(1, 1, static_cast<int>(values.size()));
    row.values = values;
    const auto made = LayerInputFrom(summary, static_cast<int>(summary.layers.size()) - 1, row);
    ASSERT_TRUE(made.has_value()) << code;
    const std::vector<float> expected = item["output"].get<std::vector<float>>();
    ASSERT_EQ(made->values.size(), expected.size()) << code;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_NEAR(made->values[i], expected[i], 1e-5 * std::max(1.0f, std::fabs(expected[i])))
          << code << " at " << values[i];
    }
  }
}

TEST(layer_input, a_layers_activation_keyword_runs_after_its_convolution) {
  // A 1×1 convolution's output (scaled to ±1, then 'elu'): the negative values become e^v − 1, the
  // positive ones stay; the same convolution without the keyword gives v itself.
  const ModelSummary plain = MustSummarize("Input(2, 2, 1)\nConv2D(1, 1)\nMaxPooling2D(1)\n");
  const ModelSummary elu = MustSummarize("Input(2, 2, 1)\nConv2D(1, 1, activation='elu')\nMaxPooling2D(1)\n");
  convtutor::Volume picture = convtutor::Volume::Zeros(1, 2, 2);
  picture.values = {-1.0f, -0.5f, 0.5f, 1.0f};
  const auto v = LayerInputFrom(plain, 2, picture);
  const auto e = LayerInputFrom(elu, 2, picture);
  ASSERT_TRUE(v.has_value() && e.has_value());
  for (std::size_t i = 0; i < 4; ++i) {
    const float value = v->values[i];
    EXPECT_FLOAT_EQ(e->values[i], value > 0.0f ? value : std::expm1(value)) << i;
  }
}

TEST(layer_input, dropout_and_batch_norm_pass_values_on_but_a_layer_the_tutor_cannot_run_ends_the_chain) {
  const ModelSummary passing = MustSummarize("Input(6, 6, 1)\nDropout(0.5)\nBatchNormalization()\nMaxPooling2D(2)\n");
  const auto input = LayerInputFrom(passing, 3, TestPicture(1, 6, 6));
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(input->values, TestPicture(1, 6, 6).values);
  // A layer the tutor cannot run (Keras's bicubic upsampling, TensorFlow's cubic): the pooling layer
  // after it keeps generated values.
  const ModelSummary ending = MustSummarize("Input(6, 6, 1)\nUpSampling2D(2, interpolation='bicubic')\nMaxPooling2D(2)\n");
  EXPECT_FALSE(LayerInputFrom(ending, 2, TestPicture(1, 6, 6)).has_value());
}

// What a PyTorch class gives the 1×1 max pool after `expression` of x (which passes its values
// on unchanged), with `module` made in __init__ as self.step when given, on an input of (1, 1, h, w).
std::optional<convtutor::Volume> TorchRunBeforeAPool(const std::string& expression, const convtutor::Volume& picture,
                                                     const std::string& module = "") {
  const ModelSummary summary = MustSummarize(
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n" +
      (module.empty() ? std::string() : "        self.step = " + module + "\n") +
      "        self.pool = nn.MaxPool2d(1)\n"
      "    def forward(self, x):\n"
      "        return self.pool(" + expression + ")\n"
      "x = torch.randn(1, 1, " + std::to_string(picture.height) + ", " + std::to_string(picture.width) + ")\n");
  return LayerInputFrom(summary, static_cast<int>(summary.layers.size()) - 1, picture);
}

TEST(layer_input, zero_padding_puts_the_picture_inside_its_zeros_on_each_side_as_written) {
  // ((top, bottom), (left, right)) = ((1, 0), (2, 1)): a 2×3 picture becomes 3×6, its cell (y, x) at (y + 1, x + 2).
  const ModelSummary keras = MustSummarize("Input(2, 3, 1)\nZeroPadding2D(((1, 0), (2, 1)))\nMaxPooling2D(1)\n");
  const convtutor::Volume picture = TestPicture(1, 2, 3);
  const auto padded = LayerInputFrom(keras, 2, picture);
  ASSERT_TRUE(padded.has_value());
  ASSERT_EQ(padded->height, 3);
  ASSERT_EQ(padded->width, 6);
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 6; ++x) {
      const bool inside = y >= 1 && x >= 2 && x < 5;
      EXPECT_EQ(padded->At(0, y, x), inside ? picture.At(0, y - 1, x - 2) : 0.0f) << y << "," << x;
    }
  }
  // PyTorch's F.pad takes [left, right, top, bottom]: the same padding written the other way round.
  const auto also = TorchRunBeforeAPool("F.pad(x, [2, 1, 1, 0])", picture);
  ASSERT_TRUE(also.has_value());
  EXPECT_EQ(also->values, padded->values);
}

TEST(layer_input, cropping_and_a_negative_pad_keep_the_cells_inside_the_cut) {
  // Cropping2D(((1, 0), (1, 1))) on a 3×4 picture keeps rows 1–2 and columns 1–2: cell (y, x) of
  // what it makes is the picture's (y + 1, x + 1). F.pad(x, [-1, -1, -1, 0]) is the same cut.
  const convtutor::Volume picture = TestPicture(1, 3, 4);
  const auto cropped = LayerInputFrom(MustSummarize("Input(3, 4, 1)\nCropping2D(((1, 0), (1, 1)))\nMaxPooling2D(1)\n"),
                                      2, picture);
  ASSERT_TRUE(cropped.has_value());
  ASSERT_EQ(cropped->height, 2);
  ASSERT_EQ(cropped->width, 2);
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 2; ++x) EXPECT_EQ(cropped->At(0, y, x), picture.At(0, y + 1, x + 1)) << y << "," << x;
  }
  const auto cut = TorchRunBeforeAPool("F.pad(x, [-1, -1, -1, 0])", picture);
  ASSERT_TRUE(cut.has_value());
  EXPECT_EQ(cut->values, cropped->values);
}

TEST(layer_input, upsampling_repeats_cells_or_blends_them_as_the_mode_says) {
  // One row, 0/7 and 1/7 (TestPicture), twice as wide.
  const convtutor::Volume picture = TestPicture(1, 1, 2);
  const float a = picture.values[0], b = picture.values[1];
  const auto nearest = LayerInputFrom(MustSummarize("Input(1, 2, 1)\nUpSampling2D((1, 2))\nMaxPooling2D(1)\n"), 2, picture);
  ASSERT_TRUE(nearest.has_value());
  EXPECT_EQ(nearest->values, (std::vector<float>{a, a, b, b}));
  // Bilinear, cell centres mapped (Keras's only way): cell 1 sits a quarter of the way from a to b.
  const auto blended =
      LayerInputFrom(MustSummarize("Input(1, 2, 1)\nUpSampling2D((1, 2), interpolation='bilinear')\nMaxPooling2D(1)\n"),
                     2, picture);
  ASSERT_TRUE(blended.has_value());
  ASSERT_EQ(blended->values.size(), 4u);
  EXPECT_FLOAT_EQ(blended->values[1], a + 0.25f * (b - a));
  EXPECT_FLOAT_EQ(blended->values[2], a + 0.75f * (b - a));
  // PyTorch: nn.UpsamplingBilinear2d lines up the corners (align_corners=True): three cells, the middle halfway.
  const auto torch_with = [&](const std::string& up) { return TorchRunBeforeAPool("self.step(x)", picture, up); };
  const auto aligned = torch_with("nn.UpsamplingBilinear2d(size=(1, 3))");
  ASSERT_TRUE(aligned.has_value());
  EXPECT_EQ(aligned->values, (std::vector<float>{a, (a + b) / 2.0f, b}));
  const auto aligned_too = torch_with("nn.Upsample(size=(1, 3), mode='bilinear', align_corners=True)");
  ASSERT_TRUE(aligned_too.has_value());
  EXPECT_EQ(aligned_too->values, aligned->values);
  const auto centred = torch_with("nn.Upsample(scale_factor=(1, 2), mode='bilinear')");
  ASSERT_TRUE(centred.has_value());
  EXPECT_EQ(centred->values, blended->values);
  // A mode the tutor does not compute ends the chain rather than passing wrong values on.
  EXPECT_FALSE(torch_with("nn.Upsample(scale_factor=2, mode='area')").has_value());
}

TEST(layer_input, a_separable_layer_passes_on_its_filters_maps_not_only_its_depthwise_part) {
  // Found by fuzz_model: the run passed on the depthwise maps the scene plays (2 channels · 1),
  // while the layer gives its 3 filters' maps, so the rows after it read the wrong size.
  const ModelSummary summary = MustSummarize("Input(4, 4, 2)\nSeparableConv2D(3, 3, padding='same')\nMaxPooling2D(1)\n");
  const auto input = LayerInputFrom(summary, 2, TestPicture(2, 4, 4));
  ASSERT_TRUE(input.has_value());
  EXPECT_EQ(input->channels, 3);
  EXPECT_EQ(input->height, 4);
  float largest = 0.0f;
  for (float value : input->values) largest = std::max(largest, std::fabs(value));
  EXPECT_FLOAT_EQ(largest, 1.0f) << "scaled to ±1 like every convolution on the way";
}

TEST(layer_input, a_concatenation_along_the_rows_is_not_taken_for_one_along_the_channels) {
  // Found by fuzz_model: Merge stacked channels whatever the axis; the row's own shape now decides.
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(4, 4, 1))\n"
      "a = layers.Conv2D(2, 1)(inputs)\n"
      "b = layers.Concatenate(axis=1)([a, a])\n"
      "c = layers.MaxPooling2D(1)(b)\n");
  ASSERT_EQ(summary.layers[2].output_shape, (Shape{8, 4, 2}));
  EXPECT_FALSE(LayerInputFrom(summary, 3, TestPicture(1, 4, 4)).has_value());
}

TEST(layer_input, a_squeeze_and_excitation_block_multiplies_each_map_by_its_own_weight) {
  // The block pools each of the conv's maps to one cell (nn.AdaptiveAvgPool2d(1)), turns the 16
  // means into 16 weights (two 1×1 convolutions, a ReLU, a sigmoid) and multiplies every cell of
  // map c by weight c: row 7 broadcasts (16, 1, 1) over (16, 8, 8).
  const ModelSummary summary = MustSummarize(
      "class SE(nn.Module):\n"
      "    def __init__(self, c):\n"
      "        super().__init__()\n"
      "        self.conv = nn.Conv2d(1, c, 3, padding=1)\n"
      "        self.pool = nn.AdaptiveAvgPool2d(1)\n"
      "        self.fc1 = nn.Conv2d(c, c // 4, 1)\n"
      "        self.fc2 = nn.Conv2d(c // 4, c, 1)\n"
      "        self.out = nn.Conv2d(c, c, 3)\n"
      "    def forward(self, x):\n"
      "        x = self.conv(x)\n"
      "        s = torch.sigmoid(self.fc2(F.relu(self.fc1(self.pool(x)))))\n"
      "        return self.out(x * s)\n"
      "model = SE(16)\n"
      "x = torch.randn(1, 1, 8, 8)\n");
  ASSERT_EQ(summary.layers[7].kind, "Multiply");
  const convtutor::Volume picture = TestPicture(1, 8, 8);
  const auto maps = LayerInputFrom(summary, 2, picture);      // what the pool reads: the conv's maps
  const auto weights = LayerInputFrom(summary, 7, picture);   // what the multiply reads first: the maps again
  const auto scaled = LayerInputFrom(summary, 8, picture);    // what the last conv reads: maps · weights
  ASSERT_TRUE(maps.has_value() && weights.has_value() && scaled.has_value());
  ASSERT_EQ(scaled->channels, 16);
  ASSERT_EQ(scaled->height, 8);
  // Each map is multiplied by one number in (0, 1), the same for all its cells.
  for (int c = 0; c < 16; ++c) {
    float weight = -1.0f;
    for (int y = 0; y < 8; ++y) {
      for (int x = 0; x < 8; ++x) {
        const float cell = maps->At(c, y, x);
        if (std::fabs(cell) < 1e-3f) continue;
        const float ratio = scaled->At(c, y, x) / cell;
        if (weight < 0.0f) weight = ratio;
        EXPECT_NEAR(ratio, weight, 1e-4f) << "map " << c;
      }
    }
    EXPECT_GT(weight, 0.0f) << "map " << c;
    EXPECT_LT(weight, 1.0f) << "map " << c;
  }
}

TEST(layer_input, keras_global_pooling_that_keeps_its_axes_gives_each_maps_mean_or_largest) {
  // GlobalAveragePooling2D(keepdims=True) on one 1×4 map of 1, 3, 2, −1: (1 + 3 + 2 − 1) / 4 = 1.25.
  convtutor::Volume picture = convtutor::Volume::Zeros(1, 1, 4);
  picture.values = {1.0f, 3.0f, 2.0f, -1.0f};
  const ModelSummary summary = MustSummarize("Input(1, 4, 1)\nGlobalAveragePooling2D(keepdims=True)\nMaxPooling2D(1)\n");
  ASSERT_EQ(summary.layers[1].output_shape, (Shape{1, 1, 1}));
  const auto mean = LayerInputFrom(summary, 2, picture);
  ASSERT_TRUE(mean.has_value());
  EXPECT_EQ(mean->values, (std::vector<float>{1.25f}));
  EXPECT_EQ(MustSummarize("Input(1, 4, 1)\nGlobalMaxPooling2D()\n").layers[1].output_shape, (Shape{1})) << "flat without it";
}

TEST(layer_input, adaptive_pooling_pools_to_the_rows_size) {
  // nn.AdaptiveMaxPool2d((1, 2)) over one row of four cells: the largest of each half.
  convtutor::Volume picture = convtutor::Volume::Zeros(1, 1, 4);
  picture.values = {1.0f, 3.0f, 2.0f, -1.0f};
  const auto pooled = TorchRunBeforeAPool("self.step(x)", picture, "nn.AdaptiveMaxPool2d((1, 2))");
  ASSERT_TRUE(pooled.has_value());
  EXPECT_EQ(pooled->values, (std::vector<float>{3.0f, 2.0f}));
}

TEST(layer_input, a_picture_goes_in_at_the_model_inputs_own_size_in_gray_or_rgb) {
  // One row of two pixels, gray 30 and 200; a 1×1×1 input takes the mean of both, (30 + 200) / 2.
  convtutor::Picture picture;
  picture.width = 2;
  picture.height = 1;
  picture.rgb = {30, 30, 30, 200, 200, 200};
  const auto gray = LayerInputFromPicture(MustSummarize("Input(1, 1, 1)\nConv2D(1, 1)\n"), 1, picture);
  ASSERT_TRUE(gray.has_value());
  ASSERT_EQ(gray->values.size(), 1u);
  EXPECT_FLOAT_EQ(gray->values[0], 115.0f / 255.0f);
  const auto rgb = LayerInputFromPicture(MustSummarize("Input(1, 2, 3)\nConv2D(1, 1)\n"), 1, picture);
  ASSERT_TRUE(rgb.has_value());
  EXPECT_EQ(rgb->channels, 3);
  EXPECT_EQ(rgb->width, 2);
  EXPECT_FLOAT_EQ(rgb->At(2, 0, 1), 200.0f / 255.0f);
  // Two channels are not a picture; nor is a first layer with no window.
  EXPECT_FALSE(LayerInputFromPicture(MustSummarize("Input(4, 4, 2)\nConv2D(1, 1)\n"), 1, picture).has_value());
  EXPECT_FALSE(LayerInputFromPicture(MustSummarize("Input(4, 4, 1)\nFlatten()\nDense(2)\n"), 1, picture).has_value());
}

TEST(layer_input, a_layer_after_a_merge_gets_the_sum_or_the_stacked_channels) {
  // x = conv(inputs); Add()([x, inputs]) then a pooling row: it receives conv(picture) (scaled to ±1) + picture.
  const ModelSummary added = MustSummarize(
      "inputs = keras.Input(shape=(4, 4, 1))\n"
      "x = layers.Conv2D(1, 3, padding='same')(inputs)\n"
      "y = layers.Add()([x, inputs])\n"
      "z = layers.MaxPooling2D(2)(y)\n"
      "w = layers.Concatenate()([x, inputs])\n"
      "v = layers.MaxPooling2D(2)(w)\n");
  const convtutor::Volume convolved = ConvolvedTestPicture(added);
  const auto sum = LayerInputFrom(added, 3, TestPicture(1, 4, 4));
  ASSERT_TRUE(sum.has_value());
  ASSERT_EQ(sum->values.size(), 16u);
  for (std::size_t i = 0; i < 16; ++i) EXPECT_EQ(sum->values[i], convolved.values[i] + TestPicture(1, 4, 4).values[i]);
  const auto stacked = LayerInputFrom(added, 5, TestPicture(1, 4, 4));
  ASSERT_TRUE(stacked.has_value());
  EXPECT_EQ(stacked->channels, 2);
  EXPECT_EQ(stacked->At(0, 1, 2), convolved.At(0, 1, 2));
  EXPECT_EQ(stacked->At(1, 1, 2), TestPicture(1, 4, 4).At(0, 1, 2));
}

TEST(layer_input, a_deep_stack_of_generated_convolutions_passes_values_of_at_most_1_on) {
  // Eight convolutions of 16 filters 3×3 over 16 channels: each sum adds 144 products of small
  // integers, so unscaled the values grew about a hundredfold a layer (10¹⁶ at the pool).
  std::string code = "Input(8, 8, 1)\nConv2D(16, 3, padding='same')\n";
  for (int layer = 0; layer < 7; ++layer) code += "Conv2D(16, 3, padding='same', activation='relu')\n";
  code += "MaxPooling2D(2)\n";
  const ModelSummary summary = MustSummarize(code);
  const auto pooled_input = LayerInputFrom(summary, 9, TestPicture(1, 8, 8));
  ASSERT_TRUE(pooled_input.has_value());
  float largest = 0.0f;
  for (float value : pooled_input->values) largest = std::max(largest, std::fabs(value));
  EXPECT_EQ(largest, 1.0f) << "the last convolution's largest output, scaled to 1";
}

TEST(layer_input, a_layer_whose_rows_before_it_need_too_much_work_keeps_generated_values) {
  // The rows to run count their summary's multiply-adds: at kMaxModelRunMultiplyAdds they run, one
  // more and the pooling row keeps generated values (the convolution itself is tiny here).
  ModelSummary summary = MustSummarize("Input(6, 6, 1)\nConv2D(2, 3)\nMaxPooling2D(2)\n");
  summary.layers[1].multiply_adds = convtutor::lessons::kMaxModelRunMultiplyAdds;
  EXPECT_TRUE(LayerInputFrom(summary, 2, TestPicture(1, 6, 6)).has_value());
  summary.layers[1].multiply_adds = convtutor::lessons::kMaxModelRunMultiplyAdds + 1;
  EXPECT_FALSE(LayerInputFrom(summary, 2, TestPicture(1, 6, 6)).has_value());
}

TEST(layer_input, a_model_input_of_another_size_is_not_followed) {
  const ModelSummary summary = MustSummarize("Input(6, 6, 1)\nConv2D(2, 3)\nMaxPooling2D(2)\n");
  EXPECT_FALSE(LayerInputFrom(summary, 2, TestPicture(1, 5, 6)).has_value());
}

TEST(model_run, runs_the_needed_rows_one_at_a_time_counting_their_work_and_ends_where_the_chain_ends) {
  // Rows 1–3 lead to the pool on row 4; row 2's branch (the 1×1 convolution on row 5) is not needed.
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(6, 6, 1))\n"
      "x = layers.Conv2D(2, 3, activation='relu')(inputs)\n"
      "y = layers.Conv2D(2, 1)(inputs)\n"
      "z = layers.MaxPooling2D(2)(x)\n"
      "w = layers.MaxPooling2D(2)(z)\n");
  convtutor::lessons::ModelRun run(summary, 4, TestPicture(1, 6, 6));
  EXPECT_EQ(run.RowsNeeded(), 3) << "the input, the first convolution and the first pool";
  EXPECT_EQ(run.MultiplyAddsNeeded(), summary.layers[1].multiply_adds + summary.layers[3].multiply_adds);
  std::vector<int> rows_run;
  std::int64_t work_seen = 0;
  while (!run.Done()) {
    rows_run.push_back(run.NextRow());
    EXPECT_FALSE(run.TakeResult().has_value()) << "no volume before the last row";
    run.RunNextRow();
    EXPECT_EQ(run.RowsRun(), static_cast<int>(rows_run.size()));
    EXPECT_GE(run.MultiplyAddsRun(), work_seen);
    work_seen = run.MultiplyAddsRun();
  }
  EXPECT_EQ(rows_run, (std::vector<int>{0, 1, 3}));
  EXPECT_EQ(run.NextRow(), -1);
  EXPECT_EQ(run.MultiplyAddsRun(), run.MultiplyAddsNeeded());
  const auto stepped = run.TakeResult();
  const auto whole = LayerInputFrom(summary, 4, TestPicture(1, 6, 6));
  ASSERT_TRUE(stepped.has_value());
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(stepped->values, whole->values);
  EXPECT_EQ(stepped->height, 2);
  EXPECT_FALSE(run.TakeResult().has_value()) << "taken once";
}

TEST(model_run, starts_from_a_known_rows_volume_and_ends_with_what_running_every_row_makes) {
  // Row 5 reads row 4, which reads rows 1–3; row 3's volume known, only row 4 is run (and for row 3
  // itself nothing at all).
  const ModelSummary summary = MustSummarize(
      "Input(8, 8, 1)\nConv2D(4, 3, padding='same', activation='relu')\nConv2D(4, 3, padding='same')\n"
      "Conv2D(4, 3, padding='same', activation='tanh')\nConv2D(4, 3, padding='same')\nMaxPooling2D(2)\n");
  const auto row3 = LayerInputFrom(summary, 4, TestPicture(1, 8, 8));
  const auto row4 = LayerInputFrom(summary, 5, TestPicture(1, 8, 8));
  ASSERT_TRUE(row3.has_value());
  ASSERT_TRUE(row4.has_value());
  convtutor::lessons::ModelRun deeper(summary, 5, TestPicture(1, 8, 8), 1, 3, *row3);
  EXPECT_EQ(deeper.RowsNeeded(), 1);
  EXPECT_EQ(deeper.NextRow(), 4);
  EXPECT_EQ(deeper.MultiplyAddsNeeded(), summary.layers[4].multiply_adds);
  while (!deeper.Done()) deeper.RunNextRow();
  const auto from_known = deeper.TakeResult();
  ASSERT_TRUE(from_known.has_value());
  EXPECT_EQ(from_known->values, row4->values);
  convtutor::lessons::ModelRun same(summary, 4, TestPicture(1, 8, 8), 1, 3, *row3);
  EXPECT_TRUE(same.Done());
  EXPECT_EQ(same.RowsNeeded(), 0);
  EXPECT_EQ(same.TakeResult()->values, row3->values);
  convtutor::lessons::ModelRun shallower(summary, 3, TestPicture(1, 8, 8), 1, 3, *row3);
  EXPECT_EQ(shallower.RowsNeeded(), 3) << "a known row after the wanted one is no help";
}

TEST(model_run, stops_at_the_row_it_cannot_follow_and_gives_nothing) {
  const ModelSummary summary = MustSummarize("Input(6, 6, 1)\nConv2D(2, 3)\nActivation('softmax')\nMaxPooling2D(2)\n");
  convtutor::lessons::ModelRun run(summary, 3, TestPicture(1, 6, 6));
  EXPECT_EQ(run.RowsNeeded(), 3);
  while (!run.Done()) run.RunNextRow();
  EXPECT_EQ(run.RowsRun(), 3) << "the input, the convolution, then the softmax ends it";
  EXPECT_FALSE(run.TakeResult().has_value());
  EXPECT_EQ(run.StoppedAtRow(), 2) << "the softmax row is named";
  EXPECT_FALSE(run.TooMuchWork());
}

TEST(model_run, too_much_work_on_the_way_is_done_at_once_with_nothing_run) {
  ModelSummary summary = MustSummarize("Input(6, 6, 1)\nConv2D(2, 3)\nMaxPooling2D(2)\n");
  summary.layers[1].multiply_adds = convtutor::lessons::kMaxModelRunMultiplyAdds + 1;
  convtutor::lessons::ModelRun run(summary, 2, TestPicture(1, 6, 6));
  EXPECT_TRUE(run.Done());
  EXPECT_EQ(run.RowsRun(), 0);
  EXPECT_FALSE(run.TakeResult().has_value());
  EXPECT_TRUE(run.TooMuchWork());
  EXPECT_EQ(run.StoppedAtRow(), -1);
  EXPECT_EQ(run.MultiplyAddsNeeded(), summary.layers[1].multiply_adds)
      << "the rows before the pooling row, as the learner is told";
}

}  // namespace
