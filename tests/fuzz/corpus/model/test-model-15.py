model.summary()
