Conv2D(8, 3)
Flatten()
