"""A slip as plain data, and how one is laid out to a receipt printer's character width.

A :class:`Slip` is a list of blocks: text lines (with emphasis and alignment), a logo, a
barcode or QR code, and the cut. It is plain data — no Qt, no I/O — so the same layout drives
an ESC/POS printer, a test's expected file and the pole of a reprint. Every text line is at
most ``columns`` characters wide (a large line counts double). A :class:`SlipBuilder` adds the
shop's head, fitted lines and the tail; what each slip says is in receipt_text and label_layout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Literal

from pos_app.services.money import ShopFormat, format_money

Align = Literal["left", "center", "right"]
CodeKind = Literal["CODE128", "QR", "EAN13"]


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


class SlipBuilder:
    """A slip built line by line: the shop's head, text lines fitted to the width, the tail."""

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
