// Fuzz target for the picture decoder: DecodePicture on any bytes (PNG, JPEG, BMP, GIF, ...), then
// PictureToVolume at small sides; a decoded picture has width·height·3 bytes, a volume values in
// [0, 1]; its reduced copy, written as a PNG (the copy the tutor keeps), reads back pixel for pixel.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "convtutor/image.h"
#include "fuzz_check.h"

namespace {

using convtutor::fuzz::Check;

// A few bytes may decode to tens of megapixels (a valid, well-compressed file): decoding them is
// checked, but scaling such a picture six times under the sanitizers would only measure time.
constexpr std::int64_t kMaxScaledPixels = std::int64_t{1} << 20;

void CheckVolume(const convtutor::Volume& volume, int expected_channels) {
  Check(volume.channels == expected_channels, "a volume has the mode's channels");
  Check(volume.height >= 1 && volume.width >= 1, "a volume is at least one pixel");
  Check(volume.values.size() == static_cast<std::size_t>(volume.channels) * static_cast<std::size_t>(volume.height) *
                                    static_cast<std::size_t>(volume.width),
        "a volume holds channels·height·width values");
  for (float value : volume.values) Check(value >= 0.0f && value <= 1.0f, "picture values are in [0, 1]");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const convtutor::Result<convtutor::Picture> decoded = convtutor::DecodePicture(data, size, "fuzz");
  if (!decoded) {
    Check(!decoded.error().message.empty(), "a refused picture says why");
    return 0;
  }
  const convtutor::Picture& picture = decoded.value();
  Check(picture.width >= 1 && picture.height >= 1, "a decoded picture is at least one pixel");
  Check(std::int64_t{picture.width} * picture.height <= convtutor::kMaxPicturePixels, "a decoded picture is within the limit");
  Check(picture.rgb.size() == static_cast<std::size_t>(picture.width) * static_cast<std::size_t>(picture.height) * 3,
        "a decoded picture has width·height·3 bytes");
  if (std::int64_t{picture.width} * picture.height > kMaxScaledPixels) return 0;
  for (int max_side : {1, 5, 16}) {
    for (convtutor::PictureMode mode : {convtutor::PictureMode::kGray, convtutor::PictureMode::kRgb}) {
      const int channels = mode == convtutor::PictureMode::kGray ? 1 : 3;
      const convtutor::PictureVolume scaled = convtutor::PictureToVolume(picture, mode, max_side);
      CheckVolume(scaled.volume, channels);
      Check(scaled.volume.height <= max_side && scaled.volume.width <= max_side, "a scaled volume fits the side limit");
      Check(scaled.source_width == picture.width && scaled.source_height == picture.height, "a volume knows its source size");
    }
  }
  const convtutor::Volume sized = convtutor::PictureToSizedVolume(picture, convtutor::PictureMode::kRgb, 3, 7);
  CheckVolume(sized, 3);
  Check(sized.height == 3 && sized.width == 7, "a sized volume has the asked size");
  const convtutor::Picture reduced = convtutor::ReducedPicture(picture, 16);
  Check(reduced.width <= 16 && reduced.height <= 16 && reduced.width >= 1 && reduced.height >= 1,
        "a reduced picture fits the side limit");
  const std::vector<std::uint8_t> png = convtutor::EncodePng(reduced);
  const convtutor::Result<convtutor::Picture> copy = convtutor::DecodePicture(png.data(), png.size(), "copy");
  Check(copy && copy.value().width == reduced.width && copy.value().height == reduced.height &&
            copy.value().rgb == reduced.rgb,
        "a PNG written from a picture reads back pixel for pixel");
  return 0;
}
