// Requests: the CLI's JSON format (also used by lesson scene blocks) becomes a validated,
// channels-first Scene; results and steps become JSON again, in the request's own layout.
// Every refusal is an Error naming the request field, and nothing here ever throws.
#include "convtutor/request.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "convtutor/forward.h"
#include "convtutor/generate.h"
#include "convtutor/image.h"

namespace convtutor {
namespace {

using nlohmann::json;

// Hyper-parameters (kernel, stride, dilation, padding) above this are refused, so that every
// extent the core derives from them (padded input, window span, output) fits in an int.
constexpr std::int64_t kMaxHyperParameter = kMaxTensorElements;
// Numbers a request text may hold before it is parsed into a document: input plus weights plus
// a little for bias and hyper-parameters. Counted without allocating, so huge files are refused.
constexpr std::int64_t kMaxRequestNumbers = 2 * kMaxTensorElements + 65536;

const char* const kRequestFields[] = {"op",     "data_format", "input",   "weights",   "bias",
                                      "kernel_size", "stride", "dilation", "padding", "ceil_mode",
                                      "count_include_pad", "activation", "groups", "output_padding"};
const char* const kGeneratorFields[] = {"shape", "fill", "seed", "range", "integers"};
const char* const kPictureFields[] = {"image", "mode", "max_side"};

Error FieldError(std::string field, std::string message) {
  return Error{std::move(field), std::move(message), 0};
}

// A short, single-line rendering of a JSON value for "got ..." in messages.
std::string Describe(const json& value) {
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  constexpr std::size_t kMaxShown = 40;
  if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
  return text;
}

// A whole number in [minimum, kMaxHyperParameter].
Result<int> ParseWholeNumber(const json& value, const std::string& field, std::int64_t minimum,
                             const char* what) {
  if (!value.is_number_integer()) {
    return FieldError(field, std::string("expected ") + what + " (a whole number), got " + Describe(value));
  }
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxHyperParameter)) {
    return FieldError(field, "got " + Describe(value) + "; the limit is " + std::to_string(kMaxHyperParameter));
  }
  const std::int64_t number = value.get<std::int64_t>();
  if (number < minimum) {
    return FieldError(field, std::string("expected ") + what + " ≥ " + std::to_string(minimum) + ", got " +
                                 std::to_string(number));
  }
  if (number > kMaxHyperParameter) {
    return FieldError(field, "got " + std::to_string(number) + "; the limit is " + std::to_string(kMaxHyperParameter));
  }
  return static_cast<int>(number);
}

// `n` or `[rows, cols]`.
Result<Size2> ParsePair(const json& value, const std::string& field, std::int64_t minimum, const char* what) {
  if (value.is_array()) {
    if (value.size() != 2) {
      return FieldError(field, std::string("expected ") + what + " n or [rows, cols], got an array of " +
                                   std::to_string(value.size()));
    }
    Result<int> rows = ParseWholeNumber(value[0], field, minimum, what);
    if (!rows) return rows.error();
    Result<int> cols = ParseWholeNumber(value[1], field, minimum, what);
    if (!cols) return cols.error();
    return Size2{rows.value(), cols.value()};
  }
  Result<int> both = ParseWholeNumber(value, field, minimum, what);
  if (!both) return both.error();
  return Size2{both.value(), both.value()};
}

Result<PaddingSpec> ParsePadding(const json& value) {
  const char* expected = "expected \"valid\", \"same\", \"full\", p, [ph, pw] or [top, bottom, left, right]";
  PaddingSpec padding;
  if (value.is_string()) {
    const std::string& name = value.get_ref<const std::string&>();
    if (name == "valid") {
      padding.mode = PaddingMode::kValid;
    } else if (name == "same") {
      padding.mode = PaddingMode::kSame;
    } else if (name == "full") {
      padding.mode = PaddingMode::kFull;
    } else {
      return FieldError("padding", std::string(expected) + ", got " + Describe(value));
    }
    return padding;
  }
  padding.mode = PaddingMode::kExplicit;
  if (value.is_number()) {
    Result<int> all = ParseWholeNumber(value, "padding", 0, "cells");
    if (!all) return all.error();
    padding.sides = Sides{all.value(), all.value(), all.value(), all.value()};
    return padding;
  }
  if (!value.is_array() || (value.size() != 2 && value.size() != 4)) {
    return FieldError("padding", std::string(expected) + ", got " +
                                     (value.is_array() ? "an array of " + std::to_string(value.size()) : Describe(value)));
  }
  std::vector<int> cells;
  for (const json& item : value) {
    Result<int> cell = ParseWholeNumber(item, "padding", 0, "cells");
    if (!cell) return cell.error();
    cells.push_back(cell.value());
  }
  if (cells.size() == 2) {
    padding.sides = Sides{cells[0], cells[0], cells[1], cells[1]};
  } else {
    padding.sides = Sides{cells[0], cells[1], cells[2], cells[3]};
  }
  return padding;
}

Result<bool> ParseBool(const json& value, const std::string& field) {
  if (!value.is_boolean()) return FieldError(field, "expected true or false, got " + Describe(value));
  return value.get<bool>();
}

Result<float> ParseFloat(const json& value, const std::string& where, const std::string& field) {
  if (!value.is_number()) return FieldError(field, "expected a number at " + where + ", got " + Describe(value));
  const double number = value.get<double>();
  if (!std::isfinite(number) || std::fabs(number) > static_cast<double>(std::numeric_limits<float>::max())) {
    return FieldError(field, where + " = " + Describe(value) + " is outside the range of a float");
  }
  return static_cast<float>(number);
}

