"""Receipts, refund slips and Z reports laid out for a receipt printer's character width.

A :class:`Slip` is a list of blocks: text lines (with emphasis and alignment), a logo, a
barcode or QR code, and the cut. It is plain data — no Qt, no I/O — so the same layout drives
an ESC/POS printer, a test's expected file and the pole of a reprint. Every text line is at
most ``columns`` characters wide (a large line counts double).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Literal

from pos_app.domain.weights import format_weighed_line, format_weight
from pos_app.services.money import ShopFormat, format_money
from pos_app.services.payments import CARD, PaymentLine
from pos_app.services.receipts import Receipt, RefundInfo
from pos_app.services.shift_figures import ZReport
from pos_app.services.tax import TaxRateTotal, format_rate

Align = Literal["left", "center", "right"]
CodeKind = Literal["CODE128", "QR", "EAN13"]
TIME = "%H:%M"


@dataclass(frozen=True)
class TextLine:
    text: str
    bold: bool = False
    large: bool = False
    align: Align = "left"


@dataclass(frozen=True)
class Code:
    kind: CodeKind
    data: str


@dataclass(frozen=True)
class Logo:
    path: str


@dataclass(frozen=True)
class Cut:
    partial: bool = True


Block = TextLine | Code | Logo | Cut


@dataclass(frozen=True)
class SlipLayout:
    """How this till's printer lays out a slip (from the settings)."""

    columns: int = 42
    currency: str = "EUR"
    locale: str = "en_US"  # how money and dates are written (POS_LOCALE)
    shop_name: str = ""
    shop_address: str = ""
    header: str = ""
    footer: str = "Thank you!"
    logo: str | None = None
    code: CodeKind = "CODE128"
    partial_cut: bool = True
    # The slip's words in the shop's language (the till passes its translation catalog).
    words: Callable[[str], str] = str


@dataclass(frozen=True)
class Slip:
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    columns: int = 42

    def lines(self) -> list[str]:
        """The slip as the lines a person reads on paper; codes and the cut in brackets."""
        return [_plain(block, self.columns) for block in self.blocks]

    def plain_text(self) -> str:
        return "\n".join(self.lines()) + "\n"


def _plain(block: Block, columns: int) -> str:
    if isinstance(block, TextLine) and block.large:
        # Double-width type: each character takes two columns of paper.
        return " ".join(block.text).center(columns).rstrip()
    if isinstance(block, TextLine):
        return block.text
    if isinstance(block, Code):
        return f"[{block.kind} {block.data}]"
    if isinstance(block, Logo):
        return "[logo]"
    return "[partial cut]" if block.partial else "[full cut]"


# layout helpers


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when something was cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def pair(left: str, right: str, width: int) -> str:
    """Left text and right text on one line, the left one shortened when both do not fit."""
    room = width - len(right) - 1
    if room < 1:
        return fit(right, width).rjust(width)
    return f"{fit(left, room):<{room}} {right}"


def columns_row(cells: Sequence[str], widths: Sequence[int]) -> str:
    """First cell left-aligned, the others right-aligned in their widths."""
    first = fit(cells[0], widths[0]).ljust(widths[0])
    pairs = zip(cells[1:], widths[1:], strict=True)
    rest = "".join(fit(cell, width).rjust(width) for cell, width in pairs)
    return first + rest


