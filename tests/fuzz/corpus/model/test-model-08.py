Input(128, 128, 3)
Conv2D(24, (8, 8), strides=(2, 2))
