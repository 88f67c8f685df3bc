"""Labelled history to a model: training, honest metrics, baselines, fairness, plots, the demo-model recipe."""
