Input(25, 20, 7)
Conv2D(15, (5, 5), padding='same')
MaxPooling2D(pool_size=(2, 2), strides=(1, 1), padding='same')
