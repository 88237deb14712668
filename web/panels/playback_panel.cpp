// Draws the transport bar with vector icons (crisp at any scale, no icon font needed), the
// scrubber and the speed and detail pickers, sized in font units.
#include "playback_panel.h"

#include <cstdio>
#include <string>

#include <imgui.h>

#include "ui_theme.h"

namespace convtutor::app {

namespace {

enum class Icon { kFirst, kBack, kPlay, kPause, kForward, kLast };

bool IconButton(const char* id, Icon icon, const char* tooltip, bool primary) {
  const float side = Em(primary ? 2.3f : 1.9f);
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const bool pressed = ImGui::InvisibleButton(id, ImVec2(side, side));
  const bool hovered = ImGui::IsItemHovered();
  const bool held = ImGui::IsItemActive();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 max(min.x + side, min.y + side);
  ImU32 fill = primary ? colours::kAccent : IM_COL32(241, 243, 245, 255);
  if (hovered) fill = primary ? IM_COL32(95, 61, 196, 255) : IM_COL32(229, 219, 255, 255);
  if (held) fill = primary ? IM_COL32(80, 50, 170, 255) : IM_COL32(208, 191, 255, 255);
  // Through the style's alpha, so a disabled bar (no steps) fades its buttons as ImGui's own.
  const auto faded = [](ImU32 colour) { return ImGui::GetColorU32(ImGui::ColorConvertU32ToFloat4(colour)); };
  draw->AddRectFilled(min, max, faded(fill), side * 0.5f);
  const ImU32 ink = faded(primary ? IM_COL32(255, 255, 255, 255) : colours::kText);
  const ImVec2 centre((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
  const float r = side * 0.2f;
  auto triangle_right = [&](float cx) {
    draw->AddTriangleFilled(ImVec2(cx - r * 0.8f, centre.y - r), ImVec2(cx - r * 0.8f, centre.y + r),
                            ImVec2(cx + r * 0.9f, centre.y), ink);
  };
  auto triangle_left = [&](float cx) {
    draw->AddTriangleFilled(ImVec2(cx + r * 0.8f, centre.y - r), ImVec2(cx + r * 0.8f, centre.y + r),
                            ImVec2(cx - r * 0.9f, centre.y), ink);
  };
  auto bar = [&](float cx) {
    draw->AddRectFilled(ImVec2(cx - r * 0.2f, centre.y - r), ImVec2(cx + r * 0.2f, centre.y + r), ink);
  };
  switch (icon) {
    case Icon::kFirst: bar(centre.x - r * 0.9f); triangle_left(centre.x + r * 0.2f); break;
    case Icon::kBack: triangle_left(centre.x); break;
    case Icon::kPlay: triangle_right(centre.x + r * 0.15f); break;
    case Icon::kPause: bar(centre.x - r * 0.45f); bar(centre.x + r * 0.45f); break;
    case Icon::kForward: triangle_right(centre.x); break;
    case Icon::kLast: triangle_right(centre.x - r * 0.2f); bar(centre.x + r * 0.9f); break;
  }
  if (hovered) ImGui::SetTooltip("%s", tooltip);
  return pressed;
}

std::string SpeedLabel(double speed) {
  char text[32];
  std::snprintf(text, sizeof text, speed < 1.0 ? "%.1f steps/s" : "%.0f steps/s", speed);
  return text;
}

// One segment of a segmented control; returns true when clicked.
bool Segment(const char* label, bool selected) {
  if (selected) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(colours::kAccent));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::ColorConvertU32ToFloat4(colours::kAccent));
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  }
  const bool clicked = ImGui::Button(label);
  if (selected) ImGui::PopStyleColor(3);
  return clicked && !selected;
}

}  // namespace

