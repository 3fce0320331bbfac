from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desktop.law import (
    Citation,
    Grade,
    PackValidationError,
    StatuteStatus,
    diff_packs,
    import_pack,
    load_active_pack,
    load_pack,
    validate_pack,
)
from desktop.law.loader import bundled_pack_dir
from tests.law.site_packs import amended_site_pack, edit_pack


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(bundled_pack_dir(), target)
    return target


def _rewrite(folder: Path, relative: str, edit) -> None:  # type: ignore[no-untyped-def]
    """Edit one pack file and fix its checksum, as a supervisor's new pack would be built."""
    edit_pack(folder, relative, edit)


def test_bundled_pack_loads_with_metadata() -> None:
    pack = load_pack()
    telecom = pack.find_statute("电信条例")
    assert telecom.title == "中华人民共和国电信条例"
    assert telecom.version_date == "2016-02-06"
    assert telecom.status is StatuteStatus.IN_FORCE and telecom.grade is Grade.VERIFIED
    appeal = telecom.article(39)
    assert appeal.label == "第三十九条" and "申诉" in appeal.text and len(appeal.paragraphs) == 2
    assert telecom.article(40).items[4].text.endswith("打击报复。")
    assert pack.find_statute("消保法").title == "中华人民共和国消费者权益保护法"
    assert pack.find_statute("个保法").key == "pipl"
    assert pack.find_statute("《中华人民共和国个人信息保护法》").key == "pipl"
    assert "附：" not in telecom.article(80).text and telecom.appendix.startswith("附：")


def test_secondary_entries_are_flagged_and_not_verbatim() -> None:
    pack = load_pack()
    appeal = pack.find_statute("申诉办法")
    assert appeal.grade is Grade.SECONDARY
    assert "15日" in appeal.article(10).item(1, 4).text
    assert "5个工作日" in appeal.article(14).text
    assert all(not a.verbatim for a in appeal.articles)
    assert pack.find_statute("电信服务规范").doc_number == "信息产业部令第36号"


def test_there_is_no_telecom_law() -> None:
    with pytest.raises(KeyError, match="电信法"):
        load_pack().find_statute("电信法")


def test_guidance_and_cases_are_attached() -> None:
    pack = load_pack()
    guidance = pack.find_statute("电信条例").article(33).guidance
    assert guidance is not None and "巨额" in guidance.keywords and "billing" in guidance.categories
    assert 6 <= len(pack.cases) <= 10
    for case in pack.cases:
        assert case.facts and case.handling and case.references


def test_validation_reports_checksum_change(pack_copy: Path) -> None:
    path = pack_copy / "statutes" / "pipl.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace("个人信息", "个人资料", 1), encoding="utf-8"
    )
    with pytest.raises(PackValidationError) as error:
        validate_pack(pack_copy)
    assert any("pipl.json" in problem for problem in error.value.problems)


def test_validation_reports_duplicate_missing_and_grade(pack_copy: Path) -> None:
    def damage(data: dict) -> None:  # type: ignore[type-arg]
        articles = data["articles"]
        articles[5] = dict(articles[4])  # article 5 twice, article 6 gone
        data["grade"] = "probably"

    _rewrite(pack_copy, "statutes/telecom-regulations.json", damage)
    with pytest.raises(PackValidationError) as error:
        validate_pack(pack_copy)
    text = "\n".join(error.value.problems)
    assert "5" in text and "6" in text and "probably" in text
    assert len(error.value.problems) >= 3


def test_validation_rejects_unknown_category_in_guidance(pack_copy: Path) -> None:
    _rewrite(
        pack_copy, "guidance.json", lambda data: data["pipl"]["10"].update(categories=["weather"])
    )
    with pytest.raises(PackValidationError, match="weather"):
        validate_pack(pack_copy)


def test_validation_rejects_unsupported_format(pack_copy: Path) -> None:
    manifest = json.loads((pack_copy / "pack.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 99
    (pack_copy / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(PackValidationError, match="99"):
        validate_pack(pack_copy)


def test_diff_and_import_keep_old_citations(tmp_path: Path) -> None:
    old = load_pack()
    cited = Citation.of(
        old.find_statute("电信条例"), old.find_statute("电信条例").article(39), paragraph=1
    )
    amended = amended_site_pack(tmp_path / "site-pack")  # signed with the site CA, as an admin does
    new, diff = import_pack(amended, current=old)
    assert [(c.statute_key, c.article) for c in diff.changed] == [("telecom-regulations", 39)]
    assert diff_packs(old, old).is_empty
    assert load_active_pack().pack_version == "2030-01-02"
    # The stored citation still carries the text and version it was taken from.
    restored = Citation.from_json(cited.to_json())
    assert "30日" in restored.text and restored.version_date == "2016-02-06"
    with pytest.raises(PackValidationError):
        import_pack(amended, current=new)  # not newer


def test_citation_format_and_round_trip() -> None:
    pack = load_pack()
    telecom = pack.find_statute("电信条例")
    whole = Citation.of(telecom, telecom.article(39))
    assert whole.format() == "《中华人民共和国电信条例》第三十九条"
    item = Citation.of(telecom, telecom.article(40), item=5)
    assert item.format() == "《中华人民共和国电信条例》第四十条第一款第（五）项"
    assert item.text == "(五)以不正当手段刁难电信用户或者对投诉的电信用户打击报复。"
    assert Citation.from_json(item.to_json()) == item
    secondary = pack.find_statute("申诉办法")
    assert Citation.of(secondary, secondary.article(14)).needs_confirmation
    assert not whole.needs_confirmation
