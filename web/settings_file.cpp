// The desktop's settings file, written atomically (see settings_file.h). POSIX calls (open, fsync,
// rename) because std::ofstream cannot flush to the disk itself.
#include "settings_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace convtutor::app {

namespace fs = std::filesystem;

nlohmann::json ReadSettingsFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return nlohmann::json::object();
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json settings = nlohmann::json::parse(text, nullptr, false);
  return settings.is_object() ? settings : nlohmann::json::object();
}

namespace {

std::string Failed(const fs::path& file, const char* what) {
  return "cannot " + std::string(what) + " " + file.string() + ": " + std::strerror(errno);
}

// Writes all of `text` to a new file at `path` and flushes it to the disk.
std::string WriteWholeFile(const fs::path& path, const std::string& text) {
  const int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (descriptor < 0) return Failed(path, "create");
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t count = ::write(descriptor, text.data() + written, text.size() - written);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) {
      const std::string error = Failed(path, "write");
      ::close(descriptor);
      return error;
    }
    written += static_cast<std::size_t>(count);
  }
  if (::fsync(descriptor) != 0) {
    const std::string error = Failed(path, "flush");
    ::close(descriptor);
    return error;
  }
  if (::close(descriptor) != 0) return Failed(path, "close");
  return "";
}

}  // namespace

std::string WriteSettingToFile(const fs::path& file, const std::string& key, const std::string& value) {
  nlohmann::json settings = ReadSettingsFile(file);
  settings[key] = value;
  std::error_code error;
  fs::create_directories(file.parent_path(), error);
  // One temporary name per process, so two running copies never write into each other's file.
  const fs::path temporary = file.string() + ".tmp-" + std::to_string(::getpid());
  const std::string text = settings.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (std::string failed = WriteWholeFile(temporary, text); !failed.empty()) {
    fs::remove(temporary, error);
    return failed;
  }
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    const std::string failed = Failed(file, "replace");
    fs::remove(temporary, error);
    return failed;
  }
  return "";
}

}  // namespace convtutor::app
