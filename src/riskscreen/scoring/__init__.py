"""Signals to scores and reasons: the transparent model, its typed card and store, scoring, reasons as data."""
