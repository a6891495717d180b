"""The training engine: plain Python, NumPy and TensorFlow/Keras. Never imports Qt."""
