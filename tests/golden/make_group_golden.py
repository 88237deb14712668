#!/usr/bin/python3
# Writes tests/golden/group_cases.json: random grouped / depthwise conv2d and conv_transpose2d
# requests in the CLI's format with PyTorch's answers, both layouts, for tests/cli/test_cli.cpp.
# Run with Debian's python3-torch: /usr/bin/python3 tests/golden/make_group_golden.py (fixed seed).
import os
import random
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_golden import (nested, nested_short, pair_json, padding_sides, pick_pair,  # noqa: E402
                         random_values, write_cases)

SEED = 20261201
CASES_PER_GROUP = 12
MAX_SIDE = 9


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def grouped_conv_case(rng, depthwise):
    """conv2d with groups: weights (out, in/groups, kh, kw); depthwise has groups = in."""
    channels = rng.randint(1 if depthwise else 2, 6)
    groups = channels if depthwise else rng.choice(divisors(channels)[1:])
    filters = groups * rng.randint(1, 3)
    height, width = pick_pair(rng, 1, MAX_SIDE)
    kernel = pick_pair(rng, 1, 4)
    stride = pick_pair(rng, 1, 3)
    dilation = pick_pair(rng, 1, 3) if rng.random() < 0.4 else (1, 1)
    kind = rng.choice(["valid", "same", "explicit", "explicit_pair"])
    padding_json = kind if kind in ("valid", "same") else (
        rng.randint(0, 2) if kind == "explicit" else [rng.randint(0, 2), rng.randint(0, 2)])
    sides = padding_sides(kind, padding_json, (height, width), kernel, stride, dilation)
    spans = [(kernel[i] - 1) * dilation[i] + 1 for i in range(2)]
    if spans[0] > height + sides[0] + sides[1] or spans[1] > width + sides[2] + sides[3]:
        return None
    x = random_values(rng, (channels, height, width))
    w = random_values(rng, (filters, channels // groups, kernel[0], kernel[1]))
    bias = random_values(rng, (filters,)) if rng.random() < 0.5 else None
    padded = F.pad(x.unsqueeze(0), (sides[2], sides[3], sides[0], sides[1]))
    y = F.conv2d(padded, w, bias, stride=stride, dilation=dilation, groups=groups)[0]
    request = {"op": "conv2d", "padding": padding_json, "groups": groups}
    if stride != (1, 1):
        request["stride"] = pair_json(rng, stride)
    if dilation != (1, 1):
        request["dilation"] = pair_json(rng, dilation)
    if bias is not None:
        request["bias"] = nested(bias)
    # Every product of every output cell, padded taps included, as for conv2d.
    multiply_adds = y.numel() * (channels // groups) * kernel[0] * kernel[1]
    return request, x, w, y, list(sides), multiply_adds


def reaching_products(n, out, kernel, stride, padding, dilation):
    """Along one axis: the (input cell, tap) pairs whose product lands inside the output."""
    return sum(1 for i in range(n) for k in range(kernel) if 0 <= i * stride - padding + k * dilation < out)


def transposed_case(rng, grouped):
    """conv_transpose2d: weights (in, out/groups, kh, kw), PyTorch's padding and output_padding."""
    channels = rng.randint(2 if grouped else 1, 6)
    groups = rng.choice(divisors(channels)[1:]) if grouped else 1
    if grouped and rng.random() < 0.3:
        groups = channels  # depthwise
    per_group = rng.randint(1, 3)
    height, width = pick_pair(rng, 1, 6)
    kernel = pick_pair(rng, 1, 4)
    stride = pick_pair(rng, 1, 3)
    dilation = pick_pair(rng, 1, 2) if rng.random() < 0.4 else (1, 1)
    padding = pick_pair(rng, 0, 2)
    # PyTorch's rule: output_padding smaller than the stride or the dilation.
    output_padding = tuple(rng.randint(0, max(stride[i], dilation[i]) - 1) if rng.random() < 0.5 else 0
                           for i in range(2))
    sizes = (height, width)
    outs = [(sizes[i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + output_padding[i] + 1
            for i in range(2)]
    if min(outs) < 1:
        return None
    x = random_values(rng, (channels, height, width))
    w = random_values(rng, (channels, per_group, kernel[0], kernel[1]))
    filters = per_group * groups
    bias = random_values(rng, (filters,)) if rng.random() < 0.5 else None
    y = F.conv_transpose2d(x.unsqueeze(0), w, bias, stride=stride, padding=padding,
                           output_padding=output_padding, groups=groups, dilation=dilation)[0]
    assert list(y.shape[1:]) == outs
    request = {"op": "conv_transpose2d"}
    if padding != (0, 0) or rng.random() < 0.3:
        request["padding"] = pair_json(rng, padding)
    if stride != (1, 1) or rng.random() < 0.3:
        request["stride"] = pair_json(rng, stride)
    if dilation != (1, 1):
        request["dilation"] = pair_json(rng, dilation)
    if output_padding != (0, 0):
        request["output_padding"] = pair_json(rng, output_padding)
    if groups != 1 or rng.random() < 0.3:
        request["groups"] = groups
    if bias is not None:
        request["bias"] = nested(bias)
    # Only the products that contribute: each input cell's tap that lands inside the output.
    multiply_adds = (channels * per_group * reaching_products(height, outs[0], kernel[0], stride[0], padding[0], dilation[0])
                     * reaching_products(width, outs[1], kernel[1], stride[1], padding[1], dilation[1]))
    sides = [padding[0], padding[0], padding[1], padding[1]]
    return request, x, w, y, sides, multiply_adds


def make_case(rng, group, data_format):
    while True:
        if group == "conv2d_grouped":
            made = grouped_conv_case(rng, depthwise=False)
        elif group == "conv2d_depthwise":
            made = grouped_conv_case(rng, depthwise=True)
        else:
            made = transposed_case(rng, grouped=group == "conv_transpose2d_grouped")
        if made is not None:
            break
    options, x, w, y, sides, multiply_adds = made
    channels_last = data_format == "channels_last"
    request = {"op": options.pop("op")}
    if channels_last or rng.random() < 0.5:
        request["data_format"] = data_format
    request["input"] = nested(x.permute(1, 2, 0) if channels_last else x)
    # channels_last weights: conv2d kh×kw×(I/groups)×O (tf.nn.conv2d), conv_transpose2d
    # kh×kw×(O/groups)×I (tf.nn.conv2d_transpose): both PyTorch's tensor with its axes reversed in pairs.
    request["weights"] = nested(w.permute(2, 3, 1, 0) if channels_last else w)
    request.update(options)
    expected = y.permute(1, 2, 0) if channels_last else y
    return {
        "request": request,
        "shape": list(expected.shape),
        "padding": sides,
        "output": nested_short(expected),
        "parameters": w.numel() + (len(request["bias"]) if "bias" in request else 0),
        "multiply_adds": multiply_adds,
    }


def main():
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    cases = []
    for group in ("conv2d_grouped", "conv2d_depthwise", "conv_transpose2d", "conv_transpose2d_grouped"):
        for data_format in ("channels_first", "channels_last"):
            for i in range(CASES_PER_GROUP):
                case = make_case(rng, group, data_format)
                case["name"] = f"{group}_{data_format}_{i:02d}"
                cases.append(case)
    write_cases("group_cases.json", "tests/golden/make_group_golden.py", SEED, cases)


if __name__ == "__main__":
    main()
