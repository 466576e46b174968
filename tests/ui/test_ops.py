"""Operations: the busy state while they run, one route for errors, what a write announces."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services.errors import ValidationError
from pos_app.services.roles import Role
from pos_app.ui.changes import Changes, change_bus
from pos_app.ui.errors import UNEXPECTED, on_error_reported
from pos_app.ui.inventory.restock import RestockPanel
from pos_app.ui.main_window import MainWindow
from pos_app.ui.ops import Op, on_busy_text
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def reported() -> Iterator[list[str]]:
    texts: list[str] = []
    stop = on_error_reported(texts.append)
    yield texts
    stop()


@pytest.fixture
def statuses() -> Iterator[list[str]]:
    texts: list[str] = []
    stop = on_busy_text(texts.append)
    yield texts
    stop()


@pytest.fixture
def announced() -> Iterator[list[Changes]]:
    seen: list[Changes] = []

    def note(changes: Changes, _initiator: object) -> None:
        seen.append(changes)

    change_bus().changed.connect(note)
    yield seen
    change_bus().changed.disconnect(note)


@pytest.fixture
def trigger(qtbot: QtBot) -> QPushButton:
    holder = QWidget()
    qtbot.addWidget(holder)
    button = QPushButton("Save", holder)
    holder.show()
    return button


def refuse() -> None:
    raise ValidationError("The name is missing.", field="name")


def settle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def test_an_error_nobody_handles_reaches_the_reporter_and_the_busy_state_ends(
    qtbot: QtBot, trigger: QPushButton, reported: list[str], statuses: list[str]
) -> None:
    Op(trigger, op=refuse).with_busy(trigger).with_busy("Saving the product…").run()
    assert not trigger.isEnabled()
    assert QApplication.overrideCursor() is not None
    assert statuses == ["Saving the product…"]
    settle(qtbot)
    assert reported == ["The name is missing."]
    assert trigger.isEnabled()
    assert QApplication.overrideCursor() is None
    assert statuses == ["Saving the product…", ""]


def test_an_error_the_caller_handles_does_not_reach_the_reporter(
    qtbot: QtBot, trigger: QPushButton, reported: list[str]
) -> None:
    handled: list[BaseException] = []
    busy: list[bool] = []
    Op(trigger, op=refuse).failure(handled.append).with_busy(busy.append).run()
    settle(qtbot)
    assert [str(error) for error in handled] == ["The name is missing."]
    assert busy == [True, False]
    assert reported == []


def test_an_unexpected_error_is_reported_as_one_calm_sentence(
    qtbot: QtBot, trigger: QPushButton, reported: list[str]
) -> None:
    def crash() -> None:
        raise KeyError("internal")

    Op(trigger, op=crash).run()
    settle(qtbot)
    assert reported == [UNEXPECTED]


def test_a_trigger_that_was_off_before_stays_off_after(qtbot: QtBot, trigger: QPushButton) -> None:
    trigger.setEnabled(False)
    Op(trigger, op=lambda: 1).with_busy(trigger).run()
    settle(qtbot)
    assert not trigger.isEnabled()


def test_the_busy_state_ends_and_the_write_is_announced_when_the_asker_is_gone(
    qtbot: QtBot, announced: list[Changes]
) -> None:
    asker = QWidget()
    Op(asker, op=lambda: 1, success=lambda _r: None, changes=Changes(users=True)).with_busy(
        "Saving…"
    ).run()
    asker.deleteLater()
    settle(qtbot)
    assert QApplication.overrideCursor() is None
    assert announced == [Changes(users=True)]


def test_a_write_announces_what_it_changed_with_the_asker_as_initiator(
    qtbot: QtBot, trigger: QPushButton
) -> None:
    with qtbot.waitSignal(change_bus().changed, timeout=5000) as announced:
        Op(trigger, op=lambda: 7, changes=lambda n: Changes(stock=n > 0)).run()
    assert announced.args == [Changes(stock=True), trigger]


def test_a_read_announces_nothing(
    qtbot: QtBot, trigger: QPushButton, announced: list[Changes]
) -> None:
    results: list[int] = []
    Op(trigger, op=lambda: 7, success=results.append).run()
    settle(qtbot)
    assert results == [7]
    assert announced == []


def test_a_restock_announces_a_stock_change(
    qtbot: QtBot, session_for: SessionFor, products: dict[str, Any]
) -> None:
    panel = RestockPanel(session_for(Role.MANAGER))
    qtbot.addWidget(panel)
    panel.code_field.setText(products["CHOC-MILK"].sku)
    panel.quantity_field.setValue(4)
    with qtbot.waitSignal(change_bus().changed, timeout=5000) as announced:
        panel.add_button.click()
        assert not panel.add_button.isEnabled()
    assert announced.args == [Changes(stock=True), panel]
    assert panel.add_button.isEnabled()
    settle(qtbot)


def test_the_window_shows_the_busy_text_in_its_status_bar_and_the_error_in_its_message_bar(
    qtbot: QtBot, session_for: SessionFor, ui_settings: Settings
) -> None:
    window = MainWindow(session_for(Role.MANAGER), ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot)
    Op(window, op=refuse).with_busy("Checking the name…").run()
    assert window.statusBar().currentMessage() == "Checking the name…"
    settle(qtbot)
    assert window.statusBar().currentMessage() == ""
    assert window.message_bar.isVisible()
    assert window.message_bar.label.text() == "The name is missing."


def test_a_window_deleted_without_closing_no_longer_listens(
    qtbot: QtBot, session_for: SessionFor, ui_settings: Settings, reported: list[str]
) -> None:
    window = MainWindow(session_for(Role.MANAGER), ui_settings)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot)
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    Op(QWidget(), op=refuse).with_busy("Checking the name…").run()
    settle(qtbot)
    assert reported == ["The name is missing."]
