"""``complaint-desk`` signs in for real: setup, passwords from files/env/terminal, user management."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.accounts import TEST_PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPLAINT = {"received_at": "2025-09-28T10:00:00+08:00", "channel": "hotline", "category": "billing",
             "customer_name": "张三", "phone": "13812345678", "description": "账单多扣费58元", "demand": "要求退费"}


def secret(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_setup_a_new_store_then_refuse_a_second_setup(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{(tmp_path / 'new.sqlite3').as_posix()}"
    password = secret(tmp_path, "admin.txt", "Guanli-Yuan-2026")
    assert main(["--db", url, "setup", "--admin", "zhangsan", "--display-name", "张三",
                 "--password-file", str(password), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"login": "zhangsan", "name": "张三", "role": "admin"}
    assert main(["--db", url, "setup", "--admin", "mole", "--password-file", str(password)]) == 2
    assert "已初始化" in capsys.readouterr().err
    monkeypatch.delenv("COMPLAINT_DESK_PASSWORD", raising=False)
    assert main(["--db", url, "--user", "zhangsan", "--password-file", str(password), "user", "list", "--json"]) == 0
    assert [a["login"] for a in json.loads(capsys.readouterr().out)] == ["zhangsan"]


def test_weak_setup_password_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{(tmp_path / 'weak.sqlite3').as_posix()}"
    assert main(["--db", url, "setup", "--admin", "zhangsan", "--password-file",
                 str(secret(tmp_path, "weak.txt", "12345678"))]) == 2
    assert "密码强度不足" in capsys.readouterr().err


def test_boss_without_the_password_changes_nothing(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The old hole: ``--user boss site set …`` as anyone. Now: no password, no change (exit 2, one line)."""
    monkeypatch.delenv("COMPLAINT_DESK_PASSWORD")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "--db", db_url, "--user", "boss", "site", "set",
         "operator_name", "冒名公司"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
        timeout=120, check=False, cwd=REPO_ROOT)
    assert result.returncode == 2
    assert result.stderr.strip() == ("complaint-desk: 登录需要密码：请使用 --password-file 文件 或设置 "
                                     "COMPLAINT_DESK_PASSWORD（脚本），或在终端中运行命令以输入密码。")
    env["COMPLAINT_DESK_PASSWORD"] = "guessed-Password-1"
    guessed = subprocess.run(
        [sys.executable, "-m", "desktop.cli.main", "--db", db_url, "--user", "boss", "site", "set",
         "operator_name", "冒名公司"], capture_output=True, text=True, env=env, timeout=120, check=False,
        cwd=REPO_ROOT)
    assert guessed.returncode == 2 and guessed.stderr == "complaint-desk: 登录名或密码错误。\n"
    assert "Traceback" not in result.stderr + guessed.stderr


def test_unknown_login_is_refused_and_not_created(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "--user", "nobody", "complaint", "list", "--json"]) == 2
    assert capsys.readouterr().err == "complaint-desk: 登录名或密码错误。\n"
    assert main(["--db", db_url, "user", "list", "--json"]) == 0
    assert "nobody" not in [a["login"] for a in json.loads(capsys.readouterr().out)]


def test_commands_without_a_store_need_no_sign_in(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPLAINT_DESK_PASSWORD", raising=False)
    assert main(["--user", "nobody", "deadline", "--received", "2025-01-20T09:00:00+08:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["due_date"]


def test_reset_password_forces_passwd(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    initial = secret(tmp_path, "initial.txt", "Chushi-Mima-2026")
    assert main(["--db", db_url, "user", "add", "wangfang", "--name", "王芳", "--team", "二班",
                 "--initial-password-file", str(initial), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["must_change_password"] is True
    as_wangfang = ["--db", db_url, "--user", "wangfang", "--password-file", str(initial)]
    assert main([*as_wangfang, "complaint", "list"]) == 2
    assert "须先设置新密码才能继续：请运行“complaint-desk passwd”" in capsys.readouterr().err
    new = secret(tmp_path, "new.txt", "Ziji-Xuan-De-2026")
    assert main([*as_wangfang, "passwd", "--new-password-file", str(new)]) == 0
    assert "密码已修改" in capsys.readouterr().out
    assert main(["--db", db_url, "--user", "wangfang", "--password-file", str(new), "complaint", "list",
                 "--json"]) == 0
    capsys.readouterr()
    # An agent may not manage accounts: refused at the service, one clear line.
    assert main(["--db", db_url, "--user", "wangfang", "--password-file", str(new), "user", "reset-password",
                 "tester", "--initial-password-file", str(initial)]) == 2
    assert capsys.readouterr().err == "complaint-desk: 王芳（坐席）无权执行此操作：管理账号。\n"
    assert main(["--db", db_url, "user", "reset-password", "wangfang", "--initial-password-file", str(initial)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "--user", "wangfang", "--password-file", str(new), "complaint", "list"]) == 2
    assert main(["--db", db_url, "audit", "accounts", "--json"]) == 0
    actions = [(r["action"], r["target"]) for r in json.loads(capsys.readouterr().out)]
    assert ("user.add", "wangfang") in actions and ("user.reset_password", "wangfang") in actions


def test_show_of_another_teams_case_is_not_found_or_not_permitted(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(COMPLAINT, ensure_ascii=False)))
    assert main(["--db", db_url, "--user", "clerk", "complaint", "add", "--json", "-"]) == 0  # 一班
    number = json.loads(capsys.readouterr().out)["number"]
    initial = secret(tmp_path, "initial.txt", "Chushi-Mima-2026")
    assert main(["--db", db_url, "user", "add", "lisi", "--name", "李四", "--team", "二班",
                 "--initial-password-file", str(initial)]) == 0
    new = secret(tmp_path, "new.txt", "Xin-Mima-Erban-2026")
    assert main(["--db", db_url, "--user", "lisi", "--password-file", str(initial), "passwd",
                 "--new-password-file", str(new)]) == 0
    capsys.readouterr()
    as_lisi = ["--db", db_url, "--user", "lisi", "--password-file", str(new)]
    assert main([*as_lisi, "complaint", "show", number, "--json"]) == 2
    assert capsys.readouterr().err == f"complaint-desk: 没有编号为 {number} 的投诉，或您无权查看。\n"
    assert main([*as_lisi, "complaint", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main([*as_lisi, "export"]) == 2
    assert "导出投诉" in capsys.readouterr().err


def test_password_from_the_environment(db_url: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLAINT_DESK_USER", "clerk")
    monkeypatch.setenv("COMPLAINT_DESK_PASSWORD", TEST_PASSWORD)
    assert main(["--db", db_url, "complaint", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
