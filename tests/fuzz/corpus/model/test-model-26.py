        self.pool = nn.MaxPool2d(2, 2)
