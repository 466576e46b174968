"""Product listings at scale: searches that stop counting, and narrowing an earlier search."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event, select

from pos_app.db.models import ProductSearchTerm
from pos_app.db.search_terms import product_terms
from pos_app.db.types import search_key
from pos_app.services import (
    catalog,
    inventory,
    product_csv,
    product_lookup,
    product_queries,
    users,
)
from pos_app.services.access import UserSession
from pos_app.services.catalog import CategoryInfo, ProductPage
from pos_app.services.context import ServiceContext
from pos_app.services.errors import SessionEndedError, ValidationError
from pos_app.services.paging import PageRequest
from tests.factories import Staff, make_category, make_product, make_staff


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    return make_staff(ctx)


@pytest.fixture
def drinks(ctx: ServiceContext, staff: Staff) -> CategoryInfo:
    return make_category(ctx, staff.manager, "Drinks")


@pytest.fixture(params=["terms", "walk"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """A search reads the search terms of a rare text and walks the name index for a common one:
    both must find the same products."""
    if request.param == "walk":
        monkeypatch.setattr(product_queries, "RARE_TERMS", 1)
    return str(request.param)


def page(ctx: ServiceContext, actor: UserSession, **options: object) -> ProductPage:
    result = catalog.list_products(ctx, actor, **options)  # type: ignore[arg-type]
    assert isinstance(result, ProductPage)
    return result


def test_a_broad_search_stops_counting_and_says_its_total_is_a_floor(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(product_queries, "COUNT_STEP", 4)
    for n in range(7):
        make_product(ctx, staff.manager, drinks.id, name=f"Cola {n}", sku=f"COLA-{n}")
    make_product(ctx, staff.manager, drinks.id, name="Water", sku="WATER")
    first = page(ctx, staff.cashier, search="cola", page=PageRequest(limit=2))
    assert [p.name for p in first.items] == ["Cola 0", "Cola 1"]
    assert (first.total, first.total_is_exact, first.has_more) == (4, False, True)
    assert first.matches is None
    deeper = page(ctx, staff.cashier, search="cola", page=PageRequest(4, 2))
    assert [p.name for p in deeper.items] == ["Cola 4", "Cola 5"]
    assert (deeper.total, deeper.total_is_exact) == (7, True)
    everything = page(ctx, staff.cashier, page=PageRequest(limit=2))
    assert (everything.total, everything.total_is_exact) == (8, True)


def test_a_narrow_search_counts_exactly_and_lists_every_match(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    ids = [
        make_product(ctx, staff.manager, drinks.id, name=name, sku=sku).id
        for name, sku in (("Iced tea", "TEA-1"), ("Green tea", "TEA-2"), ("Cola", "COLA"))
    ]
    found = page(ctx, staff.cashier, search="TEA", page=PageRequest(limit=1))
    assert (found.total, found.total_is_exact, found.has_more) == (2, True, True)
    assert found.matches == (ids[1], ids[0])
    assert page(ctx, staff.cashier, search="tea", page=PageRequest(5)).total == 2


def test_search_is_case_insensitive_and_takes_wildcards_literally(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, plan: str
) -> None:
    make_product(ctx, staff.manager, drinks.id, name="Half_price 50% juice", sku="Ju-1")
    make_product(ctx, staff.manager, drinks.id, name="Halfprice 500 juice", sku="JU2")
    assert [p.sku for p in page(ctx, staff.cashier, search="F_P").items] == ["Ju-1"]
    assert [p.sku for p in page(ctx, staff.cashier, search="50%").items] == ["Ju-1"]
    assert [p.sku for p in page(ctx, staff.cashier, search="jU-").items] == ["Ju-1"]
    assert page(ctx, staff.cashier, search="HALFPRICE").total == 1
    assert page(ctx, staff.cashier, search="u-1").total == 0  # SKUs match by prefix


def found(ctx: ServiceContext, actor: UserSession, text: str) -> list[str]:
    listed = [p.name for p in page(ctx, actor, search=text).items]
    suggested = [p.name for p in product_lookup.suggest_products(ctx, actor, text)]
    names_matched = [name for name in listed if search_key(text) in search_key(name)]
    assert suggested == names_matched  # the checkout's suggestions match names the same way
    return listed


def stored_terms(ctx: ServiceContext, product_id: int) -> set[str]:
    with ctx.unit_of_work(readonly=True) as session:
        query = select(ProductSearchTerm.term).where(ProductSearchTerm.product_id == product_id)
        return set(session.scalars(query))


def test_search_terms_follow_new_products_renames_and_changed_codes(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, plan: str
) -> None:
    pesto = make_product(ctx, staff.manager, drinks.id, name="Juniper pesto 1 kg", sku="PES-1")
    make_product(ctx, staff.manager, drinks.id, name="Juniper pesto 2 kg", sku="PES-2")
    assert found(ctx, staff.cashier, "nipe") == ["Juniper pesto 1 kg", "Juniper pesto 2 kg"]
    assert found(ctx, staff.cashier, "juniper pesto 1 kg") == ["Juniper pesto 1 kg"]
    assert found(ctx, staff.cashier, "pes-1") == ["Juniper pesto 1 kg"]
    catalog.update_product(
        ctx, staff.manager, pesto.id, name="Basil pesto", sku="BAS-1", barcode="4006381333931"
    )
    assert found(ctx, staff.cashier, "juniper pesto 1") == []
    assert found(ctx, staff.cashier, "pes-1") == []
    assert found(ctx, staff.cashier, "SIL PES") == ["Basil pesto"]
    assert found(ctx, staff.cashier, "bas-") == ["Basil pesto"]
    assert found(ctx, staff.cashier, "400638") == ["Basil pesto"]
    assert found(ctx, staff.cashier, "00638") == []
    assert stored_terms(ctx, pesto.id) == product_terms("Basil pesto", "BAS-1", "4006381333931")


def test_neither_case_nor_accents_count_the_same_way_on_both_databases(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, plan: str
) -> None:
    for name in ("Äpfel", "ÉCLAIR", "Straße", "Crème brûlée", "apple", "Zwiebeln"):
        make_product(ctx, staff.manager, drinks.id, name=name)
    for text in ("apfel", "ÄPF", "äPFEL", "APFEL", "pfel"):
        assert found(ctx, staff.cashier, text) == ["Äpfel"], text
    assert found(ctx, staff.cashier, "éclair") == found(ctx, staff.cashier, "eclair") == ["ÉCLAIR"]
    assert found(ctx, staff.cashier, "STRASSE") == ["Straße"]
    assert (
        found(ctx, staff.cashier, "BRUL") == found(ctx, staff.cashier, "BRÛL") == ["Crème brûlée"]
    )
    assert found(ctx, staff.cashier, "creme b") == ["Crème brûlée"]
    assert found(ctx, staff.cashier, "PL") == ["apple"]
    assert found(ctx, staff.cashier, "ap") == ["Äpfel", "apple"]  # in the folded name order


def test_imported_products_are_found_by_any_part_of_their_names(
    ctx: ServiceContext, staff: Staff, plan: str
) -> None:
    text = "category,sku,barcode,name,price,stock\nPantry,JAM-1,,Wild strawberry jam,3.20,4\n"
    product_csv.import_products(ctx, staff.owner, io.StringIO(text))
    assert found(ctx, staff.cashier, "berry j") == ["Wild strawberry jam"]
    assert found(ctx, staff.cashier, "jam-") == ["Wild strawberry jam"]


def test_refining_looks_among_the_earlier_matches_only(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    cola = make_product(ctx, staff.manager, drinks.id, name="Cola", price_cents=150)
    zero = make_product(ctx, staff.manager, drinks.id, name="Cola zero", price_cents=140)
    make_product(ctx, staff.manager, drinks.id, name="Cold brew", price_cents=300)
    earlier = page(ctx, staff.cashier, search="col")
    assert earlier.matches is not None and len(earlier.matches) == 3
    make_product(ctx, staff.manager, drinks.id, name="Cola light")
    refined = catalog.refine_products(
        ctx, staff.cashier, earlier.matches, search="cola", sort="price"
    )
    assert isinstance(refined, ProductPage)
    assert refined.items == [zero, cola]
    assert (refined.total, refined.total_is_exact, refined.matches) == (2, True, (zero.id, cola.id))
    assert catalog.refine_products(ctx, staff.cashier, [], search="cola").items == []


@pytest.mark.parametrize(
    "within", ["1,2", b"1", [0], [True], ["1"], [2**63], list(range(1, 5002)), 7, None]
)
def test_refining_refuses_anything_but_a_list_of_ids(
    ctx: ServiceContext, staff: Staff, within: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        catalog.refine_products(ctx, staff.cashier, within, search="x")  # type: ignore[arg-type]
    assert caught.value.field == "within"


def test_listing_refuses_a_deactivated_account(ctx: ServiceContext, staff: Staff) -> None:
    users.set_user_active(ctx, staff.owner, staff.cashier.id, False)
    gone = staff.cashier
    for call in (
        lambda: catalog.list_products(ctx, gone),
        lambda: catalog.refine_products(ctx, gone, [1]),
        lambda: catalog.refine_products(ctx, gone, []),
    ):
        with pytest.raises(SessionEndedError, match="deactivated"):
            call()


NAMES = ["Where is it", "iPhone", "apple", "Äpfel", "IPHONE case", "_under", "Zebra", "ÉCLAIR"]


def test_sorting_by_name_ignores_case_and_accents_and_is_the_same_on_both_databases(
    ctx: ServiceContext, staff: Staff
) -> None:
    categories = [catalog.create_category(ctx, staff.manager, name=n) for n in NAMES]
    for number, name in enumerate(NAMES):
        make_product(ctx, staff.manager, categories[number].id, name=name, stock=1)
    # "iPhone" is not after "Where", nor "Äpfel" and "ÉCLAIR" after "Zebra".
    expected = [
        "_under",
        "Äpfel",
        "apple",
        "ÉCLAIR",
        "iPhone",
        "IPHONE case",
        "Where is it",
        "Zebra",
    ]
    by_name = catalog.list_products(
        ctx, staff.manager, sort="name", page=PageRequest(limit=100)
    ).items
    assert [p.name for p in by_name] == expected
    backwards = catalog.list_products(ctx, staff.manager, sort="name", descending=True).items
    assert [p.name for p in backwards] == expected[::-1]
    stock = inventory.list_stock(ctx, staff.manager, sort="name").items
    assert [s.product_name for s in stock] == expected
    named = catalog.list_categories(ctx, staff.manager, sort="name").items
    assert [c.name for c in named] == expected
    renamed = catalog.update_product(ctx, staff.manager, by_name[-1].id, name="AARDVARK")
    first_two = catalog.list_products(
        ctx, staff.manager, sort="name", page=PageRequest(limit=2)
    ).items
    assert [p.name for p in first_two] == ["_under", "AARDVARK"] and first_two[1] == renamed


def test_the_name_order_and_a_search_in_it_are_served_by_the_search_index(
    ctx: ServiceContext,
) -> None:
    if ctx.database.engine.dialect.name != "sqlite":
        pytest.skip("the query plan is checked on SQLite")
    for query in (
        "SELECT id FROM products ORDER BY name_key, id LIMIT 50",
        "SELECT id FROM products WHERE name LIKE '%milk%' OR sku LIKE 'milk%' "
        "ORDER BY name_key, id LIMIT 1001",
    ):
        with ctx.database.engine.connect() as connection:
            plan = " ".join(
                str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}")
            )
        assert "COVERING INDEX ix_products_search" in plan and "TEMP B-TREE" not in plan


def test_a_common_search_by_name_walks_the_search_index_in_order_on_mariadb(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    if ctx.database.engine.dialect.name != "mysql":
        pytest.skip("MariaDB's plan; SQLite's is checked above")
    monkeypatch.setattr(product_queries, "RARE_TERMS", 1)  # every text is common
    make_product(ctx, staff.manager, drinks.id, name="Oat milk", stock=1)
    statements: list[tuple[str, object]] = []

    def keep(_conn: object, _cursor: object, statement: str, params: object, *_: object) -> None:
        statements.append((statement, params))

    engine = ctx.database.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        found = catalog.list_products(ctx, staff.manager, search="milk", sort="name")
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert [p.name for p in found.items] == ["Oat milk"]
    [(search, params)] = [s for s in statements if "FORCE INDEX (ix_products_search)" in s[0]]
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(f"EXPLAIN {search}", params).mappings().all()  # type: ignore[arg-type]
    assert [row["key"] for row in plan] == ["ix_products_search"]
    assert "filesort" not in str(plan[0]["Extra"]) and "Using index" in str(plan[0]["Extra"])


def test_a_rare_search_reads_its_few_products_by_their_search_terms_on_both_databases(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    for n in range(30):
        make_product(ctx, staff.manager, drinks.id, name=f"Oat milk {n}", stock=1)
    make_product(ctx, staff.manager, drinks.id, name="Juniper pesto", stock=1)
    statements: list[tuple[str, object]] = []

    def keep(_conn: object, _cursor: object, statement: str, params: object, *_: object) -> None:
        statements.append((statement, params))

    engine = ctx.database.engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        found = catalog.list_products(ctx, staff.manager, search="NIPER P", sort="name")
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert [p.name for p in found.items] == ["Juniper pesto"]
    [(search, params)] = [s for s in statements if "ORDER BY products.name_key" in s[0]]
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {search}", params)  # type: ignore[arg-type]
            plan = " ".join(str(row[-1]) for row in rows)
            assert "SEARCH products USING INTEGER PRIMARY KEY" in plan
        else:
            rows = connection.exec_driver_sql(f"EXPLAIN {search}", params).mappings().all()  # type: ignore[arg-type]
            [only] = rows  # the products by primary key, no other table, no scan
            assert (only["table"], only["key"]) == ("products", "PRIMARY")
            assert only["type"] in {"const", "range"}
