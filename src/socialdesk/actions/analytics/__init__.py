"""Use cases of analytics: mission control's figures, trends and equity (read-only)."""
