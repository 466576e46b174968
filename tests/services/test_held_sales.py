from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import update

from pos_app.db.models import HeldCart as HeldCartRow
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.domain.promotions import PromotionKind
from pos_app.services import audit, auth, checkout, held_sales, promotions, till_promotions, users
from pos_app.services.access import PRICE_APPROVAL
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError, ValidationError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.promotion_drafts import PromotionDraft
from tests.conftest import FakeClock
from tests.services.shop_day import PASSWORD, make_shop


def test_a_held_cart_keeps_its_lines_label_and_price_overrides(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    held = held_sales.hold_cart(
        ctx,
        shop.cashier,
        [HeldLine(shop.bread.id, 2), HeldLine(shop.wine.id, 1, price_override_cents=999)],
        "Lady in the red coat",
    )
    assert held.label == "Lady in the red coat" and held.till_id == "till-1"
    assert held.cashier_name == "Carl Cashier" and held.recalled_at is None
    assert [(line.product_name, line.quantity, line.unit_price_cents) for line in held.lines] == [
        ("Bread", 2, 249),
        ("Wine", 1, 999),
    ]
    assert held.total_cents == 2 * 249 + 999


def test_purchase_lines_can_be_held_as_they_are(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    held = held_sales.hold_cart(ctx, shop.cashier, [PurchaseLine(shop.cheese.id, 3)])
    assert held.label == "" and held.lines[0].quantity == 3


def test_every_till_lists_held_carts_until_they_are_recalled(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    shop = make_shop(ctx)
    first = held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)], "first")
    clock.advance(minutes=1)
    other_till = replace(ctx, till_id="till-2")
    second = held_sales.hold_cart(other_till, shop.manager, [HeldLine(shop.water.id, 6)], "second")
    assert [h.id for h in held_sales.list_held(other_till, shop.cashier)] == [first.id, second.id]
    recalled = held_sales.recall(other_till, shop.cashier, first.id)
    assert recalled.recalled_till == "till-2" and recalled.recalled_at == clock.now
    assert recalled.lines == first.lines
    assert [h.id for h in held_sales.list_held(ctx, shop.cashier)] == [second.id]


def test_a_held_cart_is_recalled_only_once(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    held = held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)])
    held_sales.recall(ctx, shop.cashier, held.id)
    with pytest.raises(ConflictError, match="already recalled"):
        held_sales.recall(replace(ctx, till_id="till-2"), shop.cashier, held.id)
    with pytest.raises(NotFoundError):
        held_sales.recall(ctx, shop.cashier, 999_999)


def test_two_tills_recalling_at_once_get_the_cart_once(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    held = held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def recall_from(till: str) -> None:
        barrier.wait()
        try:
            held_sales.recall(replace(ctx, till_id=till), shop.cashier, held.id)
            outcomes.append(till)
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=recall_from, args=(f"till-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("conflict") == 1 and len(outcomes) == 2


def test_holding_the_same_cart_twice_keeps_one(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    key = "6f1c1b8e-6b1a-4f7e-9d55-0c1f4f3f7a10"
    first = held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)], hold_uuid=key)
    again = held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)], hold_uuid=key)
    assert again.id == first.id
    assert len(held_sales.list_held(ctx, shop.cashier)) == 1


@pytest.mark.parametrize(
    ("lines", "label"),
    [
        ([], ""),
        ("bread", ""),
        ([HeldLine(999_999, 1)], ""),
        ([HeldLine(1, 0)], ""),
        ([HeldLine(1, 10**9)], ""),
        ([HeldLine(1, 1, price_override_cents=-5)], ""),
        ([HeldLine("1; DROP TABLE held_carts", 1)], ""),  # type: ignore[arg-type]
        ([(1, 1)], ""),
        ([HeldLine(1, 1)], "x" * 101),
        ([HeldLine(1, 1)], "bell\x07"),
        ([HeldLine(1, 1)], 42),
    ],
)
def test_malformed_held_carts_are_validation_errors(
    ctx: ServiceContext, lines: object, label: object
) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError):
        held_sales.hold_cart(ctx, shop.cashier, lines, label)  # type: ignore[arg-type]


def test_a_unicode_label_is_kept(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    held = held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)], "Frau Müller 🧀")
    assert held_sales.list_held(ctx, shop.cashier)[0].label == held.label == "Frau Müller 🧀"


def test_a_held_cart_keeps_its_discounts_and_who_approved_them(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    dented = Discount(DiscountKind.PERCENT, 2000, "Dented", approver_id=shop.manager.id)
    staff = Discount(DiscountKind.AMOUNT, 150, "Staff")
    held = held_sales.hold_cart(
        ctx,
        shop.cashier,
        [
            HeldLine(shop.bread.id, 2, discount=dented),
            HeldLine(shop.wine.id, 1, 999, override_approver_id=shop.manager.id),
        ],
        cart_discount=staff,
    )
    recalled = held_sales.recall(ctx, shop.cashier, held.id)
    bread, wine = recalled.lines
    assert bread.discount == dented and bread.override_approver_id is None
    assert wine.discount is None and wine.override_approver_id == shop.manager.id
    assert recalled.cart_discount == staff


def test_a_malformed_discount_is_refused_naming_the_field(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError) as raised:
        held_sales.hold_cart(
            ctx,
            shop.cashier,
            [HeldLine(shop.bread.id, 1)],
            cart_discount="10 %",  # type: ignore[arg-type]
        )
    assert raised.value.field == "discount"
    with pytest.raises(ValidationError) as raised:
        bad = Discount(DiscountKind.PERCENT, 20_000, "Too much")
        held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1, discount=bad)])
    assert raised.value.field == "value"


