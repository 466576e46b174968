"""F1: the keyboard shortcuts of the window and of the screen in front, read from the shortcuts
themselves (actions, QShortcut objects and buttons with a shortcut), so the list cannot go stale.

A shortcut's description is its action's text, else its ``whatsThis``, else the text of the
button that shows the same key (``"Pay  (F12)"`` describes F12) in its text or tooltip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.style import named


@dataclass(frozen=True)
class ShortcutEntry:
    keys: str
    what: str


def key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def plain(text: str) -> str:
    """A menu or button text without its mnemonic ampersand."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def without_key(text: str, keys: str) -> str | None:
    """``"Quantity  (F2)"`` -> ``"Quantity"`` when ``keys`` is F2; None when the text does not
    end with the key."""
    match = re.fullmatch(rf"(.*?)\s*\(?{re.escape(keys)}\)?\s*", plain(text))
    return match.group(1).strip() or None if match else None


def button_description(screen: QWidget, keys: str) -> str | None:
    """The text of the button that names ``keys`` in its text or at the end of its tooltip."""
    for button in screen.findChildren(QAbstractButton):
        found = without_key(button.text(), keys)
        if found:
            return found
        if button.text() and plain(button.toolTip()).endswith(f"({keys})"):
            return plain(button.text())
    return None


def action_entries(actions: list[QAction]) -> list[ShortcutEntry]:
    entries = []
    for action in actions:
        for sequence in action.shortcuts():
            if not sequence.isEmpty() and action.text():
                entries.append(ShortcutEntry(key_text(sequence), plain(action.text())))
    return entries


def screen_entries(screen: QWidget) -> list[ShortcutEntry]:
    entries = action_entries(screen.findChildren(QAction))
    for shortcut in screen.findChildren(QShortcut):
        if not shortcut.isEnabled() or shortcut.key().isEmpty():
            continue
        keys = key_text(shortcut.key())
        what = shortcut.whatsThis() or button_description(screen, keys) or ""
        entries.append(ShortcutEntry(keys, what))
    for button in screen.findChildren(QAbstractButton):
        if not button.shortcut().isEmpty():
            keys = key_text(button.shortcut())
            entries.append(
                ShortcutEntry(keys, without_key(button.text(), keys) or plain(button.text()))
            )
    return entries


def shortcuts_for(window_actions: list[QAction], screen: QWidget) -> list[ShortcutEntry]:
    """The screen's shortcuts first, then the window's; each key once."""
    seen: set[str] = set()
    listed = []
    for entry in [*screen_entries(screen), *action_entries(window_actions)]:
        if entry.keys not in seen:
            seen.add(entry.keys)
            listed.append(entry)
    return listed


class ShortcutHelpDialog(QDialog):
    """A two-column list, keys and what they do; Enter or Escape closes it."""

    def __init__(self, title: str, entries: list[ShortcutEntry], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shortcutHelp")
        self.setWindowTitle(self.tr("Keyboard shortcuts — {0}").format(title))
        self.entries = entries
        caption = QLabel(self.tr("Keys of the {0} screen and of every screen").format(title))
        self.table = named(QTableWidget(len(entries), 2), "shortcutTable")
        self.table.setHorizontalHeaderLabels(["Key", "What it does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(entries):
            self.table.setItem(row, 0, QTableWidgetItem(entry.keys))
            self.table.setItem(row, 1, QTableWidgetItem(entry.what))
        self.table.resizeColumnToContents(0)
        buttons = named(QDialogButtonBox(QDialogButtonBox.StandardButton.Close), "shortcutClose")
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(520, 480)
        close.setFocus(Qt.FocusReason.OtherFocusReason)
