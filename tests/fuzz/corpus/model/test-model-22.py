class Net(nn.Module):
