"""In-app preview of a letter (QtPdf), printing through the system dialog, and save as PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _


class LetterPreviewDialog(QDialog):
    """Shows PDF bytes exactly as stored: what is printed or saved is the archived document."""

    def __init__(
        self, pdf: bytes, *, title: str, suggested_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 960)
        self._pdf = pdf
        self._suggested_name = suggested_name
        # The buffer must outlive the document, which reads from it lazily.
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document = QPdfDocument(self)
        self._document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self._document)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close window"))
        self.print_button = QPushButton(_("Print…"), self)
        self.save_button = QPushButton(_("Save as PDF…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self._print_with_dialog)
        self.save_button.clicked.connect(self._save_with_dialog)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def document(self) -> QPdfDocument:
        return self._document

    def print_to(self, printer: QPrinter) -> None:
        """Render every page onto ``printer`` at its resolution, fitted to the paper."""
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(_("The printer could not be started."))
        try:
            for page in range(self._document.pageCount()):
                if page:
                    printer.newPage()
                target = printer.pageLayout().paintRectPixels(printer.resolution())
                size = self._document.pagePointSize(page)
                scale = min(target.width() / size.width(), target.height() / size.height())
                image = self._document.render(
                    page, QSize(int(size.width() * scale), int(size.height() * scale))
                )
                painter.drawImage(QRectF(0, 0, image.width(), image.height()), image)
        finally:
            painter.end()

    def save_to(self, path: Path) -> None:
        path.write_bytes(self._pdf)  # the stored bytes, so the signature stays valid

    def _print_with_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print letter"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.print_to(printer)
            except OSError as error:
                QMessageBox.warning(self, _("Print letter"), str(error))

    def _save_with_dialog(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save letter as PDF"), self._suggested_name, _("PDF files (*.pdf)")
        )
        if not name:
            return
        try:
            self.save_to(Path(name))
        except OSError as error:
            QMessageBox.warning(
                self,
                _("Save letter as PDF"),
                _("Cannot write {path}: {error}").format(path=name, error=error),
            )

    @classmethod
    def ask(cls, parent: QWidget | None, pdf: bytes, *, title: str, suggested_name: str) -> None:
        """Show the preview modally."""
        cls(pdf, title=title, suggested_name=suggested_name, parent=parent).exec()
