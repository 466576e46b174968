"""The hardware settings (``POS_RECEIPT_PRINTER``, ``POS_PRINTER_COLUMNS``, ...), parsed for
:func:`pos_app.config.load_settings`; a bad value is a :class:`ConfigError` naming it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

from pos_app.config import ConfigError, parse_positive_int
from pos_app.hardware.connection import check_display_url, check_printer_url

PRINTER_COLUMNS = (32, 42, 48)


def parse_printer_columns(raw: str) -> int:
    value = parse_positive_int("POS_PRINTER_COLUMNS", raw)
    if value not in PRINTER_COLUMNS:
        raise ConfigError(
            "POS_PRINTER_COLUMNS: use 42 or 48 for an 80 mm roll, 32 for a 58 mm roll."
        )
    return value


def parse_flag(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"", "0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}: '{raw}' is neither 1 nor 0.")


class HardwareSettings(TypedDict):
    receipt_printer: str
    printer_columns: int
    receipt_header: str
    receipt_footer: str
    receipt_logo: Path | None
    customer_display: bool
    pole_display: str
    receipt_code: str
    printer_cut: str


def parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}: '{raw}' is not one of {', '.join(choices)}.")
    return value


def parse_hardware_settings(values: Mapping[str, str]) -> HardwareSettings:
    """The receipt printer, its paper width, the texts around a receipt and the displays."""

    printer = values.get("POS_RECEIPT_PRINTER", "system").strip() or "system"
    pole = values.get("POS_POLE_DISPLAY", "").strip()
    try:
        check_printer_url(printer)
    except ValueError as exc:
        raise ConfigError(f"POS_RECEIPT_PRINTER: {exc}") from exc
    try:
        if pole:
            check_display_url(pole)
    except ValueError as exc:
        raise ConfigError(f"POS_POLE_DISPLAY: {exc}") from exc
    logo = values.get("POS_RECEIPT_LOGO", "").strip()
    return HardwareSettings(
        receipt_printer=printer,
        printer_columns=parse_printer_columns(values.get("POS_PRINTER_COLUMNS", "42")),
        receipt_header=values.get("POS_RECEIPT_HEADER", ""),
        receipt_footer=values.get("POS_RECEIPT_FOOTER", "Thank you!"),
        receipt_logo=Path(logo) if logo else None,
        customer_display=parse_flag(
            "POS_CUSTOMER_DISPLAY", values.get("POS_CUSTOMER_DISPLAY", "0")
        ),
        pole_display=pole,
        receipt_code=parse_choice(
            "POS_RECEIPT_CODE", values.get("POS_RECEIPT_CODE", "code128"), ("code128", "qr")
        ),
        printer_cut=parse_choice(
            "POS_PRINTER_CUT", values.get("POS_PRINTER_CUT", "partial"), ("partial", "full")
        ),
    )


__all__ = ["HardwareSettings", "parse_hardware_settings"]
