"""Issue #8 part C: law packs that cannot be forged — signed, verified on every load, imported safely."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli.main import main
from desktop.law import PackValidationError, import_pack, load_active_pack, load_pack
from desktop.law.loader import bundled_pack_dir, verify_pack
from desktop.law.signing import sign_with_site_ca
from desktop.law.store import active_pack_report, imported_packs_dir
from desktop.letters.keys import create_site_ca, ensure_demo_identity, open_site_ca, site_ca_dir
from desktop.services.app import AppServices
from desktop.store.models import KeyEvent
from tests.law.site_packs import CA_PASSPHRASE, amend_article_39, amended_site_pack, edit_pack, set_pack_version


def article_39(version_text: str) -> bool:
    return version_text in load_active_pack().find_statute("电信条例").article(39).text


def test_the_bundled_pack_is_signed_by_the_publisher() -> None:
    pack, signer = verify_pack()
    assert signer is not None and signer.kind == "publisher" and pack.pack_version == "2025-01-15"


def test_a_180_day_edit_in_the_data_folder_is_refused_at_load(tmp_path: Path) -> None:
    import_pack(amended_site_pack(tmp_path / "site-pack"))  # a legitimate site pack: 20日
    assert load_active_pack().pack_version == "2030-01-02" and article_39("20日")
    installed = imported_packs_dir() / "2030-01-02"
    # Someone with write access to the data folder edits the article and fixes the checksum.
    edit_pack(installed, "statutes/telecom-regulations.json", lambda data: amend_article_39(data, "180日", "20日"))
    assert "180日" in (installed / "statutes/telecom-regulations.json").read_text(encoding="utf-8")
    pack, refused = active_pack_report()
    assert pack.pack_version == "2025-01-15" and article_39("30日")  # the previous pack stays in use
    [message] = refused
    assert "2030-01-02" in message and "签名后被修改过" in message
    assert "180日" not in load_active_pack().find_statute("电信条例").article(39).text


def test_a_dropped_in_pack_is_refused_unsigned_demo_signed_or_self_signed(tmp_path: Path) -> None:
    folder = imported_packs_dir() / "2031-01-01"
    amended_site_pack(folder, version="2031-01-01", days="180日", sign=False)
    assert "未签名" in active_pack_report()[1][0]
    ensure_demo_identity("坐席", b"demo-pass-2025")  # any agent makes the demo CA by signing a first letter
    demo = open_site_ca(site_ca_dir(), b"demo-pass-2025")
    sign_with_site_ca(folder, demo.certificate, demo.private_key)
    assert "不是本单位信任的 CA" in active_pack_report()[1][0]
    forger = create_site_ca(tmp_path / "forger", "XX电信客户服务中心", b"forger-2025!")
    sign_with_site_ca(folder, forger.certificate, forger.private_key)
    pack, [message] = active_pack_report()
    assert "不是本单位信任的 CA" in message and pack.pack_version == "2025-01-15" and article_39("30日")


def test_an_edited_bundled_pack_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "bundled-copy"
    shutil.copytree(bundled_pack_dir(), copy)
    assert load_pack(copy).pack_version == "2025-01-15"  # the publisher's signature travels with it
    edit_pack(copy, "statutes/telecom-regulations.json", lambda data: amend_article_39(data, "180日"))
    with pytest.raises(PackValidationError, match="发布方签名与内容不符"):
        load_pack(copy)


def test_a_symlink_to_the_password_file_is_refused_and_nothing_is_copied(tmp_path: Path) -> None:
    pack = amended_site_pack(tmp_path / "pack")
    (pack / "README.md").unlink()
    os.symlink("/etc/passwd", pack / "README.md")
    with pytest.raises(PackValidationError, match="符号链接") as error:
        import_pack(pack)
    assert "README.md" in str(error.value)
    assert not imported_packs_dir().exists() or list(imported_packs_dir().iterdir()) == []
    (pack / "README.md").unlink()
    os.symlink(pack / "cases.json", pack / "statutes" / "linked.json")  # a link inside the pack too
    with pytest.raises(PackValidationError, match="符号链接"):
        import_pack(pack)


def test_stray_files_and_paths_outside_the_pack_are_refused(tmp_path: Path) -> None:
    pack = amended_site_pack(tmp_path / "pack")
    (pack / "run-me.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    with pytest.raises(PackValidationError, match=r"不应有的文件.*run-me\.sh"):
        import_pack(pack)
    (pack / "run-me.sh").unlink()
    manifest = json.loads((pack / "pack.json").read_text(encoding="utf-8"))
    manifest["guidance"] = "../../secrets.json"
    (pack / "pack.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(PackValidationError, match=r"secrets\.json"):
        import_pack(pack)
    assert not imported_packs_dir().exists() or list(imported_packs_dir().iterdir()) == []


def test_a_300_mb_pack_is_refused_quickly(tmp_path: Path) -> None:
    pack = amended_site_pack(tmp_path / "pack")
    with (pack / "cases.json").open("r+b") as handle:  # sparse: 300 MB on paper, nothing to read
        handle.truncate(300 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(PackValidationError, match="超过 20 MB"):
        import_pack(pack)
    assert time.perf_counter() - started < 2.0
    assert not imported_packs_dir().exists() or list(imported_packs_dir().iterdir()) == []


def test_admin_signs_and_imports_a_site_pack_agents_cannot(
    services: AppServices, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create_site_ca(site_ca_dir(), "XX电信客户服务中心", CA_PASSPHRASE)
    pack = amended_site_pack(tmp_path / "pack", sign=False)
    secret = tmp_path / "ca-pass.txt"
    secret.write_bytes(CA_PASSPHRASE)
    admin = ["--db", db_url, "--user", services.actor.login]
    assert main(["--db", db_url, "--user", "clerk", "law", "sign-pack", str(pack),
                 "--ca-passphrase-file", str(secret)]) == 2
    assert "无权执行此操作" in capsys.readouterr().err
    assert main([*admin, "law", "import", str(pack)]) == 2
    assert "未签名" in capsys.readouterr().err  # unsigned: refused even for the admin
    assert main([*admin, "law", "sign-pack", str(pack), "--ca-passphrase-file", str(secret), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pack_version"] == "2030-01-02"
    assert main(["--db", db_url, "--user", "clerk", "law", "import", str(pack)]) == 2
    assert "无权执行此操作" in capsys.readouterr().err
    assert main([*admin, "law", "import", str(pack), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == [["telecom-regulations", 39]]
    assert main(["law", "validate", str(imported_packs_dir() / "2030-01-02"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["signer"] == "site"
    with services.sessions() as session:
        actions = session.execute(select(KeyEvent.action).order_by(KeyEvent.id)).scalars().all()
    assert actions == ["sign_law_pack", "import_law_pack"]
    set_pack_version(pack, "2030-02-02")  # changed after signing: refused
    assert main([*admin, "law", "import", str(pack)]) == 2
    assert "签名后被修改过" in capsys.readouterr().err
