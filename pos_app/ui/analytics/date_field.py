"""A date field that takes a typed ISO date: 2025-01-15 typed in one go lands as 2025-01-15;
and the conversions between its dates and Python's."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSize
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QApplication, QCalendarWidget, QDateEdit, QWidget

SEPARATOR = "-"


class RoomyCalendar(QCalendarWidget):
    """A calendar whose popup is sized for the till's font: the popup asks for its size
    before the style sheet's font has reached the calendar, which then showed clipped."""

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(QApplication.font())
        # eight columns (week number and seven days) and eight rows (header, names, six weeks)
        wanted = QSize(metrics.horizontalAdvance("  Wed  ") * 8, metrics.height() * 14)
        return super().sizeHint().expandedTo(wanted)


class DateField(QDateEdit):
    """``yyyy-MM-dd`` with a calendar popup; the date counts once typing is done (Enter, Tab,
    leaving the field), not at every keystroke.

    Qt moves on to the next part by itself once the year has four digits; the '-' a person
    types next would then skip the month. A separator right after such a move is swallowed.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setCalendarWidget(RoomyCalendar())
        self.setDisplayFormat("yyyy-MM-dd")
        self.setKeyboardTracking(False)
        self._moved_on_by_itself = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text() == SEPARATOR and self._moved_on_by_itself:
            self._moved_on_by_itself = False
            event.accept()
            return
        section = self.currentSection()
        super().keyPressEvent(event)
        self._moved_on_by_itself = event.text().isdigit() and self.currentSection() != section


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def months_back(day: date, months: int) -> date:
    """The first day of the month ``months`` before the month of ``day``."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def date_edit(name: str) -> QDateEdit:
    edit = DateField()
    edit.setObjectName(name)
    edit.setMinimumWidth(130)
    return edit
