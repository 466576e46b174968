"""Promotions the shop runs by itself: price cuts, multi-buys and bundles, each for some days.

- A **price cut** takes a percentage or an amount off each unit of the products or categories it
  names.
- A **multi-buy** counts the units of each product line it covers: "3 for 2" (every third unit
  free) or "2 for 5.00" (each group of two costs 5.00). A group never mixes products.
- A **bundle** prices one of each of its products together; as many bundles apply as the cart
  holds complete sets, and the saving is shared over the bundle's lines by largest remainder.

Every promotion runs from its first to its last day (inclusive, in the shop's zone; no last day
means until ended). The till applies them by itself with one rule, so a cart always prices the
same: every promotion that could apply is a candidate with its saving; the candidate saving the
customer the most is taken first (equal savings: the lower promotion id), its lines leave the
race, and so on until no candidate is left. A line is in at most one promotion, a line whose
price a manager changed is in none, and manual discounts apply after promotions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from pos_app.domain.checks import check_id, clean_text, is_whole_number
from pos_app.domain.discounts import Discount, DiscountKind, allocate, percent_of
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MAX_CENTS, format_plain
from pos_app.domain.tax import BP_PER_UNIT

MAX_NAME = 120
MAX_TARGETS = 200
MAX_GROUP = 100


class PromotionKind(StrEnum):
    PRICE_CUT = "price_cut"
    MULTI_BUY = "multi_buy"
    BUNDLE = "bundle"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    PromotionKind.PRICE_CUT: "Price cut",
    PromotionKind.MULTI_BUY: "Multi-buy",
    PromotionKind.BUNDLE: "Bundle",
}


@dataclass(frozen=True)
class Promotion:
    """One promotion; which of the optional numbers it uses depends on its kind.

    - price cut: ``percent_bp`` or ``amount_cents`` off each unit;
    - multi-buy: ``buy_quantity`` units for ``pay_quantity`` units' price, or for ``price_cents``;
    - bundle: one of each of ``product_ids`` for ``price_cents``.
    """

    id: int
    name: str
    kind: PromotionKind
    starts_on: date
    ends_on: date | None = None
    product_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()
    percent_bp: int | None = None
    amount_cents: int | None = None
    buy_quantity: int | None = None
    pay_quantity: int | None = None
    price_cents: int | None = None

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def covers(self, product_id: int, category_id: int) -> bool:
        return product_id in self.product_ids or category_id in self.category_ids

    def describe(self) -> str:
        """'20 % off', '0.50 off', '3 for 2', '2 for 5.00', 'bundle for 9.99'."""
        return describe_deal(self)


@dataclass(frozen=True)
class PromotableLine:
    """What a promotion needs to know of a cart line: its product, price and quantity."""

    product_id: int
    category_id: int
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class AppliedPromotion:
    """The promotion a line is in and what it takes off that line."""

    promotion_id: int
    name: str
    saving_cents: int


def describe_deal(promotion: Promotion) -> str:
    if promotion.kind is PromotionKind.PRICE_CUT:
        if promotion.percent_bp is not None:
            return Discount(DiscountKind.PERCENT, promotion.percent_bp, "").label() + " off"
        return f"{format_plain(promotion.amount_cents or 0)} off"
    if promotion.kind is PromotionKind.MULTI_BUY:
        if promotion.pay_quantity is not None:
            return f"{promotion.buy_quantity} for {promotion.pay_quantity}"
        return f"{promotion.buy_quantity} for {format_plain(promotion.price_cents or 0)}"
    return f"bundle for {format_plain(promotion.price_cents or 0)}"


def running(promotions: Iterable[Promotion], day: date) -> list[Promotion]:
    return [promotion for promotion in promotions if promotion.runs_on(day)]


def apply_promotions(
    lines: Sequence[PromotableLine], promotions: Iterable[Promotion]
) -> list[AppliedPromotion | None]:
    """The promotion each line is in (None for none), by the rule in this module's docstring."""
    candidates = sorted(
        (
            candidate
            for promotion in promotions
            for candidate in _candidates(promotion, lines)
            if candidate.total > 0
        ),
        key=lambda candidate: (-candidate.total, candidate.promotion.id, candidate.indexes),
    )
    applied: list[AppliedPromotion | None] = [None] * len(lines)
    for candidate in candidates:
        if any(applied[index] is not None for index in candidate.indexes):
            continue
        for index, saving in zip(candidate.indexes, candidate.savings, strict=True):
            applied[index] = AppliedPromotion(
                candidate.promotion.id, candidate.promotion.name, saving
            )
    return applied


@dataclass(frozen=True)
class _Candidate:
    promotion: Promotion
    indexes: tuple[int, ...]
    savings: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.savings)


def _candidates(promotion: Promotion, lines: Sequence[PromotableLine]) -> list[_Candidate]:
    if promotion.kind is PromotionKind.BUNDLE:
        bundle = _bundle(promotion, lines)
        return [] if bundle is None else [bundle]
    return [
        _Candidate(promotion, (index,), (_line_saving(promotion, line),))
        for index, line in enumerate(lines)
        if promotion.covers(line.product_id, line.category_id)
    ]


