"""Selling at the till: one purchase is one transaction; stock is taken by conditional updates.

A purchase reads everything it needs in one statement (the cashier, the till's open shift, a sale
already stored under the same id, the approver of changed prices, the products with their tax
rates), takes the stock line by line, then writes the priced sale with one statement per table.

A product sold by weight sells grams (its stock is grams too) at its price per kg; the grams
scale price labels cover cost what the labels say (see :mod:`pos_app.domain.pricing`).
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, Sale, Shift, User, table_of
from pos_app.domain.cart import WEIGHED_LIMIT, label_prices, too_many_pieces
from pos_app.domain.checks import MAX_ID
from pos_app.domain.discounts import Discount
from pos_app.domain.pricing import (
    PricedLine,
    PricedSale,
    ProductPrice,
    price_sale,
    priced_line,
    weighed_line,
)
from pos_app.domain.weights import LabelTotal, format_quantity
from pos_app.services.access import (
    PRICE_APPROVAL,
    ApprovalToken,
    UserSession,
    approval_subject,
    authorize,
)
from pos_app.services.cart_lines import (
    MAX_QUANTITY,
    REASONS,
    FailedLine,
    PurchaseLine,
    bad_quantity,
    merge_lines,
)
from pos_app.services.context import ServiceContext, retry_when_busy
from pos_app.services.errors import NoOpenShiftError, PermissionDeniedError, ValidationError
from pos_app.services.payments import MAX_PAYMENTS, PaymentIn
from pos_app.services.promotions import promotions_for_sale
from pos_app.services.roles import Role, UserInfo
from pos_app.services.sales import SaleInfo, SoldLine, get_sale, items_of, recent_sales
from pos_app.services.settlement import (
    Approval,
    NewSale,
    Override,
    approve_discounts,
    approve_overrides,
    check_overrides_in_cart,
    clean_approver,
    clean_cart_discount,
    clean_line_discounts,
    clean_overrides,
    record_sale,
    settled_amounts,
)
from pos_app.services.validation import check_items

NO_SHIFT_TO_SELL = "Open a shift on this till before selling."

_USERS, _SHIFTS, _SALES = table_of(User), table_of(Shift), table_of(Sale)
_PRODUCTS, _CATEGORIES, _STOCK = table_of(Product), table_of(Category), table_of(Inventory)
# One row per product found (one row with no product when none is), each carrying whether the
# cashier may still sell, the id of a sale already stored under this uuid, the till's open shift
# and the approver's role (when active) and name. The shared locks keep that shift open, and the
# prices and tax rates fixed, until the sale commits; a lock clause does not reach into
# subqueries, so the sale and approver lookups take none.
_OPEN_SHIFT = (
    select(_SHIFTS.c.id)
    .where(_SHIFTS.c.open_till_id == bindparam("till"))
    .with_for_update(read=True)
    .scalar_subquery()
)
_APPROVER = _USERS.alias("approver")
_APPROVER_ROLE = (
    select(_APPROVER.c.role)
    .where(_APPROVER.c.id == bindparam("approver"), _APPROVER.c.is_active)
    .scalar_subquery()
)
_APPROVER_NAME = (
    select(_APPROVER.c.first_name + " " + _APPROVER.c.last_name)
    .where(_APPROVER.c.id == bindparam("approver"))
    .scalar_subquery()
)
_CART_PRODUCTS = _USERS.outerjoin(
    _PRODUCTS, _PRODUCTS.c.id.in_(bindparam("ids", expanding=True))
).outerjoin(_CATEGORIES, _CATEGORIES.c.id == _PRODUCTS.c.category_id)
_CART_STATE = (
    select(
        _USERS.c.is_active.label("user_active"),
        select(_SALES.c.id).where(_SALES.c.uuid == bindparam("key")).scalar_subquery(),
        _OPEN_SHIFT,
        _APPROVER_ROLE,
        _APPROVER_NAME,
        _PRODUCTS.c.id,
        _PRODUCTS.c.name,
        _PRODUCTS.c.sku,
        _PRODUCTS.c.price_cents,
        _PRODUCTS.c.category_id,
        _PRODUCTS.c.is_active,
        _CATEGORIES.c.tax_rate_bp,
        _PRODUCTS.c.sold_by,
    )
    .select_from(_CART_PRODUCTS)
    .where(_USERS.c.id == bindparam("user"))
    .with_for_update(read=True)
)
# "quantity - n >= 0" rather than "quantity >= n": MySQL cannot range-scan the quantity index
# for it, so it locks the one row found by product_id instead of gaps other tills also need.
_TAKE_STOCK = (
    update(_STOCK)
    .where(_STOCK.c.product_id == bindparam("product"), _STOCK.c.quantity - bindparam("n") >= 0)
    .values(
        quantity=_STOCK.c.quantity - bindparam("n"),
        updated_at=bindparam("at", type_=_STOCK.c.updated_at.type),
    )
)
_STOCK_LEFT = select(_STOCK.c.quantity).where(_STOCK.c.product_id == bindparam("product"))


@dataclass(frozen=True)
class PurchaseResult:
    committed: bool
    sale_id: int | None
    sale_uuid: str
    created_at: datetime | None
    total_cents: int
    sold: list[SoldLine]
    failed: list[FailedLine]
    tax_cents: int = 0
    change_cents: int = 0


@dataclass(frozen=True)
class _Cart:
    wanted: dict[int, int]
    failed: list[FailedLine]
    overrides: dict[int, int]
    payments: Sequence[PaymentIn]
    labels: dict[int, LabelTotal] = field(default_factory=dict)
    line_discounts: dict[int, Discount] = field(default_factory=dict)
    cart_discount: Discount | None = None


class _Product(NamedTuple):
    id: int
    name: str
    sku: str
    price_cents: int
    category_id: int
    is_active: bool
    tax_rate_bp: int
    sold_by: str

    @property
    def is_weighed(self) -> bool:
        return self.sold_by == "weight"


@dataclass(frozen=True)
class _State:
    user_active: bool
    stored_sale: bool
    shift_id: int | None
    approver: tuple[str, str] | None
    products: dict[int, _Product]


def new_sale_uuid() -> str:
    """A fresh id for the next sale; the till keeps it until that sale is committed."""
    return str(uuidlib.uuid4())


@retry_when_busy
def purchase(
    ctx: ServiceContext,
    actor: UserSession,
    lines: Sequence[PurchaseLine],
    *,
    sale_uuid: str | None = None,
    partial: bool = False,
    payments: Sequence[PaymentIn] = (),
    price_overrides: Mapping[int, int] | None = None,
    override_approver: ApprovalToken | None = None,
    line_discounts: Mapping[int, Discount] | None = None,
    cart_discount: Discount | None = None,
) -> PurchaseResult:
    """Sell the cart. By default all lines sell or none; ``partial=True`` sells what it can.

    ``payments`` must add up to the total (none: exact cash); ``price_overrides`` maps product
    ids to the unit price charged instead of the list price, each override audited. A cashier's
    changed prices need ``override_approver``: an ``auth.approve`` token of an active manager or
    owner other than the cashier.

    Today's promotions apply by themselves (see :mod:`pos_app.domain.promotions`), then the
    lines' own discounts (``line_discounts`` by product id) and the ``cart_discount``. A discount
    above the cashier's limit needs ``override_approver`` too, from someone whose limit covers it.
    """
    key = _clean_uuid(sale_uuid)
    if not isinstance(partial, bool):
        raise ValidationError("Choose whether to sell only what is in stock.", field="partial")
    wanted, failed = merge_lines(lines, WEIGHED_LIMIT)
    labels = label_prices(lines)  # the lines merge_lines has checked
    overrides = clean_overrides(price_overrides)
    ids = [*wanted, *(line.product_id for line in failed)]
    check_overrides_in_cart(overrides, ids)
    approver = clean_approver(override_approver)
    check_items(payments, "payments", "payments", max_items=MAX_PAYMENTS)
    discounts = clean_line_discounts(line_discounts, ids)
    whole_cart = clean_cart_discount(cart_discount)
    cart = _Cart(wanted, failed, overrides, payments, labels, discounts, whole_cart)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "sell products")
        approver_id = approval_subject(ctx, approver, acting, PRICE_APPROVAL)
        state = _read_state(session, acting, approver_id, key, ctx.till_id, ids)
        if state.stored_sale:
            stored = _find_sale(session, key)
            if stored is not None:
                return stored
        if not state.user_active:
            raise PermissionDeniedError("This account has been deactivated; it cannot sell.")
        if state.shift_id is None:
            raise NoOpenShiftError(NO_SHIFT_TO_SELL)
        list_prices = {product.id: product.price_cents for product in state.products.values()}
        approval = approve_overrides(ctx, acting, approver, overrides, list_prices, state.approver)
        try:
            result = _sell(ctx, session, acting, key, cart, partial, state, approval, approver_id)
        except IntegrityError:
            # The same sale committed by a concurrent retry in the meantime: return that one.
            stored = _stored_meanwhile(session, key)
            if stored is None:
                raise
            return stored
        if not result.committed:
            # The stock may be gone to this very sale, committed by another till meanwhile.
            return _stored_meanwhile(session, key) or result
        return result


def _clean_uuid(raw: object) -> str:
    if raw is None:
        return new_sale_uuid()
    if not isinstance(raw, str) or len(raw) > 64:
        raise ValidationError("The sale id is not valid.", field="sale_uuid")
    try:
        return str(uuidlib.UUID(raw.strip()))
    except ValueError:
        raise ValidationError("The sale id is not valid.", field="sale_uuid") from None


def _read_state(
    session: Session,
    actor: UserInfo,
    approver_id: int | None,
    key: str,
    till_id: str,
    ids: list[int],
) -> _State:
    valid = sorted({product_id for product_id in ids if 1 <= product_id <= MAX_ID})
    rows = session.connection().execute(
        _CART_STATE,
        {"key": key, "till": till_id, "ids": valid, "user": actor.id, "approver": approver_id},
    )
    user_active = stored_sale = False
    shift_id: int | None = None
    approver_found: tuple[str, str] | None = None
    products: dict[int, _Product] = {}
    for row in rows:
        user_active, stored_sale, shift_id = bool(row[0]), row[1] is not None, row[2]
        if row[3] is not None:
            approver_found = (str(row[3]), str(row[4] or ""))
        if row[5] is not None:
            products[row[5]] = _Product._make(row[5:])
    return _State(user_active, stored_sale, shift_id, approver_found, products)


def _sell(
    ctx: ServiceContext,
    session: Session,
    actor: UserInfo,
    key: str,
    cart: _Cart,
    partial: bool,
    state: _State,
    approval: Approval | None,
    approver_id: int | None = None,
) -> PurchaseResult:
    products = state.products
    failed = [
        replace(line, product_name=_name_of(products, line.product_id)) for line in cart.failed
    ]
    sellable: list[tuple[_Product, int]] = []
    for product_id, quantity in cart.wanted.items():
        product = products.get(product_id)
        if product is None:
            message = "This product does not exist (any more)."
            failed.append(FailedLine(product_id, None, quantity, "unknown_product", message))
        elif not product.is_active:
            message = f"{product.name} is no longer sold."
            failed.append(FailedLine(product_id, product.name, quantity, "inactive", message))
        elif refused := _unsellable_quantity(product, quantity, cart.labels.get(product_id)):
            failed.append(refused)
        else:
            sellable.append((product, quantity))
    if failed and not partial:
        return _not_committed(key, failed)
    now = ctx.now()
    connection = session.connection()
    taken: set[int] = set()
    # A fixed order of row locks keeps two tills selling the same products from deadlocking.
    for product, quantity in sorted(sellable, key=lambda item: item[0].id):
        taking = {"product": product.id, "n": quantity, "at": now}
        if connection.execute(_TAKE_STOCK, taking).rowcount == 1:
            taken.add(product.id)
        else:
            failed.append(_out_of_stock(connection, product, quantity))
    selling = [(product, quantity) for product, quantity in sellable if product.id in taken]
    if not selling or (failed and not partial):
        session.rollback()
        return _not_committed(key, failed)
    priced = _price(ctx, session, cart, selling, now)
    discount_approval = approve_discounts(
        actor, approver_id, priced.manual_share_bp, state.approver, ctx.discount_limits
    )
    lines = list(priced.lines)
    sold = [_sold_line(product, line) for (product, _), line in zip(selling, lines, strict=True)]
    changed = [
        Override(
            line.product_id,
            line.product_name,
            line.quantity,
            products[line.product_id].price_cents,
            line.unit_price_cents,
        )
        for line in sold
        if line.product_id in cart.overrides
    ]
    sale = NewSale(key, ctx.till_id, now, ctx.local_date(now), state.shift_id, lines)
    sale_id, settled = record_sale(
        session,
        ctx,
        actor,
        sale,
        cart.payments,
        changed,
        approval=approval,
        discount_approval=discount_approval,
    )
    ctx.commit(session, stored=lambda fresh: _sale_stored(fresh, key))
    return PurchaseResult(
        True,
        sale_id,
        key,
        now,
        sale.total_cents,
        sold,
        failed,
        settled.tax_cents,
        settled.change_cents,
    )


def _name_of(products: dict[int, _Product], product_id: int) -> str | None:
    product = products.get(product_id)
    return product.name if product is not None else None


def _not_committed(key: str, failed: list[FailedLine]) -> PurchaseResult:
    return PurchaseResult(False, None, key, None, 0, [], failed)


def _out_of_stock(connection: Connection, product: _Product, quantity: int) -> FailedLine:
    left = connection.scalar(_STOCK_LEFT, {"product": product.id}) or 0
    if left == 0:
        message = f"{product.name} is out of stock."
    else:
        shown_left = format_quantity(left, product.sold_by)
        wanted = format_quantity(quantity, product.sold_by)
        message = f"Only {shown_left} of {product.name} left in stock; {wanted} wanted."
    return FailedLine(product.id, product.name, quantity, "out_of_stock", message)


def _unsellable_quantity(
    product: _Product, quantity: int, labels: LabelTotal | None
) -> FailedLine | None:
    """Pieces over the piece limit, or scale labels on what they cannot price."""
    if refused := too_many_pieces(product.id, quantity, product.is_weighed):
        return replace(refused, product_name=product.name)
    if labels is None or (product.is_weighed and labels.grams <= quantity):
        return None
    message = f"The scale labels of {product.name} do not fit the line; scan them again."
    return replace(bad_quantity(product.id, quantity), product_name=product.name, message=message)


def _price(
    ctx: ServiceContext,
    session: Session,
    cart: _Cart,
    selling: list[tuple[_Product, int]],
    now: datetime,
) -> PricedSale:
    """The lines that sell, priced with today's promotions and the cart's discounts."""
    rules = promotions_for_sale(ctx, session, ctx.local_date(now))
    if not rules and not cart.line_discounts and cart.cart_discount is None:
        # The common sale: nothing to take off, so each line is priced on its own.
        return PricedSale(
            tuple(
                _priced(
                    product, quantity, cart.overrides.get(product.id), cart.labels.get(product.id)
                )
                for product, quantity in selling
            )
        )
    sold_ids = {product.id for product, _ in selling}
    return price_sale(
        {product.id: quantity for product, quantity in selling},
        {
            product.id: ProductPrice(
                product.id,
                product.category_id,
                product.price_cents,
                product.tax_rate_bp,
                product.sold_by,
            )
            for product, _ in selling
        },
        {pid: price for pid, price in cart.overrides.items() if pid in sold_ids},
        {pid: total for pid, total in cart.labels.items() if pid in sold_ids},
        promotions=rules,
        line_discounts={
            pid: discount for pid, discount in cart.line_discounts.items() if pid in sold_ids
        },
        cart_discount=cart.cart_discount,
    )


def _priced(
    product: _Product, quantity: int, override: int | None, labels: LabelTotal | None
) -> PricedLine:
    price = product.price_cents if override is None else override
    if product.is_weighed:
        line = weighed_line(
            product.id, product.category_id, quantity, price, product.tax_rate_bp, labels
        )
        return replace(line, original_unit_price_cents=product.price_cents)
    return priced_line(
        product.id,
        product.category_id,
        quantity,
        price,
        product.tax_rate_bp,
        original_unit_price_cents=product.price_cents,
    )


def _sold_line(product: _Product, line: PricedLine) -> SoldLine:
    return SoldLine(
        product_id=product.id,
        product_name=product.name,
        sku=product.sku,
        quantity=line.quantity,
        unit_price_cents=line.unit_price_cents,
        revenue_cents=line.revenue_cents,
        sold_by=product.sold_by,
        original_unit_price_cents=line.original_unit_price_cents,
        discount_cents=line.discount_cents,
        discount_name=line.discount_name,
    )


def _stored_meanwhile(session: Session, key: str) -> PurchaseResult | None:
    """The sale stored under ``key``, read in a new transaction that sees other tills' commits."""
    session.rollback()
    return _find_sale(session, key)


def _sale_stored(session: Session, key: str) -> bool:
    return session.scalar(select(_SALES.c.id).where(_SALES.c.uuid == key)) is not None


def _find_sale(session: Session, key: str) -> PurchaseResult | None:
    sale = session.scalar(select(Sale).where(Sale.uuid == key))
    if sale is None:
        return None
    items = items_of(session, [sale.id]).get(sale.id, [])
    tax, change = settled_amounts(session, sale.id)
    return PurchaseResult(
        True, sale.id, sale.uuid, sale.created_at, sale.total_cents, items, [], tax, change
    )


__all__ = [
    "MAX_QUANTITY",
    "REASONS",
    "FailedLine",
    "PurchaseLine",
    "PurchaseResult",
    "SaleInfo",
    "SoldLine",
    "get_sale",
    "new_sale_uuid",
    "purchase",
    "recent_sales",
]
