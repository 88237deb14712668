// The JSON face of the core, shared by the CLI, lesson scene blocks and tests: a request
// (the CLI's documented format) becomes a validated Scene, and results become JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "convtutor/geometry.h"
#include "convtutor/result.h"
#include "convtutor/scene.h"
#include "convtutor/steps.h"

namespace convtutor {

// Refuse requests that would exhaust memory before allocating anything.
constexpr std::int64_t kMaxTensorElements = std::int64_t{1} << 26;  // per input/weights/output tensor

// Where a request's pictures are found. "input": {"image": "<path or sample name>", "mode":
// "gray"|"rgb", "max_side": N} reads a picture file (see image.h): a relative path is taken from
// `base_folder` (the current directory when empty), a sample name from `samples_folder` (sample
// names are refused when it is empty).
struct RequestOptions {
  std::string base_folder;
  std::string samples_folder;
};

// The picture a request's input came from.
struct PictureInfo {
  std::string name;        // the "image" text as written
  int width = 0;           // the input volume's size
  int height = 0;
  int channels = 0;        // 1 (gray) or 3 (rgb)
  int source_width = 0;    // the picture file's own size
  int source_height = 0;
  bool scaled = false;     // scaled down to fit max_side
};

struct Request {
  Scene scene;                                    // always channels-first inside
  DataFormat format = DataFormat::kChannelsFirst; // the layout the request used, for the answer
  Geometry geometry;                              // resolved and validated
  std::optional<PictureInfo> picture;             // when the input is a picture
};

// Parses and validates a request object. Besides nested arrays, "input" and "weights" may be a
// generator: {"shape": [...], "fill": "random"|"ramp"|"ones"|"zeros", "seed": n, "range": [lo, hi],
// "integers": bool} (shape in the request's layout), so lessons can declare scenes briefly, or a
// picture (RequestOptions above), whose volume is the input whatever the data_format.
Result<Request> ParseRequest(const nlohmann::json& request, const RequestOptions& options = {});
// Same, from JSON text; unreadable JSON is an error naming the line.
Result<Request> ParseRequestText(std::string_view text, const RequestOptions& options = {});

// {"shape", "padding", "output", "derivation", "parameters", "multiply_adds", ...} in the
// request's layout; with a picture also "image": {"name", "width", "height", "channels",
// "scaled_from": [width, height] or null}.
nlohmann::json ComputeResultJson(const Request& request);
// {"step", "steps", "kind", "out", "origin", "channel"?, "tap"?, "partial", "value"}.
nlohmann::json StepJson(const Step& step);

}  // namespace convtutor
