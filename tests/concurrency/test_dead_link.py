"""A till whose network dies mid-sale, holding a row lock: the other tills keep selling."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from pos_app.db.engine import create_engine_for
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.services import checkout
from pos_app.services.errors import DatabaseUnavailableError
from tests import dbutil
from tests.concurrency.proxy import SwallowingProxy
from tests.concurrency.test_faults import (
    assert_consistent,
    cart,
    open_till,
    sales_with_uuid,
    shop_url,
    stock_of,
)

pytestmark = pytest.mark.mysql
__all__ = ["shop_url"]
PRODUCT = 30


def test_a_till_cut_off_mid_sale_does_not_stop_another_till_selling_the_same_product(
    shop_url: str,
) -> None:
    with SwallowingProxy(dbutil.MYSQL_HOST, dbutil.MYSQL_PORT) as proxy:
        through_proxy = make_url(shop_url).set(host="127.0.0.1", port=proxy.port)
        doomed, doomed_cashier = open_till(
            through_proxy.render_as_string(hide_password=False), "till-doomed"
        )
        other, other_cashier = open_till(shop_url, "till-other")
        stock_taken = threading.Event()
        sent: list[str] = []

        def cut_after_taking_stock(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            # The statement after the one that took the stock (on MariaDB the batch that also
            # wrote the sale; a discounted sale audits the discount before it commits).
            if any("UPDATE INVENTORIES" in earlier.upper() for earlier in sent):
                proxy.swallow()
                stock_taken.set()
            sent.append(statement)

        event.listen(doomed.database.engine, "before_cursor_execute", cut_after_taking_stock)
        doomed_key = str(uuid.uuid4())
        outcome: list[BaseException] = []
        discount = {PRODUCT: Discount(DiscountKind.PERCENT, 500, "Dented tin")}

        def sell_on_the_doomed_till() -> None:
            try:
                checkout.purchase(
                    doomed,
                    doomed_cashier,
                    cart((PRODUCT, 1)),
                    sale_uuid=doomed_key,
                    line_discounts=discount,
                )
            except BaseException as exc:  # handed back to the test
                outcome.append(exc)

        doomed_sale = threading.Thread(target=sell_on_the_doomed_till)
        doomed_sale.start()
        assert stock_taken.wait(10), "the doomed till never took the stock"

        started = time.monotonic()
        sold = checkout.purchase(other, other_cashier, cart((PRODUCT, 2)))
        waited = time.monotonic() - started

        proxy.close()
        doomed_sale.join(timeout=30)
    doomed.database.dispose()
    other.database.dispose()

    assert sold.committed
    assert waited < 10, f"the other till waited {waited:.1f} s"
    assert not doomed_sale.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], DatabaseUnavailableError)
    assert sales_with_uuid(shop_url, doomed_key) == 0
    assert stock_of(shop_url, PRODUCT) == 100_000 - 2
    assert_consistent(shop_url)


def test_a_statement_may_take_as_long_as_its_engine_allows_and_no_longer() -> None:
    with dbutil.temporary_mysql_database(migrate=False) as url:
        for allowed, answers in ((1, False), (5, True)):
            engine = create_engine_for(url, read_timeout_s=allowed)
            try:
                with engine.connect() as connection:
                    if answers:
                        assert connection.execute(text("SELECT SLEEP(2)")).scalar() == 0
                    else:
                        with pytest.raises(OperationalError):
                            connection.execute(text("SELECT SLEEP(2)"))
            finally:
                engine.dispose()
