"""Receipts show each line at its price before discounts, what came off by name, and the saving."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.services.money import ShopFormat
from pos_app.services.receipt_text import receipt_slip
from pos_app.services.receipts import Receipt, ReceiptLine
from pos_app.services.tax import tax_summary
from pos_app.ui import documents
from tests.hardware import samples

WHEN = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)


def line(
    number: int, name: str, quantity: int, unit: int, gross: int, **extra: object
) -> ReceiptLine:
    return ReceiptLine(
        sale_item_id=number,
        product_id=number,
        product_name=name,
        sku=f"SKU-{number}",
        quantity=quantity,
        unit_price_cents=unit,
        gross_cents=gross,
        tax_rate_bp=1900,
        tax_cents=gross * 1900 // 11900,
        refunded_quantity=0,
        **extra,  # type: ignore[arg-type]
    )


def receipt(lines: list[ReceiptLine]) -> Receipt:
    return Receipt(
        number="R00000042",
        sale_id=42,
        sale_uuid="u",
        shop_name="Corner",
        shop_address="",
        till_id="till-1",
        cashier_name="Cara",
        created_at=WHEN,
        local_time=WHEN,
        lines=lines,
        total_cents=sum(item.gross_cents for item in lines),
        tax=tax_summary(lines),
        payments=[],
        change_cents=0,
        refunds=[],
    )


def test_a_discounted_receipt_names_each_discount_and_the_total_saved() -> None:
    lines = [
        line(1, "Cola", 3, 150, 300, original_unit_price_cents=150, discount_cents=150,
             discount_name="3 for 2 <drinks>"),
        line(2, "Bread", 1, 200, 180, original_unit_price_cents=250, discount_cents=20,
             discount_name="Staff"),
        line(3, "Water", 1, 99, 99, original_unit_price_cents=99),
    ]  # fmt: skip
    printed = receipt(lines)
    assert printed.discount_cents == 170
    assert printed.saved_cents == 150 + 70
    html = documents.receipt_html(printed, ShopFormat())
    for expected in (
        "€4.50",  # three colas before the promotion
        "3 for 2 &lt;drinks&gt;",
        "-€1.50",
        "1 x €2.00 (was €2.50)",
        "-€0.20",
        "You saved",
        "€2.20",
        "€5.79",  # the total
    ):
        assert expected in html, expected
    assert "<drinks>" not in html


def test_a_receipt_without_discounts_says_nothing_about_saving() -> None:
    html = documents.receipt_html(receipt([line(1, "Cola", 2, 150, 300)]), ShopFormat())
    assert "You saved" not in html and "was" not in html


def test_the_printed_text_receipt_names_each_discount_and_the_saving() -> None:
    lines = [
        line(1, "Cola", 3, 150, 300, original_unit_price_cents=150, discount_cents=150,
             discount_name="3 for 2"),
    ]  # fmt: skip
    text = receipt_slip(receipt(lines), samples.layout(42)).plain_text()
    assert "3 for 2" in text and "-€1.50" in text
    assert "You saved" in text and "€4.50" in text
