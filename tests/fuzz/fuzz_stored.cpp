// Fuzz target for the learner's stored work (web/stored_work.h): the parts of the store, each read
// from the fuzz input (parts split at byte 0x01, in the order of kParts), go through
// ReadStoredWork as they would after a reload. Every part either reads or is named in the resets;
// what reads is written back and reads again to the same thing, so a kept part survives any
// number of reloads.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "platform.h"
#include "stored_work.h"

namespace {

using convtutor::fuzz::Check;

// The store the tutor reads from: the fuzz input's parts.
std::map<std::string, std::string> g_store;

constexpr const char* kParts[] = {"progress", "sandbox", "model_code", "sandbox_picture", "model_photo"};

bool SamePicture(const convtutor::app::KeptPicture& a, const convtutor::app::KeptPicture& b) {
  return a.name == b.name && a.sample == b.sample && a.file == b.file;
}

// `text` as a JSON string of the store holds it: bytes that are not UTF-8 replaced by U+FFFD.
std::string AsStoreWritesIt(const std::string& text) {
  const std::string written = nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return nlohmann::json::parse(written).get<std::string>();
}

}  // namespace

// The one platform service ReadStoredWork uses.
namespace convtutor::platform {
std::string ReadSetting(const std::string& key) {
  const auto found = g_store.find(key);
  return found == g_store.end() ? std::string() : found->second;
}
}  // namespace convtutor::platform

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  g_store.clear();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  for (const char* part : kParts) {
    if (start > input.size()) break;
    const std::size_t end = std::min(input.find('\x01', start), input.size());
    g_store[part] = std::string(input.substr(start, end - start));
    start = end + 1;
  }
  const convtutor::app::StoredWork work = convtutor::app::ReadStoredWork();
  const std::string notice = convtutor::app::ResetNotice(work.resets);
  Check(notice.empty() == work.resets.empty(), "the learner is told exactly when something was reset");

  // Each part that is there reads, or is named in the resets.
  int unread = 0;
  unread += !g_store["sandbox"].empty() && !work.sandbox;
  unread += !g_store["model_code"].empty() && !work.model_code;
  unread += !g_store["sandbox_picture"].empty() && !work.sandbox_picture;
  unread += !g_store["model_photo"].empty() && !work.model_photo;
  Check(static_cast<int>(work.resets.size()) >= unread, "a part that does not read is named in the resets");

  // What reads is written as the tutor writes it, and reads again to the same thing.
  g_store.clear();
  g_store["progress"] = work.progress.ToJson();
  if (work.sandbox) g_store["sandbox"] = convtutor::app::SandboxToJson(*work.sandbox);
  if (work.model_code) g_store["model_code"] = convtutor::app::ModelCodeToStore(*work.model_code, work.model_code_set_aside);
  if (work.sandbox_picture) g_store["sandbox_picture"] = convtutor::app::PictureToStore(*work.sandbox_picture);
  if (work.model_photo) g_store["model_photo"] = convtutor::app::PictureToStore(*work.model_photo);
  const convtutor::app::StoredWork again = convtutor::app::ReadStoredWork();
  Check(again.resets.empty(), "what the tutor writes reads back without a reset");
  Check(again.progress.lessons_done == work.progress.lessons_done &&
            again.progress.exercises_solved == work.progress.exercises_solved &&
            again.progress.exercises_revealed == work.progress.exercises_revealed &&
            again.progress.last_lesson == work.progress.last_lesson,
        "progress reads back the same");
  Check(again.sandbox.has_value() == work.sandbox.has_value() &&
            (!work.sandbox || convtutor::app::SandboxToJson(*again.sandbox) == g_store["sandbox"]),
        "the sandbox reads back the same");
  // Code stored before versions is plain text and may hold bytes that are not UTF-8 (an editor never
  // makes them); the versioned part replaces those with U+FFFD, as every JSON part the store writes.
  Check(again.model_code == (work.model_code ? std::optional(AsStoreWritesIt(*work.model_code)) : std::nullopt) &&
            again.model_code_set_aside == AsStoreWritesIt(work.model_code_set_aside),
        "the model code reads back the same");
  Check(again.sandbox_picture.has_value() == work.sandbox_picture.has_value() &&
            (!work.sandbox_picture || SamePicture(*again.sandbox_picture, *work.sandbox_picture)),
        "the sandbox's picture reads back the same");
  Check(again.model_photo.has_value() == work.model_photo.has_value() &&
            (!work.model_photo || SamePicture(*again.model_photo, *work.model_photo)),
        "the model's photo reads back the same");
  return 0;
}
