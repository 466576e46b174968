"""Shelf labels from the Catalog: a sheet of A4 labels (3 x 8) as a PDF, or one label after
another on the receipt printer.

The bars are drawn by QPainter from the code's modules (see ``services.label_layout``), so the
PDF is sharp at any zoom and needs no image library.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.errors import PosError
from pos_app.services.label_layout import (
    MAX_COPIES,
    ShelfLabel,
    encode,
    label_slip,
    shelf_labels,
)
from pos_app.services.product_queries import ProductInfo
from pos_app.ui import printing
from pos_app.ui.errors import describe_error
from pos_app.ui.hardware.devices import TillDevices, queued_outcome
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role

COLUMNS, ROWS = 3, 8
PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
LABEL_W_MM, LABEL_H_MM = PAGE_W_MM / COLUMNS, 37.0
TOP_MM = (PAGE_H_MM - ROWS * LABEL_H_MM) / 2
PAD_MM = 3.0
BARS_H_MM = 11.0
GUARD_EXTRA_MM = 1.5
DPI = 300
PDF = "pdf"
PRINTER = "printer"


def _mm(value: float) -> float:
    return value * DPI / 25.4


def render_label_sheet(labels: Sequence[ShelfLabel], path: Path, start: int = 1) -> int:
    """Write ``labels`` on A4 sheets of 3 x 8, the first at position ``start`` (1-24) of the
    first sheet; returns the number of pages."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setCreator("Till")
    writer.setTitle(QCoreApplication.translate("hardware.labels", "Shelf labels"))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    per_page = COLUMNS * ROWS
    painter = QPainter(writer)
    pages = 1
    try:
        for index, label in enumerate(labels, start=start - 1):
            cell = index % per_page
            if index and cell == 0:
                writer.newPage()
                pages += 1
            column, row = cell % COLUMNS, cell // COLUMNS
            rect = QRectF(
                _mm(column * LABEL_W_MM),
                _mm(TOP_MM + row * LABEL_H_MM),
                _mm(LABEL_W_MM),
                _mm(LABEL_H_MM),
            )
            draw_label(painter, rect, label)
    finally:
        painter.end()
    if not path.is_file():
        raise OSError(f"could not write {path}")
    return pages


def draw_label(painter: QPainter, rect: QRectF, label: ShelfLabel) -> None:
    inner = rect.adjusted(_mm(PAD_MM), _mm(PAD_MM), -_mm(PAD_MM), -_mm(PAD_MM))
    painter.setPen(Qt.GlobalColor.black)
    name_font = QFont("DejaVu Sans", 9)
    name_font.setBold(True)
    painter.setFont(name_font)
    name_rect = QRectF(inner.left(), inner.top(), inner.width(), _mm(8.5))
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
        Qt.TextFlag.TextWordWrap
    )
    painter.drawText(name_rect, flags, label.name)
    price_font = QFont("DejaVu Sans", 15)
    price_font.setBold(True)
    painter.setFont(price_font)
    price_rect = QRectF(inner.left(), name_rect.bottom(), inner.width(), _mm(7.5))
    painter.drawText(price_rect, int(Qt.AlignmentFlag.AlignRight), label.price)
    bars_top = price_rect.bottom() + _mm(1)
    _draw_bars(painter, QRectF(inner.left(), bars_top, inner.width(), _mm(BARS_H_MM)), label)
    painter.setFont(QFont("DejaVu Sans Mono", 7))
    text_rect = QRectF(
        inner.left(), bars_top + _mm(BARS_H_MM + GUARD_EXTRA_MM), inner.width(), _mm(3.5)
    )
    painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignHCenter), label.code)


def _draw_bars(painter: QPainter, rect: QRectF, label: ShelfLabel) -> None:
    modules = label.modules
    module = min(rect.width() / len(modules), _mm(0.5))
    left = rect.left() + (rect.width() - module * len(modules)) / 2
    guards = label.guard_positions
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(Qt.GlobalColor.black)
    position = 0
    while position < len(modules):
        if modules[position] != "1":
            position += 1
            continue
        end = position
        while end < len(modules) and modules[end] == "1":
            end += 1
        extra = _mm(GUARD_EXTRA_MM) if position in guards else 0.0
        painter.drawRect(
            QRectF(
                left + position * module,
                rect.top(),
                (end - position) * module,
                rect.height() + extra,
            )
        )
        position = end
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(Qt.GlobalColor.black)