// How a tensor is written in a request: its axis names in the request's layout.
struct TensorLayout {
  const char* shape_text;             // e.g. "C×H×W"
  std::vector<const char*> axis_names;  // e.g. {"channels", "rows", "columns"}
};

// A tensor as the request wrote it: shape and values in the request's layout order.
struct LayoutTensor {
  std::vector<int> shape;
  std::vector<float> values;
};

std::string IndexPath(const std::string& field, const std::vector<std::size_t>& index, std::size_t depth) {
  std::string path = field;
  for (std::size_t d = 0; d < depth; ++d) path += "[" + std::to_string(index[d]) + "]";
  return path;
}

// Walks a nested array whose shape was read from its first elements, checking that every
// sub-array has that same length and that every leaf is a finite number.
class NestedArrayReader {
 public:
  NestedArrayReader(const std::string& field, const TensorLayout& layout, const std::vector<int>& shape,
                    std::vector<float>& values)
      : field_(field), layout_(layout), shape_(shape), values_(values), index_(shape.size(), 0) {}

  std::optional<Error> Read(const json& node, std::size_t depth) {
    if (depth == shape_.size()) {
      Result<float> number = ParseFloat(node, IndexPath(field_, index_, depth), field_);
      if (!number) return number.error();
      values_.push_back(number.value());
      return std::nullopt;
    }
    const std::size_t expected = static_cast<std::size_t>(shape_[depth]);
    if (!node.is_array()) {
      return FieldError(field_, std::string("expected a ") + layout_.shape_text + " nested array, but " +
                                    IndexPath(field_, index_, depth) + " is " + Describe(node) +
                                    ", not an array of " + layout_.axis_names[depth]);
    }
    if (node.size() != expected) {
      std::vector<std::size_t> first(index_.size(), 0);
      return FieldError(field_, "ragged array: " + IndexPath(field_, index_, depth) + " has " +
                                    std::to_string(node.size()) + " " + layout_.axis_names[depth] + ", expected " +
                                    std::to_string(expected) + " like " + IndexPath(field_, first, depth));
    }
    for (std::size_t i = 0; i < expected; ++i) {
      index_[depth] = i;
      if (std::optional<Error> error = Read(node[i], depth + 1)) return error;
    }
    index_[depth] = 0;
    return std::nullopt;
  }

 private:
  const std::string& field_;
  const TensorLayout& layout_;
  const std::vector<int>& shape_;
  std::vector<float>& values_;
  std::vector<std::size_t> index_;
};

// Refuses a shape whose element count exceeds kMaxTensorElements (checked before allocating).
std::optional<Error> CheckElementCount(const std::vector<int>& shape, const std::string& field) {
  std::int64_t count = 1;
  for (int extent : shape) {
    count *= extent;  // both factors ≤ kMaxTensorElements (2^26): no overflow
    if (count > kMaxTensorElements) {
      return FieldError(field, "too large: more than " + std::to_string(kMaxTensorElements) +
                                   " values (the limit per tensor, kMaxTensorElements)");
    }
  }
  return std::nullopt;
}

Result<LayoutTensor> ParseGenerator(const json& value, const std::string& field, const TensorLayout& layout) {
  for (const auto& item : value.items()) {
    bool known = false;
    for (const char* name : kGeneratorFields) known = known || item.key() == name;
    if (!known) {
      return FieldError(field, "unknown generator field \"" + item.key() +
                                   "\"; expected shape, fill, seed, range or integers");
    }
  }
  const std::size_t rank = layout.axis_names.size();
  const std::string shape_field = field + ".shape";
  const auto shape_json = value.find("shape");
  if (shape_json == value.end()) {
    return FieldError(shape_field, std::string("missing; a generator needs the shape ") + layout.shape_text);
  }
  if (!shape_json->is_array() || shape_json->size() != rank) {
    return FieldError(shape_field, std::string("expected ") + std::to_string(rank) + " whole numbers (" +
                                       layout.shape_text + "), got " + Describe(*shape_json));
  }
  LayoutTensor tensor;
  for (const json& extent : *shape_json) {
    Result<int> parsed = ParseWholeNumber(extent, shape_field, 1, "a size");
    if (!parsed) return parsed.error();
    tensor.shape.push_back(parsed.value());
  }
  if (std::optional<Error> error = CheckElementCount(tensor.shape, field)) return *error;

  FillSpec spec;
  if (const auto fill = value.find("fill"); fill != value.end()) {
    const std::string name = fill->is_string() ? fill->get<std::string>() : "";
    if (name == "random") {
      spec.fill = Fill::kRandom;
    } else if (name == "ramp") {
      spec.fill = Fill::kRamp;
    } else if (name == "ones") {
      spec.fill = Fill::kOnes;
    } else if (name == "zeros") {
      spec.fill = Fill::kZeros;
    } else {
      return FieldError(field + ".fill", "expected \"random\", \"ramp\", \"ones\" or \"zeros\", got " + Describe(*fill));
    }
  }
  if (const auto seed = value.find("seed"); seed != value.end()) {
    const bool in_range = seed->is_number_unsigned()   ? seed->get<std::uint64_t>() <= 0xFFFFFFFFu
                          : seed->is_number_integer() ? seed->get<std::int64_t>() >= 0 &&
                                                            seed->get<std::int64_t>() <= 0xFFFFFFFF
                                                      : false;
    if (!in_range) {
      return FieldError(field + ".seed", "expected a whole number from 0 to 4294967295, got " + Describe(*seed));
    }
    spec.seed = static_cast<std::uint32_t>(seed->get<std::uint64_t>());
  }
  if (const auto range = value.find("range"); range != value.end()) {
    const std::string range_field = field + ".range";
    if (!range->is_array() || range->size() != 2) {
      return FieldError(range_field, "expected [low, high], got " + Describe(*range));
    }
    Result<float> low = ParseFloat((*range)[0], range_field + "[0]", range_field);
    if (!low) return low.error();
    Result<float> high = ParseFloat((*range)[1], range_field + "[1]", range_field);
    if (!high) return high.error();
    if (low.value() > high.value()) {
      return FieldError(range_field, "expected low ≤ high, got " + Describe(*range));
    }
    spec.low = low.value();
    spec.high = high.value();
  }
  if (const auto integers = value.find("integers"); integers != value.end()) {
    Result<bool> parsed = ParseBool(*integers, field + ".integers");
    if (!parsed) return parsed.error();
    spec.integers = parsed.value();
  }
  std::size_t count = 1;
  for (int extent : tensor.shape) count *= static_cast<std::size_t>(extent);
  tensor.values = GenerateValues(count, spec);
  return tensor;
}

