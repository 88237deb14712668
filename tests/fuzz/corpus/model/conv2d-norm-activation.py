from torchvision.ops.misc import Conv2dNormActivation
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Conv2dNormActivation(3, 8, stride=2, activation_layer=nn.ReLU6)
        self.point = Conv2dNormActivation(8, 4, kernel_size=1, norm_layer=None, activation_layer=None, bias=False)
    def forward(self, x):
        return self.point(self.stem(x))
x = torch.randn(1, 3, 9, 9)
