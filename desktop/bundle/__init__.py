"""Offline review bundles: the encrypted, signed file and the decision journal beside it."""
