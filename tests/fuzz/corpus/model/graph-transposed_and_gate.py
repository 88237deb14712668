import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.up2 = nn.ConvTranspose2d(6, 4, (3, 5), stride=(2, 1), padding=(0, 2), dilation=2, bias=False)
        self.gate = nn.Conv2d(4, 4, 1)

    def forward(self, x):
        x = self.up2(F.relu(self.up1(x)))
        return x * torch.sigmoid(self.gate(x))

x = torch.randn(1, 8, 5, 7)
