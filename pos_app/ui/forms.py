"""Form helpers shared by the dialogs: an error line under each field, keyed by PosError.field.

``FormErrors`` places a field and a (hidden until needed) red label under it in a QFormLayout;
``show(error)`` puts a service error next to the field it names, or on the form's general line.
``ServiceDialog`` is a QDialog with that layout, Save/Cancel buttons, and a background submit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.errors import describe_error, error_field
from pos_app.ui.style import icon, named, set_role
from pos_app.ui.tasks import run_in_background


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    set_role(label, "error")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FormErrors:
    """Error labels for the fields of one form, plus one for errors that name no field."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def add_row(
        self,
        layout: QFormLayout,
        text: str,
        widget: QWidget,
        field: str,
        aliases: Iterable[str] = (),
    ) -> QLabel:
        """Add ``text: widget`` with an error label ``<field>Error`` under the widget."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        label = error_label(f"{field}Error")
        column.addWidget(label)
        layout.addRow(text, holder)
        for key in (field, *aliases):
            self._labels[key] = label
            self._widgets[key] = widget
        return label

    def label(self, field: str) -> QLabel:
        return self._labels[field]

    def message(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def clear(self) -> None:
        for label in {*self._labels.values(), self.general}:
            label.clear()
            label.hide()

    def show(self, error: BaseException) -> None:
        """Show ``error`` next to its field (focusing the field) or on the general line."""
        self.clear()
        text = describe_error(error)
        field = error_field(error)
        label = self._labels.get(field) if field else None
        if label is None:
            label = self.general
        elif field in self._widgets:
            self._widgets[field].setFocus()
        label.setText(text)
        label.show()
        window = label.window()
        if isinstance(window, QDialog):
            window.adjustSize()  # make room for the new line instead of drawing over the field


class ServiceDialog(QDialog):
    """A form dialog whose Save runs one service call in the background.

    Subclasses build rows with ``self.errors.add_row(self.form, ...)`` and implement ``_operation``
    returning the call to run (it may raise a ValidationError while reading the inputs: that is
    shown at once and nothing runs). ``saved`` carries what the call returned.
    """

    saved = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.errors = FormErrors(error_label("formError"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("dialogButtons")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.errors.general)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def _operation(self) -> Callable[[], Any]:
        raise NotImplementedError

    def _on_save_clicked(self) -> None:
        if self._busy:
            return
        self.errors.clear()
        try:
            operation = self._operation()
        except Exception as error:
            self.errors.show(error)
            return
        self._set_busy(True)
        run_in_background(self, operation, self._on_save_succeeded, self._on_save_failed)

    def _on_save_succeeded(self, result: object) -> None:
        self._set_busy(False)
        self.saved.emit(result)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.errors.show(error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)


def table_view(name: str, model: QAbstractItemModel, parent: QWidget | None = None) -> QTableView:
    """A read-only, row-selecting, header-sortable table as every screen uses it."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    return view


def enable_sql_sorting(view: QTableView, column: int, order: Qt.SortOrder) -> None:
    """Show the current sort on the header and let header clicks re-query."""
    view.horizontalHeader().setSortIndicator(column, order)
    view.setSortingEnabled(True)


def button(name: str, text: str, tip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.setObjectName(name)
    widget.setToolTip(tip)
    return widget


def receipt_number_edit(name: str, placeholder: str) -> QLineEdit:
    """A field for a scanned or typed receipt number."""
    edit = named(QLineEdit(), name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMaxLength(32)
    edit.addAction(icon("scan"), QLineEdit.ActionPosition.LeadingPosition)
    return edit


def add_shortcuts(
    widget: QWidget, keys: Iterable[tuple[QKeySequence | Qt.Key | str, Callable[[], object]]]
) -> None:
    """Shortcuts that work while ``widget`` or one of its children has the focus."""
    for key, slot in keys:
        shortcut = QShortcut(QKeySequence(key), widget, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
