// The desktop's settings file under crashes: a writer process is killed (SIGKILL) at random
// moments while it rewrites the file again and again, and after every kill the file still reads
// as one of the two whole versions it was writing, never a mix or a torn half.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "settings_file.h"
#include "../scratch_folder.h"

namespace {

using convtutor::app::ReadSettingsFile;
using convtutor::app::WriteSettingToFile;

// Large enough (a megabyte) that each write takes many system calls' time to reach the disk.
const std::string kFirst(1 << 20, 'a');
const std::string kSecond(1 << 20, 'b');

TEST(settings_file, keeps_the_other_keys_when_one_is_written) {
  const ScratchFolder scratch;
  const std::filesystem::path file = scratch.Path() / "deep" / "settings.json";
  ASSERT_EQ(WriteSettingToFile(file, "location", "lesson=a&step=3"), "");
  ASSERT_EQ(WriteSettingToFile(file, "progress", "{}"), "");
  const nlohmann::json settings = ReadSettingsFile(file);
  EXPECT_EQ(settings.value("location", ""), "lesson=a&step=3");
  EXPECT_EQ(settings.value("progress", ""), "{}");
}

TEST(settings_file, a_damaged_or_missing_file_reads_as_no_settings) {
  const ScratchFolder scratch;
  const std::filesystem::path file = scratch.Path() / "settings.json";
  EXPECT_TRUE(ReadSettingsFile(file).empty());
  std::ofstream(file) << "{\"location\": \"lesson=a";
  EXPECT_TRUE(ReadSettingsFile(file).empty());
  ASSERT_EQ(WriteSettingToFile(file, "location", "lesson=b"), "") << "a damaged file is replaced whole";
  EXPECT_EQ(ReadSettingsFile(file).value("location", ""), "lesson=b");
}

TEST(settings_file, a_folder_that_cannot_be_written_is_reported_in_one_line) {
  const ScratchFolder scratch;
  std::ofstream(scratch.Path() / "file") << "not a folder";
  const std::string refused = WriteSettingToFile(scratch.Path() / "file" / "settings.json", "location", "x");
  EXPECT_NE(refused.find("settings.json"), std::string::npos) << refused;
  EXPECT_EQ(refused.find('\n'), std::string::npos) << refused;
}

TEST(settings_file, a_writer_killed_at_any_moment_leaves_one_whole_version) {
  const ScratchFolder scratch;
  const std::filesystem::path file = scratch.Path() / "settings.json";
  ASSERT_EQ(WriteSettingToFile(file, "work", kFirst), "");
  std::mt19937 random(20261201);
  std::uniform_int_distribution<int> delay_us(0, 30000);
  constexpr int kRounds = 40;
  int torn = 0;
  for (int round = 0; round < kRounds; ++round) {
    const pid_t writer = fork();
    ASSERT_GE(writer, 0);
    if (writer == 0) {
      for (long i = 0;; ++i) WriteSettingToFile(file, "work", i % 2 == 0 ? kSecond : kFirst);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(random)));
    kill(writer, SIGKILL);
    int status = 0;
    waitpid(writer, &status, 0);
    const nlohmann::json settings = ReadSettingsFile(file);
    const std::string work = settings.value("work", "");
    if (work != kFirst && work != kSecond) ++torn;
  }
  EXPECT_EQ(torn, 0) << torn << " of " << kRounds << " kills left a file that is neither version";
}

}  // namespace
