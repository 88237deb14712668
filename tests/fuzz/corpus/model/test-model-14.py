Input(shape=(None, None, 3))
Conv2D(8, 3)
