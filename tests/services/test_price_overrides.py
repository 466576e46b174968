from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event, func, select

from pos_app.db.models import Inventory, Sale
from pos_app.services import audit, auth, checkout, sale_memory, users
from pos_app.services.access import PRICE_APPROVAL, REFUND_APPROVAL, ApprovalToken, UserSession
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError
from pos_app.services.roles import Role
from tests.factories import make_cashier
from tests.services.shop_day import PASSWORD, Shop, make_shop


def sales(ctx: ServiceContext) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(Sale)) or 0


def stock(ctx: ServiceContext, product_id: int) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        found = session.scalar(select(Inventory.quantity).where(Inventory.product_id == product_id))
        return found or 0


def overrides_logged(ctx: ServiceContext, shop: Shop) -> list[audit.AuditEvent]:
    return audit.list_audit(ctx, shop.owner, action=audit.PRICE_OVERRIDE).items


@pytest.fixture
def shop(ctx: ServiceContext) -> Shop:
    return make_shop(ctx, stock=10)


def approval(ctx: ServiceContext, actor: UserSession, approver: UserSession) -> ApprovalToken:
    """What the approval dialog gets when ``approver`` types their password at actor's till."""
    return auth.approve(ctx, actor, approver.email, PASSWORD, action=PRICE_APPROVAL)


def sell(
    ctx: ServiceContext,
    shop: Shop,
    actor: UserSession,
    approver: UserSession | ApprovalToken | None,
    price: int = 999,
) -> checkout.PurchaseResult:
    if isinstance(approver, UserSession):
        approver = approval(ctx, actor, approver)
    return checkout.purchase(
        ctx,
        actor,
        [PurchaseLine(shop.wine.id, 2), PurchaseLine(shop.bread.id, 1)],
        price_overrides={shop.wine.id: price},
        override_approver=approver,
    )


def assert_nothing_sold(ctx: ServiceContext, shop: Shop) -> None:
    assert sales(ctx) == 0
    assert stock(ctx, shop.wine.id) == stock(ctx, shop.bread.id) == 10
    assert overrides_logged(ctx, shop) == []


def test_a_cashier_cannot_change_a_price_without_a_managers_approval(
    ctx: ServiceContext, shop: Shop
) -> None:
    with pytest.raises(PermissionDeniedError) as error:
        sell(ctx, shop, shop.cashier, None)
    assert str(error.value) == "A manager or the owner must approve a changed price."
    assert_nothing_sold(ctx, shop)


def test_a_price_approved_by_a_manager_sells_and_the_audit_names_cashier_and_manager(
    ctx: ServiceContext, shop: Shop
) -> None:
    result = sell(ctx, shop, shop.cashier, shop.manager)
    assert result.committed and result.total_cents == 2 * 999 + 249
    [entry] = overrides_logged(ctx, shop)
    assert entry.user_id == shop.cashier.id and entry.user_name == "Carl Cashier"
    assert entry.subject == "Wine"
    assert (entry.detail["old_price_cents"], entry.detail["new_price_cents"]) == (1250, 999)
    assert entry.detail["approved_by_id"] == shop.manager.id
    assert entry.detail["approved_by"] == "Mona Manager"


def test_the_owner_may_approve_a_cashiers_price(ctx: ServiceContext, shop: Shop) -> None:
    assert sell(ctx, shop, shop.cashier, shop.owner).committed
    [entry] = overrides_logged(ctx, shop)
    assert (entry.user_id, entry.detail["approved_by_id"]) == (shop.cashier.id, shop.owner.id)
    assert entry.detail["approved_by"] == "Olga Owner"


def test_a_deactivated_manager_cannot_approve(ctx: ServiceContext, shop: Shop) -> None:
    given = approval(ctx, shop.cashier, shop.manager)
    users.set_user_active(ctx, shop.owner, shop.manager.id, False)
    with pytest.raises(PermissionDeniedError, match="deactivated"):
        sell(ctx, shop, shop.cashier, given)
    assert_nothing_sold(ctx, shop)


def test_a_cashier_cannot_approve_a_price_not_even_their_own(
    ctx: ServiceContext, shop: Shop
) -> None:
    other = auth.register_user(
        ctx,
        shop.owner,
        email="cleo@shop.test",
        password=PASSWORD,
        first_name="Cleo",
        last_name="Cashier",
    )
    with pytest.raises(PermissionDeniedError, match="Only a manager or the owner"):
        auth.approve(ctx, shop.cashier, other.email, PASSWORD, action=PRICE_APPROVAL)
    with pytest.raises(PermissionDeniedError, match="Only a manager or the owner"):
        sell(ctx, shop, shop.cashier, shop.cashier)
    with pytest.raises(PermissionDeniedError, match="not valid"):
        sell(ctx, shop, shop.cashier, replace(shop.cashier.user, role=Role.MANAGER))  # type: ignore[arg-type]
    assert_nothing_sold(ctx, shop)


