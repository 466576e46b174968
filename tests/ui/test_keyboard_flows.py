"""Keyboard all the way: after a refund and after any dialog the keyboard works again without
a click."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui.checkout.pay_dialog import PayDialog
from pos_app.ui.inventory import InventoryScreen
from pos_app.ui.main_window import MainWindow
from pos_app.ui.refunds.lines_model import Column
from pos_app.ui.session import UiSession
from pos_app.ui.shortcut_help import key_text
from pos_app.ui.style import apply_style
from pos_app.ui.tasks import pending_tasks
from tests.ui.test_refunds_ui import load, open_screen, sell
from tests.ui.till_helpers import open_checkout

SessionFor = Callable[[Role], UiSession]


def click_spin_up(qtbot: QtBot, spin: QSpinBox) -> None:
    """A click on the spin box's up arrow, as a person does with the mouse."""
    arrow = QPoint(spin.width() - 6, 4)
    qtbot.mouseClick(spin, Qt.MouseButton.LeftButton, pos=arrow)


def test_after_a_refund_with_a_quantity_set_by_mouse_the_keyboard_works_at_once(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    cashier = session_for(Role.CASHIER)
    first = sell(ui_ctx, cashier.user, products["COLA-330"], 2)
    second = sell(ui_ctx, cashier.user, products["WATER-500"], 1)
    screen = open_screen(qtbot, cashier)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    load(qtbot, screen, first)
    spin = screen.lines_view.spin_box(0)
    assert spin is not None
    spin.setFocus()
    click_spin_up(qtbot, spin)
    assert screen.model.quantity(0) == 1
    screen.reason_field.setEditText("Changed mind")
    qtbot.mouseClick(screen.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    qtbot.waitUntil(lambda: not screen.busy and pending_tasks() == 0)

    assert screen.number_edit.hasFocus()
    qtbot.keyClicks(QApplication.focusWidget(), f"R{second:08d}")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt is not None and screen.receipt.sale_id == second)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert screen.model.quantity(0) == 1
    assert screen.model.index(0, Column.REFUND).data() is not None


@pytest.mark.parametrize("key", ["checkout", "receipts", "refunds", "catalog", "inventory"])
def test_after_a_dialog_the_keyboard_is_back_in_the_screens_main_field(
    qtbot: QtBot, session_for: SessionFor, ui_settings: Settings, key: str
) -> None:
    window = MainWindow(session_for(Role.OWNER), ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_screen(key)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    screen = window.screens[key]
    main_field = screen.focusProxy()
    assert main_field is not None
    window.toolbar.setFocus()  # where a click before the dialog might have left it

    dialog = QDialog(window)
    QVBoxLayout(dialog).addWidget(QLineEdit())
    QTimer.singleShot(50, dialog.accept)
    dialog.exec()
    window.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(main_field.hasFocus)
    qtbot.keyClicks(QApplication.focusWidget(), "abc")
    assert "abc" in main_field.text()  # type: ignore[attr-defined]
    # Typing may start a search once the typing pauses: let it start and answer.
    qtbot.waitUntil(lambda: not _waiting_to_start(screen) and pending_tasks() == 0, timeout=10_000)


def _waiting_to_start(screen: QWidget) -> bool:
    return any(timer.isActive() and timer.isSingleShot() for timer in screen.findChildren(QTimer))


def test_restocking_by_scanning_starts_each_scan_in_an_empty_code_field(
    qtbot: QtBot, session_for: SessionFor, products: dict[str, ProductInfo]
) -> None:
    screen = InventoryScreen(session_for(Role.MANAGER))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.refresh()
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    panel = screen.restock_panel
    panel.focus_code()
    for sku, quantity in (("COLA-330", "4"), ("WATER-500", "2")):
        code = products[sku].barcode
        assert code is not None
        qtbot.keyClicks(QApplication.focusWidget(), code)
        assert panel.code_field.text() == code, "the scan went into an empty field"
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        qtbot.waitUntil(panel.quantity_field.hasFocus, timeout=5000)
        qtbot.keyClicks(QApplication.focusWidget(), quantity)
        with qtbot.waitSignal(panel.restocked, timeout=5000) as booked:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert booked.args[0].product_id == products[sku].id
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        assert panel.code_field.hasFocus() and panel.code_field.text() == ""
    stock = {level.sku: level.quantity for level in screen.stock.rows()}
    assert (stock["COLA-330"], stock["WATER-500"]) == (20 + 4, 30 + 2)


def test_a_typed_name_and_enter_adds_the_one_product_it_matches(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    qtbot.keyClicks(screen.scan_field, "milk")
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.busy)
    assert [line.name for line in screen.cart_model.lines()] == ["Milk chocolate bar"]

    qtbot.keyClicks(screen.scan_field, "water")
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.busy)
    assert len(screen.cart_model.lines()) == 2

    qtbot.keyClicks(screen.scan_field, "cola")  # the cola and the chocolate
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.busy)
    assert "Several products match 'cola'" in screen.message_label.text()
    assert len(screen.cart_model.lines()) == 2
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def background_of(button: QPushButton) -> QColor:
    """The colour of the button's face, right of its icon and text."""
    image = button.grab().toImage()
    return image.pixelColor(image.width() - 8, image.height() // 2)


def test_the_chosen_tender_is_plainly_highlighted(
    qtbot: QtBot, qapp: QApplication, session_for: SessionFor
) -> None:
    sheet = qapp.styleSheet()
    apply_style(qapp)
    try:
        dialog = PayDialog(500, session_for(Role.CASHIER).fmt, lambda _payments: None)  # type: ignore[arg-type, return-value]
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        tenders = (dialog.cash_button, dialog.card_button, dialog.split_button)
        for key, chosen in zip(
            (Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F5), (1, 2, 0), strict=True
        ):
            qtbot.keyClick(QApplication.focusWidget() or dialog, key)
            faces = [background_of(button) for button in tenders]
            assert tenders[chosen].isChecked()
            assert faces[chosen].lightness() < 110, "the chosen tender is dark"
            for other, face in enumerate(faces):
                if other != chosen:
                    assert face.lightness() > 200, "the others stay light"
    finally:
        qapp.setStyleSheet(sheet)


def open_main_window(qtbot: QtBot, session: UiSession, settings: Settings) -> MainWindow:
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    return window


def listed_help(qtbot: QtBot, window: MainWindow) -> dict[str, str]:
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.help_dialog is not None and window.help_dialog.isVisible())
    dialog = window.help_dialog
    assert dialog is not None
    table = dialog.table
    listed = {
        table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())
    }
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    return listed


