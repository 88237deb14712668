// Draws the input channels, the filters and the output maps of the current step with ImGui's
// draw list. Cell sizes follow the space available (in font units, capped so small scenes do
// not balloon); every number drawn comes from the scene, the core's output or the step.
#include "grid_panel.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "shape_panel.h"
#include "ui_theme.h"

namespace convtutor::app {

namespace {

constexpr float kMaxCellEm = 4.0f;
constexpr float kMaxFilterCellEm = 3.4f;
// Smaller padded cells are plain grey: hatching would be noise (and a large grid's worth of
// lines), so the whole padded frame is then one rectangle under the real cells.
constexpr float kHatchMinCell = 7.0f;
// Below this cell size (pixels) no text, hatching or inner grid line is drawn: a grid is then just
// its colours, uploaded as one picture (when the caller keeps pictures).
constexpr float kPictureBelowCell = 5.0f;
// The input column rings the window on every channel up to this many (see DrawFinderRing).
constexpr int kRingedChannels = 16;
// A filter drawn as a picture outlines each of its slices when they are at least this tall (pixels);
// shorter ones would be outlines only, and the filter is outlined as a whole.
constexpr float kApartSlicePixels = 4.0f;
// A photo's channels drawn narrower than this (em) beside a layer's many maps get kPhotoShare of
// the maps' width instead.
constexpr float kSmallPhotoEm = 2.0f;
constexpr float kPhotoShare = 0.4f;
// Below this cell size numbers no longer fit in cells (see DrawCellText).
constexpr float kReadableCellEm = 1.15f;

// How a column arranges its grids: so many grids per row, each cell `cell` pixels wide.
struct GridLayout {
  int grids_per_row = 1;
  int grid_cols = 1;  // cells across one grid
  int grid_rows = 1;  // cells down one grid
  float cell = 1.0f;
  float label = 0.0f;  // height of the label above each grid
  float gap = 0.0f;    // between grids

  ImVec2 GridOrigin(ImVec2 column_origin, int index) const {
    const int across = index % grids_per_row;
    const int down = index / grids_per_row;
    return ImVec2(column_origin.x + static_cast<float>(across) * (static_cast<float>(grid_cols) * cell + gap),
                  column_origin.y + static_cast<float>(down) * (label + static_cast<float>(grid_rows) * cell + gap));
  }
  ImVec2 Size(int count) const {
    const int per_row = std::min(count, grids_per_row);
    const int rows = (count + grids_per_row - 1) / grids_per_row;
    return ImVec2(static_cast<float>(per_row) * static_cast<float>(grid_cols) * cell +
                      static_cast<float>(per_row - 1) * gap,
                  static_cast<float>(rows) * (label + static_cast<float>(grid_rows) * cell) +
                      static_cast<float>(rows - 1) * gap);
  }
};

// What one column holds: `count` grids of grid_cols × grid_rows cells, cells at most max_cell.
struct ColumnSpec {
  int count = 1;
  int grid_cols = 1;
  int grid_rows = 1;
  float max_cell = 1.0f;
  float min_width = 0.0f;  // the column's header must fit
};

// The narrowest arrangement of a column's grids at cell size `cell` that fits `height`;
// grids_per_row = 0 when none fits.
GridLayout ArrangeColumn(const ColumnSpec& spec, float cell, float height) {
  GridLayout layout;
  layout.grid_cols = std::max(spec.grid_cols, 1);
  layout.grid_rows = std::max(spec.grid_rows, 1);
  layout.label = Em(1.35f);
  layout.cell = std::min(cell, spec.max_cell);
  // Grids a few pixels wide (a deep layer's filters, hundreds of channels) sit closer together.
  layout.gap = std::clamp(0.5f * static_cast<float>(layout.grid_cols) * layout.cell, Em(0.15f), Em(0.7f));
  layout.grids_per_row = 0;
  const int count = std::max(spec.count, 1);
  for (int per_row = 1; per_row <= count; ++per_row) {
    layout.grids_per_row = per_row;
    if (layout.Size(count).y <= height) return layout;
  }
  layout.grids_per_row = 0;
  return layout;
}

// One cell size for every column (so input and output read at the same scale), the largest
// whose columns fit side by side in `area` with `column_gap` between them.
std::vector<GridLayout> FitColumns(const std::vector<ColumnSpec>& specs, ImVec2 area, float column_gap) {
  auto total_width = [&](float cell, std::vector<GridLayout>* layouts) {
    float width = column_gap * static_cast<float>(specs.size() - 1);
    for (const ColumnSpec& spec : specs) {
      const GridLayout layout = ArrangeColumn(spec, cell, area.y);
      if (layout.grids_per_row == 0) return 1e30f;
      width += std::max(layout.Size(spec.count).x, spec.min_width);
      if (layouts != nullptr) layouts->push_back(layout);
    }
    return width;
  };
  // Down to a fiftieth of a pixel a cell: a real layer (dozens of 64×64 maps), a photo or a deep
  // layer's filters (stacks of hundreds of slices) is then a picture of colours, scaled by the GPU.
  float low = 0.02f;
  float high = 2.0f;
  for (const ColumnSpec& spec : specs) high = std::max(high, spec.max_cell);
  for (int iteration = 0; iteration < 24; ++iteration) {
    const float middle = 0.5f * (low + high);
    if (total_width(middle, nullptr) <= area.x) {
      low = middle;
    } else {
      high = middle;
    }
  }
  // Whole pixels keep grid lines crisp; grids drawn as pictures (tiny cells) may scale freely.
  const float chosen = low >= kPictureBelowCell ? std::floor(low) : low;
  std::vector<GridLayout> layouts;
  if (total_width(chosen, &layouts) > 1e29f) {
    // Nothing fits (a tiny window): draw at the smallest size, one grid per row.
    layouts.clear();
    for (const ColumnSpec& spec : specs) {
      GridLayout layout = ArrangeColumn(spec, 1.0f, 1e30f);
      layouts.push_back(layout);
    }
  }
  return layouts;
}

ImU32 WithAlpha(ImU32 colour, int alpha) {
  return (colour & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

// The shared drawing tools of one frame of the panel.
struct Canvas {
  ImDrawList* draw = nullptr;
  ImVec2 mouse;
  bool hovered = false;  // the panel is under the mouse
  bool clicked = false;  // and the left button went down this frame

  bool Hit(ImVec2 min, float cell) const {
    return hovered && mouse.x >= min.x && mouse.y >= min.y && mouse.x < min.x + cell && mouse.y < min.y + cell;
  }
};

// Text in a cell when the cell is big enough to read it (at least 1.12 em).
bool CellShowsText(float cell) { return std::min(ImGui::GetFontSize() * 1.15f, cell * 0.5f) >= ImGui::GetFontSize() * 0.56f; }

void DrawCellText(const Canvas& canvas, ImVec2 min, float cell, const std::string& text, ImU32 colour) {
  if (!CellShowsText(cell)) return;
  const float em = ImGui::GetFontSize();
  float size = std::min(em * 1.15f, cell * 0.5f);
  // The body font: the mono font's dotted zero reads like an 8 or a θ at cell sizes.
  ImFont* font = BodyFont();
  ImVec2 extent = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str());
  if (extent.x > cell * 0.9f) {
    size *= cell * 0.9f / extent.x;
    if (size < em * 0.5f) return;
    extent = font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str());
  }
  const ImVec2 at(std::round(min.x + (cell - extent.x) * 0.5f), std::round(min.y + (cell - extent.y) * 0.5f));
  canvas.draw->AddText(font, size, at, colour, text.c_str());
}

// A value in a cell; formatted only when it will be drawn (a real layer has tens of thousands of
// cells too small for text, every frame).
void DrawCellValue(const Canvas& canvas, ImVec2 min, float cell, float value, ImU32 colour) {
  if (CellShowsText(cell)) DrawCellText(canvas, min, cell, FormatValue(value), colour);
}

void DrawHatch(const Canvas& canvas, ImVec2 min, float cell) {
  canvas.draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), colours::kPadding);
  if (cell < kHatchMinCell) return;
  const float half = cell * 0.5f;
  const ImVec2 max(min.x + cell, min.y + cell);
  canvas.draw->AddLine(ImVec2(min.x, max.y), ImVec2(max.x, min.y), colours::kPaddingHatch);
  canvas.draw->AddLine(ImVec2(min.x, min.y + half), ImVec2(min.x + half, min.y), colours::kPaddingHatch);
  canvas.draw->AddLine(ImVec2(min.x + half, max.y), ImVec2(max.x, min.y + half), colours::kPaddingHatch);
}

void DrawGridLines(const Canvas& canvas, ImVec2 min, int cols, int rows, float cell) {
  if (cell < 5.0f) {
    canvas.draw->AddRect(min, ImVec2(min.x + static_cast<float>(cols) * cell, min.y + static_cast<float>(rows) * cell),
                         colours::kGridLine);
    return;
  }
  const float width = static_cast<float>(cols) * cell;
  const float height = static_cast<float>(rows) * cell;
  for (int row = 0; row <= rows; ++row) {
    const float y = min.y + static_cast<float>(row) * cell;
    canvas.draw->AddLine(ImVec2(min.x, y), ImVec2(min.x + width, y), colours::kGridLine);
  }
  for (int col = 0; col <= cols; ++col) {
    const float x = min.x + static_cast<float>(col) * cell;
    canvas.draw->AddLine(ImVec2(x, min.y), ImVec2(x, min.y + height), colours::kGridLine);
  }
}

// How a column labels its `count` grids: "filter 3" over each, or just "3" when the widest such
// label would not fit between the grids (a layer with dozens of small maps), or the number on
// every `every`-th grid only when even the numbers would run into each other (hundreds of
// channels), always on the grid in the accent (`accent`, -1 for none) and on none beside it.
struct ColumnLabels {
  const char* word = "";
  bool words_fit = true;
  int every = 1;
  int accent = -1;
};

