// torchvision's imported building blocks as the layers they are made of (see torchvision_blocks.h).
// Conv2dNormActivation is an nn.Sequential subclass whose __init__ only picks these layers, so its
// three rows give the shapes and the parameter count PyTorch gives for the block.
#include "model/torchvision_blocks.h"

#include <string>
#include <utility>

#include "model/layer_arguments.h"
#include "model/layer_names.h"
#include "model/tokens.h"

namespace convtutor::lessons::reading {
namespace {

Value WholeValue(int number) { return NumberValue(number, true, std::to_string(number)); }

Argument Named(const std::string& keyword, Value value, int line) {
  Argument argument;
  argument.keyword = keyword;
  argument.value = std::move(value);
  argument.line = line;
  return argument;
}

// norm_layer=nn.BatchNorm2d or activation_layer=nn.ReLU6 as given (absent: `fallback`), a layer of
// the fallback's kind: the layer's name, "" for None.
Result<std::string> LayerGiven(const LayerArguments& arguments, const std::string& keyword, const std::string& fallback) {
  const Argument* given = arguments.Find(keyword);
  if (given == nullptr) return fallback;
  if (given->value.kind == Value::Kind::kNone) return std::string();
  const std::string name = LastPart(given->value.text);
  const char* kind = given->value.kind == Value::Kind::kOther ? LayerKind(name) : nullptr;
  const bool fits = kind != nullptr && std::string(kind) == LayerKind(fallback);
  if (!fits) {
    return Error{"", "not supported yet: " + arguments.call().name + " with " + keyword + "=" + Describe(given->value) +
                     "; the tutor follows a layer class such as " + fallback + " or None", given->line};
  }
  return name;
}

}  // namespace

bool IsTorchvisionBlock(const std::string& name) { return name == "Conv2dNormActivation"; }

Result<std::vector<BlockLayer>> ConvNormActivationLayers(const Call& call) {
  const LayerArguments arguments(call, {"in_channels", "out_channels", "kernel_size", "stride", "padding", "groups",
                                        "norm_layer", "activation_layer", "dilation", "inplace", "bias"});
  Result<bool> checked = arguments.Check({});
  if (!checked) return checked.error();
  const Argument* in_channels = arguments.Find("in_channels");
  const Argument* out_channels = arguments.Find("out_channels");
  if (in_channels == nullptr || out_channels == nullptr) {
    return Error{"", call.name + "(in_channels, out_channels, ...): needs both channel counts", call.line};
  }
  Result<std::string> norm = LayerGiven(arguments, "norm_layer", "BatchNorm2d");
  if (!norm) return norm.error();
  Result<std::string> activation = LayerGiven(arguments, "activation_layer", "ReLU");
  if (!activation) return activation.error();
  Result<std::pair<int, int>> kernel = arguments.Pair("kernel_size", {3, 3});
  if (!kernel) return kernel.error();
  Result<std::pair<int, int>> dilation = arguments.Pair("dilation", {1, 1});
  if (!dilation) return dilation.error();

  BlockLayer conv;
  conv.kind = "Conv2d";
  conv.call.name = "Conv2d";
  conv.call.line = call.line;
  conv.call.source = call.source;
  conv.call.arguments = {Named("in_channels", in_channels->value, call.line),
                         Named("out_channels", out_channels->value, call.line)};
  Value kernel_size;
  kernel_size.kind = Value::Kind::kTuple;
  kernel_size.items = {WholeValue(kernel.value().first), WholeValue(kernel.value().second)};
  kernel_size.text = Describe(kernel_size);
  conv.call.arguments.push_back(Named("kernel_size", kernel_size, call.line));
  for (const char* kept : {"stride", "padding", "dilation", "groups"}) {
    const Argument* given = arguments.Find(kept);
    if (given != nullptr && given->value.kind != Value::Kind::kNone) conv.call.arguments.push_back(Named(kept, given->value, given->line));
  }
  const Argument* padding = arguments.Find("padding");
  if (padding == nullptr || padding->value.kind == Value::Kind::kNone) {  // (kernel_size - 1) // 2 * dilation
    Value pads;
    pads.kind = Value::Kind::kTuple;
    pads.items = {WholeValue((kernel.value().first - 1) / 2 * dilation.value().first),
                  WholeValue((kernel.value().second - 1) / 2 * dilation.value().second)};
    pads.text = Describe(pads);
    conv.call.arguments.push_back(Named("padding", pads, call.line));
  }
  const Argument* bias = arguments.Find("bias");
  if (bias == nullptr || bias->value.kind == Value::Kind::kNone) {  // a bias only when no norm follows
    Value flag;
    flag.kind = Value::Kind::kBool;
    flag.number = norm.value().empty() ? 1.0 : 0.0;
    flag.text = norm.value().empty() ? "True" : "False";
    conv.call.arguments.push_back(Named("bias", flag, call.line));
  } else {
    conv.call.arguments.push_back(Named("bias", bias->value, bias->line));
  }
  std::vector<BlockLayer> layers = {conv};
  const auto add = [&](const std::string& name, std::vector<Argument> layer_arguments) {
    BlockLayer layer;
    layer.kind = LayerKind(name);
    layer.call.name = name;
    layer.call.line = call.line;
    layer.call.source = call.source;
    layer.call.arguments = std::move(layer_arguments);
    layers.push_back(std::move(layer));
  };
  if (!norm.value().empty()) add(norm.value(), {Named("", out_channels->value, call.line)});
  if (!activation.value().empty()) add(activation.value(), {});
  return layers;
}

}  // namespace convtutor::lessons::reading
