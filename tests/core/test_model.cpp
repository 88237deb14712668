// Model summaries against hand-worked Keras numbers (worked out in the comments, independently of
// the code), PyTorch class-form models against PyTorch itself (tests/golden/model_cases.json), and
// the parser's tolerance of real Keras and PyTorch code and its errors with line numbers.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "convtutor/model.h"
#include "scene_builders.h"

namespace {

using convtutor::lessons::ModelSummary;
using convtutor::lessons::SummarizeModel;
using convtutor::testing::MustSummarize;
using Shape = std::vector<int>;

TEST(model, three_strided_convolutions_reproduce_the_hand_worked_keras_summary) {
  // 128 → ⌊(128 − 8)/2⌋ + 1 = 61 → ⌊(61 − 8)/2⌋ + 1 = 27 → ⌊(27 − 8)/2⌋ + 1 = 10.
  // Params: (8·8·3 + 1)·24 = 4,632; (8·8·24 + 1)·24 = 36,888 twice; Flatten 10·10·24 = 2,400;
  // Dense(1): 2,400 + 1 = 2,401.
  const ModelSummary summary = MustSummarize(
      "Input(128, 128, 3)\n"
      "Conv2D(24, kernel_size=(8,8), strides=(2,2))\n"
      "Conv2D(24, kernel_size=(8,8), strides=(2,2))\n"
      "Conv2D(24, kernel_size=(8,8), strides=(2,2))\n"
      "Flatten()\n"
      "Dense(1)\n");
  ASSERT_EQ(summary.layers.size(), 6u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{61, 61, 24}));
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{27, 27, 24}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{10, 10, 24}));
  EXPECT_EQ(summary.layers[1].parameters, 4632);
  EXPECT_EQ(summary.layers[2].parameters, 36888);
  EXPECT_EQ(summary.layers[3].parameters, 36888);
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{2400}));
  EXPECT_EQ(summary.layers[5].parameters, 2401);
  EXPECT_EQ(summary.total_parameters, 4632 + 36888 + 36888 + 2401);
  // Work: 61·61·24 outputs · 8·8·3 = 17,146,368; 27·27·24 · 8·8·24 = 26,873,856; 10·10·24 · 8·8·24 = 3,686,400;
  // Dense 2,400·1.
  EXPECT_EQ(summary.layers[1].multiply_adds, 17146368);
  EXPECT_EQ(summary.layers[2].multiply_adds, 26873856);
  EXPECT_EQ(summary.layers[3].multiply_adds, 3686400);
  EXPECT_EQ(summary.layers[4].multiply_adds, 0);
  EXPECT_EQ(summary.layers[5].multiply_adds, 2400);
  EXPECT_EQ(summary.total_multiply_adds, 17146368 + 26873856 + 3686400 + 2400);
}

TEST(model, cats_and_dogs_stack_shrinks_by_the_kernel_and_halves_at_each_pool) {
  // 300 − 3 + 1 = 298; ⌊298 / 2⌋ = 149; 149 − 3 + 1 = 147; ⌊(147 − 2)/2⌋ + 1 = 73.
  // Second conv: (3·3·32 + 1)·64 = 18,496; first: (3·3·3 + 1)·32 = 896.
  const ModelSummary summary = MustSummarize(
      "Input(300, 300, 3)\n"
      "Conv2D(32, (3, 3), activation='relu')\n"
      "MaxPooling2D((2, 2))\n"
      "Conv2D(64, (3, 3), activation='relu')\n"
      "MaxPooling2D(2)\n");
  ASSERT_EQ(summary.layers.size(), 5u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{298, 298, 32}));
  EXPECT_EQ(summary.layers[1].parameters, 896);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{149, 149, 32}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{147, 147, 64}));
  EXPECT_EQ(summary.layers[3].parameters, 18496);
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{73, 73, 64}));
  EXPECT_EQ(summary.layers[4].parameters, 0);
}

TEST(model, mnist_same_convolutions_keep_the_size_and_pools_halve_it) {
  // 28 same → 28, pool → 14, same → 14, pool → 7; 7·7·64 = 3,136 → Dense 1024 → 10.
  // Params: (5·5·1 + 1)·32 = 832; (5·5·32 + 1)·64 = 51,264; (3,136 + 1)·1,024 = 3,212,288;
  // (1,024 + 1)·10 = 10,250.
  const ModelSummary summary = MustSummarize(
      "Input(28, 28, 1)\n"
      "Conv2D(32, (5, 5), padding='same', activation='relu')\n"
      "MaxPooling2D((2, 2))\n"
      "Conv2D(64, (5, 5), padding='same', activation='relu')\n"
      "MaxPooling2D((2, 2))\n"
      "Flatten()\n"
      "Dense(1024, activation='relu')\n"
      "Dense(10)\n");
  ASSERT_EQ(summary.layers.size(), 8u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{28, 28, 32}));
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{14, 14, 32}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{14, 14, 64}));
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{7, 7, 64}));
  EXPECT_EQ(summary.layers[5].output_shape, (Shape{3136}));
  EXPECT_EQ(summary.layers[6].output_shape, (Shape{1024}));
  EXPECT_EQ(summary.layers[7].output_shape, (Shape{10}));
  EXPECT_EQ(summary.layers[1].parameters, 832);
  EXPECT_EQ(summary.layers[3].parameters, 51264);
  EXPECT_EQ(summary.layers[6].parameters, 3212288);
  EXPECT_EQ(summary.layers[7].parameters, 10250);
  EXPECT_EQ(summary.total_parameters, 832 + 51264 + 3212288 + 10250);
}

TEST(model, real_keras_code_with_prefixes_wrappers_and_comments_is_understood) {
  const ModelSummary summary = MustSummarize(
      "import tensorflow as tf\n"
      "from tensorflow import keras\n"
      "model = keras.Sequential([\n"
      "    keras.layers.Conv2D(filters=8, kernel_size=3, strides=1, padding='valid',\n"
      "                        input_shape=(10, 10, 1), name='conv'),  # first layer\n"
      "    tf.keras.layers.MaxPool2D(pool_size=2),\n"
      "    layers.Flatten(),\n"
      "    layers.Dense(units=4, activation=tf.nn.relu, kernel_regularizer=l2(0.01)),\n"
      "])\n"
      "model.add(keras.layers.Dense(1, use_bias=False))\n"
      "model.compile(optimizer='adam', loss='mse')\n");
  // 10 − 3 + 1 = 8; pool 2 → 4; 4·4·8 = 128; Dense(4): (128 + 1)·4 = 516; Dense(1) no bias: 4.
  ASSERT_EQ(summary.layers.size(), 6u);
  EXPECT_EQ(summary.layers[0].output_shape, (Shape{10, 10, 1}));
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{8, 8, 8}));
  EXPECT_EQ(summary.layers[1].line, 4);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{4, 4, 8}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{128}));
  EXPECT_EQ(summary.layers[4].parameters, 516);
  EXPECT_EQ(summary.layers[5].parameters, 4);
}

TEST(model, functional_style_calls_are_followed_in_order) {
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(32, 32, 3))\n"
      "x = layers.Conv2D(16, 3, padding='same')(inputs)\n"
      "x = layers.GlobalAveragePooling2D()(x)\n"
      "outputs = layers.Dense(10)(x)\n"
      "model = keras.Model(inputs, outputs)\n");
  // same keeps 32; global pooling leaves 16 values; (16 + 1)·10 = 170; conv (3·3·3 + 1)·16 = 448.
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{32, 32, 16}));
  EXPECT_EQ(summary.layers[1].parameters, 448);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{16}));
  EXPECT_EQ(summary.layers[3].parameters, 170);
}

TEST(model, same_pooling_with_an_odd_size_rounds_up) {
  // ⌈7 / 2⌉ = 4, while valid pooling floors: ⌊(7 − 2)/2⌋ + 1 = 3.
  const ModelSummary same = MustSummarize("Input(7, 7, 2)\nMaxPooling2D(2, padding='same')\n");
  const ModelSummary valid = MustSummarize("Input(7, 7, 2)\nMaxPooling2D(2)\n");
  ASSERT_EQ(same.layers.size(), 2u);
  ASSERT_EQ(valid.layers.size(), 2u);
  EXPECT_EQ(same.layers[1].output_shape, (Shape{4, 4, 2}));
  EXPECT_EQ(valid.layers[1].output_shape, (Shape{3, 3, 2}));
}

TEST(model, dilation_zero_padding_and_batch_norm_follow_keras_rules) {
  // ZeroPadding2D(1): 9 + 2 = 11; dilated 3×3 with rate 2 spans 5: 11 − 5 + 1 = 7;
  // BatchNormalization: 4 per channel (γ, β, moving mean, moving variance) = 4·6 = 24.
  const ModelSummary summary = MustSummarize(
      "Input(9, 9, 1)\nZeroPadding2D(1)\nConv2D(6, 3, dilation_rate=2)\nBatchNormalization()\n");
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{11, 11, 1}));
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{7, 7, 6}));
  EXPECT_EQ(summary.layers[3].parameters, 24);
}

TEST(model, upsampling_multiplies_each_side_by_its_factor_and_learns_nothing) {
  // UpSampling2D((2, 3)) on 5×4: 5·2 = 10 rows, 4·3 = 12 columns, the 3 channels kept.
  const ModelSummary summary = MustSummarize("Input(5, 4, 3)\nUpSampling2D((2, 3), interpolation='bilinear')\n");
  ASSERT_EQ(summary.layers.size(), 2u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{10, 12, 3}));
  EXPECT_EQ(summary.layers[1].parameters, 0);
  EXPECT_EQ(summary.layers[1].shape_formula, "5\xC2\xB7" "2 = 10 rows, 4\xC2\xB7" "3 = 12 columns");
  EXPECT_EQ(summary.layers[1].resize_mode, "bilinear");
  EXPECT_EQ(MustSummarize("Input(5, 4, 3)\nUpSampling2D()\n").layers[1].output_shape, (Shape{10, 8, 3}));
  const auto bad = SummarizeModel("Input(5, 4, 3)\nUpSampling2D(2,\n  interpolation=2)\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().line, 3);
  EXPECT_NE(bad.error().message.find("interpolation must be a name"), std::string::npos) << bad.error().message;
}

