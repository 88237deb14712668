// TensorFlow 1 graph code read by SummarizeModel: TensorFlow's "Deep MNIST for experts" tutorial,
// the seed's tf.layers code and the other ways learners write TF1 models, against shapes and
// parameter counts worked out by hand in the comments (TensorFlow is not in Debian); and each
// refusal, on the line TensorFlow would fail on, naming what to write instead.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "convtutor/model.h"
#include "scene_builders.h"

namespace {

using convtutor::lessons::ModelSummary;
using convtutor::lessons::SummarizeModel;
using convtutor::testing::MustSummarize;
using Shape = std::vector<int>;

// The tutorial as TensorFlow published it, training loop included (lines numbered in the comments).
const char* const kDeepMnist =
    "from tensorflow.examples.tutorials.mnist import input_data\n"          // 1
    "mnist = input_data.read_data_sets('MNIST_data', one_hot=True)\n"       // 2
    "import tensorflow as tf\n"                                             // 3
    "sess = tf.InteractiveSession()\n"                                      // 4
    "x = tf.placeholder(tf.float32, shape=[None, 784])\n"                   // 5
    "y_ = tf.placeholder(tf.float32, shape=[None, 10])\n"                   // 6
    "def weight_variable(shape):\n"                                         // 7
    "  initial = tf.truncated_normal(shape, stddev=0.1)\n"                  // 8
    "  return tf.Variable(initial)\n"                                       // 9
    "def bias_variable(shape):\n"                                           // 10
    "  initial = tf.constant(0.1, shape=shape)\n"                           // 11
    "  return tf.Variable(initial)\n"                                       // 12
    "def conv2d(x, W):\n"                                                   // 13
    "  return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')\n"   // 14
    "def max_pool_2x2(x):\n"                                                // 15
    "  return tf.nn.max_pool(x, ksize=[1, 2, 2, 1],\n"                      // 16
    "                        strides=[1, 2, 2, 1], padding='SAME')\n"       // 17
    "W_conv1 = weight_variable([5, 5, 1, 32])\n"                            // 18
    "b_conv1 = bias_variable([32])\n"                                       // 19
    "x_image = tf.reshape(x, [-1, 28, 28, 1])\n"                            // 20
    "h_conv1 = tf.nn.relu(conv2d(x_image, W_conv1) + b_conv1)\n"            // 21
    "h_pool1 = max_pool_2x2(h_conv1)\n"                                     // 22
    "W_conv2 = weight_variable([5, 5, 32, 64])\n"                           // 23
    "b_conv2 = bias_variable([64])\n"                                       // 24
    "h_conv2 = tf.nn.relu(conv2d(h_pool1, W_conv2) + b_conv2)\n"            // 25
    "h_pool2 = max_pool_2x2(h_conv2)\n"                                     // 26
    "W_fc1 = weight_variable([7 * 7 * 64, 1024])\n"                         // 27
    "b_fc1 = bias_variable([1024])\n"                                       // 28
    "h_pool2_flat = tf.reshape(h_pool2, [-1, 7*7*64])\n"                    // 29
    "h_fc1 = tf.nn.relu(tf.matmul(h_pool2_flat, W_fc1) + b_fc1)\n"          // 30
    "keep_prob = tf.placeholder(tf.float32)\n"                              // 31
    "h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)\n"                        // 32
    "W_fc2 = weight_variable([1024, 10])\n"                                 // 33
    "b_fc2 = bias_variable([10])\n"                                         // 34
    "y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2\n"                       // 35
    "cross_entropy = tf.reduce_mean(\n"
    "    tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y_conv))\n"
    "train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)\n"
    "correct_prediction = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))\n"
    "accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))\n"
    "with tf.Session() as sess:\n"
    "  sess.run(tf.global_variables_initializer())\n"
    "  for i in range(20000):\n"
    "    batch = mnist.train.next_batch(50)\n"
    "    if i % 100 == 0:\n"
    "      train_accuracy = accuracy.eval(feed_dict={\n"
    "          x: batch[0], y_: batch[1], keep_prob: 1.0})\n"
    "      print('step %d, training accuracy %g' % (i, train_accuracy))\n"
    "    train_step.run(feed_dict={x: batch[0], y_: batch[1], keep_prob: 0.5})\n"
    "  print('test accuracy %g' % accuracy.eval(feed_dict={\n"
    "      x: mnist.test.images, y_: mnist.test.labels, keep_prob: 1.0}))\n";

std::string ErrorOf(const std::string& text) {
  const auto summary = SummarizeModel(text);
  if (summary) return "(read without error)";
  return std::to_string(summary.error().line) + ": " + summary.error().message;
}

TEST(model_tensorflow1, deep_mnist_tutorial_gives_every_shape_and_the_tutorials_parameter_count) {
  const ModelSummary summary = MustSummarize(kDeepMnist);
  ASSERT_EQ(summary.layers.size(), 13u);
  const auto& layers = summary.layers;
  EXPECT_FALSE(summary.channels_first);
  // Input: 784 values per sample, reshaped to 28×28×1 (784 = 28·28·1).
  EXPECT_EQ(layers[0].kind, "Input");
  EXPECT_EQ(layers[0].output_shape, (Shape{784}));
  EXPECT_EQ(layers[0].line, 5);
  EXPECT_EQ(layers[1].kind, "Reshape");
  EXPECT_EQ(layers[1].output_shape, (Shape{28, 28, 1}));
  // conv1: 5×5 SAME at stride 1 keeps 28×28; W [5, 5, 1, 32] and b [32]: 5·5·1·32 + 32 = 832.
  EXPECT_EQ(layers[2].kind, "Conv2D");
  EXPECT_EQ(layers[2].output_shape, (Shape{28, 28, 32}));
  EXPECT_EQ(layers[2].parameters, 5 * 5 * 1 * 32 + 32);
  EXPECT_EQ(layers[2].line, 21);  // where conv2d(x_image, W_conv1) is called, not inside the helper
  EXPECT_EQ(layers[2].source, "conv2d(x_image, W_conv1) + b_conv1");
  EXPECT_EQ(layers[3].kind, "Activation");
  // pool1: 2×2 SAME at stride 2: ⌈28 / 2⌉ = 14.
  EXPECT_EQ(layers[4].kind, "MaxPooling2D");
  EXPECT_EQ(layers[4].output_shape, (Shape{14, 14, 32}));
  EXPECT_EQ(layers[4].line, 22);
  // conv2: 5·5·32·64 + 64 = 51,264; pool2: ⌈14 / 2⌉ = 7.
  EXPECT_EQ(layers[5].output_shape, (Shape{14, 14, 64}));
  EXPECT_EQ(layers[5].parameters, 5 * 5 * 32 * 64 + 64);
  EXPECT_EQ(layers[7].output_shape, (Shape{7, 7, 64}));
  // Flat: 7·7·64 = 3,136; fc1: 3,136·1,024 + 1,024 = 3,212,288; fc2: 1,024·10 + 10 = 10,250.
  EXPECT_EQ(layers[8].kind, "Flatten");
  EXPECT_EQ(layers[8].output_shape, (Shape{3136}));
  EXPECT_EQ(layers[9].kind, "Dense");
  EXPECT_EQ(layers[9].output_shape, (Shape{1024}));
  EXPECT_EQ(layers[9].parameters, 3136 * 1024 + 1024);
  EXPECT_EQ(layers[11].kind, "Dropout");
  EXPECT_EQ(layers[12].kind, "Dense");
  EXPECT_EQ(layers[12].output_shape, (Shape{10}));
  EXPECT_EQ(layers[12].parameters, 1024 * 10 + 10);
  EXPECT_EQ(layers[12].line, 35);
  // 832 + 51,264 + 3,212,288 + 10,250 = 3,274,634.
  EXPECT_EQ(summary.total_parameters, 832 + 51264 + 3212288 + 10250);
  EXPECT_EQ(summary.total_parameters, 3274634);
  // The arithmetic names the variables it counts.
  EXPECT_NE(layers[2].parameters_formula.find("W_conv1, b_conv1"), std::string::npos) << layers[2].parameters_formula;
  // Work: 28·28·32 outputs · 5·5·1 = 627,200.
  EXPECT_EQ(layers[2].multiply_adds, 28 * 28 * 32 * 5 * 5 * 1);
}

TEST(model_tensorflow1, seed_tf_layers_code_with_defaults_valid_padding_and_stride_one) {
  // 256 − 5 + 1 = 252 (padding 'valid', strides 1 by default); (5·5·3 + 1)·32 = 2,432.
  // max_pooling2d(conv1, 2, 2): ⌊(252 − 2) / 2⌋ + 1 = 126.
  // kernel (4, 4) stride 2 'valid': ⌊(126 − 4) / 2⌋ + 1 = 62; (4·4·32 + 1)·32 = 16,416.
  // The same with padding='same': ⌈126 / 2⌉ = 63.
  const ModelSummary summary = MustSummarize(
      "Input(256, 256, 3)\n"
      "# Convolution Layer with 32 filters and a kernel size of 5\n"
      "conv1 = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)\n"
      "# Max Pooling (down-sampling) with strides of 2 and kernel size of 2\n"
      "conv1 = tf.layers.max_pooling2d(conv1, 2, 2)\n"
      "conv2 = tf.layers.conv2d(conv1, 32, (4,4),strides=(2,2), activation=tf.nn.relu)\n");
  ASSERT_EQ(summary.layers.size(), 4u);
  EXPECT_EQ(summary.layers[0].output_shape, (Shape{256, 256, 3}));
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{252, 252, 32}));
  EXPECT_EQ(summary.layers[1].parameters, (5 * 5 * 3 + 1) * 32);
  EXPECT_EQ(summary.layers[1].line, 3);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{126, 126, 32}));
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{62, 62, 32}));
  EXPECT_EQ(summary.layers[3].parameters, (4 * 4 * 32 + 1) * 32);
  const ModelSummary same = MustSummarize(
      "Input(126, 126, 32)\n"
      "conv2 = tf.layers.conv2d(inputs=x, filters=32, kernel_size=[4, 4], strides=2, padding='same')\n");
  EXPECT_EQ(same.layers[1].output_shape, (Shape{63, 63, 32}));
  EXPECT_EQ(same.layers[1].parameters, (4 * 4 * 32 + 1) * 32);
}

