"""Helpers every stage uses: errors, paths, atomic writes, size limits, YAML and CSV with lines, progress."""
