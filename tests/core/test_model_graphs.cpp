// Model graphs: Keras's functional API and merges, worked by hand from Keras's documented formulas
// (Keras is not in Debian; PyTorch's graphs are held to PyTorch itself in test_model's goldens),
// the new convolution kinds in both readers, and the refusals a framework would give, on their line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "convtutor/model.h"
#include "scene_builders.h"

namespace {

using convtutor::lessons::ModelSummary;
using convtutor::lessons::SummarizeModel;
using convtutor::testing::MustSummarize;
using Shape = std::vector<int>;
using Rows = std::vector<int>;

std::string ErrorOf(const std::string& text) {
  const auto summary = SummarizeModel(text);
  return summary.ok() ? "(no error)" : summary.error().ToString();
}

// A PyTorch block whose forward is `body` (indented 8), with the layers of `init`.
std::string Block(const std::string& init, const std::string& body, const std::string& input = "Input(4, 8, 8)") {
  return input + "\n"
         "class Block(nn.Module):\n"
         "    def __init__(self):\n"
         "        super().__init__()\n" + init +
         "    def forward(self, x):\n" + body;
}

TEST(keras_graph, a_residual_block_adds_the_input_back_and_counts_keras_parameters) {
  // Conv2D 3·3·16·16 = 2,304 weights (no bias) twice; BatchNormalization 4·16 = 64 twice (γ, β,
  // moving mean and variance); 'same' keeps 32×32; the Add reads the last BatchNormalization and the
  // input, equal shapes (32, 32, 16). Total 2·2,304 + 2·64 = 4,736.
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(32, 32, 16))\n"
      "x = layers.Conv2D(16, 3, padding='same', use_bias=False)(inputs)\n"
      "x = layers.BatchNormalization()(x)\n"
      "x = layers.ReLU()(x)\n"
      "x = layers.Conv2D(16, 3, padding='same', use_bias=False)(x)\n"
      "x = layers.BatchNormalization()(x)\n"
      "x = layers.Add()([x, inputs])\n"
      "outputs = layers.ReLU()(x)\n"
      "model = keras.Model(inputs, outputs)\n");
  ASSERT_EQ(summary.layers.size(), 8u);
  EXPECT_EQ(summary.layers[1].parameters, 2304);
  EXPECT_EQ(summary.layers[2].parameters, 64);
  EXPECT_EQ(summary.layers[6].kind, "Add");
  EXPECT_EQ(summary.layers[6].inputs, (Rows{5, 0}));
  EXPECT_EQ(summary.layers[6].line, 7);
  EXPECT_EQ(summary.layers[6].output_shape, (Shape{32, 32, 16}));
  EXPECT_EQ(summary.layers[6].parameters, 0);
  EXPECT_NE(summary.layers[6].shape_formula.find("equal shapes"), std::string::npos) << summary.layers[6].shape_formula;
  EXPECT_EQ(summary.layers[7].inputs, (Rows{6}));
  EXPECT_EQ(summary.total_parameters, 4736);
}

TEST(keras_graph, concatenate_stacks_channels_by_default_and_other_axes_when_asked) {
  // Two branches of 16 maps each: 16 + 16 = 32 channels; along axis=1 the rows add: 32 + 32 = 64.
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(32, 32, 3))\n"
      "a = layers.Conv2D(16, 1)(inputs)\n"
      "b = layers.Conv2D(16, 3, padding='same')(inputs)\n"
      "c = layers.Concatenate()([a, b])\n"
      "d = layers.concatenate([a, a], axis=1)\n");
  ASSERT_EQ(summary.layers.size(), 5u);
  EXPECT_EQ(summary.layers[2].inputs, (Rows{0}));
  EXPECT_EQ(summary.layers[3].inputs, (Rows{1, 2}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{32, 32, 32}));
  EXPECT_EQ(summary.layers[3].shape_formula, "16 + 16 = 32 channels");
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{64, 32, 16}));
  EXPECT_EQ(summary.layers[4].shape_formula, "32 + 32 = 64 rows");
}

TEST(keras_graph, an_add_of_different_shapes_is_refused_on_its_line_naming_both) {
  // strides=2 with 'same': ⌈32 / 2⌉ = 16, so (16, 16, 32) meets (32, 32, 32).
  const std::string error = ErrorOf(
      "inputs = keras.Input(shape=(32, 32, 3))\n"
      "a = layers.Conv2D(32, 3, strides=2, padding='same')(inputs)\n"
      "b = layers.Conv2D(32, 3, padding='same')(inputs)\n"
      "y = layers.Add()([a, b])\n");
  EXPECT_NE(error.find(":4:"), std::string::npos) << error;
  EXPECT_NE(error.find("(16, 16, 32)"), std::string::npos) << error;
  EXPECT_NE(error.find("(32, 32, 32)"), std::string::npos) << error;
  const std::string concat = ErrorOf(
      "inputs = keras.Input(shape=(32, 32, 3))\n"
      "a = layers.Conv2D(8, 3, strides=2, padding='same')(inputs)\n"
      "y = layers.Concatenate()([a, inputs])\n");
  EXPECT_NE(concat.find(":3:"), std::string::npos) << concat;
  EXPECT_NE(concat.find("(16, 16, 8)"), std::string::npos) << concat;
  EXPECT_NE(concat.find("(32, 32, 3)"), std::string::npos) << concat;
}

