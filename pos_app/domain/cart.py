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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pos_app.domain.checks import check_id, is_whole_number
from pos_app.domain.discounts import Discount
from pos_app.domain.errors import NotFoundError, ValidationError
from pos_app.domain.money import MAX_CENTS
from pos_app.domain.weights import MAX_GRAMS, LabelTotal, format_quantity

MAX_QUANTITY = 10_000
MAX_LINES = 500
REASONS = ("unknown_product", "inactive", "out_of_stock", "bad_quantity")


@dataclass(frozen=True)
class PurchaseLine:
    """Pieces of a product, or grams of one sold by weight (with its label's price, if any)."""

    product_id: int
    quantity: int
    label_price_cents: int | None = None


@dataclass(frozen=True)
class FailedLine:
    product_id: int
    product_name: str | None
    quantity: int
    reason: str
    message: str


def merge_lines(
    lines: object, limit: int = MAX_QUANTITY
) -> tuple[dict[int, int], list[FailedLine]]:
    """Quantities per product (cart order), and the lines whose quantity cannot be sold.

    ``limit`` is the largest quantity of one product: :data:`MAX_QUANTITY` pieces, or
    :data:`WEIGHED_LIMIT` when the cart may hold grams (the pieces are then checked once the
    products are known, with :func:`too_many_pieces`).
    """
    if not is_whole_number(limit) or not 1 <= limit <= WEIGHED_LIMIT:
        raise ValidationError("The limit of a cart line is not a valid quantity.", field="limit")
    if isinstance(lines, str | bytes) or not isinstance(lines, Sequence):
        raise ValidationError("The cart must be a list of lines.", field="lines")
    if not lines:
        raise ValidationError("The cart is empty; add a product first.", field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"A sale can have at most {MAX_LINES} lines.", field="lines")
    wanted: dict[int, int] = {}
    failed: list[FailedLine] = []
    for line in lines:
        if not isinstance(line, PurchaseLine):
            raise ValidationError("Each cart line needs a product and a quantity.", field="lines")
        if not is_whole_number(line.product_id):
            raise ValidationError("A cart line names no valid product.", field="product_id")
        quantity: object = line.quantity
        if not is_whole_number(quantity) or not 1 <= quantity <= limit:
            shown = quantity if is_whole_number(quantity) else 0
            failed.append(bad_quantity(line.product_id, shown))
            continue
        wanted[line.product_id] = wanted.get(line.product_id, 0) + quantity
    for product_id, total in list(wanted.items()):
        if total > limit:
            failed.append(bad_quantity(product_id, total))
            del wanted[product_id]
    return wanted, failed


WEIGHED_LIMIT = MAX_GRAMS
"""The most grams of one weighed product in one sale (999.999 kg)."""


def too_many_pieces(product_id: int, quantity: int, weighed: bool) -> FailedLine | None:
    """The failed line of a product sold per piece asked in more than :data:`MAX_QUANTITY`."""
    if weighed or quantity <= MAX_QUANTITY:
        return None
    return bad_quantity(product_id, quantity)


def unsellable_quantity(
    product_id: int, name: str, quantity: int, weighed: bool, labels: LabelTotal | None
) -> FailedLine | None:
    """Pieces over the piece limit, or scale labels on what they cannot price."""
    if refused := too_many_pieces(product_id, quantity, weighed):
        return replace(refused, product_name=name)
    if labels is None or (weighed and labels.grams <= quantity):
        return None
    message = f"The scale labels of {name} do not fit the line; scan them again."
    return replace(bad_quantity(product_id, quantity), product_name=name, message=message)


def out_of_stock(product_id: int, name: str, quantity: int, left: int, sold_by: str) -> FailedLine:
    """The failed line of ``quantity`` wanted with ``left`` in stock, in the product's units."""
    if left == 0:
        message = f"{name} is out of stock."
    else:
        shown_left = format_quantity(left, sold_by)
        wanted = format_quantity(quantity, sold_by)
        message = f"Only {shown_left} of {name} left in stock; {wanted} wanted."
    return FailedLine(product_id, name, quantity, "out_of_stock", message)


