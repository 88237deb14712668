// The saved font atlas (web/fonts.h) against Dear ImGui's own rasteriser: an atlas built from the
// saved bytes has the same texture, glyphs and metrics as one rasterised from the fonts, including
// the file the build made (convtutor-font-atlas); bytes saved from other fonts, sizes or a damaged
// file are refused and leave the atlas to be rasterised as before.
#include <gtest/gtest.h>

#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "fonts.h"

namespace {

using convtutor::app::AddTutorFonts;
using convtutor::app::BuildFontAtlasFromSaved;
using convtutor::app::SavedFontAtlas;

const std::string kFontFolder = CONVTUTOR_FONT_DIR;

std::unique_ptr<ImFontAtlas> FontsAt(float scale) {
  auto atlas = std::make_unique<ImFontAtlas>();
  AddTutorFonts(*atlas, kFontFolder, scale);
  return atlas;
}

std::unique_ptr<ImFontAtlas> Rasterised(float scale) {
  std::unique_ptr<ImFontAtlas> atlas = FontsAt(scale);
  EXPECT_TRUE(atlas->Build());
  return atlas;
}

std::vector<std::uint8_t> ReadFile(const std::string& path) {
  std::vector<std::uint8_t> bytes;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return bytes;
  std::uint8_t chunk[4096];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof(chunk), file)) > 0) bytes.insert(bytes.end(), chunk, chunk + got);
  std::fclose(file);
  return bytes;
}

void ExpectSameGlyph(const ImFontGlyph& a, const ImFontGlyph& b) {
  EXPECT_EQ(a.Codepoint, b.Codepoint);
  EXPECT_EQ(a.Visible, b.Visible) << "U+" << std::hex << a.Codepoint;
  EXPECT_EQ(a.Colored, b.Colored);
  EXPECT_EQ(a.AdvanceX, b.AdvanceX);
  EXPECT_EQ(a.X0, b.X0);
  EXPECT_EQ(a.Y0, b.Y0);
  EXPECT_EQ(a.X1, b.X1);
  EXPECT_EQ(a.Y1, b.Y1);
  EXPECT_EQ(a.U0, b.U0);
  EXPECT_EQ(a.V0, b.V0);
  EXPECT_EQ(a.U1, b.U1);
  EXPECT_EQ(a.V1, b.V1);
}

// Everything drawing reads from an atlas: the texture, the white pixel and line UVs, and each
// font's size, metrics, fallbacks, glyphs and advance table, and the width of a line of text.
void ExpectSameAtlas(ImFontAtlas& built, ImFontAtlas& rasterised) {
  ASSERT_TRUE(built.IsBuilt());
  ASSERT_EQ(built.TexWidth, rasterised.TexWidth);
  ASSERT_EQ(built.TexHeight, rasterised.TexHeight);
  EXPECT_EQ(std::memcmp(built.TexPixelsAlpha8, rasterised.TexPixelsAlpha8,
                        static_cast<std::size_t>(built.TexWidth) * static_cast<std::size_t>(built.TexHeight)), 0);
  EXPECT_EQ(built.TexUvScale.x, rasterised.TexUvScale.x);
  EXPECT_EQ(built.TexUvScale.y, rasterised.TexUvScale.y);
  EXPECT_EQ(built.TexUvWhitePixel.x, rasterised.TexUvWhitePixel.x);
  EXPECT_EQ(built.TexUvWhitePixel.y, rasterised.TexUvWhitePixel.y);
  for (int i = 0; i <= IM_DRAWLIST_TEX_LINES_WIDTH_MAX; ++i) {
    EXPECT_EQ(built.TexUvLines[i].x, rasterised.TexUvLines[i].x);
    EXPECT_EQ(built.TexUvLines[i].w, rasterised.TexUvLines[i].w);
  }
  ASSERT_EQ(built.Fonts.Size, rasterised.Fonts.Size);
  for (int f = 0; f < built.Fonts.Size; ++f) {
    ImFont& a = *built.Fonts[f];
    ImFont& b = *rasterised.Fonts[f];
    EXPECT_EQ(a.FontSize, b.FontSize);
    EXPECT_EQ(a.Ascent, b.Ascent);
    EXPECT_EQ(a.Descent, b.Descent);
    EXPECT_EQ(a.FallbackChar, b.FallbackChar);
    EXPECT_EQ(a.FallbackAdvanceX, b.FallbackAdvanceX);
    EXPECT_EQ(a.EllipsisChar, b.EllipsisChar);
    EXPECT_EQ(a.DotChar, b.DotChar);
    ASSERT_EQ(a.Glyphs.Size, b.Glyphs.Size) << "font " << f;
    for (int g = 0; g < a.Glyphs.Size; ++g) ExpectSameGlyph(a.Glyphs[g], b.Glyphs[g]);
    ASSERT_EQ(a.IndexAdvanceX.Size, b.IndexAdvanceX.Size);
    for (int c = 0; c < a.IndexAdvanceX.Size; ++c) EXPECT_EQ(a.IndexAdvanceX[c], b.IndexAdvanceX[c]);
    const char* line = "Output 127 × 127: ⌊(128 + 2·0 − 3) / 1⌋ + 1 = 126 … σ ≤ ∞\t→";
    EXPECT_EQ(a.CalcTextSizeA(a.FontSize, 1e9f, 0.0f, line).x, b.CalcTextSizeA(b.FontSize, 1e9f, 0.0f, line).x);
  }
}

