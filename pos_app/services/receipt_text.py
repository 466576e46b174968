"""What receipts, refund slips, Z reports and the printer test print, as slips.

Each slip is laid out by slip_layout for the receipt printer's character width, in the shop's
words; the slip's blocks and layout helpers stay importable from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from pos_app.domain.weights import format_weighed_line, format_weight
from pos_app.services.payments import CARD, PaymentLine
from pos_app.services.receipts import Receipt, RefundInfo
from pos_app.services.shift_figures import ZReport
from pos_app.services.slip_layout import (
    Block,
    Code,
    Cut,
    Logo,
    Slip,
    SlipBuilder,
    SlipLayout,
    TextLine,
    columns_row,
    fit,
    pair,
    setting_lines,
    wrap,
)
from pos_app.services.tax import TaxRateTotal, format_rate

TIME = "%H:%M"


def rate_codes(rates: Iterable[int]) -> dict[int, str]:
    """A letter per tax rate (A for the lowest), printed after each line's amount."""
    return {rate: chr(ord("A") + number) for number, rate in enumerate(sorted(set(rates)))}


def _tax_rows(b: SlipBuilder, tax: Sequence[TaxRateTotal], codes: dict[int, str]) -> None:
    money_width = (b.width - 10) // 3
    widths = (b.width - 3 * money_width, money_width, money_width, money_width)
    b.line(columns_row((b.t("Tax"), b.t("Net"), b.t("Tax"), b.t("Gross")), widths))
    for line in tax:
        label = f"{codes.get(line.rate_bp, ' ')} {format_rate(line.rate_bp)}"
        cells = (label, b.money(line.net_cents), b.money(line.tax_cents), b.money(line.gross_cents))
        b.line(columns_row(cells, widths))


def _payments(b: SlipBuilder, payments: Sequence[PaymentLine], change_cents: int) -> None:
    for payment in payments:
        if payment.tender == CARD:
            b.pair(b.t("Card"), b.money(payment.amount_cents))
        else:
            b.pair(b.t("Cash"), b.money(payment.tendered_cents))
    if any(payment.tender != CARD for payment in payments):
        b.pair(b.t("Change"), b.money(change_cents))


def receipt_slip(receipt: Receipt, layout: SlipLayout, *, copy: bool = False) -> Slip:
    """The customer's receipt; ``copy`` marks a reprint."""
    b = SlipBuilder(layout)
    b.head(
        b.t("COPY") if copy else "",
        shop_name=receipt.shop_name,
        shop_address=receipt.shop_address,
    )
    b.pair(b.t("Receipt"), receipt.number)
    b.pair(b.t("Date"), b.when(receipt.local_time))
    b.pair(b.t("Till"), receipt.till_id)
    b.pair(b.t("Served by"), receipt.cashier_name)
    b.rule()
    codes = rate_codes(line.tax_rate_bp for line in receipt.lines)
    for line in receipt.lines:
        before = line.gross_cents + line.discount_cents
        b.pair(line.product_name, f"{b.money(before)} {codes[line.tax_rate_bp]}")
        was = ""
        if line.list_price_cents != line.unit_price_cents:
            was = f" (was {b.money(line.list_price_cents)})"
        if line.is_weighed:
            layout = b.layout
            weighed = format_weighed_line(
                line.quantity, line.unit_price_cents, layout.currency, layout.locale
            )
            b.line(f"  {weighed}{was}")
        elif line.quantity != 1 or was:
            b.line(f"  {line.quantity} x {b.money(line.unit_price_cents)}{was}")
        if line.discount_cents:
            b.pair(f"  {line.discount_name or 'Discount'}", f"{b.money(-line.discount_cents)}  ")
    b.rule()
    b.pair(b.t("TOTAL"), b.money(receipt.total_cents), bold=True)
    if receipt.saved_cents > 0:
        b.pair(b.t("You saved"), b.money(receipt.saved_cents))
    _payments(b, receipt.payments, receipt.change_cents)
    b.rule()
    _tax_rows(b, receipt.tax, codes)
    if receipt.refunds:
        b.rule()
        zone = receipt.local_time.tzinfo
        for refund in receipt.refunds:
            b.pair(
                b.t("Refund {0} {1}").format(refund.number, b.when(refund.created_at, zone)),
                b.money(-refund.total_cents),
            )
    b.rule()
    b.centered(b.t("Prices include tax."))
    b.tail(receipt.number)
    return b.slip(f"Receipt {receipt.number}")