TEST(model, cropping_cuts_cells_off_each_side_and_refuses_to_cut_everything) {
  // Cropping2D(((2, 1), (0, 3))) on 8×9: 8 − 2 − 1 = 5 rows, 9 − 0 − 3 = 6 columns.
  const ModelSummary summary = MustSummarize("Input(8, 9, 2)\nCropping2D(((2, 1), (0, 3)))\n");
  ASSERT_EQ(summary.layers.size(), 2u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{5, 6, 2}));
  EXPECT_EQ(summary.layers[1].parameters, 0);
  EXPECT_EQ(summary.layers[1].shape_formula,
            "8 \xE2\x88\x92 2 \xE2\x88\x92 1 = 5 rows, 9 + 0 \xE2\x88\x92 3 = 6 columns");
  const auto everything = SummarizeModel("Input(8, 9, 2)\nCropping2D(4)\n");
  ASSERT_FALSE(everything.ok());
  EXPECT_EQ(everything.error().line, 2);
  EXPECT_NE(everything.error().message.find("leaves 0\xC3\x97" "1 cells"), std::string::npos) << everything.error().message;
  // Keras's ZeroPadding2D takes no negative padding (PyTorch's F.pad does: it crops).
  EXPECT_FALSE(SummarizeModel("Input(8, 9, 2)\nZeroPadding2D(-1)\n").ok());
}

TEST(model, the_arithmetic_is_spelled_out_with_the_layer_numbers) {
  const ModelSummary summary = MustSummarize("Input(128, 128, 3)\nConv2D(24, (8, 8), strides=(2, 2))\n");
  ASSERT_EQ(summary.layers.size(), 2u);
  EXPECT_NE(summary.layers[1].shape_formula.find("128"), std::string::npos);
  EXPECT_NE(summary.layers[1].parameters_formula.find("4,632"), std::string::npos);
}

TEST(model, an_unknown_argument_is_reported_on_its_line_with_the_keras_spelling) {
  const auto summary = SummarizeModel("Input(28, 28, 1)\nConv2D(32, 3,\n       stride=2)\n", 10);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 12);
  EXPECT_NE(summary.error().message.find("strides"), std::string::npos);
}

TEST(model, an_unknown_layer_is_named_with_its_line) {
  const auto summary = SummarizeModel("Input(28, 28, 1)\nConv2D(8, 3)\nConv3D(8, 3)\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 3);
  EXPECT_NE(summary.error().message.find("Conv3D"), std::string::npos);
}

TEST(model, a_first_layer_without_an_input_shape_is_refused) {
  const auto summary = SummarizeModel("Conv2D(8, 3)\nFlatten()\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 1);
  EXPECT_NE(summary.error().message.find("input_shape"), std::string::npos);
}

TEST(model, a_kernel_larger_than_its_input_is_refused_on_its_line) {
  const auto summary = SummarizeModel("Input(4, 4, 1)\nConv2D(8, 3)\nConv2D(8, 3)\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 3);
}

TEST(model, an_unclosed_call_names_the_line_where_it_should_have_closed) {
  const auto summary = SummarizeModel("Input(28, 28, 1)\nConv2D(32, (3, 3)\nDense(2)\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 3);
  EXPECT_NE(summary.error().message.find(")"), std::string::npos);
}

TEST(model, an_input_shape_with_none_is_refused_because_sizes_must_be_known) {
  const auto summary = SummarizeModel("Input(shape=(None, None, 3))\nConv2D(8, 3)\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.error().message.find("None"), std::string::npos);
}

TEST(model, text_without_layers_is_an_error_not_an_empty_summary) {
  EXPECT_FALSE(SummarizeModel("model.summary()\n").ok());
}

}  // namespace

namespace {

const char* kTorchStack =
    "import torch\n"
    "from torch import nn\n"
    "x = torch.randn(1, 3, 32, 32)\n"
    "model = nn.Sequential(\n"
    "    nn.Conv2d(3, 16, 3, padding=1),\n"
    "    nn.BatchNorm2d(16),\n"
    "    nn.ReLU(),\n"
    "    nn.MaxPool2d(2),\n"
    "    nn.Conv2d(16, 32, kernel_size=5),\n"
    "    nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),\n"
    "    nn.Flatten(),\n"
    "    nn.Linear(1152, 10),\n"
    ")\n";

TEST(model, a_pytorch_stack_is_summarised_channels_first) {
  // padding 1 keeps 32: ⌊(32 + 2 − 3)/1⌋ + 1 = 32, params (3·3·3 + 1)·16 = 448; BatchNorm2d: γ, β = 2·16 = 32;
  // pool 2 → 16; 16 − 5 + 1 = 12, params (5·5·16 + 1)·32 = 12,832; ceil_mode: ⌈(12 − 3)/2⌉ + 1 = 6
  // (floor would give 5); Flatten 32·6·6 = 1,152; Linear (1,152 + 1)·10 = 11,530.
  const ModelSummary summary = MustSummarize(kTorchStack);
  ASSERT_EQ(summary.layers.size(), 9u);
  EXPECT_TRUE(summary.channels_first);
  EXPECT_EQ(summary.layers[0].output_shape, (Shape{3, 32, 32}));
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{16, 32, 32}));
  EXPECT_EQ(summary.layers[1].parameters, 448);
  EXPECT_EQ(summary.layers[2].parameters, 32);
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{16, 16, 16}));
  EXPECT_EQ(summary.layers[5].output_shape, (Shape{32, 12, 12}));
  EXPECT_EQ(summary.layers[5].parameters, 12832);
  EXPECT_EQ(summary.layers[6].output_shape, (Shape{32, 6, 6}));
  EXPECT_EQ(summary.layers[7].output_shape, (Shape{1152}));
  EXPECT_EQ(summary.layers[8].parameters, 11530);
  EXPECT_EQ(summary.total_parameters, 448 + 32 + 12832 + 11530);
}

TEST(model, a_pytorch_linear_with_the_wrong_in_features_names_both_counts_and_its_line) {
  std::string text = kTorchStack;
  text.replace(text.find("nn.Linear(1152"), 14, "nn.Linear(1000");
  const auto summary = SummarizeModel(text);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 12);
  EXPECT_NE(summary.error().message.find("1,000"), std::string::npos);
  EXPECT_NE(summary.error().message.find("1,152"), std::string::npos);
}

TEST(model, a_pytorch_conv_with_the_wrong_in_channels_is_refused_on_its_line) {
  const auto summary = SummarizeModel("Input(3, 28, 28)\nnn.Conv2d(3, 8, 3)\nnn.Conv2d(16, 8, 3)\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 3);
  EXPECT_NE(summary.error().message.find("in_channels"), std::string::npos);
}

TEST(model, a_pytorch_linear_on_an_image_asks_for_flatten) {
  const auto summary = SummarizeModel("Input(1, 4, 4)\nnn.Linear(16, 2)\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.error().message.find("Flatten"), std::string::npos);
}

TEST(model, a_text_mixing_keras_and_pytorch_is_refused) {
  const auto summary = SummarizeModel("Input(28, 28, 1)\nConv2D(8, 3)\nnn.Linear(10, 2)\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.error().line, 3);
}

TEST(model, a_pytorch_class_header_is_not_mistaken_for_a_layer_and_products_are_read) {
  // 28 − 3 + 1 = 26; Flatten 4·26·26 = 2,704, written as a product in the Linear call.
  const ModelSummary summary = MustSummarize(
      "x = torch.randn(1, 1, 28, 28)\n"
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Flatten(), nn.Linear(4 * 26 * 26, 2))\n");
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{2704}));
  EXPECT_EQ(summary.layers[3].parameters, (2704 + 1) * 2);
}

}  // namespace

namespace {

TEST(model, the_classic_keras_mnist_example_with_named_sizes_is_understood) {
  // 28 − 3 + 1 = 26, (3·3·1 + 1)·32 = 320; 26 − 3 + 1 = 24, (3·3·32 + 1)·64 = 18,496; pool → 12;
  // 12·12·64 = 9,216; (9,216 + 1)·128 = 1,179,776; (128 + 1)·10 = 1,290; total 1,199,882.
  const ModelSummary summary = MustSummarize(
      "from keras.models import Sequential\n"
      "batch_size = 128\n"
      "num_classes = 10\n"
      "img_rows, img_cols = 28, 28\n"
      "if K.image_data_format() == 'channels_first':\n"
      "    input_shape = (1, img_rows, img_cols)\n"
      "else:\n"
      "    x_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1)\n"
      "    input_shape = (img_rows, img_cols, 1)\n"
      "model = Sequential()\n"
      "model.add(Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=input_shape))\n"
      "model.add(Conv2D(64, (3, 3), activation='relu'))\n"
      "model.add(MaxPooling2D(pool_size=(2, 2)))\n"
      "model.add(Dropout(0.25))\n"
      "model.add(Flatten())\n"
      "model.add(Dense(128, activation='relu'))\n"
      "model.add(Dropout(0.5))\n"
      "model.add(Dense(num_classes, activation='softmax'))\n"
      "model.compile(loss=keras.losses.categorical_crossentropy, optimizer=keras.optimizers.Adadelta())\n");
  ASSERT_EQ(summary.layers.size(), 9u);
  EXPECT_EQ(summary.layers[0].output_shape, (Shape{28, 28, 1}));
  EXPECT_EQ(summary.layers[1].parameters, 320);
  EXPECT_EQ(summary.layers[2].parameters, 18496);
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{12, 12, 64}));
  EXPECT_EQ(summary.layers[5].output_shape, (Shape{9216}));
  EXPECT_EQ(summary.layers[6].parameters, 1179776);
  EXPECT_EQ(summary.layers[8].output_shape, (Shape{10}));
  EXPECT_EQ(summary.total_parameters, 1199882);
}

}  // namespace