def wrap(text: str, width: int) -> list[str]:
    """Words onto lines of at most ``width`` characters (a longer word is cut)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        word = fit(word, width)
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def setting_lines(text: str) -> list[str]:
    """A header or footer setting: '|' or a newline starts a new line."""
    return [part.strip() for part in text.replace("\n", "|").split("|") if part.strip()]


class _Builder:
    def __init__(self, layout: SlipLayout) -> None:
        self.layout = layout
        self.width = layout.columns
        self.blocks: list[Block] = []

    def t(self, text: str) -> str:
        return self.layout.words(text)

    def money(self, cents: int) -> str:
        return format_money(cents, self.layout.currency, self.layout.locale)

    def when(self, moment: datetime, zone: tzinfo | None = None) -> str:
        """The shop's short date and time (``zone`` turns a UTC moment into the shop's)."""
        return ShopFormat(self.layout.locale, self.layout.currency).date_time(_local(moment, zone))

    def time(self, moment: datetime, zone: tzinfo | None = None) -> str:
        return ShopFormat(self.layout.locale, self.layout.currency).time(_local(moment, zone))

    def line(self, text: str = "", *, bold: bool = False, align: Align = "left") -> None:
        self.blocks.append(TextLine(fit(text, self.width), bold=bold, align=align))

    def centered(self, text: str, *, bold: bool = False) -> None:
        for part in wrap(text, self.width) or [""]:
            self.blocks.append(TextLine(part.center(self.width).rstrip(), bold=bold))

    def large(self, text: str) -> None:
        """Double-width type when it fits half the line, else bold."""
        half = self.width // 2
        if len(text) <= half:
            self.blocks.append(TextLine(text, bold=True, large=True, align="center"))
        else:
            self.centered(text, bold=True)

    def pair(self, left: str, right: str, *, bold: bool = False) -> None:
        self.blocks.append(TextLine(pair(left, right, self.width), bold=bold))

    def labelled(self, label: str, text: str) -> None:
        """``label`` and ``text`` on one line when they fit; else the text wrapped under it."""
        if len(label) + 1 + len(text) <= self.width:
            self.pair(label, text)
            return
        self.line(label)
        for part in wrap(text, self.width - 2):
            self.line(f"  {part}")

    def rule(self) -> None:
        self.blocks.append(TextLine("-" * self.width))

    def head(self, title: str = "", *, shop_name: str = "", shop_address: str = "") -> None:
        if self.layout.logo:
            self.blocks.append(Logo(self.layout.logo))
        name = shop_name or self.layout.shop_name
        if name:
            self.large(name)
        address = shop_address or self.layout.shop_address
        if address:
            self.centered(address)
        for text in setting_lines(self.layout.header):
            self.centered(text)
        if title:
            self.centered(title, bold=True)
        self.rule()

    def tail(self, reference: str | None, *, footer: bool = True) -> None:
        for text in setting_lines(self.t(self.layout.footer)) if footer else []:
            self.centered(text)
        if reference:
            self.blocks.append(Code(self.layout.code, reference))
        self.blocks.append(Cut(partial=self.layout.partial_cut))

    def slip(self, title: str) -> Slip:
        return Slip(title, tuple(self.blocks), self.width)


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    return moment.astimezone(zone) if zone is not None else moment


def rate_codes(rates: Iterable[int]) -> dict[int, str]:
    """A letter per tax rate (A for the lowest), printed after each line's amount."""
    return {rate: chr(ord("A") + number) for number, rate in enumerate(sorted(set(rates)))}


def _tax_rows(b: _Builder, tax: Sequence[TaxRateTotal], codes: dict[int, str]) -> None:
    money_width = (b.width - 10) // 3
    widths = (b.width - 3 * money_width, money_width, money_width, money_width)
    b.line(columns_row((b.t("Tax"), b.t("Net"), b.t("Tax"), b.t("Gross")), widths))
    for line in tax:
        label = f"{codes.get(line.rate_bp, ' ')} {format_rate(line.rate_bp)}"
        cells = (label, b.money(line.net_cents), b.money(line.tax_cents), b.money(line.gross_cents))
        b.line(columns_row(cells, widths))


def _payments(b: _Builder, payments: Sequence[PaymentLine], change_cents: int) -> None:
    for payment in payments:
        if payment.tender == CARD:
            b.pair(b.t("Card"), b.money(payment.amount_cents))
        else:
            b.pair(b.t("Cash"), b.money(payment.tendered_cents))
    if any(payment.tender != CARD for payment in payments):
        b.pair(b.t("Change"), b.money(change_cents))


def receipt_slip(receipt: Receipt, layout: SlipLayout, *, copy: bool = False) -> Slip:
    """The customer's receipt; ``copy`` marks a reprint."""
    b = _Builder(layout)
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
    b = _Builder(layout)
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
    b = _Builder(layout)
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
    b = _Builder(layout)
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
