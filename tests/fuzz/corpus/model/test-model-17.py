Input(3, 28, 28)
nn.Conv2d(3, 8, 3)
nn.Conv2d(16, 8, 3)
