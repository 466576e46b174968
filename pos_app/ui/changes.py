"""One app-wide announcement of what a write changed, and screens that refresh lazily on it.

Every write in the window announces a ``Changes`` through ``announce`` (``Op`` does it for the
writes it runs). A screen keeps a ``Freshness``: when a change touches what the screen shows, a
visible screen refreshes at once and a hidden one only marks itself stale and refreshes the next
time it is shown. Showing a screen that nothing has touched reads nothing, unless what it shows
is older than ``SHARED_DATA_MAX_AGE_S``: other tills on a shared database write too, and no
announcement here tells of them. Screens never call each other; they only listen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

# How long a hidden screen's figures are trusted when shown again: other tills' sales, refunds
# and restocks are announced to nobody here.
SHARED_DATA_MAX_AGE_S = 30.0


@dataclass(frozen=True)
class Changes:
    """What a write touched; each flag names a kind of data some screen shows."""

    catalog: bool = False  # products, categories, prices
    stock: bool = False  # quantities in stock
    sales: bool = False
    refunds: bool = False
    shifts: bool = False  # a shift opened or closed, or its figures
    users: bool = False
    promotions: bool = False
    held: bool = False  # parked carts
    audit: bool = False  # an entry in the audit log and nothing else (a void, a no-sale)

    @classmethod
    def everything(cls) -> Changes:
        return cls(**{flag.name: True for flag in fields(cls)})

    def touches(self, interests: Changes) -> bool:
        """Whether a flag set here is one that ``interests`` cares about."""
        return any(getattr(self, f.name) and getattr(interests, f.name) for f in fields(self))

    def __bool__(self) -> bool:
        return any(getattr(self, flag.name) for flag in fields(self))

    def __or__(self, other: Changes) -> Changes:
        both = {f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        return replace(self, **both)


class ChangeBus(QObject):
    """``changed(changes, initiator)``: the initiator is the object whose write it was."""

    changed = Signal(object, object)


_bus: ChangeBus | None = None


def change_bus() -> ChangeBus:
    global _bus
    if _bus is None:
        _bus = ChangeBus()
    return _bus


def announce(changes: Changes, initiator: object = None) -> None:
    """Tell every screen that ``changes`` were written; nothing is said when nothing changed."""
    if changes:
        change_bus().changed.emit(changes, initiator)


class Freshness(QObject):
    """A screen's interest in changes and whether what it shows is out of date.

    It starts stale, so the first showing loads. While the screen is visible a change it cares
    about refreshes it at once; while hidden the change only marks it stale. A change the screen
    made itself (it, a part of it or one of its dialogs is the initiator) is on show already.
    """

    def __init__(
        self,
        screen: QWidget,
        interests: Changes,
        refresh: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(screen)
        self._screen = screen
        self._interests = interests
        self._refresh = refresh
        self._clock = clock
        self._stale = True
        self._read_at = clock()
        change_bus().changed.connect(self._on_bus_changed)
        screen.installEventFilter(self)

    @property
    def stale(self) -> bool:
        return self._stale or self._clock() - self._read_at > SHARED_DATA_MAX_AGE_S

    def mark_fresh(self) -> None:
        """The screen has just read its data by itself (its own refresh)."""
        self._stale = False
        self._read_at = self._clock()

    def mark_stale(self) -> None:
        self._stale = True
        if self._screen.isVisible():
            self.refresh_if_stale()

    def refresh_if_stale(self) -> None:
        if self.stale:
            self.mark_fresh()
            self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event's type first: it is the cheap test, and a screen being destroyed still sends
        # its last events here after this object's Python side is gone; none of them is a Show.
        if event.type() == QEvent.Type.Show and watched is self._screen:
            self.refresh_if_stale()
        return False

    def _on_bus_changed(self, changes: Changes, initiator: object) -> None:
        if self._made_by_screen(initiator) or not changes.touches(self._interests):
            return
        self.mark_stale()

    def _made_by_screen(self, initiator: object) -> bool:
        """The screen itself, or one of its parts or dialogs, wrote it (and shows it already)."""
        current = initiator if isinstance(initiator, QObject) else None
        while current is not None:
            if current is self._screen:
                return True
            current = current.parent()
        return False
