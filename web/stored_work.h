// The learner's work in the platform's store (web/platform.h), one key per part: "progress" (the
// core's Progress format), "sandbox" (SandboxToJson), "sandbox_picture" (a picture file of the
// learner's own on the sandbox's stage), "model_code", "model_photo" (Your model's photo: a sample,
// generated values or a file of the learner's own) and "location". Each part names
// its format version; reading keeps every part that reads and says in words what it had to reset,
// so damaged, stale or newer data never breaks the tutor nor takes the other parts with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "convtutor/image.h"
#include "convtutor/lesson.h"
#include "sandbox_settings.h"

namespace convtutor::app {

// "model_code" is {"version": 1, "code": "..."}; before versions it was the code as plain text.
constexpr int kModelCodeStoreVersion = 1;

// "sandbox_picture" and "model_photo" are {"version": 1, "name": "...", "sample": true or false} and,
// for a picture of the learner's own, "file": the file's bytes in base64.
constexpr int kPictureStoreVersion = 1;
// A file of the learner's own up to this size is kept as it is, so it comes back pixel for pixel;
// a larger one (a camera's photo) as a PNG of the picture reduced to a longest side of
// kKeptPictureSide, more than the stage or a model's input uses: a copy costs the store about 1 MB at most.
constexpr std::size_t kKeptPictureFileBytes = 512 * 1024;
constexpr int kKeptPictureSide = 512;

struct KeptPicture {
  std::string name;   // the sample's name or the file's; "" = generated values (the model's photo)
  bool sample = true;
  std::vector<std::uint8_t> file;  // a picture of the learner's own: its file, or a PNG of a reduced copy
};

struct StoredWork {
  lessons::Progress progress;
  std::optional<SandboxSettings> sandbox;  // nothing stored or reset: the default sandbox
  std::optional<std::string> model_code;   // nothing stored or reset: the example model
  std::string model_code_set_aside;        // the learner's own code while an example is shown ("": none)
  std::optional<KeptPicture> sandbox_picture;  // the sandbox's own picture file, if one was kept
  std::optional<KeptPicture> model_photo;      // nothing stored or reset: the first sample
  std::vector<std::string> resets;         // one phrase per part (or piece) that was reset
};

// Reads every part through platform::ReadSetting.
StoredWork ReadStoredWork();

// The model code and, while an example is shown, the learner's own code set aside (kept too: a
// reload must not lose it).
std::string ModelCodeToStore(const std::string& code, const std::string& set_aside);

// What is kept of a picture file the learner opened: the file itself when it is small enough, else
// a PNG of `decoded` reduced to kKeptPictureSide.
std::vector<std::uint8_t> FileToKeep(const std::vector<std::uint8_t>& file, const Picture& decoded);
// The "sandbox_picture" or "model_photo" part for `picture`.
std::string PictureToStore(const KeptPicture& picture);

// The sentence the learner is shown about `resets`; "" when nothing was reset.
std::string ResetNotice(const std::vector<std::string>& resets);

}  // namespace convtutor::app