PlaybackRequest DrawPlaybackPanel(const PlaybackView& view) {
  PlaybackRequest request;
  // Without steps (an invalid sandbox layer) the controls stay visible but inert.
  ImGui::BeginDisabled(view.steps <= 0);
  const std::int64_t last = view.steps > 0 ? view.steps - 1 : 0;
  const float row_height = Em(2.3f);
  const float icon_small = Em(1.9f);
  const float start_y = ImGui::GetCursorPosY();
  auto centred = [&](float height) { ImGui::SetCursorPosY(start_y + (row_height - height) * 0.5f); };

  centred(icon_small);
  if (IconButton("##first", Icon::kFirst, "First step (Home)", false)) request.seek = 0;
  ImGui::SameLine();
  centred(icon_small);
  if (IconButton("##back", Icon::kBack, "Step back (Left)", false) && view.step > 0) request.seek = view.step - 1;
  ImGui::SameLine();
  centred(row_height);
  if (IconButton("##play", view.playing ? Icon::kPause : Icon::kPlay, view.playing ? "Pause (Space)" : "Play (Space)",
                 true)) {
    request.toggle_play = true;
  }
  ImGui::SameLine();
  centred(icon_small);
  if (IconButton("##forward", Icon::kForward, "Step forward (Right)", false) && view.step < last) {
    request.seek = view.step + 1;
  }
  ImGui::SameLine();
  centred(icon_small);
  if (IconButton("##last", Icon::kLast, "Last step (End)", false)) request.seek = last;
  ImGui::SameLine(0.0f, Em(1.0f));

  // Right-hand controls are measured first so the scrubber takes whatever width is left.
  const char* level_labels[] = {"Cell", "Channel", view.pooling ? "Tap" : "Multiply-add"};
  const Level levels[] = {Level::kCell, Level::kChannel, Level::kTerm};
  const ImGuiStyle& style = ImGui::GetStyle();
  float levels_width = 0.0f;
  for (int i = 0; i < 3; ++i) {
    if (view.pooling && levels[i] == Level::kChannel) continue;
    levels_width += ImGui::CalcTextSize(level_labels[i]).x + style.FramePadding.x * 2.0f + Em(0.15f);
  }
  const float speed_width = Em(8.0f);
  const std::string counter =
      view.steps > 0 ? "step " + FormatCount(view.step + 1) + " of " +
                           (view.steps_note.empty() ? FormatCount(view.steps) : std::string("?"))
                     : "no steps";
  ImGui::PushFont(MonoFont());
  const float counter_width = ImGui::CalcTextSize(counter.c_str()).x;
  ImGui::PopFont();
  const float right_width = counter_width + speed_width + levels_width + Em(3.0f);
  const float scrub_width = ImGui::GetContentRegionAvail().x - right_width;

  const float frame_height = ImGui::GetFrameHeight();
  centred(frame_height);
  ImGui::SetNextItemWidth(scrub_width > Em(6.0f) ? scrub_width : Em(6.0f));
  std::int64_t scrub = view.step;
  const std::int64_t first = 0;
  // With no steps the slider's range is empty and its grab would fill the whole track: hidden.
  const bool empty_track = view.steps <= 0;
  if (empty_track) ImGui::PushStyleColor(ImGuiCol_SliderGrab, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  if (ImGui::SliderScalar("##timeline", ImGuiDataType_S64, &scrub, &first, &last, "")) request.seek = scrub;
  if (empty_track) ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag to scrub through every step");
  ImGui::SameLine();
  centred(ImGui::GetTextLineHeight());
  ImGui::PushFont(MonoFont());
  ImGui::TextUnformatted(counter.c_str());
  if (!view.steps_note.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", view.steps_note.c_str());
  ImGui::PopFont();

  ImGui::SameLine(0.0f, Em(1.0f));
  centred(frame_height);
  ImGui::SetNextItemWidth(speed_width);
  if (ImGui::BeginCombo("##speed", SpeedLabel(view.steps_per_second).c_str())) {
    for (double speed : kPlaybackSpeeds) {
      if (ImGui::Selectable(SpeedLabel(speed).c_str(), speed == view.steps_per_second)) {
        request.steps_per_second = speed;
      }
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed");

  ImGui::SameLine(0.0f, Em(1.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(Em(0.15f), style.ItemSpacing.y));
  for (int i = 0; i < 3; ++i) {
    if (view.pooling && levels[i] == Level::kChannel) continue;
    centred(frame_height);
    if (Segment(level_labels[i], view.level == levels[i])) {
      request.change_level = true;
      request.level = levels[i];
    }
    ImGui::SameLine();
  }
  ImGui::PopStyleVar();
  ImGui::EndDisabled();
  ImGui::NewLine();
  ImGui::SetCursorPosY(start_y + row_height + style.ItemSpacing.y);
  return request;
}

}  // namespace convtutor::app
