"""An import that dies part-way (run as a separate process by test_import_journal.py).

``python -m tests.services.import_crash_worker URL FILE STAGE AFTER``: imports FILE and, once the
progress reports ``STAGE`` (``stage`` or ``publish``) with at least AFTER rows done, ends the
process with ``os._exit`` — no rollback, no cleanup, no atexit: what a power cut or a killed
process leaves behind.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop.services.app import AppServices
from desktop.services.import_journal import Batching
from desktop.services.transfer import import_file
from tests.accounts import TEST_PASSWORD


def main(url: str, path: Path, stage: str, after: int) -> None:
    app = AppServices.open(url, login="tester", password=TEST_PASSWORD)

    def progress(current: str, done: int, _total: int) -> None:
        if current == stage and done >= after:
            sys.stdout.write(f"died at {current} {done}\n")
            sys.stdout.flush()
            os._exit(3)

    # Small batches, no pause: many batch boundaries in a small file.
    import_file(app.sessions, app.complaints, app.actor, path, progress=progress,
                batching=Batching(first_stage=100, first_publish=100, pause=0.0, target_seconds=0.05))
    sys.stdout.write("finished\n")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
