"""A statement batch: one compound statement on MariaDB, one statement at a time elsewhere, with
the same answers either way (MariaDB runs each test both ways, and so does SQLite, which only has
one)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pymysql
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from pos_app.db import statement_batch
from pos_app.db.engine import Database
from pos_app.db.fixed_sql import FixedSQL, insert_into
from pos_app.db.models import AuditEntry, HourlySales, Inventory, table_of
from pos_app.db.statement_batch import NEW_ID, StatementBatch
from pos_app.db.upsert import add_to_counters
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.services import checkout
from pos_app.services.context import ServiceContext
from tests.factories import Staff, make_category, make_product, make_staff

AUDIT = table_of(AuditEntry)
HOURLY = table_of(HourlySales)
INVENTORY = table_of(Inventory)
ENTRY_COLUMNS = ("created_at", "user_id", "till_id", "action", "subject", "detail")
INSERT_ENTRY = insert_into(AUDIT, ENTRY_COLUMNS)
RENAME_ENTRY = FixedSQL(
    "UPDATE audit_log SET subject = :subject WHERE id = :id AND subject = :was",
)
AT = datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=UTC)
MEASURES = ["sales_count", "units", "revenue_cents", "discount_cents"]


@pytest.fixture(params=["as sent", "one by one"])
def shop(
    request: pytest.FixtureRequest, database: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The database, taking batches as it does (MariaDB: compound statements), or one statement
    at a time as MySQL does (SQLite always does)."""
    if request.param == "one by one":
        monkeypatch.setattr(statement_batch, "sends_blocks", lambda _dialect: False)
    yield database


def test_mariadb_takes_a_batch_as_one_statement(database: Database) -> None:
    with database.engine.connect() as connection:  # the server's version is read on connecting
        blocks = statement_batch.sends_blocks(connection.dialect)
    assert blocks == (database.engine.dialect.name != "sqlite")


def entry(subject: str, **changes: object) -> dict[str, object]:
    return {
        "created_at": AT,
        "user_id": None,
        "till_id": "till-1",
        "action": "sale",
        "subject": subject,
        "detail": "{}",
        **changes,
    }


def subjects(connection: Connection) -> list[str]:
    return list(connection.scalars(select(AUDIT.c.subject).order_by(AUDIT.c.id)))


def test_later_steps_use_the_new_id_and_rows_are_counted(shop: Database) -> None:
    batch = StatementBatch()
    batch.add(INSERT_ENTRY, entry("first"), new_id=True)
    renamed = batch.add(
        RENAME_ENTRY, {"subject": "renamed", "id": NEW_ID, "was": "first"}, count_rows=True
    )
    missed = batch.add(
        RENAME_ENTRY, {"subject": "never", "id": NEW_ID, "was": "first"}, count_rows=True
    )
    with shop.engine.begin() as connection:
        ran = batch.run(connection)
        stored = connection.execute(select(AUDIT.c.id, AUDIT.c.subject, AUDIT.c.created_at)).one()
    assert ran.new_id == ran.inserted_id() == stored.id
    assert ran.rowcounts == {renamed: 1, missed: 0}
    assert not ran.stopped and not ran.committed
    assert stored.subject == "renamed"
    assert stored.created_at == AT


def test_several_rows_and_percent_signs_arrive_as_they_were(shop: Database) -> None:
    batch = StatementBatch()
    batch.add(INSERT_ENTRY, [entry("10% off"), entry("50 %% less"), entry("it's :subject")])
    with shop.engine.begin() as connection:
        ran = batch.run(connection)
        assert subjects(connection) == ["10% off", "50 %% less", "it's :subject"]
    assert ran.new_id is None
    with pytest.raises(ValueError, match="no row"):
        ran.inserted_id()


