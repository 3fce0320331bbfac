"""Offline review of bundles: the review window and the desk's open/import commands."""
