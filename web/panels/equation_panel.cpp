// Lays out the equation of one output cell as coloured tokens that wrap like text: summed terms
// in the body colour, the current product highlighted in the accent, terms still to come muted.
#include "equation_panel.h"

#include <string>

#include <imgui.h>

#include "grid_panel.h"
#include "ui_theme.h"

namespace convtutor::app {

namespace {

enum class Tone { kDone, kCurrent, kPending, kResult };

// Places tokens left to right from the cursor, starting a new line when one does not fit.
// Each line may start with a label in a left column of width `indent`; tokens wrap to it.
class TokenFlow {
 public:
  explicit TokenFlow(float indent)
      : origin_(ImGui::GetCursorScreenPos()), cursor_(origin_.x + indent, origin_.y), indent_(indent) {
    right_ = origin_.x + ImGui::GetContentRegionAvail().x;
    line_height_ = ImGui::GetFontSize() * 1.55f;
    const ImDrawList* draw = ImGui::GetWindowDrawList();
    visible_top_ = draw->GetClipRectMin().y - line_height_;
    visible_bottom_ = draw->GetClipRectMax().y + line_height_;
  }

  // Starts a line with `text` in the label column.
  void Label(const std::string& text, bool current = false) {
    if (line_used_) NewLine();
    if (current) current_top_ = cursor_.y;  // a channel step: the card follows its line
    if (LineVisible()) {
      ImGui::GetWindowDrawList()->AddText(BoldFont(), ImGui::GetFontSize(), ImVec2(origin_.x, cursor_.y),
                                          current ? colours::kAccent : colours::kMutedText, text.c_str());
    }
    line_used_ = true;
  }

  void Add(const std::string& text, Tone tone) {
    ImFont* font = tone == Tone::kResult ? BoldFont() : MonoFont();
    const float size = ImGui::GetFontSize();
    const ImVec2 extent = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str());
    if (cursor_.x + extent.x > right_ && line_used_) NewLine();
    if (tone == Tone::kCurrent) current_top_ = cursor_.y;
    // A line scrolled out of the card is laid out but not drawn (a deep layer has thousands).
    if (LineVisible()) {
      ImDrawList* draw = ImGui::GetWindowDrawList();
      const float pad = size * 0.2f;
      if (tone == Tone::kCurrent || tone == Tone::kResult) {
        draw->AddRectFilled(ImVec2(cursor_.x - pad, cursor_.y - pad * 0.5f),
                            ImVec2(cursor_.x + extent.x + pad, cursor_.y + extent.y + pad * 0.5f),
                            tone == Tone::kCurrent ? colours::kAccent : colours::kAccentSoft, size * 0.25f);
      }
      ImU32 colour = colours::kText;
      if (tone == Tone::kCurrent) colour = IM_COL32(255, 255, 255, 255);
      if (tone == Tone::kPending) colour = IM_COL32(173, 181, 189, 255);
      draw->AddText(font, size, cursor_, colour, text.c_str());
    }
    cursor_.x += extent.x + size * 0.35f;
    line_used_ = true;
    if (cursor_.x - origin_.x > width_) width_ = cursor_.x - origin_.x;
  }

  bool LineVisible() const { return cursor_.y >= visible_top_ && cursor_.y <= visible_bottom_; }

  void NewLine() {
    cursor_.x = origin_.x + indent_;
    cursor_.y += line_height_;
    line_used_ = false;
  }

  // Reserves the space used so ImGui's layout continues below, and scrolls the current token
  // into view when a long equation has pushed it out of its card.
  void Finish(bool follow) {
    ImGui::Dummy(ImVec2(width_, cursor_.y - origin_.y + line_height_));
    if (!follow || current_top_ < 0.0f) return;
    const float window_top = ImGui::GetWindowPos().y;
    const float visible = ImGui::GetWindowHeight();
    const float token_y = current_top_ - window_top;  // from the window's top edge, as drawn
    if (token_y < line_height_ || token_y > visible - 2.0f * line_height_) {
      ImGui::SetScrollY(ImGui::GetScrollY() + token_y - visible * 0.4f);
    }
  }

