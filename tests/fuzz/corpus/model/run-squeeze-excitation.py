import torch
import torch.nn as nn
import torch.nn.functional as F

class SE(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(c, c // r, 1)
        self.fc2 = nn.Conv2d(c // r, c, 1)
        self.out = nn.Conv2d(c, c, 3)

    def forward(self, x):
        x = self.conv(x)
        s = self.pool(x)
        s = torch.sigmoid(self.fc2(F.relu(self.fc1(s))))
        return self.out(x * s)

model = SE(16)
x = torch.randn(1, 3, 32, 32)
