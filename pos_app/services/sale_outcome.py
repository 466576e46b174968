"""What a purchase answers, and how a written sale is committed or found stored.

A purchase answers with the sale it stored, or found stored under its id (a retry, another till
with the same id, a commit whose answer was lost), or with the lines that could not sell and
why. :func:`commit_sale` audits and commits a sale written by a statement batch, unless the batch
committed it itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from pos_app.db.models import Sale
from pos_app.db.sale_store import sale_id_of
from pos_app.db.statement_batch import BatchResult, StatementBatch
from pos_app.services.cart_lines import FailedLine
from pos_app.services.context import OUTCOME_UNKNOWN, ServiceContext
from pos_app.services.errors import DatabaseUnavailableError
from pos_app.services.sale_terms import SaleTerms, WrittenSale
from pos_app.services.sales import SoldLine, items_of
from pos_app.services.settlement import audit_sale, settled_amounts, settlement_of


@dataclass(frozen=True)
class PurchaseResult:
    committed: bool
    sale_id: int | None
    sale_uuid: str
    created_at: datetime | None
    total_cents: int
    sold: list[SoldLine]
    failed: list[FailedLine]
    tax_cents: int = 0
    change_cents: int = 0


def run_sale_batch(
    terms: SaleTerms, connection: Connection, batch: StatementBatch
) -> BatchResult | None:
    """Run the sale's batch; one that commits is answered as a commit is (see
    ``ServiceContext.run_commit``): None when its answer was lost but the sale is saved."""
    if not batch.commits:
        return batch.run(connection)
    return terms.ctx.run_commit(
        lambda: batch.run(connection), stored=lambda fresh: sale_stored(fresh, terms.key)
    )


def found_after_a_lost_answer(
    ctx: ServiceContext, key: str, failed: list[FailedLine]
) -> PurchaseResult:
    """The sale a fresh connection found saved after the answer to its commit was lost."""
    with ctx.connection(readonly=True) as fresh:
        stored = find_sale(fresh, key)
    if stored is None:
        raise DatabaseUnavailableError(OUTCOME_UNKNOWN)
    return replace(stored, failed=failed)


def commit_sale(
    terms: SaleTerms,
    connection: Connection,
    written: WrittenSale,
    ran: BatchResult,
    failed: list[FailedLine],
) -> PurchaseResult:
    """Audit the written sale's changed prices and discounts and commit, unless its batch has
    committed it already; then say what was sold."""
    ctx, sale, key = terms.ctx, written.sale, terms.key
    sale_id = ran.inserted_id()
    if not ran.committed:
        audit_sale(
            connection,
            ctx,
            terms.actor,
            sale_id,
            sale,
            written.changed,
            approval=terms.approval,
            discount_approval=written.discount_approval,
        )
        ctx.commit(connection, stored=lambda fresh: sale_stored(fresh, key))
    settled = settlement_of(sale, written.tenders)
    return PurchaseResult(
        True,
        sale_id,
        key,
        terms.now,
        sale.total_cents,
        written.sold,
        failed,
        settled.tax_cents,
        settled.change_cents,
    )


def refused(connection: Connection, key: str, failed: list[FailedLine]) -> PurchaseResult:
    """Not sold; unless the stock went to this very sale, committed by another till meanwhile."""
    return stored_meanwhile(connection, key) or not_committed(key, failed)


def not_committed(key: str, failed: list[FailedLine]) -> PurchaseResult:
    return PurchaseResult(False, None, key, None, 0, [], failed)


def stored_meanwhile(connection: Connection, key: str) -> PurchaseResult | None:
    """The sale stored under ``key``, read in a new transaction that sees other tills' commits."""
    connection.rollback()
    return find_sale(connection, key)


def sale_stored(session: Session, key: str) -> bool:
    return sale_id_of(session.connection(), key) is not None


def find_sale(connection: Connection, key: str) -> PurchaseResult | None:
    """The sale stored under ``key``, read in the connection's transaction.

    A refused sale asks too, so the common answer (none) costs one indexed lookup and no session.
    """
    if sale_id_of(connection, key) is None:
        return None
    with Session(connection) as session:
        sale = session.scalar(select(Sale).where(Sale.uuid == key))
        if sale is None:
            return None
        items = items_of(session, [sale.id]).get(sale.id, [])
        tax, change = settled_amounts(session, sale.id)
    return PurchaseResult(
        True, sale.id, sale.uuid, sale.created_at, sale.total_cents, items, [], tax, change
    )


__all__ = [
    "PurchaseResult",
    "commit_sale",
    "find_sale",
    "found_after_a_lost_answer",
    "not_committed",
    "refused",
    "run_sale_batch",
    "sale_stored",
    "stored_meanwhile",
]
