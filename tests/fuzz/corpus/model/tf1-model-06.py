batch_size = 50
x = tf.placeholder(tf.float32, [None, 7, 7, 64])
W = tf.Variable(tf.truncated_normal([3, 3, 32, 64], stddev=0.1))
b = tf.Variable(tf.constant(0.1, shape=[32]))
h = tf.nn.relu(tf.nn.conv2d_transpose(x, W, [batch_size, 14, 14, 32], [1, 2, 2, 1], padding="SAME") + b)
h2 = tf.nn.conv2d_transpose(h, tf.Variable(tf.zeros([4, 4, 3, 32])), [1, 30, 30, 3], [1, 2, 2, 1], "VALID")
