import torch
import torch.nn as nn
import torch.nn.functional as F

from collections import OrderedDict
from typing import List


class GrowLayer(nn.Module):
    def __init__(self, c_in: int, growth: int, drop: float = 0) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(c_in)
        self.act = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(c_in, growth, kernel_size=3, padding=1, bias=False)
        self.drop = float(drop)

    def joined(self, inputs: List[torch.Tensor]) -> torch.Tensor:
        return torch.cat(inputs, 1)

    @torch.jit._overload_method
    def forward(self, inputs: List[torch.Tensor]) -> torch.Tensor:
        pass

    @torch.jit._overload_method
    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        ...

    def forward(self, inputs):
        grown = self.conv(self.act(self.norm(self.joined(inputs))))
        if self.drop > 0:
            grown = F.dropout(grown, p=self.drop, training=self.training)
        return grown


class GrowBlock(nn.ModuleDict):
    def __init__(self, count: int, c_in: int, growth: int) -> None:
        super().__init__()
        for i in range(count):
            self.add_module("grow%d" % (i + 1), GrowLayer(c_in + i * growth, growth))

    def forward(self, x):
        kept = [x]
        for name, layer in self.items():
            kept.append(layer(kept))
        return torch.cat(kept, 1)


class Shrink(nn.Sequential):
    def __init__(self, c_in: int, c_out: int) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(c_in)
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)


class TinyDense(nn.Module):
    def __init__(self, growth: int = 4, counts=(2, 3), classes: int = 5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            OrderedDict(
                [
                    ("conv0", nn.Conv2d(3, 8, kernel_size=3, padding=1, bias=False)),
                    ("norm0", nn.BatchNorm2d(8)),
                ]
            )
        )
        channels = 8
        for i, count in enumerate(counts):
            block = GrowBlock(count, channels, growth)
            self.features.add_module("block%d" % (i + 1), block)
            channels = channels + count * growth
            if i != len(counts) - 1:
                self.features.add_module("shrink%d" % (i + 1), Shrink(channels, channels // 2))
                channels = channels // 2
        self.features.add_module("norm_last", nn.BatchNorm2d(channels))
        self.head = nn.Linear(channels, classes)

    def forward(self, x):
        x = F.relu(self.features(x))
        x = F.adaptive_avg_pool2d(x, (1, 1))
        return self.head(torch.flatten(x, 1))


model = TinyDense()
x = torch.randn(1, 3, 8, 8)
