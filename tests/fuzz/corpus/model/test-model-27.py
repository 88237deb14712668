        self.conv2 = nn.Conv2d(6, 16, 5)
