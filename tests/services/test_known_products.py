"""A sale of products the till has read before: on MariaDB one round trip that checks the read
would be the same. Whatever changed in between, the sale answers as if it had read afresh (on
SQLite, which always reads, the same tests hold)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, func, insert, select

from pos_app.db.models import Sale, table_of
from pos_app.services import auth, catalog, checkout, sale_memory, shifts, users
from pos_app.services.access import UserSession
from pos_app.services.checkout import PurchaseLine, PurchaseResult
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NoOpenShiftError, SessionEndedError
from tests.factories import PASSWORD, make_category, make_product, make_staff


class Shop:
    def __init__(self, ctx: ServiceContext) -> None:
        self.staff = make_staff(ctx)
        category = make_category(ctx, self.staff.owner)
        self.tea = make_product(ctx, self.staff.owner, category.id, name="Tea", stock=20).id
        self.jam = make_product(ctx, self.staff.owner, category.id, name="Jam", stock=3).id

    @property
    def cashier(self) -> UserSession:
        return self.staff.cashier


@pytest.fixture
def shop(ctx: ServiceContext) -> Shop:
    """A shop whose cashier has sold tea and jam once, so the till has read both."""
    shop = Shop(ctx)
    first = checkout.purchase(
        ctx, shop.cashier, [PurchaseLine(shop.tea, 1), PurchaseLine(shop.jam, 1)]
    )
    assert first.committed
    return shop


@pytest.fixture
def batches(ctx: ServiceContext) -> Iterator[list[str]]:
    """The statements sent, to tell a sale that checked its read from one that read."""
    sent: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(ctx.database.engine, "before_cursor_execute", keep)
    yield sent
    event.remove(ctx.database.engine, "before_cursor_execute", keep)


def one_round_trip(ctx: ServiceContext, sent: list[str]) -> bool:
    return not ctx.database.is_sqlite and len(sent) == 1


def sell(
    ctx: ServiceContext, shop: Shop, *lines: tuple[int, int], **options: object
) -> PurchaseResult:
    return checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(product, quantity) for product, quantity in lines],
        **options,  # type: ignore[arg-type]
    )


def test_a_known_cart_sells_in_one_round_trip_on_mariadb(
    ctx: ServiceContext, shop: Shop, batches: list[str]
) -> None:
    sold = sell(ctx, shop, (shop.tea, 2), (shop.jam, 1))

    assert sold.committed and [line.quantity for line in sold.sold] == [2, 1]
    assert sold.total_cents == 3 * 199
    assert one_round_trip(ctx, batches) != ctx.database.is_sqlite


def test_a_price_changed_since_the_last_read_is_charged(
    ctx: ServiceContext, shop: Shop, batches: list[str]
) -> None:
    catalog.update_product(ctx, shop.staff.manager, shop.tea, price_cents=250)

    sold = sell(ctx, shop, (shop.tea, 2))  # checks, finds the price changed, reads afresh
    batches.clear()
    again = sell(ctx, shop, (shop.tea, 1))  # the new price is the one kept now

    assert sold.committed and sold.total_cents == 500
    assert again.committed and again.total_cents == 250
    assert one_round_trip(ctx, batches) != ctx.database.is_sqlite


def test_a_name_changed_only_in_case_is_read_again(ctx: ServiceContext, shop: Shop) -> None:
    catalog.update_product(ctx, shop.staff.manager, shop.tea, name="TEA")

    sold = sell(ctx, shop, (shop.tea, 1))

    assert sold.committed and sold.sold[0].product_name == "TEA"


def test_a_product_no_longer_sold_is_refused(ctx: ServiceContext, shop: Shop) -> None:
    catalog.set_product_active(ctx, shop.staff.manager, shop.jam, False)

    refused = sell(ctx, shop, (shop.tea, 1), (shop.jam, 1))

    assert not refused.committed
    assert [line.reason for line in refused.failed] == ["inactive"]


def test_a_deactivated_cashier_cannot_sell(ctx: ServiceContext, shop: Shop) -> None:
    users.set_user_active(ctx, shop.staff.owner, shop.cashier.user.id, False)

    with pytest.raises(SessionEndedError):
        sell(ctx, shop, (shop.tea, 1))
    assert count_sales(ctx) == 1


def test_a_logged_out_session_cannot_sell(ctx: ServiceContext, shop: Shop) -> None:
    auth.logout(ctx, shop.cashier.token)

    with pytest.raises(SessionEndedError):
        sell(ctx, shop, (shop.tea, 1))
    assert count_sales(ctx) == 1


def test_a_closed_shift_stops_the_sale(ctx: ServiceContext, shop: Shop) -> None:
    shifts.close_shift(ctx, shop.staff.owner, counted_cents=2 * 199)

    with pytest.raises(NoOpenShiftError):
        sell(ctx, shop, (shop.tea, 1))
    assert count_sales(ctx) == 1


def test_a_retried_sale_id_answers_with_the_stored_sale(ctx: ServiceContext, shop: Shop) -> None:
    key = checkout.new_sale_uuid()
    first = sell(ctx, shop, (shop.tea, 2), sale_uuid=key)

    again = sell(ctx, shop, (shop.tea, 2), sale_uuid=key)

    assert again == first
    assert count_sales(ctx) == 2


def test_a_line_short_of_stock_refuses_the_sale_and_says_what_is_left(
    ctx: ServiceContext, shop: Shop, batches: list[str]
) -> None:
    refused = sell(ctx, shop, (shop.tea, 1), (shop.jam, 5))
    partly = sell(ctx, shop, (shop.tea, 1), (shop.jam, 5), partial=True)

    assert not refused.committed and "Only 2 of Jam" in refused.failed[0].message
    assert partly.committed and [line.product_id for line in partly.sold] == [shop.tea]
    assert "Only 2 of Jam" in partly.failed[0].message
    assert count_sales(ctx) == 2


def test_another_till_or_session_reads_for_itself(ctx: ServiceContext, shop: Shop) -> None:
    other = auth.login(ctx, shop.cashier.user.email, PASSWORD).session
    sale_memory.forget(ctx)

    sold = checkout.purchase(ctx, other, [PurchaseLine(shop.tea, 1)])

    assert sold.committed


def count_sales(ctx: ServiceContext) -> int:
    with ctx.database.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(Sale)) or 0)


def test_the_same_sale_id_stored_by_another_till_after_the_check_answers_with_that_sale(
    ctx: ServiceContext, shop: Shop
) -> None:
    key = checkout.new_sale_uuid()
    other_till = ctx.database.engine.connect()
    other_till.execute(
        insert(table_of(Sale)).values(
            uuid=key,
            user_id=shop.cashier.user.id,
            till_id="till-2",
            created_at=ctx.now(),
            local_date=ctx.local_date(ctx.now()),
            total_cents=199,
        )
    )  # not committed yet: this till's check cannot see it, its insert waits for it
    committing = threading.Timer(0.5, other_till.commit)
    committing.start()
    try:
        sold = sell(ctx, shop, (shop.tea, 1), sale_uuid=key)
    finally:
        committing.join()
        other_till.close()

    assert sold.committed and sold.total_cents == 199
    assert sold.sold == []  # the other till's sale, as stored (it wrote no lines here)
    assert count_sales(ctx) == 2
    assert catalog.get_product(ctx, shop.staff.owner, shop.tea).quantity == 19
