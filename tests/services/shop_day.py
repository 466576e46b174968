"""A small shop for the shop-day tests: three users, two tax rates, a few products, and sales."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pos_app.services import auth, catalog, checkout, tax
from pos_app.services.access import UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.payments import PaymentIn
from pos_app.services.roles import Role
from tests.factories import open_till, signed_in

PASSWORD = "correct horse battery"
FOOD_BP = 700
DRINKS_BP = 1900


@dataclass(frozen=True)
class Shop:
    owner: UserSession
    manager: UserSession
    cashier: UserSession
    food: int
    drinks: int
    bread: ProductInfo  # 2.49, food
    cheese: ProductInfo  # 5.99, food
    wine: ProductInfo  # 12.50, drinks
    water: ProductInfo  # 0.99, drinks


def user(ctx: ServiceContext, owner: UserSession, name: str, role: Role) -> UserSession:
    return signed_in(
        ctx,
        auth.register_user(
            ctx,
            owner,
            email=f"{name.lower()}@shop.test",
            password=PASSWORD,
            first_name=name,
            last_name=role.label,
            role=role,
        ),
        PASSWORD,
    )


def make_shop(ctx: ServiceContext, stock: int = 50, *, open_shift: bool = True) -> Shop:
    """The shop; unless ``open_shift=False`` the owner opens a shift on the till (no float)."""
    owner = signed_in(
        ctx,
        auth.register_user(
            ctx,
            None,
            email="owner@shop.test",
            password=PASSWORD,
            first_name="Olga",
            last_name="Owner",
        ),
        PASSWORD,
    )
    if open_shift:
        open_till(ctx, owner)
    manager = user(ctx, owner, "Mona", Role.MANAGER)
    cashier = user(ctx, owner, "Carl", Role.CASHIER)
    food = catalog.create_category(ctx, owner, name="Food").id
    drinks = catalog.create_category(ctx, owner, name="Drinks").id
    tax.set_category_tax_rate(ctx, owner, food, FOOD_BP)
    tax.set_category_tax_rate(ctx, owner, drinks, DRINKS_BP)

    def product(name: str, category: int, price: int) -> ProductInfo:
        return catalog.create_product(
            ctx,
            owner,
            name=name,
            category_id=category,
            sku=name.upper(),
            price_cents=price,
            initial_stock=stock,
        )

    return Shop(
        owner=owner,
        manager=manager,
        cashier=cashier,
        food=food,
        drinks=drinks,
        bread=product("Bread", food, 249),
        cheese=product("Cheese", food, 599),
        wine=product("Wine", drinks, 1250),
        water=product("Water", drinks, 99),
    )


def sell(
    ctx: ServiceContext,
    actor: UserSession,
    lines: Sequence[tuple[ProductInfo, int]],
    payments: Sequence[PaymentIn] | None = None,
) -> int:
    """Sell the lines (exact cash unless payments are given) and return the sale id."""
    total = sum(product.price_cents * quantity for product, quantity in lines)
    paid = payments if payments is not None else [PaymentIn("cash", total)]
    cart = [PurchaseLine(product.id, quantity) for product, quantity in lines]
    result = checkout.purchase(ctx, actor, cart, payments=paid)
    assert result.committed, result.failed
    assert result.sale_id is not None
    return result.sale_id
