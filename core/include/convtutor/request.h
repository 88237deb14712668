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

// The memory a browser page gives the tutor (web/CMakeLists.txt links the page with
// -sMAXIMUM_MEMORY of this size): a request that would need more is refused with both figures
// before its large allocations (the JSON document, the output and the answer), in the CLI as in
// the page, instead of the page aborting or the machine swapping. Each tensor is also capped above.
constexpr std::int64_t kMemoryBudgetBytes = std::int64_t{2} << 30;

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
// Same, from JSON text; unreadable JSON is an error naming the line, and text whose JSON document
// alone would not fit in kMemoryBudgetBytes is refused before it is built.
Result<Request> ParseRequestText(std::string_view text, const RequestOptions& options = {});

// The bytes computing `request` needs (`convtutor compute`, a scene's whole output), estimated
// from its sizes alone: the tensors held, the fast path's working buffers and the output, and the
// answer as JSON values and text. Tracing needs only the tensors held, which the per-tensor caps
// and the document check keep within the budget.
std::int64_t EstimateComputeBytes(const Request& request);

// An error "needs 3.2 GB of memory to compute ..., more than the 2.0 GB a browser page gives the
// tutor" when EstimateComputeBytes exceeds kMemoryBudgetBytes, else nothing.
std::optional<Error> CheckComputeMemory(const Request& request);

// {"shape", "padding", "output", "derivation", "parameters", "multiply_adds", ...} in the
// request's layout; with a picture also "image": {"name", "width", "height", "channels",
// "scaled_from": [width, height] or null}.
nlohmann::json ComputeResultJson(const Request& request);
// {"step", "steps", "kind", "out", "origin", "channel"?, "tap"?, "partial", "value"}.
nlohmann::json StepJson(const Step& step);

}  // namespace convtutor
