// Building blocks torchvision's model files import rather than define (from torchvision.ops.misc),
// read as the layers they are made of, so a pasted torchvision model reads without their source.
#pragma once

#include <string>
#include <vector>

#include "convtutor/result.h"
#include "model/calls.h"

namespace convtutor::lessons::reading {

// One layer a block is made of: its call, as if written out, and its kind ("Conv2d", "Activation").
struct BlockLayer {
  Call call;
  std::string kind;
};

// Whether `name` is such a block (Conv2dNormActivation).
bool IsTorchvisionBlock(const std::string& name);

// Conv2dNormActivation(in, out, kernel_size=3, stride=1, padding=None, groups=1,
// norm_layer=nn.BatchNorm2d, activation_layer=nn.ReLU, dilation=1, inplace=True, bias=None): an
// nn.Sequential of the convolution (padding (kernel_size - 1) // 2 * dilation when None; a bias only
// without a norm when None), the norm and the activation (either left out when None).
Result<std::vector<BlockLayer>> ConvNormActivationLayers(const Call& call);

}  // namespace convtutor::lessons::reading
