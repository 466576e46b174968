"""Weighed lines on receipts and refund slips: the weight and the price per kg under the name."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pos_app.domain.weights import TIMES
from pos_app.services.money import ShopFormat
from pos_app.services.receipts import Receipt, ReceiptLine, RefundInfo, RefundLine
from pos_app.services.tax import tax_summary
from pos_app.ui import documents

MOMENT = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
CHEESE = ReceiptLine(1, 7, "Gouda", "GOUDA", 455, 1290, 587, 700, 38, 0, sold_by="weight")
ROLLS = ReceiptLine(2, 8, "Roll", "ROLL", 3, 45, 135, 700, 9, 0)


def receipt(*lines: ReceiptLine) -> Receipt:
    return Receipt(
        number="R00000001", sale_id=1, sale_uuid="u", shop_name="Deli", shop_address="",
        till_id="till-1", cashier_name="Cara", created_at=MOMENT,
        local_time=MOMENT.astimezone(ZoneInfo("Europe/Berlin")), lines=list(lines),
        total_cents=sum(line.gross_cents for line in lines), tax=tax_summary(lines),
        payments=[], change_cents=0, refunds=[],
    )  # fmt: skip


def test_a_weighed_line_shows_its_weight_and_price_per_kg() -> None:
    html = documents.receipt_html(receipt(CHEESE, ROLLS), ShopFormat())
    assert f"0.455 kg {TIMES} €12.90/kg" in html
    assert "€5.87" in html
    assert "3 x €0.45" in html
    assert "455 x" not in html


def test_a_german_shop_writes_the_weight_and_price_per_kg_its_way() -> None:
    html = documents.receipt_html(receipt(CHEESE), ShopFormat("de_DE"))
    assert f"0,455 kg {TIMES} 12,90\xa0€/kg" in html


def test_a_weighed_line_of_one_kilogram_still_shows_its_weight() -> None:
    kilo = ReceiptLine(1, 7, "Apples", "APL", 1000, 279, 279, 700, 18, 0, sold_by="weight")
    assert f"1.000 kg {TIMES} €2.79/kg" in documents.receipt_html(receipt(kilo), ShopFormat())


def test_a_refund_slip_shows_the_weight_given_back() -> None:
    refund = RefundInfo(
        id=1, number="F00000001", uuid="r", sale_id=1, receipt_number="R00000001",
        created_at=MOMENT, till_id="till-1", cashier_name="Cara", approved_by_name=None,
        tender="cash", total_cents=258, tax_cents=17,
        lines=[RefundLine(1, 7, "Gouda", 200, 258, 700, 17, "weight")],
    )  # fmt: skip
    slip = documents.refund_html(refund, ShopFormat())
    assert "0.200 kg" in slip and "-€2.58" in slip and "200 x" not in slip


def test_analytics_tables_show_kilograms_of_weighed_products() -> None:
    from pos_app.services.analytics_breakdowns import Breakdown
    from pos_app.services.insights import ProductSales
    from pos_app.ui.analytics.insight_tables import RankedProduct, ranked_units
    from pos_app.ui.analytics.tables import breakdown_units

    assert breakdown_units(Breakdown(1, "Gouda", 1655, 2135, True)) == "1.655 kg"
    assert breakdown_units(Breakdown(2, "Roll", 1200, 540)) == "1,200"
    cheese = ProductSales(1, "Gouda", "G", "Deli", True, 2, 1655, 2135, True)
    assert ranked_units(RankedProduct(1, cheese)) == "1.655 kg"


def test_a_printed_slip_shows_the_weight_and_price_per_kg() -> None:
    from pos_app.services.receipt_text import SlipLayout, receipt_slip, refund_slip

    text = receipt_slip(receipt(CHEESE, ROLLS), SlipLayout()).plain_text()
    assert f"0.455 kg {TIMES} €12.90/kg" in text and "3 x €0.45" in text
    refund = RefundInfo(
        id=1, number="F00000001", uuid="r", sale_id=1, receipt_number="R00000001",
        created_at=MOMENT, till_id="till-1", cashier_name="Cara", approved_by_name=None,
        tender="cash", total_cents=258, tax_cents=17,
        lines=[RefundLine(1, 7, "Gouda", 200, 258, 700, 17, "weight")],
    )  # fmt: skip
    assert "0.200 kg Gouda" in refund_slip(refund, SlipLayout()).plain_text()
