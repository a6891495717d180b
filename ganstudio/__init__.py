"""GAN Studio: train and explore generative adversarial networks on your own machine."""

__version__ = "0.1.0"
