Input(1, 4, 4)
nn.Linear(16, 2)
