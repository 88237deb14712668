// What each layer kind does to its input, the shape and parameter arithmetic of one row: the
// builder sets a row's kind and input_shape (channels last inside), a rule fills in the output
// shape, the parameters and both formulas, or refuses the call as the framework would.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "convtutor/model.h"
#include "convtutor/result.h"
#include "model/calls.h"

namespace convtutor::lessons::reading {

// Any kind: dispatches to the shared, Keras or PyTorch rules (`torch`: a PyTorch model).
Result<bool> BuildLayer(const Call& call, ModelLayer& layer, bool torch);
// Keras's kinds (keras_layers.cpp) and PyTorch's (pytorch_layers.cpp).
Result<bool> BuildKerasLayer(const Call& call, ModelLayer& layer);
Result<bool> BuildTorchLayer(const Call& call, ModelLayer& layer);
// Keras's ZeroPadding2D, and PyTorch's F.pad with zeros, whose negative pads crop (`crops_allowed`).
Result<bool> BuildZeroPadding(const Call& call, ModelLayer& layer, bool crops_allowed);

// A merge (layer.kind "Add", ..., "Concatenate") of rows whose shapes are `shapes` (channels last
// inside); `axis` is Concatenate's, batch included, as the framework counts it (Keras's -1 and
// PyTorch's dim=1 are the channels). `what` names the call in messages (merge_rules.cpp).
Result<bool> BuildMerge(const std::string& what, ModelLayer& layer, const std::vector<std::vector<int>>& shapes,
                        int axis, bool torch);

// Work for one input, counted as the scenes count it (see ModelLayer::multiply_adds).
Result<bool> CountMultiplyAdds(ModelLayer& layer);

// Helpers of the rules.
Result<bool> NeedImage(const ModelLayer& layer, int line);
// Height and width through ResolveAxis, the same rule the scenes use; channels stay.
Result<bool> Spatial(ModelLayer& layer, bool pooling, int line);
// Counts past 10^15 are typing mistakes, not models; refusing them keeps the arithmetic exact.
Result<bool> CheckParameterCount(double estimate, const std::string& kind, int line);
// Callers check the size first (in floating point), so the product is exact.
std::int64_t Product(const std::vector<int>& shape);

}  // namespace convtutor::lessons::reading
