        super().__init__()
