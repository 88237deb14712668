// Placeholder App until the panels land: draws one window so the platform can be brought up.
#include "app.h"

#include <imgui.h>

namespace convtutor::app {

struct App::Impl {
  AppOptions options;
};

App::App(const AppOptions& options) : impl_(new Impl{options}) {}
App::~App() { delete impl_; }

void App::Frame(double /*seconds*/) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
  ImGui::Begin("Convolution tutor", nullptr, ImGuiWindowFlags_NoDecoration);
  ImGui::TextUnformatted("Convolution tutor");
  ImGui::End();
}

AutomationState App::State() const { return AutomationState{"intro", {"intro"}, 0, 1, "cell", false}; }
std::string App::Location() const { return "lesson=intro&step=0"; }
void App::OpenLocation(const std::string& /*location*/) {}

}  // namespace convtutor::app
