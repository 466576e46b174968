"""Selling at the till: one purchase is one transaction; stock is taken by conditional updates.

A purchase checks the session, reads what it needs through :mod:`pos_app.db.sale_store` in one
statement, asks the domain whether each line can sell, takes the stock, prices the lines (see
:mod:`pos_app.domain.pricing`), asks who approves changed prices and discounts (see
:mod:`pos_app.domain.approvals`), writes the sale through the store and commits.

A product sold by weight sells grams (its stock is grams too) at its price per kg; the grams
scale price labels cover cost what the labels say (see :mod:`pos_app.domain.pricing`).
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db.models import Sale
from pos_app.db.sale_state import CartProduct, SaleState, read_sale_state
from pos_app.db.sale_store import add_stock_takes, sale_id_of, stock_taken
from pos_app.db.statement_batch import BatchResult, StatementBatch
from pos_app.domain.cart import (
    WEIGHED_LIMIT,
    label_prices,
    out_of_stock,
    unsellable_quantity,
)
from pos_app.domain.discounts import Discount
from pos_app.services.access import (
    PRICE_APPROVAL,
    ApprovalToken,
    SessionClaim,
    UserSession,
    approval_subject,
    authorize_reading,
)
from pos_app.services.cart_lines import (
    MAX_QUANTITY,
    REASONS,
    FailedLine,
    PurchaseLine,
    merge_lines,
)
from pos_app.services.context import OUTCOME_UNKNOWN, ServiceContext, retry_when_busy
from pos_app.services.errors import (
    DatabaseUnavailableError,
    NoOpenShiftError,
    ValidationError,
)
from pos_app.services.payments import MAX_PAYMENTS, PaymentIn
from pos_app.services.roles import Role, UserInfo
from pos_app.services.sale_terms import (
    SaleRequest,
    SaleTerms,
    WrittenSale,
    whole_sale,
    written_sale,
)
from pos_app.services.sales import SaleInfo, SoldLine, get_sale, items_of, recent_sales
from pos_app.services.settlement import (
    Approval,
    add_sale_writes,
    approve_overrides,
    audit_sale,
    check_overrides_in_cart,
    clean_approver,
    clean_cart_discount,
    clean_line_discounts,
    clean_overrides,
    is_audited,
    settled_amounts,
    settlement_of,
)
from pos_app.services.till_promotions import promotions_for_sale
from pos_app.services.validation import check_items

NO_SHIFT_TO_SELL = "Open a shift on this till before selling."


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


def new_sale_uuid() -> str:
    """A fresh id for the next sale; the till keeps it until that sale is committed."""
    return str(uuidlib.uuid4())


@retry_when_busy
def purchase(
    ctx: ServiceContext,
    actor: UserSession,
    lines: Sequence[PurchaseLine],
    *,
    sale_uuid: str | None = None,
    partial: bool = False,
    payments: Sequence[PaymentIn] = (),
    price_overrides: Mapping[int, int] | None = None,
    override_approver: ApprovalToken | None = None,
    line_discounts: Mapping[int, Discount] | None = None,
    cart_discount: Discount | None = None,
) -> PurchaseResult:
    """Sell the cart. By default all lines sell or none; ``partial=True`` sells what it can.

    ``payments`` must add up to the total (none: exact cash); ``price_overrides`` maps product
    ids to the unit price charged instead of the list price, each override audited. A cashier's
    changed prices need ``override_approver``: an ``auth.approve`` token of an active manager or
    owner other than the cashier.

    Today's promotions apply by themselves (see :mod:`pos_app.domain.promotions`), then the
    lines' own discounts (``line_discounts`` by product id) and the ``cart_discount``. A discount
    above the cashier's limit needs ``override_approver`` too, from someone whose limit covers it.
    """
    key = _clean_uuid(sale_uuid)
    if not isinstance(partial, bool):
        raise ValidationError("Choose whether to sell only what is in stock.", field="partial")
    wanted, failed = merge_lines(lines, WEIGHED_LIMIT)
    labels = label_prices(lines)  # the lines merge_lines has checked
    overrides = clean_overrides(price_overrides)
    ids = [*wanted, *(line.product_id for line in failed)]
    check_overrides_in_cart(overrides, ids)
    approver = clean_approver(override_approver)
    check_items(payments, "payments", "payments", max_items=MAX_PAYMENTS)
    discounts = clean_line_discounts(line_discounts, ids)
    whole_cart = clean_cart_discount(cart_discount)
    cart = SaleRequest(wanted, failed, overrides, payments, labels, discounts, whole_cart)
    with ctx.connection() as connection:
        # The session's token row and account come with the sale's one read.
        acting, (state, approver_id) = authorize_reading(
            connection,
            ctx,
            actor,
            Role.CASHIER,
            "sell products",
            lambda claim: _read_state(ctx, connection, claim, approver, key, ids),
        )
        if state.stored_sale:
            stored = _find_sale(connection, key)
            if stored is not None:
                return stored
        if state.shift_id is None:
            raise NoOpenShiftError(NO_SHIFT_TO_SELL)
        approval = approve_overrides(
            ctx, acting, approver, overrides, state.list_prices, state.approver
        )
        try:
            result = _sell(
                ctx, connection, acting, key, cart, partial, state, approval, approver_id
            )
        except IntegrityError:
            # The same sale committed by a concurrent retry in the meantime: return that one.
            stored = _stored_meanwhile(connection, key)
            if stored is None:
                raise
            return stored
        if not result.committed:
            # The stock may be gone to this very sale, committed by another till meanwhile.
            return _stored_meanwhile(connection, key) or result
        return result


def _read_state(
    ctx: ServiceContext,
    connection: Connection,
    claim: SessionClaim,
    approver: ApprovalToken | None,
    key: str,
    ids: list[int],
) -> tuple[tuple[Any, ...] | None, tuple[SaleState, int | None]]:
    approver_id = approval_subject(ctx, approver, claim.user, PRICE_APPROVAL)
    state = read_sale_state(
        connection,
        token_hash=claim.token_hash,
        user_id=claim.user.id,
        approver_id=approver_id,
        sale_uuid=key,
        till_id=ctx.till_id,
        product_ids=ids,
    )
    return state.session, (state, approver_id)


def _clean_uuid(raw: object) -> str:
    if raw is None:
        return new_sale_uuid()
    if not isinstance(raw, str) or len(raw) > 64:
        raise ValidationError("The sale id is not valid.", field="sale_uuid")
    try:
        return str(uuidlib.UUID(raw.strip()))
    except ValueError:
        raise ValidationError("The sale id is not valid.", field="sale_uuid") from None


def _sell(
    ctx: ServiceContext,
    connection: Connection,
    actor: UserInfo,
    key: str,
    cart: SaleRequest,
    partial: bool,
    state: SaleState,
    approval: Approval | None,
    approver_id: int | None = None,
) -> PurchaseResult:
    products = state.products
    failed = [
        replace(line, product_name=_name_of(products, line.product_id)) for line in cart.failed
    ]
    sellable: list[tuple[CartProduct, int]] = []
    for product_id, quantity in cart.wanted.items():
        product = products.get(product_id)
        if product is None:
            message = "This product does not exist (any more)."
            failed.append(FailedLine(product_id, None, quantity, "unknown_product", message))
        elif not product.is_active:
            message = f"{product.name} is no longer sold."
            failed.append(FailedLine(product_id, product.name, quantity, "inactive", message))
        elif refused := unsellable_quantity(
            product_id, product.name, quantity, product.is_weighed, cart.labels.get(product_id)
        ):
            failed.append(refused)
        else:
            sellable.append((product, quantity))
    if failed and not partial:
        return _not_committed(key, failed)
    now = ctx.now()
    promotions = promotions_for_sale(ctx, connection, ctx.local_date(now))
    terms = SaleTerms(ctx, actor, key, cart, state, approval, approver_id, now, promotions)
    wanted = [(product.id, quantity) for product, quantity in sellable]
    batch = StatementBatch()
    stock_steps = add_stock_takes(batch, wanted, now)
    # The usual sale sells every line: priced up front, its stock takes and its writes go to
    # the database together, the writes only if every take succeeds. A refused line, or a sale
    # that fails its own checks, takes the long way below: stock first, then the rest.
    whole = whole_sale(terms, sellable)
    if whole is not None:
        batch.only_if_each_counted_one_row()
        add_sale_writes(batch, ctx, actor, whole.sale, whole.tenders)
        if not is_audited(whole.changed, whole.sale):
            batch.commit_at_end()  # an audited sale adds its entries before it commits
    ran = _run_batch(terms, connection, batch)
    if ran is None:
        return _found_after_a_lost_answer(ctx, key, failed)
    if whole is not None and not ran.stopped:
        return _commit(terms, connection, whole, ran, failed)
    stock = stock_taken(connection, wanted, stock_steps, ran)
    for product, quantity in sorted(sellable, key=lambda item: item[0].id):
        if product.id in stock.left:
            left = stock.left[product.id]
            failed.append(out_of_stock(product.id, product.name, quantity, left, product.sold_by))
    selling = [(product, quantity) for product, quantity in sellable if product.id in stock.taken]
    if not selling or (failed and not partial):
        connection.rollback()
        return _not_committed(key, failed)
    written = written_sale(terms, selling)
    writes = StatementBatch()
    add_sale_writes(writes, ctx, actor, written.sale, written.tenders)
    return _commit(terms, connection, written, writes.run(connection), failed)


def _run_batch(
    terms: SaleTerms, connection: Connection, batch: StatementBatch
) -> BatchResult | None:
    """Run the sale's batch; one that commits is answered as a commit is (see
    ``ServiceContext.run_commit``): None when its answer was lost but the sale is saved."""
    if not batch.commits:
        return batch.run(connection)
    return terms.ctx.run_commit(
        lambda: batch.run(connection), stored=lambda fresh: _sale_stored(fresh, terms.key)
    )


def _found_after_a_lost_answer(
    ctx: ServiceContext, key: str, failed: list[FailedLine]
) -> PurchaseResult:
    """The sale a fresh connection found saved after the answer to its commit was lost."""
    with ctx.connection(readonly=True) as fresh:
        stored = _find_sale(fresh, key)
    if stored is None:
        raise DatabaseUnavailableError(OUTCOME_UNKNOWN)
    return replace(stored, failed=failed)


def _commit(
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
        ctx.commit(connection, stored=lambda fresh: _sale_stored(fresh, key))
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


def _name_of(products: dict[int, CartProduct], product_id: int) -> str | None:
    product = products.get(product_id)
    return product.name if product is not None else None


def _not_committed(key: str, failed: list[FailedLine]) -> PurchaseResult:
    return PurchaseResult(False, None, key, None, 0, [], failed)


def _stored_meanwhile(connection: Connection, key: str) -> PurchaseResult | None:
    """The sale stored under ``key``, read in a new transaction that sees other tills' commits."""
    connection.rollback()
    return _find_sale(connection, key)


def _sale_stored(session: Session, key: str) -> bool:
    return sale_id_of(session.connection(), key) is not None


def _find_sale(connection: Connection, key: str) -> PurchaseResult | None:
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
    "MAX_QUANTITY",
    "REASONS",
    "FailedLine",
    "PurchaseLine",
    "PurchaseResult",
    "SaleInfo",
    "SoldLine",
    "get_sale",
    "new_sale_uuid",
    "purchase",
    "recent_sales",
]
