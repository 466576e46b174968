"""No cart is ever lost: logging out or quitting asks about it, and a crash gives it back."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.services import audit, held_sales, open_cart
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui import leave_guard
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.checkout import cart_keeper as keeper_module
from pos_app.ui.checkout.cart_keeper import BACK, PARK, RESTORE, VOID
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def window_with_cart(
    qtbot: QtBot, ui_settings: Settings, session_for: SessionFor
) -> Iterator[tuple[MainWindow, CheckoutScreen]]:
    window = MainWindow(session_for(Role.CASHIER), ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    scan(qtbot, checkout, "COLA-330")
    scan(qtbot, checkout, "3*WATER-500")
    assert checkout.cart_model.rowCount() == 2
    yield window, checkout
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    checkout.sale.reset()  # so closing the window at the end asks nothing


def answer(monkeypatch: pytest.MonkeyPatch, choice: str, asked: list[str]) -> None:
    def ask(parent: object, lines: int, total: str, leaving: str) -> str:
        asked.append(f"{leaving}: {lines} line(s), {total}")
        return choice

    monkeypatch.setattr(leave_guard, "ask_open_cart", ask)


def void_entries(ctx: ServiceContext, session_for: SessionFor) -> list[audit.AuditEvent]:
    owner = session_for(Role.OWNER).user
    return audit.list_audit(ctx, owner, action=audit.VOID_CART).items


def test_going_back_from_log_out_keeps_the_window_and_the_cart(
    qtbot: QtBot,
    window_with_cart: tuple[MainWindow, CheckoutScreen],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, checkout = window_with_cart
    asked: list[str] = []
    answer(monkeypatch, BACK, asked)
    window.logout_action.trigger()
    assert asked == ["log out: 2 line(s), €4.47"]
    assert window.isVisible() and checkout.cart_model.rowCount() == 2


def test_voiding_at_log_out_records_every_line_then_logs_out(
    qtbot: QtBot,
    window_with_cart: tuple[MainWindow, CheckoutScreen],
    monkeypatch: pytest.MonkeyPatch,
    ui_ctx: ServiceContext,
    session_for: SessionFor,
    products: dict[str, object],
) -> None:
    window, checkout = window_with_cart
    answer(monkeypatch, VOID, [])
    with qtbot.waitSignal(window.logged_out, timeout=5000):
        window.logout_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible())
    [entry] = void_entries(ui_ctx, session_for)
    assert entry.detail["amount_cents"] == 447 and entry.detail["reason"] == "log out or quit"
    assert [(line["quantity"], line["unit_price_cents"]) for line in entry.detail["lines"]] == [
        (1, 150),
        (3, 99),
    ]
    assert checkout.cart_keeper.flush() and not checkout.cart_keeper.path.exists()


def test_quitting_with_ctrl_q_parks_the_cart_for_any_till(
    qtbot: QtBot,
    window_with_cart: tuple[MainWindow, CheckoutScreen],
    monkeypatch: pytest.MonkeyPatch,
    ui_ctx: ServiceContext,
    session_for: SessionFor,
) -> None:
    window, _checkout = window_with_cart
    asked: list[str] = []
    answer(monkeypatch, PARK, asked)
    window.quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert asked == ["quit: 2 line(s), €4.47"]
    [held] = held_sales.list_held(ui_ctx, session_for(Role.CASHIER).user)
    assert [(line.sku, line.quantity) for line in held.lines] == [("COLA-330", 1), ("WATER-500", 3)]
    assert held.label.startswith("Parked at log-out")


def test_closing_the_window_asks_too_and_going_back_keeps_it_open(
    qtbot: QtBot,
    window_with_cart: tuple[MainWindow, CheckoutScreen],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, checkout = window_with_cart
    asked: list[str] = []
    answer(monkeypatch, BACK, asked)
    window.close()
    qtbot.waitUntil(lambda: asked == ["quit: 2 line(s), €4.47"])
    assert window.isVisible() and checkout.cart_model.rowCount() == 2


def test_log_out_from_the_lock_screen_asks_and_going_back_stays_locked(
    qtbot: QtBot,
    window_with_cart: tuple[MainWindow, CheckoutScreen],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, checkout = window_with_cart
    asked: list[str] = []
    answer(monkeypatch, BACK, asked)
    window.lock()
    lock = window.lock_dialog
    assert lock is not None
    qtbot.waitUntil(lock.isVisible)
    lock.logout_button.click()
    assert asked == ["log out: 2 line(s), €4.47"]
    assert lock.isVisible() and window.lock_dialog is lock
    assert checkout.cart_model.rowCount() == 2


def test_the_cart_is_kept_on_disk_while_rung_up_and_offered_back_after_a_crash(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier = session_for(Role.CASHIER)
    first = open_checkout(qtbot, cashier)
    scan(qtbot, first, "2*COLA-330")
    path = first.cart_keeper.path
    assert first.cart_keeper.flush()  # written off the UI thread
    assert path.parent == ui_settings.data_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    assert stored["sale_uuid"] == first.sale_uuid
    assert [(line["name"], line["quantity"]) for line in stored["lines"]] == [("Cola 330 ml", 2)]
    key = first.sale_uuid
    first.hide()  # the till dies: nothing settles the cart

    asked: list[str] = []

    def ask(parent: object, cart: open_cart.OpenCart, total: str, when: str) -> str:
        asked.append(f"{len(cart.lines)} line(s), {total}, {cart.user_name}")
        return RESTORE

    monkeypatch.setattr(keeper_module, "ask_restore", ask)
    again = open_checkout(qtbot, session_for(Role.CASHIER))
    qtbot.waitUntil(lambda: again.cart_model.rowCount() == 1)
    assert asked == ["1 line(s), €3.00, Cara Cashier"]
    assert again.sale_uuid == key and again.cart_model.line(0).quantity == 2
    qtbot.waitUntil(lambda: not again.busy)  # today's promotions are read for the cart
    receipt = confirm(qtbot, again, open_pay(qtbot, again))
    assert receipt is not None
    qtbot.waitUntil(lambda: not path.exists())


def test_a_cart_found_after_a_crash_can_be_voided_with_every_line_audited(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, first, "CHOC-MILK")
    path = first.cart_keeper.path
    first.hide()
    monkeypatch.setattr(keeper_module, "ask_restore", lambda *args: VOID)
    again = open_checkout(qtbot, session_for(Role.CASHIER))
    qtbot.waitUntil(lambda: not path.exists())
    qtbot.waitUntil(lambda: not again.busy)
    assert again.cart_model.is_empty()
    [entry] = void_entries(ui_ctx, session_for)
    assert entry.detail["reason"] == "unfinished sale found at start"
    assert [line["unit_price_cents"] for line in entry.detail["lines"]] == [249]


def test_a_cart_found_after_a_crash_is_offered_at_the_total_the_cashier_saw(
    qtbot: QtBot,
    session_for: SessionFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, first, "2*COLA-330")
    first.cart_model.set_cart_discount(Discount(DiscountKind.PERCENT, 1000, "Regular"))
    shown = first.cart_model.total_cents
    assert shown == 270
    assert first.cart_keeper.flush()
    first.hide()

    asked: list[str] = []

    def ask(parent: object, cart: open_cart.OpenCart, total: str, when: str) -> str:
        asked.append(total)
        return RESTORE

    monkeypatch.setattr(keeper_module, "ask_restore", ask)
    again = open_checkout(qtbot, session_for(Role.CASHIER))
    qtbot.waitUntil(lambda: again.cart_model.rowCount() == 1)
    assert asked == ["€2.70"]
    again.sale.reset()
