"""Persistence: the SQLAlchemy schema, engine set-up and migrations. Only services use it."""
