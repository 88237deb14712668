// convtutor-font-atlas: rasterises the tutor's fonts at pixel ratio 1 and saves the atlas (web/fonts.h),
// so that the app at that ratio reads it instead of rasterising before its first frame. The build
// runs it: natively for the desktop's fonts folder, under node for the web page.
//   convtutor-font-atlas FONT_FOLDER OUTPUT_FILE
#include <imgui.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fonts.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: convtutor-font-atlas FONT_FOLDER OUTPUT_FILE\n");
    return 2;
  }
  ImGui::CreateContext();
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  convtutor::app::AddTutorFonts(atlas, argv[1], 1.0f);
  const std::vector<std::uint8_t> saved = atlas.Build() ? convtutor::app::SavedFontAtlas(atlas) : std::vector<std::uint8_t>();
  ImGui::DestroyContext();
  if (saved.empty()) {
    std::fprintf(stderr, "convtutor-font-atlas: the fonts in %s did not build an atlas\n", argv[1]);
    return 1;
  }
  std::FILE* file = std::fopen(argv[2], "wb");
  const bool written = file != nullptr && std::fwrite(saved.data(), 1, saved.size(), file) == saved.size();
  if (file != nullptr && std::fclose(file) != 0) return 1;
  if (!written) {
    std::fprintf(stderr, "convtutor-font-atlas: could not write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
