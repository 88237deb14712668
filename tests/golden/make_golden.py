#!/usr/bin/python3
# Writes tests/golden/cases.json: random conv2d / max_pool2d / avg_pool2d requests in the CLI's
# format with PyTorch's answers, so tests can hold `convtutor compute` to an independent oracle.
# Run with Debian's python3-torch: /usr/bin/python3 tests/golden/make_golden.py (fixed seeds).
import json
import math
import os
import random

import torch
import torch.nn.functional as F

SEED = 20261125
CASES_PER_GROUP = 16
MAX_CHANNELS = 8
MAX_SIDE = 12


def tf_same_split(n, kernel, stride, dilation):
    """TensorFlow's SAME padding along one axis: output ceil(n / s), odd extra after."""
    out = -(-n // stride)
    span = (kernel - 1) * dilation + 1
    total = max((out - 1) * stride + span - n, 0)
    return total // 2, total - total // 2


def random_values(rng, shape):
    """Values with two decimals: short in JSON, and read the same way by torch and the CLI."""
    count = math.prod(shape)
    values = [round(rng.uniform(-2.0, 2.0), 2) for _ in range(count)]
    return torch.tensor(values, dtype=torch.float32).reshape(shape)


def nested(tensor):
    """The tensor's two-decimal values as written in the request (float32 reads them back exactly)."""
    if tensor.dim() == 0:
        return round(tensor.item(), 2)
    return [nested(part) for part in tensor]


def short(value):
    """float32 results with 8 significant digits: enough for a 1e-4 comparison, and compact."""
    return float(f"{value:.8g}")


def nested_short(tensor):
    if tensor.dim() == 0:
        return short(tensor.item())
    return [nested_short(part) for part in tensor]


def pick_pair(rng, low, high, square_bias=0.6):
    rows = rng.randint(low, high)
    cols = rows if rng.random() < square_bias else rng.randint(low, high)
    return rows, cols


def pair_json(rng, pair):
    """A pair as the request may write it: n when both agree (sometimes), else [rows, cols]."""
    if pair[0] == pair[1] and rng.random() < 0.5:
        return pair[0]
    return [pair[0], pair[1]]


def padding_sides(kind, padding_json, sizes, kernel, stride, dilation):
    """(top, bottom, left, right) for a padding kind, computed from each rule's definition."""
    if kind == "valid":
        return (0, 0, 0, 0)
    if kind == "same":
        top, bottom = tf_same_split(sizes[0], kernel[0], stride[0], dilation[0])
        left, right = tf_same_split(sizes[1], kernel[1], stride[1], dilation[1])
        return (top, bottom, left, right)
    if kind == "full":
        rows = (kernel[0] - 1) * dilation[0]
        cols = (kernel[1] - 1) * dilation[1]
        return (rows, rows, cols, cols)
    if isinstance(padding_json, int):
        return (padding_json,) * 4
    if len(padding_json) == 2:
        return (padding_json[0], padding_json[0], padding_json[1], padding_json[1])
    return tuple(padding_json)


def explicit_padding_json(rng, kind, limit_rows, limit_cols):
    """Explicit padding of the given kind with every pad within the limits."""
    if kind == "explicit":
        p = rng.randint(0, min(limit_rows, limit_cols))
        return p if rng.random() < 0.5 else [p, p]
    if kind == "explicit_pair":
        return [rng.randint(0, limit_rows), rng.randint(0, limit_cols)]
    while True:  # asymmetric: per side, at least two sides differing
        sides = [rng.randint(0, limit_rows), rng.randint(0, limit_rows),
                 rng.randint(0, limit_cols), rng.randint(0, limit_cols)]
        if sides[0] != sides[1] or sides[2] != sides[3]:
            return sides


def conv_case(rng, kind):
    channels = rng.randint(1, 4 if rng.random() < 0.8 else MAX_CHANNELS)
    filters = rng.randint(1, 4)
    height, width = pick_pair(rng, 1, MAX_SIDE)
    kernel = pick_pair(rng, 1, 4)
    stride = pick_pair(rng, 1, 3)
    dilation = pick_pair(rng, 1, 3) if rng.random() < 0.4 else (1, 1)
    if rng.random() < 0.25:
        # Many channels and filters under a 3×3 stride-1 window: the shape fast paths look for.
        channels, filters = MAX_CHANNELS, rng.randint(MAX_CHANNELS, MAX_CHANNELS + 2)
        kernel, stride, dilation = (3, 3), (1, 1), (1, 1)
    padding_json = kind if kind in ("valid", "same", "full") else explicit_padding_json(rng, kind, 3, 3)
    sides = padding_sides(kind, padding_json, (height, width), kernel, stride, dilation)
    spans = [(kernel[i] - 1) * dilation[i] + 1 for i in range(2)]
    if spans[0] > height + sides[0] + sides[1] or spans[1] > width + sides[2] + sides[3]:
        return None
    x = random_values(rng, (channels, height, width))
    w = random_values(rng, (filters, channels, kernel[0], kernel[1]))
    bias = random_values(rng, (filters,)) if rng.random() < 0.5 else None
    relu = rng.random() < 0.3
    padded = F.pad(x.unsqueeze(0), (sides[2], sides[3], sides[0], sides[1]))
    y = F.conv2d(padded, w, bias, stride=stride, dilation=dilation)[0]
    if relu:
        y = F.relu(y)
    request = {"op": "conv2d", "padding": padding_json}
    if stride != (1, 1) or rng.random() < 0.3:
        request["stride"] = pair_json(rng, stride)
    if dilation != (1, 1):
        request["dilation"] = pair_json(rng, dilation)
    if bias is not None:
        request["bias"] = nested(bias)
    if relu:
        request["activation"] = "relu"
    return request, x, w, y, sides


def pool_case(rng, op, kind):
    channels = rng.randint(1, 4 if rng.random() < 0.8 else MAX_CHANNELS)
    height, width = pick_pair(rng, 1, MAX_SIDE)
    kernel = pick_pair(rng, 1, 4)
    stride = pick_pair(rng, 1, 3) if rng.random() < 0.6 else kernel
    dilation = (1, 1)
    if op == "max_pool2d" and rng.random() < 0.3:
        dilation = pick_pair(rng, 1, 2)
    ceil_mode = kind not in ("same", "explicit_asymmetric") and rng.random() < 0.4
    count_include_pad = True
    padding_json = kind
    if kind == "explicit_asymmetric" and max(kernel) < 2:
        return None  # no pad fits in half of a 1×1 window, so no sides can differ
    if kind not in ("valid", "same"):
        # PyTorch allows pooling pads of at most half the window.
        padding_json = explicit_padding_json(rng, kind, kernel[0] // 2, kernel[1] // 2)
        if op == "avg_pool2d":
            count_include_pad = rng.random() < 0.5
    sides = padding_sides(kind if kind in ("valid", "same") else "explicit", padding_json,
                          (height, width), kernel, stride, dilation)
    spans = [(kernel[i] - 1) * dilation[i] + 1 for i in range(2)]
    if spans[0] > height + sides[0] + sides[1] or spans[1] > width + sides[2] + sides[3]:
        return None
    x = random_values(rng, (channels, height, width))
    batch = x.unsqueeze(0)
    pad = (sides[2], sides[3], sides[0], sides[1])
    symmetric = sides[0] == sides[1] and sides[2] == sides[3]
    if kind != "same" and symmetric:
        # PyTorch's own padding, ceil_mode and count_include_pad rules.
        native = (sides[0], sides[2])
        if op == "max_pool2d":
            y = F.max_pool2d(batch, kernel, stride, native, dilation, ceil_mode=ceil_mode)[0]
        else:
            y = F.avg_pool2d(batch, kernel, stride, native, ceil_mode=ceil_mode,
                             count_include_pad=count_include_pad)[0]
    elif op == "max_pool2d":
        # TF SAME and per-side pads: padded cells never win a max.
        y = F.max_pool2d(F.pad(batch, pad, value=-math.inf), kernel, stride, 0, dilation)[0]
    else:
        sums = F.avg_pool2d(F.pad(batch, pad), kernel, stride, divisor_override=1)[0]
        if kind == "same" or not count_include_pad:
            # Divide by the real cells under each window, counted by pooling a mask of ones.
            mask = F.pad(torch.ones_like(batch), pad)
            y = sums / F.avg_pool2d(mask, kernel, stride, divisor_override=1)[0]
        else:
            y = sums / (kernel[0] * kernel[1])
    if not torch.isfinite(y).all():
        return None
    request = {"op": op, "kernel_size": pair_json(rng, kernel), "padding": padding_json}
    if stride != kernel or rng.random() < 0.3:
        request["stride"] = pair_json(rng, stride)
    if dilation != (1, 1):
        request["dilation"] = pair_json(rng, dilation)
    if ceil_mode:
        request["ceil_mode"] = True
    if op == "avg_pool2d" and kind not in ("valid", "same") and (not count_include_pad or rng.random() < 0.5):
        request["count_include_pad"] = count_include_pad
    return request, x, None, y, sides


def write_cases(file_name, generator, seed, cases):
    """Writes the cases beside this script as compact JSON, naming the generator, torch and seed."""
    document = {"generator": generator, "torch": torch.__version__, "seed": seed, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), file_name)
    with open(path, "w") as out:
        json.dump(document, out, separators=(",", ":"))
        out.write("\n")
    print(f"wrote {len(cases)} cases to {path} ({os.path.getsize(path) // 1024} KB)")


def make_case(rng, op, kind, data_format):
    while True:
        made = conv_case(rng, kind) if op == "conv2d" else pool_case(rng, op, kind)
        if made is not None:
            break
    options, x, w, y, sides = made
    channels_last = data_format == "channels_last"
    request = {"op": options.pop("op")}
    if channels_last or rng.random() < 0.5:
        request["data_format"] = data_format
    # The request's layout: H×W×C input and kh×kw×I×O weights (tf.nn.conv2d) when channels_last.
    request["input"] = nested(x.permute(1, 2, 0) if channels_last else x)
    if w is not None:
        request["weights"] = nested(w.permute(2, 3, 1, 0) if channels_last else w)
    request.update(options)
    if request.get("padding") == "valid" and rng.random() < 0.3:
        del request["padding"]  # valid is the default
    expected = y.permute(1, 2, 0) if channels_last else y
    return {
        "request": request,
        "shape": list(expected.shape),
        "padding": list(sides),
        "output": nested_short(expected),
    }


def main():
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    groups = []
    for op in ("conv2d", "max_pool2d", "avg_pool2d"):
        kinds = ["valid", "same", "explicit", "explicit_pair", "explicit_asymmetric"]
        if op == "conv2d":
            kinds.insert(2, "full")
        for kind in kinds:
            for data_format in ("channels_first", "channels_last"):
                groups.append((op, kind, data_format))
    cases = []
    for op, kind, data_format in groups:
        for i in range(CASES_PER_GROUP):
            case = make_case(rng, op, kind, data_format)
            case["name"] = f"{op}_{kind}_{data_format}_{i:02d}"
            cases.append(case)
    write_cases("cases.json", "tests/golden/make_golden.py", SEED, cases)


if __name__ == "__main__":
    main()
