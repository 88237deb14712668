x = torch.randn(1, 3, 32, 32)
