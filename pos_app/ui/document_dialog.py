"""A printable document on screen: a status line, Print (F5), Save PDF… (Ctrl+S) and a close button.

Subclasses lay out their own heading and view, then call ``_add_actions``; they say how to print
(``print_document``) and where to save (``save_document``), each returning a sentence and whether
all went well.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QWidget

from pos_app.ui.dialog_layout import button_row, stack
from pos_app.ui.printing import Outcome
from pos_app.ui.receipts.view import ReceiptView
from pos_app.ui.style import icon, mark_primary, named, set_role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActionNames:
    """Object names of the status line and buttons, and the close button's text."""

    status: str
    print: str
    save: str
    done: str
    done_text: str


class DocumentDialog(QDialog):
    """F5 prints, Ctrl+S saves a PDF elsewhere, Enter or Escape closes."""

    def __init__(self, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.html = html
        self.pdf_path: Path | None = None

    def print_document(self) -> Outcome:
        raise NotImplementedError

    def save_document(self) -> Outcome | None:
        raise NotImplementedError

    def plain_text(self) -> str:
        return self.text.toPlainText()

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        set_role(self.status_label, "error" if error else "muted")

    def _add_actions(
        self, names: ActionNames, heading: tuple[QWidget, ...], text: ReceiptView
    ) -> QPushButton:
        """Lay out ``heading``, the document (stretching), the status line and the buttons."""
        self.status_label = named(QLabel(), names.status)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = named(QPushButton(icon("print"), self.tr("Print  F5")), names.print)
        self.save_button = named(QPushButton(icon("pdf"), self.tr("Save PDF…  Ctrl+S")), names.save)
        done_button = named(QPushButton(self.tr(names.done_text)), names.done)
        for button in (self.print_button, self.save_button):
            button.setAutoDefault(False)
        done_button.setDefault(True)
        mark_primary(done_button)
        buttons = button_row([self.print_button, self.save_button], [done_button])
        self.text = text
        stack(self, *heading, (self.text, 1), self.status_label, buttons)
        self._done_button = done_button
        self._connect_actions()
        return done_button

    def _connect_actions(self) -> None:
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self._done_button.clicked.connect(self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self._on_print_clicked)
        QShortcut(QKeySequence("Ctrl+S"), self, self._on_save_clicked)

    def _keep(self, write: Callable[[], Path], what: str, failure: str) -> None:
        """Keep the document's PDF with ``write``; on failure log ``what`` and show ``failure``."""
        try:
            self.pdf_path = write()
        except OSError:
            log.exception("could not keep the PDF of %s", what)
            self.show_status(failure, error=True)
            return
        self.show_status(self.tr("Saved as {0}").format(self.pdf_path))

    def _on_print_clicked(self) -> None:
        text, ok = self.print_document()
        self.show_status(text, error=not ok)
        self._done_button.setFocus()

    def _on_save_clicked(self) -> None:
        outcome = self.save_document()
        if outcome is not None:
            self.show_status(outcome[0], error=not outcome[1])


__all__ = ["ActionNames", "DocumentDialog"]