namespace {

// ---- PyTorch models written as nn.Module classes ----------------------------------------------

const char* kTutorialNet =
    "import torch\n"                                   // 1
    "import torch.nn as nn\n"                          // 2
    "import torch.nn.functional as F\n"                // 3
    "\n"                                               // 4
    "class Net(nn.Module):\n"                          // 5
    "    def __init__(self):\n"                        // 6
    "        super().__init__()\n"                     // 7
    "        self.conv1 = nn.Conv2d(3, 6, 5)\n"        // 8
    "        self.pool = nn.MaxPool2d(2, 2)\n"         // 9
    "        self.conv2 = nn.Conv2d(6, 16, 5)\n"       // 10
    "        self.fc1 = nn.Linear(16 * 5 * 5, 120)\n"  // 11
    "        self.fc2 = nn.Linear(120, 84)\n"          // 12
    "        self.fc3 = nn.Linear(84, 10)\n"           // 13
    "\n"                                               // 14
    "    def forward(self, x):\n"                      // 15
    "        x = self.pool(F.relu(self.conv1(x)))\n"   // 16
    "        x = self.pool(F.relu(self.conv2(x)))\n"   // 17
    "        x = torch.flatten(x, 1)\n"                // 18
    "        x = F.relu(self.fc1(x))\n"                // 19
    "        x = F.relu(self.fc2(x))\n"                // 20
    "        x = self.fc3(x)\n"                        // 21
    "        return x\n"                               // 22
    "\n"                                               // 23
    "x = torch.randn(1, 3, 32, 32)\n";                 // 24

// The tutorial net with one line replaced (1-based), for the error cases.
std::string TutorialNetWith(int line, const std::string& replacement) {
  std::istringstream lines(kTutorialNet);
  std::string text, current;
  for (int number = 1; std::getline(lines, current); ++number) text += (number == line ? replacement : current) + "\n";
  return text;
}

std::vector<std::string> Kinds(const ModelSummary& summary) {
  std::vector<std::string> kinds;
  for (const auto& layer : summary.layers) kinds.push_back(layer.kind);
  return kinds;
}

std::string ErrorOf(const std::string& text, int first_line = 1) {
  const auto summary = SummarizeModel(text, first_line);
  return summary.ok() ? "(no error)" : summary.error().ToString();
}

TEST(model_class, every_golden_nn_module_gets_pytorchs_shapes_and_parameter_counts_row_by_row) {
  // Written by tests/golden/make_model_golden.py from PyTorch itself (torch.fx + ShapeProp): stacks,
  // a ResNet BasicBlock with downsample, an Inception block, a U-Net decoder step, a MobileNet block,
  // a grouped bottleneck, a ModuleList loop, transposed convolutions, and models made of classes of
  // their own (blocks in nn.Sequential, a block on two tensors called twice, a ResNet whose blocks a
  // method makes in a loop, a U-Net, a VGG made from a dict of configurations), upsampling, and
  // models written as torchvision writes its ResNet (functions returning layers and making the
  // model, a normalisation class held as a value, a shortcut handed to its block, **kwargs).
  std::ifstream file(std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden/model_cases.json");
  const nlohmann::json golden = nlohmann::json::parse(file, nullptr, false);
  ASSERT_FALSE(golden.is_discarded());
  ASSERT_GE(golden["models"].size(), 20u);
  for (const auto& model : golden["models"]) {
    SCOPED_TRACE(model["name"].get<std::string>());
    const ModelSummary summary = MustSummarize(model["source"].get<std::string>());
    const auto& rows = model["rows"];
    ASSERT_EQ(summary.layers.size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      SCOPED_TRACE("row " + std::to_string(i) + " (" + rows[i]["op"].get<std::string>() + ")");
      EXPECT_EQ(summary.layers[i].output_shape, rows[i]["shape"].get<Shape>());
      EXPECT_EQ(summary.layers[i].parameters, rows[i]["parameters"].get<std::int64_t>());
      EXPECT_EQ(summary.layers[i].inputs, rows[i]["inputs"].get<std::vector<int>>());  // the graph, as fx traced it
    }
    EXPECT_EQ(summary.total_parameters, model["total_parameters"].get<std::int64_t>());
    EXPECT_TRUE(summary.channels_first);
  }
}

TEST(model_class, the_tutorial_net_applies_layers_in_the_order_forward_nests_its_calls) {
  // self.pool(F.relu(self.conv1(x))): conv1 first, then relu, then pool.
  // 32 − 5 + 1 = 28, pool → 14, 14 − 5 + 1 = 10, pool → 5; 16·5·5 = 400.
  // (5·5·3 + 1)·6 = 456; (5·5·6 + 1)·16 = 2,416; (400 + 1)·120 = 48,120; (120 + 1)·84 = 10,164;
  // (84 + 1)·10 = 850; total 62,006 (the number PyTorch's tutorial prints).
  const ModelSummary summary = MustSummarize(kTutorialNet);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2d", "Activation", "MaxPool2d", "Conv2d",
                                                      "Activation", "MaxPool2d", "Flatten", "Linear", "Activation",
                                                      "Linear", "Activation", "Linear"}));
  ASSERT_EQ(summary.layers.size(), 13u);
  EXPECT_EQ(summary.layers[0].output_shape, (Shape{3, 32, 32}));
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{6, 28, 28}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{6, 14, 14}));
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{16, 10, 10}));
  EXPECT_EQ(summary.layers[6].output_shape, (Shape{16, 5, 5}));
  EXPECT_EQ(summary.layers[7].output_shape, (Shape{400}));
  EXPECT_EQ(summary.layers[12].output_shape, (Shape{10}));
  EXPECT_EQ(summary.total_parameters, 456 + 2416 + 48120 + 10164 + 850);
  EXPECT_EQ(summary.total_parameters, 62006);
  // Each row names the layer as written in __init__ and sits on that line; functional rows sit on forward's line.
  EXPECT_EQ(summary.layers[1].source, "self.conv1 = nn.Conv2d(3, 6, 5)");
  EXPECT_EQ(summary.layers[1].line, 8);
  EXPECT_EQ(summary.layers[7].source, "torch.flatten(x, 1)");
  EXPECT_EQ(summary.layers[7].line, 18);
}

TEST(model_class, a_pool_called_twice_is_two_rows_that_point_at_one_module) {
  const ModelSummary summary = MustSummarize(kTutorialNet);
  ASSERT_EQ(summary.layers.size(), 13u);
  EXPECT_EQ(summary.layers[3].source, "self.pool = nn.MaxPool2d(2, 2)");
  EXPECT_EQ(summary.layers[6].source, "self.pool = nn.MaxPool2d(2, 2)");
  EXPECT_EQ(summary.layers[3].shares_parameters_with, -1);
  EXPECT_EQ(summary.layers[6].shares_parameters_with, 3);
}

TEST(model_class, a_convolution_called_twice_counts_its_weights_once_and_says_whose_they_are) {
  // conv (3·3·4 + 1)·4 = 148, applied twice: PyTorch holds one weight tensor, so the total is
  // 148 + Linear (4·6·6 + 1)·2 = 290, i.e. 438, not 586. Padding 1 keeps 6×6.
  const ModelSummary summary = MustSummarize(
      "Input(4, 6, 6)\n"
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.conv = nn.Conv2d(4, 4, 3, padding=1)\n"
      "        self.fc = nn.Linear(4 * 6 * 6, 2)\n"
      "    def forward(self, x):\n"
      "        x = self.conv(x)\n"
      "        x = self.conv(x)\n"
      "        return self.fc(x.view(x.size(0), -1))\n");
  ASSERT_EQ(summary.layers.size(), 5u);
  EXPECT_EQ(summary.layers[1].parameters, 148);
  EXPECT_EQ(summary.layers[2].parameters, 0);
  EXPECT_EQ(summary.layers[2].shares_parameters_with, 1);
  EXPECT_NE(summary.layers[2].parameters_formula.find("self.conv"), std::string::npos);
  EXPECT_NE(summary.layers[2].parameters_formula.find("148"), std::string::npos);
  // The work is done twice all the same: 6·6·4 outputs · 3·3·4 taps = 5,184 each time.
  EXPECT_EQ(summary.layers[1].multiply_adds, 5184);
  EXPECT_EQ(summary.layers[2].multiply_adds, 5184);
  EXPECT_EQ(summary.total_parameters, 438);
}

TEST(model_class, sequential_members_are_expanded_in_place_and_named_by_their_position) {
  // 3·3·1 + 1 = 10 per filter · 8 = 80; 2·8 = 16 for BatchNorm2d; pool 28 → 14.
  const ModelSummary summary = MustSummarize(
      "x = torch.randn(1, 1, 28, 28)\n"
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8),\n"
      "                                      nn.ReLU(), nn.MaxPool2d(2))\n"
      "    def forward(self, x):\n"
      "        return self.features(x)\n");
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2d", "BatchNorm2d", "Activation", "MaxPool2d"}));
  ASSERT_EQ(summary.layers.size(), 5u);
  EXPECT_EQ(summary.layers[1].source, "self.features[0] = nn.Conv2d(1, 8, 3, padding=1)");
  EXPECT_EQ(summary.layers[4].source, "self.features[3] = nn.MaxPool2d(2)");
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{8, 14, 14}));
  EXPECT_EQ(summary.total_parameters, 80 + 16);
}

