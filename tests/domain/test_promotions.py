"""Promotions: what each kind saves, which one wins, and what a manager may not enter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from pos_app.domain.errors import ValidationError
from pos_app.domain.promotions import (
    AppliedPromotion,
    PromotableLine,
    Promotion,
    PromotionKind,
    apply_promotions,
    check_promotion,
    running,
)

DAY = date(2026, 12, 5)
BREAD = PromotableLine(1, 10, 3, 250)
WINE = PromotableLine(2, 20, 2, 1199)
CHEESE = PromotableLine(3, 10, 1, 480)


def cut(promotion_id: int = 1, **fields: object) -> Promotion:
    base = Promotion(promotion_id, "Cut", PromotionKind.PRICE_CUT, DAY, percent_bp=2000)
    return replace(base, **fields)  # type: ignore[arg-type]


def test_a_percentage_cut_is_rounded_per_unit() -> None:
    promotion = cut(product_ids=frozenset({1}))
    assert apply_promotions([BREAD], [promotion]) == [AppliedPromotion(1, "Cut", 150)]


def test_an_amount_cut_never_takes_more_than_the_unit_price() -> None:
    promotion = cut(percent_bp=None, amount_cents=300, category_ids=frozenset({10}))
    assert [a.saving_cents if a else 0 for a in apply_promotions([BREAD, WINE], [promotion])] == [
        750,
        0,
    ]


def test_three_for_two_makes_every_third_unit_free() -> None:
    deal = Promotion(
        5, "3 for 2", PromotionKind.MULTI_BUY, DAY, product_ids=frozenset({1}),
        buy_quantity=3, pay_quantity=2,
    )  # fmt: skip
    assert apply_promotions([replace(BREAD, quantity=7)], [deal])[0] == AppliedPromotion(
        5, "3 for 2", 500
    )
    assert apply_promotions([replace(BREAD, quantity=2)], [deal]) == [None]


def test_two_for_a_price_counts_whole_groups_and_never_raises_a_price() -> None:
    deal = Promotion(
        6, "2 for 20", PromotionKind.MULTI_BUY, DAY, product_ids=frozenset({2}),
        buy_quantity=2, price_cents=2000,
    )  # fmt: skip
    applied = apply_promotions([replace(WINE, quantity=5)], [deal])[0]
    assert applied is not None and applied.saving_cents == 2 * (2398 - 2000)
    dearer = replace(deal, price_cents=3000)
    assert apply_promotions([WINE], [dearer]) == [None]


def test_a_bundle_saves_per_complete_set_shared_over_its_lines() -> None:
    bundle = Promotion(
        7, "Picnic", PromotionKind.BUNDLE, DAY, product_ids=frozenset({1, 3}), price_cents=630
    )
    applied = apply_promotions([BREAD, WINE, CHEESE], [bundle])
    assert applied[1] is None
    savings = [a.saving_cents for a in (applied[0], applied[2]) if a is not None]
    assert sum(savings) == 100 and savings == [34, 66]


def test_a_bundle_missing_a_product_does_not_apply() -> None:
    bundle = Promotion(
        7, "Picnic", PromotionKind.BUNDLE, DAY, product_ids=frozenset({1, 4}), price_cents=1
    )
    assert apply_promotions([BREAD, CHEESE], [bundle]) == [None, None]


def test_the_biggest_saving_wins_and_a_line_is_in_one_promotion_only() -> None:
    small = cut(1, name="Small", percent_bp=1000, product_ids=frozenset({1}))
    big = cut(2, name="Big", percent_bp=3000, category_ids=frozenset({10}))
    applied = apply_promotions([BREAD, CHEESE], [small, big])
    assert [a.name if a else None for a in applied] == ["Big", "Big"]


def test_equal_savings_go_to_the_lowest_promotion_id_whatever_the_order() -> None:
    first = cut(3, name="Three", product_ids=frozenset({1}))
    second = cut(9, name="Nine", product_ids=frozenset({1}))
    for offered in ([first, second], [second, first]):
        applied = apply_promotions([BREAD], offered)[0]
        assert applied is not None and applied.promotion_id == 3


def test_a_bundle_beats_line_promotions_only_when_it_saves_more() -> None:
    bundle = Promotion(
        4, "Picnic", PromotionKind.BUNDLE, DAY, product_ids=frozenset({1, 3}), price_cents=630
    )
    bread_cut = cut(2, name="Bread", percent_bp=5000, product_ids=frozenset({1}))
    applied = apply_promotions([BREAD, CHEESE], [bundle, bread_cut])
    assert [a.name if a else None for a in applied] == ["Bread", None]


def test_a_promotion_runs_from_its_first_to_its_last_day() -> None:
    promotion = cut(starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 5))
    open_ended = cut(2, starts_on=date(2026, 12, 6))
    assert running([promotion, open_ended], DAY) == [promotion]
    assert running([promotion, open_ended], date(2027, 6, 1)) == [open_ended]
    assert running([promotion], date(2026, 11, 30)) == []


def test_a_promotion_is_described_as_a_shelf_label_would() -> None:
    assert cut().describe() == "20 % off"
    assert cut(percent_bp=None, amount_cents=50).describe() == "0.50 off"
    deal = Promotion(1, "x", PromotionKind.MULTI_BUY, DAY, buy_quantity=3, pay_quantity=2)
    assert deal.describe() == "3 for 2"
    assert replace(deal, pay_quantity=None, price_cents=500).describe() == "3 for 5.00"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"ends_on": date(2026, 12, 4)}, "ends_on"),
        ({"product_ids": frozenset(), "category_ids": frozenset()}, "product_ids"),
        ({"product_ids": frozenset({0})}, "product_ids"),
        ({"percent_bp": None}, "value"),
        ({"amount_cents": 10}, "value"),
        ({"percent_bp": 10_001}, "value"),
        ({"kind": PromotionKind.MULTI_BUY, "buy_quantity": 1}, "buy_quantity"),
        (
            {"kind": PromotionKind.MULTI_BUY, "buy_quantity": 3, "pay_quantity": 3},
            "pay_quantity",
        ),
        ({"kind": PromotionKind.BUNDLE, "price_cents": 100}, "category_ids"),
        (
            {"kind": PromotionKind.BUNDLE, "category_ids": frozenset(), "price_cents": 100},
            "product_ids",
        ),
    ],
)
def test_a_promotion_that_cannot_work_is_refused_naming_the_field(
    fields: dict[str, object], field: str
) -> None:
    promotion = replace(cut(product_ids=frozenset({1}), category_ids=frozenset({10})), **fields)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as raised:
        check_promotion(promotion)
    assert raised.value.field == field


def test_a_good_promotion_comes_back_with_its_name_trimmed() -> None:
    checked = check_promotion(cut(name="  Winter  ", product_ids=frozenset({1})))
    assert checked.name == "Winter"