ColumnLabels PlanLabels(const char* word, int count, int accent, const GridLayout& layout) {
  ColumnLabels labels;
  labels.word = word;
  labels.accent = accent;
  const float size = ImGui::GetFontSize() * 0.85f;
  const float room = static_cast<float>(layout.grid_cols) * layout.cell + layout.gap;
  const std::string widest = std::string(word) + " " + std::to_string(count - 1);
  labels.words_fit = BoldFont()->CalcTextSizeA(size, 1e9f, 0.0f, widest.c_str()).x <= room;
  if (!labels.words_fit) {
    const float number = BoldFont()->CalcTextSizeA(size, 1e9f, 0.0f, std::to_string(count - 1).c_str()).x + Em(0.3f);
    labels.every = std::max(1, static_cast<int>(std::ceil(number / room)));
  }
  return labels;
}

void DrawLabel(const Canvas& canvas, ImVec2 at, int index, const ColumnLabels& labels) {
  const bool accent = index == labels.accent;
  if (!accent && labels.every > 1) {
    const bool beside_accent = labels.accent >= 0 && std::abs(index - labels.accent) < labels.every;
    if (index % labels.every != 0 || beside_accent) return;
  }
  ImFont* font = accent ? BoldFont() : BodyFont();
  const float size = ImGui::GetFontSize() * 0.85f;
  const std::string text = labels.words_fit ? std::string(labels.word) + " " + std::to_string(index) : std::to_string(index);
  canvas.draw->AddText(font, size, at, accent ? colours::kAccent : colours::kMutedText, text.c_str());
}

std::string Dims(int a, int b, int c) {
  const char* times = " \xC3\x97 ";  // U+00D7 multiplication sign
  return std::to_string(a) + times + std::to_string(b) + times + std::to_string(c);
}

// A transposed convolution's output cell gathers from input cells spread out by the stride (its
// padding crops the output): the input is shown as it is, and the cells a step reads are tinted.
bool Gathers(const Scene& scene) { return scene.layer.op == Op::kConvTranspose2d; }

// The cells the input column shows along one axis: the padded input, widened if a window
// (ceil_mode) reaches beyond the padding.
int ShownCells(const Scene& scene, const AxisGeometry& axis) {
  if (Gathers(scene)) return axis.input;
  const int padded = axis.pad_before + axis.input + axis.pad_after;
  const int reached = (axis.output - 1) * axis.stride + axis.span;
  return std::max(padded, reached);
}

struct Hover {
  std::string tooltip;
  std::int64_t seek_cell = -1;
  ValueTarget edit;
};

// Where the window is in a map being written, for a picture that may be repainted in part: while
// every other thing its colours depend on (`settled`) stays the same and the window moves, forward
// or back, only the rows from the window's old row to its new one change.
struct WindowProgress {
  std::uint64_t settled = 0;
  int row = 0;
};

// The pixels a picture of `cells` cells `cell` pixels wide needs along one axis: one per cell, or,
// when cells are smaller than the screen's pixels, one per screen pixel. Drawn without smoothing,
// each screen pixel shows one cell either way, so the smaller picture looks the same and is a
// fraction of the colouring and the upload (a large layer's 64 maps of 176×176 at 0.2 pixels a cell).
int PicturePixels(int cells, float cell) {
  const float ratio = ImGui::GetIO().DisplayFramebufferScale.x;
  const float pixels = static_cast<float>(cells) * cell * (ratio > 0.0f ? ratio : 1.0f);
  if (pixels >= static_cast<float>(cells)) return cells;
  return std::max(1, static_cast<int>(std::ceil(pixels)));
}

// One grid's cells, either as rectangles on the draw list or, when they are tiny and the caller
// keeps GPU pictures, as pixels of one picture drawn when the grid is done.
// A picture that already shows `content` (a key the caller makes of everything its colours depend
// on) is drawn again as it is: a real layer's or a photo's grids are neither recoloured nor uploaded
// on frames where they did not change.
// The caller paints rows FirstRow() … EndRow() - 1, columns 0 … Cols() - 1: a painted row or column
// is a cell's, or (a picture with more cells than pixels, PicturePixels) a pixel's, which shows
// the cell at its centre, CellRow(row), CellCol(col).
class CellPainter {
 public:
  CellPainter(const Canvas& canvas, std::vector<GridPicture>* pictures, int picture_index, ImVec2 origin, int cols,
              int rows, float cell, std::uint64_t content, const WindowProgress* progress = nullptr)
      : canvas_(canvas), origin_(origin), cols_(cols), rows_(rows), cell_(cell), content_(content) {
    painted_cols_ = cols;
    painted_rows_ = rows;
    end_row_ = rows;
    if (pictures == nullptr || cell >= kPictureBelowCell || cols <= 0 || rows <= 0) return;
    painted_cols_ = PicturePixels(cols, cell);
    painted_rows_ = PicturePixels(rows, cell);
    end_row_ = painted_rows_;
    if (pictures->size() <= static_cast<std::size_t>(picture_index)) pictures->resize(static_cast<std::size_t>(picture_index) + 1);
    picture_ = &(*pictures)[static_cast<std::size_t>(picture_index)];
    const std::size_t pixels = static_cast<std::size_t>(painted_cols_) * static_cast<std::size_t>(painted_rows_);
    const bool same_size = picture_->image.texture != nullptr && picture_->image.width == painted_cols_ &&
                           picture_->image.height == painted_rows_ && picture_->pixels.size() == pixels;
    if (same_size && picture_->content == content) {
      end_row_ = 0;  // nothing to fill: it shows this already
    } else if (same_size && progress != nullptr && picture_->window_row >= 0 && picture_->settled == progress->settled) {
      // The rows showing the cell rows from the window's old row to its new one are painted afresh:
      // a cell the window went back over is not written any more.
      const int row = std::min(progress->row, rows - 1);
      first_row_ = FirstPaintedRowFrom(std::min(row, picture_->window_row));
      end_row_ = FirstPaintedRowFrom(std::max(row, picture_->window_row) + 1);
      std::fill(picture_->pixels.begin() + static_cast<std::ptrdiff_t>(first_row_) * painted_cols_,
                picture_->pixels.begin() + static_cast<std::ptrdiff_t>(end_row_) * painted_cols_, colours::kPending);
    } else {
      picture_->pixels.assign(pixels, colours::kPending);
      whole_ = true;
    }
    picture_->settled = progress != nullptr ? progress->settled : 0;
    picture_->window_row = progress != nullptr ? std::min(progress->row, rows - 1) : -1;
  }
  CellPainter(const CellPainter&) = delete;
  CellPainter& operator=(const CellPainter&) = delete;

  // Draws the picture (when there is one): call once every cell is filled, before anything that
  // goes on top of the cells.
  void Finish() {
    if (picture_ == nullptr) return;
    if (whole_) {
      platform::UploadImage(picture_->image, picture_->pixels.data(), painted_cols_, painted_rows_);
    } else if (end_row_ > first_row_) {
      platform::UploadImageRows(picture_->image,
                                picture_->pixels.data() + static_cast<std::size_t>(first_row_) * static_cast<std::size_t>(painted_cols_),
                                first_row_, end_row_ - first_row_);
    }
    picture_->content = content_;
    canvas_.draw->AddImage(picture_->image.texture, origin_,
                           ImVec2(origin_.x + static_cast<float>(cols_) * cell_, origin_.y + static_cast<float>(rows_) * cell_));
  }

  bool AsPicture() const { return picture_ != nullptr; }
  // The rows to paint this frame, and every row's columns.
  int FirstRow() const { return first_row_; }
  int EndRow() const { return end_row_; }
  int Cols() const { return painted_cols_; }
  // The cell a painted row or column shows.
  int CellRow(int row) const { return CellAt(row, painted_rows_, rows_); }
  int CellCol(int col) const { return CellAt(col, painted_cols_, cols_); }
  void Fill(int row, int col, ImU32 colour) {
    if (picture_ != nullptr) {
      picture_->pixels[static_cast<std::size_t>(row) * static_cast<std::size_t>(painted_cols_) + static_cast<std::size_t>(col)] = colour;
      return;
    }
    const ImVec2 min(origin_.x + static_cast<float>(col) * cell_, origin_.y + static_cast<float>(row) * cell_);
    canvas_.draw->AddRectFilled(min, ImVec2(min.x + cell_, min.y + cell_), colour);
  }

 private:
  // The cell at the centre of painted index `index` of `painted` across `cells` cells.
  static int CellAt(int index, int painted, int cells) {
    if (painted == cells) return index;
    return static_cast<int>((2 * static_cast<std::int64_t>(index) + 1) * cells / (2 * static_cast<std::int64_t>(painted)));
  }
  // The first painted row showing cell row `cell_row` or a later one (painted_rows_ if none).
  int FirstPaintedRowFrom(int cell_row) const {
    int row = 0;
    while (row < painted_rows_ && CellRow(row) < cell_row) ++row;
    return row;
  }

  const Canvas& canvas_;
  ImVec2 origin_;
  int cols_, rows_;
  int painted_cols_ = 0, painted_rows_ = 0;
  float cell_;
  std::uint64_t content_;
  GridPicture* picture_ = nullptr;
  bool whole_ = false;  // every cell is filled and the whole picture uploaded
  int first_row_ = 0;
  int end_row_ = 0;
};

// A grid picture's content key: a hash of everything its colours depend on (the scene's
// generation changes with any value of the scene).
std::uint64_t ContentKey(std::initializer_list<std::uint64_t> parts) {
  std::uint64_t hash = 1469598103934665603ull;
  for (std::uint64_t part : parts) hash = (hash ^ part) * 1099511628211ull;
  return hash;
}

// What an input channel's picture shows depends on the input, its colour scale, the padding and the
// cells no window reaches, not on the weights: it is not redrawn while a weight is dragged.
std::uint64_t InputPictureKey(const SceneData& data, int channel) {
  const Geometry& geometry = data.geometry;
  std::uint32_t scale_bits = 0;
  std::memcpy(&scale_bits, &data.input_max_abs, sizeof scale_bits);
  const auto part = [](int value) { return static_cast<std::uint64_t>(static_cast<std::uint32_t>(value)); };
  return ContentKey({data.input_hash, 0, part(channel), scale_bits, data.input_is_picture ? 1u : 0u,
                     part(geometry.rows.pad_before), part(geometry.rows.pad_after), part(geometry.cols.pad_before),
                     part(geometry.cols.pad_after), part(ShownCells(data.scene, geometry.rows)), part(ShownCells(data.scene, geometry.cols)),
                     part(geometry.rows.uncovered), part(geometry.cols.uncovered),
                     IsPooling(data.scene.layer.op) ? 1u : 0u});
}

