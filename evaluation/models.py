"""Models of the evaluation app (added by the issue that builds it)."""
