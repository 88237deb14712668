Input(28, 28, 1)
Conv2D(8, 3)
Conv3D(8, 3)
