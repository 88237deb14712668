// The learner's work in the platform's store (web/platform.h), one key per part: "progress" (the
// core's Progress format), "sandbox" (SandboxToJson), "model_code" and "location". Each part names
// its format version; reading keeps every part that reads and says in words what it had to reset,
// so damaged, stale or newer data never breaks the tutor nor takes the other parts with it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "convtutor/lesson.h"
#include "panels/sandbox_panel.h"

namespace convtutor::app {

// "model_code" is {"version": 1, "code": "..."}; before versions it was the code as plain text.
constexpr int kModelCodeStoreVersion = 1;

struct StoredWork {
  lessons::Progress progress;
  std::optional<SandboxSettings> sandbox;  // nothing stored or reset: the default sandbox
  std::optional<std::string> model_code;   // nothing stored or reset: the example model
  std::string model_code_set_aside;        // the learner's own code while an example is shown ("": none)
  std::vector<std::string> resets;         // one phrase per part (or piece) that was reset
};

// Reads every part through platform::ReadSetting.
StoredWork ReadStoredWork();

// The model code and, while an example is shown, the learner's own code set aside (kept too: a
// reload must not lose it).
std::string ModelCodeToStore(const std::string& code, const std::string& set_aside);

// The sentence the learner is shown about `resets`; "" when nothing was reset.
std::string ResetNotice(const std::vector<std::string>& resets);

}  // namespace convtutor::app
