"""Letter commands run from the desk tests sign in for real, as in tests/letters."""

from __future__ import annotations

from tests.letters.conftest import _signed_in_cli

__all__ = ["_signed_in_cli"]