TEST(model_tensorflow1, tf_layers_dense_flatten_dropout_batch_normalization_and_average_pooling) {
  // conv 3×3 'same' on 32×32×3: (3·3·3 + 1)·16 = 448; batch norm: 4·16 = 64 (γ, β, moving mean and
  // variance); average pool 2/2: 16×16; flatten 16·16·16 = 4,096; dense: (4,096 + 1)·10 = 40,970.
  const ModelSummary summary = MustSummarize(
      "x = tf.placeholder(tf.float32, [None, 32, 32, 3])\n"
      "is_training = tf.placeholder(tf.bool)\n"
      "h = tf.layers.conv2d(x, filters=16, kernel_size=3, padding='same', use_bias=True)\n"
      "h = tf.layers.batch_normalization(h, training=is_training)\n"
      "h = tf.layers.average_pooling2d(h, pool_size=2, strides=2)\n"
      "h = tf.layers.flatten(h)\n"
      "h = tf.layers.dropout(h, rate=0.25, training=is_training)\n"
      "logits = tf.layers.dense(h, 10)\n");
  ASSERT_EQ(summary.layers.size(), 7u);
  EXPECT_EQ(summary.layers[1].parameters, (3 * 3 * 3 + 1) * 16);
  EXPECT_EQ(summary.layers[2].kind, "BatchNormalization");
  EXPECT_EQ(summary.layers[2].parameters, 4 * 16);
  EXPECT_EQ(summary.layers[3].output_shape, (Shape{16, 16, 16}));
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{16 * 16 * 16}));
  EXPECT_EQ(summary.layers[5].kind, "Dropout");
  EXPECT_EQ(summary.layers[6].parameters, (4096 + 1) * 10);
  EXPECT_EQ(summary.total_parameters, 448 + 64 + 40970);
}

