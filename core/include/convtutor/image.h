// Pictures as input: decoding PNG, JPEG, BMP and GIF files (stb_image), refusing bad or
// oversized files before allocating, and turning a picture into a scene's input volume
// (gray or RGB, pixel / 255, scaled down by area averaging to fit a side limit); and a picture
// reduced and written as a PNG (stb_image_write), for keeping a copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "convtutor/result.h"
#include "convtutor/tensor.h"

namespace convtutor {

// A header that claims more pixels than this is refused before anything is allocated
// (a "decompression bomb"); the message gives the claim and this limit.
constexpr std::int64_t kMaxPicturePixels = 40'000'000;
// Picture files larger than this are refused before they are read (a 40-megapixel PNG is smaller).
constexpr std::uintmax_t kMaxPictureFileBytes = std::uintmax_t{256} << 20;
// The default longest side of a picture on the stage: larger pictures are scaled down to it.
constexpr int kDefaultPictureSide = 256;
// The largest side a request may ask for (keeps every derived tensor within the request limits).
constexpr int kMaxPictureSide = 4096;

// A decoded picture, as the file held it: 8-bit R, G, B per pixel, row by row (alpha dropped,
// gray files expanded to three equal channels, a GIF's first frame).
struct Picture {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;  // width·height·3
};

// Decodes a file's bytes. Errors (Error::field = `name`): not a picture stb_image knows, a
// truncated or corrupt file, a zero-sized picture, a header claiming more than kMaxPicturePixels.
Result<Picture> DecodePicture(const std::uint8_t* bytes, std::size_t size, const std::string& name);
// Reads and decodes a file; a missing or unreadable file is an error naming the path.
Result<Picture> ReadPicture(const std::string& path);

enum class PictureMode { kGray, kRgb };

// A picture as a scene input: C×H×W values in [0, 1].
//   gray: one channel, round(0.299 R + 0.587 G + 0.114 B) on the 0–255 values (PIL's "L" mode,
//         with its integer rounding), then / 255;
//   rgb:  three channels R, G, B, each pixel / 255.
// When the longest side exceeds `max_side`, the picture is scaled down keeping its aspect ratio:
// the new sides are round(side · max_side / longest) (halves rounded up; at least 1), and every
// new pixel is the mean of the source pixels in its bin [⌊i·n/m⌋, ⌈(i+1)·n/m⌉) along each axis,
// as PyTorch's adaptive_avg_pool2d computes it (on the 0–255 values, gray taken first; the mean
// is not rounded).
struct PictureVolume {
  Volume volume;
  int source_width = 0;   // the picture's own size
  int source_height = 0;
  bool scaled = false;    // the volume is smaller than the picture
};
PictureVolume PictureToVolume(const Picture& picture, PictureMode mode, int max_side);
// The picture at exactly height × width (a layer's own input size; the aspect ratio is not kept),
// by the same bins, which repeat pixels where the picture is smaller.
Volume PictureToSizedVolume(const Picture& picture, PictureMode mode, int height, int width);

// The picture with its longest side at most `max_side` (the same picture when it fits): the sides
// as PictureToVolume scales them, and each pixel the mean of its source bins per channel, rounded
// half up to a whole 0–255 value. A copy small enough to keep (web/stored_work.h).
Picture ReducedPicture(const Picture& picture, int max_side);
// The picture as a PNG file: DecodePicture reads the same pixels back.
std::vector<std::uint8_t> EncodePng(const Picture& picture);

// The bundled sample pictures: `folder` holds name.png / name.jpg files and an index.txt with one
// name per line (blank lines and lines starting with '#' ignored). Empty when there is none.
std::vector<std::string> SampleNames(const std::string& folder);
// A request's "image" may be a sample name (letters, digits, '-' and '_' only) or a file path.
bool IsSampleName(const std::string& text);
// The path of the sample's file in `folder` (name.png, else name.jpg, as present), or "" when `text`
// is not a sample name or the folder has no such sample.
std::string SamplePath(const std::string& folder, const std::string& text);

}  // namespace convtutor
