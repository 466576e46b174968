"""Receipts, refund slips and Z reports as HTML for ``QTextDocument`` (screen, PDF and printer).

Only the HTML subset Qt's rich text understands is used: tables, ``align``, ``<hr>`` and a few
font properties. Every text from the database is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo
from html import escape

from PySide6.QtCore import QCoreApplication

from pos_app.domain.weights import format_weighed_line, format_weight
from pos_app.services.money import ShopFormat
from pos_app.services.payments import CARD, PaymentLine
from pos_app.services.receipts import Receipt, ReceiptLine, RefundInfo
from pos_app.services.shift_figures import ZReport
from pos_app.services.tax import TaxRateTotal, format_rate
from pos_app.ui.translation import QT_TRANSLATE_NOOP

STYLE = (
    "body { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; font-size: 9pt; }"
    " td { padding: 1px 0px; } .muted { color: #555555; } .total { font-size: 12pt; }"
)
Money = Callable[[int], str]
CONTEXT = "Receipt"


def _t(text: str) -> str:
    """A receipt's words in the shop's language (marked for lupdate by the QT_TRANSLATE_NOOP
    list below: receipts build their texts from parts)."""
    return QCoreApplication.translate(CONTEXT, text)


def _page(body: Iterable[str]) -> str:
    return f"<html><head><style>{STYLE}</style></head><body>{''.join(body)}</body></html>"


def _header(shop_name: str, shop_address: str, title: str = "") -> str:
    parts = [
        f'<p align="center"><span style="font-size: 13pt; font-weight: bold;">'
        f"{escape(shop_name)}</span>"
    ]
    if shop_address:
        parts.append(f"<br>{escape(shop_address)}")
    if title:
        parts.append(f'<br><span style="font-weight: bold;">{escape(title)}</span>')
    parts.append("</p>")
    return "".join(parts)


def _pairs(rows: Sequence[tuple[str, str]], *, css: str = "") -> str:
    """A two-column table: label left (leading spaces kept as an indent), value right."""
    style = f' class="{css}"' if css else ""
    cells = "".join(
        f'<tr><td{style}>{_indented(left)}</td><td align="right"{style}>{escape(right)}</td></tr>'
        for left, right in rows
    )
    return f'<table width="100%" cellspacing="0" cellpadding="0">{cells}</table>'


def _indented(text: str) -> str:
    stripped = text.lstrip(" ")
    return "&nbsp;" * (len(text) - len(stripped)) * 2 + escape(stripped)


def _rate_codes(rates: Iterable[int]) -> dict[int, str]:
    """A letter per tax rate (A for the lowest), printed after each line's amount."""
    return {rate: chr(ord("A") + number) for number, rate in enumerate(sorted(set(rates)))}


def _tax_table(tax: Sequence[TaxRateTotal], codes: dict[int, str], money: Money) -> str:
    head = (
        f'<tr><td class="muted">{_t("Tax")}</td><td align="right" class="muted">{_t("Net")}</td>'
        f'<td align="right" class="muted">{_t("Tax")}</td>'
        f'<td align="right" class="muted">{_t("Gross")}</td></tr>'
    )
    rows = "".join(
        f"<tr><td>{codes.get(line.rate_bp, '')} {escape(format_rate(line.rate_bp))}</td>"
        f'<td align="right">{money(line.net_cents)}</td>'
        f'<td align="right">{money(line.tax_cents)}</td>'
        f'<td align="right">{money(line.gross_cents)}</td></tr>'
        for line in tax
    )
    return f'<table width="100%" cellspacing="0" cellpadding="0">{head}{rows}</table>'


def _payment_rows(payments: Sequence[PaymentLine], change_cents: int, money: Money) -> str:
    rows: list[tuple[str, str]] = []
    for payment in payments:
        if payment.tender == CARD:
            rows.append((_t("Card"), money(payment.amount_cents)))
        else:
            rows.append((_t("Cash"), money(payment.tendered_cents)))
    if any(payment.tender != CARD for payment in payments):
        rows.append((_t("Change"), money(change_cents)))
    return _pairs(rows)


def _when(moment: datetime, shop: ShopFormat, zone: tzinfo | None = None) -> str:
    """The shop's short date and time; ``zone`` turns a UTC moment into the shop's clock."""
    return shop.date_time(moment.astimezone(zone) if zone is not None else moment)


