#!/usr/bin/python3
# Writes the test pictures in tests/golden/images/ (PNG and BMP written here in pure Python, each
# with a PPM/PGM twin holding the same pixels) and tests/golden/image_cases.json: requests whose
# "input" is one of those pictures, with PyTorch's answers computed from the PPM/PGM pixels.
# Run with Debian's python3-torch: /usr/bin/python3 tests/golden/make_image_golden.py (fixed seed).
import json
import os
import random
import struct
import zlib

import torch
import torch.nn.functional as F

from make_golden import nested_short, tf_same_split

SEED = 20261201
HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "images")


# ---- pictures: pixels as rows of (r, g, b) or (r, g, b, a) tuples, or of gray values -----------

def structured_rgb(width, height, rng):
    """Gradients, a checkerboard and a little noise: every channel differs from the others."""
    rows = []
    for y in range(height):
        row = []
        for x in range(width):
            r = (x * 255 // max(width - 1, 1) + rng.randint(0, 9)) % 256
            g = (y * 255 // max(height - 1, 1) + 3 * x) % 256
            b = 230 if (x // 4 + y // 3) % 2 else 20 + rng.randint(0, 30)
            row.append((r, g, b))
        rows.append(row)
    return rows


def structured_gray(width, height, rng):
    return [[((x * x + 3 * y * y) // 3 + rng.randint(0, 15)) % 256 for x in range(width)] for y in range(height)]


# ---- PNG, pure Python: zlib, struct and CRC --------------------------------------------------------

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def filtered_scanlines(raw_rows, bytes_per_pixel):
    """Rows filtered with None, Sub and Up in turn, so the decoder's filters are exercised too."""
    out = bytearray()
    previous = bytes(len(raw_rows[0]))
    for index, row in enumerate(raw_rows):
        kind = index % 3
        if kind == 0:
            line = row
        elif kind == 1:
            line = bytes((row[i] - (row[i - bytes_per_pixel] if i >= bytes_per_pixel else 0)) % 256 for i in range(len(row)))
        else:
            line = bytes((row[i] - previous[i]) % 256 for i in range(len(row)))
        out.append(kind)
        out += line
        previous = row
    return bytes(out)


def write_png(path, width, height, color_type, bit_depth, raw_rows, bytes_per_pixel, palette=None):
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    body = png_chunk(b"IHDR", header)
    if palette is not None:
        body += png_chunk(b"PLTE", bytes(v for colour in palette for v in colour))
    body += png_chunk(b"IDAT", zlib.compress(filtered_scanlines(raw_rows, bytes_per_pixel), 9))
    body += png_chunk(b"IEND", b"")
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n" + body)


def write_bmp(path, pixels):
    """24-bit BMP: bottom-up rows of B, G, R, each padded to a multiple of 4 bytes."""
    height, width = len(pixels), len(pixels[0])
    stride = (3 * width + 3) // 4 * 4
    data = bytearray()
    for row in reversed(pixels):
        line = bytes(v for (r, g, b) in row for v in (b, g, r))
        data += line + bytes(stride - len(line))
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(data), 2835, 2835, 0, 0)
    file_header = struct.pack("<2sIHHI", b"BM", 14 + len(info) + len(data), 0, 0, 14 + len(info))
    with open(path, "wb") as out:
        out.write(file_header + info + data)


# ---- PPM / PGM twins, and reading them back ----------------------------------------------------------

def write_ppm(path, rgb_rows):
    height, width = len(rgb_rows), len(rgb_rows[0])
    with open(path, "wb") as out:
        out.write(b"P6\n%d %d\n255\n" % (width, height) + bytes(v for row in rgb_rows for pixel in row for v in pixel))


def write_pgm(path, gray_rows, maximum):
    height, width = len(gray_rows), len(gray_rows[0])
    size = 1 if maximum < 256 else 2
    with open(path, "wb") as out:
        out.write(b"P5\n%d %d\n%d\n" % (width, height, maximum) +
                  b"".join(v.to_bytes(size, "big") for row in gray_rows for v in row))


def read_netpbm(path):
    """The pixels of a P5/P6 file as a 3×H×W tensor of 0–255 (gray repeated in R, G and B; a
    16-bit PGM scaled to 8 bits by rounding v·255/65535)."""
    with open(path, "rb") as source:
        data = source.read()
    fields, at = [], 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        start = at
        while not data[at:at + 1].isspace():
            at += 1
        fields.append(data[start:at])
    at += 1
    magic, width, height, maximum = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    channels = 3 if magic == b"P6" else 1
    size = 1 if maximum < 256 else 2
    values = [int.from_bytes(data[at + i * size: at + (i + 1) * size], "big") for i in range(width * height * channels)]
    values = [(v * 255 + maximum // 2) // maximum for v in values]
    tensor = torch.tensor(values, dtype=torch.float64).reshape(height, width, channels).permute(2, 0, 1)
    return tensor.expand(3, height, width).contiguous()


def make_pictures(rng):
    """Writes every test picture and its twin; returns {file name: twin file name}."""
    os.makedirs(IMAGES, exist_ok=True)
    twins = {}

    def save(name, twin_name, write_picture, write_twin):
        write_picture(os.path.join(IMAGES, name))
        write_twin(os.path.join(IMAGES, twin_name))
        twins[name] = twin_name

    rgb = structured_rgb(37, 23, rng)
    save("rgb-37x23.png", "rgb-37x23.ppm",
         lambda p: write_png(p, 37, 23, 2, 8, [bytes(v for px in row for v in px) for row in rgb], 3),
         lambda p: write_ppm(p, rgb))

    wide = structured_rgb(64, 40, rng)
    save("rgb-64x40.png", "rgb-64x40.ppm",
         lambda p: write_png(p, 64, 40, 2, 8, [bytes(v for px in row for v in px) for row in wide], 3),
         lambda p: write_ppm(p, wide))

    gray = structured_gray(29, 31, rng)
    save("gray-29x31.png", "gray-29x31.pgm",
         lambda p: write_png(p, 29, 31, 0, 8, [bytes(row) for row in gray], 1),
         lambda p: write_pgm(p, gray, 255))

    # Alpha that varies across the picture: the decoder drops it (no blending with a background).
    rgba = [[(r, g, b, (17 * x + 29 * y) % 256) for (x, (r, g, b)) in enumerate(row)]
            for y, row in enumerate(structured_rgb(20, 17, rng))]
    save("rgba-20x17.png", "rgba-20x17.ppm",
         lambda p: write_png(p, 20, 17, 6, 8, [bytes(v for px in row for v in px) for row in rgba], 4),
         lambda p: write_ppm(p, [[px[:3] for px in row] for row in rgba]))

    palette = [(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)) for _ in range(16)]
    indices = [[(x // 3 + 2 * y + rng.randint(0, 1)) % 16 for x in range(24)] for y in range(18)]
    save("palette-24x18.png", "palette-24x18.ppm",
         lambda p: write_png(p, 24, 18, 3, 8, [bytes(row) for row in indices], 1, palette),
         lambda p: write_ppm(p, [[palette[i] for i in row] for row in indices]))

    # 16 bits per sample, each v·257: any sane reduction to 8 bits (v >> 8, round(v / 257)) gives v.
    deep = [[257 * v for v in row] for row in structured_gray(19, 13, rng)]
    save("gray16-19x13.png", "gray16-19x13.pgm",
         lambda p: write_png(p, 19, 13, 0, 16, [b"".join(v.to_bytes(2, "big") for v in row) for row in deep], 2),
         lambda p: write_pgm(p, deep, 65535))

    bmp = structured_rgb(33, 21, rng)
    save("rgb-33x21.bmp", "rgb-33x21-bmp.ppm", lambda p: write_bmp(p, bmp), lambda p: write_ppm(p, bmp))
    return twins


# ---- the picture as the core should see it, and PyTorch's answer --------------------------------

def scaled_sides(width, height, max_side):
    """round(side · max_side / longest), halves up, at least 1; unchanged when it already fits."""
    longest = max(width, height)
    if longest <= max_side:
        return width, height
    return tuple(max(1, (2 * side * max_side + longest) // (2 * longest)) for side in (width, height))


def picture_volume(rgb, mode, max_side):
    """C×H×W in [0, 1]: PIL "L" gray (integer rounding) or RGB, area-averaged to fit max_side."""
    if mode == "gray":
        r, g, b = (rgb[c].long() for c in range(3))
        values = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).double().unsqueeze(0)
    else:
        values = rgb
    height, width = values.shape[1], values.shape[2]
    new_width, new_height = scaled_sides(width, height, max_side)
    if (new_width, new_height) != (width, height):
        values = F.adaptive_avg_pool2d(values.unsqueeze(0), (new_height, new_width))[0]
    return (values / 255.0).float()


def two_decimals(rng, shape):
    count = 1
    for extent in shape:
        count *= extent
    return torch.tensor([round(rng.uniform(-1.0, 1.0), 2) for _ in range(count)], dtype=torch.float32).reshape(shape)


def nested_two_decimals(tensor):
    if tensor.dim() == 0:
        return round(tensor.item(), 2)
    return [nested_two_decimals(part) for part in tensor]


# (picture, mode, max_side or None, op, kernel, stride, padding as written, dilation, format)
CASES = [
    ("rgb-37x23.png", "rgb", None, "conv2d", 3, 1, "valid", 1, "channels_first"),
    ("rgb-37x23.png", "gray", None, "conv2d", 3, 2, "same", 1, "channels_last"),
    ("rgb-37x23.png", "rgb", 16, "conv2d", 3, 1, 1, 1, "channels_first"),
    ("rgb-37x23.png", "gray", 20, "conv2d", 2, 2, "valid", 1, "channels_first"),
    ("rgb-64x40.png", "rgb", 24, "conv2d", 3, 2, "same", 1, "channels_last"),
    ("rgb-64x40.png", "gray", 25, "conv2d", 3, 1, [1, 2, 0, 1], 2, "channels_first"),
    ("rgb-64x40.png", "rgb", 7, "conv2d", 2, 1, "full", 1, "channels_first"),
    ("gray-29x31.png", "gray", None, "conv2d", 3, 1, "same", 1, "channels_first"),
    ("gray-29x31.png", "rgb", 12, "conv2d", 3, [2, 1], [1, 0], 1, "channels_last"),
    ("rgba-20x17.png", "rgb", None, "conv2d", 3, 1, "valid", 1, "channels_last"),
    ("rgba-20x17.png", "gray", 9, "conv2d", 2, 1, "valid", 1, "channels_first"),
    ("palette-24x18.png", "rgb", None, "conv2d", 3, 2, 1, 1, "channels_first"),
    ("palette-24x18.png", "gray", 10, "conv2d", 3, 1, "same", 1, "channels_last"),
    ("gray16-19x13.png", "gray", None, "conv2d", 3, 1, "valid", 1, "channels_first"),
    ("gray16-19x13.png", "rgb", 8, "conv2d", 2, 1, "same", 1, "channels_last"),
    ("rgb-33x21.bmp", "rgb", None, "conv2d", 3, 1, "valid", 2, "channels_first"),
    ("rgb-33x21.bmp", "gray", 16, "conv2d", 3, 2, "same", 1, "channels_last"),
    ("rgb-37x23.png", "rgb", None, "max_pool2d", 2, 2, "valid", 1, "channels_first"),
    ("rgb-33x21.bmp", "gray", None, "avg_pool2d", 3, 2, [1, 1], 1, "channels_last"),
]


def explicit_sides(padding, volume, kernel, stride, dilation):
    """[top, bottom, left, right] for a request's padding, as the CLI answers it."""
    height, width = volume.shape[1], volume.shape[2]
    if padding == "valid":
        return [0, 0, 0, 0]
    if padding == "same":
        top, bottom = tf_same_split(height, kernel, stride[0], dilation)
        left, right = tf_same_split(width, kernel, stride[1], dilation)
        return [top, bottom, left, right]
    if padding == "full":
        full = (kernel - 1) * dilation
        return [full, full, full, full]
    if isinstance(padding, int):
        return [padding] * 4
    if len(padding) == 2:
        return [padding[0], padding[0], padding[1], padding[1]]
    return list(padding)


def make_case(rng, index, case, twins):
    picture, mode, max_side, op, kernel, stride, padding, dilation, data_format = case
    rgb = read_netpbm(os.path.join(IMAGES, twins[picture]))
    volume = picture_volume(rgb, mode, max_side if max_side is not None else 256)
    channels, height, width = volume.shape
    strides = [stride, stride] if isinstance(stride, int) else stride
    sides = explicit_sides(padding, volume, kernel, strides, dilation)
    image = {"image": "images/" + picture, "mode": mode}
    if max_side is not None:
        image["max_side"] = max_side
    request = {"op": op, "data_format": data_format, "input": image, "stride": stride, "padding": padding}
    if op == "conv2d":
        filters = rng.randint(1, 3)
        weights = two_decimals(rng, (filters, channels, kernel, kernel))
        bias = two_decimals(rng, (filters,))
        padded = F.pad(volume.unsqueeze(0), (sides[2], sides[3], sides[0], sides[1]))
        output = F.conv2d(padded, weights, bias, stride=strides, dilation=dilation)[0]
        written = weights if data_format == "channels_first" else weights.permute(2, 3, 1, 0)
        request.update({"weights": nested_two_decimals(written), "bias": nested_two_decimals(bias), "dilation": dilation})
    elif op == "max_pool2d":
        request["kernel_size"] = kernel
        padded = F.pad(volume.unsqueeze(0), (sides[2], sides[3], sides[0], sides[1]), value=float("-inf"))
        output = F.max_pool2d(padded, kernel, stride=strides)[0]
    else:
        request["kernel_size"] = kernel
        output = F.avg_pool2d(volume.unsqueeze(0), kernel, stride=strides, padding=(sides[0], sides[2]))[0]
    if data_format == "channels_last":
        output = output.permute(1, 2, 0)
    source_height, source_width = rgb.shape[1], rgb.shape[2]
    scaled = (width, height) != (source_width, source_height)
    return {
        "name": "%s_%s_%d" % (picture.replace(".", "_"), mode, index),
        "request": request,
        "shape": list(output.shape),
        "padding": sides,
        "image": {"name": image["image"], "width": width, "height": height, "channels": channels,
                  "scaled_from": [source_width, source_height] if scaled else None},
        "output": nested_short(output),
    }


def main():
    rng = random.Random(SEED)
    twins = make_pictures(rng)
    cases = [make_case(rng, index, case, twins) for index, case in enumerate(CASES)]
    document = {
        "generator": "tests/golden/make_image_golden.py",
        "torch_version": torch.__version__,
        "seed": SEED,
        "note": "inputs are the pictures in images/, read back from their PPM/PGM twins; outputs from torch",
        "cases": cases,
    }
    path = os.path.join(HERE, "image_cases.json")
    with open(path, "w") as out:
        json.dump(document, out, separators=(",", ":"))
        out.write("\n")
    print("wrote %d cases to %s" % (len(cases), path))


if __name__ == "__main__":
    main()
