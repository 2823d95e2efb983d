"""The driver-level fast paths behind one seam: statements compiled once and keyed by
their compiled SQL (statements.py), batch lookups on the driver's cursor (reads.py) and bulk
inserts (bulk.py: executemany on SQLite, COPY on PostgreSQL). They use SQLAlchemy internals, so
SQLAlchemy is pinned below its next minor version; everything else goes through Core."""
