// Tests of pictures as input (image.h): every kind of bad file is refused with one clear message,
// gray and scaling follow PIL and adaptive_avg_pool2d on hand-worked pixels, samples resolve, and
// requests and lessons take pictures. PyTorch's answers on real files are in tests/golden.
#include "convtutor/image.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../scratch_folder.h"
#include "convtutor/lesson.h"
#include "convtutor/request.h"

namespace convtutor {
namespace {

using Bytes = std::vector<std::uint8_t>;

const std::string kGoldenFolder = std::string(CONVTUTOR_SOURCE_DIR) + "/tests/golden";
const std::string kGoldenImages = kGoldenFolder + "/images/";
// Requests whose pictures are named as the golden cases name them ("images/...").
const RequestOptions kFromGoldenFolder{kGoldenFolder, ""};

Bytes ReadBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

void AppendBigEndian32(Bytes& bytes, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}
void AppendLittleEndian(Bytes& bytes, std::uint32_t value, int size) {
  for (int i = 0; i < size; ++i) bytes.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

// PNG's CRC-32 (polynomial 0xEDB88320), bit by bit.
std::uint32_t Crc32(const std::uint8_t* data, std::size_t size) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= data[i];
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// The start of an 8-bit RGB PNG: signature and an IHDR chunk (with a correct CRC) claiming
// width×height, and no pixel data after it.
Bytes PngHeader(std::uint32_t width, std::uint32_t height) {
  Bytes png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  AppendBigEndian32(png, 13);
  const std::size_t type_at = png.size();
  png.insert(png.end(), {'I', 'H', 'D', 'R'});
  AppendBigEndian32(png, width);
  AppendBigEndian32(png, height);
  png.insert(png.end(), {8, 2, 0, 0, 0});  // 8 bits, RGB, deflate, no filter, no interlace
  AppendBigEndian32(png, Crc32(png.data() + type_at, png.size() - type_at));
  return png;
}

// A 24-bit BMP header claiming width×height, followed by `pixel_bytes` zero bytes.
Bytes BmpHeader(std::int32_t width, std::int32_t height, std::size_t pixel_bytes) {
  Bytes bmp = {'B', 'M'};
  AppendLittleEndian(bmp, static_cast<std::uint32_t>(54 + pixel_bytes), 4);
  AppendLittleEndian(bmp, 0, 4);
  AppendLittleEndian(bmp, 54, 4);  // pixels start after the 14 + 40 header bytes
  AppendLittleEndian(bmp, 40, 4);
  AppendLittleEndian(bmp, static_cast<std::uint32_t>(width), 4);
  AppendLittleEndian(bmp, static_cast<std::uint32_t>(height), 4);
  AppendLittleEndian(bmp, 1, 2);
  AppendLittleEndian(bmp, 24, 2);
  for (int field = 0; field < 6; ++field) AppendLittleEndian(bmp, 0, 4);
  bmp.resize(bmp.size() + pixel_bytes);
  return bmp;
}

Error DecodeError(const Bytes& bytes) {
  Result<Picture> picture = DecodePicture(bytes.data(), bytes.size(), "test.file");
  EXPECT_FALSE(picture.ok()) << "decoded a " << picture.value().width << "×" << picture.value().height << " picture";
  return picture.ok() ? Error{} : picture.error();
}

void ExpectMessageHas(const Error& error, const std::string& part) {
  EXPECT_NE(error.message.find(part), std::string::npos) << "\"" << part << "\" is not in: " << error.ToString();
}

// A baseline JPEG, 16×8 gray, made by hand (stb_image_write's encoder shifts negative numbers,
// which the sanitizer build refuses). Every sample is 200: level-shifted to 72, each 8×8 block's
// DC coefficient is 64 · 72 / 8 = 576 and every AC coefficient 0; the quantizer is 1. Both Huffman
// tables use 2-bit codes: DC "00" = category 10 (576 takes 10 bits), "01" = category 0; AC "00" =
// end of block. Block 1: 00 1001000000 00; block 2 (DC difference 0): 01 00; then 1s to a byte.
Bytes HandMadeJpeg() {
  Bytes jpeg = {0xFF, 0xD8};                                        // start of image
  jpeg.insert(jpeg.end(), {0xFF, 0xDB, 0, 67, 0x00});               // quantization table 0 ...
  jpeg.insert(jpeg.end(), 64, 1);                                   // ... all ones
  jpeg.insert(jpeg.end(), {0xFF, 0xC0, 0, 11, 8, 0, 8, 0, 16, 1,   // baseline frame: 8 bits, 8 rows,
                           1, 0x11, 0});                            // 16 columns, one component
  const auto huffman_table = [&jpeg](std::uint8_t table, std::initializer_list<std::uint8_t> symbols) {
    jpeg.insert(jpeg.end(), {0xFF, 0xC4, 0, static_cast<std::uint8_t>(19 + symbols.size()), table, 0});
    jpeg.push_back(static_cast<std::uint8_t>(symbols.size()));     // every code 2 bits long
    jpeg.insert(jpeg.end(), 14, 0);
    jpeg.insert(jpeg.end(), symbols);
  };
  huffman_table(0x00, {10, 0});                                     // DC table 0
  huffman_table(0x10, {0x00});                                      // AC table 0
  jpeg.insert(jpeg.end(), {0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0});  // scan of component 1
  jpeg.insert(jpeg.end(), {0x24, 0x01, 0x3F});                          // 00100100 00000001 00|111111
  jpeg.insert(jpeg.end(), {0xFF, 0xD9});                                // end of image
  return jpeg;
}

Picture PictureOf(int width, int height, std::vector<std::uint8_t> rgb) { return Picture{width, height, std::move(rgb)}; }

// ---- bad files ---------------------------------------------------------------------------------

TEST(image, a_missing_file_is_refused_naming_the_path) {
  Result<Picture> picture = ReadPicture("/nonexistent/cat.png");
  ASSERT_FALSE(picture.ok());
  EXPECT_EQ(picture.error().ToString(), "/nonexistent/cat.png: no such file");
}

TEST(image, a_text_file_is_not_a_picture) {
  const std::string text = "op,input\nconv2d,1\n";
  const Error error = DecodeError(Bytes(text.begin(), text.end()));
  EXPECT_EQ(error.field, "test.file");
  EXPECT_EQ(error.message, "not a PNG, JPEG, BMP or GIF picture");
}

TEST(image, an_empty_file_is_not_a_picture) {
  EXPECT_EQ(DecodeError(Bytes{}).message, "not a PNG, JPEG, BMP or GIF picture");
}

TEST(image, a_png_cut_inside_its_pixel_data_is_refused_naming_the_chunk) {
  Bytes png = ReadBytes(kGoldenImages + "rgb-37x23.png");
  ASSERT_GT(png.size(), 200u);
  png.resize(png.size() / 2);
  ExpectMessageHas(DecodeError(png), "a truncated PNG file: its IDAT chunk at byte ");
}

TEST(image, a_png_with_corrupt_pixel_data_is_refused_with_stb_images_reason) {
  Bytes png = ReadBytes(kGoldenImages + "rgb-37x23.png");
  const std::string text(png.begin(), png.end());
  const std::size_t idat = text.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  png[idat + 4] = 0x00;  // the zlib stream's first byte: no longer a deflate header
  ExpectMessageHas(DecodeError(png), "a truncated or corrupt PNG file (stb_image: ");
}

TEST(image, a_png_chunk_claiming_more_bytes_than_the_file_has_is_refused_before_decoding) {
  // stb_image would allocate the 2 GB this IDAT claims before finding the file ends: the first
  // IDAT (4 bytes and its CRC) is read whole, the second claims 2^31 − 16 bytes and has 3.
  Bytes png = PngHeader(1, 1);
  const std::size_t second_at = png.size() + 16;
  for (std::uint32_t length : {4u, 0x7FFFFFF0u}) {
    AppendBigEndian32(png, length);
    png.insert(png.end(), {'I', 'D', 'A', 'T', 0x78, 0x01, 0x00, 0x00});
    if (length == 4u) AppendBigEndian32(png, Crc32(png.data() + png.size() - 8, 8));
  }
  png.pop_back();
  EXPECT_EQ(DecodeError(png).message, "a truncated PNG file: its IDAT chunk at byte " + std::to_string(second_at) +
                                          " claims 2147483632 bytes, only 3 follow");
}

TEST(image, every_cut_of_a_png_or_bmp_before_its_end_is_refused) {
  // A PNG may lose its last chunk (IEND, 12 bytes) and still hold every pixel; anything shorter
  // is refused, never decoded with missing rows.
  for (const char* name : {"rgb-37x23.png", "palette-24x18.png", "gray16-19x13.png", "rgb-33x21.bmp"}) {
    const Bytes whole = ReadBytes(kGoldenImages + name);
    ASSERT_GT(whole.size(), 12u) << name;
    const std::size_t keep = std::string(name).find(".png") != std::string::npos ? whole.size() - 12 : whole.size();
    int decoded = 0;
    for (std::size_t size = 0; size < keep; ++size) decoded += DecodePicture(whole.data(), size, name).ok() ? 1 : 0;
    EXPECT_EQ(decoded, 0) << name;
  }
}

TEST(image, a_png_cut_inside_its_header_is_refused_as_corrupt) {
  Bytes png = PngHeader(40, 30);
  png.resize(20);
  ExpectMessageHas(DecodeError(png), "a truncated or corrupt PNG file");
}

TEST(image, a_gray_jpeg_decodes_to_three_equal_channels) {
  const Bytes jpeg = HandMadeJpeg();
  Result<Picture> picture = DecodePicture(jpeg.data(), jpeg.size(), "flat.jpg");
  ASSERT_TRUE(picture.ok()) << picture.error().ToString();
  EXPECT_EQ(picture.value().width, 16);
  EXPECT_EQ(picture.value().height, 8);
  EXPECT_EQ(picture.value().rgb, std::vector<std::uint8_t>(16 * 8 * 3, 200));
}

TEST(image, a_gif_decodes_to_its_palette_colour) {
  // 1×1, a two-colour global palette (0: 250 128 6, 1: black), one image whose LZW data (minimum
  // code size 2: clear, index 0, end) paints pixel 0 with palette colour 0.
  const Bytes gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 250, 128, 6, 0, 0, 0,
                     ',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, ';'};
  Result<Picture> picture = DecodePicture(gif.data(), gif.size(), "dot.gif");
  ASSERT_TRUE(picture.ok()) << picture.error().ToString();
  EXPECT_EQ(picture.value().rgb, (std::vector<std::uint8_t>{250, 128, 6}));
}

TEST(image, a_jpeg_whose_huffman_tables_claim_too_many_codes_is_refused_before_decoding) {
  Bytes jpeg = HandMadeJpeg();
  // Every Huffman table (DHT segment, marker FF C4) claims 255 codes of each length: impossible.
  int tables = 0;
  for (std::size_t i = 0; i + 21 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC4) {
      for (std::size_t length = 0; length < 16; ++length) jpeg[i + 5 + length] = 0xFF;
      ++tables;
    }
  }
  ASSERT_EQ(tables, 2);
  EXPECT_EQ(DecodeError(jpeg).message, "a corrupt JPEG file (a Huffman table claims more than 256 codes)");
}

TEST(image, a_jpeg_cut_short_is_refused_with_stb_images_reason) {
  Bytes jpeg = HandMadeJpeg();
  jpeg.resize(jpeg.size() - 8);  // cut inside the scan header
  ExpectMessageHas(DecodeError(jpeg), "a truncated or corrupt JPEG file (stb_image: ");
}

TEST(image, a_truncated_bmp_is_refused_rather_than_read_as_black) {
  // 33×21 at 24 bits: rows of 99 bytes padded to 100, so 54 + 2100 = 2154 bytes.
  Bytes bmp = ReadBytes(kGoldenImages + "rgb-33x21.bmp");
  ASSERT_EQ(bmp.size(), 2154u);
  bmp.resize(2000);
  EXPECT_EQ(DecodeError(bmp).message, "a truncated BMP file: its 33×21 pixels need 2154 bytes, the file has 2000");
}

TEST(image, a_truncated_bmp_with_a_compression_stb_image_reads_as_none_is_refused_too) {
  // stb_image decodes a compression field of 0xff000000 (negative as its int) as plain rows: a
  // 33×262,165 header on a 187-byte file (the picture fuzz target's finding, kept in its corpus)
  // took seconds to decode as black. Rows of 100 bytes: 54 + 100 · 262165 bytes are needed.
  Bytes bmp = BmpHeader(33, 262165, 133);
  bmp[30] = 0x00, bmp[31] = 0x00, bmp[32] = 0x00, bmp[33] = 0xff;
  EXPECT_EQ(DecodeError(bmp).message, "a truncated BMP file: its 33×262165 pixels need 26216554 bytes, the file has 187");
  bmp[33] = 0x00, bmp[30] = 0x01;  // run-length coded, which stb_image refuses itself
  EXPECT_EQ(DecodeError(bmp).message, "a truncated or corrupt BMP file (its header is unreadable)");
}

TEST(image, a_png_claiming_zero_width_is_refused) {
  const Error error = DecodeError(PngHeader(0, 5));
  EXPECT_EQ(error.message, "the picture's header says it is 0×5 pixels: it has no pixels");
}

TEST(image, a_bmp_claiming_zero_height_is_refused) {
  EXPECT_EQ(DecodeError(BmpHeader(4, 0, 16)).message, "the picture's header says it is 4×0 pixels: it has no pixels");
}

TEST(image, a_header_claiming_a_huge_size_is_refused_before_decoding) {
  // 10^10 pixels would be 30 GB decoded; the claim and the limit are named.
  const Error error = DecodeError(PngHeader(100000, 100000));
  EXPECT_EQ(error.message, "the picture's header claims 100000×100000 = 10000000000 pixels; the limit is 40000000 "
                           "(kMaxPicturePixels)");
}

TEST(image, a_jpeg_frame_claiming_a_huge_or_empty_size_is_refused_with_the_claim) {
  // The frame header (FF C0) follows the 2-byte start and the 69-byte quantization table; its
  // rows and columns are 16-bit numbers at bytes 76 and 78.
  Bytes jpeg = HandMadeJpeg();
  ASSERT_EQ(jpeg[71], 0xFF);
  ASSERT_EQ(jpeg[72], 0xC0);
  for (std::size_t at : {std::size_t{76}, std::size_t{78}}) {
    jpeg[at] = 0xFD;  // 0xFDE8 = 65000
    jpeg[at + 1] = 0xE8;
  }
  ExpectMessageHas(DecodeError(jpeg), "65000×65000 = 4225000000 pixels; the limit is 40000000");
  jpeg[78] = 0;
  jpeg[79] = 0;
  EXPECT_EQ(DecodeError(jpeg).message, "the picture's header says it is 0×65000 pixels: it has no pixels");
}

TEST(image, a_png_claiming_the_largest_sides_is_refused_without_overflow) {
  // (2^32 − 1)² needs all 64 bits: 18446744065119617025.
  ExpectMessageHas(DecodeError(PngHeader(0xFFFFFFFFu, 0xFFFFFFFFu)),
                   "4294967295×4294967295 = 18446744065119617025 pixels; the limit is 40000000");
}

TEST(image, a_bmp_header_just_over_the_pixel_limit_is_refused_with_the_limit) {
  // 8000 × 5001 = 40 008 000 > 40 000 000; only 16 bytes of pixels follow the header.
  const Error error = DecodeError(BmpHeader(8000, -5001, 16));
  ExpectMessageHas(error, "8000×5001 = 40008000 pixels; the limit is 40000000");
}

// ---- gray, RGB and scaling, worked by hand --------------------------------------------------------

TEST(image, gray_rounds_like_pils_l_mode_on_hand_worked_pixels) {
  // (R·19595 + G·38470 + B·7471 + 32768) >> 16, i.e. round(0.299 R + 0.587 G + 0.114 B):
  //   red 255 → 76.2 → 76; green 255 → 149.7 → 150; blue 255 → 29.1 → 29;
  //   (1, 1, 0) → 0.886 → 1 (rounded, not truncated to 0); (10, 20, 30) → 18.15 → 18.
  const Picture picture = PictureOf(5, 1, {255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 1, 0, 10, 20, 30});
  const PictureVolume gray = PictureToVolume(picture, PictureMode::kGray, kDefaultPictureSide);
  ASSERT_EQ(gray.volume.channels, 1);
  const float expected[] = {76, 150, 29, 1, 18};
  for (int x = 0; x < 5; ++x) EXPECT_FLOAT_EQ(gray.volume.At(0, 0, x), expected[x] / 255.0f) << "pixel " << x;
}

TEST(image, rgb_keeps_the_three_channels_apart_as_pixel_over_255) {
  const PictureVolume rgb = PictureToVolume(PictureOf(1, 1, {10, 20, 255}), PictureMode::kRgb, kDefaultPictureSide);
  ASSERT_EQ(rgb.volume.channels, 3);
  EXPECT_FLOAT_EQ(rgb.volume.At(0, 0, 0), 10.0f / 255.0f);
  EXPECT_FLOAT_EQ(rgb.volume.At(1, 0, 0), 20.0f / 255.0f);
  EXPECT_FLOAT_EQ(rgb.volume.At(2, 0, 0), 1.0f);
}

TEST(image, scaling_keeps_the_aspect_ratio_and_reports_the_source_size) {
  const PictureVolume scaled =
      PictureToVolume(PictureOf(512, 300, std::vector<std::uint8_t>(512 * 300 * 3, 7)), PictureMode::kRgb, 256);
  EXPECT_EQ(scaled.volume.width, 256);
  EXPECT_EQ(scaled.volume.height, 150);  // 300 · 256 / 512
  EXPECT_EQ(scaled.source_width, 512);
  EXPECT_EQ(scaled.source_height, 300);
  EXPECT_TRUE(scaled.scaled);
}

TEST(image, a_picture_that_fits_is_not_scaled) {
  const PictureVolume kept =
      PictureToVolume(PictureOf(40, 30, std::vector<std::uint8_t>(40 * 30 * 3, 51)), PictureMode::kGray, 256);
  EXPECT_EQ(kept.volume.width, 40);
  EXPECT_EQ(kept.volume.height, 30);
  EXPECT_FALSE(kept.scaled);
  EXPECT_FLOAT_EQ(kept.volume.At(0, 29, 39), 0.2f);  // 51 / 255
}

TEST(image, scaled_sides_round_half_up_and_never_reach_zero) {
  // 3×2 to a longest side of 2: height round(2 · 2 / 3) = round(1.33) = 1. 5×1 to 2: height
  // round(0.4) = 0, kept at 1. 4×2 to 3: height round(1.5) = 2 (half up).
  const auto sides = [](int width, int height, int max_side) {
    const PictureVolume v = PictureToVolume(
        PictureOf(width, height, std::vector<std::uint8_t>(static_cast<std::size_t>(width * height * 3))),
        PictureMode::kGray, max_side);
    return std::pair{v.volume.width, v.volume.height};
  };
  EXPECT_EQ(sides(3, 2, 2), std::pair(2, 1));
  EXPECT_EQ(sides(5, 1, 2), std::pair(2, 1));
  EXPECT_EQ(sides(4, 2, 3), std::pair(3, 2));
}

TEST(image, scaling_averages_each_bin_like_adaptive_avg_pool2d) {
  // Gray 0, 90, 255 in one row, to 2 columns: bins [0, ⌈1.5⌉) = {0, 1} and [⌊1.5⌋, 3) = {1, 2}
  // overlap in the middle pixel: (0 + 90) / 2 = 45 and (90 + 255) / 2 = 172.5 (not rounded).
  const Picture picture = PictureOf(3, 1, {0, 0, 0, 90, 90, 90, 255, 255, 255});
  const PictureVolume scaled = PictureToVolume(picture, PictureMode::kGray, 2);
  ASSERT_EQ(scaled.volume.width, 2);
  ASSERT_EQ(scaled.volume.height, 1);
  EXPECT_FLOAT_EQ(scaled.volume.At(0, 0, 0), 45.0f / 255.0f);
  EXPECT_FLOAT_EQ(scaled.volume.At(0, 0, 1), 172.5f / 255.0f);
}

TEST(image, a_picture_sized_to_a_layer_repeats_pixels_where_it_grows_and_ignores_the_aspect) {
  // Gray 30 and 200 in one row, to 1 row of 4 columns: bins [⌊i·2/4⌋, ⌈(i+1)·2/4⌉) are {0}, {0},
  // {1}, {1}: 30, 30, 200, 200; and to 3 rows of 1 column: each row's bin is {0, 1}, (30 + 200) / 2.
  const Picture picture = PictureOf(2, 1, {30, 30, 30, 200, 200, 200});
  const Volume wide = PictureToSizedVolume(picture, PictureMode::kGray, 1, 4);
  ASSERT_EQ(wide.width, 4);
  EXPECT_FLOAT_EQ(wide.At(0, 0, 0), 30.0f / 255.0f);
  EXPECT_FLOAT_EQ(wide.At(0, 0, 1), 30.0f / 255.0f);
  EXPECT_FLOAT_EQ(wide.At(0, 0, 2), 200.0f / 255.0f);
  EXPECT_FLOAT_EQ(wide.At(0, 0, 3), 200.0f / 255.0f);
  const Volume tall = PictureToSizedVolume(picture, PictureMode::kRgb, 3, 1);
  ASSERT_EQ(tall.channels, 3);
  ASSERT_EQ(tall.height, 3);
  EXPECT_FLOAT_EQ(tall.At(2, 2, 0), 115.0f / 255.0f);
}

TEST(image, scaling_takes_the_gray_value_before_averaging) {
  // Pure red and pure blue to one pixel: gray first gives (76 + 29) / 2 = 52.5; averaging the
  // colours first would give gray(127.5, 0, 127.5) ≈ 52.7 and, rounded, 53.
  const PictureVolume scaled = PictureToVolume(PictureOf(2, 1, {255, 0, 0, 0, 0, 255}), PictureMode::kGray, 1);
  EXPECT_FLOAT_EQ(scaled.volume.At(0, 0, 0), 52.5f / 255.0f);
}

// ---- reduced copies and PNG files ----------------------------------------------------------------------

TEST(image, a_reduced_picture_rounds_each_bins_mean_half_up_per_channel) {
  // 4 × 2 pixels to a longest side of 2: round(4·2/4) = 2 columns, round(2·2/4) = 1 row, each pixel
  // the mean of a 2 × 2 block. Red: (10 + 11 + 12 + 12) / 4 = 11.25 → 11 and (0 + 255 + 1 + 255) / 4
  // = 127.75 → 128; green: (1 + 2 + 1 + 2) / 4 = 1.5 → 2 (half up); blue stays 7.
  const Picture picture = PictureOf(4, 2, {10, 1, 7, 11, 2, 7, 0, 1, 7, 255, 2, 7,
                                           12, 1, 7, 12, 2, 7, 1, 1, 7, 255, 2, 7});
  const Picture reduced = ReducedPicture(picture, 2);
  ASSERT_EQ(reduced.width, 2);
  ASSERT_EQ(reduced.height, 1);
  EXPECT_EQ(reduced.rgb, (std::vector<std::uint8_t>{11, 2, 7, 128, 2, 7}));
}

TEST(image, a_picture_that_fits_is_its_own_reduced_copy) {
  const Picture picture = PictureOf(3, 1, {0, 0, 0, 90, 90, 90, 255, 255, 255});
  const Picture same = ReducedPicture(picture, 3);
  EXPECT_EQ(same.width, 3);
  EXPECT_EQ(same.height, 1);
  EXPECT_EQ(same.rgb, picture.rgb);
}

TEST(image, a_picture_written_as_png_decodes_to_the_same_pixels) {
  Picture picture;
  picture.width = 37;
  picture.height = 23;
  for (int i = 0; i < picture.width * picture.height * 3; ++i) picture.rgb.push_back(static_cast<std::uint8_t>((i * 37) % 251));
  const Bytes file = EncodePng(picture);
  ASSERT_GT(file.size(), 8u);
  const Result<Picture> decoded = DecodePicture(file.data(), file.size(), "copy.png");
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(decoded.value().width, 37);
  EXPECT_EQ(decoded.value().height, 23);
  EXPECT_EQ(decoded.value().rgb, picture.rgb);
}

// ---- samples ------------------------------------------------------------------------------------------

TEST(image, sample_names_come_from_the_index_without_comments_or_blank_lines) {
  ScratchFolder folder;
  std::ofstream(folder.Path() / "index.txt") << "# sample pictures\n\ncamera\n  coffee \r\n";
  EXPECT_EQ(SampleNames(folder.Path().string()), (std::vector<std::string>{"camera", "coffee"}));
  EXPECT_TRUE(SampleNames((folder.Path() / "nothing").string()).empty());
  EXPECT_TRUE(SampleNames("").empty());
}

TEST(image, a_sample_name_resolves_to_its_png_else_its_jpg) {
  ScratchFolder folder;
  const std::string root = folder.Path().string();
  std::ofstream(folder.Path() / "camera.png") << "png";
  std::ofstream(folder.Path() / "coffee.jpg") << "jpg";
  EXPECT_EQ(SamplePath(root, "camera"), (folder.Path() / "camera.png").string());
  EXPECT_EQ(SamplePath(root, "coffee"), (folder.Path() / "coffee.jpg").string());
  EXPECT_EQ(SamplePath(root, "chelsea"), "");      // no such file
  EXPECT_EQ(SamplePath(root, "camera.png"), "");   // a file name, not a sample name
  EXPECT_EQ(SamplePath(root, "../camera"), "");    // never leaves the folder
  EXPECT_EQ(SamplePath("", "camera"), "");         // no samples folder
}

TEST(image, sample_names_are_letters_digits_dashes_and_underscores) {
  EXPECT_TRUE(IsSampleName("chelsea_2-b"));
  EXPECT_FALSE(IsSampleName(""));
  EXPECT_FALSE(IsSampleName("cat.png"));
  EXPECT_FALSE(IsSampleName("pictures/cat"));
}

// ---- requests and lessons ---------------------------------------------------------------------------

nlohmann::json PictureConv(nlohmann::json input) {
  return {{"op", "conv2d"}, {"input", std::move(input)}, {"weights", nlohmann::json::parse("[[[[1.0]]]]")}};
}

TEST(image_requests, a_relative_path_is_taken_from_the_base_folder) {
  Result<Request> request = ParseRequest(PictureConv({{"image", "images/gray-29x31.png"}}),
                                         kFromGoldenFolder);
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  ASSERT_TRUE(request.value().picture.has_value());
  const PictureInfo& info = *request.value().picture;
  EXPECT_EQ(info.name, "images/gray-29x31.png");
  EXPECT_EQ(info.width, 29);
  EXPECT_EQ(info.height, 31);
  EXPECT_EQ(info.channels, 1);
  EXPECT_FALSE(info.scaled);
  EXPECT_EQ(request.value().scene.input.channels, 1);
}

TEST(image_requests, a_missing_picture_is_one_error_on_the_input) {
  Result<Request> request = ParseRequest(PictureConv({{"image", "no-such.png"}}));
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().ToString(), "input: image \"no-such.png\": no such file");
}

TEST(image_requests, a_sample_name_without_a_samples_folder_asks_for_a_path) {
  Result<Request> request = ParseRequest(PictureConv({{"image", "camera"}}));
  ASSERT_FALSE(request.ok());
  EXPECT_EQ(request.error().field, "input");
  ExpectMessageHas(request.error(), "give the path of a picture file");
}

TEST(image_requests, an_unknown_sample_lists_the_samples) {
  ScratchFolder folder;
  std::ofstream(folder.Path() / "index.txt") << "camera\ncoffee\n";
  Result<Request> request = ParseRequest(PictureConv({{"image", "cat"}}), RequestOptions{"", folder.Path().string()});
  ASSERT_FALSE(request.ok());
  ExpectMessageHas(request.error(), "no such sample picture; the samples are camera, coffee");
}

TEST(image_requests, unknown_fields_modes_and_sides_are_refused) {
  const auto error_of = [](nlohmann::json input) {
    Result<Request> request = ParseRequest(PictureConv(std::move(input)), kFromGoldenFolder);
    return request.ok() ? std::string("accepted") : request.error().ToString();
  };
  EXPECT_EQ(error_of({{"image", "images/gray-29x31.png"}, {"size", 3}}),
            "input: unknown picture field \"size\"; expected image, mode or max_side");
  EXPECT_EQ(error_of({{"image", "images/gray-29x31.png"}, {"mode", "cmyk"}}),
            "input.mode: expected \"gray\" or \"rgb\", got \"cmyk\"");
  EXPECT_EQ(error_of({{"image", "images/gray-29x31.png"}, {"max_side", 0}}),
            "input.max_side: expected a side in pixels ≥ 1, got 0");
  EXPECT_EQ(error_of({{"image", "images/gray-29x31.png"}, {"max_side", 5000}}),
            "input.max_side: got 5000; the limit is 4096 (kMaxPictureSide)");
  EXPECT_EQ(error_of({{"image", 7}}), "input: image: expected a picture file's path or a sample name, got 7");
}

TEST(image_requests, the_result_names_the_picture_and_the_size_it_was_scaled_from) {
  // 37×23 to a longest side of 16: 16 × round(23 · 16 / 37 = 9.95) = 16×10, under a 1×1 kernel.
  Result<Request> request = ParseRequest(
      PictureConv({{"image", "images/rgb-37x23.png"}, {"max_side", 16}}),
      kFromGoldenFolder);
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  const nlohmann::json result = ComputeResultJson(request.value());
  EXPECT_EQ(result["image"], nlohmann::json::parse(R"({"name": "images/rgb-37x23.png", "width": 16, "height": 10,
                                                       "channels": 1, "scaled_from": [37, 23]})"));
  EXPECT_EQ(result["shape"], nlohmann::json({1, 10, 16}));
}

TEST(image_requests, a_picture_is_the_input_whatever_the_data_format) {
  // channels_last: the answer is H×W×C, the weights kh×kw×I×O (here 1×1×3×1), the picture RGB.
  nlohmann::json written = {{"op", "conv2d"},
                            {"data_format", "channels_last"},
                            {"input", {{"image", "images/rgb-37x23.png"}, {"mode", "rgb"}}},
                            {"weights", nlohmann::json::parse("[[[[1.0], [1.0], [1.0]]]]")}};
  Result<Request> request = ParseRequest(written, kFromGoldenFolder);
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  EXPECT_EQ(ComputeResultJson(request.value())["shape"], nlohmann::json({23, 37, 1}));
  EXPECT_EQ(ComputeResultJson(request.value())["image"]["scaled_from"], nullptr);
}

TEST(image_lessons, a_scene_reads_its_picture_relative_to_the_lessons_folder) {
  ScratchFolder folder;
  std::filesystem::create_directories(folder.Path() / "pictures");
  std::filesystem::copy_file(kGoldenImages + "gray-29x31.png", folder.Path() / "pictures" / "gray.png");
  std::ofstream(folder.Path() / "01-picture.md")
      << "# A picture\n\n```scene\n"
         "{\"id\": \"photo\", \"op\": \"max_pool2d\", \"kernel_size\": 2, \"input\": {\"image\": \"pictures/gray.png\"}}\n"
         "```\n";
  const lessons::LessonLibrary library = lessons::LoadLessons(folder.Path().string());
  ASSERT_TRUE(library.errors.empty()) << library.errors[0].ToString();
  ASSERT_EQ(library.lessons.size(), 1u);
  const Request& request = library.lessons[0].scenes[0].request;
  ASSERT_TRUE(request.picture.has_value());
  EXPECT_EQ(request.scene.input.width, 29);
  EXPECT_EQ(request.scene.input.height, 31);
}

TEST(image_lessons, a_scene_with_a_missing_picture_is_reported_with_its_line) {
  const lessons::ParsedLesson parsed = lessons::ParseLesson(
      "# A picture\n\n```scene\n{\"id\": \"photo\", \"op\": \"max_pool2d\", \"kernel_size\": 2,\n"
      " \"input\": {\"image\": \"pictures/none.png\"}}\n```\n",
      "lessons/01-picture.md", RequestOptions{"/nonexistent", ""});
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].line, 5);
  ExpectMessageHas(parsed.errors[0], "image \"pictures/none.png\": no such file");
}

}  // namespace
}  // namespace convtutor