def test_the_approvers_role_is_taken_from_the_database(ctx: ServiceContext, shop: Shop) -> None:
    given = approval(ctx, shop.cashier, shop.manager)
    users.change_role(ctx, shop.owner, shop.manager.id, Role.CASHIER)
    with pytest.raises(PermissionDeniedError, match="Only a manager or the owner"):
        sell(ctx, shop, shop.cashier, given)
    assert_nothing_sold(ctx, shop)


def test_an_approval_is_for_one_cashier_one_action_and_two_minutes(
    ctx: ServiceContext, shop: Shop, clock: Any
) -> None:
    other = make_cashier(ctx, shop.owner)
    given = approval(ctx, shop.cashier, shop.manager)
    with pytest.raises(PermissionDeniedError, match="not valid"):
        sell(ctx, shop, other, given)
    for_refunds = auth.approve(
        ctx, shop.cashier, shop.manager.email, PASSWORD, action=REFUND_APPROVAL
    )
    with pytest.raises(PermissionDeniedError, match="not valid"):
        sell(ctx, shop, shop.cashier, for_refunds)
    clock.advance(minutes=2, seconds=1)
    with pytest.raises(PermissionDeniedError, match="expired"):
        sell(ctx, shop, shop.cashier, given)
    assert_nothing_sold(ctx, shop)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OWNER])
def test_a_manager_or_the_owner_changes_a_price_without_approval(
    ctx: ServiceContext, shop: Shop, role: Role
) -> None:
    actor = shop.manager if role is Role.MANAGER else shop.owner
    assert sell(ctx, shop, actor, None).committed
    [entry] = overrides_logged(ctx, shop)
    assert entry.user_id == actor.id
    assert (entry.detail["approved_by_id"], entry.detail["approved_by"]) == (
        actor.id,
        actor.full_name,
    )


def test_a_manager_may_name_themselves_as_approver(ctx: ServiceContext, shop: Shop) -> None:
    assert sell(ctx, shop, shop.manager, shop.manager).committed
    [entry] = overrides_logged(ctx, shop)
    assert entry.detail["approved_by_id"] == shop.manager.id


def test_an_override_at_the_list_price_needs_no_approval(ctx: ServiceContext, shop: Shop) -> None:
    result = sell(ctx, shop, shop.cashier, None, price=shop.wine.price_cents)
    assert result.committed and overrides_logged(ctx, shop) == []


def test_an_approver_without_changed_prices_is_not_checked(ctx: ServiceContext, shop: Shop) -> None:
    given = approval(ctx, shop.cashier, shop.manager)
    users.set_user_active(ctx, shop.owner, shop.manager.id, False)
    result = checkout.purchase(
        ctx, shop.cashier, [PurchaseLine(shop.bread.id, 1)], override_approver=given
    )
    assert result.committed


@pytest.mark.parametrize(
    "approver", ["manager@shop.test", 2, {"id": 2}, "the manager's account", "forged token"]
)
def test_anything_but_a_signed_approval_is_refused(
    ctx: ServiceContext, shop: Shop, approver: object
) -> None:
    if approver == "the manager's account":
        approver = shop.manager.user
    elif approver == "forged token":
        given = approval(ctx, shop.cashier, shop.manager)
        approver = replace(given, token=given.token[:-4] + "AAAA")
    with pytest.raises(PermissionDeniedError) as error:
        sell(ctx, shop, shop.cashier, approver)  # type: ignore[arg-type]
    assert error.value.field in ("override_approver", None)
    assert_nothing_sold(ctx, shop)


def test_a_sale_already_stored_is_returned_again_without_asking_for_approval(
    ctx: ServiceContext, shop: Shop
) -> None:
    first = sell(ctx, shop, shop.cashier, shop.manager)
    again = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.wine.id, 2), PurchaseLine(shop.bread.id, 1)],
        sale_uuid=first.sale_uuid,
        price_overrides={shop.wine.id: 999},
    )
    assert again.sale_id == first.sale_id and sales(ctx) == 1


@contextmanager
def counted_statements(ctx: ServiceContext) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    engine = ctx.database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_checking_the_approver_adds_no_statement(ctx: ServiceContext, shop: Shop) -> None:
    given = approval(ctx, shop.cashier, shop.manager)
    checkout.purchase(ctx, shop.cashier, [PurchaseLine(shop.wine.id, 1)])  # reads the promotions
    sale_memory.forget(ctx)  # a sale that reads, as a sale with an approver always does
    with counted_statements(ctx) as plain:
        checkout.purchase(ctx, shop.cashier, [PurchaseLine(shop.wine.id, 1)])
    with counted_statements(ctx) as approved:
        checkout.purchase(
            ctx,
            shop.cashier,
            [PurchaseLine(shop.wine.id, 1)],
            price_overrides={shop.wine.id: 999},
            override_approver=given,
        )
    audit_inserts = [s for s in approved if s.lstrip().upper().startswith("INSERT INTO AUDIT")]
    assert len(audit_inserts) == 1
    assert len(approved) == len(plain) + len(audit_inserts)
