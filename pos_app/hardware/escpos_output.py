"""A :class:`Slip` sent to an ESC/POS printer through python-escpos, with its state checked.

``send_job`` opens the connection (short timeout), asks the printer whether it has paper,
writes the slip (and the drawer kick first, so the drawer opens while the paper runs), then
asks again: a printer that went away mid-job does not answer and the job counts as not printed.
Every failure becomes a :class:`PrinterFault` naming the state and one sentence for the till.
"""

from __future__ import annotations

import contextlib
import io
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pos_app.hardware.connection import DeviceTarget, escpos_device
from pos_app.services.receipt_text import Code, Cut, Logo, Slip, TextLine

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 2.5
DRAWER_PIN = 2
# DLE EOT n answers: bits 5 and 6 of the paper status say the roll end is reached.
PAPER_OUT_MASK = 0x60
QR_SIZE = 6


class PrinterState(StrEnum):
    NONE = "none"
    READY = "ready"
    PRINTING = "printing"
    OFFLINE = "offline"
    PAPER_OUT = "paper_out"
    ERROR = "error"

    @property
    def is_fault(self) -> bool:
        return self in (PrinterState.OFFLINE, PrinterState.PAPER_OUT, PrinterState.ERROR)


class PrinterFault(Exception):
    def __init__(self, state: PrinterState, message: str) -> None:
        super().__init__(message)
        self.state = state
        self.message = message


@dataclass(frozen=True)
class PrintJob:
    """One thing for the printer: a slip, a drawer kick, or both."""

    id: int
    title: str
    slip: Slip | None
    kick: bool = False

    def without_kick(self) -> PrintJob:
        return PrintJob(self.id, self.title, self.slip, kick=False)


def render(job: PrintJob, device: Any) -> None:
    """Write ``job`` to a python-escpos printer object (a real one or ``Dummy``)."""
    if job.kick:
        device.cashdraw(DRAWER_PIN)
    if job.slip is None:
        return
    device.set_with_default()
    for block in job.slip.blocks:
        _render_block(block, device)
    device.set_with_default()


def _render_block(block: object, device: Any) -> None:
    if isinstance(block, TextLine):
        device.set_with_default(
            align=block.align,
            bold=block.bold,
            double_width=block.large,
            double_height=block.large,
        )
        device.textln(block.text)
    elif isinstance(block, Code):
        _render_code(block, device)
    elif isinstance(block, Logo):
        _render_logo(block, device)
    elif isinstance(block, Cut):
        device.cut(mode="PART" if block.partial else "FULL")


def _render_code(code: Code, device: Any) -> None:
    device.set_with_default(align="center")
    if code.kind == "QR":
        device.qr(code.data, size=QR_SIZE, native=True)  # centred by the alignment above
        device.textln(code.data)
        return
    # python-escpos prints which barcode renderer it chose on standard output; keep it quiet.
    with contextlib.redirect_stdout(io.StringIO()):
        if code.kind == "EAN13":
            device.barcode(code.data, "EAN13", height=80, width=2, pos="BELOW")
        else:
            device.barcode("{B" + code.data, "CODE128", height=64, width=2, function_type="B")


def _render_logo(logo: Logo, device: Any) -> None:
    from escpos.exceptions import Error as EscposError

    try:
        device.image(logo.path, center=True)
    except (OSError, ValueError, EscposError) as exc:
        # A missing or broken logo never stops a receipt.
        log.warning("the receipt logo %s could not be printed: %s", logo.path, exc)


def send_job(target: DeviceTarget, job: PrintJob, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
    """Print ``job`` on ``target``; raises :class:`PrinterFault` when it did not print."""
    device = escpos_device(target, timeout_s)
    try:
        _open(device, target)
        if target.can_answer:
            _check_paper(device, target)
        render(job, device)
        if target.can_answer:
            _confirm(device, target)
    except PrinterFault:
        raise
    except Exception as exc:
        log.info("printing %s on %s failed: %r", job.title, target.describe(), exc)
        raise PrinterFault(
            PrinterState.OFFLINE,
            f"The connection to the receipt printer ({target.describe()}) broke off.",
        ) from exc
    finally:
        _close(device)


def _open(device: Any, target: DeviceTarget) -> None:
    from escpos.exceptions import DeviceNotFoundError

    try:
        device.open()
    except (DeviceNotFoundError, OSError, ValueError) as exc:
        log.info("receipt printer %s unreachable: %s", target.describe(), exc)
        raise PrinterFault(PrinterState.OFFLINE, _open_problem(target, exc)) from exc


def _open_problem(target: DeviceTarget, error: Exception) -> str:
    text = str(error).lower()
    if "no backend" in text:
        return "USB printers need libusb: install it (apt-get install libusb-1.0-0)."
    if "access denied" in text or "permission denied" in text or "errno 13" in text:
        return (
            f"This user may not open the receipt printer ({target.describe()}); "
            "add the udev rule or group from the README's Hardware section."
        )
    return f"The receipt printer ({target.describe()}) cannot be reached; is it on?"


def _status(device: Any, target: DeviceTarget, mode: bytes) -> int:
    try:
        answer = device.query_status(mode)
    except Exception as exc:
        raise _silent(target) from exc
    if not answer:
        raise _silent(target)
    return int(answer[0])


def _silent(target: DeviceTarget) -> PrinterFault:
    return PrinterFault(
        PrinterState.OFFLINE,
        f"The receipt printer ({target.describe()}) does not answer; check its cable and power.",
    )


def _check_paper(device: Any, target: DeviceTarget) -> None:
    from escpos.constants import RT_STATUS_PAPER

    if _status(device, target, RT_STATUS_PAPER) & PAPER_OUT_MASK == PAPER_OUT_MASK:
        raise PrinterFault(
            PrinterState.PAPER_OUT, "The receipt printer is out of paper; put in a new roll."
        )


def _confirm(device: Any, target: DeviceTarget) -> None:
    from escpos.constants import RT_STATUS_ONLINE

    try:
        _status(device, target, RT_STATUS_ONLINE)
    except PrinterFault:
        raise PrinterFault(
            PrinterState.OFFLINE,
            f"The receipt printer ({target.describe()}) stopped answering during the print.",
        ) from None


def _close(device: Any) -> None:
    try:
        device.close()
    except Exception:
        log.debug("closing the printer connection failed", exc_info=True)


def slip_bytes(job: PrintJob) -> bytes:
    """The ESC/POS bytes of ``job`` without any printer (tests, previews)."""
    from escpos.printer import Dummy

    device = Dummy()
    render(job, device)
    return bytes(device.output)


__all__ = [
    "DEFAULT_TIMEOUT_S",
    "PrintJob",
    "PrinterFault",
    "PrinterState",
    "render",
    "send_job",
    "slip_bytes",
]
