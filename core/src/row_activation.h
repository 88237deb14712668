// The element-wise function a model's row applies to its values when the tutor runs the model on a
// picture (layer_scene.h's LayerInputFrom): an activation row's own (nn.ReLU(inplace=True),
// F.leaky_relu(x, 0.2), layers.Activation('tanh'), layers.LeakyReLU(alpha=0.1)) or a layer's
// activation= keyword (activation='elu', activation=tf.nn.relu).
#pragma once

#include <vector>

#include "convtutor/model.h"

namespace convtutor::lessons {

struct RowActivation {
  // kUnknown is one the tutor does not run (softmax over channels, a learned PReLU, a slope named
  // by a variable, ...): the run stops there rather than passing values on as if nothing had
  // been applied.
  enum class Kind {
    kNone, kRelu, kRelu6, kLeakyRelu, kElu, kSelu, kGelu, kGeluTanh, kSilu, kMish, kHardswish,
    kSoftplus, kSoftsign, kSigmoid, kTanh, kUnknown
  };
  Kind kind = Kind::kNone;
  float parameter = 0.0f;  // kLeakyRelu: the slope below 0; kElu: alpha
};

// The row's function, with the parameters its source gives or the framework's defaults (a leaky
// ReLU's slope is 0.01 in PyTorch, 0.3 for Keras's LeakyReLU layer, 0.2 for tf.nn.leaky_relu).
RowActivation ActivationOf(const ModelLayer& layer);

// Applies `activation` to every value (nothing for kNone and kUnknown).
void Apply(const RowActivation& activation, std::vector<float>& values);

}  // namespace convtutor::lessons
