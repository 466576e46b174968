"""The discount dialog: a percentage or an amount with a reason, its effect shown as typed."""

from __future__ import annotations

from typing import Any

from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.services.money import format_money
from pos_app.ui.checkout.discount_dialog import DiscountDialog


def dialog_for(qtbot: Any, amount: int = 1250, current: Discount | None = None) -> DiscountDialog:
    dialog = DiscountDialog("Cola 330 ml, 5 units", amount, format_money, current)
    qtbot.addWidget(dialog)
    return dialog


def test_a_percentage_shows_its_effect_and_applies_with_a_reason(qtbot: Any) -> None:
    dialog = dialog_for(qtbot)
    dialog.value_field.setText("10")
    assert dialog.effect_label.text() == "Takes €1.25 off; €11.25 to pay."
    dialog.reason_field.setCurrentText("Damaged packaging")
    dialog.apply_button.click()
    assert dialog.result() == DiscountDialog.DialogCode.Accepted
    assert dialog.discount == Discount(DiscountKind.PERCENT, 1000, "Damaged packaging")


def test_an_amount_above_the_line_or_without_a_reason_is_refused_in_place(qtbot: Any) -> None:
    dialog = dialog_for(qtbot)
    dialog.kind_field.setCurrentIndex(dialog.kind_field.findData("amount"))
    dialog.value_field.setText("13.00")
    dialog.reason_field.setCurrentText("Goodwill")
    dialog.apply_button.click()
    assert dialog.error_label.text() == "The discount cannot be more than €12.50."
    dialog.value_field.setText("2.50")
    dialog.reason_field.setCurrentText("  ")
    dialog.apply_button.click()
    assert dialog.error_label.text() == "Enter a reason for the discount."
    assert dialog.result() != DiscountDialog.DialogCode.Accepted
    dialog.value_field.setText("abc")
    assert dialog.effect_label.text() == ""


def test_a_current_discount_is_shown_and_can_be_removed(qtbot: Any) -> None:
    current = Discount(DiscountKind.AMOUNT, 150, "Staff discount")
    dialog = dialog_for(qtbot, current=current)
    assert (dialog.value_field.text(), dialog.reason_field.currentText()) == (
        "1.50",
        "Staff discount",
    )
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    assert dialog.result() == DiscountDialog.DialogCode.Accepted
    assert dialog.discount is None
