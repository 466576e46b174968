"""LatestOnly: a newer request supersedes an older one, whose answer never overwrites it."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject

from pos_app.ui.tasks import LatestOnly, pending_tasks


def test_an_older_answer_arriving_last_is_dropped(qtbot: Any) -> None:
    owner = QObject()
    latest = LatestOnly(owner)
    delivered: list[str] = []
    release_older = threading.Event()

    def older() -> str:
        release_older.wait(5)
        return "older"

    latest.run(older, delivered.append, lambda error: delivered.append(repr(error)))
    latest.run(lambda: "newer", delivered.append, lambda error: delivered.append(repr(error)))
    qtbot.waitUntil(lambda: delivered == ["newer"])
    release_older.set()
    qtbot.waitUntil(lambda: pending_tasks() == 0)
    assert delivered == ["newer"]


def test_a_cancelled_request_delivers_nothing_not_even_its_failure(qtbot: Any) -> None:
    owner = QObject()
    latest = LatestOnly(owner)
    delivered: list[object] = []
    release = threading.Event()

    def fails() -> None:
        release.wait(5)
        raise RuntimeError("too late")

    latest.run(fails, delivered.append, delivered.append)
    latest.cancel()
    release.set()
    qtbot.waitUntil(lambda: pending_tasks() == 0)
    assert delivered == []
