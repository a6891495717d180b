"""Widgets and helpers every panel shares: plot canvas, dialogs, job runner, settings."""
