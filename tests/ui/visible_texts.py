"""Every text a person can read on a widget, and which of them are not in the shop's language.

``visible_texts`` walks a widget and its children: window titles, labels, buttons, group box
titles, tab names, actions (menus and toolbars), placeholder texts, tooltips, combo box items and
the headers of tables and lists. ``untranslated`` keeps those that are words (not numbers,
amounts, dates or codes), are not data from the database, and are no translation in the German
catalog, so a text added in English without ``self.tr`` is caught.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QCalendarWidget,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextEdit,
    QTreeView,
    QWidget,
)

CATALOG = Path(__file__).resolve().parents[2] / "pos_app" / "resources" / "i18n" / "till_de.ts"
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]{2,}")
_TAGS = re.compile(r"<[^>]+>")
_MNEMONIC = re.compile(r"&(?=\w)")
_PLACE = re.compile(r"\\\{\d+[^}]*?\\\}|%\d+|%L?n")


def _plain(text: str) -> str:
    return _MNEMONIC.sub("", _TAGS.sub("", text)).replace("&nbsp;", " ").strip()


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for each non-empty text a person can read on ``root`` and its children."""
    widgets = [w for w in [root, *root.findChildren(QWidget)] if not _qt_own(w)]
    for widget in widgets:
        where = widget.objectName() or type(widget).__name__
        if widget.isWindow() and widget.windowTitle():
            yield where, widget.windowTitle()
        if widget.toolTip():
            yield where, widget.toolTip()
        yield from ((where, text) for text in _own_texts(widget) if text)
    for action in root.findChildren(QAction):
        parent = action.parent()
        if isinstance(parent, QWidget) and _qt_own(parent):
            continue
        if not action.isSeparator():
            yield action.objectName() or "action", action.text()
            if action.toolTip() and action.toolTip() != action.text().replace("&", ""):
                yield action.objectName() or "action", action.toolTip()


def _qt_own(widget: QWidget) -> bool:
    """Parts Qt builds and translates itself (a calendar's month menu, a spin box's editor)."""
    while widget is not None:
        if isinstance(widget, QCalendarWidget) or widget.objectName().startswith("qt_"):
            return True
        box = widget.parentWidget()
        if (
            isinstance(box, QDialogButtonBox)
            and isinstance(widget, QPushButton)
            and box.standardButton(widget) != QDialogButtonBox.StandardButton.NoButton
        ):
            return True
        parent = widget.parentWidget()
        if parent is None:
            return False
        widget = parent
    return False


def _own_texts(widget: QWidget) -> Iterable[str]:
    if isinstance(widget, QLabel | QAbstractButton):
        return [widget.text()]
    if isinstance(widget, QGroupBox):
        return [widget.title()]
    if isinstance(widget, QLineEdit):
        return [widget.placeholderText()]
    if isinstance(widget, QTextEdit):
        shown = widget.toPlainText() if widget.isReadOnly() else ""
        return [widget.placeholderText(), *re.split(r"[\n\t\u2029]+", shown)]
    if isinstance(widget, QComboBox):
        return [widget.itemText(index) for index in range(widget.count())]
    if isinstance(widget, QTabWidget):
        return [widget.tabText(index) for index in range(widget.count())]
    if isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
        model = widget.model()
        horizontal = Qt.Orientation.Horizontal
        columns = model.columnCount(QModelIndex())
        return [str(model.headerData(c, horizontal) or "") for c in range(columns)]
    return []


def german_catalog() -> tuple[set[str], list[re.Pattern[str]]]:
    """Every finished German translation, as texts and as patterns for those with values."""
    texts: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in ET.parse(CATALOG).getroot().iter("message"):
        found = message.find("translation")
        if found is None or found.get("type") in {"unfinished", "vanished"}:
            continue
        # A text with a count has its singular and plural forms, each a translation.
        forms = [form.text or "" for form in found.iter("numerusform")] or [found.text or ""]
        for form in filter(None, forms):
            text = _plain(form)
            texts.add(text)
            escaped = re.escape(text)
            if _PLACE.search(escaped):
                patterns.append(re.compile(_PLACE.sub(".*?", escaped), re.DOTALL))
    return texts, patterns


def untranslated(
    found: Iterable[tuple[str, str]], data: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """The texts of ``found`` that hold words but are neither German nor ``data``."""
    texts, patterns = german_catalog()
    known = {_plain(text) for text in data}
    missing = []
    for where, raw in found:
        text = _plain(raw)
        if not _WORD.search(text) or text in texts:
            continue
        if any(pattern.fullmatch(text) for pattern in patterns):
            continue
        for item in sorted(known, key=len, reverse=True):
            text = text.replace(item, "") if item else text
        if not _WORD.search(text):
            continue
        missing.append((where, text))
    return missing


__all__ = ["german_catalog", "untranslated", "visible_texts"]