TEST(model_class, functional_pooling_and_views_follow_pytorchs_arguments) {
  // F.max_pool2d(x, 3, 2): ⌊(9 − 3)/2⌋ + 1 = 4; F.avg_pool2d(x, kernel_size=2, stride=1) → 3;
  // x.view(-1, 2 * 3 * 3): 2·3·3 = 18 values per sample, as written.
  const ModelSummary summary = MustSummarize(
      "Input(2, 9, 9)\n"
      "class Net(nn.Module):\n"
      "    def forward(self, x):\n"
      "        x = F.max_pool2d(x, 3, 2)\n"
      "        x = nn.functional.avg_pool2d(x, kernel_size=2, stride=1)\n"
      "        return x.view(-1, 2 * 3 * 3)\n");
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "MaxPool2d", "AvgPool2d", "Flatten"}));
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{2, 4, 4}));
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{2, 3, 3}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{18}));
}

TEST(model_class, a_view_that_does_not_match_the_values_per_sample_is_refused_on_its_line) {
  // After the second pool the tensor holds 16·5·5 = 400 values per sample, not 16·6·6 = 576.
  const std::string error = ErrorOf(TutorialNetWith(18, "        x = x.view(-1, 16 * 6 * 6)"));
  EXPECT_NE(error.find(":18:"), std::string::npos) << error;
  EXPECT_NE(error.find("400"), std::string::npos) << error;
  EXPECT_NE(error.find("576"), std::string::npos) << error;
}

TEST(model_class, flatten_without_start_dim_is_refused_because_it_would_flatten_the_batch) {
  const std::string error = ErrorOf(TutorialNetWith(18, "        x = torch.flatten(x)"));
  EXPECT_NE(error.find(":18:"), std::string::npos) << error;
  EXPECT_NE(error.find("torch.flatten(x, 1)"), std::string::npos) << error;
}

TEST(model_class, a_layer_forward_calls_but_init_never_makes_is_named_with_the_line) {
  const std::string error = ErrorOf(TutorialNetWith(21, "        x = self.fc4(x)"), 10);
  EXPECT_NE(error.find(":30:"), std::string::npos) << error;  // line 21 of a text starting at line 10
  EXPECT_NE(error.find("self.fc4"), std::string::npos) << error;
}

TEST(model_class, a_wrong_in_channels_names_the_layers_line_and_where_forward_calls_it) {
  const std::string error = ErrorOf(TutorialNetWith(10, "        self.conv2 = nn.Conv2d(3, 16, 5)"));
  EXPECT_NE(error.find(":10:"), std::string::npos) << error;
  EXPECT_NE(error.find("in_channels is 3"), std::string::npos) << error;
  EXPECT_NE(error.find("line 17"), std::string::npos) << error;
}

TEST(model_class, a_wrong_in_features_names_both_counts) {
  const std::string error = ErrorOf(TutorialNetWith(11, "        self.fc1 = nn.Linear(16 * 4 * 4, 120)"));
  EXPECT_NE(error.find(":11:"), std::string::npos) << error;
  EXPECT_NE(error.find("256"), std::string::npos) << error;
  EXPECT_NE(error.find("400"), std::string::npos) << error;
}

TEST(model_class, a_one_line_if_in_forward_asks_for_its_body_on_its_own_lines) {
  const std::string error = ErrorOf(TutorialNetWith(18, "        if x.size(0) > 1: x = torch.flatten(x, 1)"));
  EXPECT_NE(error.find(":18:"), std::string::npos) << error;
  EXPECT_NE(error.find("write the body of `if` on its own lines"), std::string::npos) << error;
}

TEST(model_class, a_condition_the_tutor_cannot_decide_before_running_is_refused_on_its_line) {
  const std::string error = ErrorOf(TutorialNetWith(18, "        if x.shape[0] > 1:\n            x = torch.flatten(x, 1)"));
  EXPECT_NE(error.find(":18: cannot tell whether"), std::string::npos) << error;
}

TEST(model_class, two_layers_reading_the_same_tensor_are_two_branches_from_it) {
  // Both convolutions read x (row 0): a graph, not an error; 6 − 3 + 1 = 4 each.
  const ModelSummary summary = MustSummarize(
      "Input(4, 6, 6)\n"
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.a = nn.Conv2d(4, 4, 3)\n"
      "        self.b = nn.Conv2d(4, 4, 3)\n"
      "    def forward(self, x):\n"
      "        y = self.a(x)\n"
      "        z = self.b(x)\n"
      "        return z\n");
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[1].inputs, (std::vector<int>{0}));
  EXPECT_EQ(summary.layers[2].inputs, (std::vector<int>{0}));
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{4, 4, 4}));
}

TEST(model_class, a_module_list_called_as_a_whole_and_joins_along_the_batch_are_refused) {
  EXPECT_NE(ErrorOf(TutorialNetWith(9, "        self.pool = nn.ModuleList([nn.MaxPool2d(2)])"))
                .find(":16: self.pool is an nn.ModuleList"),
            std::string::npos);
  EXPECT_NE(ErrorOf(TutorialNetWith(18, "        x = torch.cat([x, x])")).find(":18: torch.cat along dim 0"),
            std::string::npos);
  EXPECT_NE(ErrorOf(TutorialNetWith(18, "        x = torch.stack([x, x], 1)")).find(":18: not supported yet: torch.stack"),
            std::string::npos);
}

TEST(model_class, a_weighted_layer_forward_never_calls_is_refused_because_pytorch_would_count_it) {
  const std::string error = ErrorOf(TutorialNetWith(21, "        x = x"));
  EXPECT_NE(error.find(":13:"), std::string::npos) << error;
  EXPECT_NE(error.find("self.fc3"), std::string::npos) << error;
}

// A model of two classes with no `model = Net()`: the Block is made in Net's __init__.
constexpr const char* kNetBeforeItsBlock = R"(import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block(3, 8)
        self.head = nn.Conv2d(8, 2, 1)

    def forward(self, x):
        return self.head(self.block(x))

class Block(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3)

    def forward(self, x):
        return self.conv(x)

x = torch.randn(1, 3, 10, 10)
)";

TEST(model_class, the_model_is_the_class_no_other_class_makes_wherever_it_is_written) {
  // Block's conv: (3·3·3 + 1)·8 = 224 and 10 − 3 + 1 = 8; the head: (8 + 1)·2 = 18.
  const ModelSummary summary = MustSummarize(kNetBeforeItsBlock);
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{8, 8, 8}));
  EXPECT_EQ(summary.layers[1].parameters, 224);
  EXPECT_EQ(summary.layers[1].source, "self.block.conv = nn.Conv2d(c_in, c_out, 3)") << "the block's path, then its line";
  EXPECT_EQ(summary.layers[1].line, 15);
  EXPECT_EQ(summary.layers[2].source, "self.head = nn.Conv2d(8, 2, 1)");
  EXPECT_EQ(summary.total_parameters, 224 + 18);
}

TEST(model_class, a_mistake_inside_a_block_names_the_blocks_line_and_where_the_model_calls_it) {
  std::string text = kNetBeforeItsBlock;
  text.replace(text.find("Block(3, 8)"), 11, "Block(4, 8)");  // the block expects 4 channels, gets 3
  const std::string error = ErrorOf(text);
  EXPECT_NE(error.find(":15:"), std::string::npos) << error;
  EXPECT_NE(error.find("called on line 10"), std::string::npos) << error;
}

TEST(model_class, a_block_forward_never_calls_is_refused_because_pytorch_would_count_it) {
  std::string text = kNetBeforeItsBlock;
  text.replace(text.find("        self.head"), 0, "        self.spare = Block(8, 8)\n");
  const std::string error = ErrorOf(text);
  EXPECT_NE(error.find(":7: self.spare is made in __init__ but forward never calls it"), std::string::npos) << error;
}

TEST(model_class, blocks_a_method_makes_in_a_loop_are_named_by_where_they_sit_in_the_model) {
  std::string text = kNetBeforeItsBlock;
  text.replace(text.find("        self.block = Block(3, 8)\n"), 33, "        self.blocks = self._stack(Block, 3, 8, 2)\n");
  text.replace(text.find("self.head(self.block(x))"), 24, "self.head(self.blocks(x))");
  text.replace(text.find("    def forward(self, x):\n        return self.head"), 0,
               "    def _stack(self, block, c_in, c_out, n):\n"
               "        layers = []\n"
               "        for i in range(n):\n"
               "            layers.append(block(c_in, c_out))\n"
               "            c_in = c_out\n"
               "        return nn.Sequential(*layers)\n\n");
  // 10 − 3 + 1 = 8, then 6; (3·3·3 + 1)·8 = 224, (3·3·8 + 1)·8 = 584, (8 + 1)·2 = 18.
  const ModelSummary summary = MustSummarize(text);
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[1].source, "self.blocks[0].conv = nn.Conv2d(c_in, c_out, 3)");
  EXPECT_EQ(summary.layers[2].source, "self.blocks[1].conv = nn.Conv2d(c_in, c_out, 3)");
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{8, 6, 6}));
  EXPECT_EQ(summary.layers[2].parameters, 584);
  EXPECT_EQ(summary.total_parameters, 224 + 584 + 18);
}

TEST(model_class, layers_a_loop_in_init_appends_to_a_list_are_one_sequential) {
  const std::string text = R"(import torch.nn as nn

class Net(nn.Module):
    def __init__(self, widths=(4, 8)):
        super().__init__()
        layers = []
        c_in = 3
        for width in widths:
            layers.append(nn.Conv2d(c_in, width, 3, padding=1))
            layers.append(nn.ReLU())
            c_in = width
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return self.features(x)

x = torch.randn(1, 3, 6, 6)
)";
  // (3·3·3 + 1)·4 = 112 and (3·3·4 + 1)·8 = 296; padding 1 keeps 6×6.
  const ModelSummary summary = MustSummarize(text);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2d", "Activation", "Conv2d", "Activation"}));
  ASSERT_EQ(summary.layers.size(), 5u);
  EXPECT_EQ(summary.layers[3].source, "self.features[2] = nn.Conv2d(c_in, width, 3, padding=1)");
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{8, 6, 6}));
  EXPECT_EQ(summary.total_parameters, 112 + 296);
}

