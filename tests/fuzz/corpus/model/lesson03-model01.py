Input(256, 256, 3)
Conv2D(32, (4, 4), strides=(2, 2), padding='same', activation='relu')
MaxPooling2D((2, 2))
