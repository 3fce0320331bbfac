"""The outcome letter names the agent by name (never a login) and gives the site's contact phone."""

from __future__ import annotations

import pytest

from desktop.letters.render import render_letter
from desktop.services.app import AppServices
from desktop.services.errors import ServiceError
from tests.accounts import open_as
from tests.letters.test_letter_store import _replied_case


def test_letter_names_the_display_name_and_the_sites_contact_phone(services: AppServices, tmp_path) -> None:
    number = _replied_case(services)
    services.site.set(services.actor, "contact_phone", "010-10000")
    content = services.letters.content(number)
    assert content.agent_name == "测试员" and content.contact_phone == "010-10000"
    import subprocess

    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(render_letter(content))
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "经办人测试员联系，联系电话：010-10000" in text


def test_a_login_is_no_name_for_a_letter(services: AppServices, db_url: str) -> None:
    number = _replied_case(services)
    root = open_as(db_url, "root", role="admin", display_name=None)
    try:
        with pytest.raises(ServiceError, match="root"):
            root.letters.content(number)
    finally:
        root.close()
