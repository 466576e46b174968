"""Payments of a sale: written with it, read back for receipts and Z reports.

The rules of tenders and change are in :mod:`pos_app.domain.tenders`, re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from pos_app.db.models import Payment, table_of
from pos_app.domain.tenders import (
    CARD,
    CASH,
    MAX_PAYMENTS,
    PaymentIn,
    PaymentLine,
    change_due,
    validate_payments,
)

_INSERT_PAYMENT = insert(table_of(Payment))


def record_payments(
    session: Session | Connection, sale_id: int, lines: Iterable[PaymentLine], at: datetime
) -> None:
    """Add validated payments to the caller's transaction, in one statement."""
    rows = [
        {
            "sale_id": sale_id,
            "tender": line.tender,
            "amount_cents": line.amount_cents,
            "tendered_cents": line.tendered_cents,
            "change_cents": line.change_cents,
            "created_at": at,
        }
        for line in lines
    ]
    if rows:
        session.execute(_INSERT_PAYMENT, rows)


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
    "record_payments",
    "validate_payments",
]
