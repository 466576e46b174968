"""Why the till could not start, in a window: a person who started it from a menu has no terminal
to read the sentence on. One sentence, and the details (version, system, traceback) to copy into
a message to whoever looks after the till."""

from __future__ import annotations

import platform
import sys
import traceback

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from pos_app import __version__
from pos_app.ui.style import named

TITLE = "Till cannot start"


def startup_details(message: str, error: BaseException | None = None) -> str:
    """What to send to whoever looks after the till: the sentence, versions, and the traceback."""
    lines = [
        f"Till {__version__} could not start.",
        message,
        f"Python {platform.python_version()} on {platform.platform()}",
        f"Command: {' '.join(['pos-app', *sys.argv[1:]])}",
    ]
    if error is not None:
        lines += ["", "".join(traceback.format_exception(error)).rstrip()]
    return "\n".join(lines)


class StartupErrorDialog(QDialog):
    """The sentence, a "Copy details" button that puts the details on the clipboard, and Close."""

    def __init__(self, message: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = details
        named(self, "startupErrorDialog")
        self.setWindowTitle(TITLE)
        self._build_ui(message)
        self._connect_signals()

    def _build_ui(self, message: str) -> None:
        symbol = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        symbol.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        self.message_label = named(QLabel(message), "startupErrorMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumWidth(420)
        self.copy_button = named(QPushButton(self.tr("Copy details")), "copyDetailsButton")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        row = QHBoxLayout()
        row.addWidget(symbol)
        row.addWidget(self.message_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.buttons.rejected.connect(self.reject)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied"))


def show_startup_error(message: str, error: BaseException | None = None) -> None:
    """Show the dialog and wait until it is closed; makes the application if there is none."""
    from pos_app.ui.app import create_application

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = create_application()
    dialog = StartupErrorDialog(message, startup_details(message, error))
    dialog.exec()
