// The JSON face of the core, shared by the CLI, lesson scene blocks and tests: a request
// (the CLI's documented format) becomes a validated Scene, and results become JSON.
#pragma once

#include <cstdint>
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

struct Request {
  Scene scene;                                    // always channels-first inside
  DataFormat format = DataFormat::kChannelsFirst; // the layout the request used, for the answer
  Geometry geometry;                              // resolved and validated
};

// Parses and validates a request object. Besides nested arrays, "input" and "weights" may be a
// generator: {"shape": [...], "fill": "random"|"ramp"|"ones"|"zeros", "seed": n, "range": [lo, hi],
// "integers": bool} (shape in the request's layout), so lessons can declare scenes briefly.
Result<Request> ParseRequest(const nlohmann::json& request);
// Same, from JSON text; unreadable JSON is an error naming the line.
Result<Request> ParseRequestText(std::string_view text);

// {"shape", "padding", "output", "derivation", "parameters", "multiply_adds", ...} in the
// request's layout.
nlohmann::json ComputeResultJson(const Request& request);
// {"step", "steps", "kind", "out", "origin", "channel"?, "tap"?, "partial", "value"}.
nlohmann::json StepJson(const Step& step);

}  // namespace convtutor
