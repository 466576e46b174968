"""Tenders: the payments of a sale cover its total exactly; cash may give change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.tenders import (
    CARD,
    CASH,
    MAX_PAYMENTS,
    PaymentIn,
    PaymentLine,
    change_due,
    validate_payments,
)


def test_cash_handed_over_gives_change() -> None:
    lines = validate_payments(1250, [PaymentIn(CASH, 1250, 2000)])
    assert lines == [PaymentLine(CASH, 1250, 2000, 750)]
    assert change_due(lines) == 750


def test_a_split_of_card_and_cash_covers_the_total() -> None:
    lines = validate_payments(1000, [PaymentIn(CARD, 600), PaymentIn(CASH, 400, 500)])
    assert lines == [PaymentLine(CARD, 600, 600, 0), PaymentLine(CASH, 400, 500, 100)]


def test_a_free_sale_needs_no_payment() -> None:
    assert validate_payments(0, []) == []


@pytest.mark.parametrize(
    ("total", "payments", "field", "message"),
    [
        (500, [], "payments", "Take a payment"),
        (500, [PaymentIn(CARD, 600)], "amount", "card payment cannot be more than the 5.00"),
        (500, [PaymentIn(CASH, 400)], "amount", "add up to 4.00 but the sale is 5.00"),
        (500, [PaymentIn(CASH, 500, 400)], "tendered", "4.00 handed over is less"),
        (500, [PaymentIn(CARD, 500, 600)], "tendered", "exact amount"),
        (500, [PaymentIn("cheque", 500)], "tender", "Pay by cash or card"),
        (500, [PaymentIn(CASH, 0), PaymentIn(CASH, 500)], "amount", "more than zero"),
        (500, [PaymentIn(CASH, True)], "amount", "whole number of cents"),
        (500, [PaymentIn(CASH, 50)] * (MAX_PAYMENTS + 1), "payments", "at most"),
        (500, "cash", "payments", "must be a list"),
    ],
)
def test_payments_that_misfit_name_the_field(
    total: int, payments: object, field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        validate_payments(total, payments)  # type: ignore[arg-type]
    assert raised.value.field == field


@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(1, 10**6), st.integers(0, 10**6)),
        min_size=1,
        max_size=MAX_PAYMENTS,
    )
)
def test_valid_payments_apply_the_total_and_change_is_what_cash_overpaid(
    raw: list[tuple[bool, int, int]],
) -> None:
    payments = [
        PaymentIn(CARD, amount) if card else PaymentIn(CASH, amount, amount + extra)
        for card, amount, extra in raw
    ]
    total = sum(payment.amount_cents for payment in payments)
    card = sum(payment.amount_cents for payment in payments if payment.tender == CARD)
    lines = validate_payments(total, payments)
    assert sum(line.amount_cents for line in lines) == total
    assert change_due(lines) == sum(extra for card_, _, extra in raw if not card_)
    assert sum(line.amount_cents for line in lines if line.tender == CARD) == card
