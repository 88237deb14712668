// The layer names the readers understand (see layer_names.h).
#include "model/layer_names.h"

#include <algorithm>
#include <iterator>

namespace convtutor::lessons::reading {
namespace {

// Layer names understood, with the canonical spelling shown in summaries.
struct LayerName {
  const char* written;
  const char* kind;
};
constexpr LayerName kLayerNames[] = {
    {"Input", "Input"},
    {"InputLayer", "Input"},
    {"Conv2D", "Conv2D"},
    {"Convolution2D", "Conv2D"},
    {"Conv2DTranspose", "Conv2DTranspose"},
    {"Convolution2DTranspose", "Conv2DTranspose"},
    {"DepthwiseConv2D", "DepthwiseConv2D"},
    {"SeparableConv2D", "SeparableConv2D"},
    {"SeparableConvolution2D", "SeparableConv2D"},
    {"MaxPooling2D", "MaxPooling2D"},
    {"MaxPool2D", "MaxPooling2D"},
    {"AveragePooling2D", "AveragePooling2D"},
    {"AvgPool2D", "AveragePooling2D"},
    {"GlobalMaxPooling2D", "GlobalMaxPooling2D"},
    {"GlobalMaxPool2D", "GlobalMaxPooling2D"},
    {"GlobalAveragePooling2D", "GlobalAveragePooling2D"},
    {"GlobalAvgPool2D", "GlobalAveragePooling2D"},
    {"ZeroPadding2D", "ZeroPadding2D"},
    {"UpSampling2D", "UpSampling2D"},
    {"Cropping2D", "Cropping2D"},
    {"Flatten", "Flatten"},
    {"Dense", "Dense"},
    {"Dropout", "Dropout"},
    {"SpatialDropout2D", "Dropout"},
    {"Activation", "Activation"},
    {"ReLU", "Activation"},
    {"LeakyReLU", "Activation"},
    {"Softmax", "Activation"},
    {"Rescaling", "Rescaling"},
    {"BatchNormalization", "BatchNormalization"},
    // PyTorch (torch.nn)
    {"Conv2d", "Conv2d"},
    {"ConvTranspose2d", "ConvTranspose2d"},
    {"MaxPool2d", "MaxPool2d"},
    {"AvgPool2d", "AvgPool2d"},
    {"AdaptiveAvgPool2d", "AdaptiveAvgPool2d"},
    {"AdaptiveMaxPool2d", "AdaptiveMaxPool2d"},
    {"Linear", "Linear"},
    {"BatchNorm2d", "BatchNorm2d"},
    {"Upsample", "Upsample"},
    {"UpsamplingNearest2d", "Upsample"},
    {"UpsamplingBilinear2d", "Upsample"},
    {"Dropout2d", "Dropout"},
    {"Sigmoid", "Activation"},
    {"Tanh", "Activation"},
    {"Identity", "Activation"},
    {"ELU", "Activation"},
    {"ReLU6", "Activation"},
    {"GELU", "Activation"},
    {"SiLU", "Activation"},
    {"Mish", "Activation"},
    {"Hardswish", "Activation"},
    {"Softplus", "Activation"},
    {"LogSoftmax", "Activation"},
    // Keras's merge layers, applied to a list of tensors: layers.Add()([x, shortcut])
    {"Add", "Add"},
    {"Subtract", "Subtract"},
    {"Multiply", "Multiply"},
    {"Average", "Average"},
    {"Maximum", "Maximum"},
    {"Concatenate", "Concatenate"},
    {"randn", "Input"},
    {"rand", "Input"},
};

}  // namespace

const char* LayerKind(const std::string& written) {
  const auto known = std::find_if(std::begin(kLayerNames), std::end(kLayerNames),
                                  [&](const LayerName& name) { return written == name.written; });
  return known == std::end(kLayerNames) ? nullptr : known->kind;
}

Dialect DialectOf(const std::string& name) {
  constexpr const char* kTorchOnly[] = {"Conv2d",    "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
                                        "Linear",    "BatchNorm2d", "Dropout2d", "ConvTranspose2d", "ReLU6", "GELU", "SiLU", "Mish",
                                        "Hardswish", "Softplus", "LogSoftmax", "Upsample", "UpsamplingNearest2d",
                                        "UpsamplingBilinear2d"};
  constexpr const char* kKerasOnly[] = {"Conv2D",       "Convolution2D",          "MaxPooling2D",     "MaxPool2D",
                                        "AveragePooling2D", "AvgPool2D",          "GlobalMaxPooling2D", "GlobalMaxPool2D",
                                        "GlobalAveragePooling2D", "GlobalAvgPool2D", "ZeroPadding2D",  "UpSampling2D", "Cropping2D", "Dense",
                                        "BatchNormalization", "InputLayer",       "SpatialDropout2D", "Rescaling",
                                        "Conv2DTranspose", "Convolution2DTranspose", "DepthwiseConv2D",
                                        "SeparableConv2D", "SeparableConvolution2D", "Concatenate"};
  for (const char* torch : kTorchOnly) {
    if (name == torch) return Dialect::kTorch;
  }
  for (const char* keras : kKerasOnly) {
    if (name == keras) return Dialect::kKeras;
  }
  return Dialect::kEither;
}

bool IsMergeKind(const std::string& kind) {
  for (const char* merge : {"Add", "Subtract", "Multiply", "Average", "Maximum", "Concatenate"}) {
    if (kind == merge) return true;
  }
  return false;
}

bool IsWrapper(const std::string& name) { return name == "Sequential" || name == "add" || name == "Model"; }

std::string KnownLayers() {
  std::string names;
  for (const LayerName& name : kLayerNames) {
    if (std::string(name.written) == name.kind) names += (names.empty() ? "" : ", ") + std::string(name.written);
  }
  return names;
}

}  // namespace convtutor::lessons::reading
