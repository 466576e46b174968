"""The cart: lines keyed by product, quantities within limits, changed prices with approvers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cart import (
    MAX_LINES,
    MAX_QUANTITY,
    WEIGHED_LIMIT,
    Cart,
    CartLine,
    FailedLine,
    PurchaseLine,
    label_prices,
    merge_lines,
    out_of_stock,
    too_many_pieces,
    unsellable_quantity,
)
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.domain.errors import NotFoundError, ValidationError
from pos_app.domain.weights import LabelTotal


def test_scanning_a_product_again_adds_to_its_line_in_first_scanned_order() -> None:
    cart = Cart()
    cart.add(7)
    cart.add(3, 2)
    cart.add(7, 4)
    assert cart.lines == (CartLine(7, 5), CartLine(3, 2))
    assert cart.item_count() == 7
    assert cart.quantity_of(7) == 5 and cart.quantity_of(99) == 0
    assert 3 in cart and len(cart) == 2


@pytest.mark.parametrize("quantity", [0, -1, MAX_QUANTITY + 1, True, 1.0])
def test_a_quantity_outside_the_limits_is_refused_and_the_cart_is_unchanged(
    quantity: object,
) -> None:
    cart = Cart([CartLine(1, 2)])
    with pytest.raises(ValidationError, match="whole number from 1 to") as raised:
        cart.add(1, quantity)  # type: ignore[arg-type]
    assert raised.value.field == "quantity"
    assert cart.lines == (CartLine(1, 2),)


def test_merging_past_the_limit_is_refused() -> None:
    cart = Cart([CartLine(1, MAX_QUANTITY)])
    with pytest.raises(ValidationError):
        cart.add(1)
    assert cart.quantity_of(1) == MAX_QUANTITY


def test_a_cart_holds_at_most_the_line_limit() -> None:
    cart = Cart(CartLine(product_id, 1) for product_id in range(1, MAX_LINES + 1))
    with pytest.raises(ValidationError, match=f"at most {MAX_LINES} lines"):
        cart.add(MAX_LINES + 1)
    cart.add(1)
    assert cart.quantity_of(1) == 2


def test_quantities_change_and_lines_go_by_product() -> None:
    cart = Cart([CartLine(1, 1), CartLine(2, 1)])
    cart.set_quantity(2, 9)
    cart.remove(1)
    assert cart.lines == (CartLine(2, 9),)
    with pytest.raises(NotFoundError):
        cart.remove(1)
    cart.clear()
    assert cart.is_empty()


def test_a_changed_price_keeps_its_approver_and_the_list_price_clears_it() -> None:
    cart = Cart([CartLine(1, 2), CartLine(2, 1)])
    cart.override_price(1, 199, list_price_cents=250)
    assert cart.price_overrides() == {1: 199}
    assert cart.unapproved_overrides() == [1]
    cart.approve_overrides(42)
    assert cart.lines[0] == CartLine(1, 2, 199, 42)
    assert cart.unapproved_overrides() == []
    cart.set_quantity(1, 3)
    assert cart.lines[0] == CartLine(1, 3, 199, 42)
    cart.override_price(1, 250, list_price_cents=250)
    assert cart.lines[0] == CartLine(1, 3)
    assert cart.price_overrides() == {}


def test_a_negative_price_is_refused() -> None:
    cart = Cart([CartLine(1, 1)])
    with pytest.raises(ValidationError, match="price"):
        cart.override_price(1, -1, list_price_cents=100)


def test_the_cart_is_sent_as_purchase_lines() -> None:
    cart = Cart([CartLine(4, 2), CartLine(9, 1, 50, 3)])
    assert cart.purchase_lines() == [PurchaseLine(4, 2), PurchaseLine(9, 1)]
    assert merge_lines(cart.purchase_lines()) == ({4: 2, 9: 1}, [])


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 3000)), min_size=1, max_size=40))
def test_merged_lines_keep_every_sellable_unit_and_report_the_rest(
    raw: list[tuple[int, int]],
) -> None:
    wanted, failed = merge_lines([PurchaseLine(product, quantity) for product, quantity in raw])
    totals: dict[int, int] = {}
    for product, quantity in raw:
        totals[product] = totals.get(product, 0) + quantity
    assert wanted == {key: total for key, total in totals.items() if total <= MAX_QUANTITY}
    assert failed == [
        FailedLine(key, None, total, "bad_quantity", failed[0].message)
        for key, total in totals.items()
        if total > MAX_QUANTITY
    ]


def test_a_line_of_bad_quantity_comes_back_as_failed_not_as_an_error() -> None:
    wanted, failed = merge_lines([PurchaseLine(1, 0), PurchaseLine(2, 1)])
    assert wanted == {2: 1}
    assert [(line.product_id, line.reason) for line in failed] == [(1, "bad_quantity")]


@pytest.mark.parametrize("lines", [[], "abc", None, [("x", 1)]])
def test_a_malformed_cart_is_a_validation_error(lines: object) -> None:
    with pytest.raises(ValidationError):
        merge_lines(lines)


def test_a_cart_of_weighed_lines_merges_grams_up_to_the_weighed_limit() -> None:
    lines = [PurchaseLine(1, 455), PurchaseLine(1, 12_000), PurchaseLine(2, 3)]
    wanted, failed = merge_lines(lines, limit=WEIGHED_LIMIT)
    assert (wanted, failed) == ({1: 12_455, 2: 3}, [])
    _, refused = merge_lines([PurchaseLine(1, WEIGHED_LIMIT + 1)], limit=WEIGHED_LIMIT)
    assert [line.reason for line in refused] == ["bad_quantity"]


def test_pieces_over_the_piece_limit_fail_once_the_product_is_known() -> None:
    assert too_many_pieces(2, MAX_QUANTITY, weighed=False) is None
    assert too_many_pieces(1, 12_455, weighed=True) is None
    failed = too_many_pieces(2, MAX_QUANTITY + 1, weighed=False)
    assert failed is not None and failed.reason == "bad_quantity"


def test_scale_label_prices_add_up_per_product() -> None:
    lines = [PurchaseLine(1, 455, 587), PurchaseLine(1, 300, 387), PurchaseLine(2, 1)]
    assert label_prices(lines) == {1: LabelTotal(974, 755)}
    for bad in (0, -5, True, 1.5):
        with pytest.raises(ValidationError, match="scale label"):
            label_prices([PurchaseLine(1, 455, bad)])  # type: ignore[arg-type]


def test_a_line_and_the_cart_carry_their_discounts_until_taken_off() -> None:
    ten = Discount(DiscountKind.PERCENT, 1000, "Dented")
    cart = Cart()
    cart.add(1, 2)
    cart.add(2)
    cart.discount_line(1, ten)
    cart.discount_cart(Discount(DiscountKind.AMOUNT, 100, "Staff"))
    assert cart.line_discounts() == {1: ten}
    cart.approve_discounts(7)
    assert cart.line_discounts()[1].approver_id == 7
    assert cart.cart_discount is not None and cart.cart_discount.approver_id == 7
    cart.remove(1)
    assert cart.line_discounts() == {}
    cart.clear()
    assert cart.cart_discount is None


def test_a_cart_rebuilt_from_its_lines_keeps_their_discounts() -> None:
    ten = Discount(DiscountKind.PERCENT, 1000, "Dented", approver_id=3)
    rebuilt = Cart([CartLine(1, 2, discount=ten)], cart_discount=ten)
    assert rebuilt.line_discounts() == {1: ten}
    assert rebuilt.cart_discount == ten


def test_a_discount_on_a_product_not_in_the_cart_is_refused() -> None:
    with pytest.raises(NotFoundError):
        Cart().discount_line(1, Discount(DiscountKind.AMOUNT, 1, "x"))


def test_a_line_within_the_limits_and_without_labels_can_sell() -> None:
    assert unsellable_quantity(5, "Tea", MAX_QUANTITY, False, None) is None
    assert unsellable_quantity(6, "Gouda", WEIGHED_LIMIT, True, None) is None


def test_too_many_pieces_are_refused_with_the_products_name() -> None:
    refused = unsellable_quantity(5, "Tea", MAX_QUANTITY + 1, False, None)
    assert refused is not None and refused.product_name == "Tea"
    assert refused.reason == "bad_quantity"


def test_scale_labels_must_fit_a_weighed_line_and_nothing_else() -> None:
    labels = LabelTotal(price_cents=300, grams=400)
    assert unsellable_quantity(6, "Gouda", 400, True, labels) is None
    heavier = unsellable_quantity(6, "Gouda", 399, True, labels)
    assert heavier is not None and heavier.message == (
        "The scale labels of Gouda do not fit the line; scan them again."
    )
    on_pieces = unsellable_quantity(5, "Tea", 1, False, labels)
    assert on_pieces is not None and on_pieces.product_name == "Tea"


def test_out_of_stock_says_how_much_is_left_in_the_products_units() -> None:
    assert out_of_stock(5, "Tea", 3, 0, "piece").message == "Tea is out of stock."
    assert out_of_stock(5, "Tea", 3, 2, "piece").message == (
        "Only 2 of Tea left in stock; 3 wanted."
    )
    weighed = out_of_stock(6, "Gouda", 500, 250, "weight")
    assert weighed.reason == "out_of_stock" and weighed.quantity == 500
    assert weighed.message == "Only 0.250 kg of Gouda left in stock; 0.500 kg wanted."


def test_a_weighed_line_counts_grams_and_keeps_its_scale_labels() -> None:
    cart = Cart(max_pieces=9999)
    cart.add(5, 300, weighed=True, label_price_cents=420)
    cart.add(5, 200, weighed=True)
    line = cart.line(5)
    assert (line.quantity, line.weighed, line.labels) == (500, True, LabelTotal(420, 300))
    assert line.sold_parts() == [(300, 420), (200, None)]
    assert cart.purchase_lines() == [PurchaseLine(5, 300, 420), PurchaseLine(5, 200)]
    assert cart.item_count() == 1
    with pytest.raises(ValidationError, match=r"scale labels of Gouda cover 0\.300 kg"):
        cart.set_quantity(5, 250, name="Gouda")
    assert cart.quantity_of(5) == 500


def test_the_till_says_why_a_quantity_is_not_added() -> None:
    cart = Cart([CartLine(1, 9000)], max_pieces=9999)
    assert cart.adding_refusal(2, 0) == "A quantity of 0 is not possible; enter from 1 to 9,999."
    assert cart.adding_refusal(1, 1000, name="Cola") == (
        "Cola has 9,000 in the cart; a line can have at most 9,999."
    )
    assert cart.adding_refusal(3, 2_000_000, weighed=True) == (
        "A weight of 2,000.000 kg is not possible; weigh up to 999.999 kg."
    )
    assert cart.adding_refusal(1, 999, name="Cola") is None


def test_lines_keep_their_order_and_position() -> None:
    cart = Cart([CartLine(7, 1), CartLine(3, 1), CartLine(9, 1)])
    cart.remove(3)
    assert [cart.line_at(row).product_id for row in range(len(cart))] == [7, 9]
    assert (cart.position(9), cart.position(3)) == (1, None)


def test_one_approver_covers_every_changed_price_or_none_does() -> None:
    cart = Cart([CartLine(1, 1), CartLine(2, 1)])
    cart.override_price(1, 50, list_price_cents=100, approver_id=4)
    assert cart.override_approver_id() == 4 and not cart.needs_override_approval()
    cart.override_price(2, 50, list_price_cents=100, approver_id=5)
    assert cart.override_approver_id() is None and cart.needs_override_approval()
    cart.approve_overrides(5)
    assert cart.override_approver_id() == 5
    cart.forget_override_approvals()
    assert cart.unapproved_overrides() == [1, 2]


def test_discounts_remember_their_one_approver() -> None:
    cart = Cart([CartLine(1, 2)])
    cart.discount_line(1, Discount(DiscountKind.PERCENT, 500, "Dented"))
    cart.discount_cart(Discount(DiscountKind.PERCENT, 2500, "Regular"))
    assert cart.discount_approver_id() is None
    cart.approve_discounts(8)
    assert cart.discount_approver_id() == 8 and cart.has_discounts()


def test_a_kept_weighed_line_in_two_parts_comes_back_as_one() -> None:
    labelled = CartLine(5, 300, weighed=True, labels=LabelTotal(420, 300))
    rest = CartLine(5, 200, weighed=True)
    cart = Cart([labelled, rest])
    assert cart.lines == (CartLine(5, 500, weighed=True, labels=LabelTotal(420, 300)),)
