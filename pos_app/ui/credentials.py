"""Pieces of the password forms (log in, unlock): fields, buttons, the panel and the busy state."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.style import mark_primary, named, set_role


def password_edit(name: str, max_length: int | None = None) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    if max_length is not None:
        edit.setMaxLength(max_length)
    return edit


def hidden_error(name: str) -> QLabel:
    """A red line under the fields, hidden until there is something to say."""
    label = named(QLabel(), name)
    label.setWordWrap(True)
    set_role(label, "error")
    label.hide()
    return label


def submit_buttons(
    submit: tuple[str, str], other: tuple[str, str]
) -> tuple[QPushButton, QPushButton]:
    """The default (primary) button and one that Enter never triggers, each from (text, name)."""
    submit_button = named(QPushButton(submit[0]), submit[1])
    submit_button.setDefault(True)
    mark_primary(submit_button)
    other_button = named(QPushButton(other[0]), other[1])
    other_button.setAutoDefault(False)
    return submit_button, other_button


def panel_layout(
    dialog: QDialog, name: str, spacing: int, items: Iterable[QWidget | QLayout]
) -> None:
    """The dialog's content: ``items`` stacked in a named, padded panel."""
    panel = named(QFrame(), name)
    inner = QVBoxLayout(panel)
    inner.setContentsMargins(24, 20, 24, 20)
    inner.setSpacing(spacing)
    for item in items:
        if isinstance(item, QLayout):
            inner.addLayout(item)
        else:
            inner.addWidget(item)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(16, 16, 16, 16)
    outer.addWidget(panel)


def show_rejected(error_label: QLabel, password: QLineEdit, text: str) -> None:
    """Say why the password was refused and select it for typing again."""
    error_label.setText(text)
    error_label.show()
    password.selectAll()
    password.setFocus()


def set_checking(
    dialog: QDialog,
    button: QPushButton,
    idle_text: str,
    fields: Iterable[QLineEdit],
    busy: bool,
) -> None:
    """While the password is checked in the background: a disabled button and read-only fields."""
    button.setText(QCoreApplication.translate("credentials", "Checking…") if busy else idle_text)
    button.setEnabled(not busy)
    for field in fields:
        field.setReadOnly(busy)
    dialog.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)


__all__ = [
    "hidden_error",
    "panel_layout",
    "password_edit",
    "set_checking",
    "show_rejected",
    "submit_buttons",
]
