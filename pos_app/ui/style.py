"""The look of the till: the style sheet, the font and the icons from ``pos_app/resources/``."""

from __future__ import annotations

import logging
import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger(__name__)

RESOURCES = files("pos_app") / "resources"
BASE_POINT_SIZE = 11
_O = TypeVar("_O", bound=QObject)


def resource_path(*parts: str) -> Traversable:
    return RESOURCES.joinpath(*parts)


def load_style_sheet() -> str:
    try:
        return resource_path("style.qss").read_text(encoding="utf-8")
    except OSError:
        log.warning("the style sheet could not be read; using Qt's default look")
        return ""


def scale_font_sizes(style_sheet: str, point_size: int) -> str:
    """Every ``font-size: Npt`` of the style sheet scaled from the 11 pt base to ``point_size``."""

    def scaled(match: re.Match[str]) -> str:
        size = round(int(match.group(1)) * point_size / BASE_POINT_SIZE)
        return f"font-size: {size}pt"

    return re.sub(r"font-size:\s*(\d+)pt", scaled, style_sheet)


def apply_style(app: QApplication, point_size: int = BASE_POINT_SIZE) -> None:
    """A readable base font (11 pt unless told otherwise) and the application style sheet."""
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSize(point_size)
    app.setFont(font)
    app.setStyleSheet(scale_font_sizes(load_style_sheet(), point_size))
    app.setWindowIcon(application_icon())


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; an empty icon when it is missing."""
    path = resource_path("icons", f"{name}.svg")
    if not path.is_file():
        log.warning("icon %s is missing", name)
        return QIcon()
    return QIcon(str(path))


def application_icon() -> QIcon:
    """The till-and-receipt icon of the desktop menu entry, so window and menu look alike."""
    path = RESOURCES / "desktop" / "till-pos.svg"
    return QIcon(str(path)) if path.is_file() else icon("till")


def set_role(widget: QWidget, role: str) -> None:
    """Tag a label for the style sheet (``QLabel[role="error"]``) and repolish it."""
    widget.setProperty("role", role)
    repolish(widget)


def repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def mark_primary(widget: QWidget) -> None:
    widget.setProperty("primary", True)
    repolish(widget)


def named(obj: _O, name: str) -> _O:
    """Give a widget or action the objectName tests and the style sheet find it by."""
    obj.setObjectName(name)
    return obj
