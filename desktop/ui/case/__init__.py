"""The case view: one complaint, its history, its work and its workflow steps."""
