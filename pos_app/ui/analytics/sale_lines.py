"""Export every sale line of the chosen dates to a CSV file, behind a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from pos_app.services import sale_line_csv
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import button
from pos_app.ui.progress import CancelFn, ProgressDialog, ProgressFn, run_with_progress
from pos_app.ui.session import UiSession
from pos_app.ui.translation import number

Dates = Callable[[], tuple[date, date]]


def default_file_name(start: date, end: date) -> str:
    return f"sales-{start.isoformat()}-{end.isoformat()}.csv"


def ask_save_path(parent: QWidget, default_name: str) -> str:
    """Ask where to save the CSV; an empty string when the person cancels."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export sale lines", default_name, "CSV files (*.csv)"
    )
    return path


class SaleLinesExport(QObject):
    """The "Export sale lines…" button and what it does; ``message`` reports the outcome."""

    message = Signal(str, bool)
    finished = Signal(int)

    def __init__(self, session: UiSession, parent: QWidget, dates: Dates) -> None:
        super().__init__(parent)
        self._session = session
        self._parent = parent
        self._dates = dates
        self.dialog: ProgressDialog | None = None
        self.button = button(
            "exportSaleLinesButton",
            self.tr("Export sale lines…"),
            self.tr("Every sold line of the chosen dates, whatever the filters, as a CSV file."),
        )
        self.button.clicked.connect(self._on_button_clicked)

    @property
    def running(self) -> bool:
        return self.dialog is not None

    def export(self, path: str) -> None:
        """Write the sale lines of the chosen dates to ``path`` in the background."""
        ctx, actor = self._session.ctx, self._session.user
        start, end = self._dates()

        def op(progress: ProgressFn, cancelled: CancelFn) -> int:
            return sale_line_csv.export_sale_lines(
                ctx, actor, start, end, path, progress=progress, cancel=cancelled
            )

        self.button.setEnabled(False)
        self.dialog = run_with_progress(
            self._parent,
            "Export sale lines",
            op,
            lambda count: self._on_export_done(count, path),
            self._on_export_failed,
            text=self.tr("Writing the sale lines of {0} \u2013 {1}…").format(
                self._session.fmt.date(start), self._session.fmt.date(end)
            ),
        )

    def _on_button_clicked(self) -> None:
        start, end = self._dates()
        path = ask_save_path(self._parent, default_file_name(start, end))
        if path:
            self.export(path)

    def _on_export_done(self, count: int, path: str) -> None:
        self.dialog = None
        self.button.setEnabled(True)
        text = (
            self.tr("Exported 1 line to {1}")
            if count == 1
            else self.tr("Exported {0} lines to {1}")
        )
        self.message.emit(text.format(number(count), path), False)
        self.finished.emit(count)

    def _on_export_failed(self, error: BaseException) -> None:
        self.dialog = None
        self.button.setEnabled(True)
        self.message.emit(describe_error(error), True)
