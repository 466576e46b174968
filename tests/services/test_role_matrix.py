"""Every public service function that acts for someone, times every kind of someone.

One table names, per function, the least role it needs and how to build valid arguments. Each
function is then called by a cashier, a manager and the owner (allowed from its role up,
``PermissionDeniedError`` below it) and by sessions that prove nothing: logged out, deactivated,
demoted, forged in several ways, of an unknown user, expired. Those must all be refused with an
``AuthenticationError`` (a ``SessionEndedError`` saying why where the session was real) whatever
the role the function needs. A test reads every module of ``pos_app.services`` so that a new
function taking an ``actor`` cannot be left out of the table.

The shop is built once per backend; calls that change it use their own rows (a spare account,
fresh products), so the order of the calls does not matter.
"""

from __future__ import annotations

import base64
import importlib
import inspect
import io
import json
import pkgutil
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import count
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jwt
import pytest

import pos_app.services
from pos_app.db.engine import create_database
from pos_app.services import (
    analytics,
    audit,
    auth,
    catalog,
    categories,
    checkout,
    demo_data,
    drawer,
    held_sales,
    insights,
    inventory,
    legacy_import,
    product_csv,
    product_lookup,
    product_queries,
    promotions,
    receipt_search,
    receipts,
    refunds,
    rollups,
    sale_line_csv,
    sales,
    shifts,
    stock_count,
    tax,
    till_promotions,
    users,
    voids,
)
from pos_app.services.access import PRICE_APPROVAL, UserSession
from pos_app.services.analytics import Bucket, SalesQuery
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    AuthenticationError,
    PermissionDeniedError,
    SessionEndedError,
)
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.paging import PageRequest
from pos_app.services.promotion_drafts import PromotionDraft, PromotionKind
from pos_app.services.roles import Role
from tests import dbutil
from tests.conftest import BACKENDS, LONG_SESSIONS, TEST_SECRET, FakeClock, fast_hasher
from tests.factories import PASSWORD, log_in, make_category, make_product, make_staff
from tests.legacy_fixtures import build_legacy_sqlite

_serial = count(1)

# Filled as the matrix runs; printed by tests/conftest.py at the end of the run.
RESULTS: dict[str, int] = {"functions": 0, "actors": 0, "cells": 0, "passed": 0}


@dataclass
class Shop:
    ctx: ServiceContext
    clock: FakeClock
    people: dict[str, Any]  # kind of actor -> what is passed as ``actor``
    owner: UserSession
    manager: UserSession
    spare_id: int  # an account the users functions may change
    product_id: int
    category_id: int
    sale_id: int
    sale_item_id: int
    refund: str  # a refund slip's number
    legacy: Path


Builder = Callable[[Shop, UserSession], tuple[tuple[Any, ...], dict[str, Any]]]


@dataclass(frozen=True)
class Entry:
    function: Callable[..., Any]
    role: Role
    build: Builder


