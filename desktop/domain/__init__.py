"""Domain logic: no Qt and no SQL here."""
