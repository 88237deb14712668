// convtutor: the command-line tool on the core, for scripts and golden tests. `compute` prints a
// layer's result for one JSON request; `trace` counts the tutor's steps or prints one of them;
// `summary` reads Keras, PyTorch or TensorFlow 1 model code and prints every layer's shape and
// parameters, and the layers each one reads (a graph: branches and merges).
// Any error: exactly one line on stderr naming the field, nothing on stdout, exit status 2.
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/model.h"
#include "convtutor/request.h"
#include "convtutor/steps.h"

namespace {

using convtutor::Error;
using convtutor::Result;

// Requests are refused above this size before they are read into memory.
constexpr std::uintmax_t kMaxRequestBytes = std::uintmax_t{512} * 1024 * 1024;
constexpr int kExitUsage = 2;

const char* const kUsage =
    "usage: convtutor compute [FILE|-]\n"
    "       convtutor trace [FILE|-] --level cell|channel|term [--step I]\n"
    "       convtutor summary [FILE|-]\n"
    "\n"
    "Reads FILE, or standard input when FILE is '-' or omitted.\n"
    "  compute  prints the layer's result for one JSON request: shape, padding, output, derivation,\n"
    "           parameters, multiply_adds (shape and output in the request's data_format)\n"
    "  trace    prints {\"steps\": N, \"level\": L}; with --step I it prints step I instead\n"
    "  summary  reads Keras, PyTorch or TensorFlow 1 model code (the layers, with an Input(...),\n"
    "           input_shape= or tf.placeholder(..., [None, ...])) and prints each layer's output\n"
    "           shape, parameters, multiply-adds and their formulas, and the layers it reads\n"
    "           (\"inputs\": row numbers; a merge reads several; \"name\" names each row)\n"
    "\n"
    "Request: {\"op\": \"conv2d\"|\"max_pool2d\"|\"avg_pool2d\", \"data_format\": \"channels_first\"|\"channels_last\",\n"
    "          \"input\", \"weights\", \"bias\", \"kernel_size\", \"stride\", \"dilation\", \"padding\",\n"
    "          \"ceil_mode\", \"count_include_pad\", \"activation\": \"none\"|\"relu\"}\n"
    "\"input\" may be a picture: {\"image\": PATH|SAMPLE, \"mode\": \"gray\"|\"rgb\", \"max_side\": N [256]}\n"
    "  (PNG, JPEG, BMP or GIF; a relative PATH is taken from FILE's folder, or the current one for\n"
    "  stdin; SAMPLE names a bundled picture in $CONVTUTOR_SAMPLES, else the build's samples folder)\n"
    "Errors print one line on stderr and exit with status 2.\n";

// Prints the one line of an error; control characters quoted from the request (newlines in a
// field name, say) would break that promise, so they become spaces.
int Fail(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  std::fprintf(stderr, "convtutor: %s\n", text.c_str());
  return kExitUsage;
}

std::string ReadError(const std::string& name, const char* what) {
  return name + ": " + what + " (" + std::strerror(errno) + ")";
}

Result<std::string> ReadAll(std::FILE* file, const std::string& name) {
  std::string text;
  std::vector<char> chunk(1 << 16);
  while (true) {
    const std::size_t got = std::fread(chunk.data(), 1, chunk.size(), file);
    text.append(chunk.data(), got);
    if (text.size() > kMaxRequestBytes) {
      return Error{name, "larger than the limit of " + std::to_string(kMaxRequestBytes >> 20) + " MB", 0};
    }
    if (got < chunk.size()) break;
  }
  if (std::ferror(file)) return Error{"", ReadError(name, "cannot read"), 0};
  return text;
}

// The text of a file, or of standard input for "-".
Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") return ReadAll(stdin, "stdin");
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return Error{path, "no such file", 0};
  if (std::filesystem::is_directory(status)) return Error{path, "is a directory, expected a file", 0};
  if (std::filesystem::is_regular_file(status)) {
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (!error && size > kMaxRequestBytes) {
      return Error{path, "the file has " + std::to_string(size >> 20) + " MB; the limit is " +
                             std::to_string(kMaxRequestBytes >> 20) + " MB", 0};
    }
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Error{"", ReadError(path, "cannot open"), 0};
  Result<std::string> text = ReadAll(file, path);
  std::fclose(file);
  return text;
}

// The sample pictures: $CONVTUTOR_SAMPLES when set, else the folder the build was given ("" = none).
std::string SamplesFolder() {
  if (const char* folder = std::getenv("CONVTUTOR_SAMPLES")) return folder;
  return CONVTUTOR_SAMPLES_DIR;
}

Result<convtutor::Request> LoadRequest(const std::string& path) {
  Result<std::string> text = ReadInput(path);
  if (!text) return text.error();
  // A request's relative picture paths are taken from its own folder (the current one for stdin).
  convtutor::RequestOptions options;
  if (path != "-") options.base_folder = std::filesystem::path(path).parent_path().string();
  options.samples_folder = SamplesFolder();
  Result<convtutor::Request> request = convtutor::ParseRequestText(text.value(), options);
  if (!request && request.error().line > 0) {
    // A syntax error: name the file and line rather than the request.
    Error located = request.error();
    located.field = path == "-" ? "stdin" : path;
    return located;
  }
  return request;
}

struct Arguments {
  std::string path = "-";
  bool path_given = false;
  std::optional<std::string> level;
  std::optional<std::string> step;
};

// Splits "--level X", "--level=X", "--step I" and one positional FILE. `options_allowed` says
// whether this subcommand takes --level and --step (trace) or no options at all (compute).
Result<Arguments> ParseArguments(int argc, char** argv, bool options_allowed) {
  Arguments arguments;
  for (int i = 2; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.rfind("--", 0) == 0 && argument.size() > 2) {
      const std::size_t equals = argument.find('=');
      const std::string name = argument.substr(0, equals);
      if (!options_allowed || (name != "--level" && name != "--step")) {
        return Error{name, options_allowed ? "unknown option; expected --level or --step"
                                           : "unknown option; " + std::string(argv[1]) + " takes only FILE",
                     0};
      }
      std::string value;
      if (equals != std::string::npos) {
        value = argument.substr(equals + 1);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return Error{name, name == "--level" ? "missing value; expected cell, channel or term"
                                             : "missing value; expected a step index",
                     0};
      }
      (name == "--level" ? arguments.level : arguments.step) = value;
    } else if (argument.size() > 1 && argument[0] == '-') {
      return Error{argument, "unknown option (see convtutor --help)", 0};
    } else if (arguments.path_given) {
      return Error{argument, "unexpected argument; give one FILE (or - for stdin)", 0};
    } else {
      arguments.path = argument;
      arguments.path_given = true;
    }
  }
  return arguments;
}