TEST(model_class, a_method_init_cannot_follow_is_named_with_its_line) {
  std::string missing = kNetBeforeItsBlock;
  missing.replace(missing.find("Block(3, 8)"), 11, "self._make_layer(Block, 8, 2)");
  EXPECT_NE(ErrorOf(missing).find(":6: __init__ calls self._make_layer, but the class has no method by that name"),
            std::string::npos) << ErrorOf(missing);
  std::string numbers = missing;
  numbers.replace(numbers.find("    def forward(self, x):\n        return self.head"), 0,
                  "    def _make_layer(self, block, width, count):\n        return width * count\n\n");
  EXPECT_NE(ErrorOf(numbers).find("not supported yet: this return in a method"), std::string::npos) << ErrorOf(numbers);
}

// A model made by functions of the text, torchvision's way: make_net() calls _build, which makes the class.
constexpr const char* kNetMadeByFunctions = R"(import torch.nn as nn

def conv_3x3(c_in, c_out):
    return nn.Conv2d(c_in, c_out, 3, padding=1)

class Net(nn.Module):
    def __init__(self, width=8, stride=1):
        super().__init__()
        if stride > 1:
            raise ValueError("Net takes " "stride 1 only")
        self.conv = conv_3x3(3, width)

    def forward(self, x):
        return self.conv(x)

def _build(**options):
    return Net(**options)

def make_net(**options):
    return _build(**options)

model = make_net(width=4)
x = torch.randn(1, 3, 8, 8)
)";

TEST(model_class, a_model_made_by_functions_of_the_text_takes_the_values_they_pass_along) {
  // (3·3·3 + 1)·4 = 112: width=4 reaches Net through two **options.
  const ModelSummary summary = MustSummarize(kNetMadeByFunctions);
  ASSERT_EQ(summary.layers.size(), 2u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{4, 8, 8}));
  EXPECT_EQ(summary.layers[1].source, "self.conv = conv_3x3(3, width)");
  EXPECT_EQ(summary.layers[1].line, 11);
  EXPECT_EQ(summary.total_parameters, 112);
}

TEST(model_class, a_raise_the_model_reaches_is_an_error_with_its_message_and_line) {
  std::string text = kNetMadeByFunctions;
  text.replace(text.find("make_net(width=4)"), 17, "make_net(width=4, stride=2)");
  const std::string error = ErrorOf(text);
  EXPECT_NE(error.find(":10: the model raises ValueError: Net takes stride 1 only"), std::string::npos) << error;
}

TEST(model_class, a_function_returning_what_is_not_a_layer_is_named_with_its_line) {
  std::string text = kNetMadeByFunctions;
  text.replace(text.find("return nn.Conv2d(c_in, c_out, 3, padding=1)"), 43, "return c_in * c_out");
  text.replace(text.find("self.conv = conv_3x3(3, width)"), 30, "self.conv = nn.Sequential(conv_3x3(3, width))");
  const std::string error = ErrorOf(text);
  EXPECT_NE(error.find(":4: not supported yet: this return in a method or function: conv_3x3 (called on line 11) "
                       "returns c_in * c_out, not layers"), std::string::npos) << error;
  // Kept on self, a function's text that is no size is refused there too.
  std::string named = kNetMadeByFunctions;
  named.replace(named.find("return nn.Conv2d(c_in, c_out, 3, padding=1)"), 43, "return 'conv'");
  EXPECT_NE(ErrorOf(named).find("conv_3x3 (called on line 11) returns 'conv', not layers"), std::string::npos)
      << ErrorOf(named);
  std::string not_a_model = kNetMadeByFunctions;
  not_a_model.replace(not_a_model.find("return Net(**options)"), 21, "return conv_3x3(3, 3)");
  EXPECT_NE(ErrorOf(not_a_model).find(":22: make_net() returns layers, not a model of one of the text's classes"),
            std::string::npos) << ErrorOf(not_a_model);
}

// torchvision.ops.misc's Conv2dNormActivation, imported by torchvision's model files (the import
// line is dropped), with the defaults its signature gives.
constexpr const char* kConvNormActivationNet =
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.stem = Conv2dNormActivation(3, 8, stride=2, activation_layer=nn.ReLU6)\n"
    "        self.point = Conv2dNormActivation(8, 4, kernel_size=1, norm_layer=None, activation_layer=None)\n"
    "    def forward(self, x):\n"
    "        return self.point(self.stem(x))\n"
    "x = torch.randn(1, 3, 9, 9)\n";

TEST(model_class, conv2d_norm_activation_is_its_convolution_norm_and_activation) {
  // stem: kernel 3, padding (3 - 1) // 2 = 1, stride 2: (9 + 2 − 3) // 2 + 1 = 5; no bias before its
  // norm: 3·3·3·8 = 216; BatchNorm2d(8) 16; ReLU6 0. point: 1×1 without norm, so with a bias:
  // 8·4 + 4 = 36, and no activation. 216 + 16 + 36 = 268.
  const ModelSummary summary = MustSummarize(kConvNormActivationNet);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2d", "BatchNorm2d", "Activation", "Conv2d"}));
  ASSERT_EQ(summary.layers.size(), 5u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{8, 5, 5}));
  EXPECT_EQ(summary.layers[1].parameters, 216);
  EXPECT_EQ(summary.layers[2].parameters, 16);
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{4, 5, 5}));
  EXPECT_EQ(summary.layers[4].parameters, 36);
  EXPECT_EQ(summary.total_parameters, 268);
  EXPECT_EQ(summary.layers[3].source, "self.stem[2] = Conv2dNormActivation(3, 8, stride=2, activation_layer=nn.ReLU6)");
  std::string partial_norm = kConvNormActivationNet;
  partial_norm.replace(partial_norm.find("activation_layer=nn.ReLU6"), 25, "norm_layer=partial(nn.BatchNorm2d, eps=0.001)");
  EXPECT_NE(ErrorOf(partial_norm).find(":4: not supported yet: Conv2dNormActivation with norm_layer=partial(nn.BatchNorm2d, "
                                       "eps=0.001)"), std::string::npos) << ErrorOf(partial_norm);
}

TEST(model_class, loops_unpacking_items_and_membership_tests_name_what_they_cannot_follow) {
  const std::string unpacked =
      "class Net(nn.Module):\n"
      "    def __init__(self, plan=[[4, 1], [8, 2, 3]]):\n"
      "        super().__init__()\n"
      "        layers = []\n"
      "        for width, stride in plan:\n"
      "            layers += [nn.Conv2d(3, width, 3, stride)]\n"
      "        self.body = nn.Sequential(*layers)\n"
      "    def forward(self, x):\n"
      "        return self.body(x)\n"
      "x = torch.randn(1, 3, 9, 9)\n";
  EXPECT_NE(ErrorOf(unpacked).find(":5: for width, ...: an item (8, 2, 3) does not hold 2 values"), std::string::npos)
      << ErrorOf(unpacked);
  std::string unknown_list = unpacked;
  unknown_list.replace(unknown_list.find("        layers = []\n"), 20, "        if 2 in self.sizes:\n            pass\n");
  EXPECT_NE(ErrorOf(unknown_list).find(":4: cannot tell whether 2 in self.sizes holds before running"), std::string::npos)
      << ErrorOf(unknown_list);
  std::string extended = unpacked;
  extended.replace(extended.find("layers += [nn.Conv2d(3, width, 3, stride)]"), 42, "layers.extend([width])");
  EXPECT_NE(ErrorOf(extended).find(":6: layers.extend([...]): expected layers or blocks"), std::string::npos)
      << ErrorOf(extended);
}

TEST(model_class, a_layer_taking_a_tensor_or_a_list_of_them_tells_which_with_isinstance) {
  // joined: torch.cat of [x] is x itself (4 channels), of [x, x] 8 channels; 1×1 convolutions
  // without bias: 4·2 = 8 and 8·2 = 16 weights.
  const std::string text =
      "class Join(nn.Module):\n"
      "    def __init__(self, c_in):\n"
      "        super().__init__()\n"
      "        self.conv = nn.Conv2d(c_in, 2, 1, bias=False)\n"
      "    def forward(self, inputs):\n"
      "        if isinstance(inputs, Tensor):\n"
      "            inputs = [inputs]\n"
      "        return self.conv(torch.cat(inputs, 1))\n"
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.one = Join(4)\n"
      "        self.two = Join(8)\n"
      "    def forward(self, x):\n"
      "        return torch.cat([self.one(x), self.two([x, x])], 1)\n"
      "x = torch.randn(1, 4, 3, 3)\n";
  const ModelSummary summary = MustSummarize(text);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Concatenate", "Conv2d", "Concatenate", "Conv2d",
                                                      "Concatenate"}));
  ASSERT_EQ(summary.layers.size(), 6u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{4, 3, 3}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{8, 3, 3}));
  EXPECT_EQ(summary.layers[5].output_shape, (Shape{4, 3, 3}));
  EXPECT_EQ(summary.total_parameters, 8 + 16);
}

