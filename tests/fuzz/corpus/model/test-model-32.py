        x = self.pool(F.relu(self.conv1(x)))