// The cell of a grid under the mouse, or false when the mouse is not over it.
bool CellUnderMouse(const Canvas& canvas, ImVec2 origin, int cols, int rows, float cell, int* row, int* col) {
  if (!canvas.hovered || cell <= 0.0f) return false;
  const float x = (canvas.mouse.x - origin.x) / cell;
  const float y = (canvas.mouse.y - origin.y) / cell;
  if (x < 0.0f || y < 0.0f || x >= static_cast<float>(cols) || y >= static_cast<float>(rows)) return false;
  *row = static_cast<int>(y);
  *col = static_cast<int>(x);
  return true;
}

// On a picture whose cells are a pixel or two, the window (or the cell it writes) is a dot: a ring
// around it, white then the accent, says where it is on any colour. It keeps as far inside its grid
// (`grid_min`–`grid_max`) as it can while still going round the dot with a gap, so at a corner cell
// it no longer covers the grid's label above it.
void DrawFinderRing(const Canvas& canvas, ImVec2 min, ImVec2 max, ImVec2 grid_min, ImVec2 grid_max) {
  const float least = Em(0.9f);
  if (max.x - min.x >= least && max.y - min.y >= least) return;
  const float gap = Em(0.15f);
  const float half = std::max(least, std::max(max.x - min.x, max.y - min.y)) * 0.5f + gap;
  const auto centre = [half, gap](float low, float high, float grid_low, float grid_high) {
    float ring_low = (low + high) * 0.5f - half;
    if (grid_high - grid_low >= 2.0f * half) ring_low = std::clamp(ring_low, grid_low, grid_high - 2.0f * half);
    return std::clamp(ring_low, high + gap - 2.0f * half, low - gap) + half;
  };
  const ImVec2 at(centre(min.x, max.x, grid_min.x, grid_max.x), centre(min.y, max.y, grid_min.y, grid_max.y));
  const ImVec2 ring_min(at.x - half, at.y - half);
  const ImVec2 ring_max(at.x + half, at.y + half);
  canvas.draw->AddRect(ring_min, ring_max, IM_COL32(255, 255, 255, 230), Em(0.2f), 0, Em(0.28f));
  canvas.draw->AddRect(ring_min, ring_max, colours::kAccent, Em(0.2f), 0, Em(0.14f));
}

// Real cells that no window ever reaches (the floor case) are washed out towards this colour.
constexpr ImU32 kWashed = IM_COL32(246, 246, 243, 255);
constexpr float kWashedAmount = 190.0f / 255.0f;
// How far a photo's map cells not yet written are faded towards the "pending" colour.
constexpr float kNotYetAmount = 0.6f;

void DrawInputs(const Canvas& canvas, const SceneData& data, const CellWork& work, const GridLayout& layout,
                const GridPage& page, ImVec2 origin, bool editable, std::vector<GridPicture>* images, Hover* hover) {
  const Scene& scene = data.scene;
  const Geometry& geometry = data.geometry;
  const bool pooling = IsPooling(scene.layer.op);
  const Step& step = work.step;
  const bool gathers = Gathers(scene);
  const int top = gathers ? 0 : geometry.rows.pad_before;
  const int left = gathers ? 0 : geometry.cols.pad_before;
  const float cell = layout.cell;
  const bool per_channel_step = ReadsOneChannel(step);

  // The channel the step reads alone, if any: pooling's, or a convolution's at a channel or term step.
  const int accent_channel = pooling ? step.out_channel : (per_channel_step ? step.channel : -1);
  const ColumnLabels labels = PlanLabels("channel", page.first + page.count, accent_channel, layout);
  for (int channel = page.first; channel < page.first + page.count; ++channel) {
    const ImVec2 grid_origin = layout.GridOrigin(origin, channel - page.first);
    // A grouped convolution's filter sees only its group's channels.
    const int first_seen = pooling ? step.out_channel : FirstGroupChannel(scene, step.out_channel);
    const int seen = pooling ? 1 : scene.weights.channels;
    const bool involved = channel >= first_seen && channel < first_seen + seen;
    const bool emphasised = pooling ? involved : (!per_channel_step || channel == step.channel);
    DrawLabel(canvas, ImVec2(grid_origin.x, grid_origin.y + Em(0.1f)), channel, labels);
    const ImVec2 cells_origin(grid_origin.x, grid_origin.y + layout.label);
    CellPainter painter(canvas, images, channel, cells_origin, layout.grid_cols, layout.grid_rows, cell,
                        InputPictureKey(data, channel));
    const bool plain_padding = cell < kHatchMinCell;
    if (plain_padding && !painter.AsPicture()) {
      canvas.draw->AddRectFilled(cells_origin,
                                 ImVec2(cells_origin.x + static_cast<float>(layout.grid_cols) * cell,
                                        cells_origin.y + static_cast<float>(layout.grid_rows) * cell),
                                 colours::kPadding);
    }

    const auto is_real = [&](int in_row, int in_col) {
      return in_row >= 0 && in_row < scene.input.height && in_col >= 0 && in_col < scene.input.width;
    };
    // The floor case: real cells at the end that no window ever reaches are washed out.
    const auto is_uncovered = [&](int in_row, int in_col) {
      return in_row >= scene.input.height - geometry.rows.uncovered || in_col >= scene.input.width - geometry.cols.uncovered;
    };
    const ValueScale& input_scale = SharedValueScale(data.input_max_abs);
    const bool shows_text = CellShowsText(cell);  // a photo's cells are too small: no text colour to work out
    for (int painted_row = painter.FirstRow(); painted_row < painter.EndRow(); ++painted_row) {
      const int row = painter.CellRow(painted_row);
      for (int painted_col = 0; painted_col < painter.Cols(); ++painted_col) {
        const int col = painter.CellCol(painted_col);
        const ImVec2 min(cells_origin.x + static_cast<float>(col) * cell,
                         cells_origin.y + static_cast<float>(row) * cell);
        const int in_row = row - top;
        const int in_col = col - left;
        if (is_real(in_row, in_col)) {
          const float value = scene.input.At(channel, in_row, in_col);
          const ImU32 fill =
              data.input_is_picture ? PixelColour(value, channel, scene.input.channels) : input_scale(value);
          const bool uncovered = is_uncovered(in_row, in_col);
          painter.Fill(painted_row, painted_col, uncovered ? Mix(fill, kWashed, kWashedAmount) : fill);
          if (shows_text) DrawCellValue(canvas, min, cell, value, uncovered ? colours::kMutedText : TextColourOn(fill));
        } else {
          if (painter.AsPicture()) {
            painter.Fill(painted_row, painted_col, colours::kPadding);
          } else if (!plain_padding) {
            DrawHatch(canvas, min, cell);
          }
          if (!pooling) DrawCellText(canvas, min, cell, "0", colours::kMutedText);
        }
      }
    }
    painter.Finish();
    if (!involved && !pooling) {
      // Channels outside the current filter's group step back, as filters not writing do.
      canvas.draw->AddRectFilled(cells_origin,
                                 ImVec2(cells_origin.x + static_cast<float>(layout.grid_cols) * cell,
                                        cells_origin.y + static_cast<float>(layout.grid_rows) * cell),
                                 IM_COL32(255, 255, 255, 170));
    }
    int hover_row = 0, hover_col = 0;
    if (CellUnderMouse(canvas, cells_origin, layout.grid_cols, layout.grid_rows, cell, &hover_row, &hover_col)) {
      const int in_row = hover_row - top;
      const int in_col = hover_col - left;
      if (is_real(in_row, in_col)) {
        hover->tooltip = "input channel " + std::to_string(channel) + ", row " + std::to_string(in_row) + ", column " +
                         std::to_string(in_col) + ": " + FormatValue(scene.input.At(channel, in_row, in_col));
        if (is_uncovered(in_row, in_col)) hover->tooltip += "\nno window ever covers this cell (the formula rounds down)";
        if (editable) {
          hover->tooltip += "\nclick to edit";
          hover->edit = ValueTarget{ValueTarget::Tensor::kInput, channel, in_row, in_col, 0};
        }
      } else {
        hover->tooltip = PoolingSkipsPadding(scene.layer) ? "padding: ignored by pooling" : "padding: counts as 0";
      }
    }
    DrawGridLines(canvas, cells_origin, layout.grid_cols, layout.grid_rows, cell);

    if (!involved) continue;
    // A transposed step's terms tint the cells they read. The terms come in channel order, so
    // this channel's are one run (a 512-channel layer has thousands of terms a cell).
    const auto first_term = gathers ? std::lower_bound(work.terms.begin(), work.terms.end(), channel,
                                                       [](const WindowTerm& term, int c) { return term.channel < c; })
                                    : work.terms.end();
    for (auto term_at = first_term; term_at != work.terms.end() && term_at->channel == channel; ++term_at) {
      const WindowTerm& term = *term_at;
      const ImVec2 min(cells_origin.x + static_cast<float>(term.in_col) * cell,
                       cells_origin.y + static_cast<float>(term.in_row) * cell);
      canvas.draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), emphasised ? colours::kAccentSoft : colours::kAccentFaint);
      canvas.draw->AddRect(min, ImVec2(min.x + cell, min.y + cell), colours::kAccent, 0.0f, 0, Em(0.1f));
    }
    // The window: every tap tinted (dilation leaves gaps between them), the span outlined.
    const int taps_down = gathers ? 0 : geometry.rows.kernel;
    const int taps_across = geometry.cols.kernel;
    for (int tap_row = 0; tap_row < taps_down; ++tap_row) {
      for (int tap_col = 0; tap_col < taps_across; ++tap_col) {
        const int row = step.origin_row + top + tap_row * geometry.rows.dilation;
        const int col = step.origin_col + left + tap_col * geometry.cols.dilation;
        const ImVec2 min(cells_origin.x + static_cast<float>(col) * cell,
                         cells_origin.y + static_cast<float>(row) * cell);
        const ImVec2 max(min.x + cell, min.y + cell);
        canvas.draw->AddRectFilled(min, max, emphasised ? colours::kAccentSoft : colours::kAccentFaint);
        if (cell >= 6.0f) canvas.draw->AddRect(min, max, WithAlpha(colours::kAccent, emphasised ? 150 : 60));
        const int in_row = row - top;
        const int in_col = col - left;
        const bool padded = in_row < 0 || in_row >= scene.input.height || in_col < 0 || in_col >= scene.input.width;
        if (PoolingSkipsPadding(scene.layer) && padded) {
          const float inset = cell * 0.25f;
          const float thickness = std::max(1.0f, cell * 0.08f);
          canvas.draw->AddLine(ImVec2(min.x + inset, min.y + inset), ImVec2(max.x - inset, max.y - inset),
                               colours::kAccent, thickness);
          canvas.draw->AddLine(ImVec2(max.x - inset, min.y + inset), ImVec2(min.x + inset, max.y - inset),
                               colours::kAccent, thickness);
        }
      }
    }
    const ImVec2 span_min(cells_origin.x + static_cast<float>(step.origin_col + left) * cell,
                          cells_origin.y + static_cast<float>(step.origin_row + top) * cell);
    const ImVec2 span_max(span_min.x + static_cast<float>(geometry.cols.span) * cell,
                          span_min.y + static_cast<float>(geometry.rows.span) * cell);
    if (!gathers) {
      canvas.draw->AddRect(span_min, span_max, WithAlpha(colours::kAccent, emphasised ? 255 : 110), Em(0.15f), 0,
                           emphasised ? Em(0.16f) : Em(0.08f));
      // Over many channels a ring on each would hide the pictures: the first the window reads
      // and the one the step reads alone have one, the others just the window's outline.
      if (scene.input.channels <= kRingedChannels || channel == first_seen || channel == accent_channel) {
        DrawFinderRing(canvas, span_min, span_max, cells_origin,
                       ImVec2(cells_origin.x + static_cast<float>(layout.grid_cols) * cell,
                              cells_origin.y + static_cast<float>(layout.grid_rows) * cell));
      }
    }

    if (work.current_term >= 0) {
      const WindowTerm& term = work.terms[static_cast<std::size_t>(work.current_term)];
      if (pooling || term.channel == channel) {
        const ImVec2 min(cells_origin.x + static_cast<float>(term.in_col + left) * cell,
                         cells_origin.y + static_cast<float>(term.in_row + top) * cell);
        canvas.draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), WithAlpha(colours::kAccent, 210));
        canvas.draw->AddRect(min, ImVec2(min.x + cell, min.y + cell), colours::kAccent, 0.0f, 0, Em(0.2f));
        // The value again, in white, so it reads on the accent.
        if (!term.padded) {
          DrawCellValue(canvas, min, cell, scene.input.At(channel, term.in_row, term.in_col),
                       IM_COL32(255, 255, 255, 255));
        } else if (!pooling) {
          DrawCellText(canvas, min, cell, "0", IM_COL32(255, 255, 255, 255));
        }
      }
    }
  }
}

