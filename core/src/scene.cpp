// Names of the scene's enumerations as the learner and the request format spell them,
// the one question every module asks of an operation (is it pooling?), and where a filter's group starts.
#include "convtutor/scene.h"

namespace convtutor {

bool IsPooling(Op op) { return op == Op::kMaxPool2d || op == Op::kAvgPool2d; }

const char* OpName(Op op) {
  switch (op) {
    case Op::kConv2d: return "conv2d";
    case Op::kMaxPool2d: return "max_pool2d";
    case Op::kAvgPool2d: return "avg_pool2d";
    case Op::kConvTranspose2d: return "conv_transpose2d";
  }
  return "conv2d";
}

int FirstGroupChannel(const Scene& scene, int out_channel) {
  const int filters_per_group = scene.weights.filters / scene.layer.groups;
  return out_channel / filters_per_group * scene.weights.channels;
}

const char* PaddingModeName(PaddingMode mode) {
  switch (mode) {
    case PaddingMode::kValid: return "valid";
    case PaddingMode::kSame: return "same";
    case PaddingMode::kFull: return "full";
    case PaddingMode::kExplicit: return "explicit";
  }
  return "valid";
}

const char* ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kNone: return "none";
    case Activation::kRelu: return "relu";
  }
  return "none";
}

}  // namespace convtutor
