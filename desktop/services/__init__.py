"""Application services: each public call is one user action with its own database session."""
