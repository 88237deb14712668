        x = F.relu(self.fc2(x))
