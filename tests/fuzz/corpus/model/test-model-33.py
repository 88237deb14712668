        x = self.pool(F.relu(self.conv2(x)))
