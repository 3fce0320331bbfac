"""Complaint Desk (投诉受理台)."""
