"""Models of the activities app (added by the issue that builds it)."""
