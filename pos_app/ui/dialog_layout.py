"""The shape the till's small dialogs share: content stacked with a margin, an error line, and a
row of buttons with Back on the left and the default action on the right.

Each dialog still names and words its own buttons (so each translation keeps its own context);
these helpers only give them the one look and the one keyboard behaviour: Enter presses the
primary button, and no other button ever takes Enter.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from pos_app.ui.style import mark_primary, named

DIALOG_MARGIN = 20


def primary_button(text: str, name: str) -> QPushButton:
    """The dialog's default action: Enter presses it, and it is drawn as the one to press."""
    button = named(QPushButton(text), name)
    button.setDefault(True)
    mark_primary(button)
    return button


def side_button(text: str, name: str) -> QPushButton:
    """Any other button (Back, Remove, Print …): it never takes Enter from a field."""
    button = named(QPushButton(text), name)
    button.setAutoDefault(False)
    return button


def button_row(left: Sequence[QPushButton], right: Sequence[QPushButton]) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in left:
        row.addWidget(button)
    row.addStretch(1)
    for button in right:
        row.addWidget(button)
    return row


def stack(
    parent: QWidget,
    *items: QWidget | QLayout | tuple[QWidget, int],
    spacing: int = 12,
    margin: int = DIALOG_MARGIN,
) -> QVBoxLayout:
    """``items`` top to bottom in ``parent``; a (widget, stretch) pair takes the spare height."""
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(margin, margin, margin, margin)
    layout.setSpacing(spacing)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        elif isinstance(item, tuple):
            layout.addWidget(*item)
        else:
            layout.addWidget(item)
    return layout


def show_error(label: QLabel, text: str, focus: QWidget | None = None) -> None:
    """Put ``text`` on the dialog's error line and send the keyboard back to ``focus``."""
    label.setText(text)
    label.show()
    if focus is not None:
        focus.setFocus()