// The tooltip (and, when editable, the edit) of weight (filter, slice, tap_row, tap_col).
void HoverWeight(const SceneData& data, int filter, int slice, int tap_row, int tap_col, bool editable, Hover* hover) {
  const int channel = FirstGroupChannel(data.scene, filter) + slice;
  hover->tooltip = "filter " + std::to_string(filter) + ", channel " + std::to_string(channel) + ", tap (" +
                   std::to_string(tap_row) + ", " + std::to_string(tap_col) +
                   "): " + FormatValue(data.scene.weights.At(filter, slice, tap_row, tap_col));
  if (editable) {
    hover->tooltip += "\nclick to edit";
    hover->edit = ValueTarget{ValueTarget::Tensor::kWeight, filter, slice, tap_row, tap_col};
  }
}

// A filter slice between `min` and `max`: washed out when its filter is not the one writing the
// current map (`active`), outlined in the accent when the step reads it (`read`).
void MarkSlice(const Canvas& canvas, ImVec2 min, ImVec2 max, bool active, bool read) {
  if (!active) {
    canvas.draw->AddRectFilled(min, max, IM_COL32(255, 255, 255, 150));
  } else if (read) {
    canvas.draw->AddRect(min, max, colours::kAccent, 0.0f, 0, Em(0.12f));
  }
}

// A filter whose cells are too small for rectangles (a real layer's 32 filters over 64 channels are
// 18,432 weights): its stack of slices is one picture, the rows between slices in the panel's
// colour, painted when the scene changes; over it the filter's outline, or the slice the step reads.
void DrawFilterPicture(const Canvas& canvas, const SceneData& data, const CellWork& work, ImVec2 cells_origin,
                       float cell, int filter, std::vector<GridPicture>* images, bool editable, Hover* hover) {
  const FilterBank& weights = data.scene.weights;
  const Step& step = work.step;
  const int slice_rows = weights.height + 1;  // a slice and the gap under it
  const int rows = weights.channels * slice_rows - 1;
  std::uint32_t scale_bits = 0;
  std::memcpy(&scale_bits, &data.weight_max_abs, sizeof scale_bits);
  CellPainter painter(canvas, images, data.scene.input.channels + data.geometry.out_channels + filter, cells_origin,
                      weights.width, rows, cell,
                      ContentKey({data.generation, 2, static_cast<std::uint64_t>(filter), scale_bits}));
  const ValueScale& weight_scale = SharedValueScale(data.weight_max_abs);
  for (int painted_row = painter.FirstRow(); painted_row < painter.EndRow(); ++painted_row) {
    const int row = painter.CellRow(painted_row);
    const int slice = row / slice_rows;
    const int tap_row = row % slice_rows;
    for (int painted_col = 0; painted_col < painter.Cols(); ++painted_col) {
      painter.Fill(painted_row, painted_col,
                   tap_row == weights.height ? colours::kPanel
                                             : weight_scale(weights.At(filter, slice, tap_row, painter.CellCol(painted_col))));
    }
  }
  painter.Finish();
  const auto slice_min = [&](int slice) {
    return ImVec2(cells_origin.x, cells_origin.y + static_cast<float>(slice * slice_rows) * cell);
  };
  const ImVec2 max(cells_origin.x + static_cast<float>(weights.width) * cell,
                   cells_origin.y + static_cast<float>(rows) * cell);
  const bool active = filter == step.out_channel;
  const bool per_channel_step = ReadsOneChannel(step);
  const int step_slice = per_channel_step ? step.channel - FirstGroupChannel(data.scene, filter) : -1;
  if (static_cast<float>(weights.height) * cell >= kApartSlicePixels) {
    // Slices a few pixels tall: each outlined as the rectangles outline it.
    for (int slice = 0; slice < weights.channels; ++slice) {
      const ImVec2 min = slice_min(slice);
      const ImVec2 slice_max(max.x, min.y + static_cast<float>(weights.height) * cell);
      canvas.draw->AddRect(min, slice_max, colours::kGridLine);
      MarkSlice(canvas, min, slice_max, active, !per_channel_step || slice == step_slice);
    }
  } else if (!active) {  // slices a pixel or so: the filter as a whole
    canvas.draw->AddRectFilled(cells_origin, max, IM_COL32(255, 255, 255, 150));
    canvas.draw->AddRect(cells_origin, max, colours::kGridLine);
  } else if (step_slice >= 0) {
    const ImVec2 min = slice_min(step_slice);
    const ImVec2 slice_max(max.x, min.y + static_cast<float>(weights.height) * cell);
    canvas.draw->AddRect(min, slice_max, colours::kAccent, 0.0f, 0, Em(0.12f));
    DrawFinderRing(canvas, min, slice_max, cells_origin, max);
  } else {
    canvas.draw->AddRect(cells_origin, max, colours::kAccent, 0.0f, 0, Em(0.12f));
  }
  int hover_row = 0, hover_col = 0;
  if (CellUnderMouse(canvas, cells_origin, weights.width, rows, cell, &hover_row, &hover_col) &&
      hover_row % slice_rows != weights.height) {
    HoverWeight(data, filter, hover_row / slice_rows, hover_row % slice_rows, hover_col, editable, hover);
  }
}

// A filter cell by cell: each slice's weights with their numbers when they fit, its outline, the
// step's slices outlined on the filter writing and the others washed out.
void DrawFilterSlices(const Canvas& canvas, const SceneData& data, const CellWork& work, ImVec2 cells_origin,
                      float cell, int filter, bool editable, Hover* hover) {
  const FilterBank& weights = data.scene.weights;
  const Step& step = work.step;
  const bool active = filter == step.out_channel;
  const bool per_channel_step = ReadsOneChannel(step);
  // Slice `slice` of a grouped filter meets input channel first_seen + slice.
  const int first_seen = FirstGroupChannel(data.scene, filter);
  for (int slice = 0; slice < weights.channels; ++slice) {
    const int channel = first_seen + slice;
    // A filter is a stack of k×k slices, one per input channel it sees, top to bottom.
    const ImVec2 slice_origin(cells_origin.x,
                              cells_origin.y + static_cast<float>(slice * (weights.height + 1)) * cell);
    for (int tap_row = 0; tap_row < weights.height; ++tap_row) {
      for (int tap_col = 0; tap_col < weights.width; ++tap_col) {
        const ImVec2 min(slice_origin.x + static_cast<float>(tap_col) * cell,
                         slice_origin.y + static_cast<float>(tap_row) * cell);
        const float value = weights.At(filter, slice, tap_row, tap_col);
        const ImU32 fill = ValueColour(value, data.weight_max_abs);
        canvas.draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), fill);
        DrawCellValue(canvas, min, cell, value, TextColourOn(fill));
        if (canvas.Hit(min, cell)) HoverWeight(data, filter, slice, tap_row, tap_col, editable, hover);
      }
    }
    DrawGridLines(canvas, slice_origin, weights.width, weights.height, cell);
    const ImVec2 slice_max(slice_origin.x + static_cast<float>(weights.width) * cell,
                           slice_origin.y + static_cast<float>(weights.height) * cell);
    MarkSlice(canvas, slice_origin, slice_max, active, !per_channel_step || channel == step.channel);
    if (cell >= Em(0.9f) && (weights.channels > 1 || data.scene.layer.groups > 1)) {
      const float size = ImGui::GetFontSize() * 0.7f;
      canvas.draw->AddText(BodyFont(), size, ImVec2(slice_origin.x, slice_max.y + Em(0.1f)),
                           colours::kMutedText, ("ch " + std::to_string(channel)).c_str());
    }
  }
}

