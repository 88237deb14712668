Input(28, 28, 1)
Conv2D(32, (3, 3)
Dense(2)
