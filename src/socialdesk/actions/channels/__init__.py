"""Use cases of the brand's channel accounts: register, configure, pause, remove,
and what their runners record (health, cursors, budget)."""
