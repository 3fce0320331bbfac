"""The GUI benchmark's start-up floor (issue 13): a bare window with SQLAlchemy and one real sign-in check."""

from __future__ import annotations

import pytest

from desktop import bench_gui
from desktop.services.identity import hash_password

pytestmark = pytest.mark.gui


def test_floor_child_really_checks_the_bench_password() -> None:
    painted_s, payload = bench_gui._run_child("floor", "--password-hash", hash_password(bench_gui.BENCH_PASSWORD))
    assert payload["painted_at"] > 0 and 0 < painted_s < 60


def test_floor_child_fails_on_another_password() -> None:
    # The check is the real Argon2id verification: a hash of another password stops the child.
    with pytest.raises(RuntimeError, match="VerifyMismatchError"):
        bench_gui._run_child("floor", "--password-hash", hash_password("Some-other-password-1"))
