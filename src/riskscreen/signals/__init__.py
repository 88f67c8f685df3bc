"""Validated tables to signals: the lesson calendar, attendance windows, declared features, statutory flags."""
