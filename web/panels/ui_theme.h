// The tutor's look: a calm light theme, the meaning-carrying colours (a diverging value scale,
// padding, the accent for the window and the cell it writes), fonts by role and font-unit sizes.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>

#include <imgui.h>

namespace convtutor::app {

// Colours with a meaning. Values use a blue-white-red scale (negative is blue, never black);
// the accent (violet) marks the kernel window and the output cell it writes.
namespace colours {
constexpr ImU32 kBackground = IM_COL32(246, 246, 243, 255);
constexpr ImU32 kPanel = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kText = IM_COL32(33, 37, 41, 255);
constexpr ImU32 kMutedText = IM_COL32(108, 117, 125, 255);
constexpr ImU32 kGridLine = IM_COL32(206, 212, 218, 255);
constexpr ImU32 kPadding = IM_COL32(233, 236, 239, 255);
constexpr ImU32 kPaddingHatch = IM_COL32(190, 197, 204, 255);
constexpr ImU32 kPending = IM_COL32(248, 249, 250, 255);
constexpr ImU32 kAccent = IM_COL32(112, 72, 232, 255);
constexpr ImU32 kAccentSoft = IM_COL32(112, 72, 232, 60);
constexpr ImU32 kAccentFaint = IM_COL32(112, 72, 232, 28);
constexpr ImU32 kError = IM_COL32(201, 42, 42, 255);
constexpr ImU32 kErrorSoft = IM_COL32(255, 236, 236, 255);
constexpr ImU32 kNegative = IM_COL32(33, 102, 172, 255);
constexpr ImU32 kPositive = IM_COL32(178, 24, 43, 255);
constexpr ImU32 kNeutral = IM_COL32(255, 255, 255, 255);
}  // namespace colours

// `from` moved `amount` (0 to 1) of the way to `to`, opaque.
ImU32 Mix(ImU32 from, ImU32 to, float amount);

// Styles ImGui for the tutor; spacing is in font units, so call again when the font size changes.
void ApplyTheme(float font_size);

// The fonts the platform loads, by role (io.Fonts order: body, bold, mono, heading). A missing
// font falls back to the body font so the App still runs with ImGui's default font alone.
ImFont* BodyFont();
ImFont* BoldFont();
ImFont* MonoFont();
ImFont* HeadingFont();

// `count` font heights in pixels: every layout size is a multiple of the font size.
float Em(float count);
ImVec2 Em(float width, float height);

// The diverging colour of `value` on a scale whose ends are ±`max_abs`.
ImU32 ValueColour(float value, float max_abs);
// ValueColour for the many cells of one grid against one max_abs: a table of steps per sign, so a
// photo's map of tens of thousands of cells costs a lookup a cell rather than a square root.
class ValueScale {
 public:
  // `fade` > 0 mixes every colour that far towards `towards` (cells not written yet).
  explicit ValueScale(float max_abs, ImU32 towards = 0, float fade = 0.0f);
  // Here, so that a grid's loop over its cells inlines it (the web build is size-optimised).
  ImU32 operator()(float value) const {
    if (std::isnan(value) || max_abs_ <= 0.0f) return ValueColour(value, max_abs_);
    const float amount = std::min(std::fabs(value) / max_abs_, 1.0f);
    const auto step = static_cast<int>(amount * static_cast<float>(kSteps) + 0.5f);
    return value < 0.0f ? negative_[step] : positive_[step];
  }
  bool Matches(float max_abs, ImU32 towards, float fade) const {
    return max_abs == max_abs_ && towards == towards_ && fade == fade_;
  }

 private:
  static constexpr int kSteps = 1024;
  float max_abs_ = 0.0f;
  ImU32 towards_ = 0;
  float fade_ = 0.0f;
  ImU32 negative_[kSteps + 1];
  ImU32 positive_[kSteps + 1];
};
// The ValueScale for these arguments, kept from frame to frame (the last few asked for): a grid's
// table is filled when its scene changes, not on every frame that draws it.
const ValueScale& SharedValueScale(float max_abs, ImU32 towards = 0, float fade = 0.0f);
// A picture's pixel (value = pixel / 255) as itself: gray from black to white for one channel; for
// three, channel 0, 1, 2 from black to red, green, blue (the colour that channel carries).
ImU32 PixelColour(float value, int channel, int channels);
// Dark text on light cells, white text on saturated ones.
ImU32 TextColourOn(ImU32 background);

// A number as a learner reads it: "7", "-1.5" (with a real minus sign), "0.333"; "–" for NaN.
std::string FormatValue(float value);
// A count with thousands separators: "1,234,567".
std::string FormatCount(long long count);

// A heading line in the heading font, and muted helper text.
void SectionTitle(const char* text);
void MutedText(const char* text);
// "Open…" for a picture of the learner's own (true when pressed), or, where the platform has no
// file picker, a "(?)" saying to drop one on the window. `id` keeps two such buttons apart.
bool OpenPictureButton(const char* id, bool picker);
// A labelled form (the sandbox's and the picture's): BeginForm opens a two-column table (EndTable
// closes it); FormLabel starts a row with a muted label and leaves the control to fill the rest.
bool BeginForm(const char* id);
void FormLabel(const char* text);
// The resize callback that lets ImGui::InputText* edit a std::string (flag CallbackResize, the
// string as user data).
int GrowString(ImGuiInputTextCallbackData* data);

// A number the learner is still asked to predict: a calm "?" whose tooltip says where to predict it.
void HiddenValue(const std::string& note);

}  // namespace convtutor::app
