"""Use cases of listening: monitors (create, edit, test), spam rules and triage
corrections."""
