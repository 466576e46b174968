"""The first start: a small window with a progress bar while the demo shop is built, then the
login. The building runs in the background; the window shows what it is doing and how far."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from pos_app.ui.errors import describe_error
from pos_app.ui.style import named, set_role
from pos_app.ui.tasks import run_in_background
from pos_app.ui.translation import number

Progress = Callable[[int, int], None]  # (done, total), as the demo shop's builder reports it
SeedOp = Callable[[Progress], object]


class StartupWindow(QWidget):
    """Runs ``seed(progress)`` in the background; ``finished`` once it has ended well,
    ``failed`` with a sentence otherwise. It cannot be closed while the work runs."""

    progressed = Signal(int, int)
    finished = Signal()
    failed = Signal(str)

    def __init__(self, seed: SeedOp, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startupWindow")
        self.setWindowTitle(self.tr("First start"))
        self._seed = seed
        self._running = False
        title = QLabel(self.tr("Preparing the demo shop"))
        set_role(title, "title")
        self.label = named(
            QLabel(self.tr("A year of sales in five categories, for you to try out…")),
            "startupText",
        )
        self.label.setWordWrap(True)
        self.bar = named(QProgressBar(), "startupProgress")
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setMinimumWidth(440)
        # Queued to the GUI thread: the worker emits, the window updates.
        self.progressed.connect(self._on_progressed, Qt.ConnectionType.QueuedConnection)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        self._running = True
        self.show()
        seed, report = self._seed, self.progressed.emit
        run_in_background(self, lambda: seed(report), self._on_seeded, self._on_seed_failed)

    def _on_progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(max(0, min(done, total)))
            self.bar.setFormat(
                self.tr("{0} of {1} sales").format(number(min(done, total)), number(total))
            )

    def _on_seeded(self, _result: object) -> None:
        self._running = False
        self.finished.emit()
        self.close()

    def _on_seed_failed(self, error: BaseException) -> None:
        self._running = False
        text = describe_error(error)
        self.label.setText(text)
        set_role(self.label, "error")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.failed.emit(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._running:
            event.ignore()  # half a demo shop helps nobody; it is quick
            return
        super().closeEvent(event)
