import torch
from torch import nn
x = torch.randn(1, 3, 32, 32)
model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1),
    nn.BatchNorm2d(16),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=5),
    nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
    nn.Flatten(),
    nn.Linear(1152, 10),
)
