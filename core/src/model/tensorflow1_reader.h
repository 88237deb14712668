// The TensorFlow 1 reader's state, shared by its two halves: tensorflow1_reader.cpp follows the
// Python (statements, scopes, the learner's own functions, tensors and the rows they stand for) and
// tensorflow1_ops.cpp says what each TensorFlow op does to a tensor (tf.nn.conv2d, tf.layers.conv2d,
// tf.matmul, tf.reshape, tf.concat, tf.Variable, ...), adding rows to a ModelBuilder.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/result.h"
#include "model/calls.h"
#include "model/expressions.h"
#include "model/model_builder.h"
#include "model/tensorflow1_values.h"
#include "model/tokens.h"

namespace convtutor::lessons::reading {

// Whether `op` (written "tf.nn.conv2d", ...) makes a row: a layer, an activation, a reshape.
bool IsTensorFlow1LayerOp(const std::string& op);

class TensorFlow1Reader {
 public:
  TensorFlow1Reader(std::string_view text, const std::vector<Token>& tokens);

  Result<ModelSummary> Read(int first_line);

 private:
  // A tensor of the graph. A convolution or matmul waits (row < 0) until something reads it, so that
  // a bias added to it (+ b, tf.nn.bias_add) becomes part of its row.
  struct Tensor {
    int row = -1;
    std::string kind;       // waiting: "Conv2D", "DepthwiseConv2D" (tf.nn) or "Dense" (tf.matmul)
    Call call;              // waiting: the row's arguments in the Keras rules' names
    int input_row = -1;     // waiting: the row it reads
    int weight = -1;        // waiting: the variable of its kernel
    int bias = -1;          // waiting: the variable added to it, -1 for none
    int channels = 0;       // waiting: the channels (units) it makes, one bias value each
    bool absorbed = false;  // a bias was added to it: the sum stands for it
    std::string name;       // its Python name, for messages (see Bind)
    std::size_t named_at = SIZE_MAX;
  };
  struct Placeholder {
    std::vector<int> shape;  // without the batch; empty when the code leaves sizes open
    std::string written;     // the shape as written, for messages
    std::string source;
    std::string name;
    std::size_t named_at = SIZE_MAX;
    int line = 0;
  };
  struct Weight {
    std::vector<int> shape;  // empty when the reader cannot tell it
    std::string name;
    std::size_t named_at = SIZE_MAX;
    std::string made;        // how it was made, for messages
    int line = 0;
    int first_row = -1;      // the row that counts its values
    int bias_with = -1;      // a kernel: the bias its first row added (-1: none)
  };
  struct Function {
    std::string name;
    std::vector<std::string> parameters;
    std::vector<std::pair<std::size_t, std::size_t>> defaults;  // token ranges; empty range: no default
    std::size_t body_begin = 0, body_end = 0;                   // statements of the body
    Statement inline_body;                                      // def f(x): return ... on one line
    bool has_inline_body = false;
    bool called = false;
  };
  struct Flow {
    bool returned = false;
    TfValue value;
  };

  // Statements (tensorflow1_reader.cpp).
  Result<Flow> ReadRange(std::size_t begin, std::size_t end);
  Result<Flow> ReadStatement(const Statement& statement, std::size_t body_begin, std::size_t body_end);
  Result<bool> Define(const Statement& statement, std::size_t colon, std::size_t body_begin, std::size_t body_end);
  Result<bool> Assign(const Statement& statement, std::size_t equals);
  Result<bool> Bind(const std::string& name, const TfValue& value);
  Result<TfValue> EvaluateTokens(std::size_t begin, std::size_t end, int line);
  Result<TfValue> EvaluateDict(std::size_t begin, std::size_t end, int line);
  std::vector<std::pair<std::size_t, std::size_t>> SplitAtCommas(std::size_t begin, std::size_t end) const;
  std::size_t FindTopLevel(std::size_t begin, std::size_t end, const char* punct) const;
  bool MentionsModel(std::size_t begin, std::size_t end) const;
  bool IsPunctAt(std::size_t at, const char* text) const;

  // Expressions (tensorflow1_reader.cpp).
  Result<TfValue> Evaluate(const Expr& expr);
  Result<TfValue> EvaluateName(const std::string& name, const Expr& expr);
  Result<TfValue> EvaluateBinary(const Expr& expr);
  Result<TfValue> EvaluateIndex(const Expr& expr);
  Result<TfValue> EvaluateCall(const Expr& expr);
  Result<TfValue> Attribute(const TfValue& object, const std::string& attribute, const Expr& expr);
  Result<TfValue> CallFunction(int function, const Expr& expr);
  const TfValue* Lookup(const std::string& name) const;
  std::string SourceOf(const Expr& expr) const;
  std::string Describe(const TfValue& value) const;

