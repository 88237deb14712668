Input(32, 32, 256)
Conv2D(64, (1, 1))
Conv2D(64, (3, 3), padding='same')
Conv2D(256, (1, 1))
