"""A drop-down of coded choices the agent can narrow by typing any part of a label.

Codes are stored; labels are translated. Typing “宽带” finds “宽带故障/网速” even though the
label does not start with it (a contains-match completer instead of the prefix-only search a
plain combo box offers); so do its pinyin (“kuandai”, “kdgz”), everyday words kept as data
(“计费” → 资费争议) and the code (desktop/domain/pick_match.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from desktop.domain.pick_match import ChoiceMatcher

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 7  # label, pinyin, initials, words and code, for matching


class CodePicker(QComboBox):
    """Editable combo box whose value is a code; ``code_changed`` fires with the code or None."""

    code_changed = Signal(object)
    left = Signal()  # the focus moved away: time to check what was typed

    def __init__(self, codes: Iterable[str], label_for: Callable[[str], str],
                 parent: QWidget | None = None, *, words: Mapping[str, Iterable[str]] | None = None) -> None:
        super().__init__(parent)
        self._label_for = label_for
        self._codes: list[str] = list(codes)
        self._words = {code: tuple(found) for code, found in (words or {}).items()}
        self._matcher = ChoiceMatcher(self._codes, label_for, self._words)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionRole(SEARCH_ROLE)  # the pop-up shows labels, matches on everything
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        completer.activated.connect(self._on_completer_activated)
        self.currentIndexChanged.connect(self._emit_code)
        # The deadline preview follows as soon as the typed text names exactly one choice.
        self.typed_line().textEdited.connect(self._emit_code)
        self._last_emitted: str | None = None
        # Pinyin keys come from the build's table (pick_match.pinyin_table_path); a label it lacks
        # needs pypinyin's dictionaries (half a second to load), so the keys are added when the
        # picker first takes the focus, before anything can be typed, not while the desk starts.
        self._pinyin_ready = False
        self.retranslate()

    def typed_line(self) -> QLineEdit:
        line = self.lineEdit()
        assert line is not None  # always editable
        return line

    def retranslate(self) -> None:
        """Reload the labels in the active language, keeping the chosen code."""
        current = self.code()
        self.blockSignals(True)
        self.clear()
        self._matcher = ChoiceMatcher(self._codes, self._label_for, self._words)
        for choice in self._matcher.choices:
            self.addItem(choice.label, choice.code)
        self._set_search_texts()
        self.blockSignals(False)
        self.set_code(current)

    def _set_search_texts(self) -> None:
        for index, choice in enumerate(self._matcher.choices):
            text = choice.search_text() if self._pinyin_ready else choice.search_text(with_pinyin=False)
            self.setItemData(index, text, SEARCH_ROLE)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        if not self._pinyin_ready:
            self._pinyin_ready = True
            self._set_search_texts()
        super().focusInEvent(event)

    def codes(self) -> list[str]:
        return list(self._codes)

    def code(self) -> str | None:
        """The chosen code, or None while the typed text matches no single choice."""
        index = self.currentIndex()
        text = self.currentText().strip()
        if index >= 0 and self.itemText(index) == text:
            return str(self.itemData(index))
        matches = self.matching_codes(text)
        return matches[0] if len(matches) == 1 else None

    def matching_codes(self, text: str) -> list[str]:
        """Codes ``text`` names (label part, pinyin, initials, everyday word or code); an exact
        label, code or word wins outright."""
        return self._matcher.match(text)

    def set_code(self, code: str | None) -> None:
        index = self.findData(code) if code is not None else -1
        if index < 0:
            self.setCurrentIndex(-1)
            self.setEditText("")
        else:
            self.setCurrentIndex(index)
            self.setEditText(self.itemText(index))
        self._emit_code()

    def resolve_typed_text(self) -> None:
        """On leaving the field, a text matching exactly one choice becomes that choice."""
        code = self.code()
        if code is not None and self.currentText() != self._label_for(code):
            self.set_code(code)
        else:
            self._emit_code()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        # The completer's pop-up takes the focus briefly (and reports odd reasons while closing);
        # settle the text once the event loop shows where the focus really went.
        QTimer.singleShot(0, self, self._settle_if_left)

    def _settle_if_left(self) -> None:
        if not self.hasFocus() and not self.view().isVisible():
            self.resolve_typed_text()
            self.left.emit()

    def _on_completer_activated(self, text: str) -> None:
        index = self.findText(text)
        if index >= 0:
            self.setCurrentIndex(index)
        self._emit_code()

    def _emit_code(self) -> None:
        code = self.code()
        if code != self._last_emitted:
            self._last_emitted = code
            self.code_changed.emit(code)