TEST(model_class, add_module_and_module_dict_walks_name_what_they_cannot_follow) {
  const std::string text =
      "class Block(nn.ModuleDict):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        self.add_module(\"first\", nn.Conv2d(3, 3, 1))\n"
      "        self.features = nn.Sequential(nn.Conv2d(3, 3, 1))\n"
      "        self.features.add_module(\"more\", nn.ReLU())\n"
      "    def forward(self, x):\n"
      "        for name, layer in self.items():\n"
      "            x = layer(x)\n"
      "        return x\n"
      "x = torch.randn(1, 3, 4, 4)\n";
  // first, then features (a convolution and its ReLU): items() gives every module, in the order made.
  const ModelSummary summary = MustSummarize(text);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2d", "Conv2d", "Activation"}));
  EXPECT_EQ(summary.total_parameters, 2 * (3 * 3 + 3));
  std::string with_list = text;
  const std::string added = "self.features.add_module(\"more\", nn.ReLU())";
  with_list.replace(with_list.find(added), added.size(), "self.many = nn.ModuleList([nn.ReLU()])");
  EXPECT_NE(ErrorOf(with_list).find(":8: not supported yet: self.items() in a class holding an nn.ModuleList"),
            std::string::npos) << ErrorOf(with_list);
  std::string not_made = text;
  not_made.replace(not_made.find("self.features.add_module"), 24, "self.head.add_module");
  EXPECT_NE(ErrorOf(not_made).find(":6: self.head.add_module(...): self.head is not an nn.Sequential made before this line"),
            std::string::npos) << ErrorOf(not_made);
  std::string unnamed = text;
  unnamed.replace(unnamed.find("\"first\""), 7, "label");
  EXPECT_NE(ErrorOf(unnamed).find(":4: self.add_module(name, ...): cannot tell the name label before running"),
            std::string::npos) << ErrorOf(unnamed);
  std::string ordered = text;
  ordered.replace(ordered.find("nn.Sequential(nn.Conv2d(3, 3, 1))"), 33, "nn.Sequential(OrderedDict([nn.Conv2d(3, 3, 1)]))");
  EXPECT_NE(ErrorOf(ordered).find(":5: OrderedDict([...]): expected (name, layer) pairs"), std::string::npos)
      << ErrorOf(ordered);
}

TEST(model_class, comprehensions_means_and_empty_stacks_are_followed_or_named) {
  // widths = [4, 8]: a 3→4 and a 4→8 convolution of 1×1, (3 + 1)·4 + (4 + 1)·8 = 56; the empty
  // stack passes the tensor on; the mean gives the 8 channels.
  const std::string text =
      "class Net(nn.Module):\n"
      "    def __init__(self):\n"
      "        super().__init__()\n"
      "        widths = [w * 4 for w in range(1, 3)]\n"
      "        nothing = []\n"
      "        self.empty = nn.Sequential(*nothing)\n"
      "        self.first = nn.Conv2d(3, widths[0], 1)\n"
      "        self.second = nn.Conv2d(widths[0], widths[1], 1)\n"
      "    def forward(self, x):\n"
      "        x = self.second(self.first(self.empty(x)))\n"
      "        return x.mean([2, 3])\n"
      "x = torch.randn(1, 3, 5, 5)\n";
  const ModelSummary summary = MustSummarize(text);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2d", "Conv2d", "GlobalAveragePooling2D"}));
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{8}));
  EXPECT_EQ(summary.total_parameters, 56);
  std::string kept_dims = text;
  kept_dims.replace(kept_dims.find("x.mean([2, 3])"), 14, "x.mean([2, 3], keepdim=True)");
  EXPECT_NE(ErrorOf(kept_dims).find(":11: not supported yet: x.mean([2, 3], keepdim=True)"), std::string::npos)
      << ErrorOf(kept_dims);
  std::string in_forward = text;
  in_forward.replace(in_forward.find("return x.mean([2, 3])"), 21, "return torch.cat([x for _ in range(2)], 1)");
  EXPECT_NE(ErrorOf(in_forward).find(":11: not supported yet: a list comprehension in forward"), std::string::npos)
      << ErrorOf(in_forward);
  std::string pairs = text;
  pairs.replace(pairs.find("[w * 4 for w in range(1, 3)]"), 28, "[a * b for a, b in [[1, 4], [2]]]");
  EXPECT_NE(ErrorOf(pairs).find(":4: [a * b for a, b in [[1, 4], [2]]]: an item (2) does not hold 2 values"),
            std::string::npos) << ErrorOf(pairs);
}

TEST(model_class, star_args_and_list_slices_pass_sizes_along) {
  // make(3, 4, 5) hands (4, 5) to Net as *sizes; sizes[1:] is [5]: Conv2d(3, 5, 1), (3 + 1)·5 = 20.
  const std::string text =
      "class Net(nn.Module):\n"
      "    def __init__(self, c_in, *sizes):\n"
      "        super().__init__()\n"
      "        self.conv = nn.Conv2d(c_in, sizes[1:][0], 1)\n"
      "    def forward(self, x):\n"
      "        return self.conv(x)\n"
      "def _build(c_in, *args, **kwargs):\n"
      "    return Net(c_in, *args, **kwargs)\n"
      "def make(*, c_in=3):\n"
      "    return _build(c_in, 4, 5)\n"
      "model = make()\n"
      "x = torch.randn(1, 3, 2, 2)\n";
  const ModelSummary summary = MustSummarize(text);
  ASSERT_EQ(summary.layers.size(), 2u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{5, 2, 2}));
  EXPECT_EQ(summary.total_parameters, 20);
  std::string sliced = text;
  sliced.replace(sliced.find("return self.conv(x)"), 19, "return self.conv(x[:, 1:])");
  EXPECT_NE(ErrorOf(sliced).find(":6: not supported yet: this slicing or indexing"), std::string::npos) << ErrorOf(sliced);
  std::string sliced_tensor = text;
  sliced_tensor.replace(sliced_tensor.find("return self.conv(x)"), 19, "return self.conv(x[1:])");
  EXPECT_NE(ErrorOf(sliced_tensor).find(":6: not supported yet: slicing in forward (x[1:])"), std::string::npos)
      << ErrorOf(sliced_tensor);
}

TEST(model_class, a_list_is_true_when_it_holds_items_and_an_unknown_value_is_not_guessed) {
  const std::string text =
      "class Net(nn.Module):\n"
      "    def __init__(self, plan=[4]):\n"
      "        super().__init__()\n"
      "        if not plan:\n"
      "            raise ValueError(\"the plan is empty\")\n"
      "        self.conv = nn.Conv2d(3, plan[0], 1)\n"
      "    def forward(self, x):\n"
      "        return self.conv(x)\n"
      "x = torch.randn(1, 3, 2, 2)\n";
  EXPECT_EQ(MustSummarize(text).total_parameters, (3 + 1) * 4);
  std::string empty = text;
  empty.replace(empty.find("plan=[4]"), 8, "plan=[]");
  EXPECT_NE(ErrorOf(empty).find(":5: the model raises ValueError: the plan is empty"), std::string::npos) << ErrorOf(empty);
  std::string unknown = text;
  unknown.replace(unknown.find("plan=[4]"), 8, "plan=make_plan()");
  EXPECT_NE(ErrorOf(unknown).find(":4: cannot tell whether plan holds before running (its value is make_plan())"),
            std::string::npos) << ErrorOf(unknown);
}

TEST(model_class, stages_named_by_setattr_from_zip_and_f_strings_are_kept_on_self) {
  // stage2: Conv2d(3, 4, 1), stage3: Conv2d(4, 8, 1), the widths from zip over names and widths[1:];
  // the middle convolution's input is 4 when stride > 1 else half: (3 + 1)·4 + (4 + 1)·8 = 56.
  const std::string text =
      "class Net(nn.Module):\n"
      "    def __init__(self, widths=[3, 4, 8], stride=2):\n"
      "        super().__init__()\n"
      "        names = [f\"stage{i}\" for i in [2, 3]]\n"
      "        c_in = widths[0]\n"
      "        for name, width in zip(names, widths[1:]):\n"
      "            setattr(self, name, nn.Sequential(self.point(c_in if stride > 1 else width >> 1, width)))\n"
      "            c_in = width\n"
      "    @staticmethod\n"
      "    def point(i, o):\n"
      "        return nn.Conv2d(i, o, 1)\n"
      "    def forward(self, x):\n"
      "        return self.stage3(self.stage2(x))\n"
      "x = torch.randn(1, 3, 2, 2)\n";
  const ModelSummary summary = MustSummarize(text);
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{8, 2, 2}));
  EXPECT_EQ(summary.total_parameters, 56);
  std::string unknown_name = text;
  unknown_name.replace(unknown_name.find("setattr(self, name,"), 19, "setattr(self, label,");
  EXPECT_NE(ErrorOf(unknown_name).find(":7: setattr(self, ...): cannot tell the name label before running"),
            std::string::npos) << ErrorOf(unknown_name);
}

// ShuffleNet's way, in our own small net: the channels split in two, one half convolved, joined
// again and shuffled by a function of the text (a view with a groups axis, transposed, viewed back).
constexpr const char* kShuffledHalves =
    "def shuffle(x, groups):\n"
    "    b, c, h, w = x.size()\n"
    "    x = x.view(b, groups, c // groups, h, w)\n"
    "    x = torch.transpose(x, 1, 2).contiguous()\n"
    "    return x.view(b, -1, h, w)\n"
    "class Net(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.conv = nn.Conv2d(2, 2, 1, bias=False)\n"
    "    def forward(self, x):\n"
    "        kept, changed = x.chunk(2, dim=1)\n"
    "        y = torch.cat((kept, self.conv(changed)), dim=1)\n"
    "        return shuffle(y, 2)\n"
    "x = torch.randn(1, 4, 3, 3)\n";

