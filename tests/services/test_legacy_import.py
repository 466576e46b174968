from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos_app.db.models import Category, Inventory, Product, Sale, SaleItem, StockMovement, User
from pos_app.services import auth, catalog, legacy_import
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError, PermissionDeniedError, ValidationError
from pos_app.services.legacy_import import ImportSummary, import_legacy, legacy_sale_uuid
from pos_app.services.roles import Role
from tests import dbutil
from tests.factories import signed_in
from tests.legacy_fixtures import (
    ALICE_PASSWORD,
    BOB_PASSWORD,
    EXPECTED_IMPORTED,
    EXPECTED_PRICES,
    EXPECTED_REVENUE_CENTS,
    EXPECTED_SALES,
    EXPECTED_SKIPS,
    EXPECTED_STOCK,
    EXPECTED_WARNINGS,
    TILL_OWNER_EMAIL,
    build_legacy_sqlite,
    legacy_mysql_database,
)

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def legacy_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_legacy_sqlite(tmp_path_factory.mktemp("legacy") / "shop.db")


@pytest.fixture(scope="module")
def legacy_mysql() -> Iterator[str]:
    if not dbutil.mysql_reachable():
        pytest.skip("MariaDB is not reachable")
    with legacy_mysql_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "mysql"])
def legacy_source(request: pytest.FixtureRequest) -> str:
    """The old database, given as a bare SQLite path or a MariaDB URL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("legacy_sqlite"))
    return str(request.getfixturevalue("legacy_mysql"))


def make_owner(ctx: ServiceContext) -> UserSession:
    return signed_in(
        ctx,
        auth.register_user(
            ctx,
            None,
            email=TILL_OWNER_EMAIL,
            password=PASSWORD,
            first_name="Olga",
            last_name="Owner",
        ),
        PASSWORD,
    )


def counts(ctx: ServiceContext) -> dict[str, int]:
    models = {"users": User, "categories": Category, "products": Product, "sales": Sale}
    models |= {"sale_items": SaleItem, "stock_movements": StockMovement}
    with ctx.unit_of_work(readonly=True) as session:
        return {
            name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in models.items()
        }


def test_import_brings_over_users_catalogue_stock_and_sales_to_the_cent(
    ctx: ServiceContext, legacy_source: str
) -> None:
    owner = make_owner(ctx)
    summary = import_legacy(ctx, owner, legacy_source)
    assert summary.imported == EXPECTED_IMPORTED
    after = counts(ctx)
    assert after["users"] == 1 + EXPECTED_IMPORTED["users"]
    assert after["sales"] == EXPECTED_IMPORTED["sales"]
    assert after["sale_items"] == EXPECTED_IMPORTED["sale_items"]
    with ctx.unit_of_work(readonly=True) as session:
        stock = dict(session.execute(select(Product.sku, Inventory.quantity).join(Inventory)).all())
        prices = dict(session.execute(select(Product.sku, Product.price_cents)).all())
        revenue = session.scalar(select(func.sum(SaleItem.revenue_cents)))
        totals = session.scalar(select(func.sum(Sale.total_cents)))
        notes = set(session.scalars(select(StockMovement.note)))
        apple_active = session.scalar(select(Product.is_active).where(Product.sku == "LEG-6"))
    assert stock == EXPECTED_STOCK
    assert prices == EXPECTED_PRICES
    assert revenue == totals == EXPECTED_REVENUE_CENTS
    assert notes == {"imported"}
    assert apple_active is False


def test_sales_keep_their_shop_local_day_and_merge_duplicate_lines(
    ctx: ServiceContext, legacy_source: str
) -> None:
    import_legacy(ctx, make_owner(ctx), legacy_source)
    with ctx.unit_of_work(readonly=True) as session:
        for legacy_id, (day, total, line_count) in EXPECTED_SALES.items():
            sale = session.scalar(select(Sale).where(Sale.uuid == legacy_sale_uuid(legacy_id)))
            assert sale is not None
            assert (sale.local_date, sale.total_cents, len(sale.items)) == (day, total, line_count)
            assert sale.till_id == "legacy"
            assert all(item.local_date == day for item in sale.items)
        first = session.scalar(select(Sale).where(Sale.uuid == legacy_sale_uuid(1)))
        assert first is not None
        cola = next(item for item in first.items if item.unit_price_cents == 200)
        assert (cola.quantity, cola.revenue_cents) == (3, 600)
        crisps = session.scalar(select(Product).where(Product.sku == "LEG-3"))
        assert crisps is not None
        assert {item.category_id for item in first.items} >= {crisps.category_id}


def test_imported_users_log_in_with_their_old_passwords_as_cashiers(
    ctx: ServiceContext, legacy_sqlite: Path
) -> None:
    import_legacy(ctx, make_owner(ctx), str(legacy_sqlite))
    alice = auth.login(ctx, "alice@legacy.test", ALICE_PASSWORD).user
    assert (alice.role, alice.first_name, alice.is_active) == (Role.CASHIER, "Alice", True)
    with pytest.raises(AuthenticationError, match="deactivated"):
        auth.login(ctx, "bob@legacy.test", BOB_PASSWORD)


def test_the_owners_old_account_is_skipped_and_its_sales_go_to_the_existing_user(
    ctx: ServiceContext, legacy_sqlite: Path
) -> None:
    owner = make_owner(ctx)
    import_legacy(ctx, owner, f"sqlite:///{legacy_sqlite}")
    with ctx.unit_of_work(readonly=True) as session:
        sale = session.scalar(select(Sale).where(Sale.uuid == legacy_sale_uuid(5)))
        assert sale is not None
        assert sale.user_id == owner.id
        assert session.scalar(select(User.role).where(User.id == owner.id)) == "owner"


def test_running_the_import_twice_adds_nothing(ctx: ServiceContext, legacy_source: str) -> None:
    owner = make_owner(ctx)
    import_legacy(ctx, owner, legacy_source)
    before = counts(ctx)
    again = import_legacy(ctx, owner, legacy_source)
    assert set(again.imported.values()) == {0}
    assert counts(ctx) == before


def test_summary_lists_every_skipped_row_with_its_reason_and_the_warnings(
    ctx: ServiceContext, legacy_sqlite: Path
) -> None:
    summary = import_legacy(ctx, make_owner(ctx), str(legacy_sqlite))
    reasons = {(row.table, row.legacy_id): row.reason for row in summary.skipped}
    assert set(reasons) == set(EXPECTED_SKIPS)
    for key, fragment in EXPECTED_SKIPS.items():
        assert fragment in reasons[key], (key, reasons[key])
    for fragment in EXPECTED_WARNINGS:
        assert any(fragment in warning for warning in summary.warnings), fragment
    assert len(summary.warnings) == len(EXPECTED_WARNINGS)
    text = "\n".join(summary.lines())
    assert "Imported 2 users, 3 categories, 4 products" in text
    assert "sale_item 11: its sale 77 does not exist" in text


def test_summary_lines_are_cut_after_the_limit() -> None:
    skipped = [legacy_import.SkippedRow("sale", n, "bad") for n in range(5)]
    summary = ImportSummary(dict.fromkeys(legacy_import.COUNTED, 0), skipped, [])
    lines = summary.lines(limit=2)
    assert lines[1] == "Skipped rows (5):"
    assert lines[-1] == "  ... and 3 more."


def test_an_existing_category_slug_is_reused(ctx: ServiceContext, legacy_sqlite: Path) -> None:
    owner = make_owner(ctx)
    existing = catalog.create_category(ctx, owner, name="Snacks & Sweets", slug="snacks")
    summary = import_legacy(ctx, owner, str(legacy_sqlite))
    assert summary.imported["categories"] == 2
    with ctx.unit_of_work(readonly=True) as session:
        crisps = session.scalar(select(Product.category_id).where(Product.sku == "LEG-3"))
    assert crisps == existing.id


def test_a_source_missing_a_table_is_refused_and_nothing_is_written(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    owner = make_owner(ctx)
    broken = build_legacy_sqlite(tmp_path / "broken.db", omit=("sale_item",))
    before = counts(ctx)
    with pytest.raises(ValidationError, match="sale_item"):
        import_legacy(ctx, owner, str(broken))
    assert counts(ctx) == before


def test_an_unexpected_failure_half_way_writes_nothing(
    ctx: ServiceContext, legacy_sqlite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_owner(ctx)
    before = counts(ctx)

    def explode(self: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(legacy_import._Importer, "_write_sales", explode)
    with pytest.raises(RuntimeError):
        import_legacy(ctx, owner, str(legacy_sqlite))
    assert counts(ctx) == before


def test_the_source_file_is_left_untouched(ctx: ServiceContext, legacy_sqlite: Path) -> None:
    digest = hashlib.sha256(legacy_sqlite.read_bytes()).hexdigest()
    import_legacy(ctx, make_owner(ctx), str(legacy_sqlite))
    assert hashlib.sha256(legacy_sqlite.read_bytes()).hexdigest() == digest


def test_progress_is_reported_up_to_the_total(ctx: ServiceContext, legacy_sqlite: Path) -> None:
    seen: list[tuple[int, int]] = []
    import_legacy(
        ctx, make_owner(ctx), str(legacy_sqlite), progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1][0] == seen[-1][1] == 4 + 3 + 6 + 8 + 6 + 12


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "Enter"),
        ("/no/such/file.db", "no database file"),
        ("sqlite:///no/such/file.db", "no database file"),
        ("postgresql://nobody@127.0.0.1:1/none", "Cannot open"),
        ("mysql://root@127.0.0.1:1/none", "Cannot read"),
    ],
)
def test_unusable_sources_give_a_sentence(ctx: ServiceContext, source: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        import_legacy(ctx, make_owner(ctx), source)


def test_only_owners_may_import(ctx: ServiceContext, legacy_sqlite: Path) -> None:
    owner = make_owner(ctx)
    manager = signed_in(
        ctx,
        auth.register_user(
            ctx,
            owner,
            email="m@shop.test",
            password=PASSWORD,
            first_name="M",
            last_name="M",
            role=Role.MANAGER,
        ),
        PASSWORD,
    )
    with pytest.raises(PermissionDeniedError):
        import_legacy(ctx, manager, str(legacy_sqlite))


@settings(max_examples=50, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2))
def test_old_amounts_convert_exactly_to_cents_whatever_their_type(amount: Decimal) -> None:
    cents = int(amount * 100)
    for stored in (amount, str(amount), float(amount)):
        assert legacy_import.legacy_cents(stored) == cents
    if amount == int(amount):
        assert legacy_import.legacy_cents(int(amount)) == cents


@pytest.mark.parametrize("value", [None, "abc", "1.234", "-0.01", True, float("nan"), b"1"])
def test_unreadable_old_amounts_are_refused(value: object) -> None:
    with pytest.raises(legacy_import._Skip):
        legacy_import.legacy_cents(value)
