#!/usr/bin/python3
# Writes tests/golden/model_cases.json: PyTorch models written as nn.Module classes, each with the
# per-layer output shapes and parameters PyTorch itself reports, so test_model can hold
# SummarizeModel to an independent oracle. Run with Debian's python3-torch:
#   /usr/bin/python3 tests/golden/make_model_golden.py
# Each source is exec'd as written; torch.fx traces forward in call order (nested calls, nn.Sequential
# members expanded, if blocks and ModuleList loops as they run) and ShapeProp gives every step's output
# shape; each row also names the rows it reads (fx's input nodes), so graphs are held to PyTorch too.
# A source may make its model with arguments (model = Net(64, 128, stride=2)) and give several inputs
# (x and skip, in forward's order).
import json
import os
import warnings

import torch
import torch.nn as nn
import torch.fx
import torch.nn.functional as F
from torch.fx import symbolic_trace
from torch.fx.passes.shape_prop import ShapeProp, TensorMetadata

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"

MODELS = {
    # The classic tutorial net: self.pool is called twice.
    "tutorial_net": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

x = torch.randn(1, 3, 32, 32)
""",
    # One convolution with weights applied twice (its weights count once), x.view(-1, N).
    "shared_convolution": """
class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv_in = nn.Conv2d(1, 8, 3, padding=1)
        self.conv_again = nn.Conv2d(8, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8 * 7 * 7, num_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv_in(x)))
        x = self.conv_again(x)
        x = self.pool(F.relu(self.conv_again(x)))
        x = x.view(-1, 8 * 7 * 7)
        return self.fc(x)

x = torch.randn(1, 1, 28, 28)
""",
    # nn.Sequential members, expanded in place.
    "sequential_members": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(8 * 14 * 14, 10))

    def forward(self, x):
        x = self.features(x)
        return self.classifier(x)

x = torch.randn(1, 1, 28, 28)
""",
    # Padding, stride and dilation on a rectangle; functional pooling with padding; view(x.size(0), -1).
    "padding_stride_dilation": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 32, (3, 5), dilation=2, padding=(2, 1), bias=False)
        self.fc = nn.Linear(32 * 10 * 5, 4)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(self.conv2(x), 3, 2, padding=1)
        x = x.view(x.size(0), -1)
        return self.fc(x)

x = torch.randn(1, 3, 37, 29)
""",
    # Average pooling with ceil_mode, nn.functional spelled out, adaptive pooling, a reshape back to
    # an image, x.flatten(1).
    "average_pooling_ceil_mode": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 12, 3)
        self.avg = nn.AvgPool2d(3, stride=2, ceil_mode=True)
        self.fc = nn.Linear(12 * 7 * 7, 2 * 6 * 6)
        self.conv_out = nn.Conv2d(2, 4, 3)

    def forward(self, x):
        x = self.avg(F.relu(self.conv(x)))
        x = torch.nn.functional.avg_pool2d(x, 2, ceil_mode=True)
        x = self.fc(torch.flatten(x, 1))
        x = x.reshape(x.size(0), 2, 6, 6)
        x = self.conv_out(x)
        x = F.adaptive_avg_pool2d(x, (1, 1))
        return x.flatten(1)

x = torch.randn(1, 3, 30, 30)
""",
    # A ResNet BasicBlock whose stride and widths need the downsample branch: out += identity.
    "resnet_basic_block_with_downsample": """
class Net(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or in_planes != self.expansion * planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(self.expansion * planes),
            )

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        out += identity
        return self.relu(out)

model = Net(64, 128, stride=2)
x = torch.randn(1, 64, 16, 16)
""",
    # An Inception block: four branches from x, joined along the channels.
    "inception_block": """
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
""",
    # A U-Net decoder step: the picture doubled by a transposed convolution, joined to the encoder's skip.
    "unet_decoder_step": """
class Net(nn.Module):
    def __init__(self, in_channels=64, out_channels=32):
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, out_channels, kernel_size=2, stride=2)
        self.conv = nn.Sequential(
            nn.Conv2d(2 * out_channels, out_channels, 3, padding=1),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, 3, padding=1),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x, skip):
        x = self.up(x)
        x = torch.cat([skip, x], dim=1)
        return self.conv(x)

x = torch.randn(1, 64, 14, 14)
skip = torch.randn(1, 32, 28, 28)
""",
    # A MobileNet block: a depthwise convolution (groups = channels), then a pointwise one.
    "mobilenet_block": """
class Net(nn.Module):
    def __init__(self, in_channels=32, out_channels=64, stride=2):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, 3, stride=stride, padding=1, groups=in_channels, bias=False)
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        x = F.relu6(self.bn1(self.depthwise(x)))
        return F.relu6(self.bn2(self.pointwise(x)))

x = torch.randn(1, 32, 56, 56)
""",
    # A ResNeXt-style bottleneck: a grouped 3×3 convolution between two 1×1s, added to x.
    "grouped_bottleneck": """
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
""",
    # Layers kept in an nn.ModuleList and applied in a for loop.
    "module_list_loop": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Conv2d(3, 8, 3, padding=1), nn.Conv2d(8, 8, 3, padding=1),
                                     nn.Conv2d(8, 16, 3, stride=2)])
        self.head = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return self.head(torch.flatten(x, 1))

