"""Why the goods come back: a short list to choose from, or a reason typed in.

An editable combo box: arrow keys step through the list, Alt+Down (or F8 on the screen) opens
it, and any other text can be typed, even while the list is open: a letter closes the list and
goes into the field. Choosing "Other" empties the field for a typed reason.
The chosen words are stored as shown, in the shop's language, and printed on the slip.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

from pos_app.domain.refunds import MAX_REASON
from pos_app.ui.translation import QT_TRANSLATE_NOOP, translated

CONTEXT = "RefundReason"
REASONS = (
    QT_TRANSLATE_NOOP("RefundReason", "Damaged"),
    QT_TRANSLATE_NOOP("RefundReason", "Wrong item"),
    QT_TRANSLATE_NOOP("RefundReason", "Changed mind"),
    QT_TRANSLATE_NOOP("RefundReason", "Not as described"),
)
OTHER = QT_TRANSLATE_NOOP("RefundReason", "Other (type the reason)")


class RefundReasonField(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundReason")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(len(REASONS) + 1)
        for reason in REASONS:
            self.addItem(translated(CONTEXT, reason), reason)
        self.addItem(translated(CONTEXT, OTHER), OTHER)
        edit = self.lineEdit()
        if edit is not None:
            edit.setObjectName("refundReasonText")
            edit.setMaxLength(MAX_REASON)
        self.clear_reason()
        self.activated.connect(self._on_activated)
        self.view().installEventFilter(self)

    def reason(self) -> str:
        return self.currentText()

    def clear_reason(self) -> None:
        self.setCurrentIndex(-1)
        self.setEditText("")
        self._set_placeholder(
            QCoreApplication.translate("RefundReason", "Choose or type why it comes back")
        )

    def open_list(self) -> None:
        """The keyboard's way in (F8): focus here, with the list open."""
        self.setFocus()
        self.showPopup()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.view()
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self._type_into_field(event.text())
        ):
            return True
        return super().eventFilter(watched, event)

    def _type_into_field(self, text: str) -> bool:
        """A letter typed in the open list starts a typed reason instead of searching the list."""
        edit = self.lineEdit()
        if edit is None or not text or not text.isprintable():
            return False
        if self.view().isVisible():
            self.hidePopup()
            self.setFocus()
            edit.selectAll()
        # Keys typed quickly may still reach the list for a moment after it closed.
        edit.insert(text)
        return True

    def _on_activated(self, index: int) -> None:
        if self.itemData(index) != OTHER:
            return
        self.setCurrentIndex(-1)
        self.setEditText("")
        self._set_placeholder(QCoreApplication.translate("RefundReason", "Type the reason"))
        self.setFocus()

    def _set_placeholder(self, text: str) -> None:
        edit = self.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(text)
