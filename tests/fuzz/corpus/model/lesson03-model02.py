Input(256, 256, 3)
ZeroPadding2D(1)
Conv2D(32, (4, 4), strides=(2, 2))
