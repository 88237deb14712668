// The sandbox's settings (see sandbox_settings.h): values regenerated deterministically when a
// shape changes (generate.h), so a seed always means the same numbers; the scene they make; and
// their JSON form for the store, read defensively.
#include "sandbox_settings.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "convtutor/filters.h"

namespace convtutor::app {
namespace {

std::size_t Count(int a, int b, int c, int d = 1) {
  return static_cast<std::size_t>(a) * static_cast<std::size_t>(b) * static_cast<std::size_t>(c) *
         static_cast<std::size_t>(d);
}

}  // namespace

int SlicesPerFilter(const SandboxSettings& settings) { return std::max(settings.channels / std::max(settings.groups, 1), 1); }

void RegenerateValues(SandboxSettings& settings) {
  FillSpec spec;
  spec.fill = settings.fill;
  spec.seed = settings.seed;
  settings.input = GenerateValues(Count(settings.channels, settings.input_size[0], settings.input_size[1]), spec);
  spec.seed = settings.seed * 7919u + 1u;  // weights differ from the input even at one seed
  spec.low = -1.0f;
  spec.high = 1.0f;
  const bool conv = !IsPooling(settings.op);
  settings.weights = conv ? GenerateValues(Count(settings.filters, SlicesPerFilter(settings), settings.kernel[0],
                                                 settings.kernel[1]),
                                           spec)
                          : std::vector<float>();
  spec.seed = settings.seed * 104729u + 3u;
  settings.bias_values = conv && settings.bias
                             ? GenerateValues(static_cast<std::size_t>(settings.filters), spec)
                             : std::vector<float>();
}

Scene BuildSandboxScene(const SandboxSettings& settings) {
  Scene scene;
  LayerSpec& layer = scene.layer;
  layer.op = settings.op;
  layer.kernel = Size2{settings.kernel[0], settings.kernel[1]};
  layer.stride = Size2{settings.stride[0], settings.stride[1]};
  layer.dilation = Size2{settings.dilation[0], settings.dilation[1]};
  layer.padding.mode = settings.padding;
  layer.padding.sides = Sides{settings.sides[0], settings.sides[1], settings.sides[2], settings.sides[3]};
  if (settings.op == Op::kConvTranspose2d) {
    // PyTorch's p: the same on both sides of an axis, cropped from the scattered output.
    layer.padding.mode = PaddingMode::kExplicit;
    layer.padding.sides = Sides{settings.sides[0], settings.sides[0], settings.sides[2], settings.sides[2]};
    layer.output_padding = Size2{settings.output_padding[0], settings.output_padding[1]};
  }
  layer.ceil_mode = settings.ceil_mode;
  layer.count_include_pad = settings.count_include_pad;
  layer.activation = IsPooling(settings.op) ? Activation::kNone : settings.activation;
  scene.input = Volume{settings.channels, settings.input_size[0], settings.input_size[1], settings.input};
  if (!IsPooling(settings.op)) {
    layer.groups = settings.groups;
    scene.weights = FilterBank{settings.filters, SlicesPerFilter(settings), settings.kernel[0], settings.kernel[1],
                               settings.weights};
    scene.bias = settings.bias_values;
  }
  return scene;
}

SandboxSettings SandboxFromScene(const Scene& scene) {
  SandboxSettings settings;
  const LayerSpec& layer = scene.layer;
  settings.op = layer.op;
  settings.input_size[0] = scene.input.height;
  settings.input_size[1] = scene.input.width;
  settings.channels = scene.input.channels;
  settings.groups = std::max(layer.groups, 1);
  settings.kernel[0] = layer.kernel.rows;
  settings.kernel[1] = layer.kernel.cols;
  if (!IsPooling(layer.op)) {
    settings.filters = scene.weights.filters;
    settings.kernel[0] = scene.weights.height;
    settings.kernel[1] = scene.weights.width;
  }
  settings.stride[0] = layer.stride.rows;
  settings.stride[1] = layer.stride.cols;
  settings.dilation[0] = layer.dilation.rows;
  settings.dilation[1] = layer.dilation.cols;
  settings.padding = layer.padding.mode;
  const Sides& sides = layer.padding.sides;
  settings.sides[0] = sides.top;
  settings.sides[1] = sides.bottom;
  settings.sides[2] = sides.left;
  settings.sides[3] = sides.right;
  settings.output_padding[0] = layer.output_padding.rows;
  settings.output_padding[1] = layer.output_padding.cols;
  settings.bias = !scene.bias.empty();
  settings.activation = layer.activation;
  settings.ceil_mode = layer.ceil_mode;
  settings.count_include_pad = layer.count_include_pad;
  settings.input = scene.input.values;
  settings.weights = scene.weights.values;
  settings.bias_values = scene.bias;
  return settings;
}

std::string SandboxToJson(const SandboxSettings& settings) {
  nlohmann::json json;
  json["version"] = kSandboxStoreVersion;
  json["op"] = static_cast<int>(settings.op);
  json["input_size"] = {settings.input_size[0], settings.input_size[1]};
  json["channels"] = settings.channels;
  json["groups"] = settings.groups;
  json["filters"] = settings.filters;
  json["kernel"] = {settings.kernel[0], settings.kernel[1]};
  json["stride"] = {settings.stride[0], settings.stride[1]};
  json["dilation"] = {settings.dilation[0], settings.dilation[1]};
  json["padding"] = static_cast<int>(settings.padding);
  json["sides"] = {settings.sides[0], settings.sides[1], settings.sides[2], settings.sides[3]};
  json["output_padding"] = {settings.output_padding[0], settings.output_padding[1]};
  json["bias"] = settings.bias;
  json["activation"] = static_cast<int>(settings.activation);
  json["ceil_mode"] = settings.ceil_mode;
  json["count_include_pad"] = settings.count_include_pad;
  json["fill"] = static_cast<int>(settings.fill);
  json["seed"] = settings.seed;
  if (settings.picture.empty()) {
    json["input"] = settings.input;
  } else {
    // The pixels come back from the picture itself; only a placeholder size is kept.
    json["input_size"] = {std::min(settings.input_size[0], kSandboxMaxInputSide),
                          std::min(settings.input_size[1], kSandboxMaxInputSide)};
    json["picture"] = {{"name", settings.picture},
                       {"sample", settings.picture_is_sample},
                       {"mode", settings.picture_mode == PictureMode::kRgb ? "rgb" : "gray"},
                       {"side", settings.picture_side},
                       {"preset", settings.preset}};
  }
  json["weights"] = settings.weights;
  json["bias_values"] = settings.bias_values;
  return json.dump();
}

namespace {

// Reads an int field within [low, high]; false when missing, of another type or out of range.
bool ReadInt(const nlohmann::json& json, const char* key, int low, int high, int* value) {
  if (!json.contains(key) || !json[key].is_number_integer()) return false;
  const long long number = json[key].get<long long>();
  if (number < low || number > high) return false;
  *value = static_cast<int>(number);
  return true;
}

bool ReadPair(const nlohmann::json& json, const char* key, int low, int high, int* values, std::size_t count) {
  if (!json.contains(key) || !json[key].is_array() || json[key].size() != count) return false;
  for (std::size_t i = 0; i < count; ++i) {
    const nlohmann::json& item = json[key][i];
    if (!item.is_number_integer()) return false;
    const long long number = item.get<long long>();
    if (number < low || number > high) return false;
    values[i] = static_cast<int>(number);
  }
  return true;
}

bool ReadFloats(const nlohmann::json& json, const char* key, std::size_t count, std::vector<float>* values) {
  if (!json.contains(key) || !json[key].is_array() || json[key].size() != count) return false;
  values->clear();
  for (const nlohmann::json& item : json[key]) {
    if (!item.is_number()) return false;
    // A number beyond float's range (1e39) would be infinite, and stored again as null.
    const float value = item.get<float>();
    if (!std::isfinite(value)) return false;
    values->push_back(value);
  }
  return true;
}

bool ReadBool(const nlohmann::json& json, const char* key, bool* value) {
  if (!json.contains(key) || !json[key].is_boolean()) return false;
  *value = json[key].get<bool>();
  return true;
}

}  // namespace

bool SandboxFromJson(std::string_view text, SandboxSettings* settings) {
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return false;
  int version = 1;
  if (json.contains("version") && !ReadInt(json, "version", 1, kSandboxStoreVersion, &version)) return false;
  SandboxSettings read;
  int op = 0, padding = 0, activation = 0, fill = 0, seed = 0;
  const bool shapes_ok =
      ReadInt(json, "op", 0, 3, &op) && ReadPair(json, "input_size", 1, kSandboxMaxInputSide, read.input_size, 2) &&
      ReadInt(json, "channels", 1, 4, &read.channels) && ReadInt(json, "filters", 1, 4, &read.filters) &&
      ReadPair(json, "kernel", 1, 7, read.kernel, 2) && ReadPair(json, "stride", 1, 4, read.stride, 2) &&
      ReadPair(json, "dilation", 1, 4, read.dilation, 2) && ReadInt(json, "padding", 0, 3, &padding) &&
      ReadPair(json, "sides", 0, 6, read.sides, 4) && ReadBool(json, "bias", &read.bias) &&
      ReadInt(json, "activation", 0, 1, &activation) && ReadBool(json, "ceil_mode", &read.ceil_mode) &&
      ReadBool(json, "count_include_pad", &read.count_include_pad) && ReadInt(json, "fill", 0, 3, &fill) &&
      ReadInt(json, "seed", 0, 1 << 30, &seed);
  if (!shapes_ok) return false;
  read.op = static_cast<Op>(op);
  read.padding = static_cast<PaddingMode>(padding);
  read.activation = static_cast<Activation>(activation);
  read.fill = static_cast<Fill>(fill);
  read.seed = static_cast<std::uint32_t>(seed);
  const bool conv = !IsPooling(read.op);
  // Stored before groups existed: one group.
  if (json.contains("groups") && !ReadInt(json, "groups", 1, 4, &read.groups)) return false;
  if (json.contains("output_padding") && !ReadPair(json, "output_padding", 0, 3, read.output_padding, 2)) return false;
  const auto picture = json.find("picture");
  if (picture != json.end()) {
    int side = 0;
    const bool picture_ok = picture->is_object() && picture->contains("name") && (*picture)["name"].is_string() &&
                            ReadBool(*picture, "sample", &read.picture_is_sample) &&
                            ReadInt(*picture, "side", 1, kMaxPictureSide, &side) &&
                            ReadInt(*picture, "preset", -1, kFilterPresetCount - 1, &read.preset) &&
                            picture->contains("mode") && (*picture)["mode"].is_string();
    if (!picture_ok) return false;
    read.picture = (*picture)["name"].get<std::string>();
    read.picture_mode = (*picture)["mode"].get<std::string>() == "rgb" ? PictureMode::kRgb : PictureMode::kGray;
    read.picture_side = side;
    FillSpec placeholder;
    placeholder.fill = read.fill;
    placeholder.seed = read.seed;
    read.input = GenerateValues(Count(read.channels, read.input_size[0], read.input_size[1]), placeholder);
  }
  const bool values_ok =
      (picture != json.end() ||
       ReadFloats(json, "input", Count(read.channels, read.input_size[0], read.input_size[1]), &read.input)) &&
      ReadFloats(json, "weights", conv ? Count(read.filters, SlicesPerFilter(read), read.kernel[0], read.kernel[1]) : 0,
                 &read.weights) &&
      ReadFloats(json, "bias_values", conv && read.bias ? static_cast<std::size_t>(read.filters) : 0,
                 &read.bias_values);
  if (!values_ok) return false;
  *settings = std::move(read);
  return true;
}

}  // namespace convtutor::app
