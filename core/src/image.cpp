// Pictures as input: stb_image decodes PNG, JPEG, BMP and GIF files after their header has been
// checked against the size limits, and a picture becomes a gray or RGB volume, scaled down by
// area averaging (PyTorch's adaptive_avg_pool2d bins); stb_image_write writes a picture as a PNG.
// Nothing here throws; errors are values.
#include "convtutor/image.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
#include <stb/stb_image.h>  // a system header (-isystem on the web): its warnings are not ours
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

namespace convtutor {
namespace {

enum class Format { kUnknown, kPng, kJpeg, kBmp, kGif };

Format SniffFormat(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view head(reinterpret_cast<const char*>(bytes), std::min<std::size_t>(size, 8));
  if (head == std::string_view("\x89PNG\r\n\x1a\n", 8)) return Format::kPng;
  if (head.substr(0, 3) == "\xFF\xD8\xFF") return Format::kJpeg;
  if (head.substr(0, 2) == "BM") return Format::kBmp;
  if (head.substr(0, 6) == "GIF87a" || head.substr(0, 6) == "GIF89a") return Format::kGif;
  return Format::kUnknown;
}

const char* FormatName(Format format) {
  switch (format) {
    case Format::kPng: return "PNG";
    case Format::kJpeg: return "JPEG";
    case Format::kBmp: return "BMP";
    case Format::kGif: return "GIF";
    case Format::kUnknown: break;
  }
  return "picture";
}

std::uint32_t BigEndian32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
std::uint32_t LittleEndian32(const std::uint8_t* p) {
  return std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
}
std::uint32_t BigEndian16(const std::uint8_t* p) { return std::uint32_t{p[0]} << 8 | p[1]; }

struct ClaimedSize {
  std::int64_t width = 0;
  std::int64_t height = 0;
};

struct JpegHeader {
  std::optional<ClaimedSize> frame;   // the first start-of-frame's rows and columns
  bool oversized_huffman_table = false;  // a table claiming more than 256 codes
};

// Walks a JPEG's marker segments (skipping the coded data between them). Debian's stb_image
// (2022-09) writes past its tables when a Huffman table claims more than 256 codes, so such a file
// must be refused before stb_image sees it.
JpegHeader ReadJpegHeader(const std::uint8_t* bytes, std::size_t size) {
  JpegHeader header;
  std::size_t at = 2;
  while (at + 4 <= size) {
    const std::uint8_t marker = bytes[at + 1];
    const bool no_length = marker == 0x00 || marker == 0x01 || marker == 0xFF || (marker >= 0xD0 && marker <= 0xD7);
    if (bytes[at] != 0xFF || no_length) {  // coded data, a stuffed byte, a fill byte or a restart
      ++at;
      continue;
    }
    if (marker == 0xD9) break;  // end of image
    const std::size_t length = BigEndian16(bytes + at + 2);
    if (length < 2) break;
    const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame && !header.frame && at + 9 <= size) {
      header.frame = ClaimedSize{BigEndian16(bytes + at + 7), BigEndian16(bytes + at + 5)};
    }
    if (marker == 0xC4) {
      // A DHT segment: tables of a class/id byte, 16 counts of codes per length, then the symbols.
      // Read as stb_image reads it: table after table while the segment's length is not used up
      // (the last one may run past it), bytes past the end of the file read as 0.
      const auto byte_at = [bytes, size](std::size_t i) -> std::size_t { return i < size ? bytes[i] : 0; };
      std::int64_t remaining = static_cast<std::int64_t>(length) - 2;
      std::size_t table = at + 4;
      while (remaining > 0) {
        std::size_t codes = 0;
        for (std::size_t i = 1; i <= 16; ++i) codes += byte_at(table + i);
        header.oversized_huffman_table = header.oversized_huffman_table || codes > 256;
        table += 17 + codes;
        remaining -= static_cast<std::int64_t>(17 + codes);
      }
      if (remaining != 0) break;  // stb_image stops at this segment
    }
    at += 2 + length;
  }
  return header;
}

// The size a header claims, read where stb_image refuses the header itself (it refuses zero and
// huge PNG and JPEG sizes without saying what they were). Unknown when the header is cut short.
std::optional<ClaimedSize> ReadClaimedSize(Format format, const std::uint8_t* bytes, std::size_t size) {
  if (format == Format::kPng && size >= 24 && std::string_view(reinterpret_cast<const char*>(bytes + 12), 4) == "IHDR") {
    return ClaimedSize{BigEndian32(bytes + 16), BigEndian32(bytes + 20)};
  }
  if (format == Format::kBmp && size >= 26 && LittleEndian32(bytes + 14) >= 40) {
    // BITMAPINFOHEADER and later: signed 32-bit sides; a negative height means top-down rows.
    const auto height = static_cast<std::int32_t>(LittleEndian32(bytes + 22));
    return ClaimedSize{static_cast<std::int32_t>(LittleEndian32(bytes + 18)),
                       height < 0 ? -std::int64_t{height} : height};
  }
  if (format == Format::kJpeg) return ReadJpegHeader(bytes, size).frame;
  return std::nullopt;
}

// Refuses a zero-sized picture or one above kMaxPicturePixels, naming the claim and the limit.
std::optional<Error> CheckClaimedSize(const ClaimedSize& claim, const std::string& name) {
  const std::string sides = std::to_string(claim.width) + "×" + std::to_string(claim.height);
  if (claim.width <= 0 || claim.height <= 0) {
    return Error{name, "the picture's header says it is " + sides + " pixels: it has no pixels", 0};
  }
  // Each side is below 2^32, so the product fits in 64 unsigned bits.
  const std::uint64_t pixels = static_cast<std::uint64_t>(claim.width) * static_cast<std::uint64_t>(claim.height);
  if (pixels > static_cast<std::uint64_t>(kMaxPicturePixels)) {
    return Error{name, "the picture's header claims " + sides + " = " + std::to_string(pixels) +
                           " pixels; the limit is " + std::to_string(kMaxPicturePixels) + " (kMaxPicturePixels)", 0};
  }
  return std::nullopt;
}

// stb_image reads past the end of a BMP as black pixels; an uncompressed BMP whose file is shorter
// than its rows need is refused here instead.
std::optional<Error> CheckBmpLength(const std::uint8_t* bytes, std::size_t size, const ClaimedSize& claim,
                                    const std::string& name) {
  if (size < 34 || LittleEndian32(bytes + 14) < 40) return std::nullopt;  // no BITMAPINFOHEADER
  const std::uint32_t bits_per_pixel = bytes[28] | std::uint32_t{bytes[29]} << 8;
  // stb_image reads the compression as a signed number and refuses 1 and 2 (run-length coded)
  // and 4 and above; any other value, negative ones too, it decodes as uncompressed rows.
  const auto compression = static_cast<std::int32_t>(LittleEndian32(bytes + 30));
  if (compression == 1 || compression == 2 || compression >= 4) return std::nullopt;
  const std::int64_t row_bytes = (claim.width * bits_per_pixel + 31) / 32 * 4;
  const std::int64_t needed = std::int64_t{LittleEndian32(bytes + 10)} + row_bytes * claim.height;
  if (static_cast<std::int64_t>(size) >= needed) return std::nullopt;
  return Error{name, "a truncated BMP file: its " + std::to_string(claim.width) + "×" + std::to_string(claim.height) +
                         " pixels need " + std::to_string(needed) + " bytes, the file has " + std::to_string(size), 0};
}

// round(side · max_side / longest), half up, at least 1.
int ScaledSide(int side, int max_side, int longest) {
  const std::int64_t twice = 2 * std::int64_t{side} * max_side + longest;
  return std::max(1, static_cast<int>(twice / (2 * std::int64_t{longest})));
}

// One axis of adaptive_avg_pool2d: output cell i averages source cells [⌊i·n/m⌋, ⌈(i+1)·n/m⌉).
struct Bin {
  int begin = 0;
  int end = 0;
};
std::vector<Bin> AdaptiveBins(int source, int target) {
  std::vector<Bin> bins(static_cast<std::size_t>(target));
  for (int i = 0; i < target; ++i) {
    const std::int64_t begin = std::int64_t{i} * source / target;
    const std::int64_t end = (std::int64_t{i + 1} * source + target - 1) / target;
    bins[static_cast<std::size_t>(i)] = Bin{static_cast<int>(begin), static_cast<int>(end)};
  }
  return bins;
}

// One channel of 0–255 values, width·height, row by row.
using Plane = std::vector<std::uint8_t>;

// PIL's "L" conversion: ITU-R 601-2 luma in 16-bit fixed point, rounded to the nearest integer.
Plane GrayPlane(const Picture& picture) {
  Plane gray(picture.rgb.size() / 3);
  for (std::size_t i = 0; i < gray.size(); ++i) {
    const std::uint32_t r = picture.rgb[3 * i], g = picture.rgb[3 * i + 1], b = picture.rgb[3 * i + 2];
    gray[i] = static_cast<std::uint8_t>((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
  }
  return gray;
}

Plane ColorPlane(const Picture& picture, int channel) {
  Plane plane(picture.rgb.size() / 3);
  for (std::size_t i = 0; i < plane.size(); ++i) plane[i] = picture.rgb[3 * i + static_cast<std::size_t>(channel)];
  return plane;
}

// Writes channel `channel` of `volume` from a source plane, each cell the mean over its bins. The
// sums are exact integers; an output row's source rows are summed bin by bin across the columns.
void PoolPlaneInto(const Plane& plane, int source_width, Volume& volume, int channel) {
  const int source_height = static_cast<int>(plane.size() / static_cast<std::size_t>(source_width));
  const std::vector<Bin> row_bins = AdaptiveBins(source_height, volume.height);
  const std::vector<Bin> col_bins = AdaptiveBins(source_width, volume.width);
  std::vector<std::uint64_t> sums(col_bins.size());
  for (int y = 0; y < volume.height; ++y) {
    const Bin rows = row_bins[static_cast<std::size_t>(y)];
    std::fill(sums.begin(), sums.end(), 0);
    for (int sy = rows.begin; sy < rows.end; ++sy) {
      const std::uint8_t* row = plane.data() + static_cast<std::size_t>(sy) * static_cast<std::size_t>(source_width);
      for (std::size_t x = 0; x < col_bins.size(); ++x) {
        for (int sx = col_bins[x].begin; sx < col_bins[x].end; ++sx) sums[x] += row[sx];
      }
    }
    for (std::size_t x = 0; x < col_bins.size(); ++x) {
      const std::int64_t count = std::int64_t{rows.end - rows.begin} * (col_bins[x].end - col_bins[x].begin);
      volume.At(channel, y, static_cast<int>(x)) =
          static_cast<float>(static_cast<double>(sums[x]) / static_cast<double>(count) / 255.0);
    }
  }
}

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string Trimmed(const std::string& line) {
  const std::size_t begin = line.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  return line.substr(begin, line.find_last_not_of(" \t\r") - begin + 1);
}

// Debian's stb_image (2022-09) allocates what an IDAT chunk's length claims before reading it, so
// a few bytes claiming 2 GB of pixel data would cost 2 GB; such a chunk cannot be read whole anyway
// (stb_image would refuse the file after allocating), so it is refused here first. Chunks are
// walked as stb_image walks them: length, type, data, CRC, up to IEND.
std::optional<Error> CheckPngChunkLengths(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
  for (std::size_t at = 8; at + 8 <= size;) {
    const std::uint64_t length = BigEndian32(bytes + at);
    const std::string_view type(reinterpret_cast<const char*>(bytes + at + 4), 4);
    if (type == "IEND") break;
    const std::uint64_t after = size - (at + 8);
    if (type == "IDAT" && length > after) {
      return Error{name, "a truncated PNG file: its IDAT chunk at byte " + std::to_string(at) + " claims " +
                             std::to_string(length) + " bytes, only " + std::to_string(after) + " follow", 0};
    }
    if (length + 4 > after) break;
    at += 12 + static_cast<std::size_t>(length);
  }
  return std::nullopt;
}

}  // namespace

Result<Picture> DecodePicture(const std::uint8_t* bytes, std::size_t size, const std::string& name) {
  const Format format = SniffFormat(bytes, size);
  if (format == Format::kUnknown) return Error{name, "not a PNG, JPEG, BMP or GIF picture", 0};
  if (size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return Error{name, "the file is larger than stb_image can read (2 GB)", 0};
  }
  if (format == Format::kJpeg && ReadJpegHeader(bytes, size).oversized_huffman_table) {
    return Error{name, "a corrupt JPEG file (a Huffman table claims more than 256 codes)", 0};
  }
  const int length = static_cast<int>(size);
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(bytes, length, &width, &height, &channels)) {
    if (const std::optional<ClaimedSize> claim = ReadClaimedSize(format, bytes, size)) {
      if (std::optional<Error> error = CheckClaimedSize(*claim, name)) return *error;
    }
    return Error{name, std::string("a truncated or corrupt ") + FormatName(format) + " file (its header is unreadable)", 0};
  }
  // stb_image reports a top-down BMP's height as negative, as its header writes it.
  const ClaimedSize claim{width, height < 0 ? -std::int64_t{height} : height};
  if (std::optional<Error> error = CheckClaimedSize(claim, name)) return *error;
  if (format == Format::kBmp) {
    if (std::optional<Error> error = CheckBmpLength(bytes, size, claim, name)) return *error;
  }
  if (format == Format::kPng) {
    if (std::optional<Error> error = CheckPngChunkLengths(bytes, size, name)) return *error;
  }
  unsigned char* decoded = stbi_load_from_memory(bytes, length, &width, &height, &channels, 3);
  if (decoded == nullptr) {
    return Error{name, std::string("a truncated or corrupt ") + FormatName(format) + " file (stb_image: " +
                           stbi_failure_reason() + ")", 0};
  }
  Picture picture;
  picture.width = width;
  picture.height = height;
  picture.rgb.assign(decoded, decoded + static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3);
  stbi_image_free(decoded);
  return picture;
}

Result<Picture> ReadPicture(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) return Error{path, "no such file", 0};
  if (fs::is_directory(status)) return Error{path, "is a folder, not a picture file", 0};
  const std::uintmax_t size = fs::file_size(path, error);
  if (!error && size > kMaxPictureFileBytes) {
    return Error{path, "the file has " + std::to_string(size >> 20) + " MB; the limit is " +
                           std::to_string(kMaxPictureFileBytes >> 20) + " MB", 0};
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return Error{path, "cannot be opened", 0};
  std::vector<std::uint8_t> bytes;
  std::uint8_t chunk[65536];
  std::size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0 && bytes.size() <= kMaxPictureFileBytes) {
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Error{path, "cannot be read", 0};
  if (bytes.size() > kMaxPictureFileBytes) {
    return Error{path, "larger than the limit of " + std::to_string(kMaxPictureFileBytes >> 20) + " MB", 0};
  }
  return DecodePicture(bytes.data(), bytes.size(), path);
}

PictureVolume PictureToVolume(const Picture& picture, PictureMode mode, int max_side) {
  PictureVolume result;
  result.source_width = picture.width;
  result.source_height = picture.height;
  if (picture.width <= 0 || picture.height <= 0) return result;  // no picture (never decoded)
  const int limit = std::max(1, max_side);
  const int longest = std::max(picture.width, picture.height);
  int width = picture.width, height = picture.height;
  if (longest > limit) {
    width = ScaledSide(picture.width, limit, longest);
    height = ScaledSide(picture.height, limit, longest);
    result.scaled = true;
  }
  result.volume = PictureToSizedVolume(picture, mode, height, width);
  return result;
}

Volume PictureToSizedVolume(const Picture& picture, PictureMode mode, int height, int width) {
  const int channels = mode == PictureMode::kGray ? 1 : 3;
  Volume volume = Volume::Zeros(channels, height, width);
  if (picture.width <= 0 || picture.height <= 0) return volume;
  for (int c = 0; c < channels; ++c) {
    const Plane plane = mode == PictureMode::kGray ? GrayPlane(picture) : ColorPlane(picture, c);
    PoolPlaneInto(plane, picture.width, volume, c);
  }
  return volume;
}

Picture ReducedPicture(const Picture& picture, int max_side) {
  const int limit = std::max(1, max_side);
  const int longest = std::max(picture.width, picture.height);
  if (picture.width <= 0 || picture.height <= 0 || longest <= limit) return picture;
  Picture reduced;
  reduced.width = ScaledSide(picture.width, limit, longest);
  reduced.height = ScaledSide(picture.height, limit, longest);
  reduced.rgb.resize(static_cast<std::size_t>(reduced.width) * static_cast<std::size_t>(reduced.height) * 3);
  const std::vector<Bin> row_bins = AdaptiveBins(picture.height, reduced.height);
  const std::vector<Bin> col_bins = AdaptiveBins(picture.width, reduced.width);
  const auto source_width = static_cast<std::size_t>(picture.width);
  for (int y = 0; y < reduced.height; ++y) {
    const Bin rows = row_bins[static_cast<std::size_t>(y)];
    for (int x = 0; x < reduced.width; ++x) {
      const Bin cols = col_bins[static_cast<std::size_t>(x)];
      std::uint64_t sums[3] = {0, 0, 0};
      for (int sy = rows.begin; sy < rows.end; ++sy) {
        const std::uint8_t* row = picture.rgb.data() + static_cast<std::size_t>(sy) * source_width * 3;
        for (int sx = cols.begin; sx < cols.end; ++sx) {
          for (int c = 0; c < 3; ++c) sums[c] += row[3 * static_cast<std::size_t>(sx) + static_cast<std::size_t>(c)];
        }
      }
      const std::uint64_t count = static_cast<std::uint64_t>(rows.end - rows.begin) * static_cast<std::uint64_t>(cols.end - cols.begin);
      std::uint8_t* pixel = reduced.rgb.data() + (static_cast<std::size_t>(y) * static_cast<std::size_t>(reduced.width) + static_cast<std::size_t>(x)) * 3;
      for (int c = 0; c < 3; ++c) pixel[c] = static_cast<std::uint8_t>((2 * sums[c] + count) / (2 * count));
    }
  }
  return reduced;
}

std::vector<std::uint8_t> EncodePng(const Picture& picture) {
  std::vector<std::uint8_t> file;
  if (picture.width <= 0 || picture.height <= 0) return file;
  const auto append = [](void* context, void* data, int size) {
    auto& bytes = *static_cast<std::vector<std::uint8_t>*>(context);
    const auto* begin = static_cast<const std::uint8_t*>(data);
    bytes.insert(bytes.end(), begin, begin + size);
  };
  if (stbi_write_png_to_func(append, &file, picture.width, picture.height, 3, picture.rgb.data(), picture.width * 3) == 0) {
    file.clear();  // out of memory inside the encoder
  }
  return file;
}

bool IsSampleName(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsNameCharacter);
}

std::vector<std::string> SampleNames(const std::string& folder) {
  std::vector<std::string> names;
  if (folder.empty()) return names;
  std::FILE* file = std::fopen((std::filesystem::path(folder) / "index.txt").string().c_str(), "rb");
  if (file == nullptr) return names;
  std::string line;
  for (int c = std::fgetc(file);; c = std::fgetc(file)) {
    if (c == EOF || c == '\n') {
      const std::string name = Trimmed(line);
      if (!name.empty() && name[0] != '#') names.push_back(name);
      line.clear();
      if (c == EOF) break;
    } else {
      line.push_back(static_cast<char>(c));
    }
  }
  std::fclose(file);
  return names;
}

std::string SamplePath(const std::string& folder, const std::string& text) {
  if (folder.empty() || !IsSampleName(text)) return "";
  std::error_code error;
  for (const char* extension : {".png", ".jpg"}) {
    const std::filesystem::path path = std::filesystem::path(folder) / (text + extension);
    if (std::filesystem::is_regular_file(path, error)) return path.string();
  }
  return "";
}

}  // namespace convtutor
