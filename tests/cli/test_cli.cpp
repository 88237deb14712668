// Tests of the `convtutor` command-line tool, run as a learner's script would run it: the real
// binary, fed a request on stdin or in a file, checked on exit status, stdout JSON and stderr.
// Expected numbers are worked by hand in the comments, or come from PyTorch (tests/golden).
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../scratch_folder.h"

namespace {

using nlohmann::json;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// A fresh file in the test's temporary folder holding `text`; returns its path.
std::string WriteTempFile(const std::string& text, const char* suffix = "") {
  std::string path_template = ::testing::TempDir() + "convtutor_cli_XXXXXX";
  std::vector<char> path(path_template.begin(), path_template.end());
  path.push_back('\0');
  const int fd = mkstemp(path.data());
  if (fd < 0) return "";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  close(fd);
  const std::string plain(path.data());
  if (*suffix == '\0') return plain;
  const std::string renamed = plain + suffix;
  std::rename(plain.c_str(), renamed.c_str());
  return renamed;
}

// Where the CLI runs: its working folder ("" = the test's own) and environment variables to set.
struct CliSetting {
  std::string folder;
  std::vector<std::pair<std::string, std::string>> environment;
};

// Runs the CLI with `arguments`, `stdin_text` on its standard input; stdout and stderr go to
// files (no pipes, so no deadlock however much either side writes).
CliRun RunCli(const std::vector<std::string>& arguments, const std::string& stdin_text = "",
              const CliSetting& setting = {}) {
  const std::string in_path = WriteTempFile(stdin_text);
  const std::string out_path = WriteTempFile("");
  const std::string err_path = WriteTempFile("");
  std::vector<std::string> argv_strings = {CONVTUTOR_CLI_PATH};
  argv_strings.insert(argv_strings.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_strings) argv.push_back(argument.data());
  argv.push_back(nullptr);

  CliRun run;
  const pid_t child = fork();
  if (child == 0) {
    const int in = open(in_path.c_str(), O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_TRUNC);
    const int err = open(err_path.c_str(), O_WRONLY | O_TRUNC);
    if (in < 0 || out < 0 || err < 0) _exit(127);
    if (!setting.folder.empty() && chdir(setting.folder.c_str()) != 0) _exit(127);
    for (const auto& [name, value] : setting.environment) setenv(name.c_str(), value.c_str(), 1);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  if (child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  return run;
}

// Exit status 2, nothing on stdout, and exactly one line on stderr that starts by naming `field`.
void ExpectRefused(const CliRun& run, const std::string& field) {
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.out, "");
  ASSERT_FALSE(run.err.empty());
  EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << "stderr must be exactly one line: " << run.err;
  EXPECT_EQ(run.err.rfind("convtutor: " + field + ":", 0), 0u) << "the line should name " << field << ": " << run.err;
}

CliRun Compute(const json& request) { return RunCli({"compute"}, request.dump()); }

// The request's stdout as JSON; fails the test when the CLI did not answer cleanly.
json Answer(const CliRun& run) {
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  return json::parse(run.out, nullptr, false);
}

// A one-channel 3×3 input 1..9, used by several hand-worked examples below.
json OneToNine() { return json::array({json::array({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})}); }

json SmallConv() {
  return json{{"op", "conv2d"},
              {"input", OneToNine()},
              {"weights", json::array({json::array({json::array({{1, 0}, {0, 1}})})})},
              {"bias", {0.5}}};
}

TEST(cli, compute_adds_the_diagonal_taps_and_the_bias) {
  // Kernel [[1, 0], [0, 1]] adds a cell and its lower-right neighbour: 1+5, 2+6, 4+8, 5+9, plus 0.5.
  const json answer = Answer(Compute(SmallConv()));
  EXPECT_EQ(answer["shape"], json({1, 2, 2}));
  EXPECT_EQ(answer["padding"], json({0, 0, 0, 0}));
  EXPECT_EQ(answer["output"], json::parse("[[[6.5, 8.5], [12.5, 14.5]]]"));
  EXPECT_EQ(answer["parameters"], 5);      // 4 weights + 1 bias
  EXPECT_EQ(answer["multiply_adds"], 16);  // 4 cells × 1 channel × 2 × 2
}

TEST(cli, compute_explains_the_output_size_per_axis) {
  const json answer = Answer(Compute(SmallConv()));
  for (const char* axis : {"rows", "cols"}) {
    const json& derivation = answer["derivation"][axis];
    EXPECT_EQ(derivation["input"], 3);
    EXPECT_EQ(derivation["kernel"], 2);
    EXPECT_EQ(derivation["output"], 2);
    EXPECT_NE(derivation["formula"].get<std::string>().find("= 2"), std::string::npos) << derivation;
    EXPECT_FALSE(derivation["explanation"].get<std::string>().empty());
  }
}

TEST(cli, compute_reads_a_file_a_dash_or_stdin_alike) {
  const std::string path = WriteTempFile(SmallConv().dump(), ".json");
  const CliRun from_file = RunCli({"compute", path});
  const CliRun from_dash = RunCli({"compute", "-"}, SmallConv().dump());
  const CliRun from_stdin = RunCli({"compute"}, SmallConv().dump());
  std::remove(path.c_str());
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_FALSE(from_file.out.empty());
  EXPECT_EQ(from_file.out, from_dash.out);
  EXPECT_EQ(from_file.out, from_stdin.out);
}

TEST(cli, channels_last_reads_hwc_input_and_tf_weights_and_answers_in_hwc) {
  // Input channel 0 = [[1, 2], [3, 4]], channel 1 = [[10, 20], [30, 40]], written H×W×C.
  // Weights kh×kw×I×O (tf.nn.conv2d): filter 0 = c0 + c1, filter 1 = 3·c0.
  const json request = {{"op", "conv2d"},
                        {"data_format", "channels_last"},
                        {"input", json::parse("[[[1, 10], [2, 20]], [[3, 30], [4, 40]]]")},
                        {"weights", json::parse("[[[[1, 3], [1, 0]]]]")}};
  const json answer = Answer(Compute(request));
  EXPECT_EQ(answer["shape"], json({2, 2, 2}));  // H, W, filters
  // At (y, x): [c0 + c1, 3·c0].
  EXPECT_EQ(answer["output"], json::parse("[[[11.0, 3.0], [22.0, 6.0]], [[33.0, 9.0], [44.0, 12.0]]]"));
}

TEST(cli, max_pool_same_pads_bottom_right_and_never_picks_the_padding) {
  // 3 rows, window 2, stride 2 (the default): ⌈3 / 2⌉ = 2; total padding 1 goes after.
  const json request = {{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 2}, {"padding", "same"}};
  const json answer = Answer(Compute(request));
  EXPECT_EQ(answer["shape"], json({1, 2, 2}));
  EXPECT_EQ(answer["padding"], json({0, 1, 0, 1}));
  EXPECT_EQ(answer["output"], json::parse("[[[5.0, 6.0], [8.0, 9.0]]]"));
}

TEST(cli, avg_pool_same_divides_by_the_real_cells_only) {
  // Windows: {1,2,4,5}/4 = 3; {3,6}/2 = 4.5; {7,8}/2 = 7.5; {9}/1 = 9.
  const json request = {{"op", "avg_pool2d"}, {"input", OneToNine()}, {"kernel_size", 2}, {"padding", "same"}};
  EXPECT_EQ(Answer(Compute(request))["output"], json::parse("[[[3.0, 4.5], [7.5, 9.0]]]"));
}

TEST(cli, generator_form_fills_input_and_weights) {
  // Ones 1×2×3 under a 2×2 kernel of ones: one row of two windows, each summing 4 ones.
  const json request = {{"op", "conv2d"},
                        {"input", {{"shape", {1, 2, 3}}, {"fill", "ones"}}},
                        {"weights", {{"shape", {1, 1, 2, 2}}, {"fill", "ones"}}}};
  const json answer = Answer(Compute(request));
  EXPECT_EQ(answer["shape"], json({1, 1, 2}));
  EXPECT_EQ(answer["output"], json::parse("[[[4.0, 4.0]]]"));
}

TEST(cli, relu_clips_negative_sums_to_zero) {
  json request = SmallConv();
  request["bias"] = {-13.0};  // sums 6, 8, 12, 14 become -7, -5, -1, 1
  request["activation"] = "relu";
  EXPECT_EQ(Answer(Compute(request))["output"], json::parse("[[[0.0, 0.0], [0.0, 1.0]]]"));
}

TEST(cli, help_prints_usage_on_stdout) {
  const CliRun run = RunCli({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("usage: convtutor compute"), std::string::npos);
  EXPECT_EQ(run.err, "");
}

TEST(cli_trace, counts_steps_per_level) {
  // 4 output cells, 1 input channel, 2×2 kernel, with a bias:
  // cell: 4; channel: 4 × (1 channel + bias) = 8; term: 4 × (4 products + bias) = 20.
  const std::string request = SmallConv().dump();
  EXPECT_EQ(Answer(RunCli({"trace", "--level", "cell"}, request)), json({{"steps", 4}, {"level", "cell"}}));
  EXPECT_EQ(Answer(RunCli({"trace", "-", "--level", "channel"}, request)), json({{"steps", 8}, {"level", "channel"}}));
  EXPECT_EQ(Answer(RunCli({"trace", "--level=term", "-"}, request)), json({{"steps", 20}, {"level", "term"}}));
}

TEST(cli_trace, activation_adds_one_step_per_cell) {
  json request = SmallConv();
  request["activation"] = "relu";
  EXPECT_EQ(Answer(RunCli({"trace", "--level", "term"}, request.dump()))["steps"], 24);  // 4 × (4 + bias + relu)
}

TEST(cli_trace, first_term_step_multiplies_the_top_left_tap) {
  const json step = Answer(RunCli({"trace", "--level", "term", "--step", "0"}, SmallConv().dump()));
  EXPECT_EQ(step["step"], 0);
  EXPECT_EQ(step["steps"], 20);
  EXPECT_EQ(step["kind"], "term");
  EXPECT_EQ(step["out"], json({0, 0, 0}));
  EXPECT_EQ(step["origin"], json({0, 0}));
  EXPECT_EQ(step["channel"], 0);
  EXPECT_EQ(step["tap"], json({0, 0}));
  EXPECT_EQ(step["partial"], 1.0);  // 1 · 1
  EXPECT_EQ(step["value"], 6.5);    // 1 + 5 + 0.5
}

TEST(cli_trace, last_step_adds_the_bias_of_the_last_cell) {
  const json step = Answer(RunCli({"trace", "--level", "term", "--step", "19"}, SmallConv().dump()));
  EXPECT_EQ(step["kind"], "bias");
  EXPECT_EQ(step["out"], json({0, 1, 1}));
  EXPECT_EQ(step["origin"], json({1, 1}));
  EXPECT_FALSE(step.contains("channel"));
  EXPECT_FALSE(step.contains("tap"));
  EXPECT_EQ(step["partial"], 14.5);  // 5 + 9 + 0.5
  EXPECT_EQ(step["value"], 14.5);
}

TEST(cli_trace, max_pool_before_any_real_tap_has_a_null_partial) {
  // Padding 1, window 2, stride 2: the first window starts at (-1, -1), a padded cell.
  const json request = {{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 2}, {"padding", 1}};
  const json step = Answer(RunCli({"trace", "--level", "term", "--step", "0"}, request.dump()));
  EXPECT_EQ(step["origin"], json({-1, -1}));
  EXPECT_TRUE(step["partial"].is_null()) << step;
  EXPECT_EQ(step["value"], 1.0);  // the window's only real cell
}

// 3×256×256 input, 32 filters 4×4, stride 2, with bias: small integers from fixed formulas.
float LargeInput(int c, int y, int x) { return static_cast<float>((c * 7 + y * 3 + x * 5) % 11 - 5); }
float LargeWeight(int o, int c, int ky, int kx) { return static_cast<float>((o * 3 + c * 5 + ky * 7 + kx) % 7 - 3); }
float LargeBias(int o) { return static_cast<float>(o % 5 - 2); }

std::string LargeRequestText() {
  json input = json::array();
  for (int c = 0; c < 3; ++c) {
    json rows = json::array();
    for (int y = 0; y < 256; ++y) {
      json row = json::array();
      for (int x = 0; x < 256; ++x) row.push_back(LargeInput(c, y, x));
      rows.push_back(std::move(row));
    }
    input.push_back(std::move(rows));
  }
  json weights = json::array();
  json bias = json::array();
  for (int o = 0; o < 32; ++o) {
    json filter = json::array();
    for (int c = 0; c < 3; ++c) {
      json taps = json::array();
      for (int ky = 0; ky < 4; ++ky) {
        json row = json::array();
        for (int kx = 0; kx < 4; ++kx) row.push_back(LargeWeight(o, c, ky, kx));
        taps.push_back(std::move(row));
      }
      filter.push_back(std::move(taps));
    }
    weights.push_back(std::move(filter));
    bias.push_back(LargeBias(o));
  }
  return json{{"op", "conv2d"}, {"input", input}, {"weights", weights}, {"bias", bias}, {"stride", 2}}.dump();
}

TEST(cli_trace, last_term_step_of_a_large_layer_equals_the_computed_output) {
  const std::string path = WriteTempFile(LargeRequestText(), ".json");
  // ⌊(256 − 4) / 2⌋ + 1 = 127 per axis; per cell 3·4·4 = 48 products and a bias step.
  const std::int64_t steps = std::int64_t{32} * 127 * 127 * 49;
  EXPECT_EQ(Answer(RunCli({"trace", path, "--level", "term"}))["steps"], steps);
  const json last = Answer(RunCli({"trace", path, "--level", "term", "--step", std::to_string(steps - 1)}));
  const json computed = Answer(RunCli({"compute", path}));
  std::remove(path.c_str());

  // The last cell, worked out here: filter 31 on the window at rows/cols 252..255.
  float expected = LargeBias(31);
  for (int c = 0; c < 3; ++c) {
    for (int ky = 0; ky < 4; ++ky) {
      for (int kx = 0; kx < 4; ++kx) expected += LargeInput(c, 252 + ky, 252 + kx) * LargeWeight(31, c, ky, kx);
    }
  }
  EXPECT_EQ(last["kind"], "bias");
  EXPECT_EQ(last["out"], json({31, 126, 126}));
  EXPECT_EQ(last["origin"], json({252, 252}));
  EXPECT_EQ(last["value"].get<double>(), expected);
  EXPECT_EQ(computed["shape"], json({32, 127, 127}));
  EXPECT_EQ(computed["output"][31][126][126].get<double>(), expected);
}

// ---- Refusals: exit 2, one line on stderr naming the field, nothing on stdout. ----

TEST(cli_errors, unreadable_json_names_the_file_and_line) {
  const std::string path = WriteTempFile("{\"op\": \"conv2d\",\n\"input\": [[[1]]],\n\"weights\": [[[[1]]] x}", ".json");
  const CliRun run = RunCli({"compute", path});
  std::remove(path.c_str());
  ExpectRefused(run, path + ":3");
  EXPECT_NE(run.err.find("unreadable JSON"), std::string::npos) << run.err;
}

TEST(cli_errors, unreadable_json_on_stdin_names_stdin) {
  ExpectRefused(RunCli({"compute"}, "{\"op\": "), "stdin:1");
}

TEST(cli_errors, ragged_input_is_refused) {
  json request = SmallConv();
  request["input"] = json::parse("[[[1, 2, 3], [4, 5], [7, 8, 9]]]");
  const CliRun run = Compute(request);
  ExpectRefused(run, "input");
  EXPECT_NE(run.err.find("input[0][1]"), std::string::npos) << run.err;
}

TEST(cli_errors, a_string_among_the_numbers_is_refused) {
  json request = SmallConv();
  request["input"][0][2][1] = "8";
  const CliRun run = Compute(request);
  ExpectRefused(run, "input");
  EXPECT_NE(run.err.find("input[0][2][1]"), std::string::npos) << run.err;
}

TEST(cli_errors, weights_that_are_not_numbers_are_refused) {
  json request = SmallConv();
  request["weights"][0][0][0][0] = nullptr;
  ExpectRefused(Compute(request), "weights");
}

TEST(cli_errors, weights_spanning_other_channels_than_the_input_are_refused) {
  json request = SmallConv();
  request["weights"] = json::parse("[[[[1, 0], [0, 1]], [[1, 0], [0, 1]]]]");  // 2 channels, input has 1
  ExpectRefused(Compute(request), "weights");
}

TEST(cli_errors, bias_of_the_wrong_length_says_how_many_are_expected) {
  json request = SmallConv();
  request["weights"] = json::parse("[[[[1]]], [[[2]]]]");  // 2 filters
  request["bias"] = {1, 2, 3};
  const CliRun run = Compute(request);
  ExpectRefused(run, "bias");
  EXPECT_EQ(run.err, "convtutor: bias: expected 2 numbers (one per filter), got 3\n");
}

TEST(cli_errors, a_request_needing_more_memory_than_a_browser_page_has_is_refused_with_both_figures) {
  // A transposed 1×1 kernel at stride 4000 spreads a 2×2 input over (2 − 1)·4000 + 1 = 4001 rows
  // and columns for each of 4 filters: 64,032,004 output values, each held as a float, in the fast
  // path's buffers, as a JSON value and as text: about 3.6 GB, from a request of a few bytes.
  const json request = {{"op", "conv_transpose2d"},
                        {"input", {{"shape", {1, 2, 2}}, {"fill", "ones"}}},
                        {"weights", {{"shape", {1, 4, 1, 1}}, {"fill", "ones"}}},
                        {"stride", 4000}};
  const CliRun run = Compute(request);
  ExpectRefused(run, "request");
  EXPECT_NE(run.err.find("64032004 output values"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(" GB of memory"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("more than the 2 GB a browser page gives the tutor"), std::string::npos) << run.err;
  // The same layer at stride 40 (41 × 41 × 4 values) is computed.
  json small = request;
  small["stride"] = 40;
  EXPECT_EQ(Answer(Compute(small))["shape"], json({4, 41, 41}));
}

TEST(cli_errors, stride_below_one_is_refused) {
  json request = SmallConv();
  request["stride"] = 0;
  ExpectRefused(Compute(request), "stride");
  request["stride"] = {1, -2};
  ExpectRefused(Compute(request), "stride");
}

TEST(cli_errors, dilation_below_one_is_refused) {
  json request = SmallConv();
  request["dilation"] = 0;
  ExpectRefused(Compute(request), "dilation");
}

TEST(cli_errors, negative_padding_is_refused) {
  json request = SmallConv();
  request["padding"] = -1;
  ExpectRefused(Compute(request), "padding");
  request["padding"] = {0, 1, -1, 0};
  ExpectRefused(Compute(request), "padding");
}

TEST(cli_errors, unknown_names_are_refused_by_field) {
  const std::vector<std::pair<std::string, json>> cases = {
      {"op", "conv3d"}, {"padding", "half"}, {"data_format", "NHWC"}, {"activation", "sigmoid"}};
  for (const auto& [field, value] : cases) {
    json request = SmallConv();
    request[field] = value;
    SCOPED_TRACE(field);
    ExpectRefused(Compute(request), field);
  }
}

TEST(cli_errors, unknown_top_level_field_is_named) {
  json request = SmallConv();
  request["strides"] = 2;
  ExpectRefused(Compute(request), "strides");
}

TEST(cli_errors, missing_op_or_input_is_named) {
  json request = SmallConv();
  request.erase("op");
  ExpectRefused(Compute(request), "op");
  request = SmallConv();
  request.erase("input");
  ExpectRefused(Compute(request), "input");
}

TEST(cli_errors, weights_on_a_pooling_layer_are_refused) {
  json request = SmallConv();
  request["op"] = "max_pool2d";
  request["kernel_size"] = 2;
  request.erase("bias");
  ExpectRefused(Compute(request), "weights");
}

TEST(cli_errors, kernel_larger_than_the_padded_input_is_refused) {
  const json pool = {{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 4}};
  ExpectRefused(Compute(pool), "kernel_size");
  json conv = SmallConv();
  conv["weights"] = {{{{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1, 1, 1}}}};
  ExpectRefused(Compute(conv), "kernel_size");
}

TEST(cli_errors, step_out_of_range_is_refused) {
  const CliRun run = RunCli({"trace", "--level", "term", "--step", "20"}, SmallConv().dump());
  ExpectRefused(run, "--step");
  EXPECT_NE(run.err.find("0 to 19"), std::string::npos) << run.err;
  ExpectRefused(RunCli({"trace", "--level", "term", "--step", "-1"}, SmallConv().dump()), "--step");
  ExpectRefused(RunCli({"trace", "--level", "term", "--step", "two"}, SmallConv().dump()), "--step");
}

TEST(cli_errors, bad_or_missing_level_is_refused) {
  ExpectRefused(RunCli({"trace", "--level", "pixel"}, SmallConv().dump()), "--level");
  ExpectRefused(RunCli({"trace"}, SmallConv().dump()), "--level");
  ExpectRefused(RunCli({"trace", "--level"}, SmallConv().dump()), "--level");
}

TEST(cli_errors, unknown_subcommand_and_options_are_refused) {
  ExpectRefused(RunCli({"train"}), "train");
  ExpectRefused(RunCli({}), "subcommand");
  ExpectRefused(RunCli({"compute", "--level", "cell"}, SmallConv().dump()), "--level");
  ExpectRefused(RunCli({"trace", "--level", "cell", "--speed", "2"}, SmallConv().dump()), "--speed");
  ExpectRefused(RunCli({"compute", "a.json", "b.json"}), "b.json");
}

TEST(cli_errors, missing_file_is_named) {
  const std::string path = ::testing::TempDir() + "convtutor_no_such_request.json";
  ExpectRefused(RunCli({"compute", path}), path);
}

TEST(cli_errors, file_larger_than_the_limit_is_refused_before_reading) {
  // A sparse 513 MB file: the size alone must be enough to refuse it.
  const std::string path = WriteTempFile("", ".json");
  ASSERT_EQ(truncate(path.c_str(), off_t{513} * 1024 * 1024), 0);
  const CliRun run = RunCli({"compute", path});
  std::remove(path.c_str());
  ExpectRefused(run, path);
  EXPECT_NE(run.err.find("512 MB"), std::string::npos) << run.err;
}

TEST(cli_errors, tensors_over_the_element_limit_are_refused_with_the_limit) {
  json request = SmallConv();
  request["input"] = {{"shape", {1, 10000, 10000}}, {"fill", "zeros"}};
  const CliRun run = Compute(request);
  ExpectRefused(run, "input");
  EXPECT_NE(run.err.find("67108864"), std::string::npos) << run.err;
}

TEST(cli_errors, output_over_the_element_limit_is_refused_with_the_limit) {
  // 1×1 input padded by 5000 on every side: 10001 × 10001 outputs.
  const json request = {{"op", "conv2d"}, {"input", {{{1}}}}, {"weights", {{{{1}}}}}, {"padding", 5000}};
  const CliRun run = Compute(request);
  ExpectRefused(run, "output");
  EXPECT_NE(run.err.find("67108864"), std::string::npos) << run.err;
}

TEST(cli_errors, sizes_that_would_overflow_are_refused) {
  json request = SmallConv();
  request["stride"] = 4294967297LL;
  ExpectRefused(Compute(request), "stride");
  request = SmallConv();
  request["padding"] = 3000000000LL;
  ExpectRefused(Compute(request), "padding");
  request = SmallConv();
  request["dilation"] = 60000000;  // the span (2 − 1)·60000000 + 1 fits an int but not the 3×3 input
  ExpectRefused(Compute(request), "kernel_size");
  request = {{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 60000000}, {"dilation", 60000000}};
  ExpectRefused(Compute(request), "dilation");
}

// ---- Grouped and transposed convolutions, worked by hand. ----

// Input 1×1×2 = [1, 10] under the kernel [1, 2, 3] at stride 2 (conv_transpose2d).
json ScatterRequest() {
  return json{{"op", "conv_transpose2d"},
              {"input", json::parse("[[[1, 10]]]")},
              {"weights", json::parse("[[[[1, 2, 3]]]]")},
              {"stride", 2}};
}

TEST(cli_conv_transpose, two_inputs_scatter_their_kernels_and_overlap_in_the_middle) {
  // 1·[1, 2, 3] at columns 0..2 and 10·[1, 2, 3] at columns 2..4: [1, 2, 3 + 10, 20, 30].
  // Width (2 − 1)·2 − 2·0 + 1·(3 − 1) + 1 = 5; 6 products, 3 weights.
  const json answer = Answer(Compute(ScatterRequest()));
  EXPECT_EQ(answer["shape"], json({1, 1, 5}));
  EXPECT_EQ(answer["output"], json::parse("[[[1.0, 2.0, 13.0, 20.0, 30.0]]]"));
  EXPECT_EQ(answer["parameters"], 3);
  EXPECT_EQ(answer["multiply_adds"], 6);
  EXPECT_EQ(answer["derivation"]["cols"]["formula"], "(2 \u2212 1)\u00B72 \u2212 2\u00B70 + 1\u00B7(3 \u2212 1) + 1 = 5");
}

TEST(cli_conv_transpose, channels_last_takes_tensorflows_kh_kw_out_in_weights) {
  // Two input channels [1] and [10]; weights kh×kw×O×I = 1×1×2×2: out 0 = 1·c0 + 2·c1, out 1 = 3·c0 + 4·c1.
  const json request = {{"op", "conv_transpose2d"},
                        {"data_format", "channels_last"},
                        {"input", json::parse("[[[1, 10]]]")},
                        {"weights", json::parse("[[[[1, 2], [3, 4]]]]")}};
  EXPECT_EQ(Answer(Compute(request))["output"], json::parse("[[[21.0, 43.0]]]"));
}

TEST(cli_conv_transpose, the_middle_cells_second_term_adds_the_first_inputs_last_tap) {
  // Term steps: column 0: 1; column 1: 1; column 2: tap 0 from input 1 (10), then tap 2 from input 0 (3).
  const json step = Answer(RunCli({"trace", "--level", "term", "--step", "3"}, ScatterRequest().dump()));
  EXPECT_EQ(step["steps"], 6);
  EXPECT_EQ(step["out"], json({0, 0, 2}));
  EXPECT_EQ(step["origin"], json({0, 0}));  // in the zero-inserted input [1, 0, 10]: 2 + 0 − 2
  EXPECT_EQ(step["tap"], json({0, 2}));
  EXPECT_EQ(step["partial"], 13.0);
  EXPECT_EQ(step["value"], 13.0);
}

TEST(cli_grouped, each_filter_sums_only_the_channels_of_its_group) {
  // Four 1×1 channels 1, 2, 3, 4; two groups; both filters all ones: 1 + 2 = 3 and 3 + 4 = 7.
  const json request = {{"op", "conv2d"},
                        {"input", json::parse("[[[1]], [[2]], [[3]], [[4]]]")},
                        {"weights", json::parse("[[[[1]], [[1]]], [[[1]], [[1]]]]")},
                        {"groups", 2}};
  const json answer = Answer(Compute(request));
  EXPECT_EQ(answer["output"], json::parse("[[[3.0]], [[7.0]]]"));
  EXPECT_EQ(answer["parameters"], 4);
  EXPECT_EQ(answer["multiply_adds"], 4);
  const json step = Answer(RunCli({"trace", "--level", "channel", "--step", "2"}, request.dump()));
  EXPECT_EQ(step["out"], json({1, 0, 0}));
  EXPECT_EQ(step["channel"], 2);  // filter 1's first channel is input channel 2
  EXPECT_EQ(step["partial"], 3.0);
}

TEST(cli_errors, groups_must_divide_the_input_and_output_channels) {
  json request = {{"op", "conv2d"}, {"input", {{"shape", {3, 2, 2}}}}, {"weights", {{"shape", {2, 1, 1, 1}}}}, {"groups", 2}};
  ExpectRefused(Compute(request), "groups");  // 3 input channels
  request["input"] = {{"shape", {2, 2, 2}}};
  request["weights"] = {{"shape", {3, 1, 1, 1}}};
  ExpectRefused(Compute(request), "groups");  // 3 filters
  request = {{"op", "conv_transpose2d"}, {"input", {{"shape", {3, 2, 2}}}}, {"weights", {{"shape", {3, 1, 1, 1}}}}, {"groups", 2}};
  ExpectRefused(Compute(request), "groups");
  request["groups"] = 0;
  ExpectRefused(Compute(request), "groups");
}

TEST(cli_errors, weights_must_fit_the_groups_and_the_input) {
  // conv2d, 4 channels in 2 groups: each filter spans 2, not 4.
  const json grouped = {{"op", "conv2d"}, {"input", {{"shape", {4, 2, 2}}}}, {"weights", {{"shape", {2, 4, 1, 1}}}}, {"groups", 2}};
  ExpectRefused(Compute(grouped), "weights");
  // conv_transpose2d: the weights' first axis is the input's channels (3 here, 2 there).
  const json transposed = {{"op", "conv_transpose2d"}, {"input", {{"shape", {2, 2, 2}}}}, {"weights", {{"shape", {3, 1, 1, 1}}}}};
  ExpectRefused(Compute(transposed), "weights");
}

TEST(cli_errors, output_padding_must_be_smaller_than_the_stride_or_the_dilation) {
  json request = ScatterRequest();
  request["output_padding"] = 2;  // stride 2, dilation 1
  ExpectRefused(Compute(request), "output_padding");
  request["output_padding"] = {0, 1};  // 1 < 2: fine
  EXPECT_EQ(Answer(Compute(request))["shape"], json({1, 1, 6}));
  request["stride"] = 1;
  request["dilation"] = 2;
  request["output_padding"] = 1;  // smaller than the dilation: PyTorch allows it
  EXPECT_EQ(Compute(request).exit_code, 0);
  request["output_padding"] = 2;
  ExpectRefused(Compute(request), "output_padding");
}

TEST(cli_errors, a_transposed_output_of_no_cells_is_refused_naming_the_padding) {
  json request = ScatterRequest();
  request["padding"] = 3;  // rows: (1 − 1)·2 − 2·3 + 1·(1 − 1) + 1 = −5
  ExpectRefused(Compute(request), "padding");
}

TEST(cli_errors, conv_transpose2d_takes_no_string_or_four_sided_padding) {
  json request = ScatterRequest();
  for (const char* name : {"valid", "same", "full"}) {
    request["padding"] = name;
    ExpectRefused(Compute(request), "padding");
  }
  request["padding"] = {0, 0, 1, 1};
  ExpectRefused(Compute(request), "padding");
}

TEST(cli_errors, output_padding_and_groups_belong_to_their_operations_only) {
  json request = SmallConv();
  request["output_padding"] = 1;
  ExpectRefused(Compute(request), "output_padding");
  const json pool = {{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 2}, {"groups", 1}};
  ExpectRefused(Compute(pool), "groups");
}

// ---- Golden cases: PyTorch's answers (tests/golden/make_golden.py) through the real binary. ----

// The cases of a golden file in tests/golden (empty when it cannot be read).
json LoadCasesFile(const char* file_name) {
  const json document =
      json::parse(ReadFile(std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden/" + file_name), nullptr, false);
  return document.is_object() && document.contains("cases") ? document["cases"] : json::array();
}

json LoadGoldenCases() { return LoadCasesFile("cases.json"); }

// The groups make_golden.py writes (op × padding kind × layout), 16 cases each. Listed here
// rather than read from the file, so the other tests need not load it.
std::vector<std::string> GoldenGroups() {
  std::vector<std::string> groups;
  for (const std::string op : {"conv2d", "max_pool2d", "avg_pool2d"}) {
    for (const std::string kind : {"valid", "same", "full", "explicit", "explicit_pair", "explicit_asymmetric"}) {
      if (kind == "full" && op != "conv2d") continue;  // pooling takes no "full" padding
      for (const std::string format : {"channels_first", "channels_last"}) groups.push_back(op + "_" + kind + "_" + format);
    }
  }
  return groups;
}

// True when `name` is "<group>_<number>".
bool InGroup(const std::string& name, const std::string& group) {
  return name.size() > group.size() + 1 && name.compare(0, group.size() + 1, group + "_") == 0 &&
         name.find_first_not_of("0123456789", group.size() + 1) == std::string::npos;
}

void Flatten(const json& nested, std::vector<double>& values) {
  if (!nested.is_array()) {
    values.push_back(nested.is_number() ? nested.get<double>() : std::nan(""));
    return;
  }
  for (const json& item : nested) Flatten(item, values);
}

// The CLI's answer against a golden case's shape, padding and output.
void ExpectSameAnswer(const json& answer, const json& expected) {
  ASSERT_TRUE(answer.is_object()) << "no JSON on stdout";
  EXPECT_EQ(answer["shape"], expected["shape"]);
  EXPECT_EQ(answer["padding"], expected["padding"]);
  std::vector<double> got, want;
  Flatten(answer["output"], got);
  Flatten(expected["output"], want);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    // 1e-4 relative, with an absolute floor of 1e-4 where sums cancel to nearly zero.
    EXPECT_NEAR(got[i], want[i], 1e-4 * std::max(1.0, std::fabs(want[i]))) << "output value " << i;
  }
}

// ---- pictures as input -----------------------------------------------------------------------------

const std::string kGoldenFolder = std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden";

json PictureConv(const std::string& image) {
  return {{"op", "conv2d"}, {"input", {{"image", image}}}, {"weights", json::parse("[[[[1.0]]]]")}};
}

TEST(cli_pictures, a_missing_picture_is_one_line_naming_the_input) {
  const CliRun run = Compute(PictureConv("no-such-picture.png"));
  ExpectRefused(run, "input");
  EXPECT_EQ(run.err, "convtutor: input: image \"no-such-picture.png\": no such file\n");
}

TEST(cli_pictures, a_corrupt_picture_is_one_line_naming_the_input) {
  ScratchFolder folder;
  std::ofstream(folder.Path() / "notes.png") << "these are notes, not a picture\n";
  const CliRun run = Compute(PictureConv((folder.Path() / "notes.png").string()));
  ExpectRefused(run, "input");
  EXPECT_NE(run.err.find("not a PNG, JPEG, BMP or GIF picture"), std::string::npos) << run.err;
}

TEST(cli_pictures, a_sample_name_without_a_samples_folder_asks_for_a_path) {
  const CliRun run = RunCli({"compute"}, PictureConv("camera").dump(), CliSetting{"", {{"CONVTUTOR_SAMPLES", ""}}});
  ExpectRefused(run, "input");
  EXPECT_NE(run.err.find("give the path of a picture file"), std::string::npos) << run.err;
}

TEST(cli_pictures, a_sample_name_reads_the_picture_from_CONVTUTOR_SAMPLES) {
  ScratchFolder samples;
  std::filesystem::copy_file(kGoldenFolder + "/images/gray-29x31.png", samples.Path() / "ramp.png");
  std::ofstream(samples.Path() / "index.txt") << "ramp\n";
  const json answer =
      Answer(RunCli({"compute"}, PictureConv("ramp").dump(), CliSetting{"", {{"CONVTUTOR_SAMPLES", samples.Path().string()}}}));
  EXPECT_EQ(answer["image"], json::parse(R"({"name": "ramp", "width": 29, "height": 31, "channels": 1,
                                             "scaled_from": null})"));
}

TEST(cli_pictures, a_relative_path_is_taken_from_the_request_files_folder) {
  ScratchFolder folder;
  std::filesystem::create_directories(folder.Path() / "pictures");
  std::filesystem::copy_file(kGoldenFolder + "/images/rgb-33x21.bmp", folder.Path() / "pictures" / "photo.bmp");
  std::ofstream(folder.Path() / "request.json") << PictureConv("pictures/photo.bmp").dump();
  const json answer = Answer(RunCli({"compute", (folder.Path() / "request.json").string()}));
  EXPECT_EQ(answer["shape"], json({1, 21, 33}));
}

TEST(cli_pictures, a_request_on_stdin_takes_paths_from_the_current_folder) {
  const json answer = Answer(RunCli({"compute"}, PictureConv("images/rgb-33x21.bmp").dump(), CliSetting{kGoldenFolder, {}}));
  EXPECT_EQ(answer["shape"], json({1, 21, 33}));
}

// PyTorch's answers on the test pictures (tests/golden/make_image_golden.py), through the real
// binary, run in tests/golden so the requests' relative paths ("images/...") resolve.
TEST(cli_pictures, every_image_golden_case_matches_pytorch) {
  const json document = json::parse(ReadFile(kGoldenFolder + "/image_cases.json"), nullptr, false);
  ASSERT_TRUE(document.is_object() && document.contains("cases")) << "image_cases.json is unreadable";
  EXPECT_GE(document["cases"].size(), 15u);
  for (const json& expected : document["cases"]) {
    SCOPED_TRACE(expected["name"].get<std::string>());
    const json answer = Answer(RunCli({"compute"}, expected["request"].dump(), CliSetting{kGoldenFolder, {}}));
    ExpectSameAnswer(answer, expected);
    EXPECT_EQ(answer["image"], expected["image"]);
  }
}

// ---- summary: model code in, every layer's shape and parameters out ---------------------------

// A small Keras classifier, worked by hand: 28 − 3 + 1 = 26; ⌊26 / 2⌋ = 13; 13·13·8 = 1352;
// conv (3·3·1 + 1)·8 = 80 parameters; dense 1352·10 + 10 = 13530.
constexpr const char* kKerasDigits =
    "model = keras.Sequential([\n"
    "    keras.Input(shape=(28, 28, 1)),\n"
    "    layers.Conv2D(8, (3, 3), activation='relu'),\n"
    "    layers.MaxPooling2D(2),\n"
    "    layers.Flatten(),\n"
    "    layers.Dense(10),\n"
    "])\n";

TEST(cli_summary, prints_every_layer_of_a_keras_model_with_its_shape_and_parameters) {
  const json answer = Answer(RunCli({"summary"}, kKerasDigits));
  ASSERT_TRUE(answer.is_object()) << "no JSON on stdout";
  EXPECT_EQ(answer["data_format"], "channels_last");
  const json& layers = answer["layers"];
  ASSERT_EQ(layers.size(), 5u);
  EXPECT_EQ(layers[1]["kind"], "Conv2D");
  EXPECT_EQ(layers[1]["line"], 3);
  EXPECT_EQ(layers[1]["output_shape"], json({26, 26, 8}));
  EXPECT_EQ(layers[1]["parameters"], 80);
  EXPECT_EQ(layers[2]["output_shape"], json({13, 13, 8}));
  EXPECT_EQ(layers[3]["output_shape"], json({1352}));
  EXPECT_EQ(layers[4]["parameters"], 13530);
  EXPECT_EQ(answer["total_parameters"], 80 + 13530);
  EXPECT_NE(layers[1]["shape_formula"].get<std::string>().find("26"), std::string::npos);
}

TEST(cli_summary, reads_a_pytorch_stack_from_a_file_in_channels_first_order) {
  // (3·3·3 + 1)·4 = 112 parameters; padding 1 keeps 8×8; pooling halves it to 4×4; 4·4·4 = 64.
  const std::string path = WriteTempFile(
      "Input(3, 8, 8)\n"
      "nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())\n");
  const json answer = Answer(RunCli({"summary", path}));
  ASSERT_TRUE(answer.is_object()) << "no JSON on stdout";
  EXPECT_EQ(answer["data_format"], "channels_first");
  EXPECT_EQ(answer["total_parameters"], 112);
  EXPECT_EQ(answer["layers"].back()["output_shape"], json({64}));
}

TEST(cli_summary, reads_tensorflow_1_graph_code_with_its_variables) {
  // SAME 3×3 on 8×8×1 keeps 8×8; W [3, 3, 1, 4] and b [4]: 3·3·1·4 + 4 = 40; flat 8·8·4 = 256;
  // W_fc [256, 2] without a bias: 256·2 = 512.
  const json answer = Answer(RunCli({"summary"},
                                    "x = tf.placeholder(tf.float32, [None, 8, 8, 1])\n"
                                    "W = tf.Variable(tf.truncated_normal([3, 3, 1, 4], stddev=0.1))\n"
                                    "b = tf.Variable(tf.constant(0.1, shape=[4]))\n"
                                    "h = tf.nn.relu(tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME') + b)\n"
                                    "W_fc = tf.get_variable('w_fc', shape=[256, 2])\n"
                                    "y = tf.matmul(tf.reshape(h, [-1, 8 * 8 * 4]), W_fc)\n"));
  ASSERT_TRUE(answer.is_object()) << "no JSON on stdout";
  EXPECT_EQ(answer["data_format"], "channels_last");
  const json& layers = answer["layers"];
  ASSERT_EQ(layers.size(), 5u);
  EXPECT_EQ(layers[1]["line"], 4);
  EXPECT_EQ(layers[1]["output_shape"], json({8, 8, 4}));
  EXPECT_EQ(layers[1]["parameters"], 40);
  EXPECT_EQ(layers[3]["output_shape"], json({256}));
  EXPECT_EQ(layers[4]["parameters"], 512);
  EXPECT_EQ(answer["total_parameters"], 40 + 512);
  // tf.nn.conv2d has no default padding: refused on its line.
  const CliRun run = RunCli({"summary"}, "x = tf.placeholder(tf.float32, [None, 8, 8, 1])\n"
                                         "W = tf.Variable(tf.zeros([3, 3, 1, 4]))\n"
                                         "h = tf.nn.conv2d(x, W, strides=[1, 1, 1, 1])\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("convtutor: stdin:3: tf.nn.conv2d: needs padding=", 0), 0u) << run.err;
}

TEST(cli_summary, prints_a_graph_each_row_naming_the_rows_it_reads) {
  // A residual block: the Add reads the convolution (row 1) and the input (row 0); 'same' keeps
  // 8×8, so the shapes are equal; (3·3·4 + 1)·4 = 148 parameters, none for the Add.
  const json answer = Answer(RunCli({"summary"},
                                    "inputs = keras.Input(shape=(8, 8, 4))\n"
                                    "x = layers.Conv2D(4, 3, padding='same')(inputs)\n"
                                    "y = layers.Add()([x, inputs])\n"));
  ASSERT_TRUE(answer.is_object()) << "no JSON on stdout";
  const json& layers = answer["layers"];
  ASSERT_EQ(layers.size(), 3u);
  EXPECT_EQ(layers[0]["inputs"], json::array());
  EXPECT_EQ(layers[1]["inputs"], json({0}));
  EXPECT_EQ(layers[2]["kind"], "Add");
  EXPECT_EQ(layers[2]["inputs"], json({1, 0}));
  EXPECT_EQ(layers[1]["name"], "conv2d");
  EXPECT_EQ(layers[2]["name"], "add");
  EXPECT_EQ(layers[2]["parameters"], 0);
  EXPECT_NE(layers[2]["shape_formula"].get<std::string>().find("equal shapes"), std::string::npos);
  EXPECT_EQ(answer["total_parameters"], 148);
}

TEST(cli_summary, a_merge_of_different_shapes_is_one_line_naming_both) {
  const CliRun run = RunCli({"summary"}, "inputs = keras.Input(shape=(8, 8, 4))\n"
                                         "x = layers.Conv2D(4, 3)(inputs)\n"
                                         "y = layers.Add()([x, inputs])\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("convtutor: stdin:3: Add: the shapes (6, 6, 4) and (8, 8, 4) do not match", 0), 0u)
      << run.err;
}

TEST(cli_summary, a_model_that_cannot_run_is_one_line_naming_the_line) {
  // A 9×9 kernel on an 8×8 input, on line 2.
  const CliRun run = RunCli({"summary"}, "Input(8, 8, 3)\nConv2D(4, 9)\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_EQ(run.err.rfind("convtutor: stdin:2: ", 0), 0u) << run.err;
}

TEST(cli_summary, takes_no_options_and_one_file) {
  EXPECT_EQ(RunCli({"summary", "--level", "cell"}).exit_code, 2);
  const CliRun missing = RunCli({"summary", "/nonexistent/model.py"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/model.py: no such file"), std::string::npos) << missing.err;
}

void ExpectEveryCaseInAGroup(const json& cases, const std::vector<std::string>& groups) {
  for (const json& item : cases) {
    const std::string name = item["name"].get<std::string>();
    bool tested = false;
    for (const std::string& group : groups) tested = tested || InGroup(name, group);
    EXPECT_TRUE(tested) << name << " belongs to no group the tests run";
  }
}

TEST(golden_file, holds_hundreds_of_cases_each_in_a_tested_group) {
  const json cases = LoadGoldenCases();
  EXPECT_GE(cases.size(), 300u);
  ExpectEveryCaseInAGroup(cases, GoldenGroups());
}

class golden : public ::testing::TestWithParam<std::string> {};

TEST_P(golden, compute_matches_pytorch) {
  int checked = 0;
  for (const json& expected : LoadGoldenCases()) {
    if (!InGroup(expected["name"].get<std::string>(), GetParam())) continue;
    SCOPED_TRACE(expected["name"].get<std::string>());
    ++checked;
    const json answer = Answer(Compute(expected["request"]));
    ExpectSameAnswer(answer, expected);
  }
  EXPECT_GE(checked, 10) << "too few golden cases in this group";
}

INSTANTIATE_TEST_SUITE_P(pytorch, golden, ::testing::ValuesIn(GoldenGroups()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// ---- Grouped and transposed convolutions: PyTorch's answers (tests/golden/make_group_golden.py). ----

json LoadGroupGoldenCases() { return LoadCasesFile("group_cases.json"); }

std::vector<std::string> GroupGoldenGroups() {
  std::vector<std::string> groups;
  for (const std::string kind : {"conv2d_grouped", "conv2d_depthwise", "conv_transpose2d", "conv_transpose2d_grouped"}) {
    for (const std::string format : {"channels_first", "channels_last"}) groups.push_back(kind + "_" + format);
  }
  return groups;
}

// The computed answer's value at a step's output cell [c, y, x], in the request's layout.
double OutputAt(const json& answer, const json& out) {
  const bool channels_last = answer["data_format"] == "channels_last";
  const auto c = out[0].get<std::size_t>(), y = out[1].get<std::size_t>(), x = out[2].get<std::size_t>();
  return (channels_last ? answer["output"][y][x][c] : answer["output"][c][y][x]).get<double>();
}

TEST(golden_file, grouped_and_transposed_cases_each_belong_to_a_tested_group) {
  const json cases = LoadGroupGoldenCases();
  EXPECT_GE(cases.size(), 90u);
  ExpectEveryCaseInAGroup(cases, GroupGoldenGroups());
}

class group_golden : public ::testing::TestWithParam<std::string> {};

// compute against PyTorch; then trace at the first, a middle and the last term step and at a
// channel step: each step's value is the computed output at its cell, and a cell's last step
// shows that value as its partial.
TEST_P(group_golden, compute_and_trace_match_pytorch) {
  int checked = 0;
  for (const json& expected : LoadGroupGoldenCases()) {
    if (!InGroup(expected["name"].get<std::string>(), GetParam())) continue;
    SCOPED_TRACE(expected["name"].get<std::string>());
    ++checked;
    const std::string request = expected["request"].dump();
    const json answer = Answer(RunCli({"compute"}, request));
    ExpectSameAnswer(answer, expected);
    EXPECT_EQ(answer["parameters"], expected["parameters"]);
    EXPECT_EQ(answer["multiply_adds"], expected["multiply_adds"]);
    for (const char* level : {"term", "channel"}) {
      const std::int64_t steps = Answer(RunCli({"trace", "--level", level}, request))["steps"].get<std::int64_t>();
      ASSERT_GE(steps, 1);
      const std::vector<std::int64_t> picks =
          std::string(level) == "term" ? std::vector<std::int64_t>{0, steps / 2, steps - 1}
                                       : std::vector<std::int64_t>{steps / 3};
      for (const std::int64_t pick : picks) {
        const json step = Answer(RunCli({"trace", "--level", level, "--step", std::to_string(pick)}, request));
        ASSERT_TRUE(step.is_object());
        EXPECT_EQ(step["steps"], steps);
        const double value = OutputAt(answer, step["out"]);
        EXPECT_NEAR(step["value"].get<double>(), value, 1e-4 * std::max(1.0, std::fabs(value))) << step;
        if (pick == steps - 1) {
          EXPECT_EQ(step["partial"], step["value"]) << step;
        }
      }
    }
  }
  EXPECT_GE(checked, 10) << "too few golden cases in this group";
}

INSTANTIATE_TEST_SUITE_P(pytorch, group_golden, ::testing::ValuesIn(GroupGoldenGroups()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
