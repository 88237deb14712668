// The draw-list renderer of draw_lists.h. Which GL header it compiles against (GL ES 3 for the
// browser, the OpenGL core profile for the desktop) comes from the build as CONVTUTOR_GL_HEADER,
// so this file has no platform branches; the GLSL version comes from web/platform.cpp.
#include "draw_lists.h"

#include CONVTUTOR_GL_HEADER

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
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

std::uint64_t texture_uploads = 0;  // TextureUploads()

// Whether two arrays hold the same bytes, compared 8 at a time: emscripten's memcmp goes byte by
// byte, which for a frame's vertices costs about a millisecond in the browser.
template <typename T>
bool SameBytes(const ImVector<T>& a, const ImVector<T>& b) {
  if (a.Size != b.Size) return false;
  const auto* left = reinterpret_cast<const unsigned char*>(a.Data);
  const auto* right = reinterpret_cast<const unsigned char*>(b.Data);
  const std::size_t bytes = static_cast<std::size_t>(a.size_in_bytes());
  std::size_t at = 0;
  for (; at + sizeof(std::uint64_t) <= bytes; at += sizeof(std::uint64_t)) {
    std::uint64_t left_word = 0, right_word = 0;
    std::memcpy(&left_word, left + at, sizeof left_word);
    std::memcpy(&right_word, right + at, sizeof right_word);
    if (left_word != right_word) return false;
  }
  for (; at < bytes; ++at) {
    if (left[at] != right[at]) return false;
  }
  return true;
}

GLuint AsTexture(ImTextureID id) { return static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(id)); }

GLuint NewTexture(GLint filter) {
  ++texture_uploads;
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

void DrawListRenderer::Gather(const ImDrawData& data, const FrameSettings& settings) {
  // One upload for the whole frame: each list's indices are shifted past the lists before it (the
  // App never sets ImGuiBackendFlags_RendererHasVtxOffset, so no command has a vertex offset).
  vertices_.resize(data.TotalVtxCount);
  indices_.resize(data.TotalIdxCount);
  ImDrawVert* vertex = vertices_.Data;
  ImDrawIdx* index = indices_.Data;
  for (int list_index = 0; list_index < data.CmdListsCount; ++list_index) {
    const ImDrawList& list = *data.CmdLists[list_index];
    const auto first_vertex = static_cast<ImDrawIdx>(vertex - vertices_.Data);
    if (list.VtxBuffer.Size > 0) std::memcpy(vertex, list.VtxBuffer.Data, static_cast<std::size_t>(list.VtxBuffer.size_in_bytes()));
    vertex += list.VtxBuffer.Size;
    for (int i = 0; i < list.IdxBuffer.Size; ++i) *index++ = static_cast<ImDrawIdx>(first_vertex + list.IdxBuffer.Data[i]);
  }

  // Commands that follow each other in the index buffer with the same texture and scissor box are
  // drawn as one (draw order is unchanged, so the picture is the same).
  batches_.resize(0);
  const float scale_x = data.FramebufferScale.x, scale_y = data.FramebufferScale.y;
  const float left = data.DisplayPos.x, top = data.DisplayPos.y;
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
      const int scissor[4] = {static_cast<int>(clip_left),
                              static_cast<int>(static_cast<float>(settings.framebuffer_height) - clip_bottom),
                              static_cast<int>(clip_right - clip_left), static_cast<int>(clip_bottom - clip_top)};
      const GLuint texture = AsTexture(command.GetTexID());
      const std::size_t first_index = list_first_index + command.IdxOffset;
      Batch* last = batches_.Size > 0 ? &batches_.back() : nullptr;
      if (last != nullptr && last->texture == texture && std::equal(scissor, scissor + 4, last->scissor) &&
          last->first_index + last->count == first_index) {
        last->count += command.ElemCount;
      } else {
        Batch batch;
        batch.texture = texture;
        std::copy(scissor, scissor + 4, batch.scissor);
        batch.first_index = first_index;
        batch.count = command.ElemCount;
        batches_.push_back(batch);
      }
    }
    list_first_index += static_cast<std::size_t>(list.IdxBuffer.Size);
  }
}

