"""The cart as the shop thinks of it: lines keyed by product, in the order first scanned.

Scanning a product already in the cart adds to its line; a quantity is a whole number from 1 to
:data:`MAX_QUANTITY`; a changed unit price is kept with the id of whoever approved it, and any
change of quantity or price leaves the other lines alone. A line can carry its own discount and
the cart one discount over all lines; removing a line removes its discount. A cart as the till
sends it to a sale is a list of :class:`PurchaseLine`; :func:`merge_lines` merges it per product,
and a line whose quantity cannot be sold is not an error: it comes back as a
:class:`FailedLine`, like a product out of stock, so the till can mark it.

A line of a product sold by weight has grams for its quantity (up to
:data:`pos_app.domain.weights.MAX_GRAMS`) and, when it came from a scale's price label, the
label's price: :func:`label_prices` adds those prices and their grams up per product. The
labels' grams cost what is printed; any other grams of the product are priced at the till.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from pos_app.domain.cart_rules import (
    below_labels_refusal,
    merged_refusal,
    quantity_limit,
    quantity_refusal,
    sold_parts,
)
from pos_app.domain.checks import check_id, is_whole_number
from pos_app.domain.discounts import Discount
from pos_app.domain.errors import NotFoundError, ValidationError
from pos_app.domain.money import MAX_CENTS
from pos_app.domain.pricing import PricedSale, ProductPrice
from pos_app.domain.promotions import Promotion
from pos_app.domain.purchase_lines import (
    MAX_LINES,
    MAX_QUANTITY,
    REASONS,
    WEIGHED_LIMIT,
    FailedLine,
    PurchaseLine,
    bad_quantity,
    label_prices,
    merge_lines,
    out_of_stock,
    too_many_pieces,
    unsellable_quantity,
)
from pos_app.domain.sale_pricing import price_sale
from pos_app.domain.weights import LabelTotal


@dataclass(frozen=True)
class CartLine:
    """One product in the cart; ``price_override_cents`` is None at the list price.

    A ``weighed`` line counts grams; ``labels`` are the scale price labels scanned onto it.
    """

    product_id: int
    quantity: int
    price_override_cents: int | None = None
    approver_id: int | None = None
    discount: Discount | None = None
    weighed: bool = False
    labels: LabelTotal | None = None

    def sold_parts(self) -> list[tuple[int, int | None]]:
        return sold_parts(self.quantity, self.labels)


class Cart:
    """The lines of one sale before it is priced; every change keeps the limits.

    ``max_pieces`` is the most pieces of one product on a line (grams of a weighed product go
    up to :data:`WEIGHED_LIMIT`).
    """

    def __init__(
        self,
        lines: Iterable[CartLine] = (),
        *,
        cart_discount: Discount | None = None,
        max_pieces: int = MAX_QUANTITY,
    ) -> None:
        self._lines: dict[int, CartLine] = {}
        self._order: list[int] = []
        self._cart_discount = cart_discount
        self.max_pieces = max_pieces
        for line in lines:
            self.restore_line(line)

    def restore_line(self, line: CartLine) -> CartLine:
        """Put a kept line back (a recalled or restored cart); a product already in the cart
        adds its quantity and labels to that line."""
        label = line.labels
        self.add(line.product_id, line.quantity, weighed=line.weighed)
        if label is not None:
            self._add_label(line.product_id, label)
        if line.price_override_cents is not None:
            self._lines[line.product_id] = replace(
                self._lines[line.product_id],
                price_override_cents=_price(line.price_override_cents),
                approver_id=line.approver_id,
            )
        if line.discount is not None:
            self.discount_line(line.product_id, line.discount)
        return self._lines[line.product_id]

    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(self._lines.values())

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, product_id: object) -> bool:
        return product_id in self._lines

    def is_empty(self) -> bool:
        return not self._lines

    def item_count(self) -> int:
        """Pieces, counting a weighed line as one."""
        return sum(1 if line.weighed else line.quantity for line in self._lines.values())

    def quantity_of(self, product_id: int) -> int:
        line = self._lines.get(product_id)
        return 0 if line is None else line.quantity

    def line(self, product_id: int) -> CartLine:
        return self._line(product_id)

    def line_at(self, position: int) -> CartLine:
        """The line at ``position`` in the order first scanned."""
        return self._lines[self._order[position]]

    def position(self, product_id: int) -> int | None:
        return self._order.index(product_id) if product_id in self._lines else None

    def adding_refusal(
        self, product_id: int, quantity: int, *, weighed: bool = False, name: str = ""
    ) -> str | None:
        """Why adding ``quantity`` (grams, when ``weighed``) of a product is refused, or None."""
        if refusal := quantity_refusal(quantity, weighed, self.max_pieces):
            return refusal
        line = self._lines.get(product_id)
        limit = quantity_limit(weighed, self.max_pieces)
        if line is not None and line.quantity + quantity > limit:
            return merged_refusal(name or "This product", line.quantity, weighed, self.max_pieces)
        return None

    def add(
        self,
        product_id: int,
        quantity: int = 1,
        *,
        weighed: bool = False,
        label_price_cents: int | None = None,
    ) -> CartLine:
        """Add ``quantity`` of a product: a new line, or more on the product's line.

        ``label_price_cents`` is the price printed on the scale label those grams came on.
        """
        clean_id = check_id(product_id, "product_id", "product")
        line = self._lines.get(clean_id)
        limit = quantity_limit(line.weighed if line else weighed, self.max_pieces)
        _quantity(quantity, limit)
        if line is None:
            if len(self._lines) >= MAX_LINES:
                raise ValidationError(f"A sale can have at most {MAX_LINES} lines.", field="lines")
            line = CartLine(clean_id, quantity, weighed=weighed)
            self._order.append(clean_id)
        else:
            line = replace(line, quantity=_quantity(line.quantity + quantity, limit))
        self._lines[clean_id] = line
        if label_price_cents is not None:
            line = self._add_label(clean_id, LabelTotal(_price(label_price_cents), quantity))
        return line

    def set_quantity(self, product_id: int, quantity: int, *, name: str = "") -> CartLine:
        """A new quantity: grams of a weighed line, never less than its labels cover."""
        line = self._line(product_id)
        _quantity(quantity, quantity_limit(line.weighed, self.max_pieces))
        if line.labels is not None and quantity < line.labels.grams:
            raise ValidationError(
                below_labels_refusal(name or "this line", line.labels), field="quantity"
            )
        line = replace(line, quantity=quantity)
        self._lines[product_id] = line
        return line

    def remove(self, product_id: int) -> None:
        self._line(product_id)
        del self._lines[product_id]
        self._order.remove(product_id)

    def clear(self) -> None:
        self._lines.clear()
        self._order.clear()
        self._cart_discount = None

    @property
    def cart_discount(self) -> Discount | None:
        return self._cart_discount

    def discount_cart(self, discount: Discount | None) -> None:
        """Set (or with None take off) the discount on the whole cart."""
        self._cart_discount = discount

    def discount_line(self, product_id: int, discount: Discount | None) -> CartLine:
        """Set (or with None take off) a line's own discount; it applies after promotions."""
        line = replace(self._line(product_id), discount=discount)
        self._lines[product_id] = line
        return line

    def line_discounts(self) -> dict[int, Discount]:
        return {
            line.product_id: line.discount
            for line in self._lines.values()
            if line.discount is not None
        }

    def has_discounts(self) -> bool:
        return self._cart_discount is not None or any(
            line.discount is not None for line in self._lines.values()
        )

    def approve_discounts(self, approver_id: int | None) -> None:
        """Record who approved the cart's manual discounts (None: nobody needed to)."""
        if approver_id is not None:
            check_id(approver_id, "discount_approver", "approver")
        for product_id, line in self._lines.items():
            if line.discount is not None:
                self._lines[product_id] = replace(
                    line, discount=line.discount.approved_by(approver_id)
                )
        if self._cart_discount is not None:
            self._cart_discount = self._cart_discount.approved_by(approver_id)

    def discount_approver_id(self) -> int | None:
        """The one person recorded as approving every manual discount in the cart, else None."""
        discounts = [*self.line_discounts().values()]
        if self._cart_discount is not None:
            discounts.append(self._cart_discount)
        return _the_one({discount.approver_id for discount in discounts})

    def override_price(
        self,
        product_id: int,
        price_cents: int | None,
        *,
        list_price_cents: int,
        approver_id: int | None = None,
    ) -> CartLine:
        """Charge ``price_cents`` per unit on a line; None or the list price is no override."""
        line = self._line(product_id)
        if price_cents is None or _price(price_cents) == list_price_cents:
            line = replace(line, price_override_cents=None, approver_id=None)
        else:
            line = replace(line, price_override_cents=price_cents, approver_id=approver_id)
        self._lines[product_id] = line
        return line

    def approve_overrides(self, approver_id: int) -> None:
        """Record who approved every changed price in the cart."""
        clean_id = check_id(approver_id, "override_approver", "approver")
        for product_id, line in self._lines.items():
            if line.price_override_cents is not None:
                self._lines[product_id] = replace(line, approver_id=clean_id)

    def forget_override_approvals(self) -> None:
        for product_id, line in self._lines.items():
            if line.approver_id is not None:
                self._lines[product_id] = replace(line, approver_id=None)

    def override_approver_id(self) -> int | None:
        """The one person who approved every changed price in the cart, else None."""
        return _the_one(
            {
                line.approver_id
                for line in self._lines.values()
                if line.price_override_cents is not None
            }
        )

    def needs_override_approval(self) -> bool:
        """Whether the cart changes prices that no single person approved all of."""
        return bool(self.price_overrides()) and self.override_approver_id() is None

    def price_overrides(self) -> dict[int, int]:
        return {
            line.product_id: line.price_override_cents
            for line in self._lines.values()
            if line.price_override_cents is not None
        }

    def unapproved_overrides(self) -> list[int]:
        """Products whose changed price nobody has approved yet."""
        return [
            line.product_id
            for line in self._lines.values()
            if line.price_override_cents is not None and line.approver_id is None
        ]

    def labels(self) -> dict[int, LabelTotal]:
        return {
            line.product_id: line.labels for line in self._lines.values() if line.labels is not None
        }

    def purchase_lines(self) -> list[PurchaseLine]:
        """One line per product; a weighed line with scale labels is sent as the grams the
        labels cover with their price, then the rest weighed at the till."""
        return [
            PurchaseLine(line.product_id, quantity, label_price)
            for line in self._lines.values()
            for quantity, label_price in line.sold_parts()
        ]

    def quantities(self) -> Mapping[int, int]:
        return {line.product_id: line.quantity for line in self._lines.values()}

    def price(
        self, products: Mapping[int, ProductPrice], promotions: Iterable[Promotion] = ()
    ) -> PricedSale:
        """Each line as the till will charge it: promotions, then the discounts."""
        if not self._lines:
            return PricedSale(())
        return price_sale(
            self.quantities(),
            products,
            self.price_overrides(),
            self.labels(),
            promotions=promotions,
            line_discounts=self.line_discounts(),
            cart_discount=self._cart_discount,
        )

    def _add_label(self, product_id: int, label: LabelTotal) -> CartLine:
        line = self._lines[product_id]
        labels = label if line.labels is None else line.labels.plus(label.price_cents, label.grams)
        line = replace(line, labels=labels)
        self._lines[product_id] = line
        return line

    def _line(self, product_id: int) -> CartLine:
        line = self._lines.get(product_id)
        if line is None:
            raise NotFoundError("That product is not in the cart.", field="product_id")
        return line


def _the_one(ids: set[int | None]) -> int | None:
    return next(iter(ids)) if len(ids) == 1 else None


def _quantity(value: object, limit: int = MAX_QUANTITY) -> int:
    if not is_whole_number(value) or not 1 <= value <= limit:
        raise ValidationError(
            f"The quantity must be a whole number from 1 to {limit:,}.", field="quantity"
        )
    return value


def _price(value: object) -> int:
    if not is_whole_number(value) or not 0 <= value <= MAX_CENTS:
        raise ValidationError("Enter a price from 0.00 up.", field="price")
    return value


__all__ = [
    "MAX_LINES",
    "MAX_QUANTITY",
    "REASONS",
    "WEIGHED_LIMIT",
    "Cart",
    "CartLine",
    "FailedLine",
    "PurchaseLine",
    "bad_quantity",
    "label_prices",
    "merge_lines",
    "out_of_stock",
    "too_many_pieces",
    "unsellable_quantity",
]