class LabelsDialog(QDialog):
    """Copies per product, PDF sheet or receipt printer; Create writes or queues them."""

    def __init__(
        self,
        session: UiSession,
        products: Sequence[ProductInfo],
        devices: TillDevices | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelsDialog")
        self.setWindowTitle(self.tr("Shelf labels"))
        self._session = session
        self._products = list(products)
        self._devices = devices
        self.written: Path | None = None
        self._build_ui()
        self.resize(760, 440)

    def _build_ui(self) -> None:
        self.table = named(QTableWidget(len(self._products), 4), "labelsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Product"), self.tr("Price"), self.tr("Code"), self.tr("Copies")]
        )
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.copies: list[QSpinBox] = []
        for row, product in enumerate(self._products):
            self._fill_row(row, product)
        self.output = named(QComboBox(), "labelsOutput")
        self.output.addItem(self.tr("PDF sheet (A4, 3 x 8 labels)"), PDF)
        if self._devices is not None and self._devices.escpos:
            self.output.addItem(self.tr("Receipt printer"), PRINTER)
        self.start = named(QSpinBox(), "labelsStart")
        self.start.setRange(1, COLUMNS * ROWS)
        self.start.setToolTip(self.tr("Skip labels already used on the first sheet"))
        form = QFormLayout()
        form.addRow(self.tr("Print to"), self.output)
        form.addRow(self.tr("Start at label"), self.start)
        self.status = named(QLabel(), "labelsStatus")
        self.status.setWordWrap(True)
        self.create_button = named(QPushButton(self.tr("Create labels")), "labelsCreate")
        self.create_button.setDefault(True)
        close = named(QPushButton(self.tr("Close")), "labelsClose")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.create_button.clicked.connect(self._on_create_clicked)
        close.clicked.connect(self.reject)
        self.output.currentIndexChanged.connect(self._on_output_changed)

    def _fill_row(self, row: int, product: ProductInfo) -> None:
        try:
            code, symbology, _modules = encode(product)
            code_text = f"{symbology} {code}"
        except PosError as error:
            code_text = str(error)
        price = self._session.money(product.price_cents)
        for column, text in enumerate((product.name, price, code_text)):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, column, item)
        spin = named(QSpinBox(), f"labelCopies{row}")
        spin.setRange(0, MAX_COPIES)
        spin.setValue(1)
        self.table.setCellWidget(row, 3, spin)
        self.copies.append(spin)

    def _on_output_changed(self, _index: int) -> None:
        self.start.setEnabled(self.output.currentData() == PDF)

    def _labels(self) -> list[ShelfLabel] | None:
        chosen = [(p, spin.value()) for p, spin in zip(self._products, self.copies, strict=True)]
        try:
            return shelf_labels(
                chosen, self._session.settings.currency, self._session.settings.locale
            )
        except PosError as error:
            self._show(str(error), error=True)
            return None

    def _on_create_clicked(self) -> None:
        labels = self._labels()
        if labels is None:
            return
        if self.output.currentData() == PRINTER and self._devices is not None:
            self._devices.print_slip(label_slip(labels, self._devices.layout))
            text, ok = queued_outcome(self._devices)
            self._show(self.tr("%Ln label(s): {0}", "", len(labels)).format(text), error=not ok)
            return
        path = printing.ask_pdf_path(self, Path.home() / "shelf-labels.pdf")
        if path is None:
            return
        start = self.start.value()
        self._show(self.tr("Writing the labels…"), error=False)
        Op(
            self,
            op=lambda: (path, render_label_sheet(labels, path, start), len(labels)),
            success=self._on_sheet_written,
        ).failure(self._on_sheet_failed).with_busy(self.create_button).run()

    def _on_sheet_written(self, result: tuple[Path, int, int]) -> None:
        path, pages, count = result
        self.written = path
        on_pages = self.tr("%Ln page(s)", "", pages)
        self._show(
            self.tr("%Ln label(s) on {0} saved to {1}.", "", count).format(on_pages, path),
            error=False,
        )

    def _on_sheet_failed(self, error: BaseException) -> None:
        self._show(
            self.tr("The labels could not be saved: {0}").format(describe_error(error)), error=True
        )

    def _show(self, text: str, *, error: bool) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "muted")


__all__ = ["LabelsDialog", "draw_label", "render_label_sheet"]
