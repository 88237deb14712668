// The desktop's settings file: one JSON object of key → text in the user's data folder, read
// forgivingly (a missing or damaged file reads as no settings) and replaced atomically: the new
// text goes to a temporary file beside it, is flushed to disk, then renamed over the old one, so a
// crash or power cut mid-write leaves the old file whole.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace convtutor::app {

// The settings in `file`: an object, empty when the file is missing, unreadable or not an object.
nlohmann::json ReadSettingsFile(const std::filesystem::path& file);

// Sets `key` to `value` in `file` (creating its folder), keeping the other keys. Returns "" when
// written, else why not (one line naming the file).
std::string WriteSettingToFile(const std::filesystem::path& file, const std::string& key, const std::string& value);

}  // namespace convtutor::app
