"""One seat hammering a shared store (run as a separate process by test_races.py).

Prints one JSON line: how many saves went through, how many became the usual conflict message, and
every other exception (which must be none).
"""

from __future__ import annotations

import json
import random
import sys
import time
import traceback

from desktop.domain.workflow import IllegalTransitionError
from desktop.services.app import AppServices
from desktop.services.errors import ConcurrentEditError, StoreBusyError
from tests.accounts import TEST_PASSWORD


def main(url: str, login: str, seconds: float, numbers: list[str]) -> None:
    app = AppServices.open(url, login=login, password=TEST_PASSWORD)
    saved = conflicts = refused = busy = 0
    unhandled: list[str] = []
    rng = random.Random(login)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        number = rng.choice(numbers)
        try:
            record = app.complaints.get(number)
            if rng.random() < 0.7:
                app.complaints.update(app.actor, number, {"investigation_notes": f"{login} {time.time()}"},
                                      record.version)
            else:
                app.complaints.transition(app.actor, number, rng.choice(["investigate", "acknowledge"]),
                                          expected_version=record.version)
            saved += 1
        except ConcurrentEditError:
            conflicts += 1
        except IllegalTransitionError:
            refused += 1
        except StoreBusyError:  # shown to the agent as one clear message; nothing half-saved
            busy += 1
        except Exception:  # counting exactly these is the point of the test
            unhandled.append(traceback.format_exc(limit=3))
    app.close()
    print(json.dumps({"saved": saved, "conflicts": conflicts, "refused": refused, "busy": busy,
                      "unhandled": unhandled}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4].split(","))
