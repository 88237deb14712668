// Reads a PNG file (8-bit RGB or RGBA, not interlaced: what Playwright and stb_image_write produce)
// and measures whether it shows anything: a blank or single-colour screenshot must fail the tests.
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";

export function DecodePng(bytes) {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  signature.forEach((value, index) => {
    if (bytes[index] !== value) throw new Error("not a PNG file");
  });
  let offset = 8;
  let header = null;
  const data = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString("latin1", offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8], colour: body[9], interlace: body[12] };
    } else if (type === "IDAT") {
      data.push(body);
    }
    offset += 12 + length;
  }
  if (!header) throw new Error("PNG has no IHDR chunk");
  const channels = { 2: 3, 6: 4 }[header.colour];
  if (header.depth !== 8 || !channels || header.interlace !== 0) {
    throw new Error(`unsupported PNG (depth ${header.depth}, colour type ${header.colour}, interlace ${header.interlace})`);
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = header.width * channels;
  const pixels = Buffer.alloc(stride * header.height);
  for (let row = 0; row < header.height; ++row) {
    const filter = raw[row * (stride + 1)];
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    const out = pixels.subarray(row * stride, (row + 1) * stride);
    const above = row > 0 ? pixels.subarray((row - 1) * stride, row * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; ++i) {
      const left = i >= channels ? out[i - channels] : 0;
      const up = above[i];
      const upLeft = i >= channels ? above[i - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const toLeft = Math.abs(estimate - left), toUp = Math.abs(estimate - up), toUpLeft = Math.abs(estimate - upLeft);
        predictor = toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter} on row ${row}`);
      out[i] = (line[i] + predictor) & 0xff;
    }
  }
  return { width: header.width, height: header.height, channels, pixels };
}

// How much the picture varies: the standard deviation of luminance, and the share of pixels
// that differ from the most common colour (the background).
export function MeasureContent(image) {
  const { pixels, channels } = image;
  const count = image.width * image.height;
  const colours = new Map();
  let sum = 0, sumSquares = 0;
  for (let p = 0; p < count; ++p) {
    const r = pixels[p * channels], g = pixels[p * channels + 1], b = pixels[p * channels + 2];
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += luminance;
    sumSquares += luminance * luminance;
    const key = (r << 16) | (g << 8) | b;
    colours.set(key, (colours.get(key) || 0) + 1);
  }
  const mean = sum / count;
  const background = Math.max(...colours.values());
  return {
    luminanceSpread: Math.sqrt(Math.max(0, sumSquares / count - mean * mean)),
    foregroundShare: 1 - background / count,
    distinctColours: colours.size,
  };
}

// A screenshot "shows something" when it is not one flat colour with a few specks on it.
export function ShowsContent(measure) {
  return measure.luminanceSpread >= 8 && measure.foregroundShare >= 0.05 && measure.distinctColours >= 16;
}

export function MeasurePngFile(path) {
  return MeasureContent(DecodePng(readFileSync(path)));
}
