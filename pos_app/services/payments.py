"""Payments of a sale, read back for receipts and Z reports (the sale's store writes them).

The rules of tenders and change are in :mod:`pos_app.domain.tenders`, re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import Payment
from pos_app.domain.tenders import (
    CARD,
    CASH,
    MAX_PAYMENTS,
    PaymentIn,
    PaymentLine,
    change_due,
    validate_payments,
)


def payments_of(session: Session, sale_ids: Sequence[int]) -> dict[int, list[PaymentLine]]:
    if not sale_ids:
        return {}
    rows = session.scalars(
        select(Payment).where(Payment.sale_id.in_(sale_ids)).order_by(Payment.id)
    )
    found: dict[int, list[PaymentLine]] = {}
    for row in rows:
        found.setdefault(row.sale_id, []).append(
            PaymentLine(row.tender, row.amount_cents, row.tendered_cents, row.change_cents)
        )
    return found


__all__ = [
    "CARD",
    "CASH",
    "MAX_PAYMENTS",
    "PaymentIn",
    "PaymentLine",
    "change_due",
    "payments_of",
    "validate_payments",
]
