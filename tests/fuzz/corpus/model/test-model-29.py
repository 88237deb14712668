        self.fc2 = nn.Linear(120, 84)