TEST(keras_graph, subtract_multiply_average_maximum_and_the_plus_operator_merge_equal_shapes) {
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(4, 4, 2))\n"
      "a = layers.Conv2D(2, 1)(inputs)\n"
      "s = layers.Subtract()([a, inputs])\n"
      "m = layers.Multiply()([s, a])\n"
      "v = layers.Average()([m, s, a])\n"
      "x = layers.Maximum()([v, inputs])\n"
      "y = x + a\n");
  ASSERT_EQ(summary.layers.size(), 7u);
  EXPECT_EQ(summary.layers[4].kind, "Average");
  EXPECT_EQ(summary.layers[4].inputs, (Rows{3, 2, 1}));
  EXPECT_EQ(summary.layers[6].kind, "Add");
  EXPECT_EQ(summary.layers[6].inputs, (Rows{5, 1}));
  for (std::size_t row = 2; row < 7; ++row) EXPECT_EQ(summary.layers[row].output_shape, (Shape{4, 4, 2}));
  EXPECT_EQ(summary.total_parameters, (1 * 1 * 2 + 1) * 2);  // only the 1×1 convolution learns
}

TEST(keras_graph, a_layer_made_once_and_applied_twice_counts_its_weights_once) {
  // (3·3·8 + 1)·8 = 584, on the first application only.
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(8, 8, 8))\n"
      "conv = layers.Conv2D(8, 3, padding='same')\n"
      "a = conv(inputs)\n"
      "b = conv(a)\n");
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[1].parameters, 584);
  EXPECT_EQ(summary.layers[2].parameters, 0);
  EXPECT_EQ(summary.layers[2].shares_parameters_with, 1);
  EXPECT_EQ(summary.layers[2].inputs, (Rows{1}));
  EXPECT_EQ(summary.total_parameters, 584);
}

TEST(keras_layers, conv2d_transpose_grows_the_picture_by_kerass_rule) {
  // Keras's deconv_output_length, kernel (3, 3, 32, 64) + 32 bias = 3·3·64·32 + 32 = 18,464:
  // 'same' n·s = 7·2 = 14; 'valid' n·s + max(k − s, 0) = 14 + 1 = 15;
  // output_padding=1 with 'same': (n − 1)·s + k − 2·⌊k/2⌋ + 1 = 12 + 3 − 2 + 1 = 14;
  // output_padding=1 with 'valid': 12 + 3 + 1 = 16.
  const auto grown = [](const std::string& layer) {
    return MustSummarize("Input(7, 7, 64)\n" + layer + "\n").layers[1];
  };
  const auto same = grown("Conv2DTranspose(32, 3, strides=2, padding='same')");
  EXPECT_EQ(same.output_shape, (Shape{14, 14, 32}));
  EXPECT_EQ(same.parameters, 18464);
  EXPECT_EQ(same.shape_formula, "7\u00B72 = 14");
  EXPECT_EQ(grown("Conv2DTranspose(32, 3, strides=2)").output_shape, (Shape{15, 15, 32}));
  EXPECT_EQ(grown("Conv2DTranspose(32, 3, strides=2, padding='same', output_padding=1)").output_shape,
            (Shape{14, 14, 32}));
  EXPECT_EQ(grown("Conv2DTranspose(32, 3, strides=2, output_padding=1)").output_shape, (Shape{16, 16, 32}));
  EXPECT_NE(ErrorOf("Input(7, 7, 64)\nConv2DTranspose(32, 3, strides=2, output_padding=2)\n").find(":2:"),
            std::string::npos);
}

