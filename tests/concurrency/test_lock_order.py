"""Row locks in one order everywhere, and a deadlock victim retried before anyone hears of it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pymysql
import pytest
from sqlalchemy import event, func, select

from pos_app.db.models import Sale, SaleItem
from pos_app.services import checkout, context, refunds
from pos_app.services.context import ServiceContext
from pos_app.services.errors import DatabaseBusyError
from pos_app.services.roles import UserInfo
from tests.concurrency.test_faults import assert_consistent, cart, open_till, shop_url

pytestmark = pytest.mark.mysql
__all__ = ["shop_url"]
ROUNDS = 15


def in_step(*calls: Callable[[], object]) -> list[BaseException]:
    """Run the calls in threads released at the same instant; the exceptions they raised."""
    gate = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        gate.wait()
        try:
            call()
        except BaseException as exc:  # handed back to the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def items_of(ctx: ServiceContext, sale_id: int | None) -> list[int]:
    with ctx.database.engine.connect() as connection:
        query = select(SaleItem.id).where(SaleItem.sale_id == sale_id).order_by(SaleItem.id)
        return list(connection.scalars(query))


def refund_one_of_each(
    ctx: ServiceContext, cashier: UserInfo, sale_id: int | None, items: list[int]
) -> Callable[[], object]:
    assert sale_id is not None
    return lambda: refunds.refund(
        ctx,
        cashier,
        sale_id,
        [(item, 1) for item in items],
        reason="Changed mind",
        refund_uuid=str(uuid.uuid4()),
    )


def test_refunds_of_receipts_with_lines_in_opposite_order_never_deadlock(
    shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No retries: a deadlock would reach the caller.
    monkeypatch.setattr(context, "BUSY_ATTEMPTS", 1)
    ctx, cashier = open_till(shop_url)
    forward = checkout.purchase(ctx, cashier, cart((20, ROUNDS), (21, ROUNDS)))
    backward = checkout.purchase(ctx, cashier, cart((21, ROUNDS), (20, ROUNDS)))
    forward_items, backward_items = items_of(ctx, forward.sale_id), items_of(ctx, backward.sale_id)

    errors = []
    for _ in range(ROUNDS):
        errors += in_step(
            refund_one_of_each(ctx, cashier, forward.sale_id, forward_items),
            refund_one_of_each(ctx, cashier, backward.sale_id, backward_items),
            lambda: checkout.purchase(ctx, cashier, cart((21, 1), (20, 1))),
        )
    ctx.database.dispose()

    assert errors == []


def writes_the_sale(statement: str) -> bool:
    """The sale row's INSERT, on its own or in the statement batch that writes the sale."""
    return "INSERT INTO SALES (" in statement.upper()


def test_a_deadlocked_sale_is_retried_and_sold_once(
    shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, cashier = open_till(shop_url)
    engine = ctx.database.engine
    deadlocks: list[str] = []

    def deadlock_twice(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if writes_the_sale(statement) and len(deadlocks) < 2:
            deadlocks.append(statement)
            raise pymysql.err.OperationalError(1213, "Deadlock found when trying to get lock")

    event.listen(engine, "before_cursor_execute", deadlock_twice)
    key = str(uuid.uuid4())
    try:
        sold = checkout.purchase(ctx, cashier, cart((22, 2)), sale_uuid=key)
    finally:
        event.remove(engine, "before_cursor_execute", deadlock_twice)
    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(Sale).where(Sale.uuid == key))
    ctx.database.dispose()

    assert len(deadlocks) == 2
    assert sold.committed and stored == 1
    assert_consistent(shop_url)


def test_a_sale_that_keeps_deadlocking_tells_the_cashier_the_database_is_busy(
    shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(context, "BUSY_PAUSE_S", 0.001)
    ctx, cashier = open_till(shop_url)
    engine = ctx.database.engine
    attempts: list[str] = []

    def always_deadlock(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if writes_the_sale(statement):
            attempts.append(statement)
            raise pymysql.err.OperationalError(1213, "Deadlock found when trying to get lock")

    event.listen(engine, "before_cursor_execute", always_deadlock)
    try:
        with pytest.raises(DatabaseBusyError, match="nothing was saved"):
            checkout.purchase(ctx, cashier, cart((23, 1)))
    finally:
        event.remove(engine, "before_cursor_execute", always_deadlock)
    ctx.database.dispose()

    assert len(attempts) == context.BUSY_ATTEMPTS
    assert_consistent(shop_url)
