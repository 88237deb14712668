        x = F.relu(self.fc1(x))
