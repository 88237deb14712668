// SummarizeModel: tokenizes the pasted code, tells which framework it is written for, and hands it
// to that framework's reader (readers.h); ShapeText prints shapes as Keras does.
#include "convtutor/model.h"

#include <string>

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
  if (reading::DefinesForward(tokens.value())) {
    if (first_keras != nullptr) {
      return Error{"", "Keras layer " + LastPart(first_keras->text) + " in a PyTorch nn.Module; write the model in "
                       "one of them", first_keras->line};
    }
    return reading::ReadPyTorchModule(text, tokens.value(), first_line);
  }
  return reading::ReadSequential(text, tokens.value(), first_torch != nullptr, first_line);
}

}  // namespace convtutor::lessons
