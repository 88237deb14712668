// The draw-list renderer of draw_lists.h. Which GL header it compiles against (GL ES 3 for the
// browser, the OpenGL core profile for the desktop) comes from the build as CONVTUTOR_GL_HEADER,
// so this file has no platform branches; the GLSL version comes from web/platform.cpp.
#include "draw_lists.h"

#include CONVTUTOR_GL_HEADER

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>

namespace convtutor::platform {
namespace {

// Attribute slots, bound by name before linking (GLSL 1.30 has no layout qualifiers).
constexpr GLuint kPositionSlot = 0;
constexpr GLuint kUvSlot = 1;
constexpr GLuint kColourSlot = 2;

constexpr const char* kVertexShader = R"(
precision highp float;
uniform mat4 projection;
in vec2 position;
in vec2 uv;
in vec4 colour;
out vec2 frag_uv;
out vec4 frag_colour;
void main() {
  frag_uv = uv;
  frag_colour = colour;
  gl_Position = projection * vec4(position, 0.0, 1.0);
}
)";

constexpr const char* kFragmentShader = R"(
precision mediump float;
uniform sampler2D picture;
in vec2 frag_uv;
in vec4 frag_colour;
out vec4 out_colour;
void main() {
  out_colour = frag_colour * texture(picture, frag_uv);
}
)";

GLuint CompileShader(GLenum kind, const char* glsl_version, const char* body) {
  const std::string source = std::string(glsl_version) + "\n" + body;
  const char* text = source.c_str();
  const GLuint shader = glCreateShader(kind);
  glShaderSource(shader, 1, &text, nullptr);
  glCompileShader(shader);
  GLint compiled = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &compiled);
  if (compiled != GL_TRUE) {
    char log[1024] = {};
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "convtutor-app: the draw-list shader does not compile: %s\n", log);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

GLuint AsTexture(ImTextureID id) { return static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(id)); }

GLuint NewTexture(GLint filter) {
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return texture;
}

}  // namespace

bool DrawListRenderer::Start(const char* glsl_version) {
  const GLuint vertex = CompileShader(GL_VERTEX_SHADER, glsl_version, kVertexShader);
  const GLuint fragment = CompileShader(GL_FRAGMENT_SHADER, glsl_version, kFragmentShader);
  if (vertex == 0 || fragment == 0) return false;
  program_ = glCreateProgram();
  glAttachShader(program_, vertex);
  glAttachShader(program_, fragment);
  glBindAttribLocation(program_, kPositionSlot, "position");
  glBindAttribLocation(program_, kUvSlot, "uv");
  glBindAttribLocation(program_, kColourSlot, "colour");
  glLinkProgram(program_);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  GLint linked = GL_FALSE;
  glGetProgramiv(program_, GL_LINK_STATUS, &linked);
  if (linked != GL_TRUE) {
    std::fprintf(stderr, "convtutor-app: the draw-list shaders do not link\n");
    return false;
  }
  projection_location_ = glGetUniformLocation(program_, "projection");
  texture_location_ = glGetUniformLocation(program_, "picture");

  // The vertex layout lives in the vertex array, so each frame only binds it.
  glGenVertexArrays(1, &vertex_array_);
  glGenBuffers(1, &vertex_buffer_);
  glGenBuffers(1, &index_buffer_);
  glBindVertexArray(vertex_array_);
  glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, index_buffer_);
  glEnableVertexAttribArray(kPositionSlot);
  glEnableVertexAttribArray(kUvSlot);
  glEnableVertexAttribArray(kColourSlot);
  const auto stride = static_cast<GLsizei>(sizeof(ImDrawVert));
  glVertexAttribPointer(kPositionSlot, 2, GL_FLOAT, GL_FALSE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(kUvSlot, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<const void*>(offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(kColourSlot, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        reinterpret_cast<const void*>(offsetof(ImDrawVert, col)));
  glBindVertexArray(0);

  ImGui::GetIO().BackendRendererName = "convtutor draw lists";
  return true;
}

void DrawListRenderer::Stop() {
  DeleteTexture(font_texture_);
  glDeleteBuffers(1, &vertex_buffer_);
  glDeleteBuffers(1, &index_buffer_);
  glDeleteVertexArrays(1, &vertex_array_);
  glDeleteProgram(program_);
  *this = DrawListRenderer{};
  ImGui::GetIO().Fonts->SetTexID(nullptr);
}

void DrawListRenderer::UploadFonts() {
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  DeleteTexture(font_texture_);
  // Linear sampling: Dear ImGui's anti-aliased lines read between the atlas's texels.
  font_texture_ = NewTexture(GL_LINEAR);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  ImGui::GetIO().Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(font_texture_)));
}