def test_counters_add_up_in_key_order_within_one_batch(shop: Database) -> None:
    key = {"local_date": date(2026, 3, 29), "till_id": "till-1"}
    sale = {"sales_count": 1, "units": 3, "revenue_cents": 450, "discount_cents": 50}
    batch = StatementBatch()
    add_to_counters(batch, HOURLY, [{**key, "local_hour": 9, **sale}], MEASURES)
    add_to_counters(
        batch,
        HOURLY,
        [{**key, "local_hour": 9, **sale}, {**key, "local_hour": 8, **sale}],
        MEASURES,
    )
    with shop.engine.begin() as connection:
        batch.run(connection)
        rows = connection.execute(
            select(HOURLY.c.local_hour, HOURLY.c.sales_count, HOURLY.c.units).order_by(
                HOURLY.c.local_hour
            )
        ).all()
    assert [tuple(row) for row in rows] == [(8, 1, 3), (9, 2, 6)]


def test_a_guard_stops_the_steps_after_it_when_a_counted_step_missed(shop: Database) -> None:
    with shop.engine.begin() as connection:
        INSERT_ENTRY.execute(connection, entry("kept"))
    batch = StatementBatch()
    batch.add(RENAME_ENTRY, {"subject": "taken", "id": 1, "was": "kept"}, count_rows=True)
    batch.add(RENAME_ENTRY, {"subject": "taken", "id": 1, "was": "not there"}, count_rows=True)
    batch.only_if_each_counted_one_row()
    batch.add(INSERT_ENTRY, entry("written"), new_id=True)
    batch.commit_at_end()
    with shop.engine.connect() as connection:
        ran = batch.run(connection)
        assert subjects(connection) == ["taken"]  # the counted steps ran, in this transaction
        connection.rollback()
        assert subjects(connection) == ["kept"]
    assert ran.stopped and not ran.committed
    assert ran.new_id is None
    assert list(ran.rowcounts.values()) == [1, 0]


def test_a_batch_that_commits_leaves_no_transaction_open(shop: Database) -> None:
    batch = StatementBatch()
    batch.add(INSERT_ENTRY, entry("counted"), new_id=True)
    batch.add(RENAME_ENTRY, {"subject": "sold", "id": NEW_ID, "was": "counted"}, count_rows=True)
    batch.only_if_each_counted_one_row()
    batch.add(INSERT_ENTRY, entry("after the guard"))
    batch.commit_at_end()
    with shop.engine.connect() as connection:
        ran = batch.run(connection)
        assert ran.committed and not ran.stopped
        assert not connection.in_transaction()
        connection.rollback()  # nothing left to roll back
    with shop.engine.connect() as other:
        assert subjects(other) == ["sold", "after the guard"]
        # The next transaction on a pooled connection commits for itself again.
        INSERT_ENTRY.execute(other, entry("next"))
        other.commit()
    with shop.engine.connect() as third:
        assert subjects(third)[-1] == "next"


def test_a_failing_step_raises_its_own_error_and_rolls_back_with_the_rest(shop: Database) -> None:
    batch = StatementBatch()
    batch.add(INSERT_ENTRY, entry("before"))
    batch.add(insert_into(AUDIT, ("id", *ENTRY_COLUMNS)), [{"id": 7, **entry("a")}] * 2)
    batch.add(INSERT_ENTRY, entry("after"))
    batch.commit_at_end()
    with shop.engine.connect() as connection:
        with pytest.raises(IntegrityError):
            batch.run(connection)
        connection.rollback()
        assert connection.scalar(select(func.count()).select_from(AUDIT)) == 0


def test_a_batch_refuses_what_it_cannot_send() -> None:
    batch = StatementBatch()
    with pytest.raises(ValueError, match="at least one row"):
        batch.add(INSERT_ENTRY, [])
    with pytest.raises(ValueError, match="counted step"):
        batch.only_if_each_counted_one_row()
    batch.add(INSERT_ENTRY, entry("one"), new_id=True)
    with pytest.raises(ValueError, match="at most one"):
        batch.add(INSERT_ENTRY, entry("two"), new_id=True)


