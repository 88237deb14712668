#!/usr/bin/python3
# PyTorch's single-threaded speed on the layers of bench/bench_forward.cpp, in multiply-adds per
# second, so the README can set our fast path beside it. Run with /usr/bin/python3 (Debian's torch).
# Times are CPU time of this thread, as Google Benchmark reports, so other load on the machine
# does not skew the comparison.
#   /usr/bin/python3 bench/pytorch_reference.py [--json] [--quick]
# --json prints one JSON line per layer (bench/side_by_side.mjs reads them); --quick times fewer,
# shorter samples, for side_by_side's alternating rounds.
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

LAYERS = [
    # name, (C, H, W), filters, kernel, stride, padding
    ("Rgb256_32x4x4_Stride2_Valid", (3, 256, 256), 32, 4, 2, "valid"),
    ("Rgb256_8x3x3_Valid", (3, 256, 256), 8, 3, 1, "valid"),
    ("C64x56_64x3x3_Same", (64, 56, 56), 64, 3, 1, "same"),
]


def main():
    args = sys.argv[1:]
    unknown = [arg for arg in args if arg not in ("--json", "--quick")]
    if unknown:
        sys.exit(f"pytorch_reference.py: unknown option {unknown[0]} (options: --json, --quick)")
    as_json = "--json" in args
    samples, sample_seconds = (3, 0.1) if "--quick" in args else (7, 0.3)
    torch.set_num_threads(1)
    torch.manual_seed(1)
    for name, (c, h, w), filters, k, s, padding in LAYERS:
        x = torch.rand(1, c, h, w) * 4 - 2
        weight = torch.rand(filters, c, k, k) * 4 - 2
        bias = torch.rand(filters) * 4 - 2
        # "same" at stride 1 with an odd kernel is symmetric, so PyTorch's own padding='same' matches TF.
        run = lambda: F.conv2d(x, weight, bias, stride=s, padding=padding)
        out = run()
        macs = out.numel() * c * k * k
        for _ in range(3):
            run()
        per_call = []
        for _ in range(samples):
            repeats = 0
            start = time.thread_time()
            while True:
                run()
                repeats += 1
                elapsed = time.thread_time() - start
                if elapsed > sample_seconds:
                    break
            per_call.append(elapsed / repeats)
        # The median, as Google Benchmark's aggregate shows: a busy machine skews single runs.
        median = statistics.median(per_call)
        if as_json:
            print(json.dumps({"layer": name, "multiply_adds": macs, "cpu_median_ms": round(median * 1e3, 4)}), flush=True)
        else:
            print(f"{name:32s} {median * 1e3:8.3f} ms  {macs / median / 1e9:7.2f} G MAC/s")


if __name__ == "__main__":
    main()
