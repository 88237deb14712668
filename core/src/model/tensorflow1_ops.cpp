// What each TensorFlow 1 op does to the tensor it reads (see tensorflow1_reader.h): tf.nn.conv2d and
// tf.matmul with weight variables of known shape (checked against the input, as TensorFlow checks
// them), + bias folded into their row, tf.nn pooling with ksize/strides/padding (no defaults, as in
// TensorFlow), activations and dropout, tf.reshape, merges (tf.add, tf.concat), and tf.layers.*
// mapped onto the Keras rules (tf.layers.conv2d is Keras's Conv2D with the tensor first). Also the
// values ops make: tf.Variable, tf.get_variable, the initializers' shapes and tf.placeholder.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "lesson_text.h"
#include "model/layer_rules.h"
#include "model/tensorflow1_reader.h"

namespace convtutor::lessons::reading {
namespace {

using std::to_string;

template <std::size_t N>
bool OneOf(const std::string& name, const char* const (&names)[N]) {
  return std::any_of(std::begin(names), std::end(names), [&](const char* known) { return name == known; });
}

constexpr const char* kActivations[] = {
    "tf.nn.relu",    "tf.nn.relu6",      "tf.nn.elu",   "tf.nn.selu",     "tf.nn.softplus", "tf.nn.softsign",
    "tf.nn.sigmoid", "tf.nn.tanh",       "tf.nn.leaky_relu", "tf.nn.softmax", "tf.nn.log_softmax", "tf.nn.swish",
    "tf.nn.gelu",    "tf.sigmoid",       "tf.tanh",     "tf.math.sigmoid", "tf.math.tanh",
    "tf.nn.lrn",     "tf.nn.local_response_normalization"};  // no weights, the shape kept: a row like relu
constexpr const char* kNotYet[] = {"tf.nn.separable_conv2d", "tf.nn.atrous_conv2d",
                                   "tf.nn.depthwise_conv2d_native", "tf.stack"};
constexpr const char* kInitializers[] = {"tf.truncated_normal", "tf.random_normal", "tf.random_uniform", "tf.zeros",
                                         "tf.ones", "tf.random.truncated_normal", "tf.random.normal",
                                         "tf.random.uniform", "tf.constant"};

// tf.layers.<op>(inputs, ...): the Keras kind it is, its signature after the tensor, and the
// arguments that the Keras rule reads (the rest do not change shapes or counts).
struct LayersOp {
  const char* name;
  const char* kind;
  std::vector<std::string> order;
  std::vector<std::string> kept;
};

const std::vector<LayersOp>& LayersOps() {
  static const std::vector<LayersOp> ops = {
      {"conv2d", "Conv2D",
       {"inputs", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
        "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "bias_constraint", "trainable", "name", "reuse"},
       {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "use_bias"}},
      {"conv2d_transpose", "Conv2DTranspose",
       {"inputs", "filters", "kernel_size", "strides", "padding", "data_format", "activation", "use_bias",
        "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint", "trainable", "name", "reuse"},
       {"filters", "kernel_size", "strides", "padding", "data_format", "use_bias"}},
      {"separable_conv2d", "SeparableConv2D",
       {"inputs", "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier",
        "activation", "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer",
        "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer", "activity_regularizer",
        "depthwise_constraint", "pointwise_constraint", "bias_constraint", "trainable", "name", "reuse"},
       {"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier", "use_bias"}},
      {"max_pooling2d", "MaxPooling2D", {"inputs", "pool_size", "strides", "padding", "data_format", "name"},
       {"pool_size", "strides", "padding"}},
      {"average_pooling2d", "AveragePooling2D", {"inputs", "pool_size", "strides", "padding", "data_format", "name"},
       {"pool_size", "strides", "padding"}},
      {"dense", "Dense",
       {"inputs", "units", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint", "trainable", "name",
        "reuse"},
       {"units", "use_bias"}},
      {"flatten", "Flatten", {"inputs", "name", "data_format"}, {}},
      {"dropout", "Dropout", {"inputs", "rate", "noise_shape", "seed", "training", "name"}, {}},
      {"batch_normalization", "BatchNormalization",
       {"inputs", "axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
        "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
        "beta_constraint", "gamma_constraint", "training", "trainable", "name", "reuse", "renorm",
        "renorm_clipping", "renorm_momentum", "fused", "virtual_batch_size", "adjustment"},
       {"center", "scale"}},
  };
  return ops;
}

std::string ShapeList(const std::vector<int>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + to_string(shape[i]);
  return text + "]";
}

std::string Dotted(const std::vector<int>& shape) {
  std::string text;
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? kDot : "") + to_string(shape[i]);
  return text;
}

// The argument holding the tensor: the first positional one, or one of `keywords`.
const Expr* TensorArgument(const Expr& expr, const std::vector<std::string>& keywords) {
  for (std::size_t i = 1; i < expr.parts.size(); ++i) {
    const std::string& keyword = expr.keywords[i - 1];
    if (keyword.empty() || std::find(keywords.begin(), keywords.end(), keyword) != keywords.end()) return &expr.parts[i];
  }
  return nullptr;
}

}  // namespace

bool IsTensorFlow1LayerOp(const std::string& op) {
  constexpr const char* kRowOps[] = {"tf.nn.conv2d", "tf.nn.max_pool", "tf.nn.avg_pool", "tf.nn.max_pool2d",
                                     "tf.nn.avg_pool2d", "tf.nn.bias_add", "tf.nn.dropout", "tf.matmul", "tf.reshape"};
  return op.rfind("tf.layers.", 0) == 0 || OneOf(op, kRowOps) || OneOf(op, kActivations) || OneOf(op, kNotYet);
}

Result<std::map<std::string, const Expr*>> TensorFlow1Reader::Arguments(const std::string& op, const Expr& expr,
                                                                       const std::vector<std::string>& order) const {
  std::map<std::string, const Expr*> found;
  std::size_t positional = 0;
  const auto takes = [&](const std::string& name) { return std::find(order.begin(), order.end(), name) != order.end(); };
  for (std::size_t i = 1; i < expr.parts.size(); ++i) {
    std::string keyword = expr.keywords[i - 1];
    if (keyword.empty()) {
      if (positional >= order.size()) {
        return Error{"", op + ": too many arguments without a name (it takes " + to_string(order.size()) + ")",
                     expr.parts[i].line};
      }
      found[order[positional++]] = &expr.parts[i];
      continue;
    }
    if (!takes(keyword)) {  // TensorFlow's other spellings of the same argument
      if (keyword == "filters" && takes("filter")) keyword = "filter";
      if (keyword == "input" && takes("value")) keyword = "value";
      if (keyword == "value" && takes("input")) keyword = "input";
    }
    if (!takes(keyword)) {
      std::string hint;
      if (keyword == "stride") hint = " (TensorFlow spells it strides)";
      if ((keyword == "kernel_size" || keyword == "pool_size") && takes("ksize")) hint = " (tf.nn spells it ksize)";
      if ((keyword == "kernel" || keyword == "ksize") && takes("kernel_size")) hint = " (tf.layers spells it kernel_size)";
      if (keyword == "ksize" && takes("pool_size")) hint = " (tf.layers spells it pool_size)";
      if (keyword == "dilation" && takes("dilations")) hint = " (tf.nn spells it dilations)";
      if (keyword == "dilations" && takes("dilation_rate")) hint = " (tf.layers spells it dilation_rate)";
      return Error{"", op + ": unknown argument \"" + keyword + "\"" + hint, expr.parts[i].line};
    }
    found[keyword] = &expr.parts[i];
  }
  return found;
}

Value TensorFlow1Reader::ToValue(const TfValue& value, const std::string& written) const {
  Value result;
  result.text = written;
  switch (value.kind) {
    case TfValue::Kind::kInteger:
      result.kind = Value::Kind::kNumber;
      result.number = static_cast<double>(value.integer);
      result.integral = true;
      result.text = to_string(value.integer);
      break;
    case TfValue::Kind::kFloat:
      result.kind = Value::Kind::kNumber;
      result.number = value.number;
      result.text = value.text;
      break;
    case TfValue::Kind::kString:
      result.kind = Value::Kind::kString;
      result.text = value.text;
      break;
    case TfValue::Kind::kBool:
      result.kind = Value::Kind::kBool;
      result.number = static_cast<double>(value.integer);
      result.text = value.integer ? "True" : "False";
      break;
    case TfValue::Kind::kNone:
      result.kind = Value::Kind::kNone;
      result.text = "None";
      break;
    case TfValue::Kind::kList:
      result.kind = Value::Kind::kTuple;
      for (const TfValue& item : value.items) result.items.push_back(ToValue(item, Describe(item)));
      break;
    default:
      if (written.empty()) result.text = Describe(value);
      break;
  }
  return result;
}

Result<std::vector<int>> TensorFlow1Reader::ShapeValue(const TfValue& value, const std::string& what, int line) const {
  if (value.kind == TfValue::Kind::kInteger && value.integer >= 1 && value.integer < 10000000) {
    return std::vector<int>{static_cast<int>(value.integer)};
  }
  std::vector<int> shape;
  bool whole = value.kind == TfValue::Kind::kList && !value.items.empty();
  for (const TfValue& item : value.items) {
    whole = whole && item.kind == TfValue::Kind::kInteger && item.integer >= 1 && item.integer < 10000000;
    if (whole) shape.push_back(static_cast<int>(item.integer));
  }
  if (!whole) {
    return Error{"", what + ": the shape " + Describe(value) + " needs every size as a positive whole number, as in "
                         "[5, 5, 1, 32]", line};
  }
  return shape;
}

Result<std::pair<int, int>> TensorFlow1Reader::WindowValue(const TfValue& value, const std::string& what,
                                                           const std::string& name, int line) const {
  std::vector<std::int64_t> sizes;
  if (value.kind == TfValue::Kind::kInteger) sizes.push_back(value.integer);
  for (const TfValue& item : value.items) sizes.push_back(item.kind == TfValue::Kind::kInteger ? item.integer : 0);
  const bool whole = (value.kind == TfValue::Kind::kInteger || value.kind == TfValue::Kind::kList) &&
                     std::all_of(sizes.begin(), sizes.end(), [](std::int64_t size) { return size >= 1 && size < 1000000; });
  if (!whole || sizes.empty() || sizes.size() == 3 || sizes.size() > 4) {
    return Error{"", what + ": " + name + ": expected [1, k, k, 1] with whole numbers, got " + Describe(value), line};
  }
  if (sizes.size() == 4 && (sizes[0] != 1 || sizes[3] != 1)) {
    return Error{"", "not supported yet: " + what + " with " + name + " " + Describe(value) + " across the batch or the "
                     "channels; write [1, k, k, 1]", line};
  }
  if (sizes.size() == 1) return std::make_pair(static_cast<int>(sizes[0]), static_cast<int>(sizes[0]));
  const std::size_t first = sizes.size() == 4 ? 1 : 0;
  return std::make_pair(static_cast<int>(sizes[first]), static_cast<int>(sizes[first + 1]));
}

Result<int> TensorFlow1Reader::InputRow(const Expr& argument, const std::string& op, int line, TfValue& input) {
  Result<TfValue> value = Evaluate(argument);
  if (!value) return value.error();
  input = value.value();
  return RequireTensor(input, op, line);
}

Result<TfValue> TensorFlow1Reader::PaddingMode(const std::string& op, const Expr& argument) {
  Result<TfValue> padding = Evaluate(argument);
  if (!padding) return padding;
  const std::string& mode = padding.value().text;
  if (padding.value().kind == TfValue::Kind::kString && (mode == "SAME" || mode == "VALID")) return padding;
  const bool lower = padding.value().kind == TfValue::Kind::kString && (mode == "same" || mode == "valid");
  return Error{"", op + ": padding: expected 'SAME' or 'VALID'" +
                       std::string(lower ? " in capitals, as tf.nn requires" : "") + ", got " +
                       Describe(padding.value()), argument.line};
}

Result<TfValue> TensorFlow1Reader::ApplyOp(const std::string& op, const Expr& expr) {
  if (OneOf(op, kNotYet)) {
    return Error{"", "not supported yet: " + op + "; the tutor reads tf.nn.conv2d, tf.nn.depthwise_conv2d, "
                     "tf.nn.conv2d_transpose, "
                     "tf.layers.*, pooling, tf.reshape, tf.matmul and + bias in TensorFlow 1 code", expr.line};
  }
  if (op.rfind("tf.layers.", 0) == 0) return ApplyLayersOp(op, expr);
  if (op == "tf.nn.conv2d" || op == "tf.nn.depthwise_conv2d" || op == "tf.nn.conv2d_transpose") {
    return Convolution(op, expr);
  }
  if (op == "tf.nn.max_pool" || op == "tf.nn.avg_pool" || op == "tf.nn.max_pool2d" || op == "tf.nn.avg_pool2d") {
    return Pooling(op, expr);
  }
  if (op == "tf.matmul") return MatMul(op, expr);
  if (op == "tf.reshape") return Reshape(op, expr);
  if (op == "tf.Variable" || op == "tf.get_variable") return MakeVariable(op, expr);
  if (op == "tf.placeholder") return MakePlaceholder(expr);
  if (op == "Input") {  // Input(28, 28, 1) before the code: the shape of an input the code leaves open
    Call call;
    call.name = "Input";
    call.line = expr.line;
    call.source = SourceOf(expr);
    for (std::size_t i = 1; i < expr.parts.size(); ++i) {
      Result<TfValue> value = Evaluate(expr.parts[i]);
      if (!value) return value;
      Argument argument;
      argument.keyword = expr.keywords[i - 1];
      argument.value = ToValue(value.value(), SourceOf(expr.parts[i]));
      argument.line = expr.parts[i].line;
      call.arguments.push_back(argument);
    }
    has_input_line_ = true;
    input_line_ = call;
    return TfOther(call.source);
  }
  if (OneOf(op, kInitializers)) return Initializer(op, expr);
  if (op == "tf.nn.bias_add" || op == "tf.add") {
    Result<std::map<std::string, const Expr*>> arguments =
        Arguments(op, expr, op == "tf.add" ? std::vector<std::string>{"x", "y", "name"}
                                           : std::vector<std::string>{"value", "bias", "data_format", "name"});
    if (!arguments) return arguments.error();
    const Expr* left = arguments.value().count("x") ? arguments.value()["x"] : arguments.value()["value"];
    const Expr* right = arguments.value().count("y") ? arguments.value()["y"] : arguments.value()["bias"];
    if (left == nullptr || right == nullptr) return Error{"", op + ": needs the tensor and the bias", expr.line};
    Result<TfValue> a = Evaluate(*left);
    if (!a) return a;
    Result<TfValue> b = Evaluate(*right);
    if (!b) return b;
    const auto tensor = [](const TfValue& v) { return v.kind == TfValue::Kind::kTensor || v.kind == TfValue::Kind::kPlaceholder; };
    if (tensor(a.value()) && tensor(b.value())) {
      if (op == "tf.add") return Merge("Add", {a.value(), b.value()}, -1, expr);
      return Error{"", op + ": the bias should be a variable of one value per channel, not the tensor " +
                           Describe(b.value()) + "; for a skip connection write tf.add(a, b) or a + b", expr.line};
    }
    if (tensor(a.value())) return AddBias(a.value(), b.value(), SourceOf(*right), expr);
    if (tensor(b.value())) return AddBias(b.value(), a.value(), SourceOf(*left), expr);
    return TfOther(SourceOf(expr));
  }
  if (op == "tf.concat" || op == "tf.add_n") {  // tf.concat([a, b], axis=3), tf.add_n([a, b, c])
    Result<std::map<std::string, const Expr*>> arguments =
        Arguments(op, expr, op == "tf.concat" ? std::vector<std::string>{"values", "axis", "name"}
                                              : std::vector<std::string>{"inputs", "name"});
    if (!arguments) return arguments.error();
    const Expr* values = arguments.value()[op == "tf.concat" ? "values" : "inputs"];
    if (values == nullptr) return Error{"", op + ": needs a list of tensors, as in " + op + "([a, b]" +
                                                (op == "tf.concat" ? ", 3)" : ")"), expr.line};
    Result<TfValue> list = Evaluate(*values);
    if (!list) return list;
    if (list.value().kind != TfValue::Kind::kList) {
      return Error{"", op + ": expected a list of tensors such as [a, b], got " + Describe(list.value()), expr.line};
    }
    int axis = -1;
    if (op == "tf.concat") {
      if (arguments.value().count("axis") == 0) return Error{"", op + ": needs the axis, e.g. tf.concat([a, b], 3)", expr.line};
      Result<TfValue> given = Evaluate(*arguments.value()["axis"]);
      if (!given) return given;
      if (given.value().kind != TfValue::Kind::kInteger || given.value().integer < -4 || given.value().integer > 3) {
        return Error{"", op + ": axis: expected a whole number from -4 to 3, got " + Describe(given.value()), expr.line};
      }
      axis = static_cast<int>(given.value().integer);
    }
    return Merge(op == "tf.concat" ? "Concatenate" : "Add", list.value().items, axis, expr);
  }
  const bool activation = OneOf(op, kActivations);
  if (activation || op == "tf.nn.dropout" || op == "tf.identity") {
    const Expr* argument = TensorArgument(expr, {"features", "logits", "x", "input"});
    if (argument == nullptr) return Error{"", op + ": needs the tensor it works on", expr.line};
    Result<TfValue> value = Evaluate(*argument);
    if (!value) return value;
    Result<int> row = RequireTensor(value.value(), op, expr.line);
    if (!row) return row.error();
    if (op == "tf.identity") return value;
    return AddRow(RowCall(op, expr), activation ? "Activation" : "Dropout", row.value());
  }
  // tf.reduce_mean(...), tf.train.AdamOptimizer(...), ...: no layer. Its arguments may still make some.
  for (std::size_t i = 1; i < expr.parts.size(); ++i) {
    Result<TfValue> argument = Evaluate(expr.parts[i]);
    if (!argument) return argument;
  }
  return TfOther(SourceOf(expr) + " (line " + to_string(expr.line) + ")");
}

Result<TfValue> TensorFlow1Reader::ApplyLayersOp(const std::string& op, const Expr& expr) {
  const std::string name = op.substr(std::string("tf.layers.").size());
  const auto& ops = LayersOps();
  const auto found = std::find_if(ops.begin(), ops.end(), [&](const LayersOp& known) { return name == known.name; });
  if (found == ops.end()) {
    return Error{"", op + " is not understood; understood: tf.layers.conv2d, conv2d_transpose, separable_conv2d, "
                     "max_pooling2d, average_pooling2d, dense, flatten, dropout, batch_normalization", expr.line};
  }
  Result<std::map<std::string, const Expr*>> arguments = Arguments(op, expr, found->order);
  if (!arguments) return arguments.error();
  std::map<std::string, const Expr*>& given = arguments.value();
  if (given.count("inputs") == 0) return Error{"", op + ": needs its input tensor first", expr.line};
  const bool pooling = std::string(found->kind).find("Pooling") != std::string::npos;
  for (const char* required : {"pool_size", "strides"}) {
    if (pooling && given.count(required) == 0) {
      return Error{"", op + ": needs " + required + " (TensorFlow 1 has no default), e.g. " + op + "(conv1, 2, 2)",
                   expr.line};
    }
  }
  TfValue input;
  Result<int> row = InputRow(*given["inputs"], op, expr.line, input);
  if (!row) return row.error();
  Call call = RowCall(op, expr);
  for (const std::string& kept : found->kept) {
    if (given.count(kept) == 0) continue;
    Result<TfValue> value = Evaluate(*given[kept]);
    if (!value) return value;
    Argument argument;
    argument.keyword = kept;
    argument.value = ToValue(value.value(), SourceOf(*given[kept]));
    argument.line = given[kept]->line;
    call.arguments.push_back(argument);
  }
  return AddRow(call, found->kind, row.value());
}

// tf.nn.conv2d(input, filter, strides, padding, use_cudnn_on_gpu, data_format, dilations): the
// filter a variable [height, width, in_channels, out_channels]; tf.nn.depthwise_conv2d(input, filter,
// strides, padding, rate, name, data_format, dilations): [height, width, in_channels, multiplier],
// each channel convolved alone into `multiplier` maps; tf.nn.conv2d_transpose(value, filter,
// output_shape, strides, padding='SAME', data_format, name, dilations): [height, width,
// out_channels, in_channels], the picture grown to output_shape. All wait for a bias to be added.
Result<TfValue> TensorFlow1Reader::Convolution(const std::string& op, const Expr& expr) {
  const bool depthwise = op == "tf.nn.depthwise_conv2d";
  const bool transposed = op == "tf.nn.conv2d_transpose";
  std::vector<std::string> order{"input", "filter", "strides", "padding", "use_cudnn_on_gpu", "data_format",
                                 "dilations", "name"};
  if (depthwise) order = {"input", "filter", "strides", "padding", "rate", "name", "data_format", "dilations"};
  if (transposed) order = {"input", "filter", "output_shape", "strides", "padding", "data_format", "name", "dilations"};
  Result<std::map<std::string, const Expr*>> arguments = Arguments(op, expr, order);
  if (!arguments) return arguments.error();
  std::map<std::string, const Expr*>& given = arguments.value();
  if (given.count("input") == 0) return Error{"", op + ": needs the input tensor first", expr.line};
  if (given.count("filter") == 0) {
    return Error{"", op + ": needs the filter, e.g. " + op + "(x, W, strides=[1, 1, 1, 1], padding='SAME')", expr.line};
  }
  if (given.count("strides") == 0) {
    return Error{"", op + ": needs strides, e.g. strides=[1, 1, 1, 1] (TensorFlow has no default)", expr.line};
  }
  if (given.count("padding") == 0 && !transposed) {  // conv2d_transpose alone defaults to 'SAME'
    return Error{"", op + ": needs padding='SAME' or padding='VALID' (TensorFlow has no default)", expr.line};
  }
  if (transposed && given.count("output_shape") == 0) {
    return Error{"", op + ": needs output_shape, e.g. [batch_size, 14, 14, 32] (TensorFlow has no default)", expr.line};
  }
  TfValue input;
  Result<int> row = InputRow(*given["input"], op, expr.line, input);
  if (!row) return row.error();
  const std::vector<int> in = builder_.Row(row.value()).output_shape;
  if (in.size() != 3) {
    return Error{"", op + " needs an image (height, width, channels), but " + Describe(input) + " is " +
                         ShapeText(in) + ": reshape it first, e.g. tf.reshape(x, [-1, 28, 28, 1])", expr.line};
  }
  Result<TfValue> filter = Evaluate(*given["filter"]);
  if (!filter) return filter;
  if (filter.value().kind != TfValue::Kind::kWeight) {
    return Error{"", op + ": the filter should be a variable, e.g. W = tf.Variable(tf.truncated_normal([5, 5, 1, 32], "
                          "stddev=0.1)); got " + Describe(filter.value()), expr.line};
  }
  const Weight& weight = weights_[static_cast<std::size_t>(filter.value().id)];
  if (weight.shape.empty()) {
    return Error{"", op + ": the tutor cannot tell the shape of " + weight.name + " (" + weight.made + ", line " +
                         to_string(weight.line) + "): make it with one, e.g. tf.Variable(tf.truncated_normal([5, 5, 1, "
                         "32], stddev=0.1))", expr.line};
  }
  if (weight.shape.size() != 4) {
    return Error{"", op + ": the filter " + weight.name + " is " + ShapeList(weight.shape) + ", but a filter is [height, "
                         "width, in_channels, out_channels]", expr.line};
  }
  const std::size_t in_axis = transposed ? 3 : 2;  // conv2d_transpose's filter is [h, w, out, in]
  if (weight.shape[in_axis] != in[2]) {
    std::vector<int> fixed = weight.shape;
    fixed[in_axis] = in[2];
    return Error{"", op + ": the filter " + weight.name + " is " + ShapeList(weight.shape) + ", made for " +
                         to_string(weight.shape[in_axis]) + " input channel" + (weight.shape[in_axis] == 1 ? "" : "s") +
                         ", but " +
                         Describe(input) + " has " + to_string(in[2]) +
                         " channels (TensorFlow would fail here); write " + ShapeList(fixed), expr.line};
  }
  Result<TfValue> strides = Evaluate(*given["strides"]);
  if (!strides) return strides;
  Result<std::pair<int, int>> stride = WindowValue(strides.value(), op, "strides", given["strides"]->line);
  if (!stride) return stride.error();
  std::pair<int, int> dilation{1, 1};
  const char* dilations_name = given.count("rate") ? "rate" : "dilations";  // depthwise_conv2d's rate=[d, d]
  if (given.count(dilations_name)) {
    Result<TfValue> dilations = Evaluate(*given[dilations_name]);
    if (!dilations) return dilations;
    Result<std::pair<int, int>> read = WindowValue(dilations.value(), op, dilations_name, given[dilations_name]->line);
    if (!read) return read.error();
    dilation = read.value();
  }
  if (given.count("data_format")) {
    Result<TfValue> format = Evaluate(*given["data_format"]);
    if (!format) return format;
    if (format.value().kind != TfValue::Kind::kNone &&
        (format.value().kind != TfValue::Kind::kString || format.value().text != "NHWC")) {
      return Error{"", "not supported yet: " + op + " with data_format=" + Describe(format.value()) + "; the tutor reads "
                       "channels-last 'NHWC', TensorFlow's default", given["data_format"]->line};
    }
  }
  TfValue same_by_default;  // conv2d_transpose's default
  same_by_default.kind = TfValue::Kind::kString;
  same_by_default.text = "SAME";
  Result<TfValue> padding = same_by_default;
  if (given.count("padding")) padding = PaddingMode(op, *given["padding"]);
  if (!padding) return padding;
  Call call = RowCall(op, expr);
  const auto pair = [](std::pair<int, int> sizes) {
    TfValue value;
    value.kind = TfValue::Kind::kList;
    value.items = {TfInteger(sizes.first), TfInteger(sizes.second)};
    return value;
  };
  TfValue mode = padding.value();  // the Keras rules spell it 'same' or 'valid'
  mode.text = mode.text == "SAME" ? "same" : "valid";
  const std::pair<const char*, TfValue> values[] = {
      {depthwise ? "depth_multiplier" : "filters", TfInteger(weight.shape[3])},
      {"kernel_size", pair({weight.shape[0], weight.shape[1]})},
      {"strides", pair(stride.value())},
      {"dilation_rate", pair(dilation)},
      {"padding", mode}};
  const auto add = [&call, &expr, this](const char* keyword, const TfValue& value) {
    Argument argument;
    argument.keyword = keyword;
    argument.value = ToValue(value, "");
    argument.line = expr.line;
    call.arguments.push_back(argument);
  };
  for (const auto& [keyword, value] : values) {
    if (!(transposed && std::string(keyword) == "filters")) add(keyword, value);
  }
  if (!transposed) {
    const int channels = depthwise ? in[2] * weight.shape[3] : weight.shape[3];
    return Wait(depthwise ? "DepthwiseConv2D" : "Conv2D", call, row.value(), filter.value().id, channels);
  }
  add("filters", TfInteger(weight.shape[2]));
  Result<std::pair<int, int>> output_padding =
      TransposedOutputPadding(op, *given["output_shape"], in, weight, stride.value(), dilation, padding.value().text);
  if (!output_padding) return output_padding.error();
  if (output_padding.value().first >= 0) add("output_padding", pair(output_padding.value()));
  return Wait("Conv2DTranspose", call, row.value(), filter.value().id, weight.shape[2]);
}

// tf.nn.conv2d_transpose's output_shape [batch, height, width, channels], as Keras's Conv2DTranspose
// output_padding: TensorFlow accepts each size that a conv2d with the same numbers would take back to
// the input's (VALID: (n − 1)·s + span to s − 1 more; SAME: (n − 1)·s + 1 to n·s). {-1, -1} when the
// sizes are n·s with SAME, which is Keras's rule without output_padding.
Result<std::pair<int, int>> TensorFlow1Reader::TransposedOutputPadding(const std::string& op, const Expr& shape_expr,
                                                                      const std::vector<int>& in, const Weight& weight,
                                                                      std::pair<int, int> stride,
                                                                      std::pair<int, int> dilation,
                                                                      const std::string& padding) {
  Result<TfValue> shape = Evaluate(shape_expr);
  if (!shape) return shape.error();
  const std::vector<TfValue>& items = shape.value().items;
  const bool readable = shape.value().kind == TfValue::Kind::kList && items.size() == 4 &&
                        items[1].kind == TfValue::Kind::kInteger && items[2].kind == TfValue::Kind::kInteger &&
                        items[3].kind == TfValue::Kind::kInteger;
  if (!readable) {
    return Error{"", op + ": output_shape should be a list [batch, height, width, channels] with whole numbers for "
                          "the last three, e.g. [batch_size, 14, 14, 32]; got " + Describe(shape.value()),
                 shape_expr.line};
  }
  if (items[3].integer != weight.shape[2]) {
    return Error{"", op + ": output_shape has " + to_string(items[3].integer) + " channels, but the filter " +
                         weight.name + " " + ShapeList(weight.shape) + " makes " + to_string(weight.shape[2]) +
                         " (its third size; TensorFlow would fail here)", shape_expr.line};
  }
  const bool same = padding == "SAME";
  const int wanted[2] = {static_cast<int>(std::clamp<std::int64_t>(items[1].integer, -1, 1 << 24)),
                         static_cast<int>(std::clamp<std::int64_t>(items[2].integer, -1, 1 << 24))};
  const int n[2] = {in[0], in[1]}, k[2] = {weight.shape[0], weight.shape[1]};
  const int s[2] = {stride.first, stride.second}, d[2] = {dilation.first, dilation.second};
  int padding_of[2] = {0, 0};
  bool keras_same_rule = same;  // every size is n·s
  for (int axis = 0; axis < 2; ++axis) {
    const std::int64_t span = std::int64_t{k[axis] - 1} * d[axis] + 1;
    const std::int64_t low = same ? std::int64_t{n[axis] - 1} * s[axis] + 1 : std::int64_t{n[axis] - 1} * s[axis] + span;
    const std::int64_t high = same ? std::int64_t{n[axis]} * s[axis] : low + s[axis] - 1;
    if (wanted[axis] < low || wanted[axis] > high) {
      return Error{"", op + ": output_shape's " + (axis == 0 ? "height " : "width ") + to_string(wanted[axis]) +
                           " cannot come from " + to_string(n[axis]) + (axis == 0 ? " rows" : " columns") + " with kernel " + to_string(k[axis]) +
                           ", stride " + to_string(s[axis]) + " and padding '" + padding + "': TensorFlow takes " +
                           to_string(low) + (low == high ? "" : " to " + to_string(high)) + " (it would fail here)",
                   shape_expr.line};
    }
    if (wanted[axis] != high) keras_same_rule = false;
    // Keras's rule with output_padding: (n − 1)·s + span − 2·pad + output_padding, pad = span / 2 for 'same'.
    padding_of[axis] = static_cast<int>(wanted[axis] - (std::int64_t{n[axis] - 1} * s[axis] + span -
                                                        (same ? 2 * (span / 2) : 0)));
  }
  if (keras_same_rule) return std::pair<int, int>{-1, -1};
  for (int axis = 0; axis < 2; ++axis) {
    if (padding_of[axis] < 0 || padding_of[axis] >= s[axis]) {
      return Error{"", "not supported yet: " + op + " with an even kernel, padding 'SAME' and an output_shape other than "
                       "input·stride; write output_shape [batch, " + to_string(std::int64_t{n[0]} * s[0]) + ", " +
                       to_string(std::int64_t{n[1]} * s[1]) + ", " + to_string(weight.shape[2]) + "]",
                   shape_expr.line};
    }
  }
  return std::pair<int, int>{padding_of[0], padding_of[1]};
}

// tf.nn.max_pool(value, ksize, strides, padding): every one but the tensor's name is required.
Result<TfValue> TensorFlow1Reader::Pooling(const std::string& op, const Expr& expr) {
  Result<std::map<std::string, const Expr*>> arguments =
      Arguments(op, expr, {"value", "ksize", "strides", "padding", "data_format", "name"});
  if (!arguments) return arguments.error();
  std::map<std::string, const Expr*>& given = arguments.value();
  if (given.count("value") == 0) return Error{"", op + ": needs the input tensor first", expr.line};
  for (const char* required : {"ksize", "strides", "padding"}) {
    if (given.count(required) == 0) {
      return Error{"", op + ": needs " + required + " (TensorFlow has no default), e.g. " + op +
                           "(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')", expr.line};
    }
  }
  TfValue input;
  Result<int> row = InputRow(*given["value"], op, expr.line, input);
  if (!row) return row.error();
  Result<TfValue> ksize = Evaluate(*given["ksize"]);
  if (!ksize) return ksize;
  Result<std::pair<int, int>> window = WindowValue(ksize.value(), op, "ksize", given["ksize"]->line);
  if (!window) return window.error();
  Result<TfValue> strides = Evaluate(*given["strides"]);
  if (!strides) return strides;
  Result<std::pair<int, int>> stride = WindowValue(strides.value(), op, "strides", given["strides"]->line);
  if (!stride) return stride.error();
  Result<TfValue> padding = PaddingMode(op, *given["padding"]);
  if (!padding) return padding;
  Call call = RowCall(op, expr);
  const auto add = [&](const char* keyword, const Value& value) {
    Argument argument;
    argument.keyword = keyword;
    argument.value = value;
    argument.line = expr.line;
    call.arguments.push_back(argument);
  };
  TfValue pool;
  pool.kind = TfValue::Kind::kList;
  pool.items = {TfInteger(window.value().first), TfInteger(window.value().second)};
  add("pool_size", ToValue(pool, ""));
  pool.items = {TfInteger(stride.value().first), TfInteger(stride.value().second)};
  add("strides", ToValue(pool, ""));
  add("padding", ToValue(padding.value(), ""));
  const bool max = op.find("max") != std::string::npos;
  return AddRow(call, max ? "MaxPooling2D" : "AveragePooling2D", row.value());
}

// tf.matmul(x, W): x flat (batch, features), W a variable [features, units]; waits for a bias.
Result<TfValue> TensorFlow1Reader::MatMul(const std::string& op, const Expr& expr) {
  Result<std::map<std::string, const Expr*>> arguments = Arguments(
      op, expr, {"a", "b", "transpose_a", "transpose_b", "adjoint_a", "adjoint_b", "a_is_sparse", "b_is_sparse", "name"});
  if (!arguments) return arguments.error();
  std::map<std::string, const Expr*>& given = arguments.value();
  if (given.count("a") == 0 || given.count("b") == 0) return Error{"", op + ": needs two arguments, as in tf.matmul(x, W)", expr.line};
  for (const char* flag : {"transpose_a", "transpose_b", "adjoint_a", "adjoint_b"}) {
    if (given.count(flag) == 0) continue;
    Result<TfValue> value = Evaluate(*given[flag]);
    if (!value) return value;
    if (value.value().kind != TfValue::Kind::kBool || value.value().integer != 0) {
      return Error{"", "not supported yet: " + op + " with " + flag + "; write the weights as [features, units] and "
                       "tf.matmul(x, W)", given[flag]->line};
    }
  }
  Result<TfValue> a = Evaluate(*given["a"]);
  if (!a) return a;
  Result<TfValue> b = Evaluate(*given["b"]);
  if (!b) return b;
  if (a.value().kind == TfValue::Kind::kWeight) {
    return Error{"", "not supported yet: " + SourceOf(expr) + " with the weights first; write tf.matmul(x, W), the "
                     "input first", expr.line};
  }
  Result<int> row = RequireTensor(a.value(), op, expr.line);
  if (!row) return row.error();
  const std::vector<int> in = builder_.Row(row.value()).output_shape;
  if (in.size() != 1) {
    return Error{"", op + " needs a flat tensor (batch, features), but " + Describe(a.value()) + " is " + ShapeText(in) +
                         ": flatten it first, e.g. tf.reshape(" + Describe(a.value()) + ", [-1, " +
                         to_string(Product(in)) + "])", expr.line};
  }
  if (b.value().kind != TfValue::Kind::kWeight) {
    return Error{"", op + ": the weights should be a variable, e.g. W = tf.Variable(tf.truncated_normal([1024, 10], "
                          "stddev=0.1)); got " + Describe(b.value()), expr.line};
  }
  const Weight& weight = weights_[static_cast<std::size_t>(b.value().id)];
  if (weight.shape.size() != 2) {
    return Error{"", op + ": the weights " + weight.name + " are " +
                         (weight.shape.empty() ? "of a shape the tutor cannot tell (" + weight.made + ")"
                                               : ShapeList(weight.shape)) +
                         "; make them [features, units], e.g. tf.Variable(tf.truncated_normal([1024, 10], stddev=0.1))",
                 expr.line};
  }
  if (weight.shape[0] != in[0]) {
    return Error{"", op + ": the weights " + weight.name + " are " + ShapeList(weight.shape) + ", made for " +
                         Grouped(weight.shape[0]) + " features, but " + Describe(a.value()) + " has " + Grouped(in[0]) +
                         " (TensorFlow would fail here); write " + ShapeList({in[0], weight.shape[1]}), expr.line};
  }
  Call call = RowCall(op, expr);
  Argument units;
  units.keyword = "units";
  units.value = ToValue(TfInteger(weight.shape[1]), "");
  units.line = expr.line;
  call.arguments.push_back(units);
  return Wait("Dense", call, row.value(), b.value().id, weight.shape[1]);
}

// tf.reshape(x, [-1, 28, 28, 1]) or [-1, 7 * 7 * 64]: the batch first, the values per sample kept.
Result<TfValue> TensorFlow1Reader::Reshape(const std::string& op, const Expr& expr) {
  Result<std::map<std::string, const Expr*>> arguments = Arguments(op, expr, {"tensor", "shape", "name"});
  if (!arguments) return arguments.error();
  std::map<std::string, const Expr*>& given = arguments.value();
  if (given.count("tensor") == 0 || given.count("shape") == 0) {
    return Error{"", op + ": needs the tensor and its new shape, as in tf.reshape(x, [-1, 28, 28, 1])", expr.line};
  }
  TfValue input;
  Result<int> row = InputRow(*given["tensor"], op, expr.line, input);
  if (!row) return row.error();
  Result<TfValue> shape = Evaluate(*given["shape"]);
  if (!shape) return shape;
  const std::vector<TfValue>& sizes = shape.value().items;
  const std::string written = SourceOf(*given["shape"]);
  if (shape.value().kind != TfValue::Kind::kList || sizes.size() < 2) {
    return Error{"", op + ": the shape " + written + " should be a list with the batch first, as in [-1, 28, 28, 1]",
                 expr.line};
  }
  const auto unknown = [](const TfValue& size) { return size.kind == TfValue::Kind::kInteger && size.integer == -1; };
  if (sizes[0].kind == TfValue::Kind::kInteger && !unknown(sizes[0])) {
    return Error{"", op + ": the first size of " + written + " should keep the batch: -1", expr.line};
  }
  const std::vector<int> in = builder_.Row(row.value()).output_shape;
  const std::int64_t per_sample = Product(in);
  std::vector<int> target;
  int inferred = -1;
  std::int64_t known = 1;
  for (std::size_t i = 1; i < sizes.size(); ++i) {
    if (unknown(sizes[i]) && inferred < 0 && !unknown(sizes[0])) {
      inferred = static_cast<int>(i - 1);
      target.push_back(0);
      continue;
    }
    if (sizes[i].kind != TfValue::Kind::kInteger || sizes[i].integer < 1 || sizes[i].integer > 2147483647) {
      return Error{"", op + ": " + Describe(sizes[i]) + " in " + written + " is not a size the tutor can follow" +
                           (unknown(sizes[i]) ? " (only one size may be -1)" : ""), expr.line};
    }
    known *= sizes[i].integer;
    if (known > per_sample) break;
    target.push_back(static_cast<int>(sizes[i].integer));
  }
  if (inferred >= 0 && known <= per_sample && per_sample % known == 0) {
    target[static_cast<std::size_t>(inferred)] = static_cast<int>(per_sample / known);
    known = per_sample;
  }
  if (known != per_sample || target.size() + 1 != sizes.size()) {
    return Error{"", op + ": each sample of " + Describe(input) + " holds " + Dotted(in) +
                         (in.size() > 1 ? " = " + Grouped(per_sample) : "") + " values, which do not make " +
                         (inferred >= 0 ? "that shape" : Grouped(known)) +
                         " (TensorFlow would fail here, or mix samples in one row)", expr.line};
  }
  Call call = RowCall(op, expr);
  if (target.size() == 1) return AddRow(call, "Flatten", row.value());
  if (target.size() != 3) {
    return Error{"", "not supported yet: " + op + " to " + to_string(target.size()) + " sizes per sample; the tutor "
                     "follows [-1, features] and [-1, height, width, channels]", expr.line};
  }
  const int reshaped = builder_.AddReshape(call, row.value(), {target[2], target[0], target[1]});
  builder_.Row(reshaped).shape_formula = Grouped(per_sample) + " = " + Dotted(target);
  Tensor tensor;
  tensor.row = reshaped;
  return NewTensor(std::move(tensor));
}

// conv + b, tf.nn.bias_add(conv, b): a bias of one value per channel joins the convolution's (or
// matmul's) row.
Result<TfValue> TensorFlow1Reader::AddBias(const TfValue& tensor, const TfValue& bias, const std::string& written,
                                           const Expr& expr) {
  if (bias.kind != TfValue::Kind::kWeight) {
    return Error{"", "not supported yet: " + SourceOf(expr) + " adds " + Describe(bias) + "; the tutor follows a bias "
                     "variable such as b = tf.Variable(tf.constant(0.1, shape=[32])) added to tf.nn.conv2d or "
                     "tf.matmul", expr.line};
  }
  const bool waiting = tensor.kind == TfValue::Kind::kTensor && tensors_[static_cast<std::size_t>(tensor.id)].row < 0 &&
                       tensors_[static_cast<std::size_t>(tensor.id)].bias < 0;
  if (!waiting) {
    return Error{"", "not supported yet: adding " + written + " to " + Describe(tensor) + ", which is not the output of "
                     "tf.nn.conv2d or tf.matmul; add the bias right after one of them", expr.line};
  }
  const Weight& weight = weights_[static_cast<std::size_t>(bias.id)];
  Tensor sum = tensors_[static_cast<std::size_t>(tensor.id)];
  const int channels = sum.channels;
  const std::string what = sum.kind == "Dense" ? "units" : "channels";
  if (weight.shape.size() != 1 || weight.shape[0] != channels) {
    return Error{"", "the bias " + weight.name + " is " +
                         (weight.shape.empty() ? "of a shape the tutor cannot tell (" + weight.made + ")"
                                               : ShapeList(weight.shape)) +
                         ", but " + sum.call.source + " makes " + to_string(channels) + " " + what +
                         (weight.shape.empty() ? "" : " (TensorFlow would fail here)") + "; write [" +
                         to_string(channels) + "], one value per " + what.substr(0, what.size() - 1),
                 expr.line};
  }
  tensors_[static_cast<std::size_t>(tensor.id)].absorbed = true;
  sum.bias = bias.id;
  if (helper_calls_.empty()) sum.call.source += " + " + written;  // a helper's row shows the helper's call
  sum.name.clear();
  return NewTensor(std::move(sum));
}

// tf.Variable(tf.truncated_normal([5, 5, 1, 32], stddev=0.1)), tf.get_variable('w', shape=[...]).
Result<TfValue> TensorFlow1Reader::MakeVariable(const std::string& op, const Expr& expr) {
  const bool get = op == "tf.get_variable";
  const std::vector<std::string> order =
      get ? std::vector<std::string>{"name", "shape", "dtype", "initializer", "regularizer", "trainable", "collections",
                                     "caching_device", "partitioner", "validate_shape", "use_resource", "custom_getter",
                                     "constraint", "synchronization", "aggregation"}
          : std::vector<std::string>{"initial_value", "trainable", "collections", "validate_shape", "caching_device",
                                     "name", "variable_def", "dtype", "expected_shape", "import_scope", "constraint",
                                     "use_resource", "synchronization", "aggregation", "shape"};
  Result<std::map<std::string, const Expr*>> arguments = Arguments(op, expr, order);
  if (!arguments) return arguments.error();
  std::map<std::string, const Expr*>& given = arguments.value();
  Weight weight;
  weight.made = SourceOf(expr);
  weight.line = expr.line;
  const char* from = get && given.count("shape") ? "shape" : get ? "initializer" : "initial_value";
  if (given.count(from)) {
    Result<TfValue> value = Evaluate(*given[from]);
    if (!value) return value;
    if (std::string(from) == "shape") {
      Result<std::vector<int>> shape = ShapeValue(value.value(), op, given[from]->line);
      if (!shape) return shape.error();
      weight.shape = shape.value();
    } else if (value.value().kind == TfValue::Kind::kInitial) {
      weight.shape = value.value().shape;
    }
  }
  weights_.push_back(weight);
  return TfOfKind(TfValue::Kind::kWeight, static_cast<int>(weights_.size()) - 1);
}

// tf.truncated_normal(shape, stddev=0.1), tf.zeros([10]), tf.constant(0.1, shape=[32]): the shape made.
Result<TfValue> TensorFlow1Reader::Initializer(const std::string& op, const Expr& expr) {
  const Expr* shape = nullptr;
  std::size_t positional = 0;
  const std::size_t shape_position = op == "tf.constant" ? 2 : 0;
  for (std::size_t i = 1; i < expr.parts.size(); ++i) {
    if (expr.keywords[i - 1] == "shape" || (expr.keywords[i - 1].empty() && positional++ == shape_position)) {
      shape = &expr.parts[i];
    }
  }
  if (shape == nullptr) return TfOther(SourceOf(expr));
  Result<TfValue> value = Evaluate(*shape);
  if (!value) return value;
  if (value.value().kind != TfValue::Kind::kList && value.value().kind != TfValue::Kind::kInteger) {
    return TfOther(SourceOf(expr));
  }
  Result<std::vector<int>> sizes = ShapeValue(value.value(), op, shape->line);
  if (!sizes) return sizes.error();
  TfValue initial;
  initial.kind = TfValue::Kind::kInitial;
  initial.shape = sizes.value();
  initial.text = SourceOf(expr);
  return initial;
}

// tf.placeholder(tf.float32, shape=[None, 784]): the input's shape, batch first.
Result<TfValue> TensorFlow1Reader::MakePlaceholder(const Expr& expr) {
  Result<std::map<std::string, const Expr*>> arguments = Arguments("tf.placeholder", expr, {"dtype", "shape", "name"});
  if (!arguments) return arguments.error();
  Placeholder placeholder;
  placeholder.source = SourceOf(expr);
  placeholder.line = expr.line;
  placeholder.written = "None";
  if (arguments.value().count("shape")) {
    const Expr* written = arguments.value()["shape"];
    placeholder.written = SourceOf(*written);
    Result<TfValue> shape = Evaluate(*written);
    if (!shape) return shape;
    std::vector<TfValue> sizes = shape.value().items;
    const bool batch_open = !sizes.empty() && (sizes[0].kind != TfValue::Kind::kInteger || sizes[0].integer == -1);
    if (batch_open || sizes.size() == 2 || sizes.size() == 4) sizes.erase(sizes.begin());
    const bool whole = shape.value().kind == TfValue::Kind::kList && !sizes.empty() &&
                       std::all_of(sizes.begin(), sizes.end(), [](const TfValue& size) {
                         return size.kind == TfValue::Kind::kInteger && size.integer >= 1 && size.integer < 10000000;
                       });
    if (whole) {
      for (const TfValue& size : sizes) placeholder.shape.push_back(static_cast<int>(size.integer));
    }
  }
  placeholders_.push_back(placeholder);
  return TfOfKind(TfValue::Kind::kPlaceholder, static_cast<int>(placeholders_.size()) - 1);
}

}  // namespace convtutor::lessons::reading
