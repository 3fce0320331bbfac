"""Large imports in short transactions: all or nothing across crashes, other seats write in between."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

import desktop.store.chained  # noqa: F401  (registers the chained tables for verify_chain)
from desktop.services.app import AppServices
from desktop.services.import_journal import Batching, ImportCancelledError, count_pending
from desktop.services.transfer import import_file
from desktop.store.chain import verify_chain
from desktop.store.models import Complaint, ComplaintEvent, ImportJob, ImportStagedRow, StatsDaily
from tests.accounts import open_as

REPO = Path(__file__).resolve().parents[2]
HEADER = "received_at,channel,category,customer_name,phone,description,demand\n"
SMALL = Batching(first_stage=100, first_publish=100, pause=0.0, target_seconds=0.05)


def big_file(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "big.csv"
    lines = [f"2025-06-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d},hotline,billing,客户{i},137{i:08d},"
             f"多扣费{i},退费\n" for i in range(rows)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def counts(app: AppServices) -> tuple[int, int, int, int]:
    """Complaints, history entries, staged rows, and imports not yet finished."""
    with app.sessions() as session:
        return (session.execute(select(func.count(Complaint.id))).scalar_one(),
                session.execute(select(func.count(ComplaintEvent.id))).scalar_one(),
                session.execute(select(func.count(ImportStagedRow.id))).scalar_one(),
                count_pending(app.sessions))


def chain_intact(app: AppServices) -> bool:
    with app.engine.connect() as connection:
        return verify_chain(connection).intact


def crash(db_url: str, path: Path, stage: str, after: int) -> None:
    result = subprocess.run([sys.executable, "-m", "tests.services.import_crash_worker", db_url, str(path), stage,
                             str(after)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr
    assert f"died at {stage}" in result.stdout


def test_import_is_batched_chained_and_counted(services: AppServices, tmp_path: Path) -> None:
    summary = import_file(services.sessions, services.complaints, services.actor, big_file(tmp_path, 1200),
                          batching=SMALL)
    assert len(summary.numbers) == 1200 and summary.transactions > 10
    assert 0 < summary.longest_write < 5
    assert counts(services) == (1200, 1200, 0, 0)
    assert chain_intact(services)  # the "created" entries are in the hash chain, like intake's
    with services.sessions() as session:  # the statistics triggers saw every row
        received = select(func.sum(StatsDaily.received)).where(StatsDaily.dim == "category")
        assert session.execute(received).scalar_one() == 1200
        job = session.execute(select(ImportJob)).scalar_one()
        assert (job.state, job.published, job.file_name) == ("done", 1200, "big.csv")
    # The publishing connection's settings (synchronous=NORMAL, a large cache) do not outlive it:
    # every pooled connection commits with FULL again.
    with services.engine.connect() as first, services.engine.connect() as second:
        for connection in (first, second):
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -2000


def test_crash_while_staging_leaves_nothing(db_url: str, tmp_path: Path) -> None:
    open_as(db_url, "tester", role="admin", display_name="测试员").close()
    path = big_file(tmp_path, 1000)
    crash(db_url, path, "stage", 300)
    # What the dead process left: staged rows nobody can see as complaints.
    raw = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    assert raw.execute("SELECT count(*) FROM import_staging").fetchone()[0] >= 300
    assert raw.execute("SELECT count(*) FROM complaints").fetchone()[0] == 0
    raw.close()
    app = open_as(db_url, "tester", role="admin")  # the next open discards it
    try:
        assert counts(app) == (0, 0, 0, 0)
        with app.sessions() as session:
            assert session.execute(select(ImportJob.state)).scalar_one() == "discarded"
        # And the same file imports cleanly afterwards.
        assert len(import_file(app.sessions, app.complaints, app.actor, path, batching=SMALL).numbers) == 1000
        assert counts(app) == (1000, 1000, 0, 0) and chain_intact(app)
    finally:
        app.close()


def test_crash_while_publishing_is_rolled_forward(db_url: str, tmp_path: Path) -> None:
    open_as(db_url, "tester", role="admin", display_name="测试员").close()
    crash(db_url, big_file(tmp_path, 1000), "publish", 300)
    raw = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    published = raw.execute("SELECT count(*) FROM complaints").fetchone()[0]
    assert 300 <= published < 1000  # cut off part-way
    raw.close()
    app = open_as(db_url, "tester", role="admin")  # the next open completes it
    try:
        assert counts(app) == (1000, 1000, 0, 0)
        assert chain_intact(app)
        with app.sessions() as session:
            assert session.execute(select(ImportJob.state)).scalar_one() == "done"
            numbers = session.execute(select(Complaint.number).order_by(Complaint.number)).scalars().all()
        assert len(set(numbers)) == 1000
    finally:
        app.close()


def test_cancel_before_publishing_stores_nothing(services: AppServices, tmp_path: Path) -> None:
    staged: list[int] = []

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == "stage":
            staged.append(done)

    with pytest.raises(ImportCancelledError):
        import_file(services.sessions, services.complaints, services.actor, big_file(tmp_path, 600),
                    batching=SMALL, progress=progress, should_stop=lambda: len(staged) >= 2)
    assert counts(services) == (0, 0, 0, 0)


def test_other_seats_write_between_batches(services: AppServices, db_url: str, tmp_path: Path) -> None:
    """A second connection with a short busy timeout commits while the import runs.

    One transaction for the whole import held the write lock for the whole import; the second
    connection would have waited it out and failed with "database is locked".
    """
    path = big_file(tmp_path, 6000)
    raw = sqlite3.connect(db_url.removeprefix("sqlite:///"), timeout=1.5, isolation_level=None)
    raw.execute("CREATE TABLE probe (at REAL)")
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["summary"] = import_file(services.sessions, services.complaints, services.actor, path,
                                             batching=Batching(target_seconds=0.2))
        except BaseException as error:  # reported by the assertion below
            outcome["error"] = error

    worker = threading.Thread(target=run)
    worker.start()
    committed = 0
    locked = 0
    while worker.is_alive():
        try:
            raw.execute("BEGIN IMMEDIATE")
            raw.execute("INSERT INTO probe VALUES (?)", (time.time(),))
            raw.execute("COMMIT")
            committed += 1
        except sqlite3.OperationalError:
            locked += 1
        time.sleep(0.05)
    worker.join()
    raw.close()
    assert "error" not in outcome, outcome.get("error")
    assert counts(services)[0] == 6000
    assert committed >= 3 and locked == 0, (committed, locked)


def test_a_counter_behind_the_stored_numbers_never_hands_out_a_taken_number(services: AppServices,
                                                                              tmp_path: Path) -> None:
    """A restored store whose day counter lags its complaints: publishing could not refuse the row."""
    from sqlalchemy import update

    from desktop.store.models import NumberSequence

    services.complaints.create(services.actor, {
        "received_at": "2025-06-03 09:15", "channel": "hotline", "category": "billing", "customer_name": "王五",
        "phone": "13700001234", "description": "多扣费", "demand": "退费"})
    with services.sessions.begin() as session:
        session.execute(update(NumberSequence).values(last=0))
    path = tmp_path / "one.csv"
    path.write_text(HEADER + "2025-06-03 10:00,hotline,billing,赵六,13700001235,多扣费,退费\n", encoding="utf-8")
    assert import_file(services.sessions, services.complaints, services.actor, path).numbers == ["TS-20250603-0002"]
    assert counts(services) == (2, 2, 0, 0)


def test_failure_while_publishing_in_a_living_process_is_completed_at_the_next_open(db_url: str,
                                                                                    tmp_path: Path) -> None:
    """The desk stays open after a failed import: its own cut-off import is finished on the next open."""
    app = open_as(db_url, "tester", role="admin", display_name="测试员")

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == "publish" and done >= 300:
            raise RuntimeError("simulated failure between two batches")

    try:
        with pytest.raises(RuntimeError):
            import_file(app.sessions, app.complaints, app.actor, big_file(tmp_path, 1000), batching=SMALL,
                        progress=progress)
        published = counts(app)
        assert 300 <= published[0] < 1000 and published[3] == 1  # part-way, journal still "publishing"
    finally:
        app.close()
    again = open_as(db_url, "tester", role="admin")  # same process, next open
    try:
        assert counts(again) == (1000, 1000, 0, 0) and chain_intact(again)
    finally:
        again.close()


def test_db_imports_command_reports_what_it_finished(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from desktop.cli.main import main
    from tests.accounts import cli_account

    cli_account(monkeypatch, db_url)  # the tester account, before the crash (opening the store recovers)
    crash(db_url, big_file(tmp_path, 600), "publish", 200)
    assert main(["--db", db_url, "db", "imports", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(r["outcome"], r["rows"], r["file_name"]) for r in report["recovered"]] == [("published", 600, "big.csv")]
    assert report["running"] == []
    assert main(["--db", db_url, "db", "imports"]) == 0
    assert "没有" in capsys.readouterr().out  # nothing left: said in the user's language
