// Reads and writes the learner's stored work defensively (see stored_work.h).
#include "stored_work.h"

#include <nlohmann/json.hpp>

#include "platform.h"

namespace convtutor::app {
namespace {

// Why a stored JSON object cannot be read at all, or "" when it is an object of a version up to
// `newest` (or of none: from before versions).
std::string UnreadableReason(const nlohmann::json& json, int newest) {
  if (json.is_discarded() || !json.is_object()) return "not readable";
  const auto version = json.find("version");
  if (version == json.end()) return "";
  if (!version->is_number_integer() || version->get<long long>() < 1) return "of no known format";
  if (version->get<long long>() > newest) return "saved by a newer version of the tutor";
  return "";
}

void ReadProgress(StoredWork& work) {
  const std::string text = platform::ReadSetting("progress");
  if (text.empty()) return;
  std::vector<std::string> dropped;
  Result<lessons::Progress> progress = lessons::Progress::FromJson(text, &dropped);
  if (!progress) {
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    const std::string reason = UnreadableReason(json, lessons::Progress::kFormatVersion);
    work.resets.push_back("your progress (" + (reason.empty() ? std::string("not readable") : reason) + ")");
    return;
  }
  work.progress = progress.value();
  for (const std::string& part : dropped) work.resets.push_back("part of your progress (" + part + ")");
}

void ReadSandbox(StoredWork& work) {
  const std::string text = platform::ReadSetting("sandbox");
  if (text.empty()) return;
  SandboxSettings settings;
  if (SandboxFromJson(text, &settings)) {
    work.sandbox = std::move(settings);
    return;
  }
  const std::string reason = UnreadableReason(nlohmann::json::parse(text, nullptr, false), kSandboxStoreVersion);
  work.resets.push_back("the sandbox settings (" + (reason.empty() ? std::string("sizes or values that do not fit") : reason) + ")");
}

void ReadModelCode(StoredWork& work) {
  const std::string text = platform::ReadSetting("model_code");
  if (text.empty()) return;
  // Python, Keras and TensorFlow code never starts with '{': such text is the versioned format.
  if (text.front() != '{') {
    work.model_code = text;
    return;
  }
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  std::string reason = UnreadableReason(json, kModelCodeStoreVersion);
  if (reason.empty() && json.contains("code") && json["code"].is_string()) {
    work.model_code = json["code"].get<std::string>();
    if (json.contains("set_aside") && json["set_aside"].is_string()) work.model_code_set_aside = json["set_aside"].get<std::string>();
    return;
  }
  work.resets.push_back("your model code (" + (reason.empty() ? std::string("not readable") : reason) + ")");
}

}  // namespace

StoredWork ReadStoredWork() {
  StoredWork work;
  ReadProgress(work);
  ReadSandbox(work);
  ReadModelCode(work);
  return work;
}

std::string ModelCodeToStore(const std::string& code, const std::string& set_aside) {
  nlohmann::json json = {{"version", kModelCodeStoreVersion}, {"code", code}};
  if (!set_aside.empty()) json["set_aside"] = set_aside;
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ResetNotice(const std::vector<std::string>& resets) {
  if (resets.empty()) return "";
  std::string list;
  for (std::size_t i = 0; i < resets.size(); ++i) {
    if (i > 0) list += i + 1 == resets.size() ? " and " : ", ";
    list += resets[i];
  }
  return "Some saved work could not be read and was reset: " + list + ". Everything else was kept.";
}

}  // namespace convtutor::app
