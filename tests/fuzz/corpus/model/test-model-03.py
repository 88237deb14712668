import tensorflow as tf
from tensorflow import keras
model = keras.Sequential([
    keras.layers.Conv2D(filters=8, kernel_size=3, strides=1, padding='valid',
                        input_shape=(10, 10, 1), name='conv'),  # first layer
    tf.keras.layers.MaxPool2D(pool_size=2),
    layers.Flatten(),
    layers.Dense(units=4, activation=tf.nn.relu, kernel_regularizer=l2(0.01)),
])
model.add(keras.layers.Dense(1, use_bias=False))
model.compile(optimizer='adam', loss='mse')