def _receipt_line_rows(line: ReceiptLine, codes: dict[int, str], shop: ShopFormat) -> list[str]:
    """A product at its price before discounts, its quantity, then what came off and why."""
    money = shop.money
    rows = [
        f"<tr><td>{escape(line.product_name)}</td>"
        f'<td align="right">{money(line.gross_cents + line.discount_cents)}</td>'
        f'<td align="right" width="14">&nbsp;{codes[line.tax_rate_bp]}</td></tr>'
    ]
    was = ""
    if line.list_price_cents != line.unit_price_cents:
        was = _t(" (was {0})").format(money(line.list_price_cents))
    detail = _line_detail(line.quantity, line.unit_price_cents, line.is_weighed, shop)
    if not detail and was:
        detail = f"1 x {money(line.unit_price_cents)}"
    if detail:
        rows.append(
            f'<tr><td class="muted">&nbsp;&nbsp;{escape(detail + was)}</td>'
            "<td>&nbsp;</td><td>&nbsp;</td></tr>"
        )
    if line.discount_cents:
        rows.append(
            f'<tr><td class="muted">&nbsp;&nbsp;{escape(line.discount_name or _t("Discount"))}</td>'
            f'<td align="right" class="muted">{money(-line.discount_cents)}</td>'
            "<td>&nbsp;</td></tr>"
        )
    return rows


def receipt_html(receipt: Receipt, shop: ShopFormat, *, copy: bool = False) -> str:
    """The customer's receipt; ``copy`` marks a reprint."""
    money = shop.money
    codes = _rate_codes(line.tax_rate_bp for line in receipt.lines)
    body = [_header(receipt.shop_name, receipt.shop_address, _t("COPY") if copy else "")]
    body.append(
        _pairs(
            [
                (_t("Receipt"), receipt.number),
                (_t("Date"), _when(receipt.local_time, shop)),
                (_t("Till"), receipt.till_id),
                (_t("Served by"), receipt.cashier_name),
            ]
        )
    )
    body.append("<hr>")
    rows = [row for line in receipt.lines for row in _receipt_line_rows(line, codes, shop)]
    body.append(f'<table width="100%" cellspacing="0" cellpadding="0">{"".join(rows)}</table>')
    body.append("<hr>")
    body.append(_pairs([(_t("TOTAL"), money(receipt.total_cents))], css="total"))
    if receipt.saved_cents > 0:
        body.append(_pairs([(_t("You saved"), money(receipt.saved_cents))]))
    body.append(_payment_rows(receipt.payments, receipt.change_cents, money))
    body.append("<hr>")
    body.append(_tax_table(receipt.tax, codes, money))
    if receipt.refunds:
        zone = receipt.local_time.tzinfo
        body.append("<hr>")
        body.append(
            _pairs(
                [
                    (
                        _t("Refund {0}  {1}").format(
                            refund.number, _when(refund.created_at, shop, zone)
                        ),
                        money(-refund.total_cents),
                    )
                    for refund in receipt.refunds
                ]
            )
        )
    body.append(f'<p align="center">{_t("Prices include tax.")}<br>{_t("Thank you!")}</p>')
    return _page(body)


def _line_detail(quantity: int, unit_price_cents: int, weighed: bool, shop: ShopFormat) -> str:
    """The line under a product: '2 x €1.50', or '0.455 kg x 12.90 €/kg' when weighed."""
    if weighed:
        return format_weighed_line(quantity, unit_price_cents, shop.currency, shop.locale)
    if quantity == 1:
        return ""
    return f"{quantity} x {shop.money(unit_price_cents)}"


def _refunded_amount(quantity: int, weighed: bool, shop: ShopFormat) -> str:
    return format_weight(quantity, shop.locale) if weighed else f"{quantity} x"