int Compute(const Arguments& arguments) {
  Result<convtutor::Request> request = LoadRequest(arguments.path);
  if (!request) return Fail(request.error().ToString());
  if (std::optional<Error> too_large = convtutor::CheckComputeMemory(request.value())) return Fail(too_large->ToString());
  const std::string output = convtutor::ComputeResultJson(request.value()).dump() + "\n";
  std::fwrite(output.data(), 1, output.size(), stdout);
  return 0;
}

int Trace(const Arguments& arguments) {
  if (!arguments.level) return Fail("--level: missing; expected --level cell, channel or term");
  convtutor::Level level{};
  if (!convtutor::ParseLevel(arguments.level->c_str(), &level)) {
    return Fail("--level: expected cell, channel or term, got \"" + *arguments.level + "\"");
  }
  std::optional<std::int64_t> step_index;
  if (arguments.step) {
    const std::string& text = *arguments.step;
    std::int64_t index = 0;
    const std::from_chars_result parsed = std::from_chars(text.data(), text.data() + text.size(), index);
    if (text.empty() || parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || index < 0) {
      return Fail("--step: expected a whole number ≥ 0, got \"" + text + "\"");
    }
    step_index = index;
  }
  Result<convtutor::Request> loaded = LoadRequest(arguments.path);
  if (!loaded) return Fail(loaded.error().ToString());
  const convtutor::Request& request = loaded.value();
  const std::int64_t count = convtutor::StepCount(request.scene, request.geometry, level);
  nlohmann::json answer;
  if (step_index) {
    if (*step_index >= count) {
      return Fail("--step: expected an index from 0 to " + std::to_string(count - 1) + " (" + std::to_string(count) +
                  " steps at level " + convtutor::LevelName(level) + "), got " + std::to_string(*step_index));
    }
    answer = convtutor::StepJson(convtutor::StepAt(request.scene, request.geometry, level, *step_index));
  } else {
    answer = {{"steps", count}, {"level", convtutor::LevelName(level)}};
  }
  const std::string output = answer.dump() + "\n";
  std::fwrite(output.data(), 1, output.size(), stdout);
  return 0;
}

int Summary(const Arguments& arguments) {
  Result<std::string> text = ReadInput(arguments.path);
  if (!text) return Fail(text.error().ToString());
  Result<convtutor::lessons::ModelSummary> summary = convtutor::lessons::SummarizeModel(text.value());
  if (!summary) {
    Error located = summary.error();
    located.field = arguments.path == "-" ? "stdin" : arguments.path;
    return Fail(located.ToString());
  }
  const convtutor::lessons::ModelSummary& model = summary.value();
  nlohmann::json layers = nlohmann::json::array();
  const std::vector<std::string> names = convtutor::lessons::LayerNames(model);
  for (std::size_t row = 0; row < model.layers.size(); ++row) {
    const convtutor::lessons::ModelLayer& layer = model.layers[row];
    layers.push_back({{"line", layer.line},
                      {"name", names[row]},
                      {"kind", layer.kind},
                      {"inputs", layer.inputs},
                      {"source", layer.source},
                      {"output_shape", layer.output_shape},
                      {"parameters", layer.parameters},
                      {"multiply_adds", layer.multiply_adds},
                      {"shape_formula", layer.shape_formula},
                      {"parameters_formula", layer.parameters_formula}});
  }
  const nlohmann::json answer = {{"data_format", model.channels_first ? "channels_first" : "channels_last"},
                                 {"layers", layers},
                                 {"total_parameters", model.total_parameters},
                                 {"total_multiply_adds", model.total_multiply_adds}};
  const std::string output = answer.dump() + "\n";
  std::fwrite(output.data(), 1, output.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Fail("subcommand: missing; expected compute, trace or summary (see convtutor --help)");
  const std::string command = argv[1];
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    if (argument == "--help" || argument == "-h" || (i == 1 && argument == "help")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  if (command != "compute" && command != "trace" && command != "summary") {
    return Fail(command + ": unknown subcommand; expected compute, trace or summary (see convtutor --help)");
  }
  Result<Arguments> arguments = ParseArguments(argc, argv, command == "trace");
  if (!arguments) return Fail(arguments.error().ToString());
  if (command == "summary") return Summary(arguments.value());
  return command == "compute" ? Compute(arguments.value()) : Trace(arguments.value());
}