void DrawFilters(const Canvas& canvas, const SceneData& data, const CellWork& work, const GridLayout& layout,
                 const GridPage& page, ImVec2 origin, bool editable, std::vector<GridPicture>* images, Hover* hover) {
  const FilterBank& weights = data.scene.weights;
  const Step& step = work.step;
  const float cell = layout.cell;
  const WindowTerm* current =
      work.current_term >= 0 ? &work.terms[static_cast<std::size_t>(work.current_term)] : nullptr;
  const bool as_pictures = images != nullptr && cell < kPictureBelowCell;

  const ColumnLabels labels = PlanLabels("filter", page.first + page.count, step.out_channel, layout);
  for (int filter = page.first; filter < page.first + page.count; ++filter) {
    const ImVec2 grid_origin = layout.GridOrigin(origin, filter - page.first);
    const bool active = filter == step.out_channel;
    DrawLabel(canvas, ImVec2(grid_origin.x, grid_origin.y + Em(0.1f)), filter, labels);
    const ImVec2 cells_origin(grid_origin.x, grid_origin.y + layout.label);
    if (as_pictures) {
      DrawFilterPicture(canvas, data, work, cells_origin, cell, filter, images, editable, hover);
    } else {
      DrawFilterSlices(canvas, data, work, cells_origin, cell, filter, editable, hover);
    }
    const int first_seen = FirstGroupChannel(data.scene, filter);
    // The weight the current product multiplies.
    if (active && current != nullptr && current->channel >= first_seen && current->channel < first_seen + weights.channels) {
      const int slice = current->channel - first_seen;
      const ImVec2 min(cells_origin.x + static_cast<float>(current->tap_col) * cell,
                       cells_origin.y + static_cast<float>(slice * (weights.height + 1) + current->tap_row) * cell);
      canvas.draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), WithAlpha(colours::kAccent, 210));
      canvas.draw->AddRect(min, ImVec2(min.x + cell, min.y + cell), colours::kAccent, 0.0f, 0, Em(0.2f));
      DrawCellValue(canvas, min, cell, weights.At(filter, slice, current->tap_row, current->tap_col),
                    IM_COL32(255, 255, 255, 255));
    }

    if (!data.scene.bias.empty()) {
      const int bias_col = weights.width + 1;
      const ImVec2 min(cells_origin.x + static_cast<float>(bias_col) * cell, cells_origin.y);
      const float value = data.scene.bias[static_cast<std::size_t>(filter)];
      const ImU32 fill = ValueColour(value, data.weight_max_abs);
      canvas.draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), fill, Em(0.3f));
      canvas.draw->AddRect(min, ImVec2(min.x + cell, min.y + cell), colours::kGridLine, Em(0.3f));
      DrawCellValue(canvas, min, cell, value, TextColourOn(fill));
      if (active && step.kind == StepKind::kBias) {
        canvas.draw->AddRect(min, ImVec2(min.x + cell, min.y + cell), colours::kAccent, Em(0.3f), 0, Em(0.16f));
      }
      if (cell >= Em(0.9f)) {
        const float size = ImGui::GetFontSize() * 0.7f;
        canvas.draw->AddText(BodyFont(), size, ImVec2(min.x, min.y + cell + Em(0.1f)), colours::kMutedText, "bias");
      }
      if (!active) {
        canvas.draw->AddRectFilled(min, ImVec2(min.x + cell, min.y + cell), IM_COL32(255, 255, 255, 150), Em(0.3f));
      }
      if (canvas.Hit(min, cell)) {
        hover->tooltip = "bias of filter " + std::to_string(filter) + ": " + FormatValue(value);
        if (editable) {
          hover->tooltip += "\nclick to edit";
          hover->edit = ValueTarget{ValueTarget::Tensor::kBias, filter, 0, 0, 0};
        }
      }
    }
  }
}

// A "?" one cell wide beside (or under) the part of a grid still hidden: the same mark whatever
// the count, so it gives nothing away.
void DrawHiddenMark(const Canvas& canvas, ImVec2 min, float cell) {
  const ImVec2 max(min.x + cell, min.y + cell);
  canvas.draw->AddRect(min, max, colours::kGridLine, 0.0f, 0, Em(0.06f));
  DrawCellText(canvas, min, cell, "?", colours::kMutedText);
}

// `preview`: cells not written yet are drawn faded (a photo's map, when no open exercise asks
// for one of its values).
void DrawOutputs(const Canvas& canvas, const SceneData& data, const CellWork& work, const GridLayout& layout,
                 const GridPage& page, ImVec2 origin, const OutputExtent& extent, bool preview,
                 std::vector<GridPicture>* images, Hover* hover) {
  const Geometry& geometry = data.geometry;
  const Step& step = work.step;
  const float cell = layout.cell;
  const bool pooling = IsPooling(data.scene.layer.op);
  const ColumnLabels labels = PlanLabels(pooling ? "channel" : "map", page.first + page.count, step.out_channel, layout);
  for (int map = page.first; map < page.first + page.count; ++map) {
    const ImVec2 grid_origin = layout.GridOrigin(origin, map - page.first);
    DrawLabel(canvas, ImVec2(grid_origin.x, grid_origin.y + Em(0.1f)), map, labels);
    const ImVec2 cells_origin(grid_origin.x, grid_origin.y + layout.label);
    // Pictures follow the input channels' in the caller's list.
    // A map's colours change only while the window is inside it.
    const std::int64_t map_cells = static_cast<std::int64_t>(geometry.out_height) * geometry.out_width;
    const std::int64_t written = std::clamp<std::int64_t>(work.cell - map * map_cells, -1, map_cells);
    std::uint32_t partial_bits = 0;
    if (written >= 0 && written < map_cells) std::memcpy(&partial_bits, &step.partial, sizeof partial_bits);
    const std::uint64_t settled =
        ContentKey({data.generation, 1, static_cast<std::uint64_t>(map), static_cast<std::uint64_t>(extent.rows),
                    static_cast<std::uint64_t>(extent.cols), preview ? 1u : 0u});
    const WindowProgress progress{
        settled, map_cells > 0 ? static_cast<int>(std::clamp<std::int64_t>(written, 0, map_cells - 1) / geometry.out_width) : 0};
    CellPainter painter(canvas, images, data.scene.input.channels + map, cells_origin, extent.cols, extent.rows, cell,
                        ContentKey({settled, static_cast<std::uint64_t>(written), partial_bits}), &progress);
    // Cells still to be written share one background rectangle.
    if (!painter.AsPicture()) {
      canvas.draw->AddRectFilled(cells_origin,
                                 ImVec2(cells_origin.x + static_cast<float>(extent.cols) * cell,
                                        cells_origin.y + static_cast<float>(extent.rows) * cell),
                                 colours::kPending);
    }
    if (extent.more_cols) {
      DrawHiddenMark(canvas, ImVec2(cells_origin.x + static_cast<float>(extent.cols) * cell, cells_origin.y), cell);
    }
    if (extent.more_rows) {
      DrawHiddenMark(canvas, ImVec2(cells_origin.x, cells_origin.y + static_cast<float>(extent.rows) * cell), cell);
    }
    const ValueScale& written_scale = SharedValueScale(data.output_max_abs);
    const ValueScale& pending_scale = SharedValueScale(data.output_max_abs, colours::kPending, kNotYetAmount);
    const bool shows_text = CellShowsText(cell);
    const auto cell_min = [&](int row, int col) {
      return ImVec2(cells_origin.x + static_cast<float>(col) * cell, cells_origin.y + static_cast<float>(row) * cell);
    };
    // Row by row, in runs: the cells written, the one being written, and (a photo's map, shown
    // whole from the start) the ones the window has not reached, faded.
    for (int painted_row = painter.FirstRow(); painted_row < painter.EndRow(); ++painted_row) {
      const int row = painter.CellRow(painted_row);
      const std::int64_t row_start = (static_cast<std::int64_t>(map) * geometry.out_height + row) * geometry.out_width;
      const float* values = data.output.values.data() + row_start;
      const int written = static_cast<int>(std::clamp<std::int64_t>(work.cell - row_start, 0, extent.cols));
      int painted_col = 0;
      for (; painted_col < painter.Cols() && painter.CellCol(painted_col) < written; ++painted_col) {
        const int col = painter.CellCol(painted_col);
        const ImU32 fill = written_scale(values[col]);
        painter.Fill(painted_row, painted_col, fill);
        if (shows_text) DrawCellValue(canvas, cell_min(row, col), cell, values[col], TextColourOn(fill));
      }
      if (painted_col < painter.Cols() && row_start + painter.CellCol(painted_col) == work.cell) {
        const ImU32 fill = ValueColour(step.partial, data.output_max_abs);
        painter.Fill(painted_row, painted_col, fill);
        if (shows_text) DrawCellValue(canvas, cell_min(row, painter.CellCol(painted_col)), cell, step.partial, TextColourOn(fill));
        ++painted_col;
      }
      for (; preview && painted_col < painter.Cols(); ++painted_col) {
        painter.Fill(painted_row, painted_col, pending_scale(values[painter.CellCol(painted_col)]));
      }
    }
    painter.Finish();
    int row = 0, col = 0;
    if (CellUnderMouse(canvas, cells_origin, extent.cols, extent.rows, cell, &row, &col)) {
      const std::int64_t index = (static_cast<std::int64_t>(map) * geometry.out_height + row) * geometry.out_width + col;
      hover->tooltip = (pooling ? "output channel " : "output map ") + std::to_string(map) + ", row " +
                       std::to_string(row) + ", column " + std::to_string(col);
      if (index <= work.cell) hover->tooltip += ": " + FormatValue(data.output.At(map, row, col));
      hover->tooltip += "\nclick to jump to this cell";
      hover->seek_cell = index;
    }
    DrawGridLines(canvas, cells_origin, extent.cols, extent.rows, cell);
    if (map == step.out_channel) {
      const ImVec2 min(cells_origin.x + static_cast<float>(step.out_col) * cell,
                       cells_origin.y + static_cast<float>(step.out_row) * cell);
      canvas.draw->AddRect(min, ImVec2(min.x + cell, min.y + cell), colours::kAccent, Em(0.1f), 0, Em(0.18f));
      DrawFinderRing(canvas, min, ImVec2(min.x + cell, min.y + cell), cells_origin,
                     ImVec2(cells_origin.x + static_cast<float>(extent.cols) * cell,
                            cells_origin.y + static_cast<float>(extent.rows) * cell));
    }
  }
}

}  // namespace

