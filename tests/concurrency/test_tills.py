"""Eight till processes sell from one shop at once; the stock and the sales stay consistent."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.db.engine import create_engine_for
from tests import dbutil
from tests.concurrency.tillproc import (
    check_database,
    launch_processes,
    launch_tills,
    seed_shop,
    till_command,
)

TILLS = 8
PURCHASES_EACH = 150


@pytest.fixture(params=["sqlite", "mysql"])
def shop_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    if request.param == "sqlite":
        yield dbutil.copy_sqlite(sqlite_template, tmp_path / "shop.sqlite3")
        return
    if not dbutil.mysql_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("MariaDB is not reachable and CI=true.")
        pytest.skip("MariaDB is not reachable")
    with dbutil.temporary_mysql_database() as url:
        yield url


@pytest.mark.slow
def test_eight_tills_selling_at_once_never_oversell_and_every_sale_is_whole(
    shop_url: str,
) -> None:
    engine = create_engine_for(shop_url)
    received = seed_shop(engine)
    summaries = launch_tills(shop_url, TILLS, PURCHASES_EACH, seed=11, timeout=120)
    report = check_database(engine)
    engine.dispose()

    assert report.problems == {}
    assert all(report.units_sold.get(pid, 0) <= units for pid, units in received.items())
    assert sum(s["committed"] + s["failed"] for s in summaries) == TILLS * PURCHASES_EACH
    assert report.sales == sum(s["committed"] for s in summaries)
    assert report.sales_by_till == {s["till"]: s["committed"] for s in summaries if s["committed"]}
    units: Counter[int] = Counter()
    for summary in summaries:
        units.update({int(pid): n for pid, n in summary["units"].items()})
    assert dict(units) == report.units_sold
    hot_ids = sorted(received, key=received.__getitem__)[:5]
    assert any(report.units_sold.get(pid) == received[pid] for pid in hot_ids), (
        "no hot product sold out: the test did not contend for stock"
    )
    print(
        f"{TILLS} tills: {report.sales} sales, {sum(s['failed'] for s in summaries)} refused, "
        f"{sum(s['retries'] for s in summaries)} retried"
    )


@pytest.mark.slow
def test_four_tills_on_one_sqlite_file_never_find_it_locked(
    tmp_path: Path, sqlite_template: Path
) -> None:
    url = dbutil.copy_sqlite(sqlite_template, tmp_path / "shop.sqlite3")
    engine = create_engine_for(url)
    seed_shop(engine)
    commands = [
        till_command(url, f"till-{n}", 100, 70 + n, "--no-service-retry") for n in range(1, 5)
    ]
    summaries = launch_processes(commands, timeout=120)
    report = check_database(engine)
    engine.dispose()

    assert [s["busy"] for s in summaries] == [0, 0, 0, 0]
    assert [s["retries"] for s in summaries] == [0, 0, 0, 0]
    assert report.problems == {}
    assert report.sales == sum(s["committed"] for s in summaries)