// A tensor written as nested arrays (in `layout`) or as a generator object.
Result<LayoutTensor> ParseTensor(const json& value, const std::string& field, const TensorLayout& layout) {
  if (value.is_object()) return ParseGenerator(value, field, layout);
  const std::size_t rank = layout.axis_names.size();
  if (!value.is_array()) {
    return FieldError(field, std::string("expected a ") + layout.shape_text +
                                 " nested array of numbers or a generator {\"shape\": [...]}, got " + Describe(value));
  }
  LayoutTensor tensor;
  const json* level = &value;
  std::vector<std::size_t> first(rank, 0);
  for (std::size_t depth = 0; depth < rank; ++depth) {
    if (!level->is_array()) break;  // the reader below reports it with its position
    if (level->empty()) {
      return FieldError(field, IndexPath(field, first, depth) + " is empty; expected at least one of its " +
                                   layout.axis_names[depth]);
    }
    if (level->size() > static_cast<std::size_t>(kMaxTensorElements)) {
      return FieldError(field, "too large: more than " + std::to_string(kMaxTensorElements) +
                                   " values (the limit per tensor, kMaxTensorElements)");
    }
    tensor.shape.push_back(static_cast<int>(level->size()));
    level = &(*level)[0];
  }
  if (tensor.shape.size() == rank) {
    if (std::optional<Error> error = CheckElementCount(tensor.shape, field)) return *error;
    std::size_t count = 1;
    for (int extent : tensor.shape) count *= static_cast<std::size_t>(extent);
    tensor.values.reserve(count);
  } else {
    tensor.shape.resize(rank, 1);  // only for the reader's messages: it stops at the first non-array
  }
  NestedArrayReader reader(field, layout, tensor.shape, tensor.values);
  if (std::optional<Error> error = reader.Read(value, 0)) return *error;
  return tensor;
}

// A picture as the input: {"image": path or sample name, "mode": "gray"|"rgb", "max_side": N}.
struct PictureInput {
  Volume volume;
  PictureInfo info;
};

// Where a picture's "image" text points: a sample in the samples folder, or a file path (relative
// paths taken from the base folder).
Result<std::string> ResolvePicturePath(const std::string& text, const RequestOptions& options) {
  const std::string quoted = "image \"" + text + "\": ";
  if (IsSampleName(text)) {
    const std::string path = SamplePath(options.samples_folder, text);
    if (!path.empty()) return path;
    if (options.samples_folder.empty()) {
      return FieldError("input", quoted + "a sample name, but no sample pictures are available here; "
                                          "give the path of a picture file (write ./" + text + " for a file of that name)");
    }
    std::string names;
    for (const std::string& name : SampleNames(options.samples_folder)) names += (names.empty() ? "" : ", ") + name;
    return FieldError("input", quoted + "no such sample picture; the samples are " +
                                   (names.empty() ? "none" : names) + " (or give the path of a picture file)");
  }
  const std::filesystem::path path(text);
  if (path.is_relative() && !options.base_folder.empty()) return (std::filesystem::path(options.base_folder) / path).string();
  return text;
}

