"""The supervisor's windows: approvals, the team board and quality review."""
