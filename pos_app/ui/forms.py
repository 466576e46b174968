"""Form helpers shared by the dialogs: an error line under each field, keyed by PosError.field.

``FormErrors`` places a field and a (hidden until needed) red label under it in a QFormLayout;
``show(error)`` puts a service error next to the field it names, or on the form's general line.
``ServiceDialog`` is a QDialog with that layout, Save/Cancel buttons, and a background submit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.changes import Changes
from pos_app.ui.errors import describe_error, error_field
from pos_app.ui.ops import Op
from pos_app.ui.style import icon, named, set_role


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    set_role(label, "error")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class FieldProblems(Exception):
    """Several problems found at once, each to be shown next to its own field."""

    def __init__(self, problems: Sequence[BaseException]) -> None:
        super().__init__(" ".join(describe_error(problem) for problem in problems))
        self.problems = list(problems)


Checker = Callable[[str], BaseException | None]


def changed_signal(widget: QWidget) -> SignalInstance | None:
    """The signal a field sends when a person changes it."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    return None


class FormErrors:
    """Error labels for the fields of one form, plus one for errors that name no field.

    A shown field error goes away as soon as its field is fixed: ``checker(field)`` says what is
    still wrong with it (None when nothing; without a checker, any change counts as a fix).
    """

    def __init__(self, general: QLabel, checker: Checker | None = None) -> None:
        self.general = general
        self.checker = checker
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
        signal = changed_signal(widget)
        if signal is not None:
            signal.connect(lambda *_: self._recheck(field))
        return label

    def _recheck(self, field: str) -> None:
        label = self._labels[field]
        if label.isHidden():
            return
        problem = self.checker(field) if self.checker is not None else None
        if problem is None:
            label.clear()
            label.hide()
        else:
            label.setText(describe_error(problem))

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
        """Show ``error`` next to its field (focusing the field) or on the general line;
        each of a ``FieldProblems``' problems next to its own field (focusing the first)."""
        self.clear()
        problems = error.problems if isinstance(error, FieldProblems) else [error]
        focused = False
        for problem in problems:
            field = error_field(problem)
            label = self._labels.get(field) if field else None
            if label is None or field is None:
                label = self.general
            elif not focused:
                self._widgets[field].setFocus()
                focused = True
            label.setText(describe_error(problem))
            label.show()
        window = self.general.window()
        if isinstance(window, QDialog):
            window.adjustSize()  # make room for the new line instead of drawing over the field


class ServiceDialog(QDialog):
    """A form dialog whose Save runs one service call in the background.

    Subclasses build rows with ``self.errors.add_row(self.form, ...)`` and implement ``_operation``
    returning the call to run (it may raise a ValidationError while reading the inputs: that is
    shown at once and nothing runs). ``saved`` carries what the call returned, and ``changes``
    (set by each subclass) is announced app-wide once it has been written.
    """

    saved = Signal(object)
    changes = Changes()

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
        Op(self, op=operation, success=self._on_save_succeeded, changes=self.changes).failure(
            self._on_save_failed
        ).with_busy(self._set_busy).with_busy(self.save_button).run()

    def _on_save_succeeded(self, result: object) -> None:
        self.saved.emit(result)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self.errors.show(error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy


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


CELL_PADDING = 24


def size_columns(view: QTableView, samples: Mapping[int, str]) -> None:
    """Each column wide enough for its header and for ``samples[column]`` (its widest usual
    value) in the view's font, so no value shows cut short ("Adjustm…") at any font size."""
    view.ensurePolished()
    metrics = view.fontMetrics()
    header = view.horizontalHeader()
    for column, sample in samples.items():
        wanted = metrics.horizontalAdvance(sample) + CELL_PADDING
        view.setColumnWidth(column, max(wanted, header.sectionSizeHint(column)))


def amount_width(widget: QWidget, characters: int = 12) -> int:
    """A width for a money field: ``characters`` digits and its frame, not the whole row."""
    return widget.fontMetrics().horizontalAdvance("0" * characters) + CELL_PADDING


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


class _DownToList(QObject):
    """Down (or Page Down) in a filter field goes on to the list it filters."""

    def __init__(self, field: QLineEdit, view: QTableView) -> None:
        super().__init__(field)
        self._view = view
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
            and self._view.model().rowCount() > 0
        ):
            self._view.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self._view.selectionModel().hasSelection():
                self._view.selectRow(0)
            return True
        return super().eventFilter(watched, event)


def down_goes_to_list(field: QLineEdit, view: QTableView) -> None:
    """Let a person at the keyboard step from a filter field into the rows it left."""
    _DownToList(field, view)


def add_shortcuts(
    widget: QWidget, keys: Iterable[tuple[QKeySequence | Qt.Key | str, Callable[[], object]]]
) -> None:
    """Shortcuts that work while ``widget`` or one of its children has the focus."""
    for key, slot in keys:
        shortcut = QShortcut(QKeySequence(key), widget, slot)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
