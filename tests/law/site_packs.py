"""Test helpers: a site CA in the test profile, and packs signed with it as an administrator would."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.law.build_pack import sha256_of
from desktop.law.loader import bundled_pack_dir
from desktop.law.signing import sign_with_site_ca
from desktop.letters.keys import SiteCA, create_site_ca, site_ca_dir

CA_PASSPHRASE = b"site-ca-2025"


def site_ca() -> SiteCA:
    """The profile's (real, non-demo) site CA, created on first use."""
    from desktop.letters.keys import open_site_ca

    if (site_ca_dir() / "ca.p12").is_file():
        return open_site_ca(site_ca_dir(), CA_PASSPHRASE)
    return create_site_ca(site_ca_dir(), "XX电信客户服务中心", CA_PASSPHRASE)


def edit_pack(folder: Path, relative: str, edit: Callable[[Any], None]) -> None:
    """Edit one pack file and fix its checksum in pack.json (the signature is NOT renewed)."""
    path = folder / relative
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    manifest["checksums"]["files"][relative] = sha256_of(path)
    (folder / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def set_pack_version(folder: Path, version: str) -> None:
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    manifest["pack_version"] = version
    (folder / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def amend_article_39(data: Any, days: str = "20日", before: str = "30日") -> None:
    """电信条例 第三十九条: ``before`` → ``days`` in the text and its first paragraph."""
    article = data["articles"][38]
    article["text"] = article["text"].replace(before, days)
    article["paragraphs"][0] = article["paragraphs"][0].replace(before, days)


def amended_site_pack(target: Path, version: str = "2030-01-02", days: str = "20日",
                      sign: bool = True) -> Path:
    """The bundled pack with article 39 amended and a newer version, signed by the site CA."""
    shutil.copytree(bundled_pack_dir(), target)
    edit_pack(target, "statutes/telecom-regulations.json", lambda data: amend_article_39(data, days))
    set_pack_version(target, version)
    if sign:
        ca = site_ca()
        sign_with_site_ca(target, ca.certificate, ca.private_key)
    else:
        (target / "pack.sig").unlink()  # the publisher's signature no longer matches anyway
    return target
