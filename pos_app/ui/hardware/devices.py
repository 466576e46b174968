"""The till's devices seen from the GUI: the ESC/POS print queue behind Qt signals, the drawer
kick after cash sales and refunds, and the pole display.

One :class:`TillDevices` lives as long as the main window and is registered as the current
one, so the receipt, refund and Z report dialogs print through the same queue. When the till
prints through the system dialog or only keeps PDFs, ``escpos`` is False and they keep doing
that; the queue's state is shown in the status bar either way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal

from pos_app.config import Settings
from pos_app.hardware.connection import DeviceTarget
from pos_app.hardware.escpos_output import PrinterState, PrintJob
from pos_app.hardware.pole_display import PoleDisplay
from pos_app.hardware.print_queue import DEFAULT_RETRY_S, PrintQueue, QueueStatus
from pos_app.hardware.setup import pole_target, printer_target, slip_layout
from pos_app.services import drawer, receipts
from pos_app.services.payments import CASH
from pos_app.services.receipt_text import (
    Slip,
    SlipLayout,
    receipt_slip,
    refund_slip,
    zreport_slip,
)
from pos_app.services.receipts import Receipt, RefundInfo
from pos_app.services.shift_figures import ZReport
from pos_app.ui.changes import Changes
from pos_app.ui.errors import describe_error
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import run_in_background
from pos_app.ui.translation import QT_TRANSLATE_NOOP, translate_message, translated

log = logging.getLogger(__name__)

QUEUED = QT_TRANSLATE_NOOP("Printer", "Sent to the receipt printer.")
SPOOL_FILE = "print-queue.json"


@dataclass(frozen=True)
class CompletedSale:
    """What the checkout tells the devices and the customer display once a sale committed."""

    sale_id: int
    total_cents: int
    change_cents: int
    paid_cash: bool


def status_text(status: QueueStatus) -> str:
    """The status bar's words for the printer."""
    if status.state is PrinterState.NONE:
        return status.message
    labels = {
        PrinterState.READY: QT_TRANSLATE_NOOP("Printer", "Printer ready"),
        PrinterState.PRINTING: QT_TRANSLATE_NOOP("Printer", "Printing…"),
        PrinterState.OFFLINE: QT_TRANSLATE_NOOP("Printer", "Printer offline"),
        PrinterState.PAPER_OUT: QT_TRANSLATE_NOOP("Printer", "Printer out of paper"),
        PrinterState.ERROR: QT_TRANSLATE_NOOP("Printer", "Printer error"),
    }
    label = translated("Printer", labels[status.state])
    if not status.pending:
        return label
    return QCoreApplication.translate("Printer", "{0} ({1} waiting)").format(label, status.pending)


