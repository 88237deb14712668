Input(4, 6, 6)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 6 * 6, 2)
    def forward(self, x):
        x = self.conv(x)
        x = self.conv(x)
        return self.fc(x.view(x.size(0), -1))
