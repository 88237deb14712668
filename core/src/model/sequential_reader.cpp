// Layer stacks in either framework: Keras Sequential([...]) or model.add(...), and PyTorch
// nn.Sequential(...) after Input(C, H, W) or torch.randn(1, C, H, W). Every known layer call is a
// row reading the row before; other calls (model.compile(...), print(...)) are skipped.
#include <cctype>
#include <string>

#include "model/calls.h"
#include "model/layer_names.h"
#include "model/model_builder.h"
#include "model/readers.h"

namespace convtutor::lessons::reading {

Result<ModelSummary> ReadSequential(std::string_view text, const std::vector<Token>& tokens, bool torch,
                                    int first_line) {
  CallParser parser(text, tokens);
  ModelBuilder builder(torch);
  while (!parser.AtEnd()) {
    const Token& token = parser.Peek();
    if (token.kind == TokenKind::kName && (token.text == "class" || token.text == "def")) {
      // class Net(nn.Module): names a model, it is not a layer.
      parser.Advance();
      parser.Advance();
      continue;
    }
    if (token.kind == TokenKind::kName && parser.TryAssignment()) continue;
    if (token.kind != TokenKind::kName || !parser.IsPunct("(", 1)) {
      parser.Advance();
      continue;
    }
    const std::string name = LastPart(token.text);
    if (IsWrapper(name)) {  // Sequential([ ... ]) and model.add( ... ): look inside
      parser.Advance();
      parser.Advance();
      continue;
    }
    const char* kind = LayerKind(name);
    // torch.randn(1, 3, 32, 32) gives a PyTorch stack its input; elsewhere it is just a call.
    if (!torch && std::islower(static_cast<unsigned char>(name[0]))) kind = nullptr;
    if (kind == nullptr) {
      if (std::isupper(static_cast<unsigned char>(name[0]))) {
        return Error{"", "unknown layer \"" + name + "\"; understood: " + KnownLayers(), token.line};
      }
      // model.compile(...), model.summary(), print(...): not layers.
      parser.Advance();
      Result<bool> skipped = parser.SkipGroup();
      if (!skipped) return skipped.error();
      continue;
    }
    if (IsMergeKind(kind)) {
      return Error{"", name + " combines several tensors: write the model with Keras's functional API, e.g. "
                       "y = layers." + name + "()([x, shortcut])", token.line};
    }
    if (std::string(kind) == "Input" && builder.LastRow() >= 0) {
      return Error{"", "only one Input layer, at the start, is understood in a layer stack", token.line};
    }
    Result<Call> call = parser.ParseCall();
    if (!call) return call.error();
    Result<int> added = builder.AddLayer(call.value(), kind, builder.LastRow());
    if (!added) return added.error();
    if (parser.IsPunct("(")) {  // functional style: Conv2D(...)(x)
      Result<bool> skipped = parser.SkipGroup();
      if (!skipped) return skipped.error();
    }
  }
  return builder.Finish(first_line);
}

}  // namespace convtutor::lessons::reading
