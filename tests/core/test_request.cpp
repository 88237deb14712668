// Tests of the JSON request format in-process (ParseRequest, ComputeResultJson, StepJson): how
// layouts, defaults, padding forms and generators become a Scene, and how refusals name fields.
// The CLI's own tests (tests/cli) cover the same format through the real binary.
#include "convtutor/request.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "convtutor/generate.h"

namespace convtutor {
namespace {

using nlohmann::json;

json OneToNine() { return json::array({json::array({{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})}); }

json SmallConv() {
  return json{{"op", "conv2d"}, {"input", OneToNine()}, {"weights", json::parse("[[[[1, 0], [0, 1]]]]")}};
}

Request Parsed(const json& request) {
  Result<Request> parsed = ParseRequest(request);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().ToString());
  return parsed.ok() ? parsed.value() : Request{};
}

std::string RefusedField(const json& request) {
  Result<Request> parsed = ParseRequest(request);
  return parsed.ok() ? "(accepted)" : parsed.error().field;
}

TEST(request, channels_last_input_is_stored_channels_first) {
  // H=1, W=2, C=3 written as [[[c0, c1, c2] at x=0, [c0, c1, c2] at x=1]].
  json request = {{"op", "max_pool2d"}, {"data_format", "channels_last"}, {"kernel_size", 1}};
  request["input"] = json::parse("[[[1, 2, 3], [4, 5, 6]]]");
  const Request parsed = Parsed(request);
  EXPECT_EQ(parsed.format, DataFormat::kChannelsLast);
  ASSERT_EQ(parsed.scene.input.channels, 3);
  ASSERT_EQ(parsed.scene.input.height, 1);
  ASSERT_EQ(parsed.scene.input.width, 2);
  EXPECT_EQ(parsed.scene.input.At(0, 0, 0), 1.0f);
  EXPECT_EQ(parsed.scene.input.At(0, 0, 1), 4.0f);
  EXPECT_EQ(parsed.scene.input.At(2, 0, 1), 6.0f);
}

TEST(request, channels_last_weights_are_kh_kw_in_out_like_tf_nn_conv2d) {
  // kh=1, kw=2, I=1, O=2: w[ky][kx][i][o]; filter o=1 at kx=1 is the last number, 4.
  json request = {{"op", "conv2d"}, {"data_format", "channels_last"}};
  request["input"] = json::parse("[[[1], [2]], [[3], [4]]]");  // 2×2×1
  request["weights"] = json::parse("[[[[1, 2]], [[3, 4]]]]");
  const Request parsed = Parsed(request);
  const FilterBank& bank = parsed.scene.weights;
  ASSERT_EQ(bank.filters, 2);
  ASSERT_EQ(bank.channels, 1);
  ASSERT_EQ(bank.height, 1);
  ASSERT_EQ(bank.width, 2);
  EXPECT_EQ(bank.At(0, 0, 0, 0), 1.0f);
  EXPECT_EQ(bank.At(1, 0, 0, 0), 2.0f);
  EXPECT_EQ(bank.At(0, 0, 0, 1), 3.0f);
  EXPECT_EQ(bank.At(1, 0, 0, 1), 4.0f);
  EXPECT_EQ(parsed.scene.layer.kernel.rows, 1);
  EXPECT_EQ(parsed.scene.layer.kernel.cols, 2);
}

TEST(request, pooling_stride_defaults_to_the_window_and_conv_stride_to_one) {
  const Request pool = Parsed({{"op", "avg_pool2d"}, {"input", OneToNine()}, {"kernel_size", {2, 3}}});
  EXPECT_EQ(pool.scene.layer.stride.rows, 2);
  EXPECT_EQ(pool.scene.layer.stride.cols, 3);
  const Request conv = Parsed(SmallConv());
  EXPECT_EQ(conv.scene.layer.stride.rows, 1);
  EXPECT_EQ(conv.scene.layer.stride.cols, 1);
  EXPECT_EQ(conv.scene.layer.padding.mode, PaddingMode::kValid);
  EXPECT_EQ(conv.scene.layer.activation, Activation::kNone);
}

TEST(request, padding_accepts_one_two_or_four_numbers) {
  json request = SmallConv();
  request["padding"] = 1;
  Sides sides = Parsed(request).scene.layer.padding.sides;
  EXPECT_EQ(std::vector<int>({sides.top, sides.bottom, sides.left, sides.right}), std::vector<int>({1, 1, 1, 1}));
  request["padding"] = {1, 2};  // [rows, cols]
  sides = Parsed(request).scene.layer.padding.sides;
  EXPECT_EQ(std::vector<int>({sides.top, sides.bottom, sides.left, sides.right}), std::vector<int>({1, 1, 2, 2}));
  request["padding"] = {1, 2, 3, 4};  // top, bottom, left, right
  const Request parsed = Parsed(request);
  sides = parsed.scene.layer.padding.sides;
  EXPECT_EQ(parsed.scene.layer.padding.mode, PaddingMode::kExplicit);
  EXPECT_EQ(std::vector<int>({sides.top, sides.bottom, sides.left, sides.right}), std::vector<int>({1, 2, 3, 4}));
  request["padding"] = "full";
  EXPECT_EQ(Parsed(request).scene.layer.padding.mode, PaddingMode::kFull);
}

TEST(request, generator_fills_the_tensor_in_the_request_layout_order) {
  const json request = {{"op", "max_pool2d"},
                        {"data_format", "channels_last"},
                        {"kernel_size", 1},
                        {"input", {{"shape", {2, 3, 2}}, {"fill", "random"}, {"seed", 7}, {"range", {-5, 5}}}}};
  const Request parsed = Parsed(request);
  FillSpec spec;
  spec.fill = Fill::kRandom;
  spec.seed = 7;
  spec.low = -5.0f;
  spec.high = 5.0f;
  const std::vector<float> generated = GenerateValues(12, spec);
  // The generator writes H×W×C as nested arrays would: value (y, x, c) is number (y·3 + x)·2 + c.
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 3; ++x) {
      for (int c = 0; c < 2; ++c) {
        EXPECT_EQ(parsed.scene.input.At(c, y, x), generated[static_cast<std::size_t>((y * 3 + x) * 2 + c)]);
      }
    }
  }
}

