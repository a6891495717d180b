"""The Explore tab: the latent explorer and its worker."""