bool DrawListRenderer::SameAsDrawn(const FrameSettings& settings) const {
  const FrameSettings& drawn = drawn_settings_;
  return drawn_ && settings.framebuffer_width == drawn.framebuffer_width &&
         settings.framebuffer_height == drawn.framebuffer_height &&
         std::equal(settings.projection, settings.projection + 16, drawn.projection) &&
         std::equal(settings.clear, settings.clear + 4, drawn.clear) &&
         settings.texture_uploads == drawn.texture_uploads && SameBytes(vertices_, drawn_vertices_) &&
         SameBytes(indices_, drawn_indices_) && batches_.Size == drawn_batches_.Size &&
         std::equal(batches_.begin(), batches_.end(), drawn_batches_.begin(), [](const Batch& a, const Batch& b) {
           return a.texture == b.texture && std::equal(a.scissor, a.scissor + 4, b.scissor) &&
                  a.first_index == b.first_index && a.count == b.count;
         });
}

bool DrawListRenderer::Draw(const ImDrawData& data, const ImVec4& clear, bool force) {
  FrameSettings settings;
  settings.framebuffer_width = static_cast<int>(data.DisplaySize.x * data.FramebufferScale.x);
  settings.framebuffer_height = static_cast<int>(data.DisplaySize.y * data.FramebufferScale.y);
  // Display coordinates (top-left origin, y down) to clip space.
  const float left = data.DisplayPos.x, right = data.DisplayPos.x + data.DisplaySize.x;
  const float top = data.DisplayPos.y, bottom = data.DisplayPos.y + data.DisplaySize.y;
  const float projection[16] = {
      2.0f / (right - left),           0.0f,                            0.0f,  0.0f,
      0.0f,                            2.0f / (top - bottom),           0.0f,  0.0f,
      0.0f,                            0.0f,                            -1.0f, 0.0f,
      (right + left) / (left - right), (top + bottom) / (bottom - top), 0.0f,  1.0f,
  };
  std::copy(projection, projection + 16, settings.projection);
  const float clear_colour[4] = {clear.x, clear.y, clear.z, clear.w};
  std::copy(clear_colour, clear_colour + 4, settings.clear);
  settings.texture_uploads = TextureUploads();
  Gather(data, settings);
  if (!force && SameAsDrawn(settings)) return false;

  glViewport(0, 0, settings.framebuffer_width, settings.framebuffer_height);
  glDisable(GL_SCISSOR_TEST);  // the clear covers the whole framebuffer
  glClearColor(clear.x, clear.y, clear.z, clear.w);
  glClear(GL_COLOR_BUFFER_BIT);
  if (settings.framebuffer_width > 0 && settings.framebuffer_height > 0) {
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glEnable(GL_SCISSOR_TEST);
    glUseProgram(program_);
    glUniformMatrix4fv(projection_location_, 1, GL_FALSE, projection);
    glUniform1i(texture_location_, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(vertex_array_);
    glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertices_.size_in_bytes()), vertices_.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(indices_.size_in_bytes()), indices_.Data,
                 GL_STREAM_DRAW);
    // GL state is set only when it changes.
    GLuint bound_texture = 0;
    GLint applied_scissor[4] = {-1, -1, -1, -1};
    for (const Batch& batch : batches_) {
      if (!std::equal(batch.scissor, batch.scissor + 4, applied_scissor)) {
        glScissor(batch.scissor[0], batch.scissor[1], batch.scissor[2], batch.scissor[3]);
        std::copy(batch.scissor, batch.scissor + 4, applied_scissor);
      }
      if (batch.texture != bound_texture) {
        glBindTexture(GL_TEXTURE_2D, batch.texture);
        bound_texture = batch.texture;
      }
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(batch.count),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<const void*>(batch.first_index * sizeof(ImDrawIdx)));
    }
    glBindVertexArray(0);
  }
  vertices_.swap(drawn_vertices_);
  indices_.swap(drawn_indices_);
  batches_.swap(drawn_batches_);
  drawn_settings_ = settings;
  drawn_ = true;
  return true;
}

unsigned UploadTexture(unsigned texture, const std::uint32_t* pixels, int width, int height, bool resize) {
  if (texture == 0) {
    texture = NewTexture(GL_NEAREST);
    resize = true;
  } else {
    glBindTexture(GL_TEXTURE_2D, texture);
  }
  ++texture_uploads;
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (resize) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  }
  return texture;
}

void UploadTextureRows(unsigned texture, const std::uint32_t* pixels, int width, int first_row, int row_count) {
  ++texture_uploads;
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexSubImage2D(GL_TEXTURE_2D, 0, 0, first_row, width, row_count, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
}

void DeleteTexture(unsigned texture) {
  if (texture == 0) return;
  ++texture_uploads;
  glDeleteTextures(1, &texture);
}

std::uint64_t TextureUploads() { return texture_uploads; }

}  // namespace convtutor::platform
