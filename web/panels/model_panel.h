// "Your model": the learner types or pastes Keras, PyTorch or TensorFlow 1 model code, and sees every layer's
// output shape and parameters worked out by the core, or the line the core could not follow. Any
// convolution or pooling layer can be put on the stage and stepped through like a lesson's scene,
// on a photo the learner picks when the model reads one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "convtutor/model.h"
#include "convtutor/result.h"

namespace convtutor::app {

// The code the page opens with before the learner has written any: a small Keras classifier.
extern const char* const kKerasExampleModel;
// A PyTorch model written as a class, the way its tutorials do.
extern const char* const kPyTorchExampleModel;
// A real architecture as it is usually written: the CIFAR ResNet-18, its blocks made by a method.
extern const char* const kResNetExampleModel;
// An encoder-decoder: a small U-Net whose decoder upsamples (bilinear) and concatenates the
// encoder's maps of the same size.
extern const char* const kUNetExampleModel;
// TensorFlow 1 graph code: weight variables made by helper functions, tf.nn and tf.layers ops.
extern const char* const kTensorFlow1ExampleModel;

// The photo the model's layers run on: a bundled sample or the learner's own file. The panel only
// asks; the App fetches and decodes.
struct ModelPhotoView {
  const std::vector<std::string>* samples = nullptr;  // the bundled pictures' names
  std::string shown;    // the photo's name, "" = generated values
  std::string loading;  // a sample being fetched, or ""
  std::string error;    // the last photo that could not be opened, and why
  bool picker = true;   // the platform can show a file picker (else: drop a file on the window)
};

struct ModelPanelRequest {
  bool code_changed = false;  // `code` was edited (or an example loaded) this frame
  int play_layer = -1;        // a layer's play mark was clicked: put that row on the stage
  std::optional<std::string> photo_sample;  // a sample chosen; "" = generated values
  bool pick_photo = false;                  // "Open…": a file of the learner's own
  float editor_box[4] = {0.0f, 0.0f, 0.0f, 0.0f};  // the code editor: x, y, width, height in pixels
};

// Whether `code` is one of the examples above.
bool IsExampleModel(const std::string& code);

// `model` (an example, or a lesson's) into the editor's `code`: the code there before is set aside
// when it is the learner's own, that is neither an example nor `borrowed` (a lesson's model).
void PutInEditor(const std::string& model, bool borrowed, std::string& code, std::string& set_aside);

// `code` is edited in place; `summary` is the core's reading of it (the App recomputes it when the
// code changes); `on_stage` is the row playing on the stage, or -1. Loading an example over the
// learner's own code keeps theirs in `set_aside`, with a button to bring it back; `borrowed` says
// the code is a lesson's model (its "Try it in Your model"), which is not theirs either.
ModelPanelRequest DrawModelPanel(std::string& code, std::string& set_aside, bool borrowed,
                                 const Result<lessons::ModelSummary>& summary, int on_stage, const ModelPhotoView& photo);

}  // namespace convtutor::app
