import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self, in_channels=32):
        super().__init__()
        self.branch1x1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch3x3 = nn.Sequential(nn.Conv2d(in_channels, 16, 1), nn.ReLU(), nn.Conv2d(16, 24, 3, padding=1))
        self.branch5x5 = nn.Sequential(nn.Conv2d(in_channels, 8, 1), nn.ReLU(), nn.Conv2d(8, 12, 5, padding=2))
        self.branch_pool = nn.Conv2d(in_channels, 8, kernel_size=1)

    def forward(self, x):
        b1 = self.branch1x1(x)
        b3 = self.branch3x3(x)
        b5 = self.branch5x5(x)
        bp = self.branch_pool(F.avg_pool2d(x, kernel_size=3, stride=1, padding=1))
        return torch.cat([b1, b3, b5, bp], 1)

x = torch.randn(1, 32, 28, 28)
