// How far one output cell sees back through a stack of convolution and pooling layers: the cells it
// depends on at every layer down to the input, and its receptive-field size and jump by the
// recurrence r_l = r_{l−1} + (k_l − 1)·d_l·j_{l−1}, j_l = j_{l−1}·s_l, in the learner's numbers.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "convtutor/exercise.h"
#include "convtutor/request.h"
#include "convtutor/result.h"

namespace convtutor {

// The cells of one level along one axis (rows or columns) that the chosen cell depends on. Level 0
// is the input, level l the output of layer l. Only real cells count (padding is a constant, not a
// cell of the layer before), so the cells are clipped to the level's size.
struct FieldSpan {
  int first = 0;               // the first cell reached
  int last = -1;               // the last cell reached (last < first: none)
  std::vector<bool> reached;   // per cell of the level: on some path to the chosen cell (a dilated
                               // kernel, or a stride larger than the kernel, leaves gaps)
  int Extent() const { return last >= first ? last - first + 1 : 0; }
};

// One axis of a traced field.
struct FieldAxis {
  std::vector<FieldSpan> levels;          // levels[0] the input ... levels[L] the chosen cell alone
  std::vector<int> size;                  // size[l] = r_l: input cells one level-l cell spans, padding
                                          // included (size[0] = 1)
  std::vector<int> jump;                  // jump[l] = j_l: input cells between neighbouring level-l cells
  std::vector<std::string> size_formula;  // size_formula[l], l ≥ 1: "3 + (3 − 1)·1·1 = 5" ([0] empty)
  std::vector<std::string> jump_formula;  // jump_formula[l], l ≥ 1: "1·2 = 2" ([0] empty)
};

struct ReceptiveField {
  FieldAxis rows;
  FieldAxis cols;
  int layers = 0;  // L
};

// A stack of layers: `first` (with its input), then each of `then`, a request without "input" or
// "data_format" whose input is the output of the layer before, computed by Forward. Fails, naming
// the layer ("then[1]: ...") and its field, on a layer the core refuses.
Result<std::vector<Request>> ChainLayers(const Request& first, const nlohmann::json& then);

// `stack` holds the layers from the input up, each layer's input the one before's output; the
// chosen cell (out_row, out_col) is a cell of the last layer's output. Fails (naming the field) on
// an empty stack, a transposed convolution, a layer whose input size is not its predecessor's
// output, or a cell outside the last output.
Result<ReceptiveField> TraceReceptiveField(const std::vector<const Request*>& stack, int out_row, int out_col);

namespace lessons {

// The exercise "how many input rows does one cell after layer `spec.layer` see?" (spec.layer 1 is
// the first layer of `stack`; 0 means the last): the answer is r along the rows, the working the
// recurrence layer by layer, and the mistakes the usual shortcuts (adding the kernels, forgetting
// the stride's jump, forgetting the dilation, only the last kernel).
Result<Exercise> MakeReceptiveFieldExercise(const ExerciseSpec& spec, const std::vector<const Request*>& stack);

}  // namespace lessons
}  // namespace convtutor
