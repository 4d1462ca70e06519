"""The navigation's rules (filled below)."""
