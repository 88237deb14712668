import torch
import torch.nn as nn
import torch.nn.functional as F

class SqueezeWiden(nn.Module):
    def __init__(self, c_in, squeezed, wide_1x1, wide_3x3):
        super().__init__()
        self.squeeze = nn.Conv2d(c_in, squeezed, kernel_size=1)
        self.act = nn.ReLU(inplace=True)
        self.narrow = nn.Conv2d(squeezed, wide_1x1, kernel_size=1)
        self.wide = nn.Conv2d(squeezed, wide_3x3, kernel_size=3, padding=1)

    def forward(self, x):
        x = self.act(self.squeeze(x))
        return torch.cat([self.act(self.narrow(x)), self.act(self.wide(x))], 1)


class TinySqueeze(nn.Module):
    def __init__(self, classes=5):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, kernel_size=3, stride=2), nn.ReLU(inplace=True),
                                      nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True), SqueezeWiden(8, 4, 6, 6))
        last = nn.Conv2d(12, classes, kernel_size=1)
        self.classifier = nn.Sequential(nn.Dropout(p=0.5), last, nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d((1, 1)))

    def forward(self, x):
        return torch.flatten(self.classifier(self.features(x)), 1)


model = TinySqueeze()
x = torch.randn(1, 3, 21, 21)
