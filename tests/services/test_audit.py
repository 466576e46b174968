from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.services import audit, shifts
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from tests.conftest import FakeClock
from tests.services.shop_day import make_shop


def record_event(
    ctx: ServiceContext,
    *,
    action: str,
    user_id: int | None,
    subject: str = "",
    detail: dict[str, object] | None = None,
) -> None:
    """An entry written straight into the log, as a service does inside its own transaction."""
    with ctx.unit_of_work() as session:
        audit.record(session, ctx, action=action, user_id=user_id, subject=subject, detail=detail)
        session.commit()


def test_voids_are_logged_with_who_what_and_why(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    audit.record_void(
        ctx,
        shop.cashier,
        kind="line",
        product_id=shop.wine.id,
        quantity=2,
        amount_cents=2500,
        reason="Customer changed their mind",
    )
    audit.record_void(ctx, shop.cashier, kind="cart", amount_cents=748)
    logged = audit.list_audit(ctx, shop.owner, user_id=shop.cashier.id).items
    entries = [e for e in logged if e.action != audit.LOGIN]  # the cashier's login is logged too
    assert [e.action for e in entries] == ["void_cart", "void_line"]
    line = entries[1]
    assert line.user_name == "Carl Cashier" and line.till_id == "till-1"
    assert line.detail == {
        "amount_cents": 2500,
        "product_id": shop.wine.id,
        "quantity": 2,
        "reason": "Customer changed their mind",
    }


def test_voids_count_on_the_open_shift(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    audit.record_void(ctx, shop.cashier, kind="cart", amount_cents=100)  # no shift yet
    shift = shifts.open_shift(ctx, shop.cashier, 0)
    audit.record_void(ctx, shop.cashier, kind="line", product_id=shop.bread.id, amount_cents=249)
    report = shifts.z_report(ctx, shop.cashier, shift.id)
    assert (report.voids_count, report.voids_cents) == (1, 249)


@pytest.mark.parametrize(
    "arguments",
    [
        {"kind": "everything", "amount_cents": 1},
        {"kind": "cart", "amount_cents": -1},
        {"kind": "cart", "amount_cents": 1.5},
        {"kind": "line", "amount_cents": 100},
        {"kind": "line", "product_id": "1 OR 1=1", "amount_cents": 100},
        {"kind": "line", "product_id": 1, "quantity": 0, "amount_cents": 100},
        {"kind": "cart", "amount_cents": 1, "reason": "x" * 201},
        {"kind": "cart", "amount_cents": 1, "reason": 7},
    ],
)
def test_malformed_voids_are_validation_errors(
    ctx: ServiceContext, arguments: dict[str, object]
) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError):
        audit.record_void(ctx, shop.cashier, **arguments)  # type: ignore[arg-type]
    assert audit.list_audit(ctx, shop.owner, action="void_line").total == 0


def test_drawer_counts_at_open_and_close_are_logged(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    shift = shifts.open_shift(ctx, shop.cashier, 10_000)
    shifts.close_shift(ctx, shop.cashier, 9_950)
    opened = audit.list_audit(ctx, shop.owner, action="shift_open").items[0]
    closed = audit.list_audit(ctx, shop.owner, action="shift_close").items[0]
    assert opened.detail == {"shift_id": shift.id, "float_cents": 10_000}
    assert closed.detail == {
        "shift_id": shift.id,
        "counted_cents": 9_950,
        "expected_cash_cents": 10_000,
        "difference_cents": -50,
    }


def test_only_owners_read_the_audit_log(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    for actor in (shop.cashier, shop.manager):
        with pytest.raises(PermissionDeniedError):
            audit.list_audit(ctx, actor)


def test_the_log_filters_by_shop_day_instant_action_and_user(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    shop = make_shop(ctx)
    clock.now = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, 10 March
    record_event(ctx, action=audit.LOGIN, user_id=shop.cashier.id, subject="late")
    clock.now = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 in Berlin, 11 March
    record_event(ctx, action=audit.LOGIN_FAILED, user_id=None, subject="who@shop.test")
    tenth = audit.list_audit(ctx, shop.owner, start=date(2026, 3, 10), end=date(2026, 3, 10))
    assert [e.subject for e in tenth.items if e.subject == "late"] == ["late"]
    eleventh = audit.list_audit(ctx, shop.owner, start=date(2026, 3, 11))
    assert [e.subject for e in eleventh.items] == ["who@shop.test"]
    assert eleventh.items[0].user_name is None and eleventh.items[0].user_id is None
    instant = audit.list_audit(
        ctx, shop.owner, start=clock.now - timedelta(minutes=1), end=clock.now
    )
    assert [e.subject for e in instant.items] == ["who@shop.test"]
    mine = audit.list_audit(ctx, shop.owner, user_id=shop.cashier.id, action="login")
    assert [e.subject for e in mine.items] == ["late", shop.cashier.email]


def test_the_log_pages_newest_first(ctx: ServiceContext, clock: FakeClock) -> None:
    shop = make_shop(ctx)
    for n in range(5):
        clock.advance(seconds=1)
        record_event(ctx, action=audit.LOGIN_FAILED, user_id=None, subject=f"s{n}")
    page = audit.list_audit(ctx, shop.owner, action=audit.LOGIN_FAILED, offset=1, limit=2)
    assert [e.subject for e in page.items] == ["s3", "s2"]
    assert page.total == 5 and page.has_more


@pytest.mark.parametrize(
    "arguments",
    [
        {"action": "drop table"},
        {"user_id": "1"},
        {"start": "yesterday"},
        {"end": datetime(2026, 3, 10, 12, 0)},
        {"limit": 0},
        {"offset": -1},
    ],
)
def test_bad_audit_filters_are_validation_errors(
    ctx: ServiceContext, arguments: dict[str, object]
) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError):
        audit.list_audit(ctx, shop.owner, **arguments)  # type: ignore[arg-type]


def test_details_keep_unicode_and_unknown_actions_are_a_programming_error(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx)
    record_event(ctx, action=audit.USER_CREATED, user_id=shop.owner.id, detail={"name": "Zoë 😀"})
    assert audit.list_audit(ctx, shop.owner, action="user_created").items[0].detail == {
        "name": "Zoë 😀"
    }
    with pytest.raises(ValueError):
        record_event(ctx, action="made_up", user_id=None)