TEST(model_tensorflow1, parameters_are_the_variables_the_graph_uses) {
  // W [3, 3, 1, 8] and b [8] are used: 3·3·1·8 + 8 = 80. W_unused is never read: not counted.
  // VALID 3×3 on 28: 28 − 3 + 1 = 26. Without a bias the row counts only W: 3·3·8·4 = 288.
  const ModelSummary summary = MustSummarize(
      "x = tf.placeholder(tf.float32, shape=[None, 28, 28, 1])\n"
      "W = tf.get_variable('w', shape=[3, 3, 1, 8])\n"
      "b = tf.Variable(tf.zeros([8]))\n"
      "W_unused = tf.Variable(tf.truncated_normal([5, 5, 8, 64], stddev=0.1))\n"
      "h = tf.nn.bias_add(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='VALID'), b)\n"
      "W2 = tf.Variable(tf.truncated_normal([3, 3, 8, 4]))\n"
      "out = tf.nn.conv2d(h, W2, [1, 2, 2, 1], 'SAME')\n");
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[1].output_shape, (Shape{26, 26, 8}));
  EXPECT_EQ(summary.layers[1].parameters, 3 * 3 * 1 * 8 + 8);
  EXPECT_EQ(summary.layers[2].output_shape, (Shape{13, 13, 4}));  // ⌈26 / 2⌉ = 13
  EXPECT_EQ(summary.layers[2].parameters, 3 * 3 * 8 * 4);
  EXPECT_EQ(summary.total_parameters, 80 + 288);
}

TEST(model_tensorflow1, a_kernel_used_twice_counts_once_as_tensorflow_holds_one_variable) {
  // W [3, 3, 4, 4] with b [4]: 3·3·4·4 + 4 = 148, counted at its first use only.
  const ModelSummary summary = MustSummarize(
      "x = tf.placeholder(tf.float32, [None, 8, 8, 4])\n"
      "W = tf.Variable(tf.truncated_normal([3, 3, 4, 4]))\n"
      "b = tf.Variable(tf.constant(0.1, shape=[4]))\n"
      "h = tf.nn.conv2d(x, W, [1, 1, 1, 1], 'SAME') + b\n"
      "h = tf.nn.conv2d(h, W, [1, 1, 1, 1], 'SAME') + b\n");
  ASSERT_EQ(summary.layers.size(), 3u);
  EXPECT_EQ(summary.layers[1].parameters, 3 * 3 * 4 * 4 + 4);
  EXPECT_EQ(summary.layers[2].parameters, 0);
  EXPECT_EQ(summary.layers[2].shares_parameters_with, 1);
  EXPECT_EQ(summary.total_parameters, 148);
}

