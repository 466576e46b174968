"""Weighed goods at the till: scale labels, the weight dialog, kg in the cart, on the receipt
and in a refund."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from pos_app.domain.promotions import PromotionKind
from pos_app.domain.weights import TIMES
from pos_app.services import catalog, checkout, promotions
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.promotion_drafts import PromotionDraft
from pos_app.services.roles import Role
from pos_app.ui.checkout.cart_model import Column as CartColumn
from pos_app.ui.checkout.weight_dialog import WeightDialog
from pos_app.ui.refunds import RefundsScreen
from pos_app.ui.refunds.lines_model import Column as RefundColumn
from pos_app.ui.session import UiSession
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def cashier(session_for: SessionFor) -> UiSession:
    return session_for(Role.CASHIER)


@pytest.fixture
def cheese(session_for: SessionFor, products: dict[str, ProductInfo]) -> ProductInfo:
    manager = session_for(Role.MANAGER)
    return catalog.create_product(
        manager.ctx, manager.user, name="Gouda", category_id=products["CRISP-SALT"].category_id,
        sku="GOUDA", price_cents=1290, sold_by="weight", scale_code=12345, initial_stock=5_250,
    )  # fmt: skip


def label(ctx: ServiceContext, prefix: str, value: int) -> str:
    rule = ctx.scale_label_layout.rule_for(prefix)
    assert rule is not None
    return rule.make(prefix, 12345, value)


def cart_cell(screen: Any, row: int, column: CartColumn) -> Any:
    return screen.cart_model.index(row, column).data()


def test_a_weight_label_adds_its_weight_shown_in_kg_at_the_price_per_kg_and_sells(
    qtbot: QtBot, cashier: UiSession, cheese: ProductInfo
) -> None:
    screen = open_checkout(qtbot, cashier)
    scan(qtbot, screen, label(cashier.ctx, "28", 455))
    assert cart_cell(screen, 0, CartColumn.QTY) == "0.455 kg"
    assert cart_cell(screen, 0, CartColumn.UNIT_PRICE) == "€12.90/kg"
    assert cart_cell(screen, 0, CartColumn.LINE_TOTAL) == "€5.87"
    assert screen.total_label.text() == "€5.87"
    assert "Added Gouda (0.455 kg)" in screen.message_label.text()
    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert f"0.455 kg {TIMES} €12.90/kg" in receipt.plain_text()
    assert catalog.get_product(cashier.ctx, cashier.user, cheese.id).quantity == 5_250 - 455


def test_a_price_label_is_charged_its_price(
    qtbot: QtBot, cashier: UiSession, cheese: ProductInfo
) -> None:
    screen = open_checkout(qtbot, cashier)
    scan(qtbot, screen, label(cashier.ctx, "21", 590))
    assert cart_cell(screen, 0, CartColumn.QTY) == "0.457 kg"
    assert screen.total_label.text() == "€5.90"
    assert screen.cart_model.cart.purchase_lines() == [PurchaseLine(cheese.id, 457, 590)]


def test_typing_a_weighed_products_code_asks_its_weight(
    qtbot: QtBot, cashier: UiSession, cheese: ProductInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, int]] = []
    answers = iter([None, 1_200, 300])

    def ask(name: str, price: int, *_args: object) -> int | None:
        asked.append((name, price))
        return next(answers)

    monkeypatch.setattr(WeightDialog, "ask", staticmethod(ask))
    screen = open_checkout(qtbot, cashier)
    scan(qtbot, screen, "gouda")
    assert screen.cart_model.is_empty()  # went back from the dialog
    scan(qtbot, screen, "12345")  # the scale code typed
    assert asked == [("Gouda", 1290), ("Gouda", 1290)]
    assert cart_cell(screen, 0, CartColumn.QTY) == "1.200 kg"
    assert screen.total_label.text() == "€15.48"
    screen.cart_view.select(0)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F2)  # the quantity key weighs again
    assert cart_cell(screen, 0, CartColumn.QTY) == "0.300 kg"
    assert screen.cart_view.findChild(QSpinBox, "quantityEditor") is None
    assert screen.total_label.text() == "€3.87"
    qtbot.waitUntil(screen.scan_field.hasFocus)


def test_a_bad_label_is_reported_and_the_cart_is_unchanged(
    qtbot: QtBot, cashier: UiSession, cheese: ProductInfo
) -> None:
    screen = open_checkout(qtbot, cashier)
    good = label(cashier.ctx, "28", 455)
    scan(qtbot, screen, good[:-1] + str((int(good[-1]) + 1) % 10))
    assert screen.cart_model.is_empty()
    assert "check digit is wrong" in screen.message_label.text()


def test_a_weighed_line_is_refunded_by_the_gram_for_its_share(
    qtbot: QtBot, cashier: UiSession, cheese: ProductInfo
) -> None:
    sold = checkout.purchase(cashier.ctx, cashier.user, [PurchaseLine(cheese.id, 457, 590)])
    assert sold.sale_id is not None
    screen = RefundsScreen(cashier)
    qtbot.addWidget(screen)
    screen.resize(1000, 640)
    screen.show()
    qtbot.waitExposed(screen)
    screen.number_edit.setText(f"R{sold.sale_id:08d}")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt is not None)
    assert screen.model.index(0, RefundColumn.SOLD).data() == "0.457 kg"
    assert screen.model.index(0, RefundColumn.UNIT_PRICE).data() == "€12.90/kg"
    spin = screen.lines_view.spin_box(0)
    assert spin is not None and spin.maximum() == 457 and spin.suffix() == " g"
    spin.setValue(200)
    assert screen.model.index(0, RefundColumn.AMOUNT).data() == "€2.58"
    screen.reason_field.setEditText("Changed mind")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    refund = screen.last_refund
    assert refund is not None and refund.total_cents == 258
    qtbot.waitUntil(lambda: screen.model.index(0, RefundColumn.RETURNABLE).data() == "0.257 kg")
    assert "0.200 kg" in screen.preview.toPlainText()
    assert catalog.get_product(cashier.ctx, cashier.user, cheese.id).quantity == 5_250 - 257


def test_a_price_cut_shows_on_a_weighed_line_and_is_charged_as_shown(
    qtbot: QtBot, session_for: SessionFor, cashier: UiSession, cheese: ProductInfo
) -> None:
    manager = session_for(Role.MANAGER)
    today = manager.ctx.local_date(manager.ctx.now())
    promotions.create_promotion(
        manager.ctx, manager.user,
        PromotionDraft(
            "Cheese week", PromotionKind.PRICE_CUT, today, today + timedelta(days=6),
            product_ids=frozenset({cheese.id}), percent_bp=2000,
        ),
    )  # fmt: skip
    screen = open_checkout(qtbot, cashier)
    screen.refresh()
    scan(qtbot, screen, label(cashier.ctx, "28", 455))
    # 0.455 kg at 12.90 is 5.87; 20 % of that is 1.17.
    assert cart_cell(screen, 0, CartColumn.DISCOUNT) == "-€1.17"
    assert cart_cell(screen, 0, CartColumn.LINE_TOTAL) == "€4.70"
    assert screen.total_label.text() == "€4.70"
    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert receipt.receipt.total_cents == 470
    assert receipt.receipt.saved_cents == 117
    assert f"0.455 kg {TIMES} €12.90/kg" in receipt.plain_text()