Result<PictureInput> ParsePictureInput(const json& value, const RequestOptions& options) {
  for (const auto& item : value.items()) {
    bool known = false;
    for (const char* name : kPictureFields) known = known || item.key() == name;
    if (!known) return FieldError("input", "unknown picture field \"" + item.key() + "\"; expected image, mode or max_side");
  }
  const json& image = value["image"];
  if (!image.is_string() || image.get_ref<const std::string&>().empty()) {
    return FieldError("input", "image: expected a picture file's path or a sample name, got " + Describe(image));
  }
  const std::string& text = image.get_ref<const std::string&>();
  PictureMode mode = PictureMode::kGray;
  if (const auto found = value.find("mode"); found != value.end()) {
    const std::string name = found->is_string() ? found->get<std::string>() : "";
    if (name == "rgb") {
      mode = PictureMode::kRgb;
    } else if (name != "gray") {
      return FieldError("input.mode", "expected \"gray\" or \"rgb\", got " + Describe(*found));
    }
  }
  int max_side = kDefaultPictureSide;
  if (const auto found = value.find("max_side"); found != value.end()) {
    Result<int> side = ParseWholeNumber(*found, "input.max_side", 1, "a side in pixels");
    if (!side) return side.error();
    if (side.value() > kMaxPictureSide) {
      return FieldError("input.max_side", "got " + std::to_string(side.value()) + "; the limit is " +
                                              std::to_string(kMaxPictureSide) + " (kMaxPictureSide)");
    }
    max_side = side.value();
  }
  Result<std::string> path = ResolvePicturePath(text, options);
  if (!path) return path.error();
  Result<Picture> picture = ReadPicture(path.value());
  if (!picture) return FieldError("input", "image \"" + text + "\": " + picture.error().message);
  PictureVolume converted = PictureToVolume(picture.value(), mode, max_side);
  PictureInput input;
  input.info = PictureInfo{text,
                           converted.volume.width,
                           converted.volume.height,
                           converted.volume.channels,
                           converted.source_width,
                           converted.source_height,
                           converted.scaled};
  input.volume = std::move(converted.volume);
  return input;
}

Volume ToVolume(const LayoutTensor& tensor, DataFormat format) {
  if (format == DataFormat::kChannelsFirst) {
    return Volume{tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.values};
  }
  const int height = tensor.shape[0], width = tensor.shape[1], channels = tensor.shape[2];
  Volume volume = Volume::Zeros(channels, height, width);
  std::size_t source = 0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) volume.At(c, y, x) = tensor.values[source++];
    }
  }
  return volume;
}

FilterBank ToFilterBank(const LayoutTensor& tensor, DataFormat format) {
  if (format == DataFormat::kChannelsFirst) {
    return FilterBank{tensor.shape[0], tensor.shape[1], tensor.shape[2], tensor.shape[3], tensor.values};
  }
  // tf.nn.conv2d's filter layout: kh×kw×I×O.
  const int kernel_rows = tensor.shape[0], kernel_cols = tensor.shape[1];
  const int channels = tensor.shape[2], filters = tensor.shape[3];
  FilterBank bank = FilterBank::Zeros(filters, channels, kernel_rows, kernel_cols);
  std::size_t source = 0;
  for (int ky = 0; ky < kernel_rows; ++ky) {
    for (int kx = 0; kx < kernel_cols; ++kx) {
      for (int c = 0; c < channels; ++c) {
        for (int o = 0; o < filters; ++o) bank.At(o, c, ky, kx) = tensor.values[source++];
      }
    }
  }
  return bank;
}

// conv_transpose2d's weights as the request writes them, PyTorch's I×(O/groups)×kh×kw or
// TensorFlow's kh×kw×(O/groups)×I, regrouped into the scene's O×(I/groups)×kh×kw (scene.h).
// Precondition: the input-channel extent is divisible by `groups`.
FilterBank ToTransposedFilterBank(const LayoutTensor& tensor, DataFormat format, int groups) {
  const bool channels_first = format == DataFormat::kChannelsFirst;
  const int channels = channels_first ? tensor.shape[0] : tensor.shape[3];
  const int per_group = channels_first ? tensor.shape[1] : tensor.shape[2];
  const int kernel_rows = channels_first ? tensor.shape[2] : tensor.shape[0];
  const int kernel_cols = channels_first ? tensor.shape[3] : tensor.shape[1];
  const int group_channels = channels / groups;
  FilterBank bank = FilterBank::Zeros(per_group * groups, group_channels, kernel_rows, kernel_cols);
  std::size_t source = 0;
  const auto place = [&](int c, int o, int ky, int kx) {
    bank.At(c / group_channels * per_group + o, c % group_channels, ky, kx) = tensor.values[source++];
  };
  if (channels_first) {
    for (int c = 0; c < channels; ++c)
      for (int o = 0; o < per_group; ++o)
        for (int ky = 0; ky < kernel_rows; ++ky)
          for (int kx = 0; kx < kernel_cols; ++kx) place(c, o, ky, kx);
  } else {
    for (int ky = 0; ky < kernel_rows; ++ky)
      for (int kx = 0; kx < kernel_cols; ++kx)
        for (int o = 0; o < per_group; ++o)
          for (int c = 0; c < channels; ++c) place(c, o, ky, kx);
  }
  return bank;
}

TensorLayout InputLayout(DataFormat format) {
  if (format == DataFormat::kChannelsFirst) return TensorLayout{"C×H×W", {"channels", "rows", "columns"}};
  return TensorLayout{"H×W×C", {"rows", "columns", "channels"}};
}

TensorLayout WeightsLayout(DataFormat format, Op op) {
  if (op == Op::kConvTranspose2d) {
    if (format == DataFormat::kChannelsFirst) {
      return TensorLayout{"I×(O/groups)×kh×kw", {"input channels", "filters per group", "kernel rows", "kernel columns"}};
    }
    return TensorLayout{"kh×kw×(O/groups)×I", {"kernel rows", "kernel columns", "filters per group", "input channels"}};
  }
  if (format == DataFormat::kChannelsFirst) {
    return TensorLayout{"O×I×kh×kw", {"filters", "input channels", "kernel rows", "kernel columns"}};
  }
  return TensorLayout{"kh×kw×I×O", {"kernel rows", "kernel columns", "input channels", "filters"}};
}

