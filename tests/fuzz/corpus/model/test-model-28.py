        self.fc1 = nn.Linear(16 * 5 * 5, 120)
