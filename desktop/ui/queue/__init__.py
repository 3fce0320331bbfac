"""The complaint queue: SQL-paged model, pure state, view and deadline rendering."""
