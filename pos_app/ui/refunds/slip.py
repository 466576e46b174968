"""The refund slip, kept as documents/refunds/<number>.pdf and sent to the printer, and the
sentences around a refund: the receipt it is against and what was paid back."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from pos_app.services.payments import CARD
from pos_app.services.receipts import Receipt, RefundInfo
from pos_app.ui.documents import refund_html
from pos_app.ui.hardware.devices import current_devices, pdf_only, queued_outcome
from pos_app.ui.printing import (
    RECEIPT_WIDTH_MM,
    Outcome,
    PrintOutcome,
    print_html,
    print_outcome,
    refund_pdf_path,
    save_pdf,
)
from pos_app.ui.session import UiSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefundRequest:
    """A refund as the cashier asked for it, kept to send again after an approval or a shift."""

    sale_id: int
    lines: list[tuple[int, int]]
    total_cents: int
    tender: str
    refund_uuid: str
    reason: str


def receipt_summary(session: UiSession, receipt: Receipt | None) -> str:
    """'R00000042 · 12/5/26 1:19 PM · till 1 · Cara Stone · total €6.47', and what went back."""
    if receipt is None:
        return QCoreApplication.translate("RefundsScreen", "No receipt loaded.")
    money = session.money
    when = session.fmt.date_time(receipt.local_time)
    text = QCoreApplication.translate(
        "RefundsScreen", "{0} · {1} · till {2} · {3} · total {4}"
    ).format(
        receipt.number, when, receipt.till_id, receipt.cashier_name, money(receipt.total_cents)
    )
    if receipt.refunds:
        refunded = QCoreApplication.translate("RefundsScreen", " · refunded so far {0}")
        text += refunded.format(money(receipt.refunded_cents))
    return text


def slip_html(session: UiSession, refund: RefundInfo, *, copy: bool = False) -> str:
    """The slip's page; ``copy`` marks a reprint."""
    settings = session.settings
    return refund_html(
        refund,
        settings.shop_format,
        shop_name=settings.shop_name,
        shop_address=settings.shop_address,
        timezone=settings.timezone,
        copy=copy,
    )


def paid_back(session: UiSession, refund: RefundInfo) -> str:
    if refund.tender == CARD:
        sentence = QCoreApplication.translate(
            "RefundsScreen", "Refund {0}: {1} paid back to the card."
        )
    else:
        sentence = QCoreApplication.translate("RefundsScreen", "Refund {0}: {1} paid back in cash.")
    return sentence.format(refund.number, session.money(refund.total_cents))


def keep_and_print(parent: QWidget, session: UiSession, refund: RefundInfo) -> Outcome:
    """Save the slip's PDF, then print it; a sentence on what happened and whether all went well."""
    html = slip_html(session, refund)
    path: Path | None
    try:
        path = save_pdf(
            html, refund_pdf_path(session.settings, refund.number), page_width_mm=RECEIPT_WIDTH_MM
        )
    except OSError:
        log.exception("could not keep the PDF of refund %s", refund.number)
        path = None
    devices = current_devices()
    if devices is not None and devices.escpos:
        devices.print_refund(refund)
        return queued_outcome(devices)
    if pdf_only(session.settings):
        return print_outcome(PrintOutcome.NO_PRINTER, path)
    return print_outcome(print_html(parent, html, preview=False), path)
