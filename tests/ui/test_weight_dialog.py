"""The weight dialog: keyboard first, the amount shown as the weight is typed, errors in place."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from pos_app.domain.weights import TIMES
from pos_app.services.money import ShopFormat
from pos_app.ui.checkout.weight_dialog import WeightDialog


@pytest.fixture
def dialog(qtbot: Any) -> WeightDialog:
    widget = WeightDialog("Gouda", 1290, ShopFormat())
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_typing_a_weight_shows_the_amount_and_enter_adds_it(
    qtbot: Any, dialog: WeightDialog
) -> None:
    assert dialog.focusWidget() is dialog.weight_edit
    qtbot.keyClicks(dialog.weight_edit, "0,455")
    assert dialog.amount_label.text() == f"0.455 kg {TIMES} €12.90/kg = €5.87"
    qtbot.keyClick(dialog.weight_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.grams == 455


def test_grams_are_understood_too(qtbot: Any, dialog: WeightDialog) -> None:
    dialog.weight_edit.setText("1200 g")
    dialog.add_button.click()
    assert dialog.grams == 1200


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Enter a weight"), ("0", "more than zero"), ("0.4555", "three decimals")],
)
def test_a_bad_weight_is_shown_in_place_and_nothing_is_added(
    qtbot: Any, dialog: WeightDialog, typed: str, message: str
) -> None:
    dialog.weight_edit.setText(typed)
    dialog.add_button.click()
    assert dialog.isVisible() and dialog.grams is None
    assert message in dialog.error_label.text() and not dialog.error_label.isHidden()
    assert dialog.amount_label.text() == ""


def test_escape_goes_back_without_a_weight(qtbot: Any, dialog: WeightDialog) -> None:
    dialog.weight_edit.setText("0.5")
    qtbot.keyClick(dialog.weight_edit, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.grams is None
