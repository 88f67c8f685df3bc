"""Counts for the municipality (the LEA/OOGO table): a school's screening, actions and statutory follow-up over a
period, in tables whose small cells are suppressed so that no student can be recognised."""
