"""Where one school's history, actions and settings live: located once, written atomically, locked, 0600."""
