// The tutor's fonts (web/fonts.h): the four fonts added to Dear ImGui's atlas, and the atlas saved
// to bytes and built back from them. The bytes are little-endian as both platforms lay them out in
// memory (x86 and WebAssembly): "CTFA", the format version, a digest of the sources, the texture
// size, the atlas's custom rectangles, each font's metrics and glyphs, then the texture's alpha bytes.
#include "fonts.h"

#include <imgui_internal.h>

#include <cstdio>
#include <cstring>
#include <type_traits>

#include "font_glyphs.h"

namespace convtutor::app {
namespace {

// Font sizes in CSS pixels (logical units); they are rasterised at size × scale.
constexpr float kBodyFontSize = 17.0f;
constexpr float kMonoFontSize = 16.0f;
constexpr float kHeadingFontSize = 25.0f;

constexpr char kMagic[4] = {'C', 'T', 'F', 'A'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr int kLargestTexture = 8192;  // a side; what WebGL2 guarantees is smaller, this only bounds a damaged file

bool IsReadableFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return false;
  std::fclose(file);
  return true;
}

// One font (with the symbols merged in when asked), rasterised one sample per pixel: the glyphs
// are made at the screen's own pixel ratio, and ImGui's default of 3 samples across tripled the
// atlas build, the largest part of the start-up.
void AddFont(ImFontAtlas& atlas, const std::string& folder, const char* file, float size, const ImWchar* glyphs,
             bool merge_symbols) {
  const std::string path = folder + "/" + file;
  if (!IsReadableFile(path)) {
    std::fprintf(stderr, "convtutor: font %s not found; using the built-in font\n", path.c_str());
    ImFontConfig config;
    config.SizePixels = size;
    atlas.AddFontDefault(&config);
    return;
  }
  ImFontConfig config;
  config.OversampleH = 1;
  config.OversampleV = 1;
  atlas.AddFontFromFileTTF(path.c_str(), size, &config, glyphs);
  const std::string symbols = folder + "/DejaVuSans-Symbols.ttf";
  if (merge_symbols && IsReadableFile(symbols)) {
    ImFontConfig merge;
    merge.MergeMode = true;
    merge.OversampleH = 1;
    merge.OversampleV = 1;
    atlas.AddFontFromFileTTF(symbols.c_str(), size, &merge, kSymbolGlyphs);
  }
}

// FNV-1a over everything that decides the atlas's pixels and glyphs.
class Digest {
 public:
  void Add(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) value_ = (value_ ^ bytes[i]) * 0x100000001b3ULL;
  }
  template <class T>
  void AddValue(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    Add(&value, sizeof(value));
  }
  std::uint64_t Value() const { return value_; }

 private:
  std::uint64_t value_ = 0xcbf29ce484222325ULL;
};

std::uint64_t SourcesDigest(const ImFontAtlas& atlas) {
  Digest digest;
  digest.AddValue(IMGUI_VERSION_NUM);
  digest.AddValue(atlas.Flags);
  digest.AddValue(atlas.TexDesiredWidth);
  digest.AddValue(atlas.TexGlyphPadding);
  digest.AddValue(atlas.ConfigData.Size);
  for (const ImFontConfig& config : atlas.ConfigData) {
    digest.AddValue(config.FontDataSize);
    if (config.FontData != nullptr) digest.Add(config.FontData, static_cast<std::size_t>(config.FontDataSize));
    digest.AddValue(config.FontNo);
    digest.AddValue(config.SizePixels);
    digest.AddValue(config.OversampleH);
    digest.AddValue(config.OversampleV);
    digest.AddValue(config.PixelSnapH);
    digest.AddValue(config.GlyphExtraSpacing);
    digest.AddValue(config.GlyphOffset);
    for (const ImWchar* range = config.GlyphRanges; range != nullptr && *range != 0; ++range) digest.AddValue(*range);
    digest.AddValue(config.GlyphMinAdvanceX);
    digest.AddValue(config.GlyphMaxAdvanceX);
    digest.AddValue(config.MergeMode);
    digest.AddValue(config.FontBuilderFlags);
    digest.AddValue(config.RasterizerMultiply);
    digest.AddValue(config.EllipsisChar);
  }
  return digest.Value();
}

class Writer {
 public:
  template <class T>
  void Put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    PutBytes(&value, sizeof(value));
  }
  void PutBytes(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    bytes_.insert(bytes_.end(), bytes, bytes + size);
  }
  std::vector<std::uint8_t> Take() { return std::move(bytes_); }