TEST(model_class, halves_from_chunk_and_a_channel_shuffle_keep_the_shapes_pytorch_gives) {
  // 4 channels → two chunks of 2; the 1×1 convolution 2·2 = 4 weights; cat → 4; the shuffle keeps (4, 3, 3).
  const ModelSummary summary = MustSummarize(kShuffledHalves);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Chunk", "Chunk", "Conv2d", "Concatenate", "Reshape"}));
  ASSERT_EQ(summary.layers.size(), 6u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{2, 3, 3}));
  EXPECT_EQ(summary.layers[2].inputs, (std::vector<int>{0}));
  EXPECT_EQ(summary.layers[3].inputs, (std::vector<int>{2}));
  EXPECT_EQ(summary.layers[4].inputs, (std::vector<int>{1, 3}));
  EXPECT_EQ(summary.layers[5].output_shape, (Shape{4, 3, 3}));
  EXPECT_EQ(summary.total_parameters, 4);
  std::string uneven = kShuffledHalves;
  uneven.replace(uneven.find("x.chunk(2, dim=1)"), 17, "x.chunk(3, dim=1)");
  EXPECT_NE(ErrorOf(uneven).find(":11: not supported yet: x.chunk(3, dim=1)"), std::string::npos) << ErrorOf(uneven);
  std::string five_axes = kShuffledHalves;
  five_axes.replace(five_axes.find("    x = torch.transpose(x, 1, 2).contiguous()\n"), 46, "    x = torch.relu(x)\n");
  EXPECT_NE(ErrorOf(five_axes).find("not supported yet: torch.relu on a tensor of more than four axes"), std::string::npos)
      << ErrorOf(five_axes);
  std::string three = kShuffledHalves;
  three.replace(three.find("kept, changed = x.chunk"), 23, "kept, changed, more = x.chunk");
  EXPECT_NE(ErrorOf(three).find(":11: x.chunk(2, dim=1) gives 2 values, not 3"), std::string::npos) << ErrorOf(three);
}

TEST(model_class, functions_calling_themselves_stop_at_the_limits_instead_of_hanging) {
  // Each call is counted, and so is how deeply calls run inside one another, for functions and
  // methods alike: neither recursion runs away or overflows the stack.
  std::string itself = kNetMadeByFunctions;
  itself.replace(itself.find("return nn.Conv2d(c_in, c_out, 3, padding=1)"), 43, "return conv_3x3(c_in, c_out)");
  EXPECT_NE(ErrorOf(itself).find("methods and functions calling each other too deeply to follow (conv_3x3)"),
            std::string::npos) << ErrorOf(itself);
  std::string each_other = kNetMadeByFunctions;
  each_other.replace(each_other.find("return Net(**options)"), 21, "return make_net(**options)");
  EXPECT_NE(ErrorOf(each_other).find("too deeply to follow"), std::string::npos) << ErrorOf(each_other);
  // Many calls, none inside another: the count stops them.
  std::string wide = kNetMadeByFunctions;
  wide.replace(wide.find("        self.conv = conv_3x3(3, width)"), 38,
               "        layers = []\n        for _ in range(1500):\n            layers.append(conv_3x3(width, width))\n"
               "        self.conv = nn.Sequential(*layers)");
  EXPECT_NE(ErrorOf(wide).find("more than 1000 calls of methods and functions"), std::string::npos) << ErrorOf(wide);
  // forward handing over to a method that calls itself.
  std::string forward_loop = kNetMadeByFunctions;
  forward_loop.replace(forward_loop.find("        return self.conv(x)"), 27,
                       "        return self._run(x)\n\n    def _run(self, x):\n        return self._run(x)");
  EXPECT_NE(ErrorOf(forward_loop).find("not supported yet: forward calls the method self._run"), std::string::npos)
      << ErrorOf(forward_loop);
}

TEST(model_class, a_block_inheriting_from_another_class_of_the_text_is_refused_on_its_line) {
  std::string text = kNetMadeByFunctions;
  text.replace(text.find("def _build"), 0, "class WideNet(Net):\n    pass\n\n");
  text.replace(text.find("return Net(**options)"), 21, "return WideNet(**options)");
  EXPECT_NE(ErrorOf(text).find(":16: not supported yet: class WideNet inherits from Net, a class of the text"),
            std::string::npos) << ErrorOf(text);
}

TEST(model_class, several_functions_making_a_model_and_no_model_line_asks_which_to_read) {
  std::string several = kNetMadeByFunctions;
  several.replace(several.find("model = make_net(width=4)\n"), 26, "def make_wide_net():\n    return _build(width=16)\n\n");
  EXPECT_NE(ErrorOf(several).find(":19: the text has several functions that make a model (make_net, make_wide_net): say "
                                  "which to read with a line such as model = make_net() after them"),
            std::string::npos) << ErrorOf(several);
  // With one such function, that is the model the text makes: read with its defaults (width=8).
  std::string one = kNetMadeByFunctions;
  one.replace(one.find("model = make_net(width=4)\n"), 26, "");
  EXPECT_EQ(MustSummarize(one).total_parameters, (3 * 3 * 3 + 1) * 8);
}

TEST(model_class, a_block_without_forward_and_a_block_that_makes_itself_are_errors_not_crashes) {
  std::string no_forward = kNetBeforeItsBlock;
  no_forward.replace(no_forward.find("    def forward(self, x):\n        return self.conv(x)"), 52, "");
  EXPECT_NE(ErrorOf(no_forward).find("Block has no forward"), std::string::npos) << ErrorOf(no_forward);
  std::string itself = kNetBeforeItsBlock;
  itself.replace(itself.find("self.conv = nn.Conv2d(c_in, c_out, 3)"), 37, "self.inner = Block(c_in, c_out)");
  const std::string error = ErrorOf(itself);
  EXPECT_NE(error.find("modules inside modules too deeply to follow"), std::string::npos) << error;
}

TEST(model_class, an_input_written_as_input_gives_the_same_summary_as_torch_randn) {
  const ModelSummary from_randn = MustSummarize(kTutorialNet);
  const ModelSummary from_input = MustSummarize(TutorialNetWith(24, "Input(3, 32, 32)"));
  ASSERT_EQ(from_input.layers.size(), from_randn.layers.size());
  for (std::size_t i = 0; i < from_input.layers.size(); ++i) {
    EXPECT_EQ(from_input.layers[i].output_shape, from_randn.layers[i].output_shape);
  }
  EXPECT_EQ(from_input.total_parameters, 62006);
}

TEST(model_class, a_class_without_an_input_shape_asks_for_one) {
  const std::string error = ErrorOf(TutorialNetWith(24, ""));
  EXPECT_NE(error.find("torch.randn(1, channels, height, width)"), std::string::npos) << error;
}

TEST(model_class, an_unknown_layer_in_init_is_named_with_its_line) {
  const std::string error = ErrorOf(TutorialNetWith(9, "        self.pool = nn.MaxPool3d(2)"));
  EXPECT_NE(error.find(":9: unknown layer \"MaxPool3d\""), std::string::npos) << error;
}

TEST(model_class, an_unknown_function_in_forward_is_named_with_its_line) {
  const std::string error = ErrorOf(TutorialNetWith(19, "        x = F.grid_sample(self.fc1(x), 2)"));
  EXPECT_NE(error.find(":19: forward: F.grid_sample(...) is not understood"), std::string::npos) << error;
}

TEST(model_class, a_helper_method_called_from_forward_is_refused_with_what_to_write_instead) {
  // The older PyTorch tutorial's x.view(-1, self.num_flat_features(x)).
  std::string text = TutorialNetWith(18, "        x = x.view(-1, self.num_flat_features(x))");
  text.replace(text.find("\nx = torch.randn"), 0,
               "    def num_flat_features(self, x):\n        return x.size()[1:].numel()\n");
  const std::string error = ErrorOf(text);
  EXPECT_NE(error.find(":18: not supported yet: forward calls the method self.num_flat_features"), std::string::npos)
      << error;
  EXPECT_NE(error.find("torch.flatten(x, 1)"), std::string::npos) << error;
}

TEST(model_class, modern_activation_modules_pass_values_through_without_parameters) {
  const ModelSummary summary = MustSummarize(TutorialNetWith(9, "        self.pool = nn.Sequential(nn.GELU(), nn.MaxPool2d(2, 2))"));
  ASSERT_EQ(summary.layers.size(), 15u);
  EXPECT_EQ(summary.layers[3].kind, "Activation");
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{6, 28, 28}));
  EXPECT_EQ(summary.total_parameters, 62006);
}

TEST(model_class, absurdly_deep_nesting_is_an_error_not_a_crash) {
  std::string calls;
  for (int i = 0; i < 5000; ++i) calls += "F.relu(";
  calls += "self.conv1(x)" + std::string(5000, ')');
  EXPECT_NE(ErrorOf(TutorialNetWith(16, "        x = self.pool(" + calls + ")")).find(":16: forward: brackets nested too deeply"),
            std::string::npos);
  std::string stacks;
  for (int i = 0; i < 5000; ++i) stacks += "nn.Sequential(";
  stacks += "nn.MaxPool2d(2, 2)" + std::string(5000, ')');
  EXPECT_NE(ErrorOf(TutorialNetWith(9, "        self.pool = " + stacks)).find(":9: nn.Sequential nested too deeply"),
            std::string::npos);
}

TEST(model_class, init_defaults_docstrings_and_prints_are_understood) {
  // num_classes=10 comes from __init__'s signature: (84 + 1)·10 = 850.
  std::string text = TutorialNetWith(13, "        self.fc3 = nn.Linear(84, num_classes)");
  text.replace(text.find("    def __init__(self):"), 23, "    def __init__(self, num_classes=10):");
  text.replace(text.find("        x = torch.flatten"), 0,
               "        \"\"\"Two conv blocks,\n        then three linear layers.\"\"\"\n        print(x.shape)\n");
  const ModelSummary summary = MustSummarize(text);
  ASSERT_EQ(summary.layers.size(), 13u);
  EXPECT_EQ(summary.layers[12].parameters, 850);
  EXPECT_EQ(summary.total_parameters, 62006);
}

