Input(64, 64, 16)
Conv2D(16, (3, 3), dilation_rate=(2, 2))
Conv2D(16, (3, 3), dilation_rate=(4, 4))
