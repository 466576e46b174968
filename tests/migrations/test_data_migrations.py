"""The data migrations that fill the rollups are frozen: their own SQL, the zone handed in."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert, select, update

from pos_app.db.engine import Database, create_engine_for
from pos_app.db.migrate import alembic_config, upgrade_to_head
from pos_app.db.models import Product, ProductSearchTerm, Sale, SaleItem
from pos_app.db.search_terms import product_terms
from pos_app.services import catalog
from pos_app.services.context import ServiceContext
from tests import dbutil
from tests.conftest import FakeClock
from tests.services.test_analytics import make_owner, seed_products_at_an_old_revision
from tests.services.test_rollups import rebuild, snapshot

TOKYO = ZoneInfo("Asia/Tokyo")
FROZEN = ("0003", "0005", "0007", "0008", "0014", "0016", "0018")


@pytest.mark.parametrize("revision", FROZEN)
def test_a_data_migration_imports_nothing_of_the_application(revision: str) -> None:
    script = ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    assert script is not None
    path = Path(script.path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
    assert not [module for module in modules if module.startswith("pos_app")]
    assert "load_settings" not in path.read_text(encoding="utf-8")


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def old_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    if not dbutil.mysql_reachable():
        pytest.skip("MariaDB is not reachable")
    with dbutil.temporary_mysql_database(migrate=False) as url:
        yield url


def test_upgrading_fills_every_rollup_as_a_rebuild_would_in_the_zone_handed_in(
    old_database_url: str, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    monkeypatch.setenv("POS_TIMEZONE", "Europe/Berlin")  # must not be what the migration uses
    engine = create_engine_for(old_database_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    ctx = ServiceContext(Database(engine), TOKYO, "till-1", "x" * 40, clock=clock)
    owner = make_owner(ctx)
    products = seed_products_at_an_old_revision(ctx, categories=2, per_category=2)
    first = datetime(2026, 10, 22, 6, tzinfo=UTC)  # 15:00 in Tokyo, 08:00 in Berlin
    sales, lines = [], []
    for number in range(1, 7):
        at = first + timedelta(minutes=50 * number)
        sales.append(
            {"id": number, "uuid": f"00000000-0000-0000-0000-{number:012d}", "user_id": owner.id,
             "till_id": f"till-{number % 2 + 1}", "created_at": at,
             "local_date": at.astimezone(TOKYO).date(), "total_cents": 0}
        )  # fmt: skip
        for product in products[: number % 4 + 1]:
            lines.append(
                {"sale_id": number, "product_id": product.id,
                 "category_id": product.category_id, "local_date": sales[-1]["local_date"],
                 "quantity": number, "unit_price_cents": 100, "revenue_cents": 100 * number}
            )  # fmt: skip
    with ctx.unit_of_work() as session:
        session.execute(insert(Sale), sales)
        session.execute(insert(SaleItem), lines)
        session.commit()

    upgrade_to_head(engine, TOKYO)

    filled = snapshot(ctx)
    hours = {row[1] for row in filled["hourly_sales"]}
    assert hours == {15, 16, 17, 18, 19, 20}
    assert len(filled["daily_category_sets"]) > 1
    rebuild(ctx)
    assert snapshot(ctx) == filled
    engine.dispose()


def test_upgrading_fills_the_search_terms_of_the_products_there_are(
    old_database_url: str, clock: FakeClock
) -> None:
    engine = create_engine_for(old_database_url)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0012")
    ctx = ServiceContext(Database(engine), TOKYO, "till-1", "x" * 40, clock=clock)
    owner = make_owner(ctx)
    products = seed_products_at_an_old_revision(ctx, categories=1, per_category=2)
    with ctx.unit_of_work() as session:
        session.execute(
            update(Product).values(name="Wild strawberry jam", name_key="wild strawberry jam")
            .where(Product.id == products[0].id)
        )  # fmt: skip
        session.execute(
            update(Product).values(name="Äpfel vom See", name_key="äpfel vom see")
            .where(Product.id == products[1].id)
        )  # fmt: skip
        session.commit()

    upgrade_to_head(engine, TOKYO)

    with ctx.unit_of_work(readonly=True) as session:
        terms = set(session.execute(select(ProductSearchTerm.term, ProductSearchTerm.product_id)))
        keys = set(session.scalars(select(Product.name_key)))
    assert keys == {"wild strawberry jam", "apfel vom see"}
    names = ("Wild strawberry jam", "Äpfel vom See")  # SKUs as the old seed gives them
    expected = {
        (term, product.id)
        for number, (product, name) in enumerate(zip(products, names, strict=True))
        for term in product_terms(name, f"SKU-0-{number}", None)
    }
    assert terms == expected
    [jam] = catalog.list_products(ctx, owner, search="berry j").items
    assert jam.id == products[0].id
    for text in ("apfel", "ÄPF", "vom see"):
        [apples] = catalog.list_products(ctx, owner, search=text).items
        assert apples.id == products[1].id
    engine.dispose()