def args(*positional: Any, **keywords: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return positional, keywords


def _unique() -> int:
    return next(_serial)


def _held(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    cart = held_sales.hold_cart(shop.ctx, who, [HeldLine(shop.product_id, 1)])
    return args(cart.id)


def _shift_closed(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    if shifts.current_shift(shop.ctx, shop.owner) is not None:
        shifts.close_shift(shop.ctx, shop.owner, 0)
    return args(0)


def _shift_open(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A shift of ``who``'s own on this till (a cashier handles only their own)."""
    _shift_closed(shop, who)
    return args(shifts.open_shift(shop.ctx, who, 0).id)


def _csv(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    rows = f"category,sku,barcode,name,price,stock\nMatrix,MX-{_unique()},,Matrix item,1.00,1\n"
    return args(io.StringIO(rows))


def _new_product(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    serial = _unique()
    return args(
        name=f"Matrix {serial}", category_id=shop.category_id, sku=f"MX-P{serial}", price_cents=1
    )


def _refund(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return args(
        shop.sale_id,
        [(shop.sale_item_id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )


def _approve(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return args(shop.manager.email, PASSWORD, action=PRICE_APPROVAL)


def _new_cashier(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    serial = _unique()
    return args(email=f"matrix{serial}@shop.test", password=PASSWORD, first_name="M", last_name="X")


def _demo_sales(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return args(sales=1, days=1, sales_only=True)


def _draft(shop: Shop) -> PromotionDraft:
    """A price cut that starts long after the matrix's day, so no sale in the matrix changes."""
    return PromotionDraft(
        f"Matrix promo {_unique()}", PromotionKind.PRICE_CUT, date(2030, 1, 1),
        product_ids=frozenset({shop.product_id}), percent_bp=1000,
    )  # fmt: skip


def _promotion(shop: Shop, who: UserSession) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return args(promotions.create_promotion(shop.ctx, shop.manager, _draft(shop)).id)


TODAY = date(2026, 3, 10)
WEEK = (TODAY - timedelta(days=6), TODAY)

TABLE: dict[str, Entry] = {
    "analytics.sales_data": Entry(
        analytics.sales_data,
        Role.OWNER,
        lambda s, w: args(SalesQuery(start=WEEK[0], end=WEEK[1], bucket=Bucket.DAILY)),
    ),
    "audit.list_audit": Entry(
        audit.list_audit, Role.OWNER, lambda s, w: args(page=PageRequest(limit=5))
    ),
    "auth.approve": Entry(auth.approve, Role.CASHIER, _approve),
    "drawer.no_sale": Entry(
        drawer.no_sale, Role.MANAGER, lambda s, w: (_shift_open(s, w), args("Change for a note"))[1]
    ),
    "drawer.record_opening": Entry(
        drawer.record_opening, Role.CASHIER, lambda s, w: args(drawer.SALE, "R00000001")
    ),
    "auth.get_user": Entry(auth.get_user, Role.OWNER, lambda s, w: args(s.spare_id)),
    "auth.register_user": Entry(auth.register_user, Role.MANAGER, _new_cashier),
    "catalog.create_product": Entry(catalog.create_product, Role.MANAGER, _new_product),
    "catalog.get_product": Entry(
        catalog.get_product, Role.CASHIER, lambda s, w: args(s.product_id)
    ),
    "catalog.set_product_active": Entry(
        catalog.set_product_active, Role.MANAGER, lambda s, w: args(s.product_id, True)
    ),
    "catalog.update_product": Entry(
        catalog.update_product, Role.MANAGER, lambda s, w: args(s.product_id, price_cents=250)
    ),
    "categories.create_category": Entry(
        categories.create_category, Role.MANAGER, lambda s, w: args(name=f"Cat {_unique()}")
    ),
    "categories.get_category": Entry(
        categories.get_category, Role.CASHIER, lambda s, w: args(s.category_id)
    ),
    "categories.list_categories": Entry(
        categories.list_categories, Role.CASHIER, lambda s, w: args(page=PageRequest(0, 10))
    ),
    "categories.set_category_active": Entry(
        categories.set_category_active, Role.MANAGER, lambda s, w: args(s.category_id, True)
    ),
    "categories.update_category": Entry(
        categories.update_category, Role.MANAGER, lambda s, w: args(s.category_id, description="")
    ),
    "checkout.purchase": Entry(
        checkout.purchase, Role.CASHIER, lambda s, w: args([PurchaseLine(s.product_id, 1)])
    ),
    "product_csv.export_products": Entry(
        product_csv.export_products, Role.MANAGER, lambda s, w: args(io.StringIO())
    ),
    "sale_line_csv.export_sale_lines": Entry(
        sale_line_csv.export_sale_lines, Role.OWNER, lambda s, w: args(*WEEK, io.StringIO())
    ),
    "product_csv.import_products": Entry(product_csv.import_products, Role.MANAGER, _csv),
    "demo_data.seed_demo": Entry(demo_data.seed_demo, Role.OWNER, _demo_sales),
    "held_sales.hold_cart": Entry(
        held_sales.hold_cart, Role.CASHIER, lambda s, w: args([HeldLine(s.product_id, 1)])
    ),
    "held_sales.list_held": Entry(held_sales.list_held, Role.CASHIER, lambda s, w: args()),
    "voids.void_cart": Entry(
        voids.void_cart, Role.CASHIER, lambda s, w: args([HeldLine(s.product_id, 1)])
    ),
    "voids.void_line": Entry(
        voids.void_line,
        Role.CASHIER,
        lambda s, w: args([HeldLine(s.product_id, 1)], s.product_id),
    ),
    "held_sales.recall": Entry(held_sales.recall, Role.CASHIER, _held),
    "insights.average_sale": Entry(insights.average_sale, Role.OWNER, lambda s, w: args(*WEEK)),
    "insights.sales_by_hour": Entry(insights.sales_by_hour, Role.OWNER, lambda s, w: args(*WEEK)),
    "insights.sales_by_weekday": Entry(
        insights.sales_by_weekday, Role.OWNER, lambda s, w: args(*WEEK)
    ),
    "insights.slow_movers": Entry(insights.slow_movers, Role.OWNER, lambda s, w: args(*WEEK)),
    "insights.top_sellers": Entry(insights.top_sellers, Role.OWNER, lambda s, w: args(*WEEK)),
    "inventory.add_stock": Entry(
        inventory.add_stock, Role.MANAGER, lambda s, w: args(s.product_id, 1)
    ),
    "inventory.adjust_stock": Entry(
        inventory.adjust_stock, Role.MANAGER, lambda s, w: args(s.product_id, 1, "found one")
    ),
    "inventory.list_stock": Entry(
        inventory.list_stock, Role.MANAGER, lambda s, w: args(page=PageRequest(0, 10))
    ),
    "inventory.low_stock": Entry(
        inventory.low_stock, Role.MANAGER, lambda s, w: args(5, page=PageRequest(0, 10))
    ),
    "inventory.movement_history": Entry(
        inventory.movement_history,
        Role.MANAGER,
        lambda s, w: args(s.product_id, page=PageRequest(0, 10)),
    ),
    "legacy_import.import_legacy": Entry(
        legacy_import.import_legacy, Role.OWNER, lambda s, w: args(str(s.legacy))
    ),
    "product_lookup.find_product": Entry(
        product_lookup.find_product, Role.CASHIER, lambda s, w: args("MX-1")
    ),
    "product_lookup.find_product_or_only_match": Entry(
        product_lookup.find_product_or_only_match, Role.CASHIER, lambda s, w: args("MX-1")
    ),
    "product_lookup.scan_code": Entry(
        product_lookup.scan_code, Role.CASHIER, lambda s, w: args("MX-1")
    ),
    "product_lookup.scan_or_only_match": Entry(
        product_lookup.scan_or_only_match, Role.CASHIER, lambda s, w: args("MX-1")
    ),
    "product_lookup.suggest_products": Entry(
        product_lookup.suggest_products, Role.CASHIER, lambda s, w: args("Mat")
    ),
    "product_queries.list_products": Entry(
        product_queries.list_products, Role.CASHIER, lambda s, w: args(page=PageRequest(0, 10))
    ),
    "product_queries.refine_products": Entry(
        product_queries.refine_products,
        Role.CASHIER,
        lambda s, w: args([s.product_id], page=PageRequest(0, 10)),
    ),
    "promotions.create_promotion": Entry(
        promotions.create_promotion, Role.MANAGER, lambda s, w: args(_draft(s))
    ),
    "promotions.end_promotion": Entry(promotions.end_promotion, Role.MANAGER, _promotion),
    "promotions.get_promotion": Entry(promotions.get_promotion, Role.CASHIER, _promotion),
    "promotions.list_promotions": Entry(
        promotions.list_promotions, Role.CASHIER, lambda s, w: args()
    ),
    "till_promotions.running_promotions": Entry(
        till_promotions.running_promotions, Role.CASHIER, lambda s, w: args()
    ),
    "promotions.update_promotion": Entry(
        promotions.update_promotion,
        Role.MANAGER,
        lambda s, w: args(*_promotion(s, w)[0], _draft(s)),
    ),
    "receipt_search.find_receipts": Entry(
        receipt_search.find_receipts, Role.CASHIER, lambda s, w: args(date=TODAY)
    ),
    "receipts.get_receipt": Entry(receipts.get_receipt, Role.CASHIER, lambda s, w: args(s.sale_id)),
    "receipts.get_refund": Entry(receipts.get_refund, Role.CASHIER, lambda s, w: args(s.refund)),
    "refunds.refund": Entry(refunds.refund, Role.CASHIER, _refund),
    "refunds.sale_refunds": Entry(refunds.sale_refunds, Role.CASHIER, lambda s, w: args(s.sale_id)),
    "rollups.refresh_rollups": Entry(rollups.refresh_rollups, Role.OWNER, lambda s, w: args(TODAY)),
    "sales.get_sale": Entry(sales.get_sale, Role.CASHIER, lambda s, w: args(s.sale_id)),
    "sales.recent_sales": Entry(sales.recent_sales, Role.CASHIER, lambda s, w: args()),
    "shifts.close_shift": Entry(
        shifts.close_shift, Role.CASHIER, lambda s, w: (_shift_open(s, w), args(0))[1]
    ),
    "shifts.current_shift": Entry(shifts.current_shift, Role.CASHIER, lambda s, w: args()),
    "shifts.list_shifts": Entry(
        shifts.list_shifts, Role.MANAGER, lambda s, w: args(page=PageRequest(0, 10))
    ),
    "shifts.open_shift": Entry(shifts.open_shift, Role.CASHIER, _shift_closed),
    "shifts.unshifted_entries": Entry(
        shifts.unshifted_entries, Role.OWNER, lambda s, w: args(page=PageRequest(0, 10))
    ),
    "shifts.z_report": Entry(shifts.z_report, Role.CASHIER, _shift_open),
    "stock_count.count_stock": Entry(
        # A cashier counts only with a manager's approval, which this call does not carry.
        stock_count.count_stock,
        Role.MANAGER,
        lambda s, w: args(s.product_id, 90_000, "recount"),
    ),
    "tax.list_tax_rates": Entry(tax.list_tax_rates, Role.CASHIER, lambda s, w: args()),
    "tax.set_category_tax_rate": Entry(
        tax.set_category_tax_rate, Role.MANAGER, lambda s, w: args(s.category_id, 700)
    ),
    "users.change_role": Entry(
        users.change_role, Role.OWNER, lambda s, w: args(s.spare_id, Role.CASHIER)
    ),
    "users.list_users": Entry(users.list_users, Role.OWNER, lambda s, w: args()),
    "users.reset_password": Entry(
        users.reset_password, Role.OWNER, lambda s, w: args(s.spare_id, "a new password")
    ),
    "users.set_user_active": Entry(
        users.set_user_active, Role.OWNER, lambda s, w: args(s.spare_id, True)
    ),
}

# Helpers that run inside a unit of work whose caller has already authorized the session: they
# take the ``UserInfo`` that ``authorize`` returned, never one from outside.
INSIDE_THE_CHECK = {"settlement.approve_overrides"}

ROLES = {"cashier": Role.CASHIER, "manager": Role.MANAGER, "owner": Role.OWNER}
# Kind of actor -> (the error, a phrase its message must contain).
REFUSED: dict[str, tuple[type[Exception], str]] = {
    "logged out": (SessionEndedError, "logged out"),
    "deactivated": (SessionEndedError, "deactivated"),
    "demoted": (SessionEndedError, "role was changed to cashier"),
    "a UserInfo claiming owner": (AuthenticationError, "session has ended"),
    "signed with another secret": (AuthenticationError, "session has ended"),
    "role claim edited": (AuthenticationError, "session has ended"),
    "another user's name on the token": (AuthenticationError, "session has ended"),
    "unknown user id": (AuthenticationError, "session has ended"),
    "expired": (AuthenticationError, "session has ended"),
}
ACTORS = [*ROLES, *REFUSED]


def _public_actor_functions() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for module_info in pkgutil.iter_modules(pos_app.services.__path__):
        module = importlib.import_module(f"pos_app.services.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if "actor" in parameters and parameters[0] == "ctx":
                found[f"{module_info.name}.{name}"] = function
    return found


def test_every_public_function_taking_an_actor_is_in_the_table() -> None:
    found = _public_actor_functions()
    missing = sorted(set(found) - set(TABLE) - INSIDE_THE_CHECK)
    assert missing == [], f"add these to TABLE in {__name__}: {missing}"
    assert all(TABLE[name].function is found[name] for name in TABLE)
    for name in INSIDE_THE_CHECK:
        assert "UserSession" not in str(inspect.signature(found[name]).parameters["actor"])


def _edited(token: str, **claims: Any) -> str:
    """The token with its claims changed and its signature kept (so no longer matching)."""
    head, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload.update(claims)
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return ".".join([head, base64.urlsafe_b64encode(raw).rstrip(b"=").decode(), signature])


def _signed_elsewhere(ctx: ServiceContext, session: UserSession, **claims: Any) -> str:
    payload = jwt.decode(session.token, options={"verify_signature": False}) | claims
    return jwt.encode(payload, "another shop's secret" * 3, algorithm="HS256")


def _people(ctx: ServiceContext, shop_owner: UserSession, staff: Any) -> dict[str, Any]:
    def account(role: Role) -> UserSession:
        serial = _unique()
        user = auth.register_user(
            ctx, shop_owner, email=f"actor{serial}@shop.test", password=PASSWORD,
            first_name="A", last_name=f"Actor{serial}", role=role,
        )  # fmt: skip
        return log_in(ctx, user.email)

    logged_out = account(Role.OWNER)
    auth.logout(ctx, logged_out.token)
    deactivated = account(Role.OWNER)
    users.set_user_active(ctx, shop_owner, deactivated.id, False)
    demoted = account(Role.OWNER)
    users.change_role(ctx, shop_owner, demoted.id, Role.CASHIER)
    owner = staff.owner
    stranger = replace(owner.user, id=999_999)
    expired = auth.login(
        replace(ctx, token_ttl=timedelta(seconds=-1)), owner.email, PASSWORD
    ).session
    return {
        "cashier": staff.cashier,
        "manager": staff.manager,
        "owner": owner,
        "logged out": logged_out,
        "deactivated": deactivated,
        "demoted": demoted,
        "a UserInfo claiming owner": replace(staff.cashier.user, role=Role.OWNER),
        "signed with another secret": UserSession(
            _signed_elsewhere(ctx, staff.cashier, role="owner"),
            replace(staff.cashier.user, role=Role.OWNER),
        ),
        "role claim edited": UserSession(
            _edited(staff.cashier.token, role="owner"),
            replace(staff.cashier.user, role=Role.OWNER),
        ),
        "another user's name on the token": UserSession(staff.cashier.token, owner.user),
        "unknown user id": UserSession(
            jwt.encode(
                jwt.decode(owner.token, options={"verify_signature": False}) | {"sub": "999999"},
                ctx.jwt_secret,
                algorithm="HS256",
            ),
            stranger,
        ),
        "expired": expired,
    }


def open_shop(
    backend: str, folder: Path, sqlite_template: Path, mysql_session_url: str | None
) -> Shop:
    """The matrix's shop on ``backend`` (skips when MariaDB is not reachable); the caller
    disposes of ``shop.ctx.database``. The hostile-input suite reuses it."""
    if backend == "sqlite":
        path = folder / "till.sqlite3"
        shutil.copyfile(sqlite_template, path)
        database = create_database(f"sqlite:///{path}")
    else:
        if mysql_session_url is None:
            pytest.skip("MariaDB is not reachable")
        database = create_database(mysql_session_url)
        dbutil.empty_all_tables(database.engine)
    clock = FakeClock()
    ctx = ServiceContext(
        database=database,
        timezone=ZoneInfo("Europe/Berlin"),
        till_id="till-matrix",
        jwt_secret=TEST_SECRET,
        password_hasher=fast_hasher(),
        clock=clock,
        token_ttl=LONG_SESSIONS,
    )
    staff = make_staff(ctx)
    drinks = make_category(ctx, staff.manager, "Matrix drinks")
    product = make_product(
        ctx, staff.manager, drinks.id, name="Matrix item", sku="MX-1", stock=100_000
    )
    sold = checkout.purchase(ctx, staff.cashier, [PurchaseLine(product.id, 500)])
    assert sold.sale_id is not None
    receipt = receipts.get_receipt(ctx, staff.owner, sold.sale_id)
    slip = refunds.refund(
        ctx,
        staff.cashier,
        sold.sale_id,
        [(receipt.lines[0].sale_item_id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    spare = auth.register_user(
        ctx, staff.owner, email="spare@shop.test", password=PASSWORD, first_name="S",
        last_name="Pare",
    )  # fmt: skip
    return Shop(
        ctx=ctx,
        clock=clock,
        people=_people(ctx, staff.owner, staff),
        owner=staff.owner,
        manager=staff.manager,
        spare_id=spare.id,
        product_id=product.id,
        category_id=drinks.id,
        sale_id=sold.sale_id,
        sale_item_id=receipt.lines[0].sale_item_id,
        refund=receipts.refund_number(slip.id),
        legacy=build_legacy_sqlite(folder / "legacy.sqlite3"),
    )


@pytest.fixture(scope="module", params=BACKENDS)
def shop(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    mysql_session_url: str | None,
) -> Iterator[Shop]:
    """One shop per backend for the whole matrix."""
    folder = tmp_path_factory.mktemp(f"matrix-{request.param}")
    built = open_shop(request.param, folder, sqlite_template, mysql_session_url)
    yield built
    built.ctx.database.dispose()


def _outcome(entry: Entry, shop: Shop, actor: Any, who: UserSession) -> BaseException | None:
    positional, keywords = entry.build(shop, who)
    try:
        entry.function(shop.ctx, actor, *positional, **keywords)
    except Exception as error:
        return error
    return None


def _judge(entry: Entry, kind: str, outcome: BaseException | None) -> str | None:
    """None when ``outcome`` is what ``kind`` must get, else what went wrong."""
    if kind in ROLES:
        if ROLES[kind].allows(entry.role):
            return None if outcome is None else f"refused: {outcome!r}"
        if type(outcome) is PermissionDeniedError:
            return None
        return f"expected PermissionDeniedError, got {outcome!r}"
    error_type, phrase = REFUSED[kind]
    if isinstance(outcome, error_type) and phrase in str(outcome):
        return None
    return f"expected {error_type.__name__} ({phrase!r}), got {outcome!r}"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_the_session_decides_who_may_call(shop: Shop, name: str) -> None:
    entry = TABLE[name]
    wrong: dict[str, str] = {}
    for kind in ACTORS:
        actor = shop.people[kind]
        who = actor if kind in ROLES else shop.owner
        problem = _judge(entry, kind, _outcome(entry, shop, actor, who))
        RESULTS["cells"] += 1
        if problem is None:
            RESULTS["passed"] += 1
        else:
            wrong[kind] = problem
    RESULTS["functions"] = len(TABLE)
    RESULTS["actors"] = len(ACTORS)
    assert wrong == {}


def test_a_refused_session_changes_nothing(shop: Shop) -> None:
    before = len(users.list_users(shop.ctx, shop.owner))
    for kind in REFUSED:
        with pytest.raises(AuthenticationError):
            auth.register_user(shop.ctx, shop.people[kind], **_new_cashier(shop, shop.owner)[1])
    assert len(users.list_users(shop.ctx, shop.owner)) == before
