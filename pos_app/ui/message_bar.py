"""A line above the screens for information and errors; it hides itself after a while."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from pos_app.ui.style import named, repolish

INFO_MS = 6_000
ERROR_MS = 12_000


class MessageBar(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.label = named(QLabel(), "messageText")
        self.label.setWordWrap(True)
        close = named(QToolButton(), "messageClose")
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def show_text(self, text: str, *, error: bool) -> None:
        self.label.setText(text)
        self.setProperty("error", error)
        repolish(self)
        self.show()
        self._timer.start(ERROR_MS if error else INFO_MS)
