// The sandbox: the learner sets the operation, input size, channels, filters, kernel, stride,
// dilation, padding, bias and activation, and randomises or edits values. The panel only edits
// settings (sandbox_settings.h); the core validates the scene they make (its error is what the
// learner sees).
#pragma once

#include "sandbox_settings.h"

namespace convtutor::app {

struct SandboxRequest {
  bool changed = false;  // settings (below) differ from the ones drawn
  SandboxSettings settings;
};

SandboxRequest DrawSandboxPanel(const SandboxSettings& settings);

}  // namespace convtutor::app