 private:
  std::vector<std::uint8_t> bytes_;
};

// Reads values in order; once a read runs past the end every later one fails too.
class Reader {
 public:
  Reader(const std::uint8_t* bytes, std::size_t size) : bytes_(bytes), size_(size) {}
  template <class T>
  bool Get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    const std::uint8_t* source = Take(sizeof(value));
    if (source != nullptr) std::memcpy(&value, source, sizeof(value));
    return source != nullptr;
  }
  const std::uint8_t* Take(std::size_t size) {
    if (!ok_ || size_ - at_ < size) {
      ok_ = false;
      return nullptr;
    }
    const std::uint8_t* start = bytes_ + at_;
    at_ += size;
    return start;
  }
  bool AtEnd() const { return ok_ && at_ == size_; }

 private:
  const std::uint8_t* bytes_;
  std::size_t size_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

struct SavedGlyph {
  std::uint32_t codepoint = 0;
  float advance_x = 0.0f;
  float x0 = 0.0f, y0 = 0.0f, x1 = 0.0f, y1 = 0.0f;
  float u0 = 0.0f, v0 = 0.0f, u1 = 0.0f, v1 = 0.0f;
};

struct SavedFont {
  float ascent = 0.0f;
  float descent = 0.0f;
  std::vector<SavedGlyph> glyphs;
};

struct SavedRect {
  std::uint16_t x = 0, y = 0, width = 0, height = 0;
};

int FontIndex(const ImFontAtlas& atlas, const ImFont* font) {
  for (int i = 0; i < atlas.Fonts.Size; ++i) {
    if (atlas.Fonts[i] == font) return i;
  }
  return -1;
}

}  // namespace

void AddTutorFonts(ImFontAtlas& atlas, const std::string& font_folder, float scale) {
  AddFont(atlas, font_folder, "NotoSans-Regular.ttf", kBodyFontSize * scale, kTextGlyphs, true);
  AddFont(atlas, font_folder, "NotoSans-Bold.ttf", kBodyFontSize * scale, kTextGlyphs, true);
  AddFont(atlas, font_folder, "JetBrainsMono-Regular.ttf", kMonoFontSize * scale, kMonoGlyphs, false);
  AddFont(atlas, font_folder, "NotoSans-Bold.ttf", kHeadingFontSize * scale, kTextGlyphs, true);
}

std::vector<std::uint8_t> SavedFontAtlas(const ImFontAtlas& atlas) {
  if (atlas.TexPixelsAlpha8 == nullptr || !atlas.IsBuilt()) return {};
  Writer out;
  out.PutBytes(kMagic, sizeof(kMagic));
  out.Put(kFormatVersion);
  out.Put(SourcesDigest(atlas));
  out.Put(static_cast<std::int32_t>(atlas.TexWidth));
  out.Put(static_cast<std::int32_t>(atlas.TexHeight));
  out.Put(static_cast<std::int32_t>(atlas.CustomRects.Size));
  for (const ImFontAtlasCustomRect& rect : atlas.CustomRects) {
    out.Put(SavedRect{rect.X, rect.Y, rect.Width, rect.Height});
  }
  out.Put(static_cast<std::int32_t>(atlas.Fonts.Size));
  for (const ImFont* font : atlas.Fonts) {
    out.Put(font->Ascent);
    out.Put(font->Descent);
    out.Put(static_cast<std::int32_t>(font->Glyphs.Size));
    for (const ImFontGlyph& glyph : font->Glyphs) {
      out.Put(SavedGlyph{glyph.Codepoint, glyph.AdvanceX, glyph.X0, glyph.Y0, glyph.X1, glyph.Y1,
                         glyph.U0, glyph.V0, glyph.U1, glyph.V1});
    }
  }
  out.PutBytes(atlas.TexPixelsAlpha8, static_cast<std::size_t>(atlas.TexWidth) * static_cast<std::size_t>(atlas.TexHeight));
  return out.Take();
}

