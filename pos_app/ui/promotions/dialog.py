"""The form for one promotion: its name and kind, the deal, the days it runs, what it covers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from pos_app.domain.discounts import format_percent, parse_percent
from pos_app.domain.money import format_plain, parse_money
from pos_app.domain.promotions import MAX_GROUP, PromotionKind
from pos_app.services import promotions
from pos_app.services.promotion_drafts import PromotionDraft
from pos_app.services.promotions import PromotionInfo
from pos_app.ui.changes import Changes
from pos_app.ui.forms import ServiceDialog
from pos_app.ui.promotions.picker import TargetPicker
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.translation import day_entry_format

PERCENT, AMOUNT = "percent", "amount"
PAY_UNITS, GROUP_PRICE = "units", "price"
DEFAULT_DAYS = 7


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    widget = named(QComboBox(), name)
    for text, data in items:
        widget.addItem(text, data)
    return widget


def money_edit(name: str, placeholder: str = "0.00") -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(16)
    return edit


class PromotionDialog(ServiceDialog):
    """A new promotion, or a change to one that has not been ended."""

    changes = Changes(promotions=True)

    def __init__(
        self,
        session: UiSession,
        promotion: PromotionInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Change promotion") if promotion else self.tr("New promotion"), parent
        )
        self.setObjectName("promotionDialog")
        self.setMinimumWidth(640)
        self._session = session
        self._promotion = promotion
        self._build_ui()
        self._connect_signals()
        if promotion is not None:
            self._fill(promotion)
        self._on_kind_changed()
        self.name_field.setFocus()

    def _build_ui(self) -> None:
        self.name_field = named(QLineEdit(), "nameField")
        self.name_field.setMaxLength(120)
        self.name_field.setPlaceholderText(self.tr("e.g. Summer drinks, 3 for 2 crisps"))
        self.kind_field = combo("kindField", [(kind.label, kind.value) for kind in PromotionKind])
        self.deal_stack = named(QStackedWidget(), "dealStack")
        self.deal_stack.addWidget(self._price_cut_page())
        self.deal_stack.addWidget(self._multi_buy_page())
        self.deal_stack.addWidget(self._bundle_page())
        today = self._session.ctx.local_date(self._session.ctx.now())
        self.starts_field = self._date_edit("startsField", today)
        self.has_end_field = named(QCheckBox(self.tr("Last day")), "hasEndField")
        self.has_end_field.setChecked(True)
        self.ends_field = self._date_edit("endsField", today + timedelta(days=DEFAULT_DAYS - 1))
        days = QWidget()
        row = QHBoxLayout(days)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.starts_field)
        row.addSpacing(16)
        row.addWidget(self.has_end_field)
        row.addWidget(self.ends_field)
        row.addStretch(1)
        self.picker = TargetPicker(self._session)
        self.kind_hint = named(QLabel(), "kindHint")
        self.kind_hint.setWordWrap(True)
        set_role(self.kind_hint, "muted")
        add = self.errors.add_row
        add(self.form, self.tr("&Name"), self.name_field, "name")
        add(self.form, self.tr("&Type"), self.kind_field, "kind")
        add(self.form, self.tr("&Deal"), self.deal_stack, "value", ["price_cents"])
        add(self.form, self.tr("&First day"), days, "starts_on", ["ends_on"])
        add(self.form, self.tr("&Covers"), self.picker, "product_ids", ["category_ids"])
        self.form.addRow("", self.kind_hint)

    def _price_cut_page(self) -> QWidget:
        self.cut_mode_field = combo("cutModeField", [("% off", PERCENT), ("amount off", AMOUNT)])
        self.cut_value_field = money_edit("cutValueField", "e.g. 20 or 0.50")
        return _row(self.cut_value_field, self.cut_mode_field, QLabel(self.tr("per unit")))

    def _multi_buy_page(self) -> QWidget:
        self.buy_field = named(QSpinBox(), "buyField")
        self.buy_field.setRange(2, MAX_GROUP)
        self.buy_field.setValue(3)
        self.group_mode_field = combo(
            "groupModeField",
            [("for the price of", PAY_UNITS), ("for a price of", GROUP_PRICE)],
        )
        self.pay_field = named(QSpinBox(), "payField")
        self.pay_field.setRange(1, MAX_GROUP - 1)
        self.pay_field.setValue(2)
        self.group_price_field = money_edit("groupPriceField")
        return _row(QLabel(self.tr("Buy")), self.buy_field, self.group_mode_field, self.pay_field,
                    self.group_price_field)  # fmt: skip

    def _bundle_page(self) -> QWidget:
        self.bundle_price_field = money_edit("bundlePriceField")
        return _row(QLabel(self.tr("One of each chosen product for")), self.bundle_price_field)

    @staticmethod
    def _date_edit(name: str, day: date) -> QDateEdit:
        edit = named(QDateEdit(), name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(day_entry_format())
        edit.setDate(qdate(day))
        edit.setMinimumWidth(120)
        return edit

    def _connect_signals(self) -> None:
        self.kind_field.currentIndexChanged.connect(self._on_kind_changed)
        self.group_mode_field.currentIndexChanged.connect(self._on_group_mode_changed)
        self.has_end_field.toggled.connect(self.ends_field.setEnabled)

    # -- filling and reading ------------------------------------------------------------------

    def _fill(self, promotion: PromotionInfo) -> None:
        self.name_field.setText(promotion.name)
        self.kind_field.setCurrentIndex(self.kind_field.findData(promotion.kind.value))
        self.starts_field.setDate(qdate(promotion.starts_on))
        self.has_end_field.setChecked(promotion.ends_on is not None)
        if promotion.ends_on is not None:
            self.ends_field.setDate(qdate(promotion.ends_on))
        if promotion.percent_bp is not None:
            self.cut_value_field.setText(format_percent(promotion.percent_bp).removesuffix(" %"))
        if promotion.amount_cents is not None:
            self.cut_mode_field.setCurrentIndex(self.cut_mode_field.findData(AMOUNT))
            self.cut_value_field.setText(format_plain(promotion.amount_cents))
        if promotion.buy_quantity is not None:
            self.buy_field.setValue(promotion.buy_quantity)
        if promotion.pay_quantity is not None:
            self.pay_field.setValue(promotion.pay_quantity)
        if promotion.price_cents is not None:
            price = format_plain(promotion.price_cents)
            self.group_price_field.setText(price)
            self.bundle_price_field.setText(price)
            if promotion.kind is PromotionKind.MULTI_BUY:
                self.group_mode_field.setCurrentIndex(self.group_mode_field.findData(GROUP_PRICE))
        self.picker.set_targets(promotion.targets)

    def kind(self) -> PromotionKind:
        return PromotionKind(self.kind_field.currentData())

    def draft(self) -> PromotionDraft:
        """What the form says, as the service takes it; a typing mistake names its field."""
        kind = self.kind()
        draft = PromotionDraft(
            self.name_field.text(),
            kind,
            pydate(self.starts_field.date()),
            pydate(self.ends_field.date()) if self.has_end_field.isChecked() else None,
            self.picker.product_ids(),
            self.picker.category_ids(),
        )
        if kind is PromotionKind.PRICE_CUT:
            text = self.cut_value_field.text()
            if self.cut_mode_field.currentData() == PERCENT:
                return replace(draft, percent_bp=parse_percent(text))
            return replace(draft, amount_cents=parse_money(text, "value"))
        if kind is PromotionKind.MULTI_BUY:
            buy = self.buy_field.value()
            if self.group_mode_field.currentData() == PAY_UNITS:
                return replace(draft, buy_quantity=buy, pay_quantity=self.pay_field.value())
            price = parse_money(self.group_price_field.text(), "value")
            return replace(draft, buy_quantity=buy, price_cents=price)
        return replace(draft, price_cents=parse_money(self.bundle_price_field.text(), "value"))

    def _operation(self) -> Callable[[], Any]:
        ctx, actor, draft = self._session.ctx, self._session.user, self.draft()
        if self._promotion is None:
            return lambda: promotions.create_promotion(ctx, actor, draft)
        promotion_id = self._promotion.id
        return lambda: promotions.update_promotion(ctx, actor, promotion_id, draft)

    # -- slots --------------------------------------------------------------------------------

    def _on_kind_changed(self) -> None:
        kind = self.kind()
        self.deal_stack.setCurrentIndex(list(PromotionKind).index(kind))
        self.kind_hint.setText(_HINTS[kind])
        self._on_group_mode_changed()

    def _on_group_mode_changed(self) -> None:
        by_units = self.group_mode_field.currentData() == PAY_UNITS
        self.pay_field.setVisible(by_units)
        self.group_price_field.setVisible(not by_units)


_HINTS = {
    PromotionKind.PRICE_CUT: "Takes the percentage or amount off every unit of the products "
    "and categories it covers.",
    PromotionKind.MULTI_BUY: "Counts the units of each product line: '3 for the price of 2' "
    "makes every third unit free; a group never mixes products.",
    PromotionKind.BUNDLE: "Prices one of each chosen product together; choose products only.",
}


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return holder
