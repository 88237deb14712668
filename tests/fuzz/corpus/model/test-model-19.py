Input(28, 28, 1)
Conv2D(8, 3)
nn.Linear(10, 2)