TEST(model_tensorflow1, dict_weights_bias_add_helpers_with_defaults_and_a_model_function) {
  // The same network as the tutorial, written with dicts of variables and a conv_net(x, ...) function:
  // 5·5·1·32 + 32 = 832; 5·5·32·64 + 64 = 51,264; 3,136·1,024 + 1,024 = 3,212,288; 1,024·10 + 10 = 10,250.
  const ModelSummary summary = MustSummarize(
      "num_input = 784\n"
      "X = tf.placeholder(tf.float32, [None, num_input])\n"
      "def conv2d(x, W, b, strides=1):\n"
      "    x = tf.nn.conv2d(x, W, strides=[1, strides, strides, 1], padding='SAME')\n"
      "    x = tf.nn.bias_add(x, b)\n"
      "    return tf.nn.relu(x)\n"
      "def maxpool2d(x, k=2):\n"
      "    return tf.nn.max_pool(x, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding='SAME')\n"
      "def conv_net(x, weights, biases, dropout):\n"
      "    x = tf.reshape(x, shape=[-1, 28, 28, 1])\n"
      "    conv1 = conv2d(x, weights['wc1'], biases['bc1'])\n"
      "    conv1 = maxpool2d(conv1, k=2)\n"
      "    conv2 = conv2d(conv1, weights['wc2'], biases['bc2'])\n"
      "    conv2 = maxpool2d(conv2, k=2)\n"
      "    fc1 = tf.reshape(conv2, [-1, weights['wd1'].get_shape().as_list()[0]])\n"
      "    fc1 = tf.add(tf.matmul(fc1, weights['wd1']), biases['bd1'])\n"
      "    fc1 = tf.nn.relu(fc1)\n"
      "    fc1 = tf.nn.dropout(fc1, dropout)\n"
      "    return tf.add(tf.matmul(fc1, weights['out']), biases['out'])\n"
      "weights = {\n"
      "    'wc1': tf.Variable(tf.random_normal([5, 5, 1, 32])),\n"
      "    'wc2': tf.Variable(tf.random_normal([5, 5, 32, 64])),\n"
      "    'wd1': tf.Variable(tf.random_normal([7*7*64, 1024])),\n"
      "    'out': tf.Variable(tf.random_normal([1024, 10]))\n"
      "}\n"
      "biases = {\n"
      "    'bc1': tf.Variable(tf.random_normal([32])),\n"
      "    'bc2': tf.Variable(tf.random_normal([64])),\n"
      "    'bd1': tf.Variable(tf.random_normal([1024])),\n"
      "    'out': tf.Variable(tf.random_normal([10]))\n"
      "}\n"
      "logits = conv_net(X, weights, biases, 0.75)\n");
  EXPECT_EQ(summary.total_parameters, 832 + 51264 + 3212288 + 10250);
  EXPECT_EQ(summary.layers.back().output_shape, (Shape{10}));
  EXPECT_EQ(summary.layers[2].line, 11);  // conv2d(x, weights['wc1'], ...) inside conv_net
}

TEST(model_tensorflow1, name_scopes_tuples_and_main_run_by_tf_app_run) {
  // 28×28×1 → conv 5×5 SAME 32 (832) → pool 14×14 → dropout.
  const ModelSummary summary = MustSummarize(
      "def deepnn(x):\n"
      "  with tf.name_scope('reshape'):\n"
      "    x_image = tf.reshape(x, [-1, 28, 28, 1])\n"
      "  with tf.name_scope('conv1'):\n"
      "    W_conv1 = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))\n"
      "    b_conv1 = tf.Variable(tf.constant(0.1, shape=[32]))\n"
      "    h_conv1 = tf.nn.relu(tf.nn.conv2d(x_image, W_conv1, strides=[1, 1, 1, 1], padding='SAME') + b_conv1)\n"
      "  h_pool1 = tf.nn.max_pool(h_conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
      "  keep_prob = tf.placeholder(tf.float32)\n"
      "  return tf.nn.dropout(h_pool1, keep_prob), keep_prob\n"
      "def main(_):\n"
      "  x = tf.placeholder(tf.float32, [None, 784])\n"
      "  y_conv, keep_prob = deepnn(x)\n"
      "if __name__ == '__main__':\n"
      "  tf.app.run(main=main)\n");
  ASSERT_EQ(summary.layers.size(), 6u);
  EXPECT_EQ(summary.layers[2].parameters, 5 * 5 * 1 * 32 + 32);
  EXPECT_EQ(summary.layers[4].output_shape, (Shape{14, 14, 32}));
  EXPECT_EQ(summary.layers[5].kind, "Dropout");
}

TEST(model_tensorflow1, the_cifar10_tutorials_inference_with_get_variable_helpers_lrn_and_a_fixed_batch) {
  // TensorFlow's CIFAR-10 tutorial (cifar10.py's inference), kept in the fuzz corpus. 24×24×3 images:
  // conv1 5·5·3·64 + 64 = 4,864; pool 3×3/2 SAME ⌈24 / 2⌉ = 12; conv2 5·5·64·64 + 64 = 102,464;
  // pool ⌈12 / 2⌉ = 6; flat 6·6·64 = 2,304; local3 2,304·384 + 384 = 885,120; local4
  // 384·192 + 192 = 73,920; softmax_linear 192·10 + 10 = 1,930.
  std::ifstream file(std::string(CONVTUTOR_SOURCE_DIR) + "/tests/fuzz/corpus/model/tf1-model-04.py");
  std::stringstream text;
  text << file.rdbuf();
  const ModelSummary summary = MustSummarize(text.str());
  EXPECT_EQ(summary.layers[0].output_shape, (Shape{24, 24, 3}));
  EXPECT_EQ(summary.layers[1].parameters, 5 * 5 * 3 * 64 + 64);
  EXPECT_EQ(summary.layers[9].output_shape, (Shape{6 * 6 * 64}));
  EXPECT_EQ(summary.layers.back().output_shape, (Shape{10}));
  EXPECT_EQ(summary.total_parameters, 4864 + 102464 + 885120 + 73920 + 1930);
}

