"""Use cases of the inbox: ingest (store, thread, open cases), replies and their
dispatch, conversations and cases (the permission-checked reads), moderation, dead letters."""
