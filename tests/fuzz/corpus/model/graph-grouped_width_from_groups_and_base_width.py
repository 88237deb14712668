import torch
import torch.nn as nn
import torch.nn.functional as F

def grouped_3x3(c_in, c_out, stride=1, groups=1):
    return nn.Conv2d(c_in, c_out, kernel_size=3, stride=stride, padding=1, groups=groups, bias=False)


class GroupedBottleneck(nn.Module):
    widening = 2

    def __init__(self, c_in, planes, stride=1, shortcut=None, groups=1, base_width=16):
        super().__init__()
        width = int(planes * (base_width / 16.0)) * groups
        self.reduce = nn.Conv2d(c_in, width, kernel_size=1, bias=False)
        self.reduce_norm = nn.BatchNorm2d(width)
        self.grouped = grouped_3x3(width, width, stride, groups)
        self.grouped_norm = nn.BatchNorm2d(width)
        self.expand = nn.Conv2d(width, planes * self.widening, kernel_size=1, bias=False)
        self.expand_norm = nn.BatchNorm2d(planes * self.widening)
        self.act = nn.ReLU(inplace=True)
        self.shortcut = shortcut

    def forward(self, x):
        kept = x
        y = self.act(self.reduce_norm(self.reduce(x)))
        y = self.act(self.grouped_norm(self.grouped(y)))
        y = self.expand_norm(self.expand(y))
        if self.shortcut is not None:
            kept = self.shortcut(x)
        return self.act(y + kept)


class GroupedNet(nn.Module):
    def __init__(self, groups=1, width_per_group=16):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, kernel_size=3, padding=1, bias=False)
        shortcut = nn.Sequential(nn.Conv2d(16, 16 * GroupedBottleneck.widening, 1, stride=2, bias=False),
                                 nn.BatchNorm2d(16 * GroupedBottleneck.widening))
        self.block = GroupedBottleneck(16, 16, 2, shortcut, groups=groups, base_width=width_per_group)

    def forward(self, x):
        return self.block(self.stem(x))


def grouped_net(**kwargs):
    return GroupedNet(**kwargs)


model = grouped_net(groups=4, width_per_group=8)
x = torch.randn(1, 3, 12, 12)
