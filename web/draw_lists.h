// Draws Dear ImGui's draw lists with OpenGL 3 (desktop) or WebGL 2 (browser), in place of Dear
// ImGui's own OpenGL backend: it sets every piece of GL state it needs each frame and reads none
// back, because in a browser each state query is a round trip to the GPU process that cost more
// than the whole frame's drawing. Also keeps the textures for grid pictures (platform::UploadImage).
#pragma once

#include <imgui.h>

#include <cstddef>
#include <cstdint>

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
  // Clears the framebuffer to `clear`, draws `data` over it and returns true; or, unless `force`,
  // returns false without a GL call when that would draw the picture already there: the same
  // vertices, indices, draw batches, viewport and clear colour as the last frame drawn, and no
  // texture uploaded since. A screen that does not change then costs the GPU nothing.
  bool Draw(const ImDrawData& data, const ImVec4& clear, bool force);

 private:
  // Draw commands that follow each other in the index buffer with the same texture and scissor box.
  struct Batch {
    unsigned texture = 0;
    int scissor[4] = {0, 0, 0, 0};
    std::size_t first_index = 0;
    std::size_t count = 0;
  };
  // What, beside the buffers, decides the picture a frame draws.
  struct FrameSettings {
    int framebuffer_width = 0;
    int framebuffer_height = 0;
    float projection[16] = {};
    float clear[4] = {};
    std::uint64_t texture_uploads = 0;  // TextureUploads() when it was drawn
  };
  // Fills vertices_, indices_ and batches_ from `data`, with no GL call.
  void Gather(const ImDrawData& data, const FrameSettings& settings);
  bool SameAsDrawn(const FrameSettings& settings) const;

  unsigned program_ = 0;
  int projection_location_ = -1;
  int texture_location_ = -1;
  unsigned vertex_array_ = 0;
  unsigned vertex_buffer_ = 0;
  unsigned index_buffer_ = 0;
  unsigned font_texture_ = 0;
  // Every list's vertices and indices end to end, so a frame uploads one buffer of each (a
  // browser's buffer upload costs more than its bytes), and its batches; beside them the last
  // frame drawn's, to compare with. ImVector, not std::vector: it grows without constructing each
  // element, which in the size-optimised web build is a call per element.
  ImVector<ImDrawVert> vertices_, drawn_vertices_;
  ImVector<ImDrawIdx> indices_, drawn_indices_;
  ImVector<Batch> batches_, drawn_batches_;
  FrameSettings drawn_settings_;
  bool drawn_ = false;  // drawn_* hold a frame
};

// A texture of width×height packed RGBA colours, sampled nearest-neighbour so cells stay square.
// `texture` is 0 to make a new one (returned); `resize` re-allocates it instead of overwriting.
unsigned UploadTexture(unsigned texture, const std::uint32_t* pixels, int width, int height, bool resize);
// Overwrites rows first_row … first_row + row_count - 1 of a texture `width` colours wide.
void UploadTextureRows(unsigned texture, const std::uint32_t* pixels, int width, int first_row, int row_count);
void DeleteTexture(unsigned texture);
// How many times any texture was made, written or deleted (fonts included), so far.
std::uint64_t TextureUploads();

}  // namespace convtutor::platform
