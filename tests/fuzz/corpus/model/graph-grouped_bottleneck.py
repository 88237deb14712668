import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self, channels=64, width=32, cardinality=8):
        super().__init__()
        self.reduce = nn.Conv2d(channels, width, 1, bias=False)
        self.grouped = nn.Conv2d(width, width, 3, padding=1, groups=cardinality, bias=False)
        self.expand = nn.Conv2d(width, channels, 1, bias=False)

    def forward(self, x):
        out = F.relu(self.reduce(x))
        out = F.relu(self.grouped(out))
        out = self.expand(out)
        return F.relu(out + x)

x = torch.randn(1, 64, 14, 14)