TEST(request, generator_fields_are_checked_by_name) {
  const auto with_input = [](json generator) {
    return json{{"op", "max_pool2d"}, {"kernel_size", 1}, {"input", std::move(generator)}};
  };
  EXPECT_EQ(RefusedField(with_input({{"shape", {1, 2}}})), "input.shape");
  EXPECT_EQ(RefusedField(with_input({{"fill", "ones"}})), "input.shape");
  EXPECT_EQ(RefusedField(with_input({{"shape", {1, 0, 2}}})), "input.shape");
  EXPECT_EQ(RefusedField(with_input({{"shape", {1, 2, 2}}, {"fill", "noise"}})), "input.fill");
  EXPECT_EQ(RefusedField(with_input({{"shape", {1, 2, 2}}, {"range", {3, 1}}})), "input.range");
  EXPECT_EQ(RefusedField(with_input({{"shape", {1, 2, 2}}, {"seed", -1}})), "input.seed");
  EXPECT_EQ(RefusedField(with_input({{"shape", {1, 2, 2}}, {"integers", 1}})), "input.integers");
  EXPECT_EQ(RefusedField(with_input({{"shape", {1, 2, 2}}, {"colour", "red"}})), "input");
}

TEST(request, refusals_name_the_field_at_fault) {
  const std::vector<std::pair<json, std::string>> cases = {
      {json::array(), "request"},
      {{{"op", "conv2d"}, {"input", OneToNine()}}, "weights"},
      {{{"op", "max_pool2d"}, {"input", OneToNine()}}, "kernel_size"},
      {{{"op", "conv2d"}, {"input", json::parse("[[1, 2], [3, 4]]")}, {"weights", {{{{1}}}}}}, "input"},
      {{{"op", "conv2d"}, {"input", json::parse("[[[]]]")}, {"weights", {{{{1}}}}}}, "input"},
      {{{"op", "conv2d"}, {"input", OneToNine()}, {"weights", {{{{1}}}}}, {"kernel_size", 2}}, "kernel_size"},
      {{{"op", "conv2d"}, {"input", OneToNine()}, {"weights", {{{{1}}}}}, {"ceil_mode", true}}, "ceil_mode"},
      {{{"op", "conv2d"}, {"input", OneToNine()}, {"weights", {{{{1}}}}}, {"count_include_pad", false}},
       "count_include_pad"},
      {{{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 1}, {"bias", {1}}}, "bias"},
      {{{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 1}, {"activation", "relu"}}, "activation"},
      {{{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 1}, {"ceil_mode", "yes"}}, "ceil_mode"},
      {{{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", 1.5}}, "kernel_size"},
      {{{"op", "max_pool2d"}, {"input", OneToNine()}, {"kernel_size", {1, 2, 3}}}, "kernel_size"},
      {{{"op", "conv2d"}, {"input", OneToNine()}, {"weights", {{{{1}}}}}, {"bias", {"one"}}}, "bias"},
      {{{"op", "conv2d"}, {"input", OneToNine()}, {"weights", {{{{1e39}}}}}}, "weights"},
      {{{"op", 2}, {"input", OneToNine()}}, "op"},
  };
  for (const auto& [request, field] : cases) {
    EXPECT_EQ(RefusedField(request), field) << request.dump();
  }
}

TEST(request, refusal_messages_are_one_line) {
  json request = SmallConv();
  request["input"] = json::parse("[[[1, 2, 3], [4, 5, 6], [7, 8]]]");
  const Result<Request> parsed = ParseRequest(request);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().ToString(), "input: ragged array: input[0][2] has 2 columns, expected 3 like input[0][0]");
}

TEST(request, unreadable_text_reports_the_line) {
  const Result<Request> parsed = ParseRequestText("{\n  \"op\": \"conv2d\",\n  \"input\": [1,, 2]\n}");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().field, "request");
  EXPECT_EQ(parsed.error().line, 3);
  EXPECT_NE(parsed.error().message.find("column 15"), std::string::npos) << parsed.error().message;
}

TEST(request, text_and_document_parse_alike) {
  const Result<Request> from_text = ParseRequestText(SmallConv().dump());
  ASSERT_TRUE(from_text.ok());
  EXPECT_EQ(from_text.value().scene.input.values, Parsed(SmallConv()).scene.input.values);
}

TEST(result_json, prints_floats_as_their_shortest_decimal) {
  // 0.1 as a float is 0.100000001490116...; the answer should still read 0.1.
  const json request = {{"op", "conv2d"}, {"input", {{{0.1}}}}, {"weights", {{{{1}}}}}};
  const std::string text = ComputeResultJson(Parsed(request)).dump();
  EXPECT_NE(text.find("\"output\":[[[0.1]]]"), std::string::npos) << text;
}

TEST(result_json, channels_last_answers_in_hwc) {
  // 1×1 max pool keeps the input; written back H×W×C it must read as it was given.
  json request = {{"op", "max_pool2d"}, {"data_format", "channels_last"}, {"kernel_size", 1}};
  request["input"] = json::parse("[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]");
  const json result = ComputeResultJson(Parsed(request));
  EXPECT_EQ(result["shape"], json({1, 2, 3}));
  EXPECT_EQ(result["output"], request["input"]);
  EXPECT_EQ(result["data_format"], "channels_last");
}

TEST(step_json, names_channel_and_tap_only_where_they_apply) {
  Step bias_step;
  bias_step.index = 4;
  bias_step.count = 20;
  bias_step.kind = StepKind::kBias;
  bias_step.out_channel = 1;
  bias_step.out_row = 2;
  bias_step.out_col = 3;
  bias_step.origin_row = -1;
  bias_step.origin_col = 0;
  bias_step.partial = 2.5f;
  bias_step.value = 2.5f;
  const json bias = StepJson(bias_step);
  EXPECT_EQ(bias, json::parse(R"({"step": 4, "steps": 20, "kind": "bias", "out": [1, 2, 3], "origin": [-1, 0],
                                  "partial": 2.5, "value": 2.5})"));

  Step term_step = bias_step;
  term_step.kind = StepKind::kTerm;
  term_step.channel = 2;
  term_step.tap_row = 0;
  term_step.tap_col = 1;
  term_step.partial = std::numeric_limits<float>::quiet_NaN();
  const json term = StepJson(term_step);
  EXPECT_EQ(term["kind"], "term");
  EXPECT_EQ(term["channel"], 2);
  EXPECT_EQ(term["tap"], json({0, 1}));
  EXPECT_TRUE(term["partial"].is_null());
}

}  // namespace
}  // namespace convtutor

