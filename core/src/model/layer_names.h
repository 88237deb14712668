// The layer names the readers understand, each with its canonical kind ("Convolution2D" is a
// "Conv2D"), and which framework a name belongs to.
#pragma once

#include <string>

namespace convtutor::lessons::reading {

// The canonical kind of a layer written `written` ("MaxPool2D" → "MaxPooling2D", "randn" → "Input"),
// or nullptr for a name that is no layer.
const char* LayerKind(const std::string& written);

// Which framework a layer name belongs to; shared names (Flatten, ReLU, Dropout, ...) belong to both.
enum class Dialect { kEither, kKeras, kTorch };
Dialect DialectOf(const std::string& name);

// "Add", "Subtract", "Multiply", "Average", "Maximum", "Concatenate": kinds that combine several rows.
bool IsMergeKind(const std::string& kind);

// Calls that hold layers (their arguments are scanned) rather than being layers.
bool IsWrapper(const std::string& name);

// The canonical names, for "understood: ..." messages.
std::string KnownLayers();

}  // namespace convtutor::lessons::reading
