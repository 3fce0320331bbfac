"""Signature pad, signature dialog, preview and verification dialogs with real widgets."""

from __future__ import annotations

import dataclasses
import io
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desktop.letters.content import strokes_from_json, strokes_to_json
from desktop.letters.keys import create_site_ca, issue_agent_certificate, site_ca_dir
from desktop.letters.metadata import LetterMetadata
from desktop.letters.render import render_letter
from desktop.letters.sample import sample_content
from desktop.letters.sign import sign_pdf
from desktop.ui.letters.preview_dialog import LetterPreviewDialog
from desktop.ui.letters.signature_dialog import SignatureDialog
from desktop.ui.letters.signature_pad import SignaturePad
from desktop.ui.letters.verify_dialog import VerifyLetterDialog

PASSPHRASE = b"ui-secret-2025"


def draw(qtbot: QtBot, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for point in points[1:]:
        qtbot.mouseMove(pad, QPoint(*point))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


@pytest.fixture
def pad(qtbot: QtBot) -> SignaturePad:
    widget = SignaturePad()
    qtbot.addWidget(widget)
    widget.resize(600, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_pad_records_normalised_strokes_with_undo_redo(qtbot: QtBot, pad: SignaturePad) -> None:
    with qtbot.waitSignal(pad.changed):
        draw(qtbot, pad, [(60, 100), (150, 60), (240, 140), (330, 80)])
    draw(qtbot, pad, [(400, 150), (540, 150)])
    strokes = pad.strokes()
    assert len(strokes) == 2 and len(strokes[0]) >= 4
    x, y, pressure = strokes[0][0]
    assert x == pytest.approx(60 / 600) and y == pytest.approx(100 / 200) and pressure == 0.5
    assert all(0 <= v <= 1 for stroke in strokes for point in stroke for v in point)
    pad.undo()
    assert len(pad.strokes()) == 1 and pad.can_redo()
    pad.redo()
    assert pad.strokes() == strokes
    pad.clear()
    assert pad.is_empty() and not pad.can_redo()


def test_signature_dialog_accepts_only_a_signature(qtbot: QtBot) -> None:
    dialog = SignatureDialog()
    qtbot.addWidget(dialog)
    dialog.pad.resize(600, 200)  # not shown: the offscreen platform warns about dialog hints
    accept = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not accept.isEnabled()
    draw(qtbot, dialog.pad, [(40, 60), (200, 90), (300, 40)])
    assert accept.isEnabled() and dialog.undo_button.isEnabled()
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert not accept.isEnabled() and dialog.redo_button.isEnabled()
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    assert accept.isEnabled() and len(dialog.strokes()) == 1


def test_pad_strokes_round_trip_into_the_printed_letter(
    qtbot: QtBot, pad: SignaturePad, tmp_path: Path
) -> None:
    draw(qtbot, pad, [(60, 60), (300, 160), (540, 60)])  # a big V across the box
    stored = strokes_to_json(pad.strokes())
    strokes = strokes_from_json(stored)
    other = SignaturePad()
    qtbot.addWidget(other)
    other.set_strokes(strokes)
    assert other.strokes() == strokes

    def ink_in_signature_box(signature: object) -> int:
        content = dataclasses.replace(sample_content(), customer_signature=signature)
        pdf = render_letter(content)
        from pyhanko.pdf_utils.reader import PdfFileReader

        info = PdfFileReader(io.BytesIO(pdf)).trailer_view["/Info"].get_object()
        seal = LetterMetadata.from_keywords(str(info["/Keywords"]))
        assert seal is not None
        page = seal.stamp.page
        path = tmp_path / "letter.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "72",
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                str(path),
                str(tmp_path / "page"),
            ],
            check=True,
        )
        image = QImage(str(next(tmp_path.glob("page*.png"))))
        for old in tmp_path.glob("page*.png"):
            old.unlink()
        # The customer's box sits at the left margin, level with the seal box (72 dpi = points).
        x1, y1, x2, y2 = seal.stamp.box
        left, right = 60, 60 + (x2 - x1)
        top, bottom = image.height() - y2, image.height() - y1
        dark = 0
        for px in range(int(left) + 8, int(right) - 8, 2):
            for py in range(int(top) + 8, int(bottom) - 8, 2):
                colour = image.pixelColor(px, py)
                if colour.blue() > colour.red() + 40:  # blue-black ink, not grey guide text
                    dark += 1
        return dark

    assert ink_in_signature_box(strokes) > 30
    assert ink_in_signature_box(None) == 0


def test_preview_loads_prints_and_saves(qtbot: QtBot, tmp_path: Path) -> None:
    pdf = render_letter(sample_content())
    dialog = LetterPreviewDialog(pdf, title="预览", suggested_name="letter.pdf")
    qtbot.addWidget(dialog)
    document = dialog.document()
    qtbot.waitUntil(lambda: document.status() == QPdfDocument.Status.Ready)
    assert document.pageCount() == 2
    saved = tmp_path / "saved.pdf"
    dialog.save_to(saved)
    assert saved.read_bytes() == pdf
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_to(printer)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Pages:           2" in info


def test_verify_dialog_shows_intact_and_tampered(qtbot: QtBot, tmp_path: Path) -> None:
    ca = create_site_ca(site_ca_dir(), "测试网点", PASSPHRASE)
    identity = issue_agent_certificate(ca, "李娜", PASSPHRASE)
    signed = sign_pdf(
        render_letter(sample_content()), identity, PASSPHRASE, reason="r", location="l"
    )
    good = tmp_path / "good.pdf"
    good.write_bytes(signed)
    dialog = VerifyLetterDialog.from_file(good)
    qtbot.addWidget(dialog)
    assert dialog.verification.valid and dialog.verification.trusted
    assert "有效" in dialog.headline.text()
    assert dialog.value_labels["投诉编号"].text() == "TS-2025-000123"
    tampered = bytearray(signed)
    tampered[tampered.index(b"complaint=") + 12] ^= 0x01
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(tampered))
    bad_dialog = VerifyLetterDialog.from_file(bad)
    qtbot.addWidget(bad_dialog)
    assert not bad_dialog.verification.intact
    assert "无效" in bad_dialog.headline.text()
