// Model summaries: a stack of layers written the way Keras or PyTorch code writes them (Conv2D(32, (3, 3),
// activation='relu'), nn.Sequential(...), a class Net(nn.Module) with forward, ...) becomes each layer's
// output shape and parameter count, with the arithmetic spelled out: "paste your model, see every layer".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/result.h"

namespace convtutor::lessons {

// One layer of a summary, without the batch axis: {height, width, channels} for images in Keras's
// channels-last convention, or {channels, height, width} for a PyTorch model (channels_first);
// {units} after Flatten/Dense/Linear.
struct ModelLayer {
  int line = 0;                  // 1-based line of the layer in the text it was parsed from
  std::string source;            // the call as written, e.g. "Conv2D(24, (8, 8), strides=(2, 2))"
  std::string kind;              // canonical name: "Input", "Conv2D", "MaxPooling2D", "Dense", ... for Keras;
                                 // "Conv2d", "MaxPool2d", "AvgPool2d", "Linear", "BatchNorm2d", ... for PyTorch
  std::vector<int> output_shape; // e.g. {61, 61, 24} or {2400}
  std::vector<int> inputs;       // the rows it reads (indices into ModelSummary::layers); none for the Input
  std::int64_t parameters = 0;   // trainable + non-trainable, as Keras's summary counts them
  // Work for one input, counted as the scenes count it: convolution out cells·C·kh·kw, Dense/Linear
  // inputs·units, pooling out cells·window taps; 0 for layers that only move or scale values.
  std::int64_t multiply_adds = 0;
  // The arithmetic with this layer's numbers, for the learner: e.g.
  // shape "⌊(128 − 8) / 2⌋ + 1 = 61", parameters "(8·8·3 + 1)·24 = 4,632". Empty when trivial.
  std::string shape_formula;
  std::string parameters_formula;
  // What the layer was given, so exercises can work out the typical wrong paths.
  std::vector<int> input_shape;
  int filters = 0;                 // Conv2D filters, Dense units
  int kernel_rows = 1, kernel_cols = 1;      // Conv2D kernel, pooling window
  int stride_rows = 1, stride_cols = 1;
  int dilation_rows = 1, dilation_cols = 1;
  bool same_padding = false;       // padding='same'
  int pad_rows = 0, pad_cols = 0;  // PyTorch's explicit padding, per side
  bool ceil_mode = false;          // PyTorch pooling
  bool count_include_pad = true;   // PyTorch AvgPool2d: padded cells count in the average
  int divisor_override = 0;        // PyTorch AvgPool2d: divides by this instead of the window; 0 = not set
  bool use_bias = true;
  bool channels_first = false;     // shapes are (C, H, W): a PyTorch model
  // A PyTorch module called again in forward (self.pool twice): the index of the row where its
  // parameters are counted; this row then counts 0 of them. -1 when the layer owns its parameters.
  int shares_parameters_with = -1;
};

struct ModelSummary {
  std::vector<ModelLayer> layers;  // layers[0] is the Input
  std::int64_t total_parameters = 0;
  std::int64_t total_multiply_adds = 0;
  bool channels_first = false;     // a PyTorch model: shapes are (C, H, W)
};

// "(61, 61, 24)" style, as Keras prints shapes (without "None").
std::string ShapeText(const std::vector<int>& shape);

// Parses a layer stack. Tolerant of real Keras code: keras.layers./layers./tf.keras. prefixes,
// Sequential([...]) and model.add(...) wrappers, import lines, comments, keyword arguments,
// ints or tuples, input_shape=... on the first layer or an Input(...) layer (Input(300, 300, 3),
// Input(shape=(300, 300, 3))). PyTorch stacks are understood too: nn.Sequential(nn.Conv2d(3, 16, 3,
// padding=1), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4096, 10)) after Input(3, 32, 32) (channels
// first, as PyTorch counts) or torch.randn(1, 3, 32, 32); mismatched in_channels/in_features are
// reported as PyTorch would fail on them. A text may not mix the two.
// PyTorch's class form is read too (a text with `def forward`): class Net(nn.Module) whose __init__
// makes self.name = nn.Layer(...) or nn.Sequential(...) (members expanded in place), applied in the
// order forward calls them (self.pool(F.relu(self.conv1(x))) is conv1, relu, pool), with F.relu and
// other activations, F.max_pool2d / F.avg_pool2d / F.adaptive_avg_pool2d, F.dropout, torch.flatten(x, 1),
// x.view / x.reshape (the values per sample must match, as in PyTorch) between them. The input comes
// from Input(C, H, W) or torch.randn(1, C, H, W) outside the class. A module called twice is two rows;
// the second adds no parameters (shares_parameters_with), so total_parameters is PyTorch's
// sum(p.numel() for p in model.parameters()). Refused as "not supported yet": if/for in forward,
// branches and skip connections (x + identity), torch.cat, nn.ModuleList, several classes; a weighted
// layer forward never calls is refused too (PyTorch would count it in no row).
// TensorFlow 1 graph code is read too (model/tensorflow1_reader.h): tf.layers.* and tf.nn ops on the
// tensor from a tf.placeholder, with weight variables of known shape; its parameters are the
// variables the graph uses, a bias in its convolution's or matmul's row.
// `first_line` is the file line of the text's first line, so errors name the line in the lesson file
// and what was not understood. Never throws.
Result<ModelSummary> SummarizeModel(std::string_view text, int first_line = 1);

}  // namespace convtutor::lessons
