"""Scores to the weekly list: who is on it, changes since the last list, and the snapshots it is compared with."""
