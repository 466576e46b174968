from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pos_app.db.models import Payment
from pos_app.services import receipts
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.payments import PaymentIn, PaymentLine, change_due, validate_payments
from tests.services.shop_day import make_shop, sell


def test_exact_cash_needs_no_tendered_amount() -> None:
    assert validate_payments(1250, [PaymentIn("cash", 1250)]) == [
        PaymentLine("cash", 1250, 1250, 0)
    ]


def test_cash_handed_over_gives_change() -> None:
    lines = validate_payments(3250, [PaymentIn("cash", 3250, 5000)])
    assert lines == [PaymentLine("cash", 3250, 5000, 1750)]
    assert change_due(lines) == 1750


def test_cash_and_card_split_the_total() -> None:
    lines = validate_payments(3250, [PaymentIn("card", 1000), PaymentIn("cash", 2250, 3000)])
    assert [line.amount_cents for line in lines] == [1000, 2250]
    assert change_due(lines) == 750


def test_too_little_cash_names_the_tendered_field() -> None:
    with pytest.raises(ValidationError) as error:
        validate_payments(1250, [PaymentIn("cash", 1250, 1000)])
    assert error.value.field == "tendered"


def test_a_card_cannot_pay_more_than_is_owed() -> None:
    with pytest.raises(ValidationError, match="card") as error:
        validate_payments(1250, [PaymentIn("card", 2000)])
    assert error.value.field == "amount"
    with pytest.raises(ValidationError, match="card"):
        validate_payments(1250, [PaymentIn("cash", 1000), PaymentIn("card", 1300)])


def test_payments_must_add_up_to_the_total() -> None:
    with pytest.raises(ValidationError, match="add up") as error:
        validate_payments(1250, [PaymentIn("cash", 1000)])
    assert error.value.field == "amount"
    with pytest.raises(ValidationError):
        validate_payments(1250, [])
    assert validate_payments(0, []) == []


@pytest.mark.parametrize(
    "payment",
    [
        PaymentIn("cheque", 100),
        PaymentIn("cash", 0),
        PaymentIn("cash", -100),
        PaymentIn("cash", 1.5),  # type: ignore[arg-type]
        PaymentIn("cash", "100"),  # type: ignore[arg-type]
        PaymentIn("cash", 100, 10**15),
        PaymentIn("card", 100, 200),
        ("cash", 100),
    ],
)
def test_malformed_payments_are_validation_errors(payment: object) -> None:
    with pytest.raises(ValidationError):
        validate_payments(100, [payment])  # type: ignore[list-item]


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(1, 10**6),
    card_share=st.floats(0, 1),
    extra=st.integers(0, 10**5),
)
def test_any_valid_split_balances(total: int, card_share: float, extra: int) -> None:
    card = int(total * card_share)
    cash = total - card
    paid = [PaymentIn("card", card)] if card else []
    if cash:
        paid.append(PaymentIn("cash", cash, cash + extra))
    lines = validate_payments(total, paid)
    assert sum(line.amount_cents for line in lines) == total
    assert all(line.tendered_cents == line.amount_cents + line.change_cents for line in lines)
    assert change_due(lines) == (extra if cash else 0)


def test_a_sale_records_its_payments_and_change(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(
        ctx,
        shop.cashier,
        [(shop.wine, 2)],
        [PaymentIn("card", 1000), PaymentIn("cash", 1500, 2000)],
    )
    with ctx.unit_of_work(readonly=True) as session:
        stored = session.scalars(select(Payment).where(Payment.sale_id == sale_id)).all()
        assert sorted((p.tender, p.amount_cents, p.change_cents) for p in stored) == [
            ("card", 1000, 0),
            ("cash", 1500, 500),
        ]
    receipt = receipts.get_receipt(ctx, shop.cashier, sale_id)
    assert receipt.change_cents == 500
    assert [p.tender for p in receipt.payments] == ["card", "cash"]
