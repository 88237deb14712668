// SummarizeModel: tokenizes the pasted code, tells which framework it is written for, and hands it
// to that framework's reader (readers.h); ShapeText prints shapes as Keras does.
#include "convtutor/model.h"

#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "model/layer_names.h"
#include "model/readers.h"
#include "model/tokens.h"

namespace convtutor::lessons {

using reading::Dialect;
using reading::LastPart;
using reading::Token;
using reading::TokenKind;

std::string ShapeText(const std::vector<int>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) text += ",";
  return text + ")";
}

bool IsMerge(const ModelLayer& layer) { return reading::IsMergeKind(layer.kind); }

namespace {

// "BatchNormalization" → "batch_normalization", "Conv2DTranspose" → "conv2d_transpose", as Keras
// names layers.
std::string SnakeCase(const std::string& kind) {
  std::string name;
  const auto is_upper = [&](std::size_t at) { return std::isupper(static_cast<unsigned char>(kind[at])) != 0; };
  const auto is_lower = [&](std::size_t at) { return std::islower(static_cast<unsigned char>(kind[at])) != 0; };
  for (std::size_t i = 0; i < kind.size(); ++i) {
    const bool boundary =
        i > 0 && is_upper(i) && (is_lower(i - 1) || (is_upper(i - 1) && i + 1 < kind.size() && is_lower(i + 1)));
    if (boundary) name += '_';
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(kind[i])));
  }
  return name;
}

std::string BaseName(const ModelLayer& layer) {
  const std::size_t assigned = layer.source.find(" = ");
  if (layer.source.rfind("self.", 0) == 0 && assigned != std::string::npos &&
      layer.source.find('(') > assigned) {  // self.conv1 = nn.Conv2d(...)
    return layer.source.substr(5, assigned - 5);
  }
  // F.relu(x) → relu, nn.GELU() → gelu; PyTorch's F.pad(x, ...) → pad (its row is a ZeroPadding2D),
  // F.interpolate(x, ...) → interpolate.
  if (layer.kind == "Activation" || (layer.channels_first && (layer.kind == "ZeroPadding2D" || layer.kind == "Upsample"))) {
    std::string callee = layer.source.substr(0, layer.source.find('('));
    const std::size_t dot = callee.rfind('.');
    if (dot != std::string::npos) callee.erase(0, dot + 1);
    if (!callee.empty() && callee.find_first_of(" +-*") == std::string::npos) return SnakeCase(callee);
  }
  return SnakeCase(layer.kind);
}

}  // namespace

std::vector<std::string> LayerNames(const ModelSummary& summary) {
  std::vector<std::string> names;
  std::map<std::string, int> used;
  for (const ModelLayer& layer : summary.layers) {
    const std::string base = BaseName(layer);
    const int seen = used[base]++;
    names.push_back(seen == 0 ? base : base + "_" + std::to_string(seen));
  }
  return names;
}

bool IsGraph(const ModelSummary& summary) {
  for (std::size_t row = 0; row < summary.layers.size(); ++row) {
    const std::vector<int>& inputs = summary.layers[row].inputs;
    const bool follows = row == 0 ? inputs.empty() : inputs == std::vector<int>{static_cast<int>(row) - 1};
    if (!follows) return true;
  }
  return false;
}

Result<ModelSummary> SummarizeModel(std::string_view text, int first_line) {
  Result<std::vector<reading::Token>> tokens = reading::Tokenize(text, first_line);
  if (!tokens) return tokens.error();
  if (reading::WritesTensorFlow1(tokens.value())) return reading::ReadTensorFlow1(text, tokens.value(), first_line);
  // Keras and PyTorch differ in argument order and shape order, so the text must be one or the other.
  const Token* first_keras = nullptr;
  const Token* first_torch = nullptr;
  for (const Token& token : tokens.value()) {
    if (token.kind != TokenKind::kName) continue;
    const Dialect dialect = reading::DialectOf(LastPart(token.text));
    if (dialect == Dialect::kKeras && first_keras == nullptr) first_keras = &token;
    if (dialect == Dialect::kTorch && first_torch == nullptr) first_torch = &token;
  }
  if (first_keras != nullptr && first_torch != nullptr) {
    const Token& later = first_keras->offset > first_torch->offset ? *first_keras : *first_torch;
    return Error{"", "mixes Keras layers (" + LastPart(first_keras->text) + ") and PyTorch layers (" +
                         LastPart(first_torch->text) + "); write the model in one of them", later.line};
  }
  if (reading::DefinesMethod(tokens.value(), "forward")) {
    if (first_keras != nullptr) {
      return Error{"", "Keras layer " + LastPart(first_keras->text) + " in a PyTorch nn.Module; write the model in "
                       "one of them", first_keras->line};
    }
    return reading::ReadPyTorchModule(text, tokens.value(), first_line);
  }
  // A tf.keras.Model subclass: layers made in __init__, their order in call().
  if (first_torch == nullptr && first_keras != nullptr && reading::DefinesMethod(tokens.value(), "call")) {
    return reading::ReadKerasModel(text, tokens.value(), first_line);
  }
  if (first_torch == nullptr && reading::UsesFunctionalApi(tokens.value())) {
    return reading::ReadKerasFunctional(text, tokens.value(), first_line);
  }
  return reading::ReadSequential(text, tokens.value(), first_torch != nullptr, first_line);
}

}  // namespace convtutor::lessons