TEST(model_tensorflow1, input_comes_from_the_placeholder_or_from_an_input_line_when_the_code_leaves_it_open) {
  // [None, 28, 28, 1] directly: VALID 3×3 gives 26.
  const ModelSummary direct = MustSummarize(
      "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
      "h = tf.layers.conv2d(x, 4, 3)\n");
  EXPECT_EQ(direct.layers[0].output_shape, (Shape{28, 28, 1}));
  EXPECT_EQ(direct.layers[1].output_shape, (Shape{26, 26, 4}));
  // The placeholder leaves height and width open: Input(64, 64, 3) says them. 64 − 3 + 1 = 62.
  const ModelSummary open = MustSummarize(
      "Input(64, 64, 3)\n"
      "x = tf.placeholder(tf.float32, [None, None, None, 3])\n"
      "h = tf.layers.conv2d(x, 4, 3)\n");
  EXPECT_EQ(open.layers[0].output_shape, (Shape{64, 64, 3}));
  EXPECT_EQ(open.layers[1].output_shape, (Shape{62, 62, 4}));
}

TEST(model_tensorflow1, softmax_regression_and_the_compat_v1_spelling_inside_graph_and_variable_scopes) {
  // MNIST for beginners: W [784, 10] and b [10]: 784·10 + 10 = 7,850.
  const ModelSummary regression = MustSummarize(
      "x = tf.placeholder('float', [None, 784])\n"
      "W = tf.Variable(tf.zeros([784, 10]))\n"
      "b = tf.Variable(tf.zeros([10]))\n"
      "y = tf.nn.softmax(tf.matmul(x, W) + b)\n");
  ASSERT_EQ(regression.layers.size(), 3u);
  EXPECT_EQ(regression.layers[1].kind, "Dense");
  EXPECT_EQ(regression.total_parameters, 784 * 10 + 10);
  // 28 − 3 + 1 = 26; (3·3·1 + 1)·8 = 80.
  const ModelSummary compat = MustSummarize(
      "x = tf.compat.v1.placeholder(tf.float32, shape=(None, 28, 28, 1))\n"
      "with tf.Graph().as_default():\n"
      "    with tf.variable_scope('c1') as scope:\n"
      "        h = tf.compat.v1.layers.conv2d(x, 8, [3, 3], strides=(1, 1), padding='VALID')\n");
  ASSERT_EQ(compat.layers.size(), 2u);
  EXPECT_EQ(compat.layers[1].output_shape, (Shape{26, 26, 8}));
  EXPECT_EQ(compat.layers[1].parameters, 80);
}

TEST(model_tensorflow1, keras_code_with_tf_nn_activations_is_still_read_as_keras) {
  // (3·3·1 + 1)·8 = 80, as Keras counts it.
  const ModelSummary summary = MustSummarize(
      "model = tf.keras.Sequential([\n"
      "  tf.keras.layers.Conv2D(8, 3, activation=tf.nn.relu, input_shape=(28, 28, 1)),\n"
      "])\n");
  ASSERT_EQ(summary.layers.size(), 2u);
  EXPECT_EQ(summary.layers[1].parameters, 80);
}

// ---- Refusals: one line, on the line TensorFlow would fail on, saying what to write ----

const char* const kHead =
    "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"                   // 1
    "W1 = tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1))\n"    // 2
    "b1 = tf.Variable(tf.constant(0.1, shape=[32]))\n"                      // 3
    "h1 = tf.nn.relu(tf.nn.conv2d(x, W1, [1, 1, 1, 1], 'SAME') + b1)\n";    // 4

TEST(model_tensorflow1, a_filter_made_for_other_input_channels_is_refused_naming_both_counts) {
  const std::string error = ErrorOf(std::string(kHead) +
                                    "W2 = tf.Variable(tf.truncated_normal([5, 5, 1, 32]))\n"
                                    "h2 = tf.nn.conv2d(h1, W2, strides=[1, 1, 1, 1], padding='SAME')\n");
  EXPECT_EQ(error.rfind("6: ", 0), 0u) << error;
  EXPECT_NE(error.find("[5, 5, 1, 32], made for 1 input channel, but h1 has 32 channels"), std::string::npos) << error;
  EXPECT_NE(error.find("write [5, 5, 32, 32]"), std::string::npos) << error;
}

TEST(model_tensorflow1, tf_nn_ops_need_padding_and_strides_written_out) {
  const std::string conv = ErrorOf(std::string(kHead) + "W2 = tf.Variable(tf.zeros([3, 3, 32, 8]))\n"
                                                        "h2 = tf.nn.conv2d(h1, W2, strides=[1, 1, 1, 1])\n");
  EXPECT_EQ(conv.rfind("6: ", 0), 0u) << conv;
  EXPECT_NE(conv.find("needs padding='SAME' or padding='VALID'"), std::string::npos) << conv;
  const std::string pool = ErrorOf(std::string(kHead) + "p = tf.nn.max_pool(h1, ksize=[1, 2, 2, 1], padding='SAME')\n");
  EXPECT_EQ(pool.rfind("5: ", 0), 0u) << pool;
  EXPECT_NE(pool.find("needs strides"), std::string::npos) << pool;
  const std::string lower = ErrorOf(std::string(kHead) + "p = tf.nn.max_pool(h1, [1, 2, 2, 1], [1, 2, 2, 1], 'same')\n");
  EXPECT_NE(lower.find("expected 'SAME' or 'VALID'"), std::string::npos) << lower;
  const std::string layers = ErrorOf(std::string(kHead) + "p = tf.layers.max_pooling2d(h1, 2)\n");
  EXPECT_EQ(layers.rfind("5: ", 0), 0u) << layers;
  EXPECT_NE(layers.find("needs strides"), std::string::npos) << layers;
}

