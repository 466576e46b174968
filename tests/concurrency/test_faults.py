"""Faults a shared MariaDB meets in a shop: lost answers, killed tills, killed connections."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pymysql
import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from pos_app.db.engine import MYSQL_PING_AFTER_IDLE_S, create_database, create_engine_for
from pos_app.db.models import Inventory, Sale, SaleItem
from pos_app.services import auth, catalog, checkout, product_lookup, refunds
from pos_app.services.access import UserSession
from pos_app.services.context import OUTCOME_UNKNOWN, ServiceContext
from pos_app.services.errors import DatabaseUnavailableError
from pos_app.services.paging import PageRequest
from tests import dbutil, factories
from tests.concurrency.tillproc import (
    CASHIER_PASSWORD,
    PROJECT_ROOT,
    check_database,
    count_sales,
    seed_shop,
    till_command,
)

pytestmark = pytest.mark.mysql


@pytest.fixture
def shop_url() -> Iterator[str]:
    if not dbutil.mysql_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("MariaDB is not reachable and CI=true.")
        pytest.skip("MariaDB is not reachable")
    with dbutil.temporary_mysql_database() as url:
        engine = create_engine_for(url)
        seed_shop(engine)
        engine.dispose()
        yield url


def open_till(url: str, till_id: str = "till-f") -> tuple[ServiceContext, UserSession]:
    ctx = ServiceContext(
        database=create_database(url),
        timezone=ZoneInfo("Europe/Berlin"),
        till_id=till_id,
        jwt_secret="fault-secret-" + "x" * 32,
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )
    cashier = auth.login(ctx, "cashier@till.test", CASHIER_PASSWORD).session
    factories.open_till(ctx, cashier)
    return ctx, cashier


def cart(*pairs: tuple[int, int]) -> list[checkout.PurchaseLine]:
    return [checkout.PurchaseLine(product_id=p, quantity=q) for p, q in pairs]


def stock_of(url: str, product_id: int) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        quantity = connection.scalar(
            select(Inventory.quantity).where(Inventory.product_id == product_id)
        )
    engine.dispose()
    assert quantity is not None
    return quantity


def admin() -> Any:
    return pymysql.connect(
        host=dbutil.MYSQL_HOST,
        port=dbutil.MYSQL_PORT,
        user=dbutil.MYSQL_USER,
        password=dbutil.MYSQL_PASSWORD,
        autocommit=True,
    )


def kill_connections(url: str) -> int:
    """KILL every server-side connection to the test database; returns how many."""
    connection = admin()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = %s "
                "AND ID <> CONNECTION_ID()",
                (make_url(url).database,),
            )
            ids = [row[0] for row in cursor.fetchall()]
            for connection_id in ids:
                cursor.execute(f"KILL {int(connection_id)}")
    finally:
        connection.close()
    return len(ids)


def assert_consistent(url: str) -> None:
    engine = create_engine_for(url)
    report = check_database(engine)
    engine.dispose()
    assert report.problems == {}


def sales_with_uuid(url: str, key: str) -> int:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        found = connection.scalar(select(func.count()).select_from(Sale).where(Sale.uuid == key))
    engine.dispose()
    return found or 0


def test_the_same_sale_uuid_sold_twice_makes_one_sale(shop_url: str) -> None:
    ctx, cashier = open_till(shop_url)
    key = str(uuid.uuid4())
    first = checkout.purchase(ctx, cashier, cart((6, 2), (7, 1)), sale_uuid=key)
    again = checkout.purchase(ctx, cashier, cart((6, 2), (7, 1)), sale_uuid=key)
    ctx.database.dispose()

    assert first.committed and again.committed
    assert again.sale_id == first.sale_id
    assert again.total_cents == first.total_cents
    assert sales_with_uuid(shop_url, key) == 1
    assert stock_of(shop_url, 6) == 100_000 - 2
    assert_consistent(shop_url)


def lose_the_commit_answer(
    ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
    *,
    committed: bool,
    then_down: bool = False,
) -> None:
    """The next commit loses its answer (after or before the server committed); ``then_down``:
    every statement after it fails too, as while the network is still gone. A commit is a
    COMMIT the connection sends, or a statement batch that ends with one (MariaDB)."""
    dialect = ctx.database.engine.dialect
    real_commit, real_execute = dialect.do_commit, dialect.do_execute
    lost = pymysql.err.OperationalError(2013, "Lost connection to server during query")
    down: list[bool] = []
    answered: list[bool] = []

    def lose_the_answer(commit: Callable[[], None]) -> None:
        monkeypatch.setattr(dialect, "do_commit", real_commit)
        answered.append(True)
        if committed:
            commit()
        down.append(then_down)
        raise lost

    def commit_then_lose_the_answer(dbapi_connection: Any) -> None:
        lose_the_answer(lambda: real_commit(dbapi_connection))

    def execute(cursor: Any, statement: str, parameters: Any, context: Any = None) -> None:
        if any(down):
            raise lost
        if not answered and statement.startswith("BEGIN NOT ATOMIC") and "\nCOMMIT;" in statement:
            lose_the_answer(lambda: real_execute(cursor, statement, parameters, context))
        real_execute(cursor, statement, parameters, context)

    monkeypatch.setattr(dialect, "do_commit", commit_then_lose_the_answer)
    monkeypatch.setattr(dialect, "do_execute", execute)
    monkeypatch.setattr("pos_app.services.context.CONFIRM_PAUSES_S", (0.0, 0.01))


def test_a_sale_committed_before_the_answer_was_lost_is_answered_as_saved(
    shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, cashier = open_till(shop_url)
    key = str(uuid.uuid4())
    lose_the_commit_answer(ctx, monkeypatch, committed=True)

    sold = checkout.purchase(ctx, cashier, cart((8, 3)), sale_uuid=key)
    retried = checkout.purchase(ctx, cashier, cart((8, 3)), sale_uuid=key)
    ctx.database.dispose()

    assert sold.committed and [line.quantity for line in sold.sold] == [3]
    assert retried.committed and retried.sale_id == sold.sale_id
    assert sales_with_uuid(shop_url, key) == 1
    assert stock_of(shop_url, 8) == 100_000 - 3
    assert_consistent(shop_url)


def test_a_sale_lost_before_the_server_committed_it_is_answered_as_not_saved(
    shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, cashier = open_till(shop_url)
    key = str(uuid.uuid4())
    lose_the_commit_answer(ctx, monkeypatch, committed=False)

    with pytest.raises(DatabaseUnavailableError, match="nothing was saved"):
        checkout.purchase(ctx, cashier, cart((8, 3)), sale_uuid=key)
    assert sales_with_uuid(shop_url, key) == 0
    retried = checkout.purchase(ctx, cashier, cart((8, 3)), sale_uuid=key)
    ctx.database.dispose()

    assert retried.committed
    assert sales_with_uuid(shop_url, key) == 1
    assert stock_of(shop_url, 8) == 100_000 - 3
    assert_consistent(shop_url)


def test_a_sale_whose_outcome_cannot_be_looked_up_says_so_and_the_retry_sells_once(
    shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, cashier = open_till(shop_url)
    key = str(uuid.uuid4())
    lose_the_commit_answer(ctx, monkeypatch, committed=True, then_down=True)

    with pytest.raises(DatabaseUnavailableError) as raised:
        checkout.purchase(ctx, cashier, cart((8, 3)), sale_uuid=key)
    monkeypatch.undo()
    assert str(raised.value) == OUTCOME_UNKNOWN
    assert "nothing was saved" not in str(raised.value)
    retried = checkout.purchase(ctx, cashier, cart((8, 3)), sale_uuid=key)
    ctx.database.dispose()

    assert retried.committed
    assert sales_with_uuid(shop_url, key) == 1
    assert stock_of(shop_url, 8) == 100_000 - 3
    assert_consistent(shop_url)


@pytest.mark.slow
@pytest.mark.parametrize("round_", range(3))
def test_a_till_killed_mid_sale_leaves_only_whole_sales(shop_url: str, round_: int) -> None:
    process = subprocess.Popen(
        till_command(shop_url, "till-doomed", 0, 40 + round_),
        cwd=PROJECT_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline().strip() == "ready"
    process.stdin.write("go\n")
    process.stdin.flush()
    engine = create_engine_for(shop_url)
    deadline = time.monotonic() + 30
    while count_sales(engine) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(random.Random(round_).uniform(0.0, 0.3))
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)
    engine.dispose()

    assert process.returncode == -signal.SIGKILL
    assert_consistent(shop_url)
    ctx, cashier = open_till(shop_url)
    after = checkout.purchase(ctx, cashier, cart((1, 1), (9, 1)), partial=True)
    ctx.database.dispose()
    assert after.committed, "the killed till's locks were not released"
    assert_consistent(shop_url)


def test_killed_pooled_connections_are_replaced_before_the_next_sale(shop_url: str) -> None:
    ctx, cashier = open_till(shop_url)
    checkout.purchase(ctx, cashier, cart((10, 1)))
    assert kill_connections(shop_url) >= 1

    key = str(uuid.uuid4())
    try:
        result = checkout.purchase(ctx, cashier, cart((10, 2)), sale_uuid=key)
    except DatabaseUnavailableError as exc:
        assert "try again" in str(exc)
        result = checkout.purchase(ctx, cashier, cart((10, 2)), sale_uuid=key)
    again = checkout.purchase(ctx, cashier, cart((10, 2)), sale_uuid=key)
    ctx.database.dispose()

    assert result.committed and again.sale_id == result.sale_id
    assert sales_with_uuid(shop_url, key) == 1
    assert stock_of(shop_url, 10) == 100_000 - 3
    assert_consistent(shop_url)


def test_a_connection_killed_mid_sale_saves_nothing_and_the_retry_sells_once(
    shop_url: str,
) -> None:
    ctx, cashier = open_till(shop_url)
    engine = ctx.database.engine
    killed: list[int] = []

    def kill_before_items(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        # The items' INSERT, on its own or in the statement batch that writes the sale.
        if not killed and "INSERT INTO SALE_ITEMS" in statement.upper():
            thread_id = conn.connection.dbapi_connection.thread_id()
            killer = admin()
            with killer.cursor() as admin_cursor:
                admin_cursor.execute(f"KILL {int(thread_id)}")
            killer.close()
            killed.append(thread_id)

    event.listen(engine, "before_cursor_execute", kill_before_items)
    key = str(uuid.uuid4())
    try:
        with pytest.raises(DatabaseUnavailableError) as raised:
            checkout.purchase(ctx, cashier, cart((1, 5), (11, 1)), sale_uuid=key)
    finally:
        event.remove(engine, "before_cursor_execute", kill_before_items)
    assert killed, "the sale never reached its items"
    assert "nothing was saved" in str(raised.value)
    assert sales_with_uuid(shop_url, key) == 0
    assert stock_of(shop_url, 11) == 100_000
    assert_consistent(shop_url)

    retried = checkout.purchase(ctx, cashier, cart((1, 5), (11, 1)), sale_uuid=key)
    ctx.database.dispose()
    assert retried.committed
    assert sales_with_uuid(shop_url, key) == 1
    assert stock_of(shop_url, 11) == 100_000 - 1
    assert_consistent(shop_url)


def test_an_idle_till_whose_connections_were_killed_works_transparently(shop_url: str) -> None:
    ctx, cashier = open_till(shop_url)
    before = catalog.list_products(ctx, cashier, page=PageRequest(limit=5))
    checkout.purchase(ctx, cashier, cart((12, 1)))
    assert kill_connections(shop_url) >= 1
    time.sleep(MYSQL_PING_AFTER_IDLE_S + 0.2)  # idle long enough to be checked before use

    page = catalog.list_products(ctx, cashier, page=PageRequest(limit=5))
    sale = checkout.purchase(ctx, cashier, cart((12, 1)))
    found = product_lookup.find_product(ctx, cashier, "SKU-0011")
    ctx.database.dispose()

    assert [p.id for p in page.items] == [p.id for p in before.items]
    assert sale.committed
    assert found.quantity == 100_000 - 2
    assert_consistent(shop_url)


def test_a_refund_committed_before_the_answer_was_lost_is_answered_as_saved(
    shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, cashier = open_till(shop_url)
    sale = checkout.purchase(ctx, cashier, cart((13, 2)))
    assert sale.sale_id is not None
    with ctx.database.engine.connect() as connection:
        item = connection.scalar(select(SaleItem.id).where(SaleItem.sale_id == sale.sale_id))
    assert item is not None
    key = str(uuid.uuid4())
    lose_the_commit_answer(ctx, monkeypatch, committed=True)

    refunded = refunds.refund(
        ctx, cashier, sale.sale_id, [(item, 1)], reason="Changed mind", refund_uuid=key
    )
    again = refunds.refund(
        ctx, cashier, sale.sale_id, [(item, 1)], reason="Changed mind", refund_uuid=key
    )
    ctx.database.dispose()

    assert refunded.uuid == key and again.id == refunded.id
    assert stock_of(shop_url, 13) == 100_000 - 1
