"""Currencies without cents (JPY) and with three decimals (KWD), end to end: a sale, its
receipt, the Z report, CSV exports and imports, and the sentences that name an amount."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from pos_app.services import checkout, product_csv, receipts, sale_line_csv, shifts
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.payments import CARD, CASH, PaymentIn
from pos_app.services.roles import UserInfo
from pos_app.ui import documents
from tests.factories import make_category, make_owner, make_product


def shop_in(ctx: ServiceContext, locale: str, currency: str) -> ServiceContext:
    return replace(ctx, currency=currency, locale=locale)


def sell_one(ctx: ServiceContext, owner: UserInfo, price: int, tendered: int) -> int:
    category = make_category(ctx, owner, "Tea")
    product = make_product(ctx, owner, category.id, sku="TEA", price_cents=price, stock=5)
    result = checkout.purchase(
        ctx, owner, [PurchaseLine(product.id, 2)], payments=[PaymentIn(CASH, 2 * price, tendered)]
    )
    assert result.sale_id is not None
    return result.sale_id


@pytest.mark.parametrize(
    ("locale", "currency", "price", "tendered", "shown"),
    [
        ("ja_JP", "JPY", 1250, 3000, ("￥2,500", "￥3,000", "￥500", "￥1,250")),
        ("en_US", "KWD", 1250, 3000, ("KWD2.500", "KWD3.000", "KWD0.500", "KWD1.250")),
        ("de_DE", "EUR", 1250, 3000, ("25,00\xa0€", "30,00\xa0€", "5,00\xa0€", "12,50\xa0€")),
    ],
)
def test_a_receipt_and_the_z_report_show_the_currency_s_own_decimals(
    ctx: ServiceContext,
    locale: str,
    currency: str,
    price: int,
    tendered: int,
    shown: tuple[str, ...],
) -> None:
    ctx = shop_in(ctx, locale, currency)
    owner = make_owner(ctx)
    sale_id = sell_one(ctx, owner, price, tendered)
    receipt = receipts.get_receipt(ctx, owner, sale_id)
    html = documents.receipt_html(receipt, ctx.shop_format)
    total, handed, change, unit = shown
    for text in (total, handed, change, unit):
        assert text in html
    assert ctx.shop_format.date(receipt.local_time) in html
    shift = shifts.current_shift(ctx, owner)
    assert shift is not None
    z = documents.zreport_html(shifts.z_report(ctx, owner, shift.id), ctx.shop_format)
    assert total in z


@pytest.mark.parametrize(
    ("currency", "price", "plain"), [("JPY", 1250, "1250"), ("KWD", 1250, "1.250")]
)
def test_csv_keeps_plain_decimals_with_a_dot_and_reads_them_back(
    ctx: ServiceContext, currency: str, price: int, plain: str
) -> None:
    ctx = shop_in(ctx, "de_DE", currency)
    owner = make_owner(ctx)
    sell_one(ctx, owner, price, 2 * price)
    stream = io.StringIO()
    product_csv.export_products(ctx, owner, stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[1][4] == plain
    sales = io.StringIO()
    sale_line_csv.export_sale_lines(
        ctx, owner, ctx.local_date(ctx.now()), ctx.local_date(ctx.now()), sales
    )
    line = list(csv.reader(io.StringIO(sales.getvalue())))[1]
    assert line[-2:] == [plain, ctx.shop_format.plain(2 * price)]
    result = product_csv.import_products(ctx, owner, io.StringIO(stream.getvalue()))
    assert result.ok, result.errors
    assert result.updated == 1


def test_an_import_refuses_decimals_the_currency_does_not_have(ctx: ServiceContext) -> None:
    ctx = shop_in(ctx, "ja_JP", "JPY")
    owner = make_owner(ctx)
    text = "category,sku,barcode,name,price,stock\nTea,TEA,,Green tea,12.50,\n"
    result = product_csv.import_products(ctx, owner, io.StringIO(text))
    assert [error.message for error in result.errors] == [
        "This currency has no decimals: enter a whole amount."
    ]


def test_a_payment_sentence_names_the_amount_in_the_currency(ctx: ServiceContext) -> None:
    ctx = shop_in(ctx, "en_US", "KWD")
    owner = make_owner(ctx)
    category = make_category(ctx, owner, "Tea")
    product = make_product(ctx, owner, category.id, sku="TEA", price_cents=1250, stock=5)
    with pytest.raises(ValidationError, match=r"A card payment cannot be more than the 1\.250"):
        checkout.purchase(
            ctx, owner, [PurchaseLine(product.id, 1)], payments=[PaymentIn(CARD, 2000)]
        )
