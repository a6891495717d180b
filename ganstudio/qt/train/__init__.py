"""The Train tab: settings form, run controls, live plots, sample grid, run folders."""
