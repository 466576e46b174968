"""Small builders for service tests: users of each role, categories and products.

Every builder goes through the real services, so what it returns is what a screen would see:
the people are sessions from ``auth.login`` (``staff.manager.id``, ``.role`` and ``.full_name``
read through to the account as it was at login).
Unique e-mails, names and SKUs come from a counter, so builders can be called repeatedly.

    staff = make_staff(ctx)
    drinks = make_category(ctx, staff.manager)
    cola = make_product(ctx, staff.manager, drinks.id, price_cents=250, stock=10)
"""

from __future__ import annotations

import copy
from itertools import count
from typing import NamedTuple

from pos_app.services import auth, catalog, shifts
from pos_app.services.access import ApprovalToken, UserSession
from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.paging import PageRequest
from pos_app.services.roles import Role, UserInfo

PASSWORD = "correct horse battery"
OWNER_EMAIL = "owner@shop.test"
_serial = count(1)


def make_owner(
    ctx: ServiceContext, by: UserSession | None = None, *, open_shift: bool = True
) -> UserSession:
    """The first account of an empty database (it becomes owner); with ``by``, another owner.

    Returns the new owner's session, logged in. The first owner also opens a shift on the
    context's till (with no float), since selling and refunding need one; ``open_shift=False``
    leaves the till closed.
    """
    if by is not None:
        return _make_user(ctx, by, Role.OWNER, "Otto")
    auth.register_user(
        ctx, None, email=OWNER_EMAIL, password=PASSWORD, first_name="Olga", last_name="Owner"
    )
    owner = log_in(ctx, OWNER_EMAIL)
    if open_shift:
        open_till(ctx, owner)
    return owner


def open_till(ctx: ServiceContext, actor: UserSession, float_cents: int = 0) -> None:
    """Open a shift on the context's till unless one is open already."""
    if shifts.current_shift(ctx, actor) is None:
        shifts.open_shift(ctx, actor, float_cents)


def log_in(ctx: ServiceContext, email: str, password: str = PASSWORD) -> UserSession:
    return auth.login(ctx, email, password).session


def _make_user(ctx: ServiceContext, owner: UserSession, role: Role, first: str) -> UserSession:
    serial = next(_serial)
    user = auth.register_user(
        ctx,
        owner,
        email=f"{role.value}{serial}@shop.test",
        password=PASSWORD,
        first_name=first,
        last_name=f"{role.label}{serial}",
        role=role,
    )
    return log_in(ctx, user.email)


def make_manager(ctx: ServiceContext, owner: UserSession) -> UserSession:
    return _make_user(ctx, owner, Role.MANAGER, "Max")


def make_cashier(ctx: ServiceContext, owner: UserSession) -> UserSession:
    return _make_user(ctx, owner, Role.CASHIER, "Cleo")


class Staff(NamedTuple):
    owner: UserSession
    manager: UserSession
    cashier: UserSession


def make_staff(ctx: ServiceContext, *, open_shift: bool = True) -> Staff:
    """An owner (the first account), a manager and a cashier; the owner opens a shift."""
    owner = make_owner(ctx, open_shift=open_shift)
    return Staff(owner, make_manager(ctx, owner), make_cashier(ctx, owner))


def make_category(ctx: ServiceContext, actor: UserSession, name: str | None = None) -> CategoryInfo:
    return catalog.create_category(ctx, actor, name=name or f"Category {next(_serial)}")


def make_product(
    ctx: ServiceContext,
    actor: UserSession,
    category_id: int,
    *,
    name: str | None = None,
    sku: str | None = None,
    price_cents: int = 199,
    barcode: str | None = None,
    stock: int = 0,
) -> ProductInfo:
    serial = next(_serial)
    return catalog.create_product(
        ctx,
        actor,
        name=name or f"Product {serial}",
        category_id=category_id,
        sku=sku or f"SKU-{serial}",
        price_cents=price_cents,
        barcode=barcode,
        initial_stock=stock,
    )


def signed_in(ctx: ServiceContext, user: UserInfo, password: str = PASSWORD) -> UserSession:
    """The session of an account just created (the services take sessions, not accounts)."""
    return auth.login(ctx, user.email, password).session


def approval_of(
    ctx: ServiceContext,
    actor: UserSession,
    approver: UserSession,
    action: str,
    password: str = PASSWORD,
) -> ApprovalToken:
    """What the approval dialog gets when ``approver`` types their password at actor's till."""
    return auth.approve(ctx, actor, approver.email, password, action=action)


def forged_page(offset: object = 0, limit: object = 100) -> PageRequest:
    """A PageRequest holding values its own check refuses, as careless or hostile calling code
    could make one: the service must check the page again."""
    page = copy.copy(PageRequest())
    object.__setattr__(page, "offset", offset)
    object.__setattr__(page, "limit", limit)
    return page
