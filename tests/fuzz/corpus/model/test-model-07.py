Input(9, 9, 1)
ZeroPadding2D(1)
Conv2D(6, 3, dilation_rate=2)
BatchNormalization()
