Input(4, 4, 1)
Conv2D(8, 3)
Conv2D(8, 3)
