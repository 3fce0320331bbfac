"""The command table the CLI lists without importing anything is the one the modules register."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.cli.main import COMMAND_MODULES, COMMANDS, build_parser, command_in, main
from desktop.i18n import set_language

REPO = Path(__file__).resolve().parents[2]


def test_the_table_names_every_command_its_module_and_help() -> None:
    set_language("en")
    registered: dict[str, tuple[str, str]] = {}
    for module_name in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        importlib.import_module(module_name).register(subparsers)
        for action in subparsers._choices_actions:  # argparse keeps the help texts here
            registered[action.dest] = (module_name.rsplit(".", 1)[1], str(action.help))
    assert registered == {name: (module, help_text) for name, (module, help_text) in COMMANDS.items()}


@pytest.mark.parametrize("line, command", [
    (["--db", "sqlite://", "--user", "boss", "complaint", "show", "X"], "complaint"),
    (["--lang", "en", "--help"], None),
    (["law", "show", "电信条例", "39"], "law"),
    ([], None),
])
def test_the_command_word_is_found_past_the_global_options(line: list[str], command: str | None) -> None:
    assert command_in(line) == command


def test_help_lists_every_command_without_loading_them(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser(None).parse_args(["--help"])
    assert done.value.code == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in COMMANDS)
    code = ("import sys; from desktop.cli.main import build_parser\n"
            "try:\n    build_parser(None).parse_args(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'desktop.services', 'PySide6'))))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True,
                            timeout=60).stdout.strip().splitlines()[-1]
    assert loaded == "[]"


def test_a_typo_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["complain", "show"])
    assert done.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_help_is_quick() -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "desktop.cli.main", "--help"], cwd=REPO, capture_output=True, check=True,
                   timeout=60)
    assert time.perf_counter() - started < 5  # a bound for a loaded CI machine; the figure is in the notes
