"""Models of the proposals app (added by the issue that builds it)."""
