"""Products to and from CSV on the catalog screen: the buttons, the file choice and the outcome.

Export writes every product (category,sku,barcode,name,price,stock,tax_rate,sold_by,scale_code).
Import checks the whole file first and writes all rows or none; it runs behind a cancellable
progress dialog, and rows with problems are listed in a dialog, one "Line N, field: message" per
row.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import product_csv
from pos_app.services.csv_files import RowError
from pos_app.services.product_csv import CsvImportResult
from pos_app.services.roles import Role
from pos_app.ui.changes import Changes, announce
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import add_shortcuts, button
from pos_app.ui.ops import Op
from pos_app.ui.progress import CancelFn, ProgressDialog, ProgressFn, run_with_progress
from pos_app.ui.session import UiSession
from pos_app.ui.style import set_role
from pos_app.ui.translation import number

IMPORT_KEYS = "Ctrl+Shift+I"
EXPORT_KEYS = "Ctrl+Shift+E"
CSV_FILTER = "CSV files (*.csv);;All files (*)"


def ask_save_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to export the products (tests replace this); None when cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Export products", str(suggested), CSV_FILTER
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(".csv")


def ask_open_path(parent: QWidget) -> Path | None:
    """Which CSV file to import (tests replace this); None when cancelled."""
    chosen, _filter = QFileDialog.getOpenFileName(
        parent, "Import products", str(Path.home()), CSV_FILTER
    )
    return Path(chosen) if chosen else None


def imported_text(result: CsvImportResult) -> str:
    return QCoreApplication.translate(
        "CsvImport", "Imported: {0} new, {1} updated, {2} new categories."
    ).format(number(result.created), number(result.updated), number(result.categories_created))


class ImportErrorsDialog(QDialog):
    """Every problem of a refused import, one row each; Copy puts them on the clipboard."""

    def __init__(self, errors: Sequence[RowError], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importErrorsDialog")
        self.setWindowTitle(self.tr("Import products: nothing was imported"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(720, 420)
        self._errors = list(errors)
        self.heading = QLabel(self.heading_text())
        self.heading.setObjectName("importErrorsHeading")
        self.heading.setWordWrap(True)
        set_role(self.heading, "error")
        self.table = self._build_table()
        self.copy_button = button(
            "copyErrorsButton", self.tr("&Copy all"), self.tr("Ctrl+C copies the selection")
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.setObjectName("dialogButtons")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
        add_shortcuts(
            self, [(QKeySequence(QKeySequence.StandardKey.Copy), self._on_copy_shortcut_activated)]
        )

    def heading_text(self) -> str:
        errors = self._errors
        if len(errors) == 1:
            return self.tr(
                "Nothing was imported. Correct this problem (on 1 line) and import the file again."
            )
        return self.tr(
            "Nothing was imported. Correct these {0} problems (on %Ln line(s)) and import the "
            "file again.",
            "",
            len({error.line_number for error in errors}),
        ).format(number(len(errors)))

    def _build_table(self) -> QTableWidget:
        table = QTableWidget(len(self._errors), 3)
        table.setObjectName("importErrorsTable")
        table.setHorizontalHeaderLabels([self.tr("Line"), self.tr("Field"), self.tr("Problem")])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        for row, error in enumerate(self._errors):
            line = QTableWidgetItem(str(error.line_number))
            line.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 0, line)
            table.setItem(row, 1, QTableWidgetItem(error.field))
            table.setItem(row, 2, QTableWidgetItem(error.message))
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        table.setCurrentCell(-1, -1)
        return table

    def lines(self, rows: Sequence[int] | None = None) -> list[str]:
        """The problems as 'Line N, field: message' (all, or those of ``rows``)."""
        chosen = range(len(self._errors)) if rows is None else sorted(rows)
        return [str(self._errors[row]) for row in chosen]

    def copy(self, rows: Sequence[int] | None = None) -> str:
        text = "\n".join(self.lines(rows)) + "\n"
        QGuiApplication.clipboard().setText(text)
        return text

    def _on_copy_clicked(self) -> None:
        self.copy()

    def _on_copy_shortcut_activated(self) -> None:
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        self.copy(rows or None)


class CatalogCsv(QObject):
    """The catalog's Import and Export buttons, their shortcuts, and what follows a click."""

    message = Signal(str, bool)
    imported = Signal(object)

    def __init__(self, session: UiSession, screen: QWidget) -> None:
        super().__init__(screen)
        self.setObjectName("catalogCsv")
        self._session = session
        self._screen = screen
        self._can_edit = session.may(Role.MANAGER)
        self._busy = False
        self.progress: ProgressDialog | None = None
        self.errors_dialog: ImportErrorsDialog | None = None
        self.import_button = button(
            "importProductsButton",
            self.tr("Import products…"),
            self.tr("Import a CSV file ({0})").format(IMPORT_KEYS),
        )
        self.export_button = button(
            "exportProductsButton",
            self.tr("Export products…"),
            self.tr("Save every product as CSV ({0})").format(EXPORT_KEYS),
        )
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        add_shortcuts(
            screen,
            [(IMPORT_KEYS, self._on_import_clicked), (EXPORT_KEYS, self._on_export_clicked)],
        )
        self._update_buttons()

    @property
    def busy(self) -> bool:
        return self._busy

    def header(self, title: QWidget) -> QHBoxLayout:
        """The product pane's title with the CSV buttons on its right."""
        row = QHBoxLayout()
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        return row

    def default_export_name(self) -> str:
        ctx = self._session.ctx
        return f"products-{ctx.local_date(ctx.now()).isoformat()}.csv"

    # -- export -------------------------------------------------------------------------------

    def export_products(self, path: Path | None = None) -> bool:
        """Ask where (unless ``path`` is given) and write the file in the background."""
        if not self._can_edit or self._busy:
            return False
        target = path or ask_save_path(self._screen, Path.home() / self.default_export_name())
        if target is None:
            return False
        ctx, actor = self._session.ctx, self._session.user
        Op(
            self,
            op=lambda: product_csv.export_products(ctx, actor, target),
            success=lambda count: self._on_export_finished(target, count),
        ).failure(self._on_task_failed).with_busy(self._set_busy).with_busy(
            self.tr("Exporting the products to {0}…").format(target.name)
        ).run()
        return True

    def _on_export_finished(self, path: Path, count: int) -> None:
        text = (
            self.tr("Exported 1 product to {1}.")
            if count == 1
            else self.tr("Exported {0} products to {1}.")
        )
        self.message.emit(text.format(number(count), path), False)

    # -- import -------------------------------------------------------------------------------

    def import_products(self, path: Path | None = None) -> ProgressDialog | None:
        """Ask which file (unless ``path`` is given) and import it behind a progress dialog."""
        if not self._can_edit or self._busy:
            return None
        source = path or ask_open_path(self._screen)
        if source is None:
            return None
        ctx, actor = self._session.ctx, self._session.user

        def op(progress: ProgressFn, cancelled: CancelFn) -> CsvImportResult:
            return product_csv.import_products(ctx, actor, source, progress, cancelled)

        self._set_busy(True)
        self.progress = run_with_progress(
            self._screen,
            "Import products",
            op,
            self._on_import_finished,
            self._on_task_failed,
            text=self.tr("Importing {0}…").format(source.name),
        )
        return self.progress

    def _on_import_finished(self, result: CsvImportResult) -> None:
        self._set_busy(False)
        self.progress = None
        if not result.ok:
            self.message.emit(self.tr("Nothing was imported: the file has problems."), True)
            self.errors_dialog = ImportErrorsDialog(result.errors, self._screen)
            self.errors_dialog.open()
            return
        self.message.emit(imported_text(result), False)
        self.imported.emit(result)
        announce(Changes(catalog=True, stock=True), self)

    def _on_task_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.progress = None
        self.message.emit(describe_error(error), True)

    # -- state --------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        for widget in (self.import_button, self.export_button):
            widget.setEnabled(self._can_edit and not self._busy)
        if not self._can_edit:
            tip = "Managers and owners can import and export products."
            self.import_button.setToolTip(tip)
            self.export_button.setToolTip(tip)

    def _on_import_clicked(self) -> None:
        self.import_products()

    def _on_export_clicked(self) -> None:
        self.export_products()


__all__ = [
    "CatalogCsv",
    "ImportErrorsDialog",
    "ask_open_path",
    "ask_save_path",
    "imported_text",
]
