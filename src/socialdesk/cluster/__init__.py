"""`socialdesk dev-cluster`: PostgreSQL, NATS, web processes and workers on one machine."""