TEST(fonts, an_atlas_built_from_saved_bytes_matches_the_rasterised_one) {
  const std::unique_ptr<ImFontAtlas> rasterised = Rasterised(1.0f);
  const std::vector<std::uint8_t> saved = SavedFontAtlas(*rasterised);
  ASSERT_FALSE(saved.empty());
  const std::unique_ptr<ImFontAtlas> built = FontsAt(1.0f);
  ASSERT_TRUE(BuildFontAtlasFromSaved(*built, saved.data(), saved.size()));
  ExpectSameAtlas(*built, *rasterised);
}

TEST(fonts, the_atlas_the_build_saved_matches_the_fonts_beside_it) {
  const std::vector<std::uint8_t> saved = ReadFile(kFontFolder + "/" + convtutor::app::kSavedFontAtlasName);
  ASSERT_FALSE(saved.empty()) << "convtutor-font-atlas did not write " << kFontFolder;
  const std::unique_ptr<ImFontAtlas> built = FontsAt(1.0f);
  ASSERT_TRUE(BuildFontAtlasFromSaved(*built, saved.data(), saved.size()));
  const std::unique_ptr<ImFontAtlas> rasterised = Rasterised(1.0f);
  ExpectSameAtlas(*built, *rasterised);
}

TEST(fonts, bytes_saved_at_another_scale_are_refused_and_the_atlas_still_rasterises) {
  const std::vector<std::uint8_t> saved = SavedFontAtlas(*Rasterised(1.0f));
  const std::unique_ptr<ImFontAtlas> twice = FontsAt(2.0f);
  EXPECT_FALSE(BuildFontAtlasFromSaved(*twice, saved.data(), saved.size()));
  EXPECT_FALSE(twice->IsBuilt());
  ASSERT_TRUE(twice->Build());
  const std::unique_ptr<ImFontAtlas> rasterised = Rasterised(2.0f);
  ExpectSameAtlas(*twice, *rasterised);
}

TEST(fonts, other_font_files_are_refused) {
  const std::vector<std::uint8_t> saved = SavedFontAtlas(*Rasterised(1.0f));
  ImFontAtlas other;  // the same sizes, but Dear ImGui's own font in place of the first one
  ImFontConfig config;
  config.SizePixels = 17.0f;
  other.AddFontDefault(&config);
  EXPECT_FALSE(BuildFontAtlasFromSaved(other, saved.data(), saved.size()));
  EXPECT_FALSE(other.IsBuilt());
}

TEST(fonts, damaged_bytes_are_refused_whatever_is_cut_or_changed) {
  const std::vector<std::uint8_t> saved = SavedFontAtlas(*Rasterised(1.0f));
  ASSERT_GT(saved.size(), 100u);
  // Cut at every length up to the glyph tables, and a few later, and with a byte more.
  std::vector<std::size_t> lengths;
  for (std::size_t length = 0; length < 200; ++length) lengths.push_back(length);
  lengths.insert(lengths.end(), {saved.size() / 2, saved.size() - 1});
  for (std::size_t length : lengths) {
    const std::vector<std::uint8_t> cut(saved.begin(), saved.begin() + static_cast<std::ptrdiff_t>(length));
    const std::unique_ptr<ImFontAtlas> atlas = FontsAt(1.0f);
    EXPECT_FALSE(BuildFontAtlasFromSaved(*atlas, cut.data(), cut.size())) << "cut to " << length << " bytes";
    EXPECT_FALSE(atlas->IsBuilt());
  }
  std::vector<std::uint8_t> longer = saved;
  longer.push_back(0);
  EXPECT_FALSE(BuildFontAtlasFromSaved(*FontsAt(1.0f), longer.data(), longer.size()));
  // The magic, the version and the digest each decide on their own.
  for (std::size_t at : {std::size_t{0}, std::size_t{4}, std::size_t{8}}) {
    std::vector<std::uint8_t> changed = saved;
    changed[at] ^= 0x5a;
    EXPECT_FALSE(BuildFontAtlasFromSaved(*FontsAt(1.0f), changed.data(), changed.size())) << "byte " << at << " changed";
  }
  // An absurd texture size or glyph count is refused before anything is allocated for it.
  std::vector<std::uint8_t> huge = saved;
  const std::int32_t side = 1 << 20;
  std::memcpy(huge.data() + 16, &side, sizeof(side));
  EXPECT_FALSE(BuildFontAtlasFromSaved(*FontsAt(1.0f), huge.data(), huge.size()));
}

}  // namespace
