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
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from pos_app.db.sale_state import (
    ReadTexts,
    SaleState,
    add_state_check,
    read_sale_state,
    state_as_read,
)
from pos_app.db.sale_store import add_stock_takes, stock_taken
from pos_app.db.statement_batch import StatementBatch, sends_blocks
from pos_app.domain.cart import (
    WEIGHED_LIMIT,
    label_prices,
)
from pos_app.domain.discounts import Discount
from pos_app.services import sale_memory, sale_outcome
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
from pos_app.services.context import ServiceContext, retry_when_busy
from pos_app.services.errors import (
    NoOpenShiftError,
    PosError,
    ValidationError,
)
from pos_app.services.payments import MAX_PAYMENTS, PaymentIn
from pos_app.services.roles import Role, UserInfo
from pos_app.services.sale_outcome import PurchaseResult
from pos_app.services.sale_terms import (
    SaleRequest,
    SaleTerms,
    out_of_stock_lines,
    sellable_lines,
    whole_sale,
    written_sale,
)
from pos_app.services.sales import SaleInfo, SoldLine, get_sale, recent_sales
from pos_app.services.settlement import (
    Approval,
    add_sale_writes,
    approve_overrides,
    check_overrides_in_cart,
    clean_approver,
    clean_cart_discount,
    clean_line_discounts,
    clean_overrides,
    is_audited,
)
from pos_app.services.till_promotions import promotions_for_sale
from pos_app.services.validation import check_items

NO_SHIFT_TO_SELL = "Open a shift on this till before selling."


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
        if approver is None and sends_blocks(connection.dialect):
            try:
                known = _sell_known_products(ctx, connection, actor, key, cart, partial)
            except IntegrityError:
                # The same sale committed by another till since the check: return that one.
                known = sale_outcome.stored_meanwhile(connection, key)
                if known is None:
                    raise
            if known is not None:
                return known
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
            stored = sale_outcome.find_sale(connection, key)
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
            stored = sale_outcome.stored_meanwhile(connection, key)
            if stored is None:
                raise
            return stored
        if not result.committed:
            # The stock may be gone to this very sale, committed by another till meanwhile.
            return sale_outcome.refused(connection, key, result.failed)
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
    if state.read_as is not None:
        sale_memory.remember(ctx, claim.token_hash, state.read_as)
    return state.session, (state, approver_id)


def _sell_known_products(
    ctx: ServiceContext,
    connection: Connection,
    actor: UserSession,
    key: str,
    cart: SaleRequest,
    partial: bool,
) -> PurchaseResult | None:
    """The usual sale (no changed price, no manual discount) of products this till has read
    in this session, in one round trip: what the sale's read gave last time is checked in the
    batch that takes the stock, writes the sale and commits. None when the sale is not such a
    sale, or the database no longer holds what was read (then nothing is written and the
    transaction is rolled back): the caller sells it the usual way, reading afresh."""
    if cart.failed or cart.overrides or cart.line_discounts or cart.cart_discount:
        return None
    remembered: list[tuple[str, ReadTexts]] = []  # the session's token hash, what it read

    def recall(claim: SessionClaim) -> tuple[tuple[Any, ...] | None, SaleState | None]:
        texts = sale_memory.recall(ctx, claim.token_hash, cart.wanted)
        if texts is None:
            return None, None
        remembered.append((claim.token_hash, texts))
        state = state_as_read(texts)
        return state.session, state

    try:
        acting, state = authorize_reading(
            connection, ctx, actor, Role.CASHIER, "sell products", recall
        )
    except PosError:  # not remembered, or the remembered session fails: the usual way answers
        return None
    if state is None or state.shift_id is None:
        return None
    sellable, failed = sellable_lines(cart, state.products)
    if failed:
        return None
    now = ctx.now()
    promotions = promotions_for_sale(ctx, connection, ctx.local_date(now))
    terms = SaleTerms(ctx, acting, key, cart, state, None, None, now, promotions)
    whole = whole_sale(terms, sellable)
    if whole is None or is_audited(whole.changed, whole.sale):
        return None
    token_hash, texts = remembered[0]
    batch = StatementBatch()
    checked = add_state_check(
        batch,
        texts,
        token_hash=token_hash,
        user_id=acting.id,
        sale_uuid=key,
        till_id=ctx.till_id,
    )
    batch.only_if_each_counted_one_row()
    wanted = [(product.id, quantity) for product, quantity in sellable]
    stock_steps = add_stock_takes(batch, wanted, now)
    batch.only_if_each_counted_one_row()
    add_sale_writes(batch, ctx, acting, whole.sale, whole.tenders)
    batch.commit_at_end()
    ran = sale_outcome.run_sale_batch(terms, connection, batch)
    if ran is None:
        return sale_outcome.found_after_a_lost_answer(ctx, key, [])
    if not ran.stopped:
        return sale_outcome.commit_sale(terms, connection, whole, ran, [])
    if ran.rowcounts.get(checked) == 1 and not partial:  # as read, but a line's stock is short
        stock = stock_taken(connection, wanted, stock_steps, ran)
        return sale_outcome.refused(connection, key, out_of_stock_lines(sellable, stock))
    connection.rollback()
    return None


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
    sellable, failed = sellable_lines(cart, state.products)
    if failed and not partial:
        return sale_outcome.not_committed(key, failed)
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
    ran = sale_outcome.run_sale_batch(terms, connection, batch)
    if ran is None:
        return sale_outcome.found_after_a_lost_answer(ctx, key, failed)
    if whole is not None and not ran.stopped:
        return sale_outcome.commit_sale(terms, connection, whole, ran, failed)
    stock = stock_taken(connection, wanted, stock_steps, ran)
    failed += out_of_stock_lines(sellable, stock)
    selling = [(product, quantity) for product, quantity in sellable if product.id in stock.taken]
    if not selling or (failed and not partial):
        connection.rollback()
        return sale_outcome.not_committed(key, failed)
    written = written_sale(terms, selling)
    writes = StatementBatch()
    add_sale_writes(writes, ctx, actor, written.sale, written.tenders)
    return sale_outcome.commit_sale(terms, connection, written, writes.run(connection), failed)


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