def refund_slip(refund: RefundInfo, layout: SlipLayout, *, timezone: tzinfo | None = None) -> Slip:
    """What came back, to which tender, against which receipt."""
    b = SlipBuilder(layout)
    b.head(b.t("REFUND"))
    b.pair(b.t("Refund"), refund.number)
    b.pair(b.t("For receipt"), refund.receipt_number)
    b.pair(b.t("Date"), b.when(refund.created_at, timezone))
    b.pair(b.t("Till"), refund.till_id)
    b.pair(b.t("Served by"), refund.cashier_name)
    if refund.approved_by_name:
        b.pair(b.t("Approved by"), refund.approved_by_name)
    if refund.reason:
        b.labelled(b.t("Reason"), refund.reason)
    b.rule()
    codes = rate_codes(line.tax_rate_bp for line in refund.lines)
    for line in refund.lines:
        b.pair(
            f"{format_weight(line.quantity, b.layout.locale)} {line.product_name}"
            if line.is_weighed
            else f"{line.quantity} x {line.product_name}",
            f"{b.money(-line.amount_cents)} {codes[line.tax_rate_bp]}",
        )
    b.rule()
    tender = b.t("Card") if refund.tender == CARD else b.t("Cash")
    b.pair(b.t("REFUNDED"), b.money(-refund.total_cents), bold=True)
    b.pair(b.t("Paid back ({0})").format(tender), b.money(refund.total_cents))
    b.pair(b.t("Tax contained"), b.money(-refund.tax_cents))
    b.rule()
    b.line(b.t("Signature:"))
    b.line()
    b.line("_" * min(b.width, 30))
    b.tail(refund.number)
    return b.slip(f"Refund {refund.number}")


def zreport_slip(z: ZReport, layout: SlipLayout, *, timezone: tzinfo | None = None) -> Slip:
    """The end-of-shift report: sales, tax per rate, tenders, refunds, voids, the drawer."""
    b = SlipBuilder(layout)
    shift = z.shift
    b.head(b.t("Z REPORT - SHIFT {0}").format(shift.id))
    closed = b.when(shift.closed_at, timezone) if shift.closed_at else b.t("still open")
    b.pair(b.t("Till"), shift.till_id)
    b.pair(b.t("Opened"), b.when(shift.opened_at, timezone))
    b.pair("  " + b.t("by"), shift.opened_by_name)
    b.pair(b.t("Closed"), closed)
    if shift.closed_by_name:
        b.pair("  " + b.t("by"), shift.closed_by_name)
    b.rule()
    b.pair(b.t("Sales"), str(z.sales_count))
    if z.discount_cents:
        b.pair(b.t("Gross (before discounts)"), b.money(z.gross_cents))
        b.pair(b.t("Discounts"), b.money(-z.discount_cents))
    b.pair(b.t("Revenue"), b.money(z.revenue_cents), bold=True)
    _tax_rows(b, z.tax, rate_codes(line.rate_bp for line in z.tax))
    b.rule()
    for tender in z.tenders:
        b.pair(f"{b.t(tender.tender.title())} ({tender.count})", b.money(tender.amount_cents))
    b.pair(b.t("Cash handed over"), b.money(z.cash_tendered_cents))
    b.pair(b.t("Change given"), b.money(z.change_given_cents))
    b.rule()
    b.pair(b.t("Refunds ({0})").format(z.refunds_count), b.money(-z.refunds_cents))
    b.pair("  " + b.t("in cash"), b.money(-z.cash_refunds_cents))
    b.pair("  " + b.t("by card"), b.money(-z.card_refunds_cents))
    b.pair("  " + b.t("tax contained"), b.money(-z.refund_tax_cents))
    b.pair(b.t("Voids ({0})").format(z.voids_count), b.money(z.voids_cents))
    b.rule()
    b.pair(b.t("Drawer openings"), str(z.drawer_openings))
    b.pair("  " + b.t("of which no sale"), str(len(z.no_sales)))
    for no_sale in z.no_sales:
        b.line(f"  {b.time(no_sale.at, timezone)} {no_sale.user_name}")
        for text in wrap(no_sale.reason, b.width - 4):
            b.line(f"    {text}")
    b.rule()
    b.pair(b.t("Float"), b.money(z.float_cents))
    b.pair(b.t("Expected cash"), b.money(z.expected_cash_cents), bold=True)
    if z.counted_cents is not None:
        b.pair(b.t("Counted"), b.money(z.counted_cents), bold=True)
    if z.difference_cents is not None:
        b.pair(b.t("Difference"), b.money(z.difference_cents), bold=True)
    b.tail(None, footer=False)
    return b.slip(f"Z report {shift.id}")


def printer_test_slip(layout: SlipLayout, printer: str, now: datetime) -> Slip:
    """What ``pos-app print-test`` prints: the width ruler, the texts, a code and the cut."""
    b = SlipBuilder(layout)
    b.head(b.t("PRINTER TEST"))
    b.pair(b.t("Printer"), printer)
    b.pair(b.t("Columns"), str(layout.columns))
    b.pair(b.t("Printed"), b.when(now))
    b.line("".join(str(number % 10) for number in range(1, layout.columns + 1)))
    b.pair(b.t("Sample line"), b.money(123456))
    b.rule()
    b.tail("TEST-0001")
    return b.slip("Printer test")


__all__ = [
    "Block",
    "Code",
    "Cut",
    "Logo",
    "Slip",
    "SlipLayout",
    "TextLine",
    "columns_row",
    "fit",
    "pair",
    "printer_test_slip",
    "rate_codes",
    "receipt_slip",
    "refund_slip",
    "setting_lines",
    "wrap",
    "zreport_slip",
]
