"""The till's devices as its settings describe them."""

from __future__ import annotations

from collections.abc import Callable

from pos_app.config import Settings
from pos_app.hardware.connection import DeviceTarget, parse_display_url, parse_printer_url
from pos_app.services.receipt_text import SlipLayout


def printer_target(settings: Settings, override: str | None = None) -> DeviceTarget:
    """``POS_RECEIPT_PRINTER`` (or ``override``) parsed; ValueError when malformed."""
    return parse_printer_url(override or settings.receipt_printer)


def pole_target(settings: Settings) -> DeviceTarget | None:
    return parse_display_url(settings.pole_display) if settings.pole_display else None


def slip_layout(settings: Settings, words: Callable[[str], str] = str) -> SlipLayout:
    """The printer's layout; ``words`` puts a slip's words into the shop's language."""
    logo = settings.receipt_logo
    return SlipLayout(
        columns=settings.printer_columns,
        currency=settings.currency,
        locale=settings.locale,
        shop_name=settings.shop_name,
        shop_address=settings.shop_address,
        header=settings.receipt_header,
        footer=settings.receipt_footer,
        logo=str(logo) if logo is not None and logo.is_file() else None,
        code="QR" if settings.receipt_code == "qr" else "CODE128",
        partial_cut=settings.printer_cut == "partial",
        words=words,
    )


__all__ = ["pole_target", "printer_target", "slip_layout"]
