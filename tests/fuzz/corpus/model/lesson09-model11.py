Input(32, 32, 256)
Conv2D(256, (3, 3), padding='same')
