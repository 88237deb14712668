// Reads and writes the learner's stored work defensively (see stored_work.h).
#include "stored_work.h"

#include <cstring>

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

constexpr char kBase64Digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(const std::vector<std::uint8_t>& bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    const std::uint32_t group = std::uint32_t{bytes[i]} << 16 | (left > 1 ? std::uint32_t{bytes[i + 1]} << 8 : 0u) |
                                (left > 2 ? std::uint32_t{bytes[i + 2]} : 0u);
    text += kBase64Digits[group >> 18 & 63];
    text += kBase64Digits[group >> 12 & 63];
    text += left > 1 ? kBase64Digits[group >> 6 & 63] : '=';
    text += left > 2 ? kBase64Digits[group & 63] : '=';
  }
  return text;
}

// The bytes of padded base64 text; nothing when the text is not that.
std::optional<std::vector<std::uint8_t>> FromBase64(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const int padding = last ? (text[i + 3] == '=') + (text[i + 2] == '=' && text[i + 3] == '=') : 0;
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      const char* digit = c == '\0' ? nullptr : std::strchr(kBase64Digits, c);
      const bool padded = static_cast<int>(k) >= 4 - padding;
      if (!padded && digit == nullptr) return std::nullopt;
      group = group << 6 | (padded ? 0u : static_cast<std::uint32_t>(digit - kBase64Digits));
    }
    bytes.push_back(static_cast<std::uint8_t>(group >> 16));
    if (padding < 2) bytes.push_back(static_cast<std::uint8_t>(group >> 8 & 255));
    if (padding < 1) bytes.push_back(static_cast<std::uint8_t>(group & 255));
  }
  return bytes;
}

// A "sandbox_picture" or "model_photo" part; what cannot be read is named as `what` in the resets.
std::optional<KeptPicture> ReadKeptPicture(StoredWork& work, const char* key, const std::string& what) {
  const std::string text = platform::ReadSetting(key);
  if (text.empty()) return std::nullopt;
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  std::string reason = UnreadableReason(json, kPictureStoreVersion);
  KeptPicture picture;
  if (reason.empty()) {
    const auto name = json.find("name");
    const auto sample = json.find("sample");
    const auto file = json.find("file");
    if (name == json.end() || !name->is_string() || sample == json.end() || !sample->is_boolean()) {
      reason = "not readable";
    } else {
      picture.name = name->get<std::string>();
      picture.sample = sample->get<bool>();
      if (!picture.sample) {
        std::optional<std::vector<std::uint8_t>> bytes;
        if (file != json.end() && file->is_string()) bytes = FromBase64(file->get<std::string>());
        if (bytes && !bytes->empty() && !picture.name.empty()) {
          picture.file = std::move(*bytes);
        } else {
          reason = "its file is not readable";
        }
      }
    }
  }
  if (!reason.empty()) {
    work.resets.push_back(what + " (" + reason + ")");
    return std::nullopt;
  }
  return picture;
}

}  // namespace

StoredWork ReadStoredWork() {
  StoredWork work;
  ReadProgress(work);
  ReadSandbox(work);
  ReadModelCode(work);
  work.sandbox_picture = ReadKeptPicture(work, "sandbox_picture", "your picture in the sandbox");
  work.model_photo = ReadKeptPicture(work, "model_photo", "your model's photo");
  return work;
}

std::vector<std::uint8_t> FileToKeep(const std::vector<std::uint8_t>& file, const Picture& decoded) {
  if (file.size() <= kKeptPictureFileBytes) return file;
  return EncodePng(ReducedPicture(decoded, kKeptPictureSide));
}

std::string PictureToStore(const KeptPicture& picture) {
  nlohmann::json json = {{"version", kPictureStoreVersion}, {"name", picture.name}, {"sample", picture.sample}};
  if (!picture.sample) json["file"] = Base64(picture.file);
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