TEST(keras_layers, depthwise_and_separable_convolutions_count_as_keras_documents) {
  // DepthwiseConv2D(3, depth_multiplier=2) on 16 channels: 16·2 = 32 maps of 26×26, (3·3 + 1)·32 = 320.
  const ModelSummary depthwise = MustSummarize("Input(28, 28, 16)\nDepthwiseConv2D(3, depth_multiplier=2)\n");
  EXPECT_EQ(depthwise.layers[1].output_shape, (Shape{26, 26, 32}));
  EXPECT_EQ(depthwise.layers[1].parameters, 320);
  EXPECT_EQ(depthwise.layers[1].groups, 16);
  // SeparableConv2D(64, 3, 'same') on 32 channels: k·k·C·m + C·m·F + F = 288 + 2,048 + 64 = 2,400.
  const ModelSummary separable = MustSummarize("Input(28, 28, 32)\nSeparableConv2D(64, 3, padding='same')\n");
  EXPECT_EQ(separable.layers[1].output_shape, (Shape{28, 28, 64}));
  EXPECT_EQ(separable.layers[1].parameters, 2400);
  EXPECT_EQ(separable.layers[1].parameters_formula, "3\u00B73\u00B732\u00B71 + 32\u00B71\u00B764 + 64 = 2,400");
}

TEST(keras_layers, a_mobilenet_block_is_depthwise_then_pointwise_with_batch_normalization) {
  // Depthwise 3·3·32 = 288 (no bias), 'same' stride 2: ⌈56 / 2⌉ = 28; BatchNormalization 4·32 = 128;
  // pointwise 1·1·32·64 = 2,048; BatchNormalization 4·64 = 256. Total 2,720.
  const ModelSummary summary = MustSummarize(
      "inputs = keras.Input(shape=(56, 56, 32))\n"
      "x = layers.DepthwiseConv2D(3, strides=2, padding='same', use_bias=False)(inputs)\n"
      "x = layers.BatchNormalization()(x)\n"
      "x = layers.ReLU(6.0)(x)\n"
      "x = layers.Conv2D(64, 1, use_bias=False)(x)\n"
      "x = layers.BatchNormalization()(x)\n"
      "outputs = layers.ReLU(6.0)(x)\n");
  ASSERT_EQ(summary.layers.size(), 7u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{28, 28, 32}));
  EXPECT_EQ(summary.layers[1].parameters, 288);
  EXPECT_EQ(summary.layers[2].parameters, 128);
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{28, 28, 64}));
  EXPECT_EQ(summary.total_parameters, 288 + 128 + 2048 + 256);
}

TEST(keras_layers, grouped_conv2d_sees_a_group_of_channels_and_refuses_groups_that_do_not_divide) {
  // groups=4 on 32 channels: each filter sees 8; (3·3·8 + 1)·64 = 4,672; 8 − 3 + 1 = 6.
  const ModelSummary summary = MustSummarize("Input(8, 8, 32)\nConv2D(64, 3, groups=4)\n");
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{6, 6, 64}));
  EXPECT_EQ(summary.layers[1].parameters, 4672);
  const std::string error = ErrorOf("Input(8, 8, 32)\nConv2D(64, 3, groups=3)\n");
  EXPECT_NE(error.find(":2:"), std::string::npos) << error;
  EXPECT_NE(error.find("groups=3"), std::string::npos) << error;
}

TEST(keras_graph, a_merge_in_a_sequential_stack_asks_for_the_functional_api) {
  const std::string error = ErrorOf("Input(8, 8, 3)\nConv2D(4, 3)\nAdd()\n");
  EXPECT_NE(error.find(":3:"), std::string::npos) << error;
  EXPECT_NE(error.find("functional API"), std::string::npos) << error;
}

TEST(graph_names, rows_are_named_as_keras_and_pytorch_name_them_and_a_stack_is_no_graph) {
  const ModelSummary keras = MustSummarize(
      "inputs = keras.Input(shape=(8, 8, 4))\n"
      "x = layers.Conv2D(4, 3, padding='same')(inputs)\n"
      "x = layers.BatchNormalization()(x)\n"
      "y = layers.Conv2D(4, 1)(inputs)\n"
      "z = layers.Add()([x, y])\n");
  EXPECT_TRUE(convtutor::lessons::IsGraph(keras));
  EXPECT_EQ(convtutor::lessons::LayerNames(keras),
            (std::vector<std::string>{"input", "conv2d", "batch_normalization", "conv2d_1", "add"}));
  const ModelSummary torch = MustSummarize(Block("        self.conv1 = nn.Conv2d(4, 4, 3, padding=1)\n"
                                                 "        self.down = nn.Sequential(nn.Conv2d(4, 4, 1), nn.ReLU())\n",
                                                 "        return F.relu(self.conv1(x) + self.down(x))\n"));
  EXPECT_EQ(convtutor::lessons::LayerNames(torch),
            (std::vector<std::string>{"input", "conv1", "down[0]", "down[1]", "add", "relu"}));
  EXPECT_FALSE(convtutor::lessons::IsGraph(MustSummarize("Input(8, 8, 3)\nConv2D(4, 3)\nFlatten()\nDense(2)\n")));
}

