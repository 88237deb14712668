import torch
import torch.nn as nn
import torch.nn.functional as F

from typing import List


def _nearest_multiple(value: float, step: int, bias: float = 0.9) -> int:
    if not 0.0 < bias < 1.0:
        raise ValueError("bias must lie between 0 and 1")
    rounded = max(step, int(value + step / 2) // step * step)
    return rounded if rounded >= bias * value else rounded + step


def _widths(scale: float) -> List[int]:
    return [_nearest_multiple(width * scale, 4) for width in [8, 12, 16] if width > 0]


class Residual(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.keep = c_in == c_out and stride == 1
        self.body = nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        if self.keep:
            return self.body(x) + x
        return self.body(x)


def _stack(c_in: int, c_out: int, stride: int, repeats: int) -> nn.Sequential:
    first = Residual(c_in, c_out, stride)
    rest = []
    for _ in range(1, repeats):
        rest.append(Residual(c_out, c_out, 1))
    return nn.Sequential(first, *rest)


class TinyMnas(torch.nn.Module):
    def __init__(self, scale: float, classes: int = 4) -> None:
        super().__init__()
        widths = _widths(scale)
        self.layers = nn.Sequential(nn.Conv2d(3, widths[0], 3, padding=1), _stack(widths[0], widths[1], 2, 2),
                                    _stack(widths[1], widths[2], 2, 1))
        self.head = nn.Linear(widths[2], classes)

    def forward(self, x):
        x = self.layers(x)
        x = x.mean([2, 3])
        return self.head(x)


model = TinyMnas(1.3)
x = torch.randn(1, 3, 12, 12)
