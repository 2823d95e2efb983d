"""The interfaces actions need, one module per concept: the unit of work (uow.py) and the
repositories of each room (inbox, accounts, listening, care, channels, analytics, knowledge), the
port incoming posts go through (ingest.py), and the outside services (services.py: bus, clock,
senders). Actions import these; storage, bus, channels and workers implement them."""
