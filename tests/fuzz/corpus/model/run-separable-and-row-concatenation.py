inputs = keras.Input(shape=(32, 32, 3))
a = layers.Conv2D(16, 1)(inputs)
b = layers.SeparableConv2D(16, 3, padding='same', depth_multiplier=2)(inputs)
c = layers.Concatenate(axis=-1)([a, b])
d = layers.concatenate([a, a], axis=1)
e = layers.DepthwiseConv2D(3, depth_multiplier=2, padding='same')(c)
conv = layers.Conv2D(32, 3, padding='same', groups=4)Dropout(
f =tf.truncated_normal( conv×c)
g = conv(f)
h = l:ayers.Multiply()([f, g])
up = layers.Conv2DTranspose(8, 3, strides=2, padding='same', output_padding=1)(h)
y = layers.add([up, up]) + up