void DrawListRenderer::Draw(const ImDrawData& data, const ImVec4& clear) {
  const float scale_x = data.FramebufferScale.x, scale_y = data.FramebufferScale.y;
  const auto framebuffer_w = static_cast<GLsizei>(data.DisplaySize.x * scale_x);
  const auto framebuffer_h = static_cast<GLsizei>(data.DisplaySize.y * scale_y);
  glViewport(0, 0, framebuffer_w, framebuffer_h);
  glDisable(GL_SCISSOR_TEST);  // the clear covers the whole framebuffer
  glClearColor(clear.x, clear.y, clear.z, clear.w);
  glClear(GL_COLOR_BUFFER_BIT);
  if (framebuffer_w <= 0 || framebuffer_h <= 0) return;

  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);

  // Display coordinates (top-left origin, y down) to clip space.
  const float left = data.DisplayPos.x, right = data.DisplayPos.x + data.DisplaySize.x;
  const float top = data.DisplayPos.y, bottom = data.DisplayPos.y + data.DisplaySize.y;
  const float projection[16] = {
      2.0f / (right - left),           0.0f,                            0.0f,  0.0f,
      0.0f,                            2.0f / (top - bottom),           0.0f,  0.0f,
      0.0f,                            0.0f,                            -1.0f, 0.0f,
      (right + left) / (left - right), (top + bottom) / (bottom - top), 0.0f,  1.0f,
  };
  glUseProgram(program_);
  glUniformMatrix4fv(projection_location_, 1, GL_FALSE, projection);
  glUniform1i(texture_location_, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(vertex_array_);
  glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);

  // One upload for the whole frame: each list's indices are shifted past the lists before it (the
  // App never sets ImGuiBackendFlags_RendererHasVtxOffset, so no command has a vertex offset).
  vertices_.clear();
  indices_.clear();
  for (int list_index = 0; list_index < data.CmdListsCount; ++list_index) {
    const ImDrawList& list = *data.CmdLists[list_index];
    const auto first_vertex = static_cast<ImDrawIdx>(vertices_.size());
    vertices_.insert(vertices_.end(), list.VtxBuffer.begin(), list.VtxBuffer.end());
    for (const ImDrawIdx index : list.IdxBuffer) indices_.push_back(static_cast<ImDrawIdx>(first_vertex + index));
  }
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices_.size() * sizeof(ImDrawVert)), vertices_.data(),
               GL_STREAM_DRAW);
  glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(indices_.size() * sizeof(ImDrawIdx)), indices_.data(),
               GL_STREAM_DRAW);

  // Commands that follow each other in the index buffer with the same texture and scissor box are
  // drawn as one (draw order is unchanged, so the picture is the same); GL state is set only when
  // it changes.
  struct Batch {
    GLuint texture = 0;
    GLint scissor[4] = {0, 0, 0, 0};
    std::size_t first_index = 0;
    std::size_t count = 0;
  };
  Batch pending;
  GLuint bound_texture = 0;
  GLint applied_scissor[4] = {-1, -1, -1, -1};
  const auto flush = [&]() {
    if (pending.count == 0) return;
    if (!std::equal(pending.scissor, pending.scissor + 4, applied_scissor)) {
      glScissor(pending.scissor[0], pending.scissor[1], pending.scissor[2], pending.scissor[3]);
      std::copy(pending.scissor, pending.scissor + 4, applied_scissor);
    }
    if (pending.texture != bound_texture) {
      glBindTexture(GL_TEXTURE_2D, pending.texture);
      bound_texture = pending.texture;
    }
    glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(pending.count),
                   sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                   reinterpret_cast<const void*>(pending.first_index * sizeof(ImDrawIdx)));
    pending.count = 0;
  };
  std::size_t list_first_index = 0;
  for (int list_index = 0; list_index < data.CmdListsCount; ++list_index) {
    const ImDrawList& list = *data.CmdLists[list_index];
    for (const ImDrawCmd& command : list.CmdBuffer) {
      // The App adds no draw callbacks; its lists hold only triangles.
      const float clip_left = (command.ClipRect.x - left) * scale_x;
      const float clip_top = (command.ClipRect.y - top) * scale_y;
      const float clip_right = (command.ClipRect.z - left) * scale_x;
      const float clip_bottom = (command.ClipRect.w - top) * scale_y;
      if (clip_right <= clip_left || clip_bottom <= clip_top || command.ElemCount == 0) continue;
      // GL's scissor box counts rows from the bottom.
      const GLint scissor[4] = {static_cast<GLint>(clip_left),
                                static_cast<GLint>(static_cast<float>(framebuffer_h) - clip_bottom),
                                static_cast<GLsizei>(clip_right - clip_left), static_cast<GLsizei>(clip_bottom - clip_top)};
      const GLuint texture = AsTexture(command.GetTexID());
      const std::size_t first_index = list_first_index + command.IdxOffset;
      const bool continues = pending.count > 0 && pending.texture == texture &&
                             std::equal(scissor, scissor + 4, pending.scissor) &&
                             pending.first_index + pending.count == first_index;
      if (!continues) {
        flush();
        pending.texture = texture;
        std::copy(scissor, scissor + 4, pending.scissor);
        pending.first_index = first_index;
      }
      pending.count += command.ElemCount;
    }
    list_first_index += static_cast<std::size_t>(list.IdxBuffer.Size);
  }
  flush();
  glBindVertexArray(0);
}

unsigned UploadTexture(unsigned texture, const std::uint32_t* pixels, int width, int height, bool resize) {
  if (texture == 0) {
    texture = NewTexture(GL_NEAREST);
    resize = true;
  } else {
    glBindTexture(GL_TEXTURE_2D, texture);
  }
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (resize) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  }
  return texture;
}

void UploadTextureRows(unsigned texture, const std::uint32_t* pixels, int width, int first_row, int row_count) {
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, first_row, width, row_count, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
}

void DeleteTexture(unsigned texture) {
  if (texture != 0) glDeleteTextures(1, &texture);
}

}  // namespace convtutor::platform
