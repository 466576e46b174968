"""Several tills send the same sale (or refund) at the same instant, as a retried payment does:
every one of them is answered with the one sale (or refund) stored, never "out of stock"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from pos_app.db.engine import create_engine_for
from pos_app.db.models import Inventory, Product, Refund, Sale, SaleItem
from tests import dbutil
from tests.concurrency.tillproc import (
    HOT_PREFIX,
    PROJECT_ROOT,
    ShopPlan,
    Till,
    check_database,
    seed_shop,
)

TILLS = 8
SALE_ROUNDS = 4
REFUND_ROUNDS = 2


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


class Tills:
    """Till processes that each send the same command when told, at the same moment."""

    def __init__(self, url: str, count: int) -> None:
        self.processes = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.concurrency.sameid", url, f"till-{n}"],
                cwd=PROJECT_ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(count)
        ]
        for process in self.processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"

    def all_send(self, command: str) -> list[dict[str, object]]:
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write(command + "\n")
            process.stdin.flush()
        answers = []
        for process in self.processes:
            assert process.stdout is not None
            answers.append(json.loads(process.stdout.readline()))
        return answers

    def close(self) -> None:
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.close()
        for process in self.processes:
            process.wait(timeout=30)


def scalar(engine: Engine, statement: object) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(statement) or 0)  # type: ignore[call-overload]


@pytest.mark.slow
def test_the_same_sale_and_refund_from_eight_tills_at_once_answer_with_the_one_stored(
    shop_url: str,
) -> None:
    engine = create_engine_for(shop_url)
    seed_shop(engine, ShopPlan(products=SALE_ROUNDS + 5, hot=SALE_ROUNDS, hot_stock=(2, 2)))
    with engine.connect() as connection:
        hot = connection.scalars(
            select(Product.id).where(Product.sku.startswith(HOT_PREFIX)).order_by(Product.id)
        ).all()
    tills = Tills(shop_url, TILLS)
    try:
        for round_, product_id in enumerate(hot):
            if round_ % 2:
                # Every till reads the product first (3 of 2 are refused): the same sale then
                # goes the one-round-trip way, the tills' reads checked instead of sent.
                refused = tills.all_send(f"sale {uuid.uuid4()} {product_id} 3")
                assert [answer["committed"] for answer in refused] == [False] * TILLS
            key = str(uuid.uuid4())
            answers = tills.all_send(f"sale {key} {product_id} 2")
            stored = scalar(engine, select(Sale.id).where(Sale.uuid == key))
            assert answers == [{"committed": True, "id": stored}] * TILLS
            stock = select(Inventory.quantity).where(Inventory.product_id == product_id)
            assert scalar(engine, stock) == 0
        assert check_database(engine).problems == {}

        till = Till(shop_url, "till-parent", seed=0)
        for _ in range(REFUND_ROUNDS):
            sale = till_sale(till, till.shelf[0])
            item = scalar(engine, select(SaleItem.id).where(SaleItem.sale_id == sale))
            key = str(uuid.uuid4())
            answers = tills.all_send(f"refund {key} {sale} {item} 1")
            stored = scalar(engine, select(Refund.id).where(Refund.uuid == key))
            assert answers == [{"committed": True, "id": stored}] * TILLS
            refunded = select(func.count()).select_from(Refund).where(Refund.sale_id == sale)
            assert scalar(engine, refunded) == 1
        till.ctx.database.dispose()
    finally:
        tills.close()
        engine.dispose()


def till_sale(till: Till, product_id: int) -> int:
    from pos_app.services import checkout

    result = checkout.purchase(till.ctx, till.cashier, [checkout.PurchaseLine(product_id, 1)])
    assert result.committed and result.sale_id is not None
    return result.sale_id
