#!/usr/bin/python3
# Writes tests/golden/resize_cases.json: small pictures padded with zeros or cropped (F.pad), resized
# (F.interpolate, nearest, bilinear and bicubic, with and without align_corners, by a factor or to a size,
# larger and smaller) and pooled to a size (F.adaptive_avg_pool2d, F.adaptive_max_pool2d), each
# with PyTorch's own output, so test_resize holds core/src/resize.cpp to
# an independent oracle. Run with Debian's python3-torch (fixed seed):
#   /usr/bin/python3 tests/golden/make_resize_golden.py
import json
import os
import random

import torch
import torch.nn.functional as F

from make_golden import nested, nested_short

SEED = 20261208
HERE = os.path.dirname(os.path.abspath(__file__))

# (channels, height, width), then what is done to it.
RESIZES = [
    ((2, 3, 4), dict(scale_factor=2, mode="nearest")),
    ((1, 7, 5), dict(scale_factor=1.5, mode="nearest")),
    ((2, 3, 4), dict(size=(5, 7), mode="nearest")),
    ((1, 6, 9), dict(size=(4, 5), mode="nearest")),
    ((2, 3, 4), dict(scale_factor=2, mode="bilinear", align_corners=False)),
    ((1, 7, 5), dict(scale_factor=(1.5, 2.5), mode="bilinear", align_corners=False)),
    ((2, 3, 4), dict(scale_factor=2, mode="bilinear", align_corners=True)),
    ((1, 4, 3), dict(size=(5, 7), mode="bilinear", align_corners=True)),
    ((1, 4, 3), dict(size=(5, 7), mode="bilinear", align_corners=False)),
    ((1, 6, 9), dict(size=(4, 5), mode="bilinear", align_corners=False)),
    ((1, 1, 3), dict(size=(3, 1), mode="bilinear", align_corners=True)),
    ((2, 3, 4), dict(scale_factor=2, mode="bicubic", align_corners=False)),
    ((1, 4, 5), dict(size=(7, 9), mode="bicubic", align_corners=True)),
    ((1, 6, 9), dict(size=(4, 5), mode="bicubic", align_corners=False)),
    ((1, 5, 5), dict(scale_factor=1.5, mode="bicubic", align_corners=False)),
]
# (channels, height, width), then F.pad's [left, right, top, bottom] (negative: cropped).
# (channels, height, width), then the output size of adaptive average and max pooling.
ADAPTIVE = [((2, 7, 7), (1, 1)), ((1, 7, 9), (3, 4)), ((2, 5, 6), (2, 5)), ((1, 3, 4), (5, 6))]
PADS = [((2, 3, 4), [1, 2, 0, 3]), ((1, 2, 2), [0, 0, 1, 1]), ((2, 5, 6), [-1, -2, 0, -1]), ((1, 4, 4), [2, -1, -1, 3])]


def picture(rng, shape):
    values = [round(rng.uniform(-2.0, 2.0), 2) for _ in range(shape[0] * shape[1] * shape[2])]
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


def main():
    rng = random.Random(SEED)
    cases = []
    for shape, how in RESIZES:
        x = picture(rng, shape)
        y = F.interpolate(x.unsqueeze(0), **how)[0]
        case = {"input": nested(x), "mode": how["mode"], "align_corners": how.get("align_corners", False),
                "height": y.shape[1], "width": y.shape[2], "output": nested_short(y)}
        if "scale_factor" in how:
            factor = how["scale_factor"]
            case["scale_factor"] = list(factor) if isinstance(factor, tuple) else [factor, factor]
        cases.append(case)
    for shape, pads in PADS:
        x = picture(rng, shape)
        cases.append({"input": nested(x), "pad": pads, "output": nested_short(F.pad(x, pads))})
    for shape, size in ADAPTIVE:
        x = picture(rng, shape)
        for pooling, largest in ((F.adaptive_avg_pool2d, False), (F.adaptive_max_pool2d, True)):
            cases.append({"input": nested(x), "adaptive": list(size), "largest": largest,
                          "output": nested_short(pooling(x, size))})
    with open(os.path.join(HERE, "resize_cases.json"), "w") as out:
        json.dump({"made_by": "tests/golden/make_resize_golden.py", "torch": torch.__version__, "cases": cases}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