def refund_html(
    refund: RefundInfo,
    shop: ShopFormat,
    *,
    shop_name: str = "",
    shop_address: str = "",
    timezone: tzinfo | None = None,
    copy: bool = False,
) -> str:
    """The slip for a refund: what came back, to which tender, against which receipt; ``copy``
    marks a reprint."""
    money = shop.money
    codes = _rate_codes(line.tax_rate_bp for line in refund.lines)
    body = [_header(shop_name, shop_address, _t("REFUND COPY") if copy else _t("REFUND"))]
    details = [
        (_t("Refund"), refund.number),
        (_t("For receipt"), refund.receipt_number),
        (_t("Date"), _when(refund.created_at, shop, timezone)),
        (_t("Till"), refund.till_id),
        (_t("Served by"), refund.cashier_name),
    ]
    if refund.approved_by_name:
        details.append((_t("Approved by"), refund.approved_by_name))
    if refund.reason:
        details.append((_t("Reason"), refund.reason))
    body.append(_pairs(details))
    body.append("<hr>")
    rows = "".join(
        f"<tr><td>{escape(line.product_name)}</td>"
        f'<td align="right">{_refunded_amount(line.quantity, line.is_weighed, shop)}</td>'
        f'<td align="right">{money(-line.amount_cents)}</td>'
        f'<td align="right" width="14">&nbsp;{codes[line.tax_rate_bp]}</td></tr>'
        for line in refund.lines
    )
    body.append(f'<table width="100%" cellspacing="0" cellpadding="0">{rows}</table>')
    body.append("<hr>")
    tender = _t("Card") if refund.tender == CARD else _t("Cash")
    body.append(
        _pairs(
            [
                (_t("REFUNDED"), money(-refund.total_cents)),
                (_t("Paid back ({0})").format(tender), money(refund.total_cents)),
                (_t("Tax contained"), money(-refund.tax_cents)),
            ]
        )
    )
    return _page(body)


def zreport_html(
    z: ZReport, shop: ShopFormat, *, shop_name: str = "", timezone: tzinfo | None = None
) -> str:
    """The end-of-shift report: sales, tax per rate, tenders, refunds, voids and the drawer."""
    money = shop.money
    shift = z.shift
    body = [_header(shop_name, "", _t("Z report — shift {0}").format(shift.id))]
    closed = _when(shift.closed_at, shop, timezone) if shift.closed_at else _t("still open")
    body.append(
        _pairs(
            [
                (_t("Till"), shift.till_id),
                (_t("Opened"), f"{_when(shift.opened_at, shop, timezone)}  {shift.opened_by_name}"),
                (_t("Closed"), f"{closed}  {shift.closed_by_name or ''}".strip()),
            ]
        )
    )
    body.append("<hr>")
    body.append(
        _pairs(
            [
                (_t("Sales"), str(z.sales_count)),
                (_t("Gross (before discounts)"), money(z.gross_cents)),
                (_t("Discounts and promotions"), money(-z.discount_cents)),
                (_t("Revenue (net)"), money(z.revenue_cents)),
            ]
        )
    )
    codes = _rate_codes(line.rate_bp for line in z.tax)
    body.append(_tax_table(z.tax, codes, money))
    body.append("<hr>")
    tenders = [
        (
            _t("{0} ({1})").format(_t(tender.tender.title()), tender.count),
            money(tender.amount_cents),
        )
        for tender in z.tenders
    ]
    tenders += [
        (_t("Cash handed over"), money(z.cash_tendered_cents)),
        (_t("Change given"), money(z.change_given_cents)),
    ]
    body.append(_pairs(tenders))
    body.append("<hr>")
    body.append(
        _pairs(
            [
                (_t("Refunds ({0})").format(z.refunds_count), money(-z.refunds_cents)),
                ("  " + _t("in cash"), money(-z.cash_refunds_cents)),
                ("  " + _t("by card"), money(-z.card_refunds_cents)),
                ("  " + _t("tax contained"), money(-z.refund_tax_cents)),
                (_t("Voids ({0})").format(z.voids_count), money(z.voids_cents)),
            ]
        )
    )
    body.append("<hr>")
    openings = [
        (_t("Drawer openings"), str(z.drawer_openings)),
        ("  " + _t("of which no sale"), str(len(z.no_sales))),
    ]
    openings += [
        (f"  {_when(entry.at, shop, timezone)} {entry.user_name}: {entry.reason}", "")
        for entry in z.no_sales
    ]
    body.append(_pairs(openings))
    body.append("<hr>")
    drawer = [
        (_t("Float"), money(z.float_cents)),
        (_t("Expected cash"), money(z.expected_cash_cents)),
    ]
    if z.counted_cents is not None:
        drawer.append((_t("Counted"), money(z.counted_cents)))
    if z.difference_cents is not None:
        drawer.append((_t("Difference"), money(z.difference_cents)))
    body.append(_pairs(drawer, css="total"))
    return _page(body)


