Input(7, 7, 2)
MaxPooling2D(2)