def label_prices(lines: Sequence[PurchaseLine]) -> dict[int, LabelTotal]:
    """The scale labels' prices and grams per product, added up; products without a label are
    absent. Call it on lines :func:`merge_lines` accepted."""
    totals: dict[int, LabelTotal] = {}
    for line in lines:
        price: object = line.label_price_cents
        if price is None:
            continue
        if not is_whole_number(price) or not 1 <= price <= MAX_CENTS:
            raise ValidationError("A scale label's price is not valid.", field="lines")
        total = totals.get(line.product_id, LabelTotal(0, 0))
        totals[line.product_id] = total.plus(price, line.quantity)
    return totals


def bad_quantity(product_id: int, quantity: int) -> FailedLine:
    message = f"The quantity must be a whole number from 1 to {MAX_QUANTITY:,}."
    return FailedLine(product_id, None, quantity, "bad_quantity", message)


@dataclass(frozen=True)
class CartLine:
    """One product in the cart; ``price_override_cents`` is None at the list price."""

    product_id: int
    quantity: int
    price_override_cents: int | None = None
    approver_id: int | None = None
    discount: Discount | None = None


class Cart:
    """The lines of one sale before it is priced; every change keeps the limits."""

    def __init__(
        self, lines: Iterable[CartLine] = (), *, cart_discount: Discount | None = None
    ) -> None:
        self._lines: dict[int, CartLine] = {}
        self._cart_discount = cart_discount
        for line in lines:
            self.add(line.product_id, line.quantity)
            if line.price_override_cents is not None:
                self._lines[line.product_id] = replace(
                    self._lines[line.product_id],
                    price_override_cents=_price(line.price_override_cents),
                    approver_id=line.approver_id,
                )
            if line.discount is not None:
                self.discount_line(line.product_id, line.discount)

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
        return sum(line.quantity for line in self._lines.values())

    def quantity_of(self, product_id: int) -> int:
        line = self._lines.get(product_id)
        return 0 if line is None else line.quantity

    def add(self, product_id: int, quantity: int = 1) -> CartLine:
        """Add ``quantity`` of a product: a new line, or more on the product's line."""
        clean_id = check_id(product_id, "product_id", "product")
        _quantity(quantity)
        line = self._lines.get(clean_id)
        if line is None:
            if len(self._lines) >= MAX_LINES:
                raise ValidationError(f"A sale can have at most {MAX_LINES} lines.", field="lines")
            line = CartLine(clean_id, quantity)
        else:
            line = replace(line, quantity=_quantity(line.quantity + quantity))
        self._lines[clean_id] = line
        return line

    def set_quantity(self, product_id: int, quantity: int) -> CartLine:
        line = replace(self._line(product_id), quantity=_quantity(quantity))
        self._lines[product_id] = line
        return line

    def remove(self, product_id: int) -> None:
        self._line(product_id)
        del self._lines[product_id]

    def clear(self) -> None:
        self._lines.clear()
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

    def purchase_lines(self) -> list[PurchaseLine]:
        return [PurchaseLine(line.product_id, line.quantity) for line in self._lines.values()]

    def quantities(self) -> Mapping[int, int]:
        return {line.product_id: line.quantity for line in self._lines.values()}

    def _line(self, product_id: int) -> CartLine:
        line = self._lines.get(product_id)
        if line is None:
            raise NotFoundError("That product is not in the cart.", field="product_id")
        return line


def _quantity(value: object) -> int:
    if not is_whole_number(value) or not 1 <= value <= MAX_QUANTITY:
        raise ValidationError(
            f"The quantity must be a whole number from 1 to {MAX_QUANTITY:,}.", field="quantity"
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
