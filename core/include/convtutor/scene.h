// What one layer does to one input: the operation, its hyper-parameters, the input and the
// weights. A Scene is immutable data; everything the learner sees is a pure function of it.
#pragma once

#include <string>
#include <vector>

#include "convtutor/tensor.h"

namespace convtutor {

enum class Op { kConv2d, kMaxPool2d, kAvgPool2d, kConvTranspose2d };
enum class PaddingMode { kValid, kSame, kFull, kExplicit };
enum class Activation { kNone, kRelu };
enum class DataFormat { kChannelsFirst, kChannelsLast };

// A pair of numbers along (rows, cols): kernel size, stride, dilation.
struct Size2 {
  int rows = 1;
  int cols = 1;
};

// Padding on each side of the input, in cells.
struct Sides {
  int top = 0;
  int bottom = 0;
  int left = 0;
  int right = 0;
};

struct PaddingSpec {
  PaddingMode mode = PaddingMode::kValid;
  Sides sides;  // used only when mode == kExplicit
};

struct LayerSpec {
  Op op = Op::kConv2d;
  Size2 kernel;    // conv2d: always equal to the weights' kh×kw; pooling: the window
  Size2 stride;
  Size2 dilation;
  PaddingSpec padding;             // conv_transpose2d: explicit only, top = bottom, left = right (PyTorch's p)
  int groups = 1;                  // conv2d / conv_transpose2d: the channels split into this many groups
  Size2 output_padding{0, 0};      // conv_transpose2d only: extra rows/columns at the bottom/right
  bool ceil_mode = false;          // pooling only, PyTorch's rule
  bool count_include_pad = true;   // avg_pool2d with explicit padding only (PyTorch semantics)
  Activation activation = Activation::kNone;  // conv2d only
};

struct Scene {
  LayerSpec layer;
  Volume input;                // C×H×W
  // conv2d and conv_transpose2d: O×(C/groups)×kh×kw, filter o seeing the input channels of its
  // group [(o / (O/groups))·(C/groups), +C/groups); empty for pooling. conv_transpose2d keeps
  // PyTorch's weight[c][o mod (O/groups)][ky][kx] at (o, c mod (C/groups), ky, kx), unflipped.
  FilterBank weights;
  std::vector<float> bias;     // conv2d / conv_transpose2d: O values, or empty for "no bias"
};

bool IsPooling(Op op);
const char* OpName(Op op);                  // "conv2d", "max_pool2d", "avg_pool2d", "conv_transpose2d"
// The first input channel output channel `out_channel` sees (grouped convolutions; 0 when groups = 1).
int FirstGroupChannel(const Scene& scene, int out_channel);
const char* PaddingModeName(PaddingMode m); // "valid", "same", "full", "explicit"
const char* ActivationName(Activation a);   // "none", "relu"

}  // namespace convtutor
