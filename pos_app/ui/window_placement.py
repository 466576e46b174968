"""Where the main window sits: its size and place as last left, full screen remembered per
till, and a default that fits a till-sized screen."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtWidgets import QMainWindow

from pos_app.config import Settings

DEFAULT_SIZE = QSize(1180, 760)
DECORATIONS = QSize(10, 40)
GEOMETRY_KEY = "mainWindow/geometry"


class WindowPlacement:
    def __init__(self, window: QMainWindow, settings: Settings) -> None:
        self._window = window
        self._settings = settings

    def _full_screen_key(self) -> str:
        return f"tills/{self._settings.till_id}/fullScreen"

    def set_full_screen(self, on: bool) -> None:
        """Full screen, without window decorations, or back to a window; remembered per till."""
        QSettings().setValue(self._full_screen_key(), on)
        window = self._window
        if on:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
        else:
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowFullScreen)

    def wants_full_screen(self) -> bool:
        remembered = QSettings().value(self._full_screen_key(), False, type=bool)
        return self._settings.fullscreen or bool(remembered)

    def restore(self) -> None:
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is None or not self._window.restoreGeometry(geometry):
            self._fit_default_size()

    def save(self) -> None:
        if not self._window.isFullScreen():
            QSettings().setValue(GEOMETRY_KEY, self._window.saveGeometry())

    def _fit_default_size(self) -> None:
        """A roomy window on a big screen; on a till-sized one, all of it that the window
        manager's title bar and borders leave."""
        room = self._window.screen().availableGeometry().size() - DECORATIONS
        self._window.resize(DEFAULT_SIZE.boundedTo(room))
