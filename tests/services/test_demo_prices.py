"""A demo shop in yen or Bahraini dinars gets prices, a float and notes of that currency."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from pos_app.db.models import Payment, Product, Shift
from pos_app.services import demo_data
from pos_app.services.context import ServiceContext
from pos_app.services.demo_prices import DemoMoney


def _prices(ctx: ServiceContext) -> dict[str, int]:
    with ctx.unit_of_work(readonly=True) as session:
        return {
            name: price
            for name, price in session.execute(select(Product.name, Product.price_cents))
        }


def test_a_yen_shop_sells_bread_for_hundreds_of_yen_in_steps_of_ten(ctx: ServiceContext) -> None:
    yen = replace(ctx, currency="JPY", locale="ja_JP")
    demo_data.seed_demo(yen, sales=120, days=5)
    prices = _prices(yen)
    assert prices["Sourdough loaf"] == 690  # €4.29 at about 160 yen
    assert prices["Cola 0.5 l"] == 250
    assert all(price % 10 == 0 and 10 <= price <= 100_000 for price in prices.values())
    with yen.unit_of_work(readonly=True) as session:
        floats = set(session.scalars(select(Shift.float_cents)))
        handed = session.execute(
            select(Payment.tendered_cents, Payment.amount_cents).where(Payment.tender == "cash")
        ).all()
    assert floats == {16_000}
    assert all(tendered == amount or tendered % 1000 == 0 for tendered, amount in handed), (
        "cash is the exact amount or whole thousand-yen notes"
    )


def test_a_bahraini_shop_prices_to_five_fils(ctx: ServiceContext) -> None:
    dinars = replace(ctx, currency="BHD", locale="ar_BH")
    demo_data.seed_demo(dinars, sales=0)
    prices = _prices(dinars)
    assert prices["Sourdough loaf"] == 1_760  # BHD 1.760
    assert prices["Cola 0.5 l"] == 650  # BHD 0.650
    assert all(price % 5 == 0 and 5 <= price <= 50_000 for price in prices.values())


@pytest.mark.parametrize(
    ("currency", "euro_cents", "price"),
    [
        ("EUR", 429, 429),
        ("JPY", 429, 690),
        ("KWD", 159, 525),
        ("CHF", 159, 160),
        ("CLP", 159, 160),  # not in the table, no minor units: hundreds per euro, to ten
        ("TND", 159, 635),  # not in the table, three decimals
        ("JPY", 1, 10),  # never free
    ],
)
def test_a_list_price_becomes_a_sensible_price_of_the_currency(
    currency: str, euro_cents: int, price: int
) -> None:
    assert DemoMoney.of(currency).price(euro_cents) == price


def test_cash_is_handed_over_in_the_currencys_notes() -> None:
    assert DemoMoney.of("JPY").handed_over(1_230) == 5_000
    assert DemoMoney.of("JPY").handed_over(12_340) == 13_000
    assert DemoMoney.of("BHD").handed_over(2_345) == 5_000
    assert DemoMoney.of("EUR").handed_over(1_250) == 2_000