def _line_saving(promotion: Promotion, line: PromotableLine) -> int:
    unit = line.unit_price_cents
    if promotion.kind is PromotionKind.PRICE_CUT:
        if promotion.percent_bp is not None:
            cut = percent_of(unit, promotion.percent_bp)
        else:
            cut = promotion.amount_cents or 0
        return line.quantity * min(cut, unit)
    buy = promotion.buy_quantity or 0
    groups = line.quantity // buy if buy else 0
    if promotion.pay_quantity is not None:
        per_group = (buy - promotion.pay_quantity) * unit
    else:
        per_group = buy * unit - (promotion.price_cents or 0)
    return groups * max(per_group, 0)


def _bundle(promotion: Promotion, lines: Sequence[PromotableLine]) -> _Candidate | None:
    index_of = {line.product_id: index for index, line in enumerate(lines)}
    if not promotion.product_ids or not promotion.product_ids <= set(index_of):
        return None
    indexes = tuple(sorted(index_of[product_id] for product_id in promotion.product_ids))
    sets = min(lines[index].quantity for index in indexes)
    bundled = [sets * lines[index].unit_price_cents for index in indexes]
    saving = sum(bundled) - sets * (promotion.price_cents or 0)
    if saving <= 0:
        return None
    return _Candidate(promotion, indexes, tuple(allocate(saving, bundled)))


def check_promotion(promotion: Promotion) -> Promotion:
    """Refuse a promotion that cannot work, naming the field a person must fix.

    The id is not checked: a promotion being created has none yet.
    """
    name = clean_text(promotion.name, "name", "promotion name", max_length=MAX_NAME)
    if promotion.kind not in tuple(PromotionKind):
        raise ValidationError("Choose a price cut, a multi-buy or a bundle.", field="kind")
    if not _is_day(promotion.starts_on):
        raise ValidationError("Choose the first day of the promotion.", field="starts_on")
    if promotion.ends_on is not None and not _is_day(promotion.ends_on):
        raise ValidationError("Choose the last day of the promotion.", field="ends_on")
    if promotion.ends_on is not None and promotion.ends_on < promotion.starts_on:
        raise ValidationError("The last day cannot be before the first day.", field="ends_on")
    _check_targets(promotion)
    {
        PromotionKind.PRICE_CUT: _check_price_cut,
        PromotionKind.MULTI_BUY: _check_multi_buy,
        PromotionKind.BUNDLE: _check_bundle,
    }[promotion.kind](promotion)
    return replace(promotion, name=name)


def _check_targets(promotion: Promotion) -> None:
    for product_id in promotion.product_ids:
        check_id(product_id, "product_ids", "product")
    for category_id in promotion.category_ids:
        check_id(category_id, "category_ids", "category")
    if len(promotion.product_ids) + len(promotion.category_ids) > MAX_TARGETS:
        raise ValidationError(
            f"A promotion can name at most {MAX_TARGETS} products and categories.",
            field="product_ids",
        )
    if not promotion.product_ids and not promotion.category_ids:
        raise ValidationError(
            "Choose at least one product or category for the promotion.", field="product_ids"
        )


def _check_price_cut(promotion: Promotion) -> None:
    if (promotion.percent_bp is None) == (promotion.amount_cents is None):
        raise ValidationError("Enter either a percentage or an amount off.", field="value")
    if promotion.percent_bp is not None and not _between(promotion.percent_bp, 1, BP_PER_UNIT):
        raise ValidationError("A percentage must be above 0 % and at most 100 %.", field="value")
    if promotion.amount_cents is not None and not _between(promotion.amount_cents, 1, MAX_CENTS):
        raise ValidationError("The amount off must be above 0.00.", field="value")


def _check_multi_buy(promotion: Promotion) -> None:
    buy = promotion.buy_quantity
    if buy is None or not _between(buy, 2, MAX_GROUP):
        raise ValidationError(
            f"A multi-buy groups from 2 to {MAX_GROUP} units.", field="buy_quantity"
        )
    if (promotion.pay_quantity is None) == (promotion.price_cents is None):
        raise ValidationError(
            "Enter either how many units are paid for or the price of the group.",
            field="value",
        )
    if promotion.pay_quantity is not None and not _between(promotion.pay_quantity, 1, buy - 1):
        raise ValidationError(
            f"The units paid for must be from 1 to {buy - 1}.", field="pay_quantity"
        )
    if promotion.price_cents is not None and not _between(promotion.price_cents, 0, MAX_CENTS):
        raise ValidationError("Enter the price of the group.", field="price_cents")


def _check_bundle(promotion: Promotion) -> None:
    if promotion.category_ids:
        raise ValidationError("A bundle names products, not categories.", field="category_ids")
    if len(promotion.product_ids) < 2:
        raise ValidationError("A bundle needs at least two products.", field="product_ids")
    if promotion.price_cents is None or not _between(promotion.price_cents, 0, MAX_CENTS):
        raise ValidationError("Enter the price of the bundle.", field="price_cents")


def _is_day(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _between(value: object, low: int, high: int) -> bool:
    return is_whole_number(value) and low <= value <= high


__all__ = [
    "MAX_GROUP",
    "MAX_NAME",
    "MAX_TARGETS",
    "AppliedPromotion",
    "PromotableLine",
    "Promotion",
    "PromotionKind",
    "apply_promotions",
    "check_promotion",
    "describe_deal",
    "running",
]