TEST(model_tensorflow1, a_bias_of_the_wrong_length_is_refused_on_the_line_that_adds_it) {
  const std::string error = ErrorOf(
      "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
      "W1 = tf.Variable(tf.truncated_normal([5, 5, 1, 32]))\n"
      "b1 = tf.Variable(tf.constant(0.1, shape=[64]))\n"
      "h1 = tf.nn.conv2d(x, W1, [1, 1, 1, 1], 'SAME')\n"
      "h1 = tf.nn.bias_add(h1, b1)\n");
  EXPECT_EQ(error.rfind("5: ", 0), 0u) << error;
  EXPECT_NE(error.find("b1 is [64]"), std::string::npos) << error;
  EXPECT_NE(error.find("makes 32 channels"), std::string::npos) << error;
  EXPECT_NE(error.find("write [32]"), std::string::npos) << error;
}

TEST(model_tensorflow1, matmul_needs_a_flat_tensor_and_weights_for_its_features) {
  const std::string image = ErrorOf(std::string(kHead) + "W = tf.Variable(tf.zeros([100, 10]))\n"
                                                         "y = tf.matmul(h1, W)\n");
  EXPECT_EQ(image.rfind("6: ", 0), 0u) << image;
  // 28·28·32 = 25,088 values per sample.
  EXPECT_NE(image.find("tf.reshape(h1, [-1, 25088])"), std::string::npos) << image;
  const std::string features = ErrorOf(std::string(kHead) + "W = tf.Variable(tf.zeros([100, 10]))\n"
                                                            "f = tf.reshape(h1, [-1, 28 * 28 * 32])\n"
                                                            "y = tf.matmul(f, W)\n");
  EXPECT_EQ(features.rfind("7: ", 0), 0u) << features;
  EXPECT_NE(features.find("made for 100 features, but f has 25,088"), std::string::npos) << features;
  EXPECT_NE(features.find("write [25088, 10]"), std::string::npos) << features;
}

TEST(model_tensorflow1, a_reshape_that_changes_the_values_per_sample_is_refused) {
  const std::string error = ErrorOf(std::string(kHead) + "f = tf.reshape(h1, [-1, 7 * 7 * 64])\n");
  EXPECT_EQ(error.rfind("5: ", 0), 0u) << error;
  EXPECT_NE(error.find("holds 28·28·32 = 25,088 values, which do not make 3,136"), std::string::npos) << error;
}

TEST(model_tensorflow1, the_seed_code_without_an_input_shape_says_how_to_give_one) {
  const std::string error = ErrorOf("conv1 = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)\n"
                                    "conv1 = tf.layers.max_pooling2d(conv1, 2, 2)\n");
  EXPECT_EQ(error.rfind("1: ", 0), 0u) << error;
  EXPECT_NE(error.find("the tutor needs the shape of x"), std::string::npos) << error;
  EXPECT_NE(error.find("Input(height, width, channels)"), std::string::npos) << error;
}

TEST(model_tensorflow1, an_error_inside_a_helper_names_the_line_that_calls_it) {
  const std::string error = ErrorOf(
      "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
      "def conv2d(x, W):\n"
      "  return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1])\n"
      "W = tf.Variable(tf.zeros([3, 3, 1, 4]))\n"
      "h = conv2d(x, W)\n");
  EXPECT_EQ(error.rfind("3: ", 0), 0u) << error;
  EXPECT_NE(error.find("(conv2d is called on line 5)"), std::string::npos) << error;
}