 private:
  ImVec2 origin_;
  ImVec2 cursor_;
  float indent_ = 0.0f;
  float right_ = 0.0f;
  float line_height_ = 0.0f;
  float width_ = 0.0f;
  bool line_used_ = false;
  float current_top_ = -1.0f;  // screen y of the current token; < 0 when none
  float visible_top_ = 0.0f, visible_bottom_ = 0.0f;  // the card's visible lines, one line of margin
};

// A factor as written in an equation: negatives in parentheses.
std::string Factor(float value) {
  const std::string text = FormatValue(value);
  return value < 0.0f && text != "0" ? "(" + text + ")" : text;
}

Tone TermTone(const CellWork& work, int index) {
  if (index == work.current_term) return Tone::kCurrent;
  return index < work.terms_done ? Tone::kDone : Tone::kPending;
}

// "→ sum so far 12": the running sum across channels, after a channel's line.
std::string SumSoFar(float running) { return "\xE2\x86\x92 sum so far " + FormatValue(running); }

// "channels 64–511": input channels [first, end).
std::string ChannelRun(int first, int end) {
  return "channels " + std::to_string(first) + "\xE2\x80\x93" + std::to_string(end - 1);
}

void DrawConvolution(const SceneData& data, const CellWork& work, TokenFlow& flow) {
  // The channels the cell's filter sees: all of them, or its group's in a grouped convolution.
  const int first_channel = FirstGroupChannel(data.scene, work.step.out_channel);
  const int channels = data.scene.weights.channels;
  const std::string middle_dot = "\xC2\xB7";
  // Past kMaxShownGrids channels, a line for each channel of the page holding the one the step is
  // on (as the stage shows them), and one line for the channels before and one for those after.
  const bool per_channel_step = ReadsOneChannel(work.step);
  const GridPage page = PageHolding(channels, per_channel_step ? work.step.channel - first_channel : -1);
  if (page.first > 0) {
    flow.Label("");
    flow.Add(ChannelRun(first_channel, first_channel + page.first), Tone::kDone);
    flow.Add(SumSoFar(work.channel_sums[static_cast<std::size_t>(page.first - 1)].running),
             Tone::kDone);
  }
  // The terms and the channel sums both come in channel order: each channel's are the next run
  // (one pass, however many channels: a deep layer's cell has thousands of terms).
  const int term_count = static_cast<int>(work.terms.size());
  int next_term = 0;
  std::size_t next_sum = static_cast<std::size_t>(page.first);
  while (next_term < term_count && work.terms[static_cast<std::size_t>(next_term)].channel < first_channel + page.first) {
    ++next_term;
  }
  for (int channel = first_channel + page.first; channel < first_channel + page.first + page.count; ++channel) {
    // At the channel level the channel just added is the current one.
    const bool current_channel = work.step.kind == StepKind::kChannel && work.step.channel == channel;
    flow.Label("channel " + std::to_string(channel), current_channel);
    bool first = true;
    int last_index = -1;
    for (; next_term < term_count && work.terms[static_cast<std::size_t>(next_term)].channel == channel; ++next_term) {
      const WindowTerm& term = work.terms[static_cast<std::size_t>(next_term)];
      const Tone tone = TermTone(work, next_term);
      std::string text = first ? "" : "+ ";
      text += (term.padded ? std::string("0") : Factor(term.input)) + middle_dot + Factor(term.weight);
      flow.Add(text, tone);
      first = false;
      last_index = next_term;
    }
    // The running sum across channels, from the core's channel steps, once this channel is in.
    const bool channel_done = last_index >= 0 && last_index < work.terms_done;
    for (; next_sum < work.channel_sums.size() && work.channel_sums[next_sum].channel == channel; ++next_sum) {
      const float running = work.channel_sums[next_sum].running;
      if (!channel_done) continue;
      flow.Add(channel == 0 ? "= " + FormatValue(running) : SumSoFar(running),
               Tone::kDone);
    }
  }
  if (page.first + page.count < channels) {
    const bool all_done = work.terms_done >= term_count;
    flow.Label("");
    flow.Add(ChannelRun(first_channel + page.first + page.count, first_channel + channels),
             all_done ? Tone::kDone : Tone::kPending);
    flow.Add(all_done ? SumSoFar(work.channel_sums.back().running) : "still to add",
             all_done ? Tone::kDone : Tone::kPending);
  }
  if (work.current_term >= 0) {
    flow.Label("so far");
    flow.Add(FormatValue(work.step.partial), Tone::kResult);
  }
  if (work.has_bias_step) {
    const float before = work.channel_sums.empty() ? 0.0f : work.channel_sums.back().running;
    const Tone tone = work.bias_done ? Tone::kDone : Tone::kPending;
    flow.Label("bias");
    flow.Add(FormatValue(before) + " + " + Factor(data.scene.bias[static_cast<std::size_t>(work.step.out_channel)]) +
                 " = " + FormatValue(work.after_bias),
             work.step.kind == StepKind::kBias ? Tone::kCurrent : tone);
  }
  if (work.has_activation_step) {
    const float before = work.has_bias_step ? work.after_bias
                                            : (work.channel_sums.empty() ? 0.0f : work.channel_sums.back().running);
    const Tone tone = work.activation_done ? Tone::kDone : Tone::kPending;
    flow.Label(ActivationName(data.scene.layer.activation));
    flow.Add("max(0, " + FormatValue(before) + ") = " + FormatValue(work.after_activation),
             work.step.kind == StepKind::kActivation ? Tone::kCurrent : tone);
  }
}

void DrawPooling(const SceneData& data, const CellWork& work, TokenFlow& flow) {
  const bool max_pool = data.scene.layer.op == Op::kMaxPool2d;
  const bool skips_padding = PoolingSkipsPadding(data.scene.layer);
  flow.Label(max_pool ? "max of" : "mean of");
  for (int i = 0; i < static_cast<int>(work.terms.size()); ++i) {
    const WindowTerm& term = work.terms[static_cast<std::size_t>(i)];
    const Tone tone = TermTone(work, i);
    const bool last = i + 1 == static_cast<int>(work.terms.size());
    const std::string shown = !term.padded ? FormatValue(term.input) : skips_padding ? "pad" : "0";
    const std::string text = shown + (last ? "" : ",");
    flow.Add(text, tone == Tone::kDone && term.padded ? Tone::kPending : tone);
  }
  if (work.current_term >= 0) {
    flow.Label("so far");
    flow.Add(FormatValue(work.step.partial), Tone::kResult);
  }
}

}  // namespace

