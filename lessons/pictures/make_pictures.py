# Makes the small photos the lessons use as scene input (lessons/pictures/*.png) from the sample
# photos of Debian's python3-skimage package: crop, scale down by area averaging, save as PNG.
# Run with /usr/bin/python3 (needs python3-torch, no PIL): python3 lessons/pictures/make_pictures.py
#
# Pictures (file, source in python3-skimage's skimage/data/, licence as its skimage.data docstring
# states; the package's copyright file lists the package as a whole under BSD-3-Clause):
#   camera-48.png   camera.png, rows 0-479, columns 0-479, 10×10 averaged, gray   CC0, photographer Lav Varshney
#   chelsea-40.png  chelsea.png, rows 0-279, columns 80-359, 7×7 averaged, RGB   CC0, photographer Stefan van der Walt
#
# Only public-domain or CC0 photos belong here: the browser downloads the lessons folder at start-up,
# so keep each picture tiny (≤ 15 KB, all together ≤ 40 KB) and small enough to step through
# (≤ 64 pixels on a side).

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import zlib

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
SKIMAGE_DATA = "usr/lib/python3/dist-packages/skimage/data"

# name, source file, crop (top, left, height, width), area-averaging factor, mode
PICTURES = [
    ("camera-48.png", "camera.png", (0, 0, 480, 480), 10, "gray"),
    ("chelsea-40.png", "chelsea.png", (0, 80, 280, 280), 7, "rgb"),
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # PNG colour type -> samples per pixel


def Paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def Unfilter(raw, height, stride, bpp):
    """Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth); returns the bare rows."""
    out = bytearray(height * stride)
    prev = bytearray(stride)
    pos = 0
    for y in range(height):
        kind = raw[pos]
        row = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                row[i] = (row[i] + row[i - bpp]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                row[i] = (row[i] + prev[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                row[i] = (row[i] + Paeth(left, prev[i], upleft)) & 0xFF
        elif kind != 0:
            raise ValueError(f"unknown PNG filter {kind} in row {y}")
        out[y * stride : (y + 1) * stride] = row
        prev = row
    return out


def ReadPng(path):
    """Reads an 8-bit, non-interlaced PNG (gray, RGB, palette, with or without alpha) into an
    H×W×3 (colour) or H×W×1 (gray) uint8 tensor; alpha is dropped."""
    data = open(path, "rb").read()
    if data[:8] != PNG_SIGNATURE:
        raise ValueError(f"{path}: not a PNG file")
    pos, idat, palette = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    if depth != 8 or interlace != 0 or colour not in CHANNELS:
        raise ValueError(f"{path}: only 8-bit non-interlaced PNGs are read (depth {depth}, colour type {colour})")
    bpp = CHANNELS[colour]
    rows = Unfilter(zlib.decompress(b"".join(idat)), height, width * bpp, bpp)
    pixels = torch.frombuffer(rows, dtype=torch.uint8).reshape(height, width, bpp)
    if colour == 3:
        table = torch.frombuffer(bytearray(palette), dtype=torch.uint8).reshape(-1, 3)
        return table[pixels[:, :, 0].long()]
    if colour in (4, 6):
        pixels = pixels[:, :, : bpp - 1]
    return pixels.clone()


def WritePng(path, pixels):
    """Writes an H×W×1 (gray) or H×W×3 (RGB) uint8 tensor as a PNG, choosing each row's filter by
    the usual smallest-sum-of-deltas rule so that the file stays small."""
    height, width, channels = pixels.shape
    bpp, stride = channels, width * channels
    flat = bytes(pixels.contiguous().reshape(-1).tolist())
    raw, prev = bytearray(), bytes(stride)
    for y in range(height):
        row = flat[y * stride : (y + 1) * stride]
        best = None
        for kind in range(5):
            filtered = bytearray([kind])
            for i in range(stride):
                left = row[i - bpp] if i >= bpp else 0
                upleft = prev[i - bpp] if i >= bpp else 0
                predictor = (0, left, prev[i], (left + prev[i]) >> 1, Paeth(left, prev[i], upleft))[kind]
                filtered.append((row[i] - predictor) & 0xFF)
            cost = sum(v if v < 128 else 256 - v for v in filtered[1:])
            if best is None or cost < best[0]:
                best = (cost, filtered)
        raw += best[1]
        prev = row

    def Chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0 if channels == 1 else 2, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(PNG_SIGNATURE + Chunk(b"IHDR", header) + Chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + Chunk(b"IEND", b""))


def Gray(pixels):
    """PIL's "L" conversion: round(0.299 R + 0.587 G + 0.114 B), as the core's gray mode does."""
    if pixels.shape[2] == 1:
        return pixels
    r, g, b = (pixels[:, :, i].long() for i in range(3))
    return ((r * 299 + g * 587 + b * 114 + 500) // 1000).to(torch.uint8).unsqueeze(2)


def Shrink(pixels, factor):
    """Area averaging by a whole factor: each output pixel is the mean of a factor×factor block."""
    height, width, _ = pixels.shape
    if height % factor or width % factor:
        raise ValueError(f"the crop {height}×{width} is not a multiple of {factor}")
    planes = pixels.permute(2, 0, 1).unsqueeze(0).double()
    small = torch.nn.functional.adaptive_avg_pool2d(planes, (height // factor, width // factor))
    return torch.floor(small[0] + 0.5).clamp(0, 255).to(torch.uint8).permute(1, 2, 0)


def UnpackSkimage(folder):
    """Downloads python3-skimage's .deb (without installing it) and unpacks it into folder."""
    command = ["apt-get", "download", "python3-skimage"]
    if os.geteuid() == 0:
        command[1:1] = ["-o", "APT::Sandbox::User=root"]
    subprocess.run(command, cwd=folder, check=True)
    deb = next(name for name in os.listdir(folder) if name.endswith(".deb"))
    subprocess.run(["dpkg-deb", "-x", deb, "root"], cwd=folder, check=True)
    return os.path.join(folder, "root", SKIMAGE_DATA)


def main():
    parser = argparse.ArgumentParser(description="Makes the lesson pictures from python3-skimage's photos.")
    parser.add_argument("--skimage-data", help="an unpacked skimage/data folder (default: download python3-skimage)")
    parser.add_argument("--out", default=HERE, help="where to write the pictures (default: this folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        source = args.skimage_data or UnpackSkimage(temp)
        for name, original, (top, left, height, width), factor, mode in PICTURES:
            pixels = ReadPng(os.path.join(source, original))
            crop = pixels[top : top + height, left : left + width]
            small = Shrink(Gray(crop) if mode == "gray" else crop, factor)
            path = os.path.join(args.out, name)
            WritePng(path, small)
            print(f"{name}: {small.shape[1]}×{small.shape[0]} {mode}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    sys.exit(main())