def key_names(sequences: list[QKeySequence]) -> set[str]:
    return {key_text(sequence) for sequence in sequences if not sequence.isEmpty()}


def test_f1_lists_every_shortcut_of_the_screen_in_front_and_of_the_window(
    qtbot: QtBot, session_for: SessionFor, ui_settings: Settings
) -> None:
    window = open_main_window(qtbot, session_for(Role.OWNER), ui_settings)
    window_keys = key_names(
        [s for a in window.findChildren(QAction) if a.parent() is window for s in a.shortcuts()]
    )
    for key, screen in window.screens.items():
        window.screen_actions[key].trigger()
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
        listed = listed_help(qtbot, window)
        screen_keys = key_names(
            [s.key() for s in screen.findChildren(QShortcut) if s.isEnabled()]
            + [b.shortcut() for b in screen.findChildren(QAbstractButton)]
        )
        assert {"F1", "F11", "Ctrl+Q"} <= window_keys
        assert window_keys | screen_keys == set(listed), key
        assert all(listed.values()), f"{key}: a shortcut without a description: {listed}"
    assert listed_help(qtbot, window)  # the last screen again: the dialog is made afresh

    window.screen_actions["checkout"].trigger()
    listed = listed_help(qtbot, window)
    assert (listed["F12"], listed["F2"], listed["Ctrl+1"]) == ("Pay", "Quantity", "Checkout")
    window.screen_actions["catalog"].trigger()
    assert "F12" not in listed_help(qtbot, window)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
