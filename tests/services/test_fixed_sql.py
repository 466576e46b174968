"""The sale's fixed SQL stores values exactly as Core does, on SQLite and MariaDB alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from pos_app.db.engine import Database
from pos_app.db.fixed_sql import FixedSQL, insert_into
from pos_app.db.models import AuditEntry, HourlySales, table_of
from pos_app.db.statement_batch import StatementBatch
from pos_app.db.upsert import add_to_counters

AUDIT = table_of(AuditEntry)
HOURLY = table_of(HourlySales)


@pytest.mark.parametrize(
    "moment",
    [datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=UTC)],
    ids=["whole second", "microseconds"],
)
def test_a_timestamp_is_stored_as_core_stores_it(database: Database, moment: datetime) -> None:
    row = {"created_at": moment, "user_id": None, "till_id": "till-1", "action": "sale"}
    with database.engine.begin() as connection:
        connection.execute(insert(AUDIT), {**row, "subject": "core", "detail": "{}"})
        insert_into(AUDIT, [*row, "subject", "detail"]).execute(
            connection, {**row, "subject": "fixed", "detail": "{}"}
        )
        stored = dict(connection.exec_driver_sql("SELECT subject, created_at FROM audit_log").all())
        read = dict(connection.execute(select(AUDIT.c.subject, AUDIT.c.created_at)).all())
    assert stored["fixed"] == stored["core"]
    assert read["fixed"] == moment


def test_a_naive_timestamp_is_refused(database: Database) -> None:
    row = {"created_at": datetime(2026, 3, 29, 1, 30), "user_id": None, "till_id": "till-1"}
    with database.engine.connect() as connection, pytest.raises(ValueError, match="naive"):
        insert_into(AUDIT, [*row, "action", "subject", "detail"]).execute(
            connection, {**row, "action": "sale", "subject": "", "detail": "{}"}
        )


def test_a_percent_sign_in_the_text_is_not_a_parameter(database: Database) -> None:
    statement = FixedSQL("SELECT :word, '100%'")
    with database.engine.connect() as connection:
        assert tuple(statement.execute(connection, {"word": "all"}).one()) == ("all", "100%")


def test_counters_add_up_when_their_key_is_already_there(database: Database) -> None:
    key = {"local_date": date(2026, 3, 29), "local_hour": 9, "till_id": "till-1"}
    sale = {"sales_count": 1, "units": 3, "revenue_cents": 450, "discount_cents": 50}
    measures = list(sale)
    with database.engine.begin() as connection:
        for rows in ([{**key, **sale}], [{**key, **sale}, {**key, "local_hour": 8, **sale}]):
            batch = StatementBatch()
            add_to_counters(batch, HOURLY, rows, measures)
            batch.run(connection)
        rows = connection.execute(
            select(HOURLY.c.local_hour, *(HOURLY.c[name] for name in measures)).order_by(
                HOURLY.c.local_hour
            )
        ).all()
    assert [tuple(row) for row in rows] == [(8, 1, 3, 450, 50), (9, 2, 6, 900, 100)]