TEST(model_tensorflow1, depthwise_transposed_and_separable_convolutions) {
  // tf.nn.depthwise_conv2d with filter [3, 3, 3, 2]: each of the 3 channels makes 2 maps, 3·2 = 6;
  // SAME keeps 8×8; W and b [6]: 3·3·3·2 + 6 = 60.
  const ModelSummary depthwise = MustSummarize(
      "x = tf.placeholder(tf.float32, [None, 8, 8, 3])\n"
      "W = tf.Variable(tf.truncated_normal([3, 3, 3, 2]))\n"
      "b = tf.Variable(tf.zeros([6]))\n"
      "h = tf.nn.depthwise_conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME') + b\n");
  ASSERT_EQ(depthwise.layers.size(), 2u);
  EXPECT_EQ(depthwise.layers[1].kind, "DepthwiseConv2D");
  EXPECT_EQ(depthwise.layers[1].output_shape, (Shape{8, 8, 6}));
  EXPECT_EQ(depthwise.layers[1].parameters, 3 * 3 * 3 * 2 + 6);
  const std::string bias = ErrorOf(
      "x = tf.placeholder(tf.float32, [None, 8, 8, 3])\n"
      "W = tf.Variable(tf.truncated_normal([3, 3, 3, 2]))\n"
      "b = tf.Variable(tf.zeros([2]))\n"
      "h = tf.nn.bias_add(tf.nn.depthwise_conv2d(x, W, [1, 1, 1, 1], 'SAME'), b)\n");
  EXPECT_NE(bias.find("makes 6 channels"), std::string::npos) << bias;
  // tf.layers.conv2d_transpose, 'same' at stride 2: 8·2 = 16; kernel 3·3·16·4 + 16 = 592.
  // 'valid': (8 − 1)·2 + 3 = 17. tf.layers.separable_conv2d(8, 3) on 8×8×4, 'valid': 8 − 3 + 1 = 6;
  // depthwise 3·3·4 + pointwise 4·8 + bias 8 = 76.
  const ModelSummary up = MustSummarize(
      "x = tf.placeholder(tf.float32, [None, 8, 8, 4])\n"
      "h = tf.layers.conv2d_transpose(x, 16, 3, strides=2, padding='same')\n");
  EXPECT_EQ(up.layers[1].output_shape, (Shape{16, 16, 16}));
  EXPECT_EQ(up.layers[1].parameters, 3 * 3 * 16 * 4 + 16);
  const ModelSummary valid = MustSummarize(
      "x = tf.placeholder(tf.float32, [None, 8, 8, 4])\n"
      "h = tf.layers.conv2d_transpose(x, 16, 3, strides=2)\n");
  EXPECT_EQ(valid.layers[1].output_shape, (Shape{17, 17, 16}));
  const ModelSummary separable = MustSummarize(
      "x = tf.placeholder(tf.float32, [None, 8, 8, 4])\n"
      "h = tf.layers.separable_conv2d(x, 8, 3)\n");
  EXPECT_EQ(separable.layers[1].output_shape, (Shape{6, 6, 8}));
  EXPECT_EQ(separable.layers[1].parameters, 3 * 3 * 4 + 4 * 8 + 8);
}

// A decoder step in tf.nn: 7×7×64 grown to output_shape by a [3, 3, 32, 64] filter ([h, w, out, in]).
constexpr const char* kDecoderHead =
    "batch_size = 50\n"
    "x = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
    "W = tf.Variable(tf.truncated_normal([3, 3, 32, 64], stddev=0.1))\n"
    "b = tf.Variable(tf.constant(0.1, shape=[32]))\n";

TEST(model_tensorflow1, tf_nn_conv2d_transpose_grows_the_picture_to_its_output_shape) {
  // SAME at stride 2 to 7·2 = 14; parameters 3·3·32·64 + 32 = 18,464 (the filter and the bias).
  const ModelSummary doubled = MustSummarize(std::string(kDecoderHead) +
                                             "h = tf.nn.relu(tf.nn.conv2d_transpose(x, W, [batch_size, 14, 14, 32], "
                                             "[1, 2, 2, 1], padding='SAME') + b)\n");
  ASSERT_EQ(doubled.layers.size(), 3u);
  EXPECT_EQ(doubled.layers[1].kind, "Conv2DTranspose");
  EXPECT_EQ(doubled.layers[1].output_shape, (Shape{14, 14, 32}));
  EXPECT_EQ(doubled.layers[1].parameters, 3 * 3 * 32 * 64 + 32);
  EXPECT_EQ(doubled.total_parameters, 18464);
  // SAME also takes (7 − 1)·2 + 1 = 13, and padding defaults to 'SAME' in conv2d_transpose alone.
  const ModelSummary odd = MustSummarize(std::string(kDecoderHead) +
                                         "h = tf.nn.conv2d_transpose(x, W, [1, 13, 13, 32], [1, 2, 2, 1]) + b\n");
  EXPECT_EQ(odd.layers[1].output_shape, (Shape{13, 13, 32}));
  // VALID takes (7 − 1)·2 + 3 = 15 up to 15 + 2 − 1 = 16, each axis on its own.
  const ModelSummary valid = MustSummarize(std::string(kDecoderHead) +
                                           "h = tf.nn.conv2d_transpose(x, W, [1, 16, 15, 32], [1, 2, 2, 1], 'VALID') + b\n");
  EXPECT_EQ(valid.layers[1].output_shape, (Shape{16, 15, 32}));
}

TEST(model_tensorflow1, tf_nn_conv2d_transpose_refuses_what_tensorflow_refuses_on_its_line) {
  // 20 is outside SAME's 13 to 14 for 7 rows at stride 2.
  const std::string size =
      ErrorOf(std::string(kDecoderHead) + "h = tf.nn.conv2d_transpose(x, W, [1, 20, 20, 32], [1, 2, 2, 1], 'SAME')\n");
  EXPECT_EQ(size.rfind("5: ", 0), 0u) << size;
  EXPECT_NE(size.find("13 to 14"), std::string::npos) << size;
  // The filter's third size (32) is the output's channels.
  const std::string channels =
      ErrorOf(std::string(kDecoderHead) + "h = tf.nn.conv2d_transpose(x, W, [1, 14, 14, 16], [1, 2, 2, 1], 'SAME')\n");
  EXPECT_NE(channels.find("16 channels"), std::string::npos) << channels;
  // Its fourth size must be the input's 64 channels.
  const std::string input = ErrorOf(
      "x = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
      "W = tf.Variable(tf.truncated_normal([3, 3, 32, 16]))\n"
      "h = tf.nn.conv2d_transpose(x, W, [1, 14, 14, 32], [1, 2, 2, 1], 'SAME')\n");
  EXPECT_EQ(input.rfind("3: ", 0), 0u) << input;
  EXPECT_NE(input.find("[3, 3, 32, 64]"), std::string::npos) << input;
  const std::string missing =
      ErrorOf(std::string(kDecoderHead) + "h = tf.nn.conv2d_transpose(x, W, strides=[1, 2, 2, 1])\n");
  EXPECT_NE(missing.find("needs output_shape"), std::string::npos) << missing;
}

