"""Files to validated tables: find, read as blocks, guard privacy, map with a profile, validate with pandera."""
