"""Law-pack commands sign in for real, as the letter and key commands do."""

from __future__ import annotations

from tests.letters.conftest import _signed_in_cli

__all__ = ["_signed_in_cli"]