TEST(model_tensorflow1, skip_connections_and_concatenations_are_merge_rows_of_the_graph) {
  // Rows: 0 input, 1 conv (W1, b1), 2 relu (h1), 3 conv 3×3 'same' 32: (3·3·32 + 1)·32 = 9,248,
  // 4 the Add of rows 3 and 2, both (28, 28, 32).
  const ModelSummary residual = MustSummarize(std::string(kHead) +
                                              "h2 = tf.layers.conv2d(h1, 32, 3, padding='same')\n"
                                              "h3 = h2 + h1\n");
  ASSERT_EQ(residual.layers.size(), 5u);
  EXPECT_EQ(residual.layers[3].parameters, (3 * 3 * 32 + 1) * 32);
  EXPECT_EQ(residual.layers[4].kind, "Add");
  EXPECT_EQ(residual.layers[4].inputs, (std::vector<int>{3, 2}));
  EXPECT_EQ(residual.layers[4].output_shape, (Shape{28, 28, 32}));
  EXPECT_EQ(residual.layers[4].line, 6);
  // Two branches from h1: 1×1 to 16 maps and 3×3 'same' to 8; concatenated on the channels: 16 + 8 = 24.
  const ModelSummary inception = MustSummarize(std::string(kHead) +
                                               "a = tf.layers.conv2d(h1, 16, 1)\n"
                                               "b = tf.layers.conv2d(h1, 8, 3, padding='same')\n"
                                               "c = tf.concat([a, b], 3)\n");
  ASSERT_EQ(inception.layers.size(), 6u);
  EXPECT_EQ(inception.layers[3].inputs, (std::vector<int>{2}));
  EXPECT_EQ(inception.layers[4].inputs, (std::vector<int>{2}));
  EXPECT_EQ(inception.layers[5].kind, "Concatenate");
  EXPECT_EQ(inception.layers[5].output_shape, (Shape{28, 28, 16 + 8}));
}

TEST(model_tensorflow1, loops_mismatched_merges_and_mixed_frameworks_are_refused_on_their_line) {
  // 'valid' 3×3 makes 26×26, which cannot be added to the 28×28 shortcut.
  const std::string merge = ErrorOf(std::string(kHead) + "h2 = tf.layers.conv2d(h1, 32, 3)\n"
                                                         "h3 = h2 + h1\n");
  EXPECT_EQ(merge.rfind("6: ", 0), 0u) << merge;
  EXPECT_NE(merge.find("(26, 26, 32)"), std::string::npos) << merge;
  EXPECT_NE(merge.find("(28, 28, 32)"), std::string::npos) << merge;
  const std::string loop = ErrorOf(std::string(kHead) + "for i in range(3):\n"
                                                        "  h1 = tf.layers.conv2d(h1, 32, 3)\n");
  EXPECT_EQ(loop.rfind("5: not supported yet: layers made inside `for`", 0), 0u) << loop;
  const std::string mixed = ErrorOf(std::string(kHead) + "y = tf.keras.layers.Dense(10)(h1)\n");
  EXPECT_EQ(mixed.rfind("5: mixes TensorFlow 1 ops and Keras layers (Dense)", 0), 0u) << mixed;
  const std::string keyword = ErrorOf(std::string(kHead) + "h2 = tf.layers.conv2d(h1, 8, 3, stride=2)\n");
  EXPECT_NE(keyword.find("unknown argument \"stride\" (TensorFlow spells it strides)"), std::string::npos) << keyword;
}

TEST(model_tensorflow1, cut_up_and_deeply_nested_code_is_refused_without_crashing) {
  std::string nested = std::string(kHead) + "h2 = ";
  for (int i = 0; i < 300; ++i) nested += "tf.nn.relu(";
  nested += "h1";
  for (int i = 0; i < 300; ++i) nested += ")";
  EXPECT_FALSE(SummarizeModel(nested + "\n").ok());
  std::string calls = "x = tf.placeholder(tf.float32, [None, 4])\ndef f(x):\n  return f(x)\ny = f(x)\n";
  EXPECT_NE(ErrorOf(calls).find("too deeply"), std::string::npos) << ErrorOf(calls);
  // Each function calls the next ten times: 10^15 calls if followed to the end.
  std::string fanned = "x = tf.placeholder(tf.float32, [None, 4])\n";
  for (int i = 0; i < 15; ++i) {
    fanned += "def f" + std::to_string(i) + "(x):\n  return [";
    for (int k = 0; k < 10; ++k) fanned += (k ? ", f" : "f") + std::to_string(i + 1) + "(x)";
    fanned += "]\n";
  }
  fanned += "def f15(x):\n  return 1\ny = f0(x)\n";
  EXPECT_NE(ErrorOf(fanned).find("too many times"), std::string::npos) << ErrorOf(fanned);
  const std::string text = kDeepMnist;
  for (std::size_t cut = 0; cut < text.size(); cut += 97) (void)SummarizeModel(text.substr(0, cut));
}

}  // namespace
