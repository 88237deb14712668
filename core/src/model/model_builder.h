// The model being read, row by row, for every reader (Sequential stacks, Keras, PyTorch, ...):
// a reader adds rows in the order the code runs them, each by its kind (a canonical name from
// layer_names.h) and the call's arguments, naming the rows it reads by index; the builder works out
// each row's shape, parameters and multiply-adds with their arithmetic (layer_rules.h) and refuses,
// on the call's line, what the framework would refuse.
#pragma once

#include <string>
#include <vector>

#include "convtutor/model.h"
#include "convtutor/result.h"
#include "model/calls.h"

namespace convtutor::lessons::reading {

class ModelBuilder {
 public:
  // `channels_first`: a PyTorch model, whose shapes are read and shown as (C, H, W).
  explicit ModelBuilder(bool channels_first);

  // Input(300, 300, 3), Input(shape=(28, 28, 1)), torch.randn(1, 3, 32, 32): the model's Input row.
  Result<int> AddInput(const Call& call);
  // A layer of `kind` reading row `input`; returns its row. With no row yet (input < 0), the call's
  // input_shape=... makes the Input row first, as on Keras's first layer.
  Result<int> AddLayer(const Call& call, const std::string& kind, int input);
  // A merge of `kind` ("Add", "Subtract", "Multiply", "Average", "Maximum", "Concatenate") reading
  // `inputs`; `axis`: Concatenate's axis, batch included, as the framework counts it.
  Result<int> AddMerge(const Call& call, const std::string& kind, const std::vector<int>& inputs, int axis);
  // x.view(x.size(0), C, H, W): row `input`'s values in the image shape `shape_chw` (the caller checked
  // that the count is the same).
  int AddReshape(const Call& call, int input, const std::vector<int>& shape_chw);
  // x.chunk(chunks, dim=1): `count` of row `input`'s channels from `first` on, one of `chunks` parts.
  int AddChannelChunk(const Call& call, int input, int first, int count, int chunks);
  // A PyTorch module called a second time: `row` shows the work again, but PyTorch holds one set of
  // weights, so it adds no parameters and says whose it shares (`owner`'s, named `owner_name`).
  void ShareParameters(int row, int owner, const std::string& owner_name);

  // The newest row, or -1 before the first.
  int LastRow() const { return static_cast<int>(summary_.layers.size()) - 1; }
  ModelLayer& Row(int row) { return summary_.layers[static_cast<std::size_t>(row)]; }
  // What a layer reading `row` receives, as the learner sees it: (C, H, W) for PyTorch.
  std::vector<int> ShapeOf(int row) const;

  // The summary, with shapes in the framework's order; refused when no layer was found.
  Result<ModelSummary> Finish(int line);

 private:
  Result<int> AddInputShapeFrom(const Call& call);
  // A row of `kind` that shows row `input`'s values in another shape, without weights; its output shape to fill.
  ModelLayer ViewRow(const Call& call, const std::string& kind, int input);
  int Append(ModelLayer layer);

  bool channels_first_ = false;
  ModelSummary summary_;
};

}  // namespace convtutor::lessons::reading
