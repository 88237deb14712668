import torch
import torch.nn as nn
import torch.nn.functional as F

from typing import Callable, List, Optional


def conv_3x3(c_in: int, c_out: int, stride: int = 1) -> nn.Conv2d:
    """A 3x3 convolution that keeps the size at stride 1."""
    return nn.Conv2d(c_in, c_out, kernel_size=3, stride=stride, padding=1, bias=False)


def conv_1x1(c_in: int, c_out: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, kernel_size=1, stride=stride, bias=False)


class TwoConvBlock(nn.Module):
    widening: int = 1

    def __init__(self, c_in: int, c_out: int, stride: int = 1, shortcut: Optional[nn.Module] = None,
                 norm: Optional[Callable[..., nn.Module]] = None) -> None:
        super().__init__()
        if norm is None:
            norm = nn.BatchNorm2d
        if stride > 2:
            raise ValueError("TwoConvBlock takes a stride of 1 or 2")
        self.first = conv_3x3(c_in, c_out, stride)
        self.first_norm = norm(c_out)
        self.act = nn.ReLU(inplace=True)
        self.second = conv_3x3(c_out, c_out)
        self.second_norm = norm(c_out)
        self.shortcut = shortcut

    def forward(self, x):
        kept = x
        y = self.act(self.first_norm(self.first(x)))
        y = self.second_norm(self.second(y))
        if self.shortcut is not None:
            kept = self.shortcut(x)
        y += kept
        return self.act(y)


class SmallResidualNet(nn.Module):
    def __init__(self, block, counts: List[int], classes: int = 5, norm=None) -> None:
        super(SmallResidualNet, self).__init__()
        if norm is None:
            norm = nn.BatchNorm2d
        self._norm = norm
        self.channels = 8
        self.stem = nn.Conv2d(3, self.channels, kernel_size=3, padding=1, bias=False)
        self.stem_norm = norm(self.channels)
        self.act = nn.ReLU(inplace=True)
        self.stage1 = self._stage(block, 8, counts[0])
        self.stage2 = self._stage(block, 16, counts[1], stride=2)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.head = nn.Linear(16 * block.widening, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _stage(self, block, width: int, count: int, stride: int = 1) -> nn.Sequential:
        norm = self._norm
        shortcut = None
        if stride != 1 or self.channels != width * block.widening:
            shortcut = nn.Sequential(conv_1x1(self.channels, width * block.widening, stride), norm(width * block.widening))
        blocks = []
        blocks.append(block(self.channels, width, stride, shortcut, norm))
        self.channels = width * block.widening
        for _ in range(1, count):
            blocks.append(block(self.channels, width, norm=norm))
        return nn.Sequential(*blocks)

    def _run(self, x):
        x = self.act(self.stem_norm(self.stem(x)))
        x = self.stage2(self.stage1(x))
        x = torch.flatten(self.pool(x), 1)
        return self.head(x)

    def forward(self, x):
        return self._run(x)


def _build(block, counts, **options):
    net = SmallResidualNet(block, counts, **options)
    return net


def make_net(**options):
    return _build(TwoConvBlock, [2, 2], **options)


model = make_net(classes=7)
x = torch.randn(1, 3, 16, 16)