std::string GridPage::Note(const char* noun) const {
  if (count == total) return "";
  return std::string(", ") + noun + " " + std::to_string(first) + "\xE2\x80\x93" + std::to_string(first + count - 1) +
         " shown";
}

GridPage PageHolding(int total, int current) {
  GridPage page;
  page.total = total;
  page.first = total > kMaxShownGrids && current > 0 ? current / kMaxShownGrids * kMaxShownGrids : 0;
  page.count = std::min(total - page.first, kMaxShownGrids);
  return page;
}

GridPage GroupPageHolding(int total, int group_size, int current) {
  if (total <= kMaxShownGrids || group_size <= 0) return PageHolding(total, current);
  const int group_first = std::max(current, 0) / group_size * group_size;
  GridPage page;
  page.total = total;
  if (group_size > kMaxShownGrids) {
    // Pages of the group's own channels, as the equation counts them.
    page.first = group_first + std::max(current - group_first, 0) / kMaxShownGrids * kMaxShownGrids;
    page.count = std::min(group_first + group_size - page.first, kMaxShownGrids);
  } else {
    // As many whole groups as fit.
    const int channels_a_page = kMaxShownGrids / group_size * group_size;
    page.first = std::max(current, 0) / channels_a_page * channels_a_page;
    page.count = std::min(total - page.first, channels_a_page);
  }
  return page;
}

OutputExtent VisibleOutputExtent(const Geometry& geometry, std::int64_t cell, bool hide_height, bool hide_width) {
  OutputExtent extent{geometry.out_height, geometry.out_width, false, false};
  const std::int64_t map_cells = static_cast<std::int64_t>(geometry.out_height) * geometry.out_width;
  if (cell >= map_cells || map_cells == 0) return extent;  // a whole map is written: nothing left to hide
  const int row = static_cast<int>(cell / geometry.out_width);
  const int col = static_cast<int>(cell % geometry.out_width);
  if (hide_height && row + 1 < geometry.out_height) extent = OutputExtent{row + 1, extent.cols, true, false};
  if (hide_width && row == 0 && col + 1 < geometry.out_width) {
    extent.cols = col + 1;
    extent.more_cols = true;
  }
  return extent;
}

namespace {

float ColumnHeaderWidth(const char* title, const std::string& detail) {
  const float size = ImGui::GetFontSize();
  return BoldFont()->CalcTextSizeA(size, 1e9f, 0.0f, title).x + Em(0.5f) +
         BodyFont()->CalcTextSizeA(size * 0.85f, 1e9f, 0.0f, detail.c_str()).x;
}

// When the columns' whole headers are wider together than the stage (a deep layer's shapes and
// pages on a narrow window), each column asks only for its title: the details are cut short
// (DrawColumnHeader) rather than every grid squeezed to a pixel.
void DropHeaderWidthsThatCannotFit(std::vector<ColumnSpec>& specs, const std::vector<const char*>& titles, float width,
                                   float column_gap) {
  float wanted = column_gap * static_cast<float>(specs.size() - 1);
  for (const ColumnSpec& spec : specs) wanted += spec.min_width;
  if (wanted <= width) return;
  for (std::size_t i = 0; i < specs.size(); ++i) specs[i].min_width = ColumnHeaderWidth(titles[i], "");
}

// Outlines, on the input, the window of the output cell under the mouse: where its numbers come
// from. The window's place is the core's (the cell's first step), not worked out here.
void DrawWindowPreview(const Canvas& canvas, const SceneData& data, const GridLayout& layout, const GridPage& page,
                       ImVec2 origin, std::int64_t cell_index) {
  if (Gathers(data.scene)) return;  // no window: the cell's input cells are scattered
  const Step first = StepAt(data.scene, data.geometry, Level::kCell, cell_index);
  const Geometry& geometry = data.geometry;
  const float cell = layout.cell;
  const bool pooling = IsPooling(data.scene.layer.op);
  for (int channel = page.first; channel < page.first + page.count; ++channel) {
    if (pooling && channel != first.out_channel) continue;
    const ImVec2 grid = layout.GridOrigin(origin, channel - page.first);
    const ImVec2 min(grid.x + static_cast<float>(first.origin_col + geometry.cols.pad_before) * cell,
                     grid.y + layout.label + static_cast<float>(first.origin_row + geometry.rows.pad_before) * cell);
    const ImVec2 max(min.x + static_cast<float>(geometry.cols.span) * cell,
                     min.y + static_cast<float>(geometry.rows.span) * cell);
    canvas.draw->AddRectFilled(min, max, IM_COL32(255, 196, 0, 40));
    canvas.draw->AddRect(min, max, IM_COL32(230, 150, 0, 255), 0.0f, 0, Em(0.12f));
  }
}

// `text` as it fits `room` at `size`: whole, or cut short at a whole character with "…" ("" when
// not even that fits).
std::string ShortenedToFit(ImFont* font, float size, const std::string& text, float room) {
  if (font->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str()).x <= room) return text;
  const std::string ellipsis = "\xE2\x80\xA6";
  std::size_t end = text.size();
  while (end > 0 && font->CalcTextSizeA(size, 1e9f, 0.0f, (text.substr(0, end) + ellipsis).c_str()).x > room) {
    --end;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u) --end;  // whole UTF-8 characters
  }
  return end > 0 ? text.substr(0, end) + ellipsis : std::string();
}

// What the colours mean, in one line under the picture up to `right`, then the ends of the value
// scales; on a narrow stage the ends come last, cut short, whole in their tooltip. `output_end`:
// say how large the output's full colour is (not while an exercise asks for a value, which the
// largest one might be).
void DrawLegend(const Canvas& canvas, ImVec2 at, float right, const SceneData& data, bool output_end, Hover* hover) {
  const float size = ImGui::GetFontSize() * 0.8f;
  const float swatch = size;
  ImFont* font = BodyFont();
  float x = at.x;
  auto entry = [&](const char* label, auto&& draw_swatch) {
    const ImVec2 min(x, at.y + (size - swatch) * 0.5f + Em(0.05f));
    draw_swatch(min, ImVec2(min.x + swatch, min.y + swatch));
    x += swatch + Em(0.35f);
    canvas.draw->AddText(font, size, ImVec2(x, at.y), colours::kMutedText, label);
    x += font->CalcTextSizeA(size, 1e9f, 0.0f, label).x + Em(1.1f);
  };
  const float scale = 1.0f;
  auto never_covered = [&] {
    if (data.geometry.rows.uncovered <= 0 && data.geometry.cols.uncovered <= 0) return;
    entry("never covered", [&](ImVec2 min, ImVec2 max) {
      canvas.draw->AddRectFilled(min, max, ValueColour(scale * 0.6f, scale));
      canvas.draw->AddRectFilled(min, max, IM_COL32(246, 246, 243, 190));
    });
  };
  entry("negative", [&](ImVec2 min, ImVec2 max) { canvas.draw->AddRectFilled(min, max, ValueColour(-scale, scale)); });
  entry("zero", [&](ImVec2 min, ImVec2 max) {
    canvas.draw->AddRectFilled(min, max, ValueColour(0.0f, scale));
    canvas.draw->AddRect(min, max, colours::kGridLine);
  });
  entry("positive", [&](ImVec2 min, ImVec2 max) { canvas.draw->AddRectFilled(min, max, ValueColour(scale, scale)); });
  entry(PoolingSkipsPadding(data.scene.layer) ? "padding (ignored)" : "padding (zeros)", [&](ImVec2 min, ImVec2 max) {
    DrawHatch(canvas, min, max.x - min.x);
  });
  entry("window", [&](ImVec2 min, ImVec2 max) {
    canvas.draw->AddRectFilled(min, max, colours::kAccentSoft);
    canvas.draw->AddRect(min, max, colours::kAccent, 0.0f, 0, Em(0.12f));
  });
  entry(IsPooling(data.scene.layer.op) ? "current tap" : "current product",
        [&](ImVec2 min, ImVec2 max) { canvas.draw->AddRectFilled(min, max, colours::kAccent); });
  // The ends of the diverging scales, so a colour can be read back as a number.
  const std::string ends =
      (data.input_is_picture ? std::string("input: pixel / 255, dark 0 to light 1")
                             : "full colour: input \xC2\xB1" + FormatValue(data.input_max_abs)) +
      (output_end ? ", output \xC2\xB1" + FormatValue(data.output_max_abs) : std::string());
  const float ends_width = font->CalcTextSizeA(size, 1e9f, 0.0f, ends.c_str()).x;
  const bool uncovered = data.geometry.rows.uncovered > 0 || data.geometry.cols.uncovered > 0;
  const float never_covered_width =
      uncovered ? swatch + Em(0.35f) + font->CalcTextSizeA(size, 1e9f, 0.0f, "never covered").x + Em(1.1f) : 0.0f;
  if (x + ends_width + Em(1.1f) + never_covered_width <= right) {
    canvas.draw->AddText(font, size, ImVec2(x, at.y), colours::kMutedText, ends.c_str());
    x += ends_width + Em(1.1f);
    never_covered();
    return;
  }
  never_covered();
  canvas.draw->AddText(font, size, ImVec2(x, at.y), colours::kMutedText, ShortenedToFit(font, size, ends, right - x).c_str());
  if (ImGui::IsMouseHoveringRect(ImVec2(x, at.y), ImVec2(right, at.y + size * 1.3f))) hover->tooltip = ends;
}