// Keeps every extent the core derives within int range and the output within the tensor limit,
// before ResolveGeometry (which computes in int) and before anything is allocated for the output.
std::optional<Error> CheckSizesFitLimits(const Scene& scene) {
  const LayerSpec& layer = scene.layer;
  const Size2 dilation = layer.dilation;
  for (const auto& [kernel, dilate] : {std::pair{layer.kernel.rows, dilation.rows}, std::pair{layer.kernel.cols, dilation.cols}}) {
    const std::int64_t span = (std::int64_t{kernel} - 1) * dilate + 1;
    if (span > kMaxHyperParameter) {
      return FieldError("dilation", "the window would span (k − 1)·d + 1 = " + std::to_string(span) +
                                        " cells; the limit is " + std::to_string(kMaxHyperParameter));
    }
  }
  const bool pooling = IsPooling(layer.op);
  const Sides& sides = layer.padding.sides;
  const bool transposed = layer.op == Op::kConvTranspose2d;
  Result<AxisGeometry> rows =
      transposed ? ResolveTransposedAxis(scene.input.height, layer.kernel.rows, layer.stride.rows, dilation.rows,
                                         sides.top, layer.output_padding.rows, "rows")
                 : ResolveAxis(layer.padding.mode, scene.input.height, layer.kernel.rows, layer.stride.rows,
                               dilation.rows, sides.top, sides.bottom, layer.ceil_mode, pooling, "rows");
  Result<AxisGeometry> cols =
      transposed ? ResolveTransposedAxis(scene.input.width, layer.kernel.cols, layer.stride.cols, dilation.cols,
                                         sides.left, layer.output_padding.cols, "cols")
                 : ResolveAxis(layer.padding.mode, scene.input.width, layer.kernel.cols, layer.stride.cols,
                               dilation.cols, sides.left, sides.right, layer.ceil_mode, pooling, "cols");
  if (!rows || !cols) return std::nullopt;  // ResolveGeometry reports it, after its other checks
  const std::int64_t cells = std::int64_t{rows.value().output} * cols.value().output;
  const std::int64_t channels = pooling ? scene.input.channels : scene.weights.filters;
  if (cells > kMaxTensorElements || cells * channels > kMaxTensorElements) {
    return FieldError("output", "the result would be " + std::to_string(channels) + "×" +
                                    std::to_string(rows.value().output) + "×" + std::to_string(cols.value().output) +
                                    ", more than " + std::to_string(kMaxTensorElements) +
                                    " values (the limit per tensor, kMaxTensorElements)");
  }
  return std::nullopt;
}

bool SameSize(Size2 a, Size2 b) { return a.rows == b.rows && a.cols == b.cols; }

std::string PairText(Size2 size) {
  return "[" + std::to_string(size.rows) + ", " + std::to_string(size.cols) + "]";
}

// The float as the shortest decimal that reads back as the same float, so 0.1f prints as 0.1
// rather than 0.10000000149011612.
json FloatJson(float value) {
  if (!std::isfinite(value)) return nullptr;
  // Fewest significant digits that read back as the same float (9 always do). Not std::to_chars:
  // the WebAssembly toolchain's libc++ (emscripten 3.1.6) has no floating-point to_chars.
  char text[32];
  double shortest = 0.0;
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, static_cast<double>(value));
    shortest = std::strtod(text, nullptr);
    if (static_cast<float>(shortest) == value) break;
  }
  return shortest;
}

// The output volume (always C×H×W inside) as nested arrays in the request's layout.
json VolumeJson(const Volume& volume, DataFormat format) {
  json outer = json::array();
  if (format == DataFormat::kChannelsFirst) {
    for (int c = 0; c < volume.channels; ++c) {
      json rows = json::array();
      for (int y = 0; y < volume.height; ++y) {
        json row = json::array();
        for (int x = 0; x < volume.width; ++x) row.push_back(FloatJson(volume.At(c, y, x)));
        rows.push_back(std::move(row));
      }
      outer.push_back(std::move(rows));
    }
    return outer;
  }
  for (int y = 0; y < volume.height; ++y) {
    json row = json::array();
    for (int x = 0; x < volume.width; ++x) {
      json cell = json::array();
      for (int c = 0; c < volume.channels; ++c) cell.push_back(FloatJson(volume.At(c, y, x)));
      row.push_back(std::move(cell));
    }
    outer.push_back(std::move(row));
  }
  return outer;
}

json AxisJson(const AxisGeometry& axis) {
  return json{{"input", axis.input},           {"kernel", axis.kernel},       {"stride", axis.stride},
              {"dilation", axis.dilation},     {"span", axis.span},           {"pad_before", axis.pad_before},
              {"pad_after", axis.pad_after},   {"output", axis.output},       {"uncovered", axis.uncovered},
              {"formula", axis.formula},       {"explanation", axis.explanation}};
}