def test_a_cart_held_before_discounts_existed_is_still_recalled(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    held = held_sales.hold_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 2)])
    with ctx.unit_of_work() as session:
        session.execute(
            update(HeldCartRow)
            .where(HeldCartRow.id == held.id)
            .values(lines_json=f'[{{"product_id": {shop.bread.id}, "quantity": 2}}]')
        )
        session.commit()
    recalled = held_sales.recall(ctx, shop.cashier, held.id)
    assert [(line.quantity, line.discount) for line in recalled.lines] == [(2, None)]
    assert recalled.cart_discount is None


def test_a_cart_parked_with_a_valid_approval_is_recalled_with_it(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    shop = make_shop(ctx)
    approval = auth.approve(ctx, shop.cashier, shop.manager.email, PASSWORD, action=PRICE_APPROVAL)
    held = held_sales.hold_cart(
        ctx,
        shop.cashier,
        [HeldLine(shop.wine.id, 1, price_override_cents=999, override_approver_id=approval.id)],
        approval=approval,
    )
    assert held.approval is None  # only the recall hands an approval out
    clock.advance(minutes=30)  # long after the approval given at the till ran out
    recalled = held_sales.recall(ctx, shop.cashier, held.id)
    assert recalled.approval is not None and recalled.approval.id == shop.manager.user.id
    result = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.wine.id, 1)],
        price_overrides={shop.wine.id: 999},
        override_approver=recalled.approval,
    )
    assert result.committed and result.total_cents == 999
    [carried] = [
        event
        for event in audit.list_audit(ctx, shop.owner, action=audit.APPROVAL).items
        if event.detail.get("held_id") == held.id
    ]
    assert carried.user_id == shop.manager.user.id


def test_an_approval_that_ran_out_or_whose_approver_left_is_not_carried_over(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    shop = make_shop(ctx)
    line = HeldLine(shop.wine.id, 1, price_override_cents=999)
    approval = auth.approve(ctx, shop.cashier, shop.manager.email, PASSWORD, action=PRICE_APPROVAL)
    fresh = held_sales.hold_cart(ctx, shop.cashier, [line], approval=approval)
    clock.advance(minutes=3)
    late = held_sales.hold_cart(ctx, shop.cashier, [line], approval=approval)
    assert held_sales.recall(ctx, shop.cashier, late.id).approval is None
    users.set_user_active(ctx, shop.owner, shop.manager.user.id, False)
    assert held_sales.recall(ctx, shop.cashier, fresh.id).approval is None


def test_an_approval_signed_for_someone_else_is_not_recorded(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    for_the_manager = auth.approve(
        ctx, shop.manager, shop.owner.email, PASSWORD, action=PRICE_APPROVAL
    )
    held = held_sales.hold_cart(
        ctx,
        shop.cashier,
        [HeldLine(shop.wine.id, 1, price_override_cents=999)],
        approval=for_the_manager,
    )
    assert held_sales.recall(ctx, shop.cashier, held.id).approval is None


def test_a_held_cart_is_listed_at_what_its_recalled_sale_costs(ctx: ServiceContext) -> None:
    till_promotions.forget_cached_promotions(ctx)
    shop = make_shop(ctx)
    wine_week = PromotionDraft(
        "Wine week", PromotionKind.PRICE_CUT, ctx.local_date(ctx.now()),
        product_ids=frozenset({shop.wine.id}), percent_bp=1000,
    )  # fmt: skip
    promotions.create_promotion(ctx, shop.manager, wine_week)
    dented = Discount(DiscountKind.PERCENT, 1000, "Dented tin")
    staff = Discount(DiscountKind.AMOUNT, 50, "Staff")
    approval = auth.approve(ctx, shop.cashier, shop.manager.email, PASSWORD, action=PRICE_APPROVAL)
    held_sales.hold_cart(
        ctx,
        shop.cashier,
        [
            HeldLine(shop.bread.id, 2, price_override_cents=199, override_approver_id=approval.id),
            HeldLine(shop.cheese.id, 1, discount=dented),
            HeldLine(shop.wine.id, 1),
        ],
        cart_discount=staff,
        approval=approval,
    )
    [listed] = held_sales.list_held(ctx, shop.cashier)
    recalled = held_sales.recall(ctx, shop.cashier, listed.id)
    result = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(line.product_id, line.quantity) for line in recalled.lines],
        price_overrides={shop.bread.id: 199},
        line_discounts={shop.cheese.id: dented},
        cart_discount=staff,
        override_approver=recalled.approval,
    )
    assert result.committed
    at_list_prices = 2 * 249 + 599 + 1250
    # bread 2 x 1.99, cheese less 10 %, wine less its 10 % promotion, then 0.50 off the cart
    assert listed.total_cents == 2 * 199 + (599 - 60) + (1250 - 125) - 50 == result.total_cents
    assert listed.saved_cents == at_list_prices - result.total_cents
    assert recalled.total_cents == result.total_cents
