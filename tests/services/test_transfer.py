"""CSV import: row-level errors, all or nothing, the encodings Chinese spreadsheets produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.app import AppServices
from desktop.services.transfer import ImportRejectedError, import_csv

HEADER = "received_at,channel,category,customer_name,phone,description,demand,contact_phone,id_number,address\n"
GOOD = "2025-06-03 09:15,hotline,broadband,王五,13700001234,宽带频繁掉线已三天,要求尽快修复,,,\n"
GOOD2 = "2025-06-03 10:40,online,billing,赵六,010-62345678,账单多扣20元,要求退费,,11010519491231002X,北京市海淀区\n"
BAD_PHONE = "2025-06-03 11:00,hotline,billing,钱七,1370000123,多扣费,退费,,,\n"
BAD_CODE = "2025-06-03 11:05,pager,billing,孙八,13700005678,多扣费,退费,,,\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "import.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_good_file_is_imported(services: AppServices, tmp_path: Path) -> None:
    numbers = import_csv(services.complaints, services.actor, write(tmp_path, HEADER + GOOD + GOOD2))
    assert numbers == ["TS-20250603-0001", "TS-20250603-0002"]
    assert services.complaints.get(numbers[1]).phone == "010-62345678"


def test_gbk_file_from_excel_is_read(services: AppServices, tmp_path: Path) -> None:
    numbers = import_csv(services.complaints, services.actor, write(tmp_path, HEADER + GOOD, "gb18030"))
    assert services.complaints.get(numbers[0]).customer_name == "王五"


def test_bad_rows_are_all_reported_and_nothing_is_stored(services: AppServices, tmp_path: Path) -> None:
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(services.complaints, services.actor, write(tmp_path, HEADER + GOOD + BAD_PHONE + BAD_CODE))
    problems = [(e.row, e.field) for e in caught.value.errors]
    assert problems == [(3, "phone"), (4, "channel")]
    assert "11" in caught.value.errors[0].message
    assert services.complaints.count() == 0


def test_missing_column_is_reported(services: AppServices, tmp_path: Path) -> None:
    with pytest.raises(ImportRejectedError) as caught:
        import_csv(services.complaints, services.actor,
                   write(tmp_path, "received_at,channel,category,customer_name,phone,demand\n"))
    assert [(e.row, e.field) for e in caught.value.errors] == [(1, "description")]
    assert services.complaints.count() == 0


def test_cli_import_reports_each_row(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.cli.main import main
    from tests.accounts import cli_account

    cli_account(monkeypatch, db_url)

    path = write(tmp_path, HEADER + BAD_PHONE)
    assert main(["--db", db_url, "--lang", "en", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "nothing was imported" in err
