import torch
import torch.nn as nn
import torch.nn.functional as F

from typing import List, Union, cast


class StackNet(nn.Module):
    def __init__(self, features: nn.Module, classes: int = 4) -> None:
        super().__init__()
        self.features = features
        self.pool = nn.AdaptiveAvgPool2d((2, 2))
        self.head = nn.Sequential(nn.Linear(12 * 2 * 2, 16), nn.ReLU(True), nn.Linear(16, classes))

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.head(torch.flatten(x, 1))


def stack_from(widths: List[Union[str, int]], with_norm: bool = False) -> nn.Sequential:
    stack: List[nn.Module] = []
    channels = 3
    for w in widths:
        if w == "pool":
            stack += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            w = cast(int, w)
            conv = nn.Conv2d(channels, w, kernel_size=3, padding=1)
            if with_norm:
                stack += [conv, nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            else:
                stack += [conv, nn.ReLU(inplace=True)]
            channels = w
    return nn.Sequential(*stack)


plans = {"small": [6, "pool", 12, 12, "pool"]}


def _stack_net(plan, with_norm, **options):
    return StackNet(stack_from(plans[plan], with_norm=with_norm), **options)


def stack_net_normed(**options):
    return _stack_net("small", True, **options)


model = stack_net_normed(classes=3)
x = torch.randn(1, 3, 16, 16)