x = torch.randn(1, 3, 16, 16)
""",
    # Transposed convolutions with output_padding, groups, dilation and uneven padding; a gate x * g.
    "transposed_and_gate": """
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
""",
    # A model made of classes of its own: a ConvBlock stem, BasicBlocks in nn.Sequential (the second
    # stage's first one with a 1×1 shortcut, the others with an empty one), a head.
    "blocks_in_classes": """
class ConvBlock(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))

class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        out = F.relu(out)
        return out

class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = ConvBlock(3, 16)
        self.layer1 = nn.Sequential(BasicBlock(16, 16), BasicBlock(16, 16))
        self.layer2 = nn.Sequential(BasicBlock(16, 32, stride=2), BasicBlock(32, 32))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, num_classes)

    def forward(self, x):
        x = self.stem(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.pool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)

model = Net()
x = torch.randn(1, 3, 32, 32)
""",
    # A block of its own class on two tensors, called twice: one set of weights.
    "block_on_two_tensors_called_twice": """
class Merge(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(2 * channels, channels, 3, padding=1)

    def forward(self, a, b):
        return F.relu(self.conv(torch.cat([a, b], dim=1)))

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.down = nn.Conv2d(8, 8, 3, padding=1)
        self.merge = Merge(8)
        self.head = nn.Conv2d(8, 2, 1)

    def forward(self, x):
        s = self.stem(x)
        d = F.relu(self.down(s))
        m = self.merge(s, d)
        m = self.merge(m, s)
        return self.head(m)

x = torch.randn(1, 3, 12, 12)
""",
    # The CIFAR ResNet as it is usually written: blocks made by a method in a loop (_make_layer),
    # the block's class handed to the model (block.expansion), a list and nn.Sequential(*layers).
    "resnet_made_by_make_layer": """
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super(BasicBlock, self).__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion*planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion*planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(self.expansion*planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        out = F.relu(out)
        return out

class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_planes, planes, stride=1):
        super(Bottleneck, self).__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, self.expansion * planes, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(self.expansion*planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion*planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion*planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(self.expansion*planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += self.shortcut(x)
        out = F.relu(out)
        return out

class ResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10):
        super(ResNet, self).__init__()
        self.in_planes = 64
        self.conv1 = nn.Conv2d(3, 64, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.layer1 = self._make_layer(block, 64, num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, 128, num_blocks[1], stride=2)
        self.layer3 = self._make_layer(block, 256, num_blocks[2], stride=2)
        self.layer4 = self._make_layer(block, 512, num_blocks[3], stride=2)
        self.linear = nn.Linear(512*block.expansion, num_classes)

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1]*(num_blocks-1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer1(out)
        out = self.layer2(out)
        out = self.layer3(out)
        out = self.layer4(out)
        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out

model = ResNet(Bottleneck, [2, 1, 2, 1])
x = torch.randn(1, 3, 32, 32)
""",
    # U-Net as it is usually written (DoubleConv, Down, Up, OutConv): a block on two tensors, the
    # pads worked out from x.size(), `... if ... else ...`, docstrings and brackets around the
    # blocks in __init__.
    "unet_with_its_own_classes": '''
class DoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True)
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    """Downscaling with maxpool then double conv"""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(
            nn.MaxPool2d(2),
            DoubleConv(in_channels, out_channels)
        )

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    """Upscaling then double conv"""

    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()

        # if bilinear, use the normal convolutions to reduce the number of channels
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        # input is CHW
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]

        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2,
                        diffY // 2, diffY - diffY // 2])
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super(OutConv, self).__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)

class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False):
        super(UNet, self).__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear

        self.inc = (DoubleConv(n_channels, 64))
        self.down1 = (Down(64, 128))
        self.down2 = (Down(128, 256))
        self.down3 = (Down(256, 512))
        factor = 2 if bilinear else 1
        self.down4 = (Down(512, 1024 // factor))
        self.up1 = (Up(1024, 512 // factor, bilinear))
        self.up2 = (Up(512, 256 // factor, bilinear))
        self.up3 = (Up(256, 128 // factor, bilinear))
        self.up4 = (Up(128, 64, bilinear))
        self.outc = (OutConv(64, n_classes))

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        logits = self.outc(x)
        return logits

model = UNet(n_channels=3, n_classes=2)
x = torch.randn(1, 3, 32, 32)
''',
    # VGG as the CIFAR code writes it: a dict of configurations outside the class, a method that
    # runs over one (if x == 'M': a pooling, else a convolution) with layers += [...].
    "vgg_made_from_a_cfg": """
cfg = {
    'VGG11': [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
    'VGG16': [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
}

class VGG(nn.Module):
    def __init__(self, vgg_name):
        super(VGG, self).__init__()
        self.features = self._make_layers(cfg[vgg_name])
        self.classifier = nn.Linear(512, 10)

    def forward(self, x):
        out = self.features(x)
        out = out.view(out.size(0), -1)
        out = self.classifier(out)
        return out

    def _make_layers(self, cfg):
        layers = []
        in_channels = 3
        for x in cfg:
            if x == 'M':
                layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
            else:
                layers += [nn.Conv2d(in_channels, x, kernel_size=3, padding=1),
                           nn.BatchNorm2d(x),
                           nn.ReLU(inplace=True)]
                in_channels = x
        layers += [nn.AvgPool2d(kernel_size=1, stride=1)]
        return nn.Sequential(*layers)

model = VGG('VGG11')
x = torch.randn(2, 3, 32, 32)
""",
    # Growing the picture without weights: nn.Upsample by a factor and to a size, F.interpolate.
    "upsample_and_interpolate": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
        self.to_size = nn.Upsample(size=(20, 18))

    def forward(self, x):
        x = self.up(F.relu(self.conv(x)))
        y = F.interpolate(x, scale_factor=1.5, mode='nearest')
        return self.to_size(y)

x = torch.randn(1, 3, 5, 7)
""",
    # A residual net written the way torchvision writes its ResNet (our own small one): functions
    # outside the classes that return layers, a normalisation class held as a value and kept on self,
    # a shortcut built in a method and handed to the block, a raise in a branch not taken, the
    # nn.init loop over self.modules(), forward handing over to a method, annotated parameters and
    # class attributes, and functions that make the model, passing **options along.
    "functions_that_make_layers_and_the_model": """
from typing import Callable, List, Optional


def conv_3x3(c_in: int, c_out: int, stride: int = 1) -> nn.Conv2d:
    \"\"\"A 3x3 convolution that keeps the size at stride 1.\"\"\"
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
""",
    # A ResNeXt-style bottleneck: its width worked out from groups and base_width with int(...), a
    # grouped 3x3 through a helper function, the sizes passed down through **kwargs.
    "grouped_width_from_groups_and_base_width": """
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
""",
    # A feature stack a function builds from a list of widths and hands to the model's class, as
    # torchvision's VGG is made (our own small one): an annotated list filled with +=, a convolution
    # held in a name of its own before it joins the list, cast(int, w), the stack kept as self.features.
    "features_built_by_a_function_and_handed_to_the_model": """
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
""",
    # A layer held in a name of its own, then placed inside nn.Sequential(...) with others, as
    # SqueezeNet's classifier is written; a squeeze-and-widen block joining two branches with torch.cat.
    "a_named_layer_inside_a_sequential": """
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
""",
    # An inverted-residual net written as torchvision writes MobileNetV2 (our own small one): a
    # width rounded by a function of the text and kept on self, a plan unpacked four values at a time,
    # a stride checked with `not in`, a shortcut flag worked out from a comparison, layers made into a
    # list written out and grown with .extend([...]).
    "inverted_residuals_from_a_plan": """
from typing import List


def round_to(width: float, step: int = 4) -> int:
    rounded = max(step, int(width + step / 2) // step * step)
    if rounded < 0.9 * width:
        rounded += step
    return rounded


class Expand(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int, ratio: int) -> None:
        super().__init__()
        if stride not in [1, 2]:
            raise ValueError(f"stride {stride} is neither 1 nor 2")
        hidden = int(round(c_in * ratio))
        self.shortcut = stride == 1 and c_in == c_out
        layers: List[nn.Module] = []
        if ratio != 1:
            layers.append(nn.Sequential(nn.Conv2d(c_in, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6(inplace=True)))
        layers.extend(
            [
                nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
                nn.BatchNorm2d(hidden),
                nn.ReLU6(inplace=True),
                nn.Conv2d(hidden, c_out, 1, 1, 0, bias=False),
                nn.BatchNorm2d(c_out),
            ]
        )
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        if self.shortcut:
            return x + self.body(x)
        return self.body(x)


class TinyMobile(nn.Module):
    def __init__(self, classes: int = 6, width: float = 1.0) -> None:
        super().__init__()
        channels = round_to(8 * width)
        self.last = round_to(24 * max(1.0, width))
        plan = [[1, 8, 1, 1], [4, 12, 2, 2]]
        features: List[nn.Module] = [nn.Conv2d(3, channels, 3, 2, 1, bias=False), nn.BatchNorm2d(channels)]
        for ratio, c, n, s in plan:
            out = round_to(c * width)
            for i in range(n):
                stride = s if i == 0 else 1
                features.append(Expand(channels, out, stride, ratio))
                channels = out
        features.append(nn.Conv2d(channels, self.last, 1, bias=False))
        self.features = nn.Sequential(*features)
        self.head = nn.Linear(self.last, classes)

    def forward(self, x):
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.head(torch.flatten(x, 1))


model = TinyMobile(width=1.5)
x = torch.randn(1, 3, 16, 16)
""",
    # A densely connected net written as torchvision writes DenseNet (our own small one): TorchScript
    # overload stubs before the real forward, a layer that takes the list of every tensor so far, a
    # block made as an nn.ModuleDict filled with add_module and walked with self.items(), a shrinking
    # step made as an nn.Sequential class without a forward, and a feature stack started from an
    # OrderedDict and grown with add_module in a loop over enumerate(...).
    "dense_blocks_added_to_a_feature_stack": """
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
""",
    # Widths worked out as torchvision's MNASNet works them out (our own small net): a list
    # comprehension over a function of the text, a chained comparison guarding it, a return that
    # picks one of two values, stacks made as nn.Sequential(first, *rest) (rest empty for a stack
    # of one), and x.mean([2, 3]) for the global average.
    "stacks_with_widths_from_a_comprehension": """
from typing import List


def _nearest_multiple(value: float, step: int, bias: float = 0.9) -> int:
    if not 0.0 < bias < 1.0:
        raise ValueError("bias must lie between 0 and 1")
    rounded = max(step, int(value + step / 2) // step * step)
    return rounded if rounded >= bias * value else rounded + step


def _widths(scale: float) -> List[int]:
    return [_nearest_multiple(width * scale, 4) for width in [8, 12, 16] if width > 0]


class Residual(nn.Module):
    def __init__(self, c_in: int, c_out: int, stride: int) -> None:
        super().__init__()
        self.keep = c_in == c_out and stride == 1
        self.body = nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        if self.keep:
            return self.body(x) + x
        return self.body(x)


def _stack(c_in: int, c_out: int, stride: int, repeats: int) -> nn.Sequential:
    first = Residual(c_in, c_out, stride)
    rest = []
    for _ in range(1, repeats):
        rest.append(Residual(c_out, c_out, 1))
    return nn.Sequential(first, *rest)


class TinyMnas(torch.nn.Module):
    def __init__(self, scale: float, classes: int = 4) -> None:
        super().__init__()
        widths = _widths(scale)
        self.layers = nn.Sequential(nn.Conv2d(3, widths[0], 3, padding=1), _stack(widths[0], widths[1], 2, 2),
                                    _stack(widths[1], widths[2], 2, 1))
        self.head = nn.Linear(widths[2], classes)

    def forward(self, x):
        x = self.layers(x)
        x = x.mean([2, 3])
        return self.head(x)


model = TinyMnas(1.3)
x = torch.randn(1, 3, 12, 12)
""",
}


def shape_without_batch(meta):
    return list(meta.shape)[1:]


# torch.fx cannot trace F.pad on sizes worked out from x.size() (its pads are then proxies, which
# the builtin refuses), so the traced copy of a source calls it through a wrapped function: one
# node in the graph, run with the real sizes by ShapeProp. The source kept for the test is unchanged.
PAD_WRAPPER = "torch.fx.wrap('_pad')\n\n"


def _pad(x, pads):
    return F.pad(x, tuple(int(p) for p in pads))


def golden_case(name, body):
    source = HEADER + body.lstrip("\n")
    traced_source = source.replace("F.pad(", "_pad(").replace(HEADER, HEADER + PAD_WRAPPER, 1) if "F.pad(" in source else source
    scope = {"_pad": _pad, "__name__": "golden_" + name}  # TorchScript's overload stubs need a module name
    exec(traced_source, scope)
    model = scope["model"] if "model" in scope else scope["Net"]()
    model.eval()
    traced = symbolic_trace(model)
    inputs = [scope["x"]] + ([scope["skip"]] if "skip" in scope else [])
    ShapeProp(traced).propagate(*inputs)
    modules = dict(traced.named_modules())
    counted = set()
    rows = []
    row_of = {}
    for node in traced.graph.nodes:
        meta = node.meta.get("tensor_meta")
        if node.op == "output" or not isinstance(meta, TensorMetadata):
            continue  # x.size(0) and the like: numbers, not layers
        parameters = 0
        if node.op == "call_module" and node.target not in counted:
            counted.add(node.target)
            parameters = sum(p.numel() for p in modules[node.target].parameters())
        row_of[node] = len(rows)
        rows.append({"op": str(node.target) if node.op != "call_function" else node.target.__name__,
                     "shape": shape_without_batch(meta), "parameters": parameters,
                     "inputs": [row_of[n] for n in node.all_input_nodes if n in row_of]})
    total = sum(p.numel() for p in model.parameters())
    assert sum(row["parameters"] for row in rows) == total, name
    return {"name": name, "source": source, "rows": rows, "total_parameters": total}


def main():
    warnings.filterwarnings("ignore", message="Unable to retrieve source for @torch.jit._overload")
    cases = [golden_case(name, body) for name, body in MODELS.items()]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_cases.json")
    with open(path, "w") as out:
        json.dump({"generator": "tests/golden/make_model_golden.py", "torch": torch.__version__, "models": cases},
                  out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
