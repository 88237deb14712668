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
  std::string kind;              // canonical name: "Input", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D",
                                 // "SeparableConv2D", "MaxPooling2D", "Dense", ... for Keras; "Conv2d",
                                 // "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "Linear", "BatchNorm2d", ... for
                                 // PyTorch; merges of several rows (either framework): "Add", "Subtract",
                                 // "Multiply", "Average", "Maximum", "Concatenate"
  std::vector<int> output_shape; // e.g. {61, 61, 24} or {2400}
  std::vector<int> inputs;       // the rows it reads (indices of earlier rows); none for an Input row
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
  int pad_rows = 0, pad_cols = 0;  // PyTorch's explicit padding, per side (transposed: cropped per side)
  int groups = 1;                  // grouped convolutions: each filter sees C / groups channels (depthwise: C)
  int depth_multiplier = 0;        // DepthwiseConv2D / SeparableConv2D: maps per input channel of the depthwise part
  int output_padding_rows = 0, output_padding_cols = 0;  // transposed convolutions: extra cells at the end
  bool uneven_crop = false;        // Keras Conv2DTranspose 'same' cropping one cell more at the end than the start
  bool ceil_mode = false;          // PyTorch pooling
  bool count_include_pad = true;   // PyTorch AvgPool2d: padded cells count in the average
  int divisor_override = 0;        // PyTorch AvgPool2d: divides by this instead of the window; 0 = not set
  // ZeroPadding2D (Keras's, and PyTorch's F.pad with zeros) and Cropping2D: the rows of zeros added
  // above and below the picture, and the columns to its left and right; negative: cells cropped.
  int zero_pad_top = 0, zero_pad_bottom = 0, zero_pad_left = 0, zero_pad_right = 0;
  // Upsample (nn.Upsample, F.interpolate, Keras's UpSampling2D): how each new cell gets its value,
  // as written ("nearest", "bilinear", "bicubic", ...); PyTorch's align_corners; and the factor the
  // sides were scaled by when one was given (0 when a size was: PyTorch then maps cells by in / out).
  std::string resize_mode = "nearest";
  bool align_corners = false;
  double scale_factor_rows = 0.0, scale_factor_cols = 0.0;
  bool use_bias = true;
  bool channels_first = false;     // shapes are (C, H, W): a PyTorch model
  // A PyTorch module called again in forward (self.pool twice): the index of the row where its
  // parameters are counted; this row then counts 0 of them. -1 when the layer owns its parameters.
  int shares_parameters_with = -1;
};

// A row that combines several rows (Add, Concatenate, ...): no weights, no window.
bool IsMerge(const ModelLayer& layer);

// A graph: rows in the order the code runs them, each reading earlier rows (ModelLayer::inputs).
// A stack is the graph where every row reads the one before.
struct ModelSummary {
  std::vector<ModelLayer> layers;  // layers[0] is an Input; Input rows read nothing
  std::int64_t total_parameters = 0;
  std::int64_t total_multiply_adds = 0;
  bool channels_first = false;     // a PyTorch model: shapes are (C, H, W)
};

// "(61, 61, 24)" style, as Keras prints shapes (without "None").
std::string ShapeText(const std::vector<int>& shape);

// A name per row, for saying which rows a row reads ("← conv1, add_1"): a PyTorch module's name as
// made in __init__ ("conv1", "downsample[0]"), else the kind in Keras's style ("conv2d",
// "batch_normalization", "add"; "relu" for F.relu); a repeated name gets _1, _2, ... as in Keras.
std::vector<std::string> LayerNames(const ModelSummary& summary);

// Whether some row reads other than the row before it: the summary is a graph, not a stack.
bool IsGraph(const ModelSummary& summary);

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
// sum(p.numel() for p in model.parameters()).
// Graphs are read too: Keras's functional API (x = layers.Conv2D(...)(inputs),
// layers.Add()([x, inputs]), Concatenate, ...), and in forward branches, out + identity, x * y,
// torch.add, torch.cat([a, b], 1), `if` on sizes or on self.downsample is not None, and for loops
// over an nn.ModuleList; each row lists the rows it reads (inputs), and a merge of shapes that do not
// fit is refused on its line naming both. Refused as "not supported yet": while/with/try in forward,
// several classes; a weighted layer forward never calls is refused too (PyTorch would count it in no
// row).
// TensorFlow 1 graph code is read too (model/tensorflow1_reader.h): tf.layers.* and tf.nn ops on the
// tensor from a tf.placeholder, with weight variables of known shape; its parameters are the
// variables the graph uses, a bias in its convolution's or matmul's row.
// `first_line` is the file line of the text's first line, so errors name the line in the lesson file
// and what was not understood. Never throws.
Result<ModelSummary> SummarizeModel(std::string_view text, int first_line = 1);

}  // namespace convtutor::lessons