TEST(pytorch_graph, a_join_of_different_heights_is_refused_naming_both_shapes) {
  // The pool halves 8 to 4: torch.cat of (4, 8, 8) and (4, 4, 4) along the channels fails in PyTorch.
  const std::string error = ErrorOf(Block("        self.pool = nn.MaxPool2d(2)\n",
                                          "        return torch.cat([x, self.pool(x)], 1)\n"));
  EXPECT_NE(error.find(":7:"), std::string::npos) << error;
  EXPECT_NE(error.find("(4, 8, 8)"), std::string::npos) << error;
  EXPECT_NE(error.find("(4, 4, 4)"), std::string::npos) << error;
}

TEST(pytorch_graph, a_residual_add_without_downsample_after_a_stride_is_refused_naming_both_shapes) {
  // stride 2: ⌊(8 + 2 − 3)/2⌋ + 1 = 4, so (4, 4, 4) + (4, 8, 8).
  const std::string error = ErrorOf(Block("        self.conv = nn.Conv2d(4, 4, 3, stride=2, padding=1)\n",
                                          "        out = self.conv(x)\n"
                                          "        return out + x\n"));
  EXPECT_NE(error.find(":8: out + x"), std::string::npos) << error;
  EXPECT_NE(error.find("(4, 4, 4)"), std::string::npos) << error;
  EXPECT_NE(error.find("(4, 8, 8)"), std::string::npos) << error;
}

TEST(pytorch_graph, a_residual_add_shows_equal_shapes_and_concat_shows_the_channel_sum) {
  const ModelSummary summary = MustSummarize(Block("        self.conv = nn.Conv2d(4, 4, 3, padding=1)\n",
                                                   "        out = self.conv(x)\n"
                                                   "        out = out + x\n"
                                                   "        return torch.cat([out, x], dim=1)\n"));
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[2].kind, "Add");
  EXPECT_EQ(summary.layers[2].inputs, (Rows{1, 0}));
  EXPECT_EQ(summary.layers[2].shape_formula, "(4, 8, 8) + (4, 8, 8) = (4, 8, 8): equal shapes, cell by cell");
  EXPECT_EQ(summary.layers[3].shape_formula, "4 + 4 = 8 channels");
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{8, 8, 8}));
}

TEST(pytorch_layers, groups_must_divide_both_channel_counts_and_output_padding_stay_below_the_stride) {
  const std::string groups = ErrorOf(Block("        self.conv = nn.Conv2d(4, 6, 3, groups=4)\n", "        return self.conv(x)\n"));
  EXPECT_NE(groups.find(":5:"), std::string::npos) << groups;
  EXPECT_NE(groups.find("groups=4"), std::string::npos) << groups;
  const std::string padding = ErrorOf(Block("        self.up = nn.ConvTranspose2d(4, 4, 3, stride=2, output_padding=2)\n",
                                            "        return self.up(x)\n"));
  EXPECT_NE(padding.find(":5: ConvTranspose2d: output_padding"), std::string::npos) << padding;
}

TEST(pytorch_layers, a_transposed_convolution_shows_its_size_formula_filled_in) {
  // (n − 1)·s − 2p + d·(k − 1) + output_padding + 1 = (14 − 1)·2 − 2·0 + 1·(2 − 1) + 1 = 28.
  const ModelSummary summary = MustSummarize(Block("        self.up = nn.ConvTranspose2d(4, 2, 2, stride=2)\n",
                                                   "        return self.up(x)\n", "Input(4, 14, 14)"));
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{2, 28, 28}));
  EXPECT_EQ(summary.layers[1].shape_formula, "(14 \u2212 1)\u00B72 \u2212 2\u00B70 + 1\u00B7(2 \u2212 1) + 1 = 28");
  EXPECT_EQ(summary.layers[1].parameters, 4 * 2 * 2 * 2 + 2);  // weight (4, 2, 2, 2) + bias 2
}

TEST(pytorch_graph, forward_with_two_tensors_needs_one_input_line_for_each) {
  const std::string error = ErrorOf(Block("", "        return x\n").replace(
      Block("", "").find("    def forward(self, x):"), 25, "    def forward(self, x, skip):"));
  EXPECT_NE(error.find("forward takes 2 tensors (x, skip)"), std::string::npos) << error;
}

TEST(pytorch_graph, calling_a_module_left_none_is_refused_with_the_guard_to_write) {
  const std::string error = ErrorOf(Block("        self.downsample = None\n", "        return self.downsample(x)\n"));
  EXPECT_NE(error.find(":7: self.downsample is None"), std::string::npos) << error;
  EXPECT_NE(error.find("if self.downsample is not None:"), std::string::npos) << error;
}

}  // namespace
