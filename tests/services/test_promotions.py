"""Promotions in storage: managers create, change and end them; the till reads today's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pos_app.domain.promotions import PromotionKind
from pos_app.services import audit, promotions, till_promotions
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from pos_app.services.promotion_drafts import PromotionDraft
from pos_app.services.promotions import PromotionStatus
from tests.conftest import FakeClock
from tests.factories import Staff, make_category, make_product, make_staff

TODAY = date(2026, 3, 10)  # the fake clock's day in Berlin


class Shop:
    def __init__(self, ctx: ServiceContext) -> None:
        self.staff: Staff = make_staff(ctx)
        self.bakery = make_category(ctx, self.staff.manager, "Bakery")
        self.bread = make_product(ctx, self.staff.manager, self.bakery.id, name="Bread")
        self.rolls = make_product(ctx, self.staff.manager, self.bakery.id, name="Rolls")


@pytest.fixture
def shop(ctx: ServiceContext) -> Shop:
    return Shop(ctx)


def cut(shop: Shop, **fields: object) -> PromotionDraft:
    draft = PromotionDraft(
        "Bread week",
        PromotionKind.PRICE_CUT,
        TODAY,
        date(2026, 3, 16),
        product_ids=frozenset({shop.bread.id}),
        percent_bp=2000,
    )
    return replace(draft, **fields)  # type: ignore[arg-type]


def test_a_manager_creates_a_price_cut_that_runs_today(ctx: ServiceContext, shop: Shop) -> None:
    created = promotions.create_promotion(ctx, shop.staff.manager, cut(shop))
    assert created.status is PromotionStatus.RUNNING
    assert created.deal == "20 % off"
    assert created.covers == "Bread"
    assert created.product_ids == {shop.bread.id}
    (rule,) = till_promotions.running_promotions(ctx, shop.staff.cashier)
    assert rule == created.rule()


def test_a_multi_buy_over_a_category_and_a_bundle_are_stored_whole(
    ctx: ServiceContext, shop: Shop
) -> None:
    manager = shop.staff.manager
    multi = promotions.create_promotion(
        ctx,
        manager,
        PromotionDraft(
            "3 for 2 bakery", PromotionKind.MULTI_BUY, TODAY,
            category_ids=frozenset({shop.bakery.id}), buy_quantity=3, pay_quantity=2,
        ),
    )  # fmt: skip
    bundle = promotions.create_promotion(
        ctx,
        manager,
        PromotionDraft(
            "Breakfast", PromotionKind.BUNDLE, TODAY,
            product_ids=frozenset({shop.bread.id, shop.rolls.id}), price_cents=300,
        ),
    )  # fmt: skip
    assert (multi.deal, multi.covers) == ("3 for 2", "Bakery (category)")
    assert multi.ends_on is None
    assert (bundle.deal, bundle.covers) == ("bundle for 3.00", "Bread, Rolls")
    assert promotions.get_promotion(ctx, shop.staff.cashier, bundle.id) == bundle


def test_only_managers_and_owners_manage_promotions(ctx: ServiceContext, shop: Shop) -> None:
    with pytest.raises(PermissionDeniedError, match="managers and owners"):
        promotions.create_promotion(ctx, shop.staff.cashier, cut(shop))
    created = promotions.create_promotion(ctx, shop.staff.owner, cut(shop))
    with pytest.raises(PermissionDeniedError):
        promotions.update_promotion(ctx, shop.staff.cashier, created.id, cut(shop))
    with pytest.raises(PermissionDeniedError):
        promotions.end_promotion(ctx, shop.staff.cashier, created.id)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"ends_on": date(2026, 3, 9)}, "ends_on"),
        ({"percent_bp": None}, "value"),
        ({"product_ids": frozenset()}, "product_ids"),
        ({"kind": PromotionKind.BUNDLE, "price_cents": 100}, "product_ids"),
        ({"starts_on": "2026-03-10"}, "starts_on"),
        ({"product_ids": "bread"}, "product_ids"),
    ],
)
def test_a_bad_promotion_is_refused_naming_the_field(
    ctx: ServiceContext, shop: Shop, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        promotions.create_promotion(ctx, shop.staff.manager, cut(shop, **fields))
    assert raised.value.field == field
    assert promotions.list_promotions(ctx, shop.staff.manager) == []


def test_a_promotion_whose_last_day_has_passed_is_not_created(
    ctx: ServiceContext, shop: Shop
) -> None:
    draft = cut(shop, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 9))
    with pytest.raises(ValidationError, match="already passed") as raised:
        promotions.create_promotion(ctx, shop.staff.manager, draft)
    assert raised.value.field == "ends_on"


def test_a_product_that_does_not_exist_is_named(ctx: ServiceContext, shop: Shop) -> None:
    with pytest.raises(NotFoundError) as raised:
        promotions.create_promotion(
            ctx, shop.staff.manager, cut(shop, product_ids=frozenset({shop.bread.id, 999_999}))
        )
    assert raised.value.field == "product_ids"


def test_a_change_replaces_the_deal_and_the_targets(ctx: ServiceContext, shop: Shop) -> None:
    created = promotions.create_promotion(ctx, shop.staff.manager, cut(shop))
    changed = promotions.update_promotion(
        ctx,
        shop.staff.manager,
        created.id,
        cut(
            shop,
            name="Rolls week",
            product_ids=frozenset({shop.rolls.id}),
            percent_bp=None,
            amount_cents=25,
        ),
    )
    assert (changed.name, changed.deal, changed.covers) == ("Rolls week", "0.25 off", "Rolls")
    assert changed.percent_bp is None
    assert promotions.get_promotion(ctx, shop.staff.manager, created.id) == changed


def test_an_ended_promotion_stops_applying_and_cannot_be_changed(
    ctx: ServiceContext, shop: Shop
) -> None:
    created = promotions.create_promotion(ctx, shop.staff.manager, cut(shop))
    ended = promotions.end_promotion(ctx, shop.staff.manager, created.id)
    assert ended.status is PromotionStatus.ENDED and ended.ended_at is not None
    assert till_promotions.running_promotions(ctx, shop.staff.cashier) == []
    with pytest.raises(ConflictError, match="already been ended"):
        promotions.end_promotion(ctx, shop.staff.manager, created.id)
    with pytest.raises(ConflictError, match="create a new one"):
        promotions.update_promotion(ctx, shop.staff.manager, created.id, cut(shop))
    assert promotions.list_promotions(ctx, shop.staff.manager, include_past=False) == []
    assert [p.id for p in promotions.list_promotions(ctx, shop.staff.manager)] == [created.id]


def test_the_window_is_the_shops_local_days(
    ctx: ServiceContext, shop: Shop, clock: FakeClock
) -> None:
    promotions.create_promotion(
        ctx, shop.staff.manager, cut(shop, starts_on=date(2026, 3, 11), ends_on=None)
    )
    assert till_promotions.running_promotions(ctx, shop.staff.cashier) == []
    clock.advance(hours=9, minutes=30)  # 23:00 UTC is already the 11th in Berlin
    assert len(till_promotions.running_promotions(ctx, shop.staff.cashier)) == 1


def test_running_scheduled_and_past_promotions_are_listed_in_that_order(
    ctx: ServiceContext, shop: Shop, clock: FakeClock
) -> None:
    manager = shop.staff.manager
    soon = promotions.create_promotion(
        ctx, manager, cut(shop, name="Soon", starts_on=date(2026, 4, 1), ends_on=None)
    )
    short = promotions.create_promotion(ctx, manager, cut(shop, name="Short", ends_on=TODAY))
    now = promotions.create_promotion(ctx, manager, cut(shop, name="Now"))
    clock.advance(days=1)
    listed = promotions.list_promotions(ctx, manager)
    assert [(p.name, p.status) for p in listed] == [
        (now.name, PromotionStatus.RUNNING),
        (soon.name, PromotionStatus.SCHEDULED),
        (short.name, PromotionStatus.OVER),
    ]


def test_every_change_is_in_the_audit_log(ctx: ServiceContext, shop: Shop) -> None:
    created = promotions.create_promotion(ctx, shop.staff.manager, cut(shop))
    promotions.update_promotion(ctx, shop.staff.manager, created.id, cut(shop, name="Renamed"))
    promotions.end_promotion(ctx, shop.staff.manager, created.id)
    entries = audit.list_audit(ctx, shop.staff.owner).items
    actions = [e.action for e in entries if e.action.startswith("promotion")]
    assert sorted(actions) == ["promotion_changed", "promotion_created", "promotion_ended"]
    created_entry = next(e for e in entries if e.action == "promotion_created")
    assert created_entry.subject == "Bread week"
    assert created_entry.detail["deal"] == "20 % off"
    assert created_entry.detail["product_ids"] == [shop.bread.id]
    assert created_entry.user_id == shop.staff.manager.id


def test_a_sale_reads_the_promotions_once_until_they_change_here_or_go_stale(
    ctx: ServiceContext, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    def for_sale() -> list[str]:
        with ctx.unit_of_work(readonly=True) as session:
            return [rule.name for rule in till_promotions.promotions_for_sale(ctx, session, TODAY)]

    till_promotions.forget_cached_promotions(ctx)
    assert for_sale() == []
    created = promotions.create_promotion(ctx, shop.staff.manager, cut(shop))
    assert for_sale() == ["Bread week"]
    reads: list[date] = []
    real_read = till_promotions.running_promotions_in
    monkeypatch.setattr(
        till_promotions,
        "running_promotions_in",
        lambda session, day: reads.append(day) or real_read(session, day),
    )
    assert for_sale() == ["Bread week"]
    assert reads == []
    monkeypatch.setattr(till_promotions, "REFRESH_SECONDS", -1.0)
    assert for_sale() == ["Bread week"]
    assert reads == [TODAY]
    monkeypatch.setattr(till_promotions, "REFRESH_SECONDS", 60.0)
    promotions.end_promotion(ctx, shop.staff.manager, created.id)
    assert for_sale() == []
