Input(32, 32, 3)
Conv2D(32, (3, 3), padding='same', activation='relu')
