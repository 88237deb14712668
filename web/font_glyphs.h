// The characters the tutor's fonts are rasterised with: Dear ImGui draws any other as "?". Shared by
// the platform, which loads the fonts, and the App test that holds every lesson and every text the
// App draws to them. Each glyph costs start-up time (all are rasterised before the first frame), so
// the sets are what lessons and formulas use, with room for common maths a teacher may write.
// web/CMakeLists.txt cuts the font files down to the same ranges (FONT_LATIN, FONT_SYMBOLS).
#pragma once

#include <imgui.h>

namespace convtutor::app {

// Noto Sans: ASCII and Latin-1 (× ·), Greek letters, dashes, quotes, bullets, ellipsis, primes,
// super- and subscripts. Pairs of first and last code point, ending in 0.
inline constexpr ImWchar kTextGlyphs[] = {0x0020, 0x007E, 0x00A0, 0x00FF, 0x0391, 0x03A9, 0x03B1, 0x03C9,
                                          0x2010, 0x2027, 0x2030, 0x203A, 0x2070, 0x209F, 0};
// From DejaVu Sans, merged into the Noto fonts: arrows, maths (− ∑ √ ∞ ≈ ≠ ≤ ≥ ⊙ ⋅), floor and
// ceiling brackets, squares and circles.
inline constexpr ImWchar kSymbolGlyphs[] = {0x2190, 0x2199, 0x21D0, 0x21D5, 0x2200, 0x222B, 0x2248, 0x2248,
                                            0x2260, 0x2265, 0x2295, 0x2299, 0x22C5, 0x22C5, 0x2308, 0x230B,
                                            0x25A0, 0x25CF, 0};
// JetBrains Mono has its own symbols: it takes both sets.
inline constexpr ImWchar kMonoGlyphs[] = {0x0020, 0x007E, 0x00A0, 0x00FF, 0x0391, 0x03A9, 0x03B1, 0x03C9,
                                          0x2010, 0x2027, 0x2030, 0x203A, 0x2070, 0x209F, 0x2190, 0x2199,
                                          0x21D0, 0x21D5, 0x2200, 0x222B, 0x2248, 0x2248, 0x2260, 0x2265,
                                          0x2295, 0x2299, 0x22C5, 0x22C5, 0x2308, 0x230B, 0x25A0, 0x25CF, 0};

// Whether the text fonts draw `codepoint` as itself (the line breaks and tabs of text count too).
inline bool FontsDraw(unsigned int codepoint) {
  if (codepoint == '\n' || codepoint == '\t' || codepoint == '\r') return true;
  for (const ImWchar* ranges : {kTextGlyphs, kSymbolGlyphs}) {
    for (const ImWchar* range = ranges; range[0] != 0; range += 2) {
      if (codepoint >= range[0] && codepoint <= range[1]) return true;
    }
  }
  return false;
}

}  // namespace convtutor::app
