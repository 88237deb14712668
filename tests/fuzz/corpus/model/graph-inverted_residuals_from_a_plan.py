import torch
import torch.nn as nn
import torch.nn.functional as F

from typing import List


def round_to(width: float, step: int = 4) -> int:
    rounded = max(step, int(width + step / 2) // step * step)
    if rounded < 0.9 * width:
        rounded += step
    return rounded


class Expand(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int, ratio: int) -> None:
        super().__init__()
        if stride not in [1, 2]:
            raise ValueError(f"stride {stride} is neither 1 nor 2")
        hidden = int(round(c_in * ratio))
        self.shortcut = stride == 1 and c_in == c_out
        layers: List[nn.Module] = []
        if ratio != 1:
            layers.append(nn.Sequential(nn.Conv2d(c_in, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6(inplace=True)))
        layers.extend(
            [
                nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
                nn.BatchNorm2d(hidden),
                nn.ReLU6(inplace=True),
                nn.Conv2d(hidden, c_out, 1, 1, 0, bias=False),
                nn.BatchNorm2d(c_out),
            ]
        )
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        if self.shortcut:
            return x + self.body(x)
        return self.body(x)


class TinyMobile(nn.Module):
    def __init__(self, classes: int = 6, width: float = 1.0) -> None:
        super().__init__()
        channels = round_to(8 * width)
        self.last = round_to(24 * max(1.0, width))
        plan = [[1, 8, 1, 1], [4, 12, 2, 2]]
        features: List[nn.Module] = [nn.Conv2d(3, channels, 3, 2, 1, bias=False), nn.BatchNorm2d(channels)]
        for ratio, c, n, s in plan:
            out = round_to(c * width)
            for i in range(n):
                stride = s if i == 0 else 1
                features.append(Expand(channels, out, stride, ratio))
                channels = out
        features.append(nn.Conv2d(channels, self.last, 1, bias=False))
        self.features = nn.Sequential(*features)
        self.head = nn.Linear(self.last, classes)

    def forward(self, x):
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.head(torch.flatten(x, 1))


model = TinyMobile(width=1.5)
x = torch.randn(1, 3, 16, 16)
