from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.i18n import set_language
from desktop.law.loader import bundled_pack_dir

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _restore_language() -> object:
    yield
    set_language("zh_CN")  # --lang switches the process-wide language


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_search_json(capsys: pytest.CaptureFixture[str]) -> None:
    results = _json(capsys, ["law", "search", "电信条例 34", "--json"])
    assert isinstance(results, list)
    first = results[0]
    assert first["statute"] == "中华人民共和国电信条例" and first["article"] == 34
    assert first["text"].startswith("电信用户应当按照约定的时间") and first["score"] > 0
    assert first["grade"] == "verified" and first["status"] == "in_force"


def test_suggest_json_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["law", "suggest", "--text", "宽带报修三天了还没人上门修", "--category", "broadband"]
    results = _json(capsys, [*argv, "--json"])
    assert isinstance(results, list) and 0 < len(results) <= 5
    assert (results[0]["statute"], results[0]["article"]) == ("中华人民共和国电信条例", 32)
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("name", ["中华人民共和国电信条例", "电信条例"])
@pytest.mark.parametrize("number", ["39", "第三十九条"])
def test_show_by_title_or_short_name(
    capsys: pytest.CaptureFixture[str], name: str, number: str
) -> None:
    result = _json(capsys, ["law", "show", name, number, "--json"])
    assert isinstance(result, dict)
    assert result["article"] == 39 and "申诉" in result["text"]


def test_show_text_flags_secondary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh_CN", "law", "show", "申诉办法", "14"]) == 0
    out = capsys.readouterr().out
    assert "5个工作日" in out and "仅二手资料" in out


def test_unknown_statute_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh_CN", "law", "show", "电信法", "3"]) == 2
    err = capsys.readouterr().err
    assert "电信法" in err and "请引用《电信条例》" in err


def test_missing_article_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "law", "show", "电信条例", "99"]) == 2
    assert "no article 99" in capsys.readouterr().err


def test_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    result = _json(capsys, ["law", "validate", str(bundled_pack_dir()), "--json"])
    assert isinstance(result, dict) and result["valid"] and result["articles"] > 250
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.json").write_text("{not json", encoding="utf-8")
    assert main(["law", "validate", str(broken), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["valid"] is False


def test_search_through_a_real_process() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "law", "search", "消保法55", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    results = json.loads(completed.stdout)
    assert results[0]["statute"] == "中华人民共和国消费者权益保护法" and results[0]["article"] == 55