// Counts the numbers in a JSON text without building it, so an enormous request is refused
// before the document would be allocated; also catches syntax errors with their position.
class NumberCounter {
 public:
  std::int64_t numbers = 0;
  std::optional<std::size_t> error_byte;
  std::string error_text;
  bool too_many = false;

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return Count(); }
  bool number_unsigned(json::number_unsigned_t) { return Count(); }
  bool number_float(json::number_float_t, const json::string_t&) { return Count(); }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return true; }
  bool key(json::string_t&) { return true; }
  bool end_object() { return true; }
  bool start_array(std::size_t) { return true; }
  bool end_array() { return true; }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& error) {
    error_byte = byte;
    error_text = error.what();
    return false;
  }

 private:
  bool Count() {
    ++numbers;
    too_many = numbers > kMaxRequestNumbers;
    return !too_many;
  }
};

// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string SyntaxReason(const std::string& what) {
  const std::size_t column = what.find("column ");
  const std::size_t start = column == std::string::npos ? std::string::npos : what.find(": ", column);
  std::string reason = start == std::string::npos ? what : what.substr(start + 2);
  for (char& c : reason) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return reason;
}

// "3.2 GB", "2 GB", "640 MB": one decimal below 10 of a unit unless whole (powers of 1024).
std::string MemoryText(double bytes) {
  const bool gigabytes = bytes >= 1024.0 * 1024.0 * 1024.0;
  const double amount = bytes / (gigabytes ? 1024.0 * 1024.0 * 1024.0 : 1024.0 * 1024.0);
  char text[32];
  const bool whole = amount >= 10.0 || std::fabs(amount - std::round(amount)) < 0.05;
  std::snprintf(text, sizeof text, whole ? "%.0f %s" : "%.1f %s", amount, gigabytes ? "GB" : "MB");
  return text;
}

}  // namespace

