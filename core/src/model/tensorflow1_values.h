// What a TensorFlow 1 expression stands for while the TF1 reader follows the code
// (tensorflow1_reader.cpp): a tensor of the graph, a placeholder, a weight variable of known shape,
// an initializer's shape (tf.truncated_normal([5, 5, 1, 32])), plain Python numbers, strings, lists
// and dicts, the learner's own functions, or something the reader does not follow (kept as text).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace convtutor::lessons::reading {

struct TfValue {
  enum class Kind { kTensor, kPlaceholder, kWeight, kInitial, kInteger, kFloat, kString, kBool, kNone, kList, kDict,
                    kFunction, kOther };
  Kind kind = Kind::kOther;
  int id = -1;                     // kTensor, kPlaceholder, kWeight, kFunction: which one (the reader's tables)
  std::int64_t integer = 0;        // kInteger; kBool: 1 or 0
  double number = 0.0;             // kFloat
  std::string text;                // kString: the string; kOther: what it was, for messages
  bool undefined_name = false;     // kOther: a plain name the code never assigns (the seed's x)
  std::vector<int> shape;          // kInitial: the shape the initializer makes
  std::vector<TfValue> items;      // kList: the items; kDict: the values, in the order of `keys`
  std::vector<std::string> keys;   // kDict
};

inline TfValue TfInteger(std::int64_t value) {
  TfValue result;
  result.kind = TfValue::Kind::kInteger;
  result.integer = value;
  return result;
}

inline TfValue TfOther(std::string text) {
  TfValue result;
  result.text = std::move(text);
  return result;
}

inline TfValue TfOfKind(TfValue::Kind kind, int id) {
  TfValue result;
  result.kind = kind;
  result.id = id;
  return result;
}

}  // namespace convtutor::lessons::reading