TEST(memory, computing_a_request_is_estimated_from_its_sizes_by_hand) {
  // 1×3×3 input, one 2×2 filter, a bias: 14 floats held; a 1×2×2 output of 4 values. Computing
  // adds the output (4 floats) and working buffers of 4 × (9 + 4) floats; the answer costs each
  // output value one JSON value and 24 bytes of text.
  const auto request = convtutor::ParseRequestText(
      R"({"op": "conv2d", "input": [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], "weights": [[[[1, 0], [0, 1]]]], "bias": [0]})");
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  const std::int64_t expected = 4 * 14 + 4 * 4 + 4 * 4 * (9 + 4) + 4 * static_cast<std::int64_t>(sizeof(nlohmann::json) + 24);
  EXPECT_EQ(convtutor::EstimateComputeBytes(request.value()), expected);
  EXPECT_FALSE(convtutor::CheckComputeMemory(request.value()).has_value());
}

TEST(request, random_integers_over_a_range_wider_than_32_bits_stay_whole_and_in_range) {
  // The request fuzz target's finding (kept in its corpus): choosing among 10^15 integers took a
  // cast out of uint32's range.
  const auto request = convtutor::ParseRequestText(
      R"({"op": "max_pool2d", "kernel_size": 1,
          "input": {"shape": [1, 5, 5], "fill": "random", "seed": 39, "range": [0, 988888888888888], "integers": true}})");
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  const std::vector<float>& values = request.value().scene.input.values;
  ASSERT_EQ(values.size(), 25u);
  for (const float value : values) {
    EXPECT_EQ(value, std::floor(value));
    EXPECT_GE(value, 0.0f);
    EXPECT_LE(value, 988888888888888.0f);
  }
  EXPECT_GT(*std::max_element(values.begin(), values.end()), 4294967296.0f) << "the whole range is drawn from";
}
