Input(256, 256, 3)
# Convolution Layer with 32 filters and a kernel size of 5
conv1 = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)
# Max Pooling (down-sampling) with strides of 2 and kernel size of 2
conv1 = tf.layers.max_pooling2d(conv1, 2, 2)
conv2 = tf.layers.conv2d(conv1, 32, (4,4),strides=(2,2), activation=tf.nn.relu, padding="same")
h = tf.layers.batch_normalization(conv2, training=True)
h = tf.layers.average_pooling2d(h, pool_size=2, strides=2)
h = tf.layers.flatten(h)
h = tf.layers.dropout(h, rate=0.25)
logits = tf.layers.dense(h, 10)
