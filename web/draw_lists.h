// Draws Dear ImGui's draw lists with OpenGL 3 (desktop) or WebGL 2 (browser), in place of Dear
// ImGui's own OpenGL backend: it sets every piece of GL state it needs each frame and reads none
// back, because in a browser each state query is a round trip to the GPU process that cost more
// than the whole frame's drawing. Also keeps the textures for grid pictures (platform::UploadImage).
#pragma once

#include <imgui.h>

#include <cstdint>
#include <vector>

namespace convtutor::platform {

class DrawListRenderer {
 public:
  // Compiles the shader for `glsl_version` ("#version 300 es" for WebGL 2, "#version 130" for
  // OpenGL 3) and makes the buffers. Needs the GL context current; false (and a message on stderr)
  // when the shader does not compile. The fonts are uploaded separately, once they are built.
  bool Start(const char* glsl_version);
  void Stop();
  // Rasterises ImGui's font atlas into the font texture again (after the fonts were rebuilt).
  void UploadFonts();
  // Clears the framebuffer to `clear` and draws `data` over it.
  void Draw(const ImDrawData& data, const ImVec4& clear);

 private:
  unsigned program_ = 0;
  int projection_location_ = -1;
  int texture_location_ = -1;
  unsigned vertex_array_ = 0;
  unsigned vertex_buffer_ = 0;
  unsigned index_buffer_ = 0;
  unsigned font_texture_ = 0;
  // Every list's vertices and indices end to end, so a frame uploads one buffer of each (a
  // browser's buffer upload costs more than its bytes); kept to keep their memory between frames.
  std::vector<ImDrawVert> vertices_;
  std::vector<ImDrawIdx> indices_;
};

// A texture of width×height packed RGBA colours, sampled nearest-neighbour so cells stay square.
// `texture` is 0 to make a new one (returned); `resize` re-allocates it instead of overwriting.
unsigned UploadTexture(unsigned texture, const std::uint32_t* pixels, int width, int height, bool resize);
// Overwrites rows first_row … first_row + row_count - 1 of a texture `width` colours wide.
void UploadTextureRows(unsigned texture, const std::uint32_t* pixels, int width, int first_row, int row_count);
void DeleteTexture(unsigned texture);

}  // namespace convtutor::platform
