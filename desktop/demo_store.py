"""Where the demo desk keeps its sample complaints: a store of its own in the data folder.

``python -m desktop --demo`` (what ``packaging/bootstrap.py run`` starts) opens this store and fills
it when empty; no other store is ever filled with demo data.
"""

from __future__ import annotations

from desktop.paths import user_data_dir

DEMO_ROWS = 300
DEMO_FILE = "demo-store.sqlite3"


def demo_store_url() -> str:
    folder = user_data_dir() / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(folder / DEMO_FILE).as_posix()}"