class TillDevices(QObject):
    status_changed = Signal(object)  # QueueStatus, on the GUI thread
    kick_dropped = Signal(str)
    _job_printed = Signal(object)
    _kick_lost = Signal(object)
    message = Signal(str, bool)  # text, is_error

    def __init__(
        self,
        session: UiSession,
        parent: QObject | None = None,
        *,
        target: DeviceTarget | None = None,
        retry_s: float | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._settings: Settings = session.settings
        self.layout: SlipLayout = slip_layout(
            self._settings, lambda text: QCoreApplication.translate("Receipt", text)
        )
        self.target = target or printer_target(self._settings)
        self.queue: PrintQueue | None = None
        if self.target.is_escpos:
            self.queue = PrintQueue(
                self.target,
                retry_s=retry_s or DEFAULT_RETRY_S,
                spool=self._settings.data_dir / SPOOL_FILE,
            )
            self.queue.on_state(self.status_changed.emit)
            # The queue calls back on its worker thread; these signals carry it to the GUI thread.
            self.queue.on_printed(self._job_printed.emit)
            self.queue.on_kick_dropped(self._kick_lost.emit)
            self._job_printed.connect(self._on_job_printed)
            self._kick_lost.connect(self._on_kick_lost)
        # Drawer openings to record once their kick reached the printer: job id -> cause, number.
        self._openings: dict[int, tuple[str, str]] = {}
        self.pole = _pole(self._settings)

    # state

    @property
    def escpos(self) -> bool:
        return self.queue is not None

    @property
    def status(self) -> QueueStatus:
        if self.queue is not None:
            return self.queue.status
        text = (
            self.tr("Receipts: system printer")
            if self.target.kind == "system"
            else self.tr("Receipts: PDF only")
        )
        return QueueStatus(PrinterState.NONE, text, 0)

    def retry(self) -> None:
        if self.queue is not None:
            self.queue.retry_now()

    def shutdown(self) -> None:
        if self.queue is not None:
            self.queue.stop(timeout_s=1.0)
        if self.pole is not None:
            self.pole.stop()
        if current_devices() is self:
            install_devices(None)

    # printing

    def print_slip(self, slip: Slip, *, kick: bool = False) -> PrintJob | None:
        if self.queue is None:
            return None
        return self.queue.submit(slip.title, slip, kick=kick)

    def print_receipt(self, receipt: Receipt, *, copy: bool = False) -> PrintJob | None:
        return self.print_slip(receipt_slip(receipt, self.layout, copy=copy))

    def print_refund(self, refund: RefundInfo) -> PrintJob | None:
        """The slip, and the drawer opened when the money went back in cash."""
        cash = refund.tender == CASH
        slip = refund_slip(refund, self.layout, timezone=self._settings.timezone)
        job = self.print_slip(slip, kick=cash)
        if job is not None and cash:
            self._openings[job.id] = (drawer.REFUND, refund.number)
        return job

    def print_zreport(self, report: ZReport) -> PrintJob | None:
        return self.print_slip(zreport_slip(report, self.layout, timezone=self._settings.timezone))

    def kick_drawer(self, title: str, opening: tuple[str, str] | None = None) -> bool:
        """Open the drawer now; False when no ESC/POS printer drives one. ``opening`` (cause,
        number) is recorded for the Z report once the kick has reached the printer."""
        if self.queue is None:
            return False
        job = self.queue.submit(title, None, kick=True)
        if opening is not None:
            self._openings[job.id] = opening
        return True

    # the checkout

    def on_sale_completed(self, sale: CompletedSale) -> None:
        """Open the drawer at once for cash, then print the receipt as stored."""
        if self.pole is not None:
            self.pole.show_change(sale.total_cents, sale.change_cents, self._session.money)
        if self.queue is None:
            return
        number = receipts.receipt_number(sale.sale_id)
        if sale.paid_cash:
            self.kick_drawer(f"drawer for {number}", (drawer.SALE, number))
        ctx, user, settings = self._session.ctx, self._session.user, self._settings
        run_in_background(
            self,
            lambda: receipts.get_receipt(
                ctx,
                user,
                sale.sale_id,
                shop_name=settings.shop_name,
                shop_address=settings.shop_address,
            ),
            self._on_receipt_loaded,
            self._on_receipt_failed,
        )

    def show_on_pole(self, line: str, total_cents: int) -> None:
        if self.pole is not None:
            self.pole.show_item(line, total_cents, self._session.money)

    def _on_receipt_loaded(self, receipt: Receipt) -> None:
        self.print_receipt(receipt)

    def _on_receipt_failed(self, error: BaseException) -> None:
        self.message.emit(
            self.tr(
                "The receipt could not be printed: {0} Reprint it from the Receipts screen."
            ).format(describe_error(error)),
            True,
        )

    def _record_opening(self, cause: str, reference: str) -> None:
        ctx, user = self._session.ctx, self._session.user
        Op(
            self,
            op=lambda: drawer.record_opening(ctx, user, cause, reference),
            changes=Changes(audit=True),
        ).failure(self._on_opening_not_recorded).run()

    def _on_opening_not_recorded(self, error: BaseException) -> None:
        self.message.emit(
            self.tr("The drawer opening could not be recorded: {0}").format(describe_error(error)),
            True,
        )

    # the queue's news, now on the GUI thread

    def _on_job_printed(self, job: PrintJob) -> None:
        opening = self._openings.pop(job.id, None)
        if opening is not None and job.kick:
            self._record_opening(*opening)

    def _on_kick_lost(self, job: PrintJob) -> None:
        self._openings.pop(job.id, None)
        self.kick_dropped.emit(job.title)


def queued_outcome(devices: TillDevices) -> tuple[str, bool]:
    """What the cashier reads after handing a slip to the queue."""
    status = devices.status
    if status.state.is_fault:
        text = translated(
            "Printer",
            QT_TRANSLATE_NOOP("Printer", "Queued: {0} It prints once the printer is back."),
        )
        return text.format(translate_message(status.message)), False
    return translated("Printer", QUEUED), True


def pdf_only(settings: Settings) -> bool:
    """The till keeps PDFs and never looks for a system printer."""
    return settings.receipt_printer.strip().lower() == "pdf"


def _pole(settings: Settings) -> PoleDisplay | None:
    try:
        target = pole_target(settings)
    except ValueError:
        log.warning("the pole display setting is not understood", exc_info=True)
        return None
    return PoleDisplay(target) if target is not None else None


_current: TillDevices | None = None


def current_devices() -> TillDevices | None:
    """The devices of the main window now open (None in dialogs tested on their own)."""
    return _current


def install_devices(devices: TillDevices | None) -> None:
    global _current
    _current = devices


__all__ = [
    "QUEUED",
    "CompletedSale",
    "TillDevices",
    "current_devices",
    "install_devices",
    "pdf_only",
    "queued_outcome",
    "status_text",
]
