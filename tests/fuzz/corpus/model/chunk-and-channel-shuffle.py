def shuffle(x, groups):
    b, c, h, w = x.size()
    x = x.view(b, groups, c // groups, h, w)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(b, -1, h, w)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 1, bias=False)
    def forward(self, x):
        kept, changed = x.chunk(2, dim=1)
        y = torch.cat((kept, self.conv(changed)), dim=1)
        return shuffle(y, 2)
x = torch.randn(1, 4, 3, 3)
