        self.conv1 = nn.Conv2d(3, 6, 5)
