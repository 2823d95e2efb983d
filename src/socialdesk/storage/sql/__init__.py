"""The SQL implementations of the ports: the read and write units of work (uow.py,
read_uow.py), one repository module per concept, and the SQL the inbox and the batch lookups
share (inbox_order.py, key_sets.py). SQLAlchemy Core, portable across SQLite and PostgreSQL."""