TEST(model_class, f_pad_adds_zero_rows_and_columns_of_sizes_known_before_running) {
  const std::string text = R"(import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3)

    def forward(self, x):
        extra = x.size()[2] - 3
        x = F.pad(x, [1, 2, extra, 3])
        return self.conv(x)

x = torch.randn(1, 2, 4, 4)
)";
  // [left 1, right 2, top 4 − 3 = 1, bottom 3]: 4 + 1 + 2 = 7 columns, 4 + 1 + 3 = 8 rows; then
  // the 3×3 convolution: 6 × 5.
  const ModelSummary summary = MustSummarize(text);
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{2, 8, 7}));
  EXPECT_EQ(summary.layers[1].parameters, 0);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{2, 6, 5}));
  // A negative pad crops, as in PyTorch: 4 + 1 − 2 = 3 columns; one that crops everything is refused.
  std::string cropping = text;
  cropping.replace(cropping.find("[1, 2, extra, 3]"), 16, "[1, -2, extra, 3]");
  const ModelSummary cropped = MustSummarize(cropping);
  EXPECT_EQ(cropped.layers[1].output_shape, (Shape{2, 8, 3}));
  EXPECT_EQ(cropped.layers[1].shape_formula, "4 + 1 + 3 = 8 rows, 4 + 1 \xE2\x88\x92 2 = 3 columns");
  std::string too_much = text;
  too_much.replace(too_much.find("[1, 2, extra, 3]"), 16, "[1, -5, extra, 3]");
  EXPECT_NE(ErrorOf(too_much).find(":11: F.pad: cropping 4\xC3\x97" "4 by that much leaves 8\xC3\x97" "0 cells"),
            std::string::npos) << ErrorOf(too_much);
  std::string reflecting = text;
  reflecting.replace(reflecting.find("[1, 2, extra, 3]"), 16, "[1, 2, extra, 3], mode='reflect'");
  EXPECT_NE(ErrorOf(reflecting).find("not supported yet: F.pad with other values than zeros"), std::string::npos)
      << ErrorOf(reflecting);
}

TEST(model_class, typed_parameters_keep_their_defaults) {
  std::string text = kNetBeforeItsBlock;
  text.replace(text.find("    def __init__(self, c_in, c_out):"), 36,
               "    def __init__(self, c_in: int, c_out: int = 8, kernel: Tuple[int, int] = (3, 3)) -> None:");
  text.replace(text.find("nn.Conv2d(c_in, c_out, 3)"), 25, "nn.Conv2d(c_in, c_out, kernel)");
  text.replace(text.find("Block(3, 8)"), 11, "Block(3)");
  const ModelSummary summary = MustSummarize(text);
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{8, 8, 8})) << "c_out's default 8 and kernel's (3, 3)";
  EXPECT_EQ(summary.layers[1].parameters, 224);
}

TEST(model_class, a_configuration_dict_names_its_missing_key_and_strings_decide_conditions) {
  const std::string text = R"(import torch.nn as nn

cfg = {'small': [4, 'M', 8], 'tiny': [2]}

class Net(nn.Module):
    def __init__(self, name):
        super().__init__()
        layers = []
        c_in = 3
        for width in cfg[name]:
            if width == 'M':
                layers += [nn.MaxPool2d(2)]
            else:
                layers += [nn.Conv2d(c_in, width, 3, padding=1), nn.ReLU()]
                c_in = width
        self.features = nn.Sequential(*layers)

    def forward(self, x):
        return self.features(x)

model = Net('small')
x = torch.randn(1, 3, 8, 8)
)";
  // 'small': conv 3→4 (3·3·3 + 1)·4 = 112, ReLU, pool 8 → 4, conv 4→8 (3·3·4 + 1)·8 = 296, ReLU.
  const ModelSummary summary = MustSummarize(text);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2d", "Activation", "MaxPool2d", "Conv2d", "Activation"}));
  ASSERT_EQ(summary.layers.size(), 6u);
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{8, 4, 4}));
  EXPECT_EQ(summary.total_parameters, 112 + 296);
  std::string missing = text;
  missing.replace(missing.find("Net('small')"), 12, "Net('large')");
  EXPECT_NE(ErrorOf(missing).find(":10: cfg[name]: the dict has no key 'large'"), std::string::npos) << ErrorOf(missing);
}

TEST(model_class, upsampling_names_its_arithmetic_and_asks_for_one_of_size_or_scale_factor) {
  const std::string text = R"(import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.Upsample(scale_factor=2)

    def forward(self, x):
        return self.up(x)

x = torch.randn(1, 2, 3, 5)
)";
  // ⌊3·2⌋ = 6 rows, ⌊5·2⌋ = 10 columns, the channels kept, nothing to learn.
  const ModelSummary summary = MustSummarize(text);
  ASSERT_EQ(summary.layers.size(), 2u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{2, 6, 10}));
  EXPECT_EQ(summary.layers[1].parameters, 0);
  EXPECT_EQ(summary.layers[1].shape_formula, "\xE2\x8C\x8A" "3\xC2\xB7" "2\xE2\x8C\x8B = 6, \xE2\x8C\x8A" "5\xC2\xB7" "2\xE2\x8C\x8B = 10");
  EXPECT_EQ(summary.layers[1].resize_mode, "nearest");
  EXPECT_FALSE(summary.layers[1].align_corners);
  std::string bilinear = text;
  bilinear.replace(bilinear.find("nn.Upsample(scale_factor=2)"), 27, "nn.UpsamplingBilinear2d(scale_factor=2)");
  EXPECT_EQ(MustSummarize(bilinear).layers[1].resize_mode, "bilinear");
  EXPECT_TRUE(MustSummarize(bilinear).layers[1].align_corners);  // as PyTorch documents that module
  std::string both = text;
  both.replace(both.find("nn.Upsample(scale_factor=2)"), 27, "nn.Upsample(size=4, scale_factor=2)");
  EXPECT_NE(ErrorOf(both).find(":6: Upsample: give either size or scale_factor"), std::string::npos) << ErrorOf(both);
}

// ---- tf.keras.Model subclasses ------------------------------------------------------------------

// TensorFlow 2's "quickstart for experts" model, with the input's shape given by model.build.
constexpr const char* kKerasQuickstart = R"(import tensorflow as tf
from tensorflow.keras import layers

class MyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = layers.Conv2D(32, 3, activation='relu')
        self.flatten = layers.Flatten()
        self.d1 = layers.Dense(128, activation='relu')
        self.d2 = layers.Dense(10)

    def call(self, x):
        x = self.conv1(x)
        x = self.flatten(x)
        x = self.d1(x)
        return self.d2(x)

model = MyModel()
model.build((None, 28, 28, 1))
)";

TEST(keras_model_class, a_subclassed_models_call_orders_the_layers_its_init_makes) {
  // 28 − 3 + 1 = 26; (3·3·1 + 1)·32 = 320; 26·26·32 = 21,632 values; (21,632 + 1)·128 = 2,769,024;
  // (128 + 1)·10 = 1,290.
  const ModelSummary summary = MustSummarize(kKerasQuickstart);
  EXPECT_FALSE(summary.channels_first);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2D", "Flatten", "Dense", "Dense"}));
  ASSERT_EQ(summary.layers.size(), 5u);
  EXPECT_EQ(summary.layers[0].output_shape, (Shape{28, 28, 1}));
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{26, 26, 32}));
  EXPECT_EQ(summary.layers[1].parameters, 320);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{21632}));
  EXPECT_EQ(summary.layers[3].parameters, 2769024);
  EXPECT_EQ(summary.layers[4].parameters, 1290);
  EXPECT_EQ(summary.total_parameters, 320 + 2769024 + 1290);
  EXPECT_EQ(summary.layers[1].source, "self.conv1 = layers.Conv2D(32, 3, activation='relu')");
}

TEST(keras_model_class, a_block_layer_with_a_merge_layer_training_flags_and_tf_ops_reads_as_a_graph) {
  const std::string text = R"(import tensorflow as tf
from tensorflow.keras import layers

class Residual(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding='same', use_bias=False)
        self.bn = layers.BatchNormalization()
        self.add = layers.Add()

    def call(self, inputs, training=False):
        x = self.bn(self.conv(inputs), training=training)
        return tf.nn.relu(self.add([x, inputs]))

class Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.stem = layers.Conv2D(16, 3, padding='same')
        self.block = Residual(16)
        self.side = layers.Conv2D(8, 1)

    def call(self, x, training=False):
        x = self.block(self.stem(x), training=training)
        return tf.concat([x, self.side(x)], axis=-1)

model = Net()
model.build((None, 8, 8, 3))
)";
  // stem (3·3·3 + 1)·16 = 448; the block's conv 3·3·16·16 = 2,304 (no bias); batch norm 4·16 = 64
  // (Keras counts its moving mean and variance); side (16 + 1)·8 = 136; 16 + 8 = 24 channels.
  const ModelSummary summary = MustSummarize(text);
  EXPECT_EQ(Kinds(summary), (std::vector<std::string>{"Input", "Conv2D", "Conv2D", "BatchNormalization", "Add",
                                                      "Activation", "Conv2D", "Concatenate"}));
  ASSERT_EQ(summary.layers.size(), 8u);
  EXPECT_EQ(summary.layers[4].inputs, (std::vector<int>{3, 1})) << "the block's input joins its output";
  EXPECT_EQ(summary.layers[4].source, "self.block.add = layers.Add()");
  EXPECT_EQ(summary.layers[7].output_shape, (Shape{8, 8, 24}));
  EXPECT_EQ(summary.total_parameters, 448 + 2304 + 64 + 136);
}

TEST(keras_model_class, a_subclassed_model_without_an_input_shape_asks_for_model_build) {
  std::string text = kKerasQuickstart;
  text.replace(text.find("model.build((None, 28, 28, 1))"), 30, "");
  EXPECT_NE(ErrorOf(text).find("model.build((None, height, width, channels))"), std::string::npos) << ErrorOf(text);
}

TEST(keras_model_class, messages_name_call_rather_than_forward) {
  std::string text = kKerasQuickstart;
  text.replace(text.find("x = self.d1(x)"), 14, "x = self.d3(x)");
  const std::string error = ErrorOf(text);
  EXPECT_NE(error.find(":15: call() calls self.d3, but __init__ makes no layer by that name"), std::string::npos) << error;
}

}  // namespace
