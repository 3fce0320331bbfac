"""``complaint-desk bundle export / import``: one clear line per failure, conflicts listed with both sides."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.bundle.file import Decision, read_bundle
from desktop.cli.main import main
from desktop.domain.workflow import Action
from desktop.letters.keys import create_site_ca, issue_agent_certificate, site_ca_dir, site_trust_roots
from tests.accounts import cli_account, open_as
from tests.services.test_bundles import BUNDLE_PASSPHRASE, KEY_PASSPHRASE, pending_case


def test_export_review_import_conflict_and_reimport(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    cli_account(monkeypatch, db_url, "wangzg", role="supervisor", display_name="王主管")
    supervisor = open_as(db_url, "wangzg", role="supervisor", display_name="王主管")
    agent = open_as(db_url, "lizx", role="agent", display_name="李坐席")
    try:
        first, second = pending_case(supervisor, agent), pending_case(supervisor, agent)
        issue_agent_certificate(create_site_ca(site_ca_dir(), "测试站点", KEY_PASSPHRASE), "王主管", KEY_PASSPHRASE)
        (tmp_path / "pass.txt").write_text(BUNDLE_PASSPHRASE + "\n", encoding="utf-8")
        (tmp_path / "key.txt").write_bytes(KEY_PASSPHRASE)
        out = tmp_path / "approval.cdbundle"
        base = ["--passphrase-file", str(tmp_path / "pass.txt")]
        assert main(["bundle", "export", "--queue", "approval", "--out", str(out), "--expires", "7d", *base,
                     "--key-passphrase-file", str(tmp_path / "key.txt"), "--json"]) == 0
        exported = json.loads(capsys.readouterr().out)
        assert exported["cases"] == 2 and exported["size"] == out.stat().st_size

        bundle = read_bundle(out, site_trust_roots()).open(BUNDLE_PASSPHRASE)
        for number, kind, payload in ((first, "return", {"reason": "请补充凭证"}), (second, "approve", {})):
            bundle.record(Decision(str(uuid.uuid4()), kind, number, bundle.case(number)["version"], payload,
                                   datetime.now(UTC).isoformat(), "wangzg"))
        # Meanwhile, at the centre, another supervisor's seat returns the case itself.
        supervisor.complaints.transition(supervisor.actor, first, Action.RETURN_FOR_REWORK, reason="自己撤回补充")

        assert main(["bundle", "import", str(out), *base, "--check"]) == 0
        checked = capsys.readouterr().out
        assert "仅检查" in checked and first in checked
        assert main(["bundle", "import", str(out), *base]) == 1
        text = capsys.readouterr().out
        assert f"{first} 存在冲突" in text and "中心库：" in text and "审核：退回重办：请补充凭证" in text
        assert "已执行 1 项决定" in text
        assert supervisor.complaints.get(first).status_reason == "自己撤回补充"  # central side not overwritten

        assert main(["bundle", "import", str(out), *base]) == 0
        assert "已导入过" in capsys.readouterr().out

        damaged = tmp_path / "damaged.cdbundle"
        data = bytearray(out.read_bytes())
        data[len(data) // 2] ^= 0xFF
        damaged.write_bytes(bytes(data))
        assert main(["bundle", "import", str(damaged), *base]) == 2
        error = capsys.readouterr().err
        assert "已损坏或被篡改" in error and "Traceback" not in error and error.count("\n") == 1
        monkeypatch.delenv("COMPLAINT_DESK_BUNDLE_PASSPHRASE", raising=False)
        assert main(["bundle", "import", str(out)]) == 2
        assert "--passphrase-file" in capsys.readouterr().err
        assert main(["bundle", "export", "--cases", "TS-20990101-0001", "--out", str(tmp_path / "x"), *base]) == 2
        assert "TS-20990101-0001" in capsys.readouterr().err

        # A supervisor who read both sides applies a conflicting decision anyway.
        second_out = tmp_path / "second.cdbundle"
        assert main(["bundle", "export", "--cases", first.lower(), "--out", str(second_out), *base,
                     "--key-passphrase-file", str(tmp_path / "key.txt")]) == 0
        capsys.readouterr()
        bundle = read_bundle(second_out, site_trust_roots()).open(BUNDLE_PASSPHRASE)
        bundle.record(Decision(str(uuid.uuid4()), "comment", first, bundle.case(first)["version"],
                               {"text": "已核对"}, datetime.now(UTC).isoformat(), "wangzg"))
        agent.complaints.update(agent.actor, first, {"investigation_notes": "补充"},
                                agent.complaints.get(first).version)
        assert main(["bundle", "import", str(second_out), *base, "--apply-anyway", first, "--json"]) == 0
        outcome = json.loads(capsys.readouterr().out)
        assert [d["number"] for d in outcome["forced"]] == [first] and outcome["conflicts"] == []
    finally:
        supervisor.close()
        agent.close()
