// The model readers, one per way of writing a model; SummarizeModel (summarize.cpp) picks one by
// what the text holds. Each reads the tokens and adds rows to a ModelBuilder.
#pragma once

#include <string_view>
#include <vector>

#include "convtutor/model.h"
#include "convtutor/result.h"
#include "model/tokens.h"

namespace convtutor::lessons::reading {

// Layer stacks: Keras Sequential([...]) / model.add(...) and PyTorch nn.Sequential(...) after an
// Input(...) (sequential_reader.cpp). `torch`: the stack holds PyTorch layers.
Result<ModelSummary> ReadSequential(std::string_view text, const std::vector<Token>& tokens, bool torch,
                                    int first_line);

// Whether the text applies Keras layers to tensors (Conv2D(...)(x), layers.add([a, b])), and the
// reader of that functional API (keras_reader.cpp).
bool UsesFunctionalApi(const std::vector<Token>& tokens);
Result<ModelSummary> ReadKerasFunctional(std::string_view text, const std::vector<Token>& tokens, int first_line);

// Whether the text defines a method `name` (forward: a PyTorch nn.Module class; call: a
// tf.keras.Model subclass), and the readers of such classes (pytorch_reader.cpp, both).
bool DefinesMethod(const std::vector<Token>& tokens, const char* name);
Result<ModelSummary> ReadPyTorchModule(std::string_view text, const std::vector<Token>& tokens, int first_line);
Result<ModelSummary> ReadKerasModel(std::string_view text, const std::vector<Token>& tokens, int first_line);

// Whether the text is TensorFlow 1 graph code (tf.layers.*, tf.nn.conv2d, tf.placeholder, tf.Variable,
// tf.matmul, ...), and its reader (tensorflow1_reader.cpp).
bool WritesTensorFlow1(const std::vector<Token>& tokens);
Result<ModelSummary> ReadTensorFlow1(std::string_view text, const std::vector<Token>& tokens, int first_line);

}  // namespace convtutor::lessons::reading
