// The tutor's fonts: which files, at what sizes, in the order the App's font indices expect
// (web/app.h), and the font atlas saved to a file. Rasterising some 1,700 glyphs is most of the
// page's work before its first frame, so the build rasterises them once at pixel ratio 1
// (convtutor-font-atlas, web/font_atlas_tool.cpp) and the platform reads that file instead when
// it asks for the very same fonts; at any other pixel ratio it rasterises them as before.
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace convtutor::app {

// The saved atlas's name in the fonts folder (for pixel ratio × content scale 1).
inline constexpr const char* kSavedFontAtlasName = "atlas-1x.bin";

// Adds the four fonts (body, bold, mono, heading; the symbols merged into the text fonts) from the
// .ttf files in `font_folder`, at `scale` pixels per logical pixel, to an atlas not yet built. A
// missing file gives Dear ImGui's built-in font in its place, so the font indices stay valid.
void AddTutorFonts(ImFontAtlas& atlas, const std::string& font_folder, float scale);

// The built `atlas` as bytes: its texture, its glyphs, and a digest of what it was built from
// (the font files' bytes, sizes, glyph ranges and rasteriser settings).
std::vector<std::uint8_t> SavedFontAtlas(const ImFontAtlas& atlas);

// Builds `atlas` (its fonts added, not built yet) from SavedFontAtlas's bytes instead of
// rasterising: true when they were saved from the same fonts, sizes and settings and read whole.
// Otherwise it returns false and leaves the atlas as it was, for ImFontAtlas::Build.
bool BuildFontAtlasFromSaved(ImFontAtlas& atlas, const std::uint8_t* saved, std::size_t size);

}  // namespace convtutor::app