  // Tensors and their rows (tensorflow1_reader.cpp).
  // The row a tensor-valued argument stands for: a waiting op gets its row now, a placeholder (or a
  // name never assigned) becomes the Input row. `what` names the op in messages.
  Result<int> RequireTensor(const TfValue& value, const std::string& what, int line);
  Result<int> MakeInput(const TfValue& value, const std::string& what, int line);
  Result<int> Flush(int tensor);
  Result<TfValue> AddRow(const Call& call, const std::string& kind, int input);
  // h + shortcut, tf.add(a, b), tf.concat([a, b], 3): a merge row ("Add", ..., "Concatenate") of
  // the tensors' rows; `axis` is Concatenate's, batch included.
  Result<TfValue> Merge(const std::string& kind, const std::vector<TfValue>& tensors, int axis, const Expr& expr);
  // A row's call named `op`, shown where the learner wrote it: inside a small helper function
  // (def conv2d(x, W): return tf.nn.conv2d(...)), at the line that calls the helper.
  Call RowCall(const std::string& op, const Expr& expr) const;
  TfValue NewTensor(Tensor tensor);
  TfValue Wait(const std::string& kind, Call call, int input_row, int weight, int channels);

  // The ops (tensorflow1_ops.cpp).
  Result<TfValue> ApplyOp(const std::string& op, const Expr& expr);
  // The row of a tensor argument (RequireTensor); `input` receives what the argument was.
  Result<int> InputRow(const Expr& argument, const std::string& op, int line, TfValue& input);
  // padding='SAME' or 'VALID', as tf.nn spells them.
  Result<TfValue> PaddingMode(const std::string& op, const Expr& argument);
  Result<TfValue> ApplyLayersOp(const std::string& op, const Expr& expr);
  Result<TfValue> Convolution(const std::string& op, const Expr& expr);
  Result<std::pair<int, int>> TransposedOutputPadding(const std::string& op, const Expr& shape_expr,
                                                      const std::vector<int>& in, const Weight& weight,
                                                      std::pair<int, int> stride, std::pair<int, int> dilation,
                                                      const std::string& padding);
  Result<TfValue> Pooling(const std::string& op, const Expr& expr);
  Result<TfValue> MatMul(const std::string& op, const Expr& expr);
  Result<TfValue> Reshape(const std::string& op, const Expr& expr);
  Result<TfValue> AddBias(const TfValue& tensor, const TfValue& bias, const std::string& written, const Expr& expr);
  Result<TfValue> MakeVariable(const std::string& op, const Expr& expr);
  Result<TfValue> MakePlaceholder(const Expr& expr);
  Result<TfValue> Initializer(const std::string& op, const Expr& expr);
  // The call's arguments by the op's parameter names (positional ones in `order`).
  Result<std::map<std::string, const Expr*>> Arguments(const std::string& op, const Expr& expr,
                                                       const std::vector<std::string>& order) const;
  Result<std::vector<int>> ShapeValue(const TfValue& value, const std::string& what, int line) const;
  // [1, s, s, 1], [s, s], [s] or s for strides, ksize and dilations: the (rows, cols) pair.
  Result<std::pair<int, int>> WindowValue(const TfValue& value, const std::string& what, const std::string& name,
                                          int line) const;
  Value ToValue(const TfValue& value, const std::string& written) const;

  std::string_view text_;
  const std::vector<Token>& tokens_;
  std::vector<Statement> statements_;
  ModelBuilder builder_;
  std::vector<std::map<std::string, TfValue>> scopes_;  // the globals, then one per function call running
  std::vector<Tensor> tensors_;
  std::vector<Placeholder> placeholders_;
  std::vector<Weight> weights_;
  std::vector<Function> functions_;
  TfValue input_;           // what became the Input row (a placeholder or a name), kind kNone before
  bool has_input_line_ = false;
  Call input_line_;         // Input(28, 28, 1) before the code, for a placeholder that leaves sizes open
  std::vector<std::pair<int, std::string>> helper_calls_;  // line and source of each helper call running
  int calls_made_ = 0;      // calls of the learner's functions so far, bounded so that reading ends quickly
  int evaluate_depth_ = 0;  // nested expressions and function calls, bounded for the browser's stack
  int block_depth_ = 0;
};

}  // namespace convtutor::lessons::reading