Result<Request> ParseRequest(const json& request, const RequestOptions& options) {
  if (!request.is_object()) {
    return FieldError("request", "expected a JSON object {\"op\": ..., \"input\": ...}, got " + Describe(request));
  }
  for (const auto& item : request.items()) {
    bool known = false;
    for (const char* name : kRequestFields) known = known || item.key() == name;
    if (!known) {
      return FieldError(item.key(), "unknown field; expected op, data_format, input, weights, bias, kernel_size, "
                                    "stride, dilation, padding, ceil_mode, count_include_pad, activation, groups "
                                    "or output_padding");
    }
  }
  const auto field = [&request](const char* name) -> const json* {
    const auto found = request.find(name);
    return found == request.end() ? nullptr : &*found;
  };

  Request parsed;
  LayerSpec& layer = parsed.scene.layer;

  const json* op = field("op");
  const char* op_expected = "expected \"conv2d\", \"conv_transpose2d\", \"max_pool2d\" or \"avg_pool2d\"";
  if (op == nullptr) return FieldError("op", std::string("missing; ") + op_expected);
  const std::string op_name = op->is_string() ? op->get<std::string>() : "";
  if (op_name == "conv2d") {
    layer.op = Op::kConv2d;
  } else if (op_name == "max_pool2d") {
    layer.op = Op::kMaxPool2d;
  } else if (op_name == "avg_pool2d") {
    layer.op = Op::kAvgPool2d;
  } else if (op_name == "conv_transpose2d") {
    layer.op = Op::kConvTranspose2d;
  } else {
    return FieldError("op", std::string(op_expected) + ", got " + Describe(*op));
  }
  const bool pooling = IsPooling(layer.op);

  if (const json* format = field("data_format")) {
    const std::string name = format->is_string() ? format->get<std::string>() : "";
    if (name == "channels_first") {
      parsed.format = DataFormat::kChannelsFirst;
    } else if (name == "channels_last") {
      parsed.format = DataFormat::kChannelsLast;
    } else {
      return FieldError("data_format", "expected \"channels_first\" or \"channels_last\", got " + Describe(*format));
    }
  }

  // Fields that belong to the other kind of layer are refused rather than silently ignored.
  for (const char* conv_only : {"weights", "bias", "groups"}) {
    if (pooling && field(conv_only)) {
      return FieldError(conv_only, std::string("only conv2d and conv_transpose2d take ") + conv_only + "; " +
                                       op_name + " has none");
    }
  }
  if (layer.op != Op::kConvTranspose2d && field("output_padding")) {
    return FieldError("output_padding", "only conv_transpose2d takes output_padding; " + op_name + " has none");
  }
  if (const json* groups = field("groups")) {
    Result<int> count = ParseWholeNumber(*groups, "groups", 1, "a number of groups");
    if (!count) return count.error();
    layer.groups = count.value();
  }
  for (const char* pool_only : {"ceil_mode", "count_include_pad"}) {
    if (!pooling && field(pool_only)) {
      return FieldError(pool_only, "only max_pool2d and avg_pool2d take " + std::string(pool_only));
    }
  }

  const json* input = field("input");
  if (input == nullptr) {
    return FieldError("input", std::string("missing; expected a ") + InputLayout(parsed.format).shape_text +
                                   " nested array of numbers, a generator {\"shape\": [...]} or a picture {\"image\": ...}");
  }
  if (input->is_object() && input->contains("image")) {
    Result<PictureInput> picture = ParsePictureInput(*input, options);
    if (!picture) return picture.error();
    parsed.scene.input = std::move(picture.value().volume);
    parsed.picture = std::move(picture.value().info);
  } else {
    Result<LayoutTensor> input_tensor = ParseTensor(*input, "input", InputLayout(parsed.format));
    if (!input_tensor) return input_tensor.error();
    parsed.scene.input = ToVolume(input_tensor.value(), parsed.format);
  }

  if (!pooling) {
    const json* weights = field("weights");
    if (weights == nullptr) {
      return FieldError("weights", "missing; " + op_name + " needs a " + WeightsLayout(parsed.format, layer.op).shape_text +
                                       " nested array or a generator {\"shape\": [...]}");
    }
    const TensorLayout weights_layout = WeightsLayout(parsed.format, layer.op);
    Result<LayoutTensor> weights_tensor = ParseTensor(*weights, "weights", weights_layout);
    if (!weights_tensor) return weights_tensor.error();
    if (layer.op == Op::kConvTranspose2d) {
      const int channels = parsed.scene.input.channels;
      const int weight_channels = weights_tensor.value().shape[parsed.format == DataFormat::kChannelsFirst ? 0 : 3];
      if (channels % layer.groups != 0) {
        return FieldError("groups", std::to_string(layer.groups) + " groups do not divide the input's " +
                                        std::to_string(channels) + " channels");
      }
      if (weight_channels != channels) {
        return FieldError("weights", std::string("expected ") + weights_layout.shape_text + " with I = " +
                                         std::to_string(channels) + " (the input's channels), got I = " +
                                         std::to_string(weight_channels));
      }
      parsed.scene.weights = ToTransposedFilterBank(weights_tensor.value(), parsed.format, layer.groups);
    } else {
      parsed.scene.weights = ToFilterBank(weights_tensor.value(), parsed.format);
    }
    layer.kernel = Size2{parsed.scene.weights.height, parsed.scene.weights.width};

    if (const json* bias = field("bias")) {
      if (!bias->is_array()) return FieldError("bias", "expected an array of numbers, one per filter, got " + Describe(*bias));
      const std::size_t filters = static_cast<std::size_t>(parsed.scene.weights.filters);
      if (bias->size() != filters) {
        return FieldError("bias", "expected " + std::to_string(filters) + (filters == 1 ? " number" : " numbers") +
                                      " (one per filter), got " +
                                      std::to_string(bias->size()));
      }
      for (std::size_t i = 0; i < bias->size(); ++i) {
        Result<float> value = ParseFloat((*bias)[i], "bias[" + std::to_string(i) + "]", "bias");
        if (!value) return value.error();
        parsed.scene.bias.push_back(value.value());
      }
    }
  }

  if (const json* kernel = field("kernel_size")) {
    Result<Size2> size = ParsePair(*kernel, "kernel_size", 1, "a window size");
    if (!size) return size.error();
    if (!pooling && !SameSize(size.value(), layer.kernel)) {
      return FieldError("kernel_size", "expected " + PairText(layer.kernel) + " to match the weights' kh×kw, got " +
                                           PairText(size.value()));
    }
    layer.kernel = size.value();
  } else if (pooling) {
    return FieldError("kernel_size", "missing; " + op_name + " needs a window size k or [kh, kw]");
  }

  layer.stride = pooling ? layer.kernel : Size2{1, 1};
  if (const json* stride = field("stride")) {
    Result<Size2> size = ParsePair(*stride, "stride", 1, "a stride");
    if (!size) return size.error();
    layer.stride = size.value();
  }
  if (const json* dilation = field("dilation")) {
    Result<Size2> size = ParsePair(*dilation, "dilation", 1, "a dilation");
    if (!size) return size.error();
    layer.dilation = size.value();
  }
  if (const json* padding = field("padding")) {
    if (layer.op == Op::kConvTranspose2d && (padding->is_string() || (padding->is_array() && padding->size() == 4))) {
      return FieldError("padding", "conv_transpose2d takes PyTorch's explicit padding p or [ph, pw], got " +
                                       Describe(*padding));
    }
    Result<PaddingSpec> spec = ParsePadding(*padding);
    if (!spec) return spec.error();
    layer.padding = spec.value();
  } else if (layer.op == Op::kConvTranspose2d) {
    layer.padding.mode = PaddingMode::kExplicit;  // PyTorch's default, p = 0
  }
  if (const json* output_padding = field("output_padding")) {
    Result<Size2> size = ParsePair(*output_padding, "output_padding", 0, "extra cells");
    if (!size) return size.error();
    layer.output_padding = size.value();
  }
  if (const json* ceil_mode = field("ceil_mode")) {
    Result<bool> value = ParseBool(*ceil_mode, "ceil_mode");
    if (!value) return value.error();
    layer.ceil_mode = value.value();
  }
  if (const json* count_include_pad = field("count_include_pad")) {
    Result<bool> value = ParseBool(*count_include_pad, "count_include_pad");
    if (!value) return value.error();
    layer.count_include_pad = value.value();
  }
  if (const json* activation = field("activation")) {
    const std::string name = activation->is_string() ? activation->get<std::string>() : "";
    if (name == "none") {
      layer.activation = Activation::kNone;
    } else if (name == "relu") {
      layer.activation = Activation::kRelu;
    } else {
      return FieldError("activation", "expected \"none\" or \"relu\", got " + Describe(*activation));
    }
    if (pooling && layer.activation != Activation::kNone) {
      return FieldError("activation", "only conv2d takes an activation; " + op_name + " has none");
    }
  }

  if (std::optional<Error> error = CheckSizesFitLimits(parsed.scene)) return *error;
  Result<Geometry> geometry = ResolveGeometry(parsed.scene);
  if (!geometry) return geometry.error();
  parsed.geometry = geometry.value();
  return parsed;
}

