"""Render resources/icons/complaint-desk.svg to the PNG sizes and the Windows .ico the desk,
the tray, PyInstaller and Inno Setup use. Run after editing the SVG:

    python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(size: int) -> object:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICONS / "complaint-desk.svg"))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter

    app = QGuiApplication(sys.argv[:1])
    images = {size: render(size) for size in SIZES}
    for size, image in images.items():
        assert isinstance(image, QImage)
        if not image.save(str(ICONS / f"complaint-desk-{size}.png")):
            print(f"could not write the {size} px PNG", file=sys.stderr)
            return 1
    if b"ico" not in [bytes(f.data()) for f in QImageWriter.supportedImageFormats()]:
        print("Qt has no ICO writer here", file=sys.stderr)
        return 1
    # Qt's ICO writer stores one image per file; Windows picks the best size from a multi-size
    # .ico, so the sizes are packed by hand: ICONDIR + entries + PNG-compressed images.
    import struct

    blobs = [(ICONS / f"complaint-desk-{size}.png").read_bytes() for size in SIZES]
    header = struct.pack("<HHH", 0, 1, len(SIZES))
    offset = 6 + 16 * len(SIZES)
    entries = b""
    for size, blob in zip(SIZES, blobs, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    (ICONS / "complaint-desk.ico").write_bytes(header + entries + b"".join(blobs))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