void DrawEquationPanel(const SceneData& data, const CellWork& work, bool follow) {
  const Step& step = work.step;
  const bool pooling = IsPooling(data.scene.layer.op);
  ImGui::PushFont(BoldFont());
  ImGui::Text("%s %d, row %d, column %d", pooling ? "Channel" : "Map", step.out_channel, step.out_row, step.out_col);
  ImGui::PopFont();
  ImGui::SameLine();
  if (work.cell_finished) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colours::kAccent), "= %s", FormatValue(step.value).c_str());
  } else {
    MutedText("being written");
  }
  ImGui::Spacing();
  // The label column fits the longest label: "channel 00", or "channel 511" over 512 channels.
  const int last_channel = data.scene.input.channels - 1;
  ImGui::PushFont(BoldFont());
  const float indent = ImGui::CalcTextSize(last_channel < 100 ? "channel 00" : ("channel " + std::to_string(last_channel)).c_str()).x +
                       Em(0.6f);
  ImGui::PopFont();
  // The terms scroll under the heading, which stays in view.
  if (ImGui::BeginChild("##terms", ImVec2(0.0f, 0.0f), false)) {
    TokenFlow flow(indent);
    if (pooling) {
      DrawPooling(data, work, flow);
    } else {
      DrawConvolution(data, work, flow);
    }
    flow.Finish(follow);
  }
  ImGui::EndChild();
}

}  // namespace convtutor::app
