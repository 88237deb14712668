    def forward(self, x):
