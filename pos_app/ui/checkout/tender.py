"""What the Pay dialog's fields mean: the payments to record, the change, or what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from pos_app.services.errors import ValidationError
from pos_app.services.money import ShopFormat
from pos_app.services.payments import CARD, CASH, PaymentIn, change_due, validate_payments
from pos_app.ui.translation import QT_TRANSLATE_NOOP, translated

DEFAULT_SHOP = ShopFormat()
TENDERED = "tendered"
CARD_AMOUNT = "card"


class Method(StrEnum):
    CASH = "cash"
    CARD = "card"
    SPLIT = "split"

    @property
    def label(self) -> str:
        return translated("Method", _LABELS[self])


_LABELS = {
    Method.CASH: QT_TRANSLATE_NOOP("Method", "Cash"),
    Method.CARD: QT_TRANSLATE_NOOP("Method", "Card"),
    Method.SPLIT: QT_TRANSLATE_NOOP("Method", "Card + cash"),
}


@dataclass(frozen=True)
class Tender:
    """The dialog's state: ``payments`` is empty while the sale cannot be confirmed."""

    payments: list[PaymentIn] = field(default_factory=list)
    cash_due_cents: int = 0
    tendered_cents: int | None = None
    change_cents: int = 0
    problem: str = ""
    problem_field: str = ""

    @property
    def ready(self) -> bool:
        return bool(self.payments)


def parse_amount(text: str, name: str, shop: ShopFormat = DEFAULT_SHOP) -> int | None:
    """Minor units typed in a field, None when empty; ValidationError when not an amount."""
    stripped = text.strip()
    if not stripped:
        return None
    return shop.parse_money(stripped, name)


def evaluate(
    method: Method,
    total_cents: int,
    *,
    card_text: str = "",
    tendered_text: str = "",
    shop: ShopFormat = DEFAULT_SHOP,
) -> Tender:
    """Payments for ``total_cents`` from the fields; an empty tendered field means exact cash."""
    if method is Method.CARD:
        return Tender(payments=[PaymentIn(CARD, total_cents)])
    card = 0
    if method is Method.SPLIT:
        try:
            card = parse_amount(card_text, CARD_AMOUNT, shop) or 0
        except ValidationError as error:
            return Tender(problem=error.message, problem_field=CARD_AMOUNT)
        if card <= 0:
            return Tender(
                problem=QCoreApplication.translate(
                    "checkout.tender", "Enter the amount paid by card."
                ),
                problem_field=CARD_AMOUNT,
            )
        if card > total_cents:
            return Tender(
                problem=QCoreApplication.translate(
                    "checkout.tender", "The card amount is more than the amount due."
                ),
                problem_field=CARD_AMOUNT,
            )
    due = total_cents - card
    try:
        typed = parse_amount(tendered_text, TENDERED, shop)
    except ValidationError as error:
        return Tender(cash_due_cents=due, problem=error.message, problem_field=TENDERED)
    tendered = due if typed is None else typed
    if tendered < due:
        return Tender(
            cash_due_cents=due,
            tendered_cents=tendered,
            problem=QCoreApplication.translate("checkout.tender", "still to pay"),
            problem_field=TENDERED,
        )
    payments = [PaymentIn(CARD, card)] if card else []
    if due > 0:
        payments.append(PaymentIn(CASH, due, tendered))
    try:
        applied = validate_payments(total_cents, payments, shop.currency)
    except ValidationError as error:
        return Tender(
            cash_due_cents=due,
            tendered_cents=tendered,
            problem=error.message,
            problem_field=error.field or TENDERED,
        )
    return Tender(
        payments=payments,
        cash_due_cents=due,
        tendered_cents=tendered,
        change_cents=change_due(applied),
    )
