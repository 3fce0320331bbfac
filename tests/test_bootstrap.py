"""packaging/bootstrap.py: which store `run` opens, and which Qt system libraries it installs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BOOTSTRAP = Path(__file__).resolve().parents[1] / "packaging" / "bootstrap.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bootstrap_under_test", BOOTSTRAP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_run_opens_the_demo_store_unless_a_real_one_is_named() -> None:
    bootstrap = load()
    assert bootstrap.desk_arguments([]) == ["--demo"]
    assert bootstrap.desk_arguments(["--lang", "en"]) == ["--demo", "--lang", "en"]
    assert bootstrap.desk_arguments(["--db", "postgresql://x/y"]) == ["--db", "postgresql://x/y"]
    assert bootstrap.desk_arguments(["--db=sqlite://"]) == ["--db=sqlite://"]
    assert bootstrap.desk_arguments(["--real", "--lang", "en"]) == ["--lang", "en"]


def test_qt_libraries_missing_from_ldconfig_map_to_debian_packages() -> None:
    bootstrap = load()
    everything = "\n".join(f"\t{lib} (libc6,x86-64) => /usr/lib/{lib}" for lib in bootstrap.QT_XCB_LIBRARIES)
    assert bootstrap.missing_qt_packages(everything) == []
    fresh_debian = everything.replace("libxcb-icccm.so.4", "").replace("libxcb-keysyms.so.1", "")
    assert bootstrap.missing_qt_packages(fresh_debian) == ["libxcb-icccm4", "libxcb-keysyms1"]


def test_every_library_the_xcb_plugin_links_is_known() -> None:
    """ldd of the installed PySide6 xcb plugin: each xcb/xkb/GL/fontconfig/dbus library is mapped."""
    import shutil
    import subprocess

    import PySide6

    if shutil.which("ldd") is None:
        return
    bootstrap = load()
    root = Path(PySide6.__file__).parent / "Qt"
    linked = subprocess.run(["ldd", str(root / "plugins" / "platforms" / "libqxcb.so"),
                             str(root / "lib" / "libQt6XcbQpa.so.6")], capture_output=True, text=True,
                            check=False).stdout
    names = {line.split()[0] for line in linked.splitlines() if line.strip() and "=>" in line}
    wanted = {n for n in names if n.startswith(("libxcb-", "libxkbcommon-x11", "libEGL", "libGL.", "libfontconfig",
                                                "libdbus-1", "libX11-xcb"))}
    assert wanted - set(bootstrap.QT_XCB_LIBRARIES) == set()
