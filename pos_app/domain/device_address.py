"""Where the till's receipt printer and pole display are: ``POS_RECEIPT_PRINTER`` and
``POS_POLE_DISPLAY`` parsed into a :class:`DeviceTarget` (plain parsing, no device is touched).

Accepted forms::

    tcp://192.168.1.50:9100            network printer (port 9100 when left out)
    usb://0x04b8:0x0202                USB printer by vendor and product id (see lsusb)
    serial:///dev/ttyUSB0?baudrate=19200
    file:///dev/usb/lp0                a device file the kernel's printer driver offers
    system                             the operating system's printer, through the print dialog
    pdf                                no printer: every document is only kept as a PDF

``?status=0`` after a network, USB or serial address turns off the status query for printers
that do not answer DLE EOT (they then cannot report an empty roll).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

SYSTEM = "system"
PDF = "pdf"
TCP = "tcp"
USB = "usb"
SERIAL = "serial"
FILE = "file"
ESCPOS_KINDS = (TCP, USB, SERIAL, FILE)
DEFAULT_PORT = 9100
DEFAULT_BAUDRATE = 19200
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
EXAMPLES = (
    "use tcp://HOST:9100, usb://0xVVVV:0xPPPP, serial:///dev/ttyUSB0?baudrate=19200, "
    "file:///dev/usb/lp0, system or pdf"
)


@dataclass(frozen=True)
class DeviceTarget:
    kind: str
    host: str = ""
    port: int = DEFAULT_PORT
    vendor_id: int = 0
    product_id: int = 0
    path: str = ""
    baudrate: int = DEFAULT_BAUDRATE
    query_status: bool = True

    @property
    def is_escpos(self) -> bool:
        return self.kind in ESCPOS_KINDS

    @property
    def can_answer(self) -> bool:
        """Whether the printer can be asked for its state (a device file cannot be read)."""
        return self.query_status and self.kind in (TCP, USB, SERIAL)

    def describe(self) -> str:
        if self.kind == TCP:
            return f"{self.host}:{self.port}"
        if self.kind == USB:
            return f"USB {self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind in (SERIAL, FILE):
            return self.path
        return "the system printer" if self.kind == SYSTEM else "PDF only"


def parse_printer_url(url: str) -> DeviceTarget:
    """The target named by ``url``; ValueError with a sentence when it is not understood."""
    text = url.strip()
    if text.lower() in (SYSTEM, PDF):
        return DeviceTarget(kind=text.lower())
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    options = _options(parts.query)
    if scheme == TCP:
        return _tcp(text, parts.hostname, parts, options)
    if scheme == USB:
        return _usb(text, parts.netloc, options)
    if scheme in (SERIAL, FILE):
        if parts.netloc or not parts.path.startswith("/"):
            raise ValueError(f"'{text}' names no device (write three slashes: {scheme}:///dev/…).")
        baudrate = _baudrate(text, options) if scheme == SERIAL else DEFAULT_BAUDRATE
        return DeviceTarget(
            kind=scheme, path=parts.path, baudrate=baudrate, query_status=_status(options)
        )
    raise ValueError(f"'{text}' is not a printer address ({EXAMPLES}).")


def parse_display_url(url: str) -> DeviceTarget:
    """A pole display: only a serial port makes sense."""
    target = parse_printer_url(url)
    if target.kind != SERIAL:
        raise ValueError(f"'{url}' is not a serial port (use serial:///dev/ttyUSB1).")
    return target


def check_printer_url(url: str) -> None:
    parse_printer_url(url)


def check_display_url(url: str) -> None:
    parse_display_url(url)


def _options(query: str) -> dict[str, str]:
    return {key.lower(): values[-1] for key, values in parse_qs(query).items()}


def _status(options: dict[str, str]) -> bool:
    return options.get("status", "1").strip() not in ("0", "no", "off", "false")


def _tcp(text: str, host: str | None, parts: Any, options: dict[str, str]) -> DeviceTarget:
    if not host:
        raise ValueError(f"'{text}' names no host (write tcp://192.168.1.50:9100).")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError:
        raise ValueError(f"'{text}' has a port that is not a number from 1 to 65535.") from None
    return DeviceTarget(kind=TCP, host=host, port=port, query_status=_status(options))


def _usb(text: str, netloc: str, options: dict[str, str]) -> DeviceTarget:
    vendor, _, product = netloc.partition(":")
    try:
        vendor_id, product_id = int(vendor, 16), int(product, 16)
    except ValueError:
        raise ValueError(
            f"'{text}' needs the vendor and product ids in hex (usb://0x04b8:0x0202; "
            "lsusb shows them)."
        ) from None
    if not (0 < vendor_id <= 0xFFFF and 0 < product_id <= 0xFFFF):
        raise ValueError(f"'{text}': USB ids are four hex digits each.")
    return DeviceTarget(
        kind=USB, vendor_id=vendor_id, product_id=product_id, query_status=_status(options)
    )


def _baudrate(text: str, options: dict[str, str]) -> int:
    raw = options.get("baudrate", str(DEFAULT_BAUDRATE))
    if not raw.isdigit() or int(raw) not in BAUDRATES:
        rates = ", ".join(str(rate) for rate in BAUDRATES)
        raise ValueError(f"'{text}': the baud rate must be one of {rates}.")
    return int(raw)


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
    "parse_display_url",
    "parse_printer_url",
]
