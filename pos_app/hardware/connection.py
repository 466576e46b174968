"""The python-escpos object for a :class:`DeviceTarget` (the addresses are parsed in
``pos_app.domain.device_address``)."""

from __future__ import annotations

from typing import Any

from pos_app.domain.device_address import (
    ESCPOS_KINDS,
    FILE,
    PDF,
    SERIAL,
    SYSTEM,
    TCP,
    USB,
    DeviceTarget,
    check_display_url,
    check_printer_url,
    parse_display_url,
    parse_printer_url,
)


def escpos_device(target: DeviceTarget, timeout_s: float) -> Any:
    """The python-escpos printer object for ``target`` (not yet opened)."""
    from escpos import printer

    if target.kind == TCP:
        return printer.Network(target.host, port=target.port, timeout=timeout_s)
    if target.kind == USB:
        # pyusb counts its timeout in milliseconds.
        return printer.Usb(target.vendor_id, target.product_id, timeout=int(timeout_s * 1000))
    if target.kind == SERIAL:
        return printer.Serial(target.path, baudrate=target.baudrate, timeout=timeout_s)
    if target.kind == FILE:
        return printer.File(target.path)
    raise ValueError(f"{target.describe()} is not an ESC/POS printer.")


__all__ = [
    "ESCPOS_KINDS",
    "FILE",
    "PDF",
    "SERIAL",
    "SYSTEM",
    "TCP",
    "USB",
    "DeviceTarget",
    "check_display_url",
    "check_printer_url",
    "escpos_device",
    "parse_display_url",
    "parse_printer_url",
]
