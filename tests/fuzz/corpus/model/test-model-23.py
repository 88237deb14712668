    def __init__(self):
