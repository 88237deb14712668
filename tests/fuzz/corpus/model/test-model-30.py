        self.fc3 = nn.Linear(84, 10)