// Inputs whose grids have more cells than this along a side are too fine to read on the stage:
// a magnifier beside or under the grids then shows the values under the window.
constexpr int kMagnifyAboveCells = 40;
constexpr float kMagnifierCellEm = 2.7f;
// A band of magnifiers under the grids takes at most this share of the stage's height: a large
// window (AlexNet's 11×11, a 31×31 blur) gets smaller taps rather than pushing the grids out.
constexpr float kMagnifierBandShare = 0.5f;
// Below these tap sizes the product, then the value too, no longer fits in a tap: colours only.
constexpr float kMagnifierProductCellEm = 2.0f;
constexpr float kMagnifierValueCellEm = 1.2f;
constexpr float kMagnifierSumWidthEm = 8.0f;

// Where the magnifier goes: one channel's taps fit in a column beside the grids (which keeps the
// picture tall); several channels go side by side in a band under them. `cell` is a tap's side.
struct MagnifierPlace {
  bool shown = false;
  bool beside = false;
  ImVec2 size;
  float cell = 0.0f;
};

int MagnifiedChannels(const Scene& scene) { return IsPooling(scene.layer.op) ? 1 : scene.input.channels; }

MagnifierPlace PlaceMagnifier(const SceneData& data, ImVec2 room) {
  MagnifierPlace place;
  const Geometry& geometry = data.geometry;
  place.shown = std::max(ShownCells(data.scene, geometry.rows), ShownCells(data.scene, geometry.cols)) > kMagnifyAboveCells;
  if (!place.shown) return place;
  const float largest = Em(kMagnifierCellEm);
  const float rows = static_cast<float>(geometry.rows.kernel);
  const float cols = static_cast<float>(geometry.cols.kernel);
  const int channels = MagnifiedChannels(data.scene);
  const ImVec2 column(std::max(cols * largest, Em(8.0f)) + Em(1.5f),
                      Em(1.5f) + static_cast<float>(channels) * (rows * largest + Em(1.3f)) + Em(3.4f));
  place.beside = channels == 1 && column.y <= room.y;
  if (place.beside) {
    place.cell = largest;
    place.size = column;
    return place;
  }
  // The band's taps: as large as they were made to be, unless the window's rows would take more
  // than the band's share of the height or one channel and the sum more than the width.
  const float band_rows_height = kMagnifierBandShare * room.y - Em(2.1f);
  const float band_width = room.x - Em(kMagnifierSumWidthEm) - Em(1.0f);
  place.cell = std::max(1.0f, std::min({largest, band_rows_height / rows, band_width / cols}));
  place.size = ImVec2(room.x, Em(1.5f) + rows * place.cell + Em(0.6f));
  return place;
}

// `size`, or smaller so that `text` in the body font is at most `width` wide.
float FittedTextSize(float size, const std::string& text, float width) {
  return std::min(size, size * width / std::max(1.0f, BodyFont()->CalcTextSizeA(size, 1e9f, 0.0f, text.c_str()).x));
}

// The values under the window at this step, large enough to read: for each input channel the
// window takes in, its k×k taps with the pixel value and (convolution) the product with the
// weight under it; the term being added is in the accent; then the running sum.
void DrawMagnifier(const Canvas& canvas, const SceneData& data, const CellWork& work, ImVec2 at,
                   const MagnifierPlace& place) {
  const Geometry& geometry = data.geometry;
  const bool pooling = IsPooling(data.scene.layer.op);
  const float cell = place.cell;
  const bool shows_value = cell >= Em(kMagnifierValueCellEm);
  const bool shows_product = !pooling && cell >= Em(kMagnifierProductCellEm);
  const float small = ImGui::GetFontSize() * 0.72f;
  const float grid_width = static_cast<float>(geometry.cols.kernel) * cell;
  const float grid_height = static_cast<float>(geometry.rows.kernel) * cell;
  canvas.draw->AddText(BoldFont(), ImGui::GetFontSize() * 0.85f, at, colours::kText, "Under the window");
  ImVec2 next(at.x, at.y + Em(1.4f));
  std::vector<int> channels;  // the terms come in channel order
  for (const WindowTerm& term : work.terms) {
    if (channels.empty() || channels.back() != term.channel) channels.push_back(term.channel);
  }
  const float sum_width = Em(kMagnifierSumWidthEm);
  // The channels whose windows fit in a row, from the first, then "…" for the rest; at a channel
  // or term step on a channel past those (a deep layer's 200th), the first ones, "…", that
  // channel and "…" again, so the products being added are always in view.
  const float slot = grid_width + Em(1.0f);
  const int fit = place.beside ? static_cast<int>(channels.size())
                               : std::max(1, static_cast<int>((place.size.x - sum_width - grid_width) / slot) + 1);
  const bool per_channel_step = ReadsOneChannel(work.step);
  const auto current = per_channel_step ? std::find(channels.begin(), channels.end(), work.step.channel) : channels.end();
  const int current_position = current == channels.end() ? -1 : static_cast<int>(current - channels.begin());
  std::vector<int> shown_positions;  // -1: "…"
  if (static_cast<int>(channels.size()) <= fit) {
    for (int position = 0; position < static_cast<int>(channels.size()); ++position) shown_positions.push_back(position);
  } else if (current_position < fit) {
    for (int position = 0; position < fit; ++position) shown_positions.push_back(position);
    shown_positions.push_back(-1);
  } else {
    for (int position = 0; position < fit - 2; ++position) shown_positions.push_back(position);
    shown_positions.push_back(-1);
    shown_positions.push_back(current_position);
    if (current_position + 1 < static_cast<int>(channels.size())) shown_positions.push_back(-1);
  }
  for (const int position : shown_positions) {
    if (position < 0) {
      canvas.draw->AddText(BodyFont(), small, next, colours::kMutedText, "…");
      next.x += Em(1.2f);
      continue;
    }
    const int channel = channels[static_cast<std::size_t>(position)];
    for (std::size_t index = 0; index < work.terms.size(); ++index) {
      const WindowTerm& term = work.terms[index];
      if (term.channel != channel) continue;
      const ImVec2 min(next.x + static_cast<float>(term.tap_col) * cell, next.y + static_cast<float>(term.tap_row) * cell);
      const ImVec2 max(min.x + cell, min.y + cell);
      const bool current = static_cast<int>(index) == work.current_term;
      const bool done = static_cast<int>(index) < work.terms_done;
      const ImU32 fill = current ? colours::kAccent
                         : term.padded ? colours::kPadding
                         : data.input_is_picture ? PixelColour(term.input, term.channel, data.scene.input.channels)
                                                 : ValueColour(term.input, data.input_max_abs);
      canvas.draw->AddRectFilled(min, max, fill);
      canvas.draw->AddRect(min, max, current ? colours::kAccent : colours::kGridLine, 0.0f, 0,
                           current ? Em(0.15f) : 1.0f);
      if (!shows_value) continue;
      const ImU32 ink = current ? IM_COL32(255, 255, 255, 255) : TextColourOn(fill);
      const std::string value = term.padded ? (PoolingSkipsPadding(data.scene.layer) ? std::string("pad") : std::string("0"))
                                            : FormatValue(term.input);
      // Alone in its tap (too small for the product under it), the value is centred and fitted.
      const float wanted_size = ImGui::GetFontSize() * 0.8f;
      const float value_size = shows_product ? wanted_size : FittedTextSize(wanted_size, value, cell * 0.9f);
      const ImVec2 extent = BodyFont()->CalcTextSizeA(value_size, 1e9f, 0.0f, value.c_str());
      const float value_top = shows_product ? min.y + cell * 0.14f : min.y + (cell - extent.y) * 0.5f;
      canvas.draw->AddText(BodyFont(), value_size, ImVec2(min.x + (cell - extent.x) * 0.5f, value_top), ink, value.c_str());
      if (shows_product) {
        const std::string product =
            "\xC3\x97" + FormatValue(term.weight) + (done || current ? " = " + FormatValue(term.product) : "");
        const float product_size = FittedTextSize(small, product, cell * 0.92f);
        const ImVec2 product_extent = BodyFont()->CalcTextSizeA(product_size, 1e9f, 0.0f, product.c_str());
        canvas.draw->AddText(BodyFont(), product_size,
                             ImVec2(min.x + (cell - product_extent.x) * 0.5f, min.y + cell * 0.56f),
                             current ? ink : WithAlpha(ink, 200), product.c_str());
      }
    }
    const std::string label = "channel " + std::to_string(channel);
    canvas.draw->AddText(BodyFont(), small, ImVec2(next.x, next.y + grid_height + Em(0.1f)), colours::kMutedText,
                         label.c_str());
    if (place.beside) {
      next.y += grid_height + Em(1.3f);
    } else {
      next.x += grid_width + Em(1.0f);
    }
  }
  // The running sum (or max, or mean) of the cell after this step: the same number the equation
  // line ends with, and the core's Step.partial.
  if (place.beside) next.y += Em(0.2f);
  const char* what = pooling ? (data.scene.layer.op == Op::kMaxPool2d ? "max so far" : "so far") : "sum so far";
  canvas.draw->AddText(BodyFont(), small, next, colours::kMutedText, what);
  canvas.draw->AddText(MonoFont(), ImGui::GetFontSize() * 1.1f, ImVec2(next.x, next.y + Em(0.9f)), colours::kAccent,
                       FormatValue(work.step.partial).c_str());
  if (work.cell_finished) {
    canvas.draw->AddText(BodyFont(), small, ImVec2(next.x, next.y + Em(2.3f)), colours::kMutedText, "the cell is done");
  }
}

