"""The latent explorer's engine: latent arithmetic, directions, rendering, exports, state.

No Qt. ``space`` holds the pure NumPy latent maths; the rest call a generator.
"""
