        x = self.fc3(x)
