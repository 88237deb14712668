// Draws the core's Geometry as a small table plus the two derivations (rows, columns); the
// formulas and explanations are the core's own strings. Numbers an open exercise asks for are
// replaced by "?" (with a note) before anything is drawn.
#include "shape_panel.h"

#include <string>

#include <imgui.h>

#include "ui_theme.h"

namespace convtutor::app {

namespace {

using lessons::Ask;

const char* kTimes = " \xC3\x97 ";
const char* kHidden = "?";

// Collects the first open exercise among the parts of one fact, for its note.
class Hider {
 public:
  Hider(const lessons::Spoilers& spoilers, int scene_index) : spoilers_(spoilers), scene_index_(scene_index) {}

  // Whether an open exercise asks for this (remembered for the note).
  bool Hides(Ask ask) {
    const int exercise = spoilers_.SceneAsk(scene_index_, ask);
    if (exercise >= 0 && first_exercise_ < 0) first_exercise_ = exercise;
    return exercise >= 0;
  }
  // `shown`, or "?" while an open exercise asks for it.
  std::string Part(Ask ask, const std::string& shown) { return Hides(ask) ? kHidden : shown; }

  // The note for everything hidden since the last call.
  std::string TakeNote() {
    const std::string note = first_exercise_ < 0 ? std::string() : lessons::PredictFirstNote(first_exercise_);
    first_exercise_ = -1;
    return note;
  }

 private:
  const lessons::Spoilers& spoilers_;
  int scene_index_;
  int first_exercise_ = -1;
};

ShapeFact Derivation(const char* title, const AxisGeometry& axis, bool hidden, Hider& hider) {
  return ShapeFact{title, hidden ? kHidden : axis.formula, hidden ? std::string() : axis.explanation, hider.TakeNote()};
}

// One fact: a muted label and its value, side by side in a table row.
void Row(const ShapeFact& fact) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kMutedText));
  ImGui::TextUnformatted(fact.label.c_str());
  ImGui::PopStyleColor();
  ImGui::TableSetColumnIndex(1);
  ImGui::PushFont(MonoFont());
  ImGui::TextWrapped("%s", fact.value.c_str());
  ImGui::PopFont();
  if (!fact.note.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", fact.note.c_str());
}

void DrawDerivation(const ShapeFact& fact) {
  ImGui::PushFont(BoldFont());
  ImGui::TextUnformatted(fact.label.c_str());
  ImGui::PopFont();
  ImGui::SameLine(Em(5.0f) + ImGui::GetStyle().CellPadding.x);
  ImGui::PushFont(MonoFont());
  if (!fact.note.empty()) {
    HiddenValue(fact.note);
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colours::kAccent));
    ImGui::TextWrapped("%s", fact.value.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopFont();
  if (!fact.detail.empty()) MutedText(fact.detail.c_str());
}

}  // namespace

ShapeCard MakeShapeCard(const Scene& scene, const Geometry& geometry, const lessons::Spoilers& spoilers,
                        int scene_index) {
  Hider hider(spoilers, scene_index);
  ShapeCard card;
  const auto add = [&card, &hider](const char* label, const std::string& value) {
    card.facts.push_back(ShapeFact{label, value, std::string(), hider.TakeNote()});
  };
  add("Input", std::to_string(scene.input.channels) + kTimes + std::to_string(scene.input.height) + kTimes +
                   std::to_string(scene.input.width));
  add("Operation", OpName(scene.layer.op) + std::string(", padding ") + PaddingModeName(scene.layer.padding.mode));
  add("Padding", "top " + hider.Part(Ask::kPaddingRows, std::to_string(geometry.padding.top)) + ", bottom " +
                     hider.Part(Ask::kPaddingRows, std::to_string(geometry.padding.bottom)) + ", left " +
                     hider.Part(Ask::kPaddingCols, std::to_string(geometry.padding.left)) + ", right " +
                     hider.Part(Ask::kPaddingCols, std::to_string(geometry.padding.right)));
  add("Window", std::to_string(geometry.rows.kernel) + kTimes + std::to_string(geometry.cols.kernel) + ", stride " +
                    std::to_string(geometry.rows.stride) + kTimes + std::to_string(geometry.cols.stride) +
                    ", dilation " + std::to_string(geometry.rows.dilation) + kTimes +
                    std::to_string(geometry.cols.dilation));
  card.facts.push_back(OutputFact(geometry, spoilers, scene_index));
  add("Parameters", hider.Part(Ask::kParameters, FormatCount(static_cast<long long>(geometry.parameters))));
  add(IsPooling(scene.layer.op) ? "Window taps" : "Multiply-adds",
      hider.Part(Ask::kMultiplyAdds, FormatCount(static_cast<long long>(geometry.multiply_adds))));
  // A formula ends in the output size and is built from the padding: it states both.
  const bool rows_hidden = hider.Hides(Ask::kOutputHeight) || hider.Hides(Ask::kPaddingRows);
  card.rows = Derivation("Rows", geometry.rows, rows_hidden, hider);
  const bool cols_hidden = hider.Hides(Ask::kOutputWidth) || hider.Hides(Ask::kPaddingCols);
  card.cols = Derivation("Columns", geometry.cols, cols_hidden, hider);
  return card;
}

ShapeFact OutputFact(const Geometry& geometry, const lessons::Spoilers& spoilers, int scene_index) {
  Hider hider(spoilers, scene_index);
  const std::string value = hider.Part(Ask::kFeatureMaps, std::to_string(geometry.out_channels)) + kTimes +
                            hider.Part(Ask::kOutputHeight, std::to_string(geometry.out_height)) + kTimes +
                            hider.Part(Ask::kOutputWidth, std::to_string(geometry.out_width));
  return ShapeFact{"Output", value, std::string(), hider.TakeNote()};
}

void DrawShapePanel(const Scene& scene, const Geometry& geometry, const lessons::Spoilers& spoilers, int scene_index) {
  const ShapeCard card = MakeShapeCard(scene, geometry, spoilers, scene_index);
  const ImGuiTableFlags flags = ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_NoSavedSettings;
  // A narrow card gives the values more of its width.
  const float label_width = ImGui::GetContentRegionAvail().x < Em(20.0f) ? Em(5.0f) : Em(6.5f);
  if (ImGui::BeginTable("##shape", 2, flags)) {
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, label_width);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    for (const ShapeFact& fact : card.facts) Row(fact);
    ImGui::EndTable();
  }
  ImGui::Spacing();
  DrawDerivation(card.rows);
  DrawDerivation(card.cols);
}

}  // namespace convtutor::app
