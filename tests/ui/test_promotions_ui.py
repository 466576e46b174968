"""The promotions screen: list, create with the picker, change, end, and errors in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from pos_app.domain.promotions import PromotionKind
from pos_app.services import promotions
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.promotion_drafts import PromotionDraft
from pos_app.services.promotions import PromotionStatus
from pos_app.services.roles import Role
from pos_app.ui.promotions import PromotionsScreen
from pos_app.ui.promotions.dialog import AMOUNT, GROUP_PRICE, PromotionDialog, qdate
from pos_app.ui.promotions.screen import PromotionColumn
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from tests.ui.conftest import ScreenOpener

SessionFor = Callable[[Role], UiSession]


def settle(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


@pytest.fixture
def manager(session_for: SessionFor) -> UiSession:
    return session_for(Role.MANAGER)


@pytest.fixture
def screen(screen_opener: ScreenOpener, manager: UiSession) -> PromotionsScreen:
    built = screen_opener(PromotionsScreen, manager)
    assert isinstance(built, PromotionsScreen)
    return built


def pick(qtbot: Any, dialog: PromotionDialog, text: str) -> None:
    """Search the picker and add the first result with Enter, as a person at the keyboard."""
    results = dialog.picker.results
    dialog.picker.search_field.setText(text)
    dialog.picker.search_now()
    qtbot.waitUntil(
        lambda: results.count() > 0 and text.lower() in results.item(0).text().lower(),
        timeout=5000,
    )
    dialog.picker.search_field.returnPressed.emit()


def running_cut(ctx: ServiceContext, session: UiSession, product: ProductInfo) -> None:
    today = ctx.local_date(ctx.now())
    promotions.create_promotion(
        ctx,
        session.user,
        PromotionDraft(
            "Cola days", PromotionKind.PRICE_CUT, today, today + timedelta(days=3),
            product_ids=frozenset({product.id}), percent_bp=1000,
        ),
    )  # fmt: skip


def test_a_manager_creates_a_price_cut_with_the_keyboard_picker(
    qtbot: Any, screen: PromotionsScreen, products: dict[str, ProductInfo]
) -> None:
    assert screen.promotions.rowCount() == 0
    dialog = screen.open_dialog()
    dialog.name_field.setText("Snack week")
    dialog.cut_value_field.setText("15")
    pick(qtbot, dialog, "Snacks")
    pick(qtbot, dialog, "Cola")
    assert [t.name for t in dialog.picker.targets()] == ["Snacks (category)", "Cola 330 ml"]
    with qtbot.waitSignal(screen.message, timeout=5000) as shown:
        dialog.save_button.click()
    settle(qtbot)
    assert shown.args == ["Saved the promotion Snack week (15 % off).", False]
    created = screen.selected_promotion()
    assert created is not None and created.status is PromotionStatus.RUNNING
    assert created.product_ids == {products["COLA-330"].id}
    index = screen.promotions.index(0, PromotionColumn.COVERS)
    assert screen.promotions.data(index) == "Cola 330 ml, Snacks (category)"


def test_a_multi_buy_for_a_price_and_a_bundle_are_entered(
    qtbot: Any, screen: PromotionsScreen
) -> None:
    dialog = screen.open_dialog()
    dialog.name_field.setText("2 for 2.50")
    dialog.kind_field.setCurrentIndex(dialog.kind_field.findData(PromotionKind.MULTI_BUY.value))
    assert dialog.deal_stack.currentIndex() == 1
    dialog.buy_field.setValue(2)
    dialog.group_mode_field.setCurrentIndex(dialog.group_mode_field.findData(GROUP_PRICE))
    assert dialog.group_price_field.isVisibleTo(dialog) and not dialog.pay_field.isVisibleTo(dialog)
    dialog.group_price_field.setText("2.50")
    pick(qtbot, dialog, "water")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    settle(qtbot)
    bundle = screen.open_dialog()
    bundle.name_field.setText("Movie night")
    bundle.kind_field.setCurrentIndex(bundle.kind_field.findData(PromotionKind.BUNDLE.value))
    bundle.bundle_price_field.setText("3.99")
    pick(qtbot, bundle, "Cola")
    pick(qtbot, bundle, "Crisps")
    with qtbot.waitSignal(bundle.saved, timeout=5000):
        bundle.save_button.click()
    settle(qtbot)
    deals = [
        screen.promotions.data(screen.promotions.index(r, PromotionColumn.DEAL)) for r in (0, 1)
    ]
    assert sorted(deals) == ["2 for 2.50", "bundle for 3.99"]


def test_mistakes_show_next_to_their_field(qtbot: Any, screen: PromotionsScreen) -> None:
    dialog = screen.open_dialog()
    dialog.cut_value_field.setText("ten")
    dialog.save_button.click()
    assert "percentage" in dialog.errors.message("value")
    dialog.cut_value_field.setText("10")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("name") != "", timeout=5000)
    assert dialog.errors.message("name") == "Enter a promotion name."
    dialog.name_field.setText("Nothing chosen")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("product_ids") != "", timeout=5000)
    assert "at least one product or category" in dialog.errors.message("product_ids")
    dialog.ends_field.setDate(dialog.starts_field.date().addDays(-1))
    pick(qtbot, dialog, "Cola")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("ends_on") != "", timeout=5000)
    settle(qtbot)
    assert dialog.isVisible()


def test_enter_on_a_row_changes_the_promotion(
    qtbot: Any,
    screen: PromotionsScreen,
    manager: UiSession,
    products: dict[str, ProductInfo],
) -> None:
    running_cut(manager.ctx, manager, products["COLA-330"])
    screen.refresh()
    settle(qtbot)
    screen.view.activated.emit(screen.promotions.index(0, 0))
    dialog = screen.findChild(PromotionDialog)
    assert dialog is not None and dialog.windowTitle() == "Change promotion"
    assert dialog.cut_value_field.text() == "10"
    assert [t.name for t in dialog.picker.targets()] == ["Cola 330 ml"]
    dialog.cut_mode_field.setCurrentIndex(dialog.cut_mode_field.findData(AMOUNT))
    dialog.cut_value_field.setText("0.20")
    dialog.picker.chosen.setCurrentRow(0)
    dialog.picker.remove_button.click()
    pick(qtbot, dialog, "water")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    settle(qtbot)
    changed = screen.selected_promotion()
    assert (
        changed is not None
        and changed.deal == "0.20 off"
        and changed.covers == "Still water 500 ml"
    )


def test_ending_a_promotion_asks_first_and_moves_it_to_the_past(
    qtbot: Any,
    screen: PromotionsScreen,
    manager: UiSession,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running_cut(manager.ctx, manager, products["COLA-330"])
    screen.refresh()
    settle(qtbot)
    answers = iter([False, True])
    monkeypatch.setattr(screen, "confirm_end", lambda _promotion: next(answers))
    screen.end_button.click()
    assert pending_tasks() == 0
    with qtbot.waitSignal(screen.message, timeout=5000):
        screen.end_button.click()
    settle(qtbot)
    assert screen.promotions.rowCount() == 0
    screen.past_field.setChecked(True)
    settle(qtbot)
    ended = screen.promotions.row_at(screen.promotions.index(0, 0))
    assert ended is not None and ended.status is PromotionStatus.ENDED
    screen.view.selectRow(0)
    assert not screen.edit_button.isEnabled() and not screen.end_button.isEnabled()


def test_the_insert_key_opens_a_new_promotion(qtbot: Any, screen: PromotionsScreen) -> None:
    with qtbot.waitActive(screen):
        screen.show()
        screen.activateWindow()
    screen.view.setFocus()
    qtbot.keyClick(screen.view, Qt.Key.Key_Insert)
    dialog = screen.findChild(PromotionDialog)
    assert dialog is not None and dialog.windowTitle() == "New promotion"
    today = screen._session.ctx.local_date(screen._session.ctx.now())
    assert dialog.starts_field.date() == qdate(today)
    dialog.reject()


def test_a_cashier_sees_no_buttons_to_press(
    screen_opener: ScreenOpener, session_for: SessionFor
) -> None:
    built = screen_opener(PromotionsScreen, session_for(Role.CASHIER))
    assert isinstance(built, PromotionsScreen)
    assert not built.new_button.isEnabled()
    assert built.hint_label.text() == "Only managers and owners can manage promotions."


def test_the_dialog_fits_a_small_till_screen(qtbot: Any, screen: PromotionsScreen) -> None:
    dialog = screen.open_dialog()
    dialog.adjustSize()
    size = dialog.sizeHint()
    assert size.width() <= 1024 and size.height() <= 700
    dialog.reject()


def test_the_days_of_a_promotion_read_as_the_shop_writes_dates(
    qtbot: Any,
    screen_opener: ScreenOpener,
    manager: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    running_cut(ui_ctx, manager, products["COLA-330"])
    screen = screen_opener(PromotionsScreen, manager)
    assert isinstance(screen, PromotionsScreen)
    qtbot.waitUntil(lambda: screen.promotions.rowCount() == 1, timeout=5000)
    today = ui_ctx.local_date(ui_ctx.now())
    starts = screen.promotions.data(screen.promotions.index(0, PromotionColumn.FROM))
    ends = screen.promotions.data(screen.promotions.index(0, PromotionColumn.UNTIL))
    assert starts == manager.fmt.date(today)
    assert ends == manager.fmt.date(today + timedelta(days=3))
