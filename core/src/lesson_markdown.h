// Private to the lesson parser: Markdown text to the block list (md4c behind it), with fenced
// blocks left as code blocks for lesson.cpp to recognise by their info word.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "convtutor/lesson.h"

namespace convtutor::lessons {

struct MarkdownDocument {
  std::vector<Block> blocks;
  // For code blocks whose info string has more than one word ("model cats"): block index → the rest.
  std::map<std::size_t, std::string> info_arguments;
};

MarkdownDocument ParseMarkdown(std::string_view text);

}  // namespace convtutor::lessons