Result<Request> ParseRequestText(std::string_view text, const RequestOptions& options) {
  NumberCounter counter;
  json::sax_parse(text.begin(), text.end(), &counter, json::input_format_t::json, true, false);
  if (counter.too_many) {
    return FieldError("request", "holds more than " + std::to_string(kMaxRequestNumbers) + " numbers; each tensor may hold at most " +
                                     std::to_string(kMaxTensorElements) + " (kMaxTensorElements)");
  }
  if (counter.error_byte) {
    // nlohmann counts the byte it stopped at from 1; lines and columns are counted here.
    const std::size_t stop = std::min(*counter.error_byte, text.size());
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i + 1 < stop; ++i) {
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    const std::size_t column = stop > line_start ? stop - line_start : 1;
    Error error = FieldError("request", "unreadable JSON at column " + std::to_string(column) + ": " +
                                            SyntaxReason(counter.error_text));
    error.line = static_cast<int>(std::min<std::size_t>(line, static_cast<std::size_t>(std::numeric_limits<int>::max())));
    return error;
  }
  // Each number becomes a JSON value, in arrays that may hold up to twice their size while growing.
  const double document_bytes = static_cast<double>(text.size()) + static_cast<double>(counter.numbers) * 2.0 * sizeof(json);
  if (document_bytes > static_cast<double>(kMemoryBudgetBytes)) {
    return FieldError("request", "needs " + MemoryText(document_bytes) + " of memory just to read its " +
                                     std::to_string(counter.numbers) + " numbers, more than the " +
                                     MemoryText(static_cast<double>(kMemoryBudgetBytes)) +
                                     " a browser page gives the tutor; describe large tensors with a generator "
                                     "{\"shape\": [...]} instead");
  }
  const json document = json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded()) return FieldError("request", "unreadable JSON");
  return ParseRequest(document, options);
}

std::int64_t EstimateComputeBytes(const Request& request) {
  const Scene& scene = request.scene;
  const Geometry& geometry = request.geometry;
  constexpr double kFloat = sizeof(float);
  const double input = static_cast<double>(scene.input.values.size());
  const double held = kFloat * (input + static_cast<double>(scene.weights.values.size() + scene.bias.size()));
  const double output = static_cast<double>(geometry.out_channels) * geometry.out_height * geometry.out_width;
  // The fast path's buffers hold at most four times the input and four times the output
  // (Winograd's 16 points per 2×2 tile); the answer keeps each output value as a JSON value
  // and then as text (up to 12 characters, written once and copied once).
  constexpr double kWorkingCopies = 4.0;
  constexpr double kTextBytesPerValue = 2.0 * 12.0;
  const double computing = kFloat * output + kWorkingCopies * kFloat * (input + output);
  const double answer = output * (static_cast<double>(sizeof(json)) + kTextBytesPerValue);
  return static_cast<std::int64_t>(std::min(held + computing + answer, 9.0e18));
}

std::optional<Error> CheckComputeMemory(const Request& request) {
  const std::int64_t needed = EstimateComputeBytes(request);
  if (needed <= kMemoryBudgetBytes) return std::nullopt;
  const Geometry& geometry = request.geometry;
  const std::int64_t output = std::int64_t{geometry.out_channels} * geometry.out_height * geometry.out_width;
  return FieldError("request", "needs " + MemoryText(static_cast<double>(needed)) + " of memory to compute and write out its " +
                                   std::to_string(output) + " output values, more than the " + MemoryText(static_cast<double>(kMemoryBudgetBytes)) +
                                   " a browser page gives the tutor; try a smaller input or fewer filters");
}

json ComputeResultJson(const Request& request) {
  const Scene& scene = request.scene;
  const Geometry& geometry = request.geometry;
  const Volume output = Forward(scene, geometry);
  const bool channels_first = request.format == DataFormat::kChannelsFirst;
  json result;
  result["op"] = OpName(scene.layer.op);
  result["data_format"] = channels_first ? "channels_first" : "channels_last";
  result["shape"] = channels_first ? json{output.channels, output.height, output.width}
                                   : json{output.height, output.width, output.channels};
  const Sides& padding = geometry.padding;
  result["padding"] = json{padding.top, padding.bottom, padding.left, padding.right};
  result["output"] = VolumeJson(output, request.format);
  result["derivation"] = json{{"rows", AxisJson(geometry.rows)}, {"cols", AxisJson(geometry.cols)}};
  result["parameters"] = geometry.parameters;
  result["multiply_adds"] = geometry.multiply_adds;
  if (const std::optional<PictureInfo>& picture = request.picture) {
    result["image"] = json{{"name", picture->name},
                           {"width", picture->width},
                           {"height", picture->height},
                           {"channels", picture->channels},
                           {"scaled_from", picture->scaled ? json{picture->source_width, picture->source_height} : json()}};
  }
  return result;
}

json StepJson(const Step& step) {
  json result;
  result["step"] = step.index;
  result["steps"] = step.count;
  result["kind"] = StepKindName(step.kind);
  result["out"] = json{step.out_channel, step.out_row, step.out_col};
  result["origin"] = json{step.origin_row, step.origin_col};
  if (step.channel >= 0) result["channel"] = step.channel;
  if (step.tap_row >= 0) result["tap"] = json{step.tap_row, step.tap_col};
  result["partial"] = FloatJson(step.partial);
  result["value"] = FloatJson(step.value);
  return result;
}

}  // namespace convtutor
