// The tutor's theme, fonts by role, font-unit sizing and number formatting for the panels.
#include "ui_theme.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <list>

namespace convtutor::app {

namespace {

ImVec4 Rgb(int red, int green, int blue, float alpha = 1.0f) {
  return ImVec4(static_cast<float>(red) / 255.0f, static_cast<float>(green) / 255.0f,
                static_cast<float>(blue) / 255.0f, alpha);
}

ImFont* FontAt(int index) {
  const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  if (atlas->Fonts.Size > index) return atlas->Fonts[index];
  return atlas->Fonts.Size > 0 ? atlas->Fonts[0] : nullptr;
}

float Channel(ImU32 colour, int shift) { return static_cast<float>((colour >> shift) & 0xFF); }

}  // namespace

ImU32 Mix(ImU32 from, ImU32 to, float amount) {
  auto lerp = [&](int shift) {
    const float value = Channel(from, shift) + (Channel(to, shift) - Channel(from, shift)) * amount;
    return static_cast<ImU32>(std::lround(value)) << shift;
  };
  return lerp(IM_COL32_R_SHIFT) | lerp(IM_COL32_G_SHIFT) | lerp(IM_COL32_B_SHIFT) | (0xFFu << IM_COL32_A_SHIFT);
}

void ApplyTheme(float font_size) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  const float em = font_size;
  style.WindowPadding = ImVec2(0.9f * em, 0.8f * em);
  style.FramePadding = ImVec2(0.55f * em, 0.3f * em);
  style.ItemSpacing = ImVec2(0.55f * em, 0.45f * em);
  style.ItemInnerSpacing = ImVec2(0.4f * em, 0.3f * em);
  style.CellPadding = ImVec2(0.4f * em, 0.2f * em);
  style.IndentSpacing = 1.2f * em;
  style.ScrollbarSize = 0.75f * em;
  style.GrabMinSize = 0.7f * em;
  style.WindowRounding = 0.0f;
  style.ChildRounding = 0.4f * em;
  style.FrameRounding = 0.3f * em;
  style.PopupRounding = 0.3f * em;
  style.ScrollbarRounding = 0.4f * em;
  style.GrabRounding = 0.3f * em;
  style.TabRounding = 0.3f * em;
  style.WindowBorderSize = 0.0f;
  style.ChildBorderSize = 1.0f;
  style.FrameBorderSize = 0.0f;