bool BuildFontAtlasFromSaved(ImFontAtlas& atlas, const std::uint8_t* saved, std::size_t size) {
  if (atlas.ConfigData.Size == 0 || atlas.Locked || saved == nullptr) return false;
  Reader in(saved, size);
  const std::uint8_t* magic = in.Take(sizeof(kMagic));
  std::uint32_t version = 0;
  std::uint64_t digest = 0;
  if (magic == nullptr || std::memcmp(magic, kMagic, sizeof(kMagic)) != 0 || !in.Get(version) ||
      version != kFormatVersion || !in.Get(digest) || digest != SourcesDigest(atlas)) {
    return false;
  }
  std::int32_t width = 0, height = 0, rect_count = 0, font_count = 0;
  if (!in.Get(width) || !in.Get(height) || width <= 0 || height <= 0 || width > kLargestTexture ||
      height > kLargestTexture || !in.Get(rect_count)) {
    return false;
  }
  // The mouse-cursor and line rectangles Build registers first: the file must have placed the same.
  ImFontAtlasBuildInit(&atlas);
  if (rect_count != atlas.CustomRects.Size) return false;
  std::vector<SavedRect> rects(static_cast<std::size_t>(rect_count));
  for (int i = 0; i < rect_count; ++i) {
    SavedRect& rect = rects[static_cast<std::size_t>(i)];
    if (!in.Get(rect) || rect.width != atlas.CustomRects[i].Width || rect.height != atlas.CustomRects[i].Height ||
        rect.x + rect.width > width || rect.y + rect.height > height) {
      return false;
    }
  }
  if (!in.Get(font_count) || font_count != atlas.Fonts.Size) return false;
  std::vector<SavedFont> fonts(static_cast<std::size_t>(font_count));
  for (SavedFont& font : fonts) {
    std::int32_t glyph_count = 0;
    if (!in.Get(font.ascent) || !in.Get(font.descent) || !in.Get(glyph_count) || glyph_count < 0 ||
        static_cast<std::size_t>(glyph_count) > size / sizeof(SavedGlyph)) {
      return false;
    }
    font.glyphs.resize(static_cast<std::size_t>(glyph_count));
    for (SavedGlyph& glyph : font.glyphs) {
      if (!in.Get(glyph) || glyph.codepoint > IM_UNICODE_CODEPOINT_MAX) return false;
    }
  }
  const std::size_t pixel_count = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  const std::uint8_t* pixels = in.Take(pixel_count);
  if (pixels == nullptr || !in.AtEnd()) return false;
  std::vector<int> font_of_config(static_cast<std::size_t>(atlas.ConfigData.Size));
  for (int i = 0; i < atlas.ConfigData.Size; ++i) {
    font_of_config[static_cast<std::size_t>(i)] = FontIndex(atlas, atlas.ConfigData[i].DstFont);
    if (font_of_config[static_cast<std::size_t>(i)] < 0) return false;
  }

  // Read whole: build the atlas as ImFontAtlasBuildWithStbTruetype does, with the saved results.
  atlas.TexID = nullptr;
  atlas.ClearTexData();
  atlas.TexWidth = width;
  atlas.TexHeight = height;
  atlas.TexUvScale = ImVec2(1.0f / static_cast<float>(width), 1.0f / static_cast<float>(height));
  atlas.TexUvWhitePixel = ImVec2(0.0f, 0.0f);
  atlas.TexPixelsAlpha8 = static_cast<unsigned char*>(IM_ALLOC(pixel_count));
  std::memcpy(atlas.TexPixelsAlpha8, pixels, pixel_count);
  for (int i = 0; i < rect_count; ++i) {
    atlas.CustomRects[i].X = rects[static_cast<std::size_t>(i)].x;
    atlas.CustomRects[i].Y = rects[static_cast<std::size_t>(i)].y;
  }
  for (int i = 0; i < atlas.ConfigData.Size; ++i) {
    const SavedFont& font = fonts[static_cast<std::size_t>(font_of_config[static_cast<std::size_t>(i)])];
    ImFontAtlasBuildSetupFont(&atlas, atlas.ConfigData[i].DstFont, &atlas.ConfigData[i], font.ascent, font.descent);
  }
  for (int f = 0; f < font_count; ++f) {
    ImFont* font = atlas.Fonts[f];
    for (const SavedGlyph& glyph : fonts[static_cast<std::size_t>(f)].glyphs) {
      // No config: the saved advance already has the config's clamping, snapping and spacing.
      font->AddGlyph(nullptr, static_cast<ImWchar>(glyph.codepoint), glyph.x0, glyph.y0, glyph.x1, glyph.y1, glyph.u0,
                     glyph.v0, glyph.u1, glyph.v1, glyph.advance_x);
    }
  }
  ImFontAtlasBuildFinish(&atlas);
  return true;
}

}  // namespace convtutor::app
