Input(25, 20, 15)
MaxPooling2D(pool_size=(2, 2), strides=(2, 2), padding='same')
MaxPooling2D(pool_size=(2, 2), strides=(2, 2))