  ImVec4* colour = style.Colors;
  colour[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(colours::kText);
  colour[ImGuiCol_TextDisabled] = Rgb(134, 142, 150);
  colour[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(colours::kBackground);
  colour[ImGuiCol_ChildBg] = ImGui::ColorConvertU32ToFloat4(colours::kPanel);
  colour[ImGuiCol_PopupBg] = Rgb(255, 255, 255);
  colour[ImGuiCol_Border] = Rgb(222, 226, 230);
  colour[ImGuiCol_FrameBg] = Rgb(241, 243, 245);
  colour[ImGuiCol_FrameBgHovered] = Rgb(233, 236, 239);
  colour[ImGuiCol_FrameBgActive] = Rgb(222, 226, 230);
  colour[ImGuiCol_TitleBg] = Rgb(246, 246, 243);
  colour[ImGuiCol_TitleBgActive] = Rgb(246, 246, 243);
  colour[ImGuiCol_MenuBarBg] = Rgb(255, 255, 255);
  colour[ImGuiCol_ScrollbarBg] = Rgb(0, 0, 0, 0.0f);
  colour[ImGuiCol_ScrollbarGrab] = Rgb(206, 212, 218);
  colour[ImGuiCol_ScrollbarGrabHovered] = Rgb(173, 181, 189);
  colour[ImGuiCol_ScrollbarGrabActive] = Rgb(134, 142, 150);
  colour[ImGuiCol_CheckMark] = Rgb(112, 72, 232);
  colour[ImGuiCol_SliderGrab] = Rgb(112, 72, 232);
  colour[ImGuiCol_SliderGrabActive] = Rgb(95, 61, 196);
  colour[ImGuiCol_Button] = Rgb(241, 243, 245);
  colour[ImGuiCol_ButtonHovered] = Rgb(229, 219, 255);
  colour[ImGuiCol_ButtonActive] = Rgb(208, 191, 255);
  colour[ImGuiCol_Header] = Rgb(229, 219, 255);
  colour[ImGuiCol_HeaderHovered] = Rgb(218, 205, 255);
  colour[ImGuiCol_HeaderActive] = Rgb(208, 191, 255);
  colour[ImGuiCol_Separator] = Rgb(222, 226, 230);
  colour[ImGuiCol_Tab] = Rgb(241, 243, 245);
  colour[ImGuiCol_TabHovered] = Rgb(229, 219, 255);
  colour[ImGuiCol_TabActive] = Rgb(255, 255, 255);
  colour[ImGuiCol_TableHeaderBg] = Rgb(248, 249, 250);
  colour[ImGuiCol_TableBorderLight] = Rgb(233, 236, 239);
  colour[ImGuiCol_TableBorderStrong] = Rgb(222, 226, 230);
  colour[ImGuiCol_TableRowBgAlt] = Rgb(248, 249, 250);
  colour[ImGuiCol_TextSelectedBg] = Rgb(112, 72, 232, 0.25f);
  colour[ImGuiCol_NavHighlight] = Rgb(112, 72, 232);
  ImGui::GetStyle() = style;
}

ImFont* BodyFont() { return FontAt(0); }
ImFont* BoldFont() { return FontAt(1); }
ImFont* MonoFont() { return FontAt(2); }
ImFont* HeadingFont() { return FontAt(3); }

float Em(float count) { return count * ImGui::GetFontSize(); }
ImVec2 Em(float width, float height) { return ImVec2(Em(width), Em(height)); }

ImU32 ValueColour(float value, float max_abs) {
  if (std::isnan(value)) return colours::kPending;
  if (max_abs <= 0.0f) return colours::kNeutral;
  float amount = std::fabs(value) / max_abs;
  if (amount > 1.0f) amount = 1.0f;
  // A square-root ramp keeps small values visibly tinted next to one large value.
  amount = 0.85f * std::sqrt(amount);
  return Mix(colours::kNeutral, value < 0.0f ? colours::kNegative : colours::kPositive, amount);
}

ValueScale::ValueScale(float max_abs, ImU32 towards, float fade) : max_abs_(max_abs), towards_(towards), fade_(fade) {
  for (int step = 0; step <= kSteps; ++step) {
    const float value = max_abs * static_cast<float>(step) / static_cast<float>(kSteps);
    positive_[step] = ValueColour(value, max_abs);
    negative_[step] = ValueColour(-value, max_abs);
    if (fade > 0.0f) {
      positive_[step] = Mix(positive_[step], towards, fade);
      negative_[step] = Mix(negative_[step], towards, fade);
    }
  }
}

const ValueScale& SharedValueScale(float max_abs, ImU32 towards, float fade) {
  // Most recently used first. A list, so a scale in use keeps its place in memory while another
  // is looked up; more than the scales one frame uses (input, written and pending output).
  static std::list<ValueScale> recent;
  constexpr std::size_t kKept = 6;
  for (auto scale = recent.begin(); scale != recent.end(); ++scale) {
    if (scale->Matches(max_abs, towards, fade)) {
      recent.splice(recent.begin(), recent, scale);
      return recent.front();
    }
  }
  if (recent.size() == kKept) recent.pop_back();
  return recent.emplace_front(max_abs, towards, fade);
}

ImU32 PixelColour(float value, int channel, int channels) {
  if (std::isnan(value)) return colours::kPending;
  const auto level = static_cast<ImU32>(std::lround(std::clamp(value, 0.0f, 1.0f) * 255.0f));
  if (channels != 3) return IM_COL32(level, level, level, 255);
  return IM_COL32(channel == 0 ? level : 0u, channel == 1 ? level : 0u, channel == 2 ? level : 0u, 255);
}

ImU32 TextColourOn(ImU32 background) {
  const float luminance = 0.299f * Channel(background, IM_COL32_R_SHIFT) +
                          0.587f * Channel(background, IM_COL32_G_SHIFT) +
                          0.114f * Channel(background, IM_COL32_B_SHIFT);
  return luminance < 150.0f ? IM_COL32(255, 255, 255, 255) : colours::kText;
}

std::string FormatValue(float value) {
  if (std::isnan(value)) return "\xE2\x80\x93";  // en dash: no value yet
  char text[32] = {};
  const double rounded = std::round(static_cast<double>(value));
  // Whole numbers, most of the values on screen, are written as integers: printf's float
  // formatting is the costlier part of a frame that shows many cells. Same text as "%.0f".
  constexpr double kLargestWrittenAsInteger = 1e15;
  if (std::fabs(static_cast<double>(value) - rounded) < 1e-4 && std::fabs(rounded) < kLargestWrittenAsInteger) {
    std::to_chars(text, text + sizeof text - 1, static_cast<long long>(std::fabs(rounded)));
  } else if (std::fabs(static_cast<double>(value) - rounded) < 1e-4) {
    std::snprintf(text, sizeof text, "%.0f", std::fabs(rounded));
  } else if (std::fabs(static_cast<double>(value)) >= 100.0) {
    std::snprintf(text, sizeof text, "%.1f", std::fabs(static_cast<double>(value)));
  } else {
    std::snprintf(text, sizeof text, "%.3g", std::fabs(static_cast<double>(value)));
  }
  const bool negative = value < 0.0f && std::string(text) != "0";
  return negative ? std::string("\xE2\x88\x92") + text : std::string(text);  // U+2212 minus
}

std::string FormatCount(long long count) {
  std::string digits = std::to_string(count < 0 ? -count : count);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return count < 0 ? "-" + text : text;
}

void SectionTitle(const char* text) {
  ImGui::PushFont(BoldFont());
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

bool OpenPictureButton(const char* id, bool picker) {
  if (!picker) {
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drop a PNG, JPEG, BMP or GIF on the window to open it");
    return false;
  }
  const bool pressed = ImGui::Button((std::string("Open\xE2\x80\xA6##") + id).c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Open a PNG, JPEG, BMP or GIF of your own (or drop one on the page)");
  return pressed;
}

void MutedText(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kMutedText));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

bool BeginForm(const char* id) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_NoSavedSettings)) return false;
  ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, Em(6.5f));
  ImGui::TableSetupColumn("control", ImGuiTableColumnFlags_WidthStretch);
  return true;
}

void FormLabel(const char* text) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::AlignTextToFramePadding();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kMutedText));
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
  ImGui::TableSetColumnIndex(1);
  ImGui::SetNextItemWidth(-1.0f);
}

void HiddenValue(const std::string& note) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kAccent));
  ImGui::TextUnformatted("?");
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", note.c_str());
}

int GrowString(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* text = static_cast<std::string*>(data->UserData);
    text->resize(static_cast<std::size_t>(data->BufTextLen));
    data->Buf = text->data();
  }
  return 0;
}

}  // namespace convtutor::app
