"""Receipts, refunds and Z reports built by hand, for layout tests that need no database."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pos_app.services.drawer import NoSale
from pos_app.services.payments import CARD, CASH, PaymentLine
from pos_app.services.receipt_text import SlipLayout
from pos_app.services.receipts import Receipt, ReceiptLine, RefundInfo, RefundLine
from pos_app.services.shift_figures import TenderTotal, ZReport
from pos_app.services.shifts import ShiftInfo
from pos_app.services.tax import TaxRateTotal

ZONE = ZoneInfo("Europe/Berlin")
SOLD_AT = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)


def layout(columns: int, code: str = "CODE128") -> SlipLayout:
    return SlipLayout(
        columns=columns,
        currency="EUR",
        locale="en_GB",  # day-first dates and a 24-hour clock, as on the expected paper
        shop_name="Corner Shop",
        shop_address="1 Market Street, Springfield",
        header="VAT no. DE123456789|Open Mon-Sat 8-20",
        footer="Thank you!|Returns within 30 days with this receipt.",
        code=code,  # type: ignore[arg-type]
    )


def receipt() -> Receipt:
    lines = [
        ReceiptLine(1, 7, "Organic whole milk 1 l", "MILK-1", 2, 129, 258, 700, 17, 0),
        ReceiptLine(
            2,
            9,
            "Extra virgin olive oil, cold pressed 750 ml",
            "OIL-750",
            1,
            1299,
            1299,
            1900,
            207,
            0,
        ),
        ReceiptLine(3, 12, "Bread", "BREAD", 1, 350, 350, 700, 23, 0),
    ]
    return Receipt(
        number="R00000042",
        sale_id=42,
        sale_uuid="b3c1d0e2-0000-4000-8000-000000000042",
        shop_name="Corner Shop",
        shop_address="1 Market Street, Springfield",
        till_id="till-1",
        cashier_name="Ann Seller",
        created_at=SOLD_AT,
        local_time=SOLD_AT.astimezone(ZONE),
        lines=lines,
        total_cents=1907,
        tax=[TaxRateTotal(700, 608, 40, 568), TaxRateTotal(1900, 1299, 207, 1092)],
        payments=[PaymentLine(CARD, 907, 907, 0), PaymentLine(CASH, 1000, 2000, 1000)],
        change_cents=1000,
        refunds=[],
    )


def refund() -> RefundInfo:
    return RefundInfo(
        id=5,
        number="F00000005",
        uuid="f-5",
        sale_id=42,
        receipt_number="R00000042",
        created_at=datetime(2026, 3, 11, 9, 5, tzinfo=UTC),
        till_id="till-1",
        cashier_name="Ann Seller",
        approved_by_name="Max Manager",
        tender=CASH,
        total_cents=258,
        tax_cents=17,
        lines=[RefundLine(1, 7, "Organic whole milk 1 l", 2, 258, 700, 17)],
        reason="Damaged: the carton leaked",
    )


def zreport() -> ZReport:
    shift = ShiftInfo(
        id=3,
        till_id="till-1",
        opened_by_id=2,
        opened_by_name="Ann Seller",
        opened_at=datetime(2026, 3, 10, 7, 0, tzinfo=UTC),
        float_cents=10000,
        closed_by_id=2,
        closed_by_name="Ann Seller",
        closed_at=datetime(2026, 3, 10, 17, 0, tzinfo=UTC),
        counted_cents=11500,
        expected_cash_cents=11742,
        difference_cents=-242,
    )
    return ZReport(
        shift=shift,
        sales_count=2,
        revenue_cents=3814,
        tax=[TaxRateTotal(700, 1216, 80, 1136), TaxRateTotal(1900, 2598, 414, 2184)],
        tenders=[TenderTotal(CASH, 1, 2000), TenderTotal(CARD, 1, 1814)],
        cash_tendered_cents=2000,
        change_given_cents=0,
        refunds_count=1,
        refunds_cents=258,
        refund_tax_cents=17,
        cash_refunds_cents=258,
        card_refunds_cents=0,
        voids_count=1,
        voids_cents=350,
        float_cents=10000,
        expected_cash_cents=11742,
        counted_cents=11500,
        difference_cents=-242,
        drawer_openings=3,
        no_sales=(
            NoSale(
                at=datetime(2026, 3, 10, 11, 15, tzinfo=UTC),
                user_name="Max Manager",
                reason="Change for a 50 note for the bakery next door",
            ),
        ),
    )