class RoundTrips:
    """What the database is sent: statements, and COMMITs the driver sends of its own."""

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.statements: list[str] = []
        self.commits = 0
        event.listen(database.engine, "before_cursor_execute", self._statement)
        if database.is_sqlite:
            dialect = database.engine.dialect
            monkeypatch.setattr(dialect, "do_commit", self._counted(dialect.do_commit))
        else:  # the driver's own commit: ours sends nothing when the server has committed
            driver = pymysql.connections.Connection
            monkeypatch.setattr(driver, "commit", self._counted(driver.commit))

    def _counted(self, commit: Callable[[Any], None]) -> Callable[[Any], None]:
        def counting(connection: Any) -> None:
            self.commits += 1
            commit(connection)

        return counting

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append(statement)


@pytest.fixture
def stocked(ctx: ServiceContext) -> tuple[Staff, list[int]]:
    staff = make_staff(ctx)
    category = make_category(ctx, staff.owner)
    products = [make_product(ctx, staff.owner, category.id, stock=50).id for _ in range(3)]
    return staff, products


def test_a_sale_is_two_round_trips_on_mariadb_and_one_for_products_sold_before(
    ctx: ServiceContext, stocked: tuple[Staff, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    staff, products = stocked
    checkout.purchase(ctx, staff.cashier, [checkout.PurchaseLine(products[0], 1)])
    lines = [checkout.PurchaseLine(product_id=pid, quantity=2) for pid in products]
    sent = RoundTrips(ctx.database, monkeypatch)

    sold = checkout.purchase(ctx, staff.cashier, lines)
    first = (len(sent.statements), sent.commits)
    sent.statements.clear()
    sent.commits = 0
    again = checkout.purchase(ctx, staff.cashier, lines)
    second = (len(sent.statements), sent.commits)

    assert sold.committed and again.committed and len(again.sold) == 3
    assert again.total_cents == sold.total_cents
    if ctx.database.is_sqlite:
        # BEGIN, the read, three stock takes, nine writes; COMMIT through the driver.
        assert first == second == (14, 1)
    else:
        # The read, then one batch that takes the stock, writes the sale and commits; then, all
        # its products read before, one batch that checks the read would be the same as well.
        assert (first, second) == ((2, 0), (1, 0))
        assert sent.statements[0].startswith("BEGIN NOT ATOMIC")


def test_a_refused_line_rolls_the_sale_back_and_says_what_is_left(
    ctx: ServiceContext, stocked: tuple[Staff, list[int]], shop: Database
) -> None:
    staff, products = stocked
    lines = [
        checkout.PurchaseLine(product_id=pid, quantity=q)
        for pid, q in zip(products, (2, 51, 3), strict=True)
    ]

    refused = checkout.purchase(ctx, staff.cashier, lines)
    partly = checkout.purchase(ctx, staff.cashier, lines, partial=True)

    assert not refused.committed
    assert [(line.product_id, line.reason) for line in refused.failed] == [
        (products[1], "out_of_stock")
    ]
    assert partly.committed and [line.quantity for line in partly.sold] == [2, 3]
    with ctx.database.engine.connect() as connection:
        stock = dict(connection.execute(select(INVENTORY.c.product_id, INVENTORY.c.quantity)).all())
    assert stock == {products[0]: 48, products[1]: 50, products[2]: 47}


def test_a_discounted_sale_audits_before_it_commits(
    ctx: ServiceContext, stocked: tuple[Staff, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    staff, products = stocked
    lines = [checkout.PurchaseLine(product_id=products[0], quantity=1)]
    checkout.purchase(ctx, staff.cashier, lines)
    sent = RoundTrips(ctx.database, monkeypatch)

    sold = checkout.purchase(
        ctx,
        staff.cashier,
        lines,
        line_discounts={products[0]: Discount(DiscountKind.PERCENT, 500, "Dented tin")},
    )

    assert sold.committed and sold.sold[0].discount_cents == 10
    assert sent.commits == 1  # the batch left the commit to the audit entry's transaction
    assert any("INSERT INTO audit_log" in statement for statement in sent.statements)