// A column's title and, after it, its detail (the shape, the page shown) within `room`: on a narrow
// stage the detail ends in "…" and the whole of it is the header's tooltip.
void DrawColumnHeader(const Canvas& canvas, ImVec2 at, float room, const char* title, const std::string& detail,
                      Hover* hover) {
  ImFont* bold = BoldFont();
  ImFont* body = BodyFont();
  const float size = ImGui::GetFontSize();
  const float small = size * 0.85f;
  canvas.draw->AddText(bold, size, at, colours::kText, title);
  const float detail_x = at.x + bold->CalcTextSizeA(size, 1e9f, 0.0f, title).x + Em(0.5f);
  const float detail_room = at.x + room - detail_x;
  const std::string shown = ShortenedToFit(body, small, detail, detail_room);
  if (shown != detail && ImGui::IsMouseHoveringRect(at, ImVec2(at.x + room, at.y + size * 1.2f))) hover->tooltip = detail;
  canvas.draw->AddText(body, small, ImVec2(detail_x, at.y + size * 0.1f), colours::kMutedText, shown.c_str());
}

}  // namespace

GridPanelRequest DrawGridPanel(const SceneData& data, const CellWork& work, const GridPanelState& state,
                               ImVec2 size) {
  GridPanelRequest request;
  const Scene& scene = data.scene;
  const Geometry& geometry = data.geometry;
  const bool pooling = IsPooling(scene.layer.op);

  const ImVec2 top_left = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##grids", size);
  Canvas canvas;
  canvas.draw = ImGui::GetWindowDrawList();
  canvas.mouse = ImGui::GetIO().MousePos;
  canvas.hovered = ImGui::IsItemHovered();
  canvas.clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);

  const float header = Em(1.9f);
  const float legend = Em(1.6f);
  const float column_gap = Em(2.0f);
  const MagnifierPlace magnifier = PlaceMagnifier(data, ImVec2(size.x, size.y - header - legend));
  const ImVec2 body(size.x - (magnifier.beside ? magnifier.size.x + column_gap : 0.0f),
                    size.y - header - legend - (magnifier.shown && !magnifier.beside ? magnifier.size.y : 0.0f));
  const int columns = pooling ? 2 : 3;
  const bool padded = !Gathers(scene) &&
      geometry.padding.top + geometry.padding.bottom + geometry.padding.left + geometry.padding.right > 0;
  // Which grids each column shows: the page holding the channel, filter and map the step is on.
  const Step& step = work.step;
  const bool per_channel_step = ReadsOneChannel(step);
  const GridPage input_page =
      pooling ? PageHolding(scene.input.channels, step.out_channel)
              : GroupPageHolding(scene.input.channels, scene.weights.channels,
                                 per_channel_step ? step.channel : FirstGroupChannel(scene, step.out_channel));
  const GridPage filter_page = PageHolding(scene.weights.filters, step.out_channel);
  const GridPage output_page = PageHolding(geometry.out_channels, step.out_channel);
  const std::string input_detail = Dims(scene.input.channels, scene.input.height, scene.input.width) +
                                   (padded ? ", padded" : "") + input_page.Note("channels");
  const std::string filter_detail = std::to_string(scene.weights.filters) + " \xC3\x97 " +
                                    Dims(scene.weights.channels, scene.weights.height, scene.weights.width) +
                                    filter_page.Note("filters");
  const ShapeFact output_fact = OutputFact(geometry, state.spoilers != nullptr ? *state.spoilers : lessons::Spoilers(),
                                          state.spoilers != nullptr ? state.scene_index : -1);
  const std::string output_detail = output_fact.value + output_page.Note(pooling ? "channels" : "maps");

  std::vector<ColumnSpec> specs;
  specs.push_back(ColumnSpec{input_page.count, ShownCells(scene, geometry.cols), ShownCells(scene, geometry.rows),
                             Em(kMaxCellEm), ColumnHeaderWidth("Input", input_detail)});
  specs.push_back(ColumnSpec{output_page.count, geometry.out_width, geometry.out_height, Em(kMaxCellEm),
                             ColumnHeaderWidth("Output", output_detail)});
  std::vector<GridLayout> placed;
  if (pooling) {
    DropHeaderWidthsThatCannotFit(specs, {"Input", "Output"}, body.x, column_gap);
    placed = FitColumns(specs, body, column_gap);
  } else {
    // Each filter is a stack of slices with a caption row under each, the bias beside the first.
    const int filter_cols = scene.weights.width + (scene.bias.empty() ? 0 : 2);
    const int filter_rows = scene.weights.channels * (scene.weights.height + 1);
    const ColumnSpec filter_spec{filter_page.count, filter_cols, filter_rows,
                                 Em(kMaxFilterCellEm), ColumnHeaderWidth("Filters", filter_detail)};
    specs.insert(specs.begin() + 1, filter_spec);
    DropHeaderWidthsThatCannotFit(specs, {"Input", "Filters", "Output"}, body.x, column_gap);
    // One scale for everything when its numbers stay readable; otherwise (a large input) the
    // filters keep their own readable size from a share of the width, and input and output
    // share what is left.
    placed = FitColumns(specs, body, column_gap);
    if (placed[0].cell < Em(kReadableCellEm)) {
      // (At least as wide as the column's header, or nothing would fit and the filters would
      // fall back to a pixel a cell.)
      const float filters_width = std::max(body.x * 0.2f, specs[1].min_width);
      const GridLayout filters = FitColumns({specs[1]}, ImVec2(filters_width, body.y), column_gap).front();
      const float maps_width = body.x - std::max(filters.Size(specs[1].count).x, specs[1].min_width) - column_gap;
      placed = FitColumns({specs[0], specs[2]}, ImVec2(maps_width, body.y), column_gap);
      // A photo under a layer of many maps would be drawn as small as each map (3 channels beside
      // 32 maps of 128×128: 20 pixels each): below 2 em it gets its own share of the width.
      if (data.input_is_picture && specs[2].count > specs[0].count &&
          placed[0].cell * static_cast<float>(specs[0].grid_cols) < Em(kSmallPhotoEm)) {
        const GridLayout photo = FitColumns({specs[0]}, ImVec2(kPhotoShare * maps_width, body.y), column_gap).front();
        const float photo_width = std::max(photo.Size(specs[0].count).x, specs[0].min_width);
        const GridLayout maps = FitColumns({specs[2]}, ImVec2(maps_width - photo_width - column_gap, body.y), column_gap).front();
        placed = {photo, maps};
      }
      placed.insert(placed.begin() + 1, filters);
    }
  }
  const GridLayout& inputs = placed.front();
  const GridLayout& outputs = placed.back();

  float widths[3] = {0.0f, 0.0f, 0.0f};
  float used = 0.0f;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    widths[i] = std::max(placed[i].Size(specs[i].count).x, specs[i].min_width);
    used += widths[i];
  }
  const float spacing = std::clamp((body.x - used) / static_cast<float>(columns + 1), Em(1.5f), Em(5.0f));
  float x = top_left.x + std::max(0.0f, (body.x - used - spacing * static_cast<float>(columns - 1)) * 0.5f);
  // Centre the picture vertically when the grids are shorter than the space.
  float content_height = 0.0f;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    content_height = std::max(content_height, placed[i].Size(specs[i].count).y);
  }
  const float y = top_left.y + std::max(0.0f, (body.y - content_height) * 0.4f);

  Hover hover;
  const float header_gap = Em(0.5f);  // between a header cut short and the next column's
  DrawColumnHeader(canvas, ImVec2(x, y), widths[0] + spacing - header_gap, "Input", input_detail, &hover);
  const ImVec2 inputs_origin(x, y + header);
  DrawInputs(canvas, data, work, inputs, input_page, inputs_origin, state.editable, state.images, &hover);
  x += widths[0] + spacing;
  if (!pooling) {
    DrawColumnHeader(canvas, ImVec2(x, y), widths[1] + spacing - header_gap, "Filters", filter_detail, &hover);
    DrawFilters(canvas, data, work, placed[1], filter_page, ImVec2(x, y + header), state.editable, state.images, &hover);
    x += widths[1] + spacing;
  }
  DrawColumnHeader(canvas, ImVec2(x, y), top_left.x + body.x - x, "Output", output_detail, &hover);
  const ImVec2 output_header_end(x + ColumnHeaderWidth("Output", output_detail), y + ImGui::GetFontSize() * 1.2f);
  if (!output_fact.note.empty() && ImGui::IsMouseHoveringRect(ImVec2(x, y), output_header_end)) {
    hover.tooltip = output_fact.note;
  }
  const lessons::Spoilers& spoilers = state.spoilers != nullptr ? *state.spoilers : lessons::Spoilers();
  const OutputExtent extent =
      VisibleOutputExtent(geometry, work.cell, spoilers.SceneAsk(state.scene_index, lessons::Ask::kOutputHeight) >= 0,
                          spoilers.SceneAsk(state.scene_index, lessons::Ask::kOutputWidth) >= 0);
  const bool values_asked = spoilers.SceneAsk(state.scene_index, lessons::Ask::kValue) >= 0 ||
                            spoilers.SceneAsk(state.scene_index, lessons::Ask::kPartialSum) >= 0;
  DrawOutputs(canvas, data, work, outputs, output_page, ImVec2(x, y + header), extent, data.maps_ahead && !values_asked,
              state.images, &hover);
  if (hover.seek_cell >= 0) DrawWindowPreview(canvas, data, inputs, input_page, inputs_origin, hover.seek_cell);
  if (magnifier.beside) {
    DrawMagnifier(canvas, data, work, ImVec2(top_left.x + size.x - magnifier.size.x, y), magnifier);
  } else if (magnifier.shown) {
    DrawMagnifier(canvas, data, work, ImVec2(top_left.x, top_left.y + size.y - legend - magnifier.size.y + Em(0.2f)),
                  magnifier);
  }
  DrawLegend(canvas, ImVec2(top_left.x, top_left.y + size.y - Em(1.1f)), top_left.x + size.x, data, !values_asked, &hover);

  if (!hover.tooltip.empty()) ImGui::SetTooltip("%s", hover.tooltip.c_str());
  if (canvas.clicked) {
    request.seek_cell = hover.seek_cell;
    request.edit = hover.edit;
  }
  return request;
}

}  // namespace convtutor::app