# Every word receipts, refund slips and Z reports print, on screen, in PDF and on the receipt
# printer (pos_app.services.receipt_text), for pyside6-lupdate.
RECEIPT_WORDS = (
    QT_TRANSLATE_NOOP("Receipt", "Columns"),
    QT_TRANSLATE_NOOP("Receipt", "PRINTER TEST"),
    QT_TRANSLATE_NOOP("Receipt", "Printed"),
    QT_TRANSLATE_NOOP("Receipt", "Printer"),
    QT_TRANSLATE_NOOP("Receipt", "Reason"),
    QT_TRANSLATE_NOOP("Receipt", "Signature:"),
    QT_TRANSLATE_NOOP("Receipt", "REFUNDED"),
    QT_TRANSLATE_NOOP("Receipt", "Refund {0} {1}"),
    QT_TRANSLATE_NOOP("Receipt", "Sample line"),
    QT_TRANSLATE_NOOP("Receipt", "Z REPORT - SHIFT {0}"),
    QT_TRANSLATE_NOOP("Receipt", "by"),
    QT_TRANSLATE_NOOP("Receipt", "Approved by"),
    QT_TRANSLATE_NOOP("Receipt", "COPY"),
    QT_TRANSLATE_NOOP("Receipt", "Card"),
    QT_TRANSLATE_NOOP("Receipt", "Cash"),
    QT_TRANSLATE_NOOP("Receipt", "Cash handed over"),
    QT_TRANSLATE_NOOP("Receipt", "Change"),
    QT_TRANSLATE_NOOP("Receipt", "Change given"),
    QT_TRANSLATE_NOOP("Receipt", "Closed"),
    QT_TRANSLATE_NOOP("Receipt", "Counted"),
    QT_TRANSLATE_NOOP("Receipt", "Date"),
    QT_TRANSLATE_NOOP("Receipt", "Difference"),
    QT_TRANSLATE_NOOP("Receipt", "Drawer openings"),
    QT_TRANSLATE_NOOP("Receipt", "Expected cash"),
    QT_TRANSLATE_NOOP("Receipt", "of which no sale"),
    QT_TRANSLATE_NOOP("Receipt", "Float"),
    QT_TRANSLATE_NOOP("Receipt", "For receipt"),
    QT_TRANSLATE_NOOP("Receipt", "Gross"),
    QT_TRANSLATE_NOOP("Receipt", "Net"),
    QT_TRANSLATE_NOOP("Receipt", "Opened"),
    QT_TRANSLATE_NOOP("Receipt", "Paid back ({0})"),
    QT_TRANSLATE_NOOP("Receipt", "Prices include tax."),
    QT_TRANSLATE_NOOP("Receipt", "REFUND"),
    QT_TRANSLATE_NOOP("Receipt", "REFUND COPY"),
    QT_TRANSLATE_NOOP("Receipt", "Receipt"),
    QT_TRANSLATE_NOOP("Receipt", "Refund"),
    QT_TRANSLATE_NOOP("Receipt", "Refund {0}  {1}"),
    QT_TRANSLATE_NOOP("Receipt", "Refunds ({0})"),
    QT_TRANSLATE_NOOP("Receipt", "Revenue"),
    QT_TRANSLATE_NOOP("Receipt", "Sales"),
    QT_TRANSLATE_NOOP("Receipt", "Served by"),
    QT_TRANSLATE_NOOP("Receipt", "TOTAL"),
    QT_TRANSLATE_NOOP("Receipt", "You saved"),
    QT_TRANSLATE_NOOP("Receipt", " (was {0})"),
    QT_TRANSLATE_NOOP("Receipt", "Discount"),
    QT_TRANSLATE_NOOP("Receipt", "Discounts"),
    QT_TRANSLATE_NOOP("Receipt", "Gross (before discounts)"),
    QT_TRANSLATE_NOOP("Receipt", "Discounts and promotions"),
    QT_TRANSLATE_NOOP("Receipt", "Revenue (net)"),
    QT_TRANSLATE_NOOP("Receipt", "Tax"),
    QT_TRANSLATE_NOOP("Receipt", "Tax contained"),
    QT_TRANSLATE_NOOP("Receipt", "Thank you!"),
    QT_TRANSLATE_NOOP("Receipt", "Till"),
    QT_TRANSLATE_NOOP("Receipt", "Voids ({0})"),
    QT_TRANSLATE_NOOP("Receipt", "Z report — shift {0}"),
    QT_TRANSLATE_NOOP("Receipt", "by card"),
    QT_TRANSLATE_NOOP("Receipt", "in cash"),
    QT_TRANSLATE_NOOP("Receipt", "still open"),
    QT_TRANSLATE_NOOP("Receipt", "tax contained"),
    QT_TRANSLATE_NOOP("Receipt", "{0} ({1})"),
)


__all__ = ["receipt_html", "refund_html", "zreport_html"]
