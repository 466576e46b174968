from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos_app.db.models import Category, Product, SaleItem, StockMovement
from pos_app.services import (
    audit,
    auth,
    catalog,
    checkout,
    csv_files,
    inventory,
    product_csv,
    product_lookup,
    sale_line_csv,
)
from pos_app.services.access import UserSession
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.services.paging import PageRequest
from pos_app.services.product_csv import export_products, import_products
from pos_app.services.roles import Role
from pos_app.services.sale_line_csv import export_sale_lines
from tests.conftest import FakeClock
from tests.factories import open_till, signed_in

PASSWORD = "correct horse battery"
HEADER = "category,sku,barcode,name,price,stock"  # a file from before the tax rate column
EXPORT_HEADER = HEADER + ",tax_rate,sold_by,scale_code"
HOSTILE_NAMES = [
    'Crème "Brûlée", large',
    "=SUM(A1:A9)",
    "+49 phone card",
    "-5% deal",
    "@home mug",
    "'=already quoted",
    "日本茶 🍵",
    "Robert'); DROP TABLE products;--",
]


def make_owner(ctx: ServiceContext) -> UserSession:
    """The first account; it opens a shift on the till so it can sell."""
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
    open_till(ctx, owner)
    return owner


def make_user(ctx: ServiceContext, owner: UserSession, role: Role) -> UserSession:
    email = f"{role.value}@shop.test"
    return signed_in(
        ctx,
        auth.register_user(
            ctx, owner, email=email, password=PASSWORD, first_name="A", last_name="B", role=role
        ),
        PASSWORD,
    )


def seed_catalog(ctx: ServiceContext, owner: UserSession) -> list[int]:
    drinks = catalog.create_category(ctx, owner, name="Drinks, cold")
    other = catalog.create_category(ctx, owner, name="=Odd category")
    ids = []
    for number, name in enumerate(HOSTILE_NAMES, start=1):
        product = catalog.create_product(
            ctx,
            owner,
            name=name,
            category_id=drinks.id if number % 2 else other.id,
            sku=f"SKU-{number}" if number != 4 else "-SKU-4",
            price_cents=number * 125,
            barcode="4006381333931" if number == 1 else None,
            initial_stock=number * 3,
        )
        ids.append(product.id)
    return ids


def snapshot(ctx: ServiceContext) -> list[tuple[object, ...]]:
    query = (
        select(Category.name, Product.sku, Product.barcode, Product.name, Product.price_cents)
        .join(Category)
        .order_by(Product.sku)
    )
    with ctx.unit_of_work(readonly=True) as session:
        return [tuple(row) for row in session.execute(query)]


def stock_levels(ctx: ServiceContext, owner: UserSession) -> dict[str, int]:
    page = inventory.list_stock(ctx, owner, page=PageRequest(limit=1000))
    return {level.sku: level.quantity for level in page.items}


def count(ctx: ServiceContext, model: type[object]) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_export_then_import_leaves_the_catalogue_unchanged(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    seed_catalog(ctx, owner)
    before, stock_before = snapshot(ctx), stock_levels(ctx, owner)
    movements = count(ctx, StockMovement)
    stream = io.StringIO()
    assert export_products(ctx, owner, stream) == len(HOSTILE_NAMES)
    result = import_products(ctx, owner, io.StringIO(stream.getvalue()))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.categories_created) == (0, 8, 0)
    assert snapshot(ctx) == before
    assert stock_levels(ctx, owner) == stock_before
    assert count(ctx, StockMovement) == movements


def test_export_writes_plain_prices_and_defuses_formulas(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    seed_catalog(ctx, owner)
    stream = io.StringIO()
    export_products(ctx, owner, stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert ",".join(rows[0]) == EXPORT_HEADER
    by_sku = {csv_files.unescape_cell(row[1]): row for row in rows[1:]}
    assert by_sku["SKU-2"][3] == "'=SUM(A1:A9)"
    assert by_sku["SKU-2"][0] == "'=Odd category"
    assert by_sku["SKU-3"][3] == "'+49 phone card"
    assert by_sku["SKU-6"][3] == "''=already quoted"
    assert by_sku["-SKU-4"][1] == "'-SKU-4"
    assert by_sku["SKU-1"][3:] == ['Crème "Brûlée", large', "1.25", "3", "0", "piece", ""]
    assert by_sku["SKU-1"][2] == "4006381333931"
    assert by_sku["SKU-7"][3] == "日本茶 🍵"
    for row in rows[1:]:
        assert not row[3].startswith(("=", "+", "-", "@"))


def test_import_creates_categories_products_and_explains_stock(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    existing = catalog.create_category(ctx, owner, name="Drinks")
    cola = catalog.create_product(
        ctx,
        owner,
        name="Cola",
        category_id=existing.id,
        sku="COLA",
        price_cents=150,
        initial_stock=10,
    )
    text = (
        f"{HEADER}\n"
        "drinks,cola,,Cola Zero,1.80,4\n"
        'Café & Thé,TEA-1,4006381333931,Green tea,"2,50",12\n'
        "Café & Thé,TEA-2,,Black tea,3,\n"
    )
    result = import_products(ctx, owner, io.StringIO(text))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.categories_created) == (2, 1, 1)
    updated = catalog.get_product(ctx, owner, cola.id)
    assert (updated.name, updated.price_cents, updated.quantity) == ("Cola Zero", 180, 4)
    tea = product_lookup.find_product(ctx, owner, "4006381333931")
    assert (tea.name, tea.price_cents, tea.quantity, tea.category_name) == (
        "Green tea",
        250,
        12,
        "Café & Thé",
    )
    assert product_lookup.find_product(ctx, owner, "TEA-2").quantity == 0
    with ctx.unit_of_work(readonly=True) as session:
        slug = session.scalar(select(Category.slug).where(Category.name == "Café & Thé"))
        moves = session.execute(
            select(StockMovement.quantity_change, StockMovement.reason)
            .where(StockMovement.product_id == cola.id)
            .order_by(StockMovement.id)
        ).all()
    assert slug == "cafe-the"
    assert [tuple(move) for move in moves] == [(10, "restock"), (-6, "adjustment")]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    ctx: ServiceContext,
) -> None:
    owner = make_owner(ctx)
    text = (
        f"{HEADER}\n"
        "Drinks,OK-1,,Fine,1.00,1\n"
        "Drinks,BAD-PRICE,,Cheap,12.345,1\n"
        "Drinks,BAD-CODE,4006381333932,Scanned,1.00,1\n"
        "\n"
        "Drinks,NEG,,Negative,1.00,-3\n"
        "Drinks,OK-1,,Twice,1.00,1\n"
        ",NO-CAT,,,abc,x\n"
        '"Multi\nline",LONG,,Name,1.00,1\n'
        "Drinks,EXTRA,,Extra,1.00,1,surprise\n"
    )
    result = import_products(ctx, owner, io.StringIO(text))
    found = {(error.line_number, error.field) for error in result.errors}
    assert found == {
        (3, "price"),
        (4, "barcode"),
        (6, "stock"),
        (7, "sku"),
        (8, "category"),
        (8, "name"),
        (8, "price"),
        (8, "stock"),
        (9, "category"),
        (11, "row"),
    }
    assert "Line 3, price:" in str(result.errors[0])
    assert count(ctx, Product) == 0 and count(ctx, Category) == 0


def test_unknown_and_missing_columns_are_reported_on_line_one(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    result = import_products(ctx, owner, io.StringIO("category,sku,name,cost\nA,B,C,1\n"))
    assert {(error.line_number, error.field) for error in result.errors} == {
        (1, "cost"),
        (1, "barcode"),
        (1, "price"),
        (1, "stock"),
    }
    assert not import_products(ctx, owner, io.StringIO("")).ok


def test_a_barcode_owned_by_a_product_outside_the_file_is_refused(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    drinks = catalog.create_category(ctx, owner, name="Drinks")
    catalog.create_product(
        ctx,
        owner,
        name="A",
        category_id=drinks.id,
        sku="A",
        price_cents=1,
        barcode="4006381333931",
    )
    result = import_products(ctx, owner, io.StringIO(f"{HEADER}\nDrinks,B,4006381333931,B,1,1\n"))
    assert [(e.line_number, e.field) for e in result.errors] == [(2, "barcode")]
    assert count(ctx, Product) == 1


def test_two_products_can_swap_barcodes(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    drinks = catalog.create_category(ctx, owner, name="Drinks")
    for sku, code in (("A", "4006381333931"), ("B", "0012345678905")):
        catalog.create_product(
            ctx, owner, name=sku, category_id=drinks.id, sku=sku, price_cents=1, barcode=code
        )
    text = f"{HEADER}\nDrinks,A,0012345678905,A,0.01,\nDrinks,B,4006381333931,B,0.01,\n"
    assert import_products(ctx, owner, io.StringIO(text)).ok
    assert product_lookup.find_product(ctx, owner, "4006381333931").sku == "B"


def test_cancelling_an_import_changes_nothing(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    rows = "".join(f"Drinks,S-{n},,Item {n},1.00,5\n" for n in range(7))
    seen: list[tuple[int, int]] = []
    with pytest.raises(ValidationError, match=r"Import cancelled; nothing was changed\."):
        import_products(
            ctx,
            owner,
            io.StringIO(HEADER + "\n" + rows),
            progress=lambda done, total: seen.append((done, total)),
            cancel=lambda: True,
        )
    assert count(ctx, Product) == 0 and count(ctx, Category) == 0


def test_progress_reaches_the_total(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make_owner(ctx)
    monkeypatch.setattr(product_csv, "CHUNK", 3)
    rows = "".join(f"Drinks,S-{n},,Item {n},1.00,5\n" for n in range(7))
    seen: list[tuple[int, int]] = []
    result = import_products(
        ctx, owner, io.StringIO(HEADER + "\n" + rows), progress=lambda *a: seen.append(a)
    )
    assert result.created == 7
    assert seen == [(3, 7), (6, 7), (7, 7)]


def test_files_round_trip_through_a_path(ctx: ServiceContext, tmp_path: Path) -> None:
    owner = make_owner(ctx)
    seed_catalog(ctx, owner)
    target = tmp_path / "products.csv"
    export_products(ctx, owner, target)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not list(tmp_path.glob("*.partial"))
    assert import_products(ctx, owner, target).updated == len(HOSTILE_NAMES)
    with pytest.raises(ValidationError, match="Cannot write"):
        export_products(ctx, owner, tmp_path / "missing-dir" / "x.csv")
    with pytest.raises(ValidationError, match="Cannot read"):
        import_products(ctx, owner, tmp_path / "nope.csv")


def test_broken_quoting_and_control_characters_are_refused(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    with pytest.raises(ValidationError, match="not a CSV file"):
        import_products(ctx, owner, io.StringIO(HEADER + '\nA,"unterminated\n'))
    result = import_products(ctx, owner, io.StringIO(HEADER + "\nA,B\x00C,,N\x07,1,1\n"))
    assert {(error.field) for error in result.errors} == {"sku", "name"}


def test_binary_that_is_not_utf8_is_refused(ctx: ServiceContext, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\nCaf\xe9,A,,B,1,1\n").encode("latin-1"))
    with pytest.raises(ValidationError, match="UTF-8"):
        import_products(ctx, make_owner(ctx), path)


def test_cashiers_cannot_import_or_export_products(ctx: ServiceContext) -> None:
    cashier = make_user(ctx, make_owner(ctx), Role.CASHIER)
    with pytest.raises(PermissionDeniedError):
        export_products(ctx, cashier, io.StringIO())
    with pytest.raises(PermissionDeniedError):
        import_products(ctx, cashier, io.StringIO(HEADER))


def sell_on_days(ctx: ServiceContext, clock: FakeClock, owner: UserSession) -> list[int]:
    """Three sales with 2, 1 and 2 lines on 9, 10 and 11 March; returns the product ids."""
    ids = seed_catalog(ctx, owner)
    baskets = [[ids[0], ids[1]], [ids[2]], [ids[1], ids[6]]]
    for day, basket in zip((9, 10, 11), baskets, strict=True):
        clock.now = clock.now.replace(day=day, hour=22, minute=30)
        checkout.purchase(ctx, owner, [PurchaseLine(product_id=pid, quantity=1) for pid in basket])
    return ids


def test_sale_line_export_has_one_row_per_item_in_the_range(
    ctx: ServiceContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_owner(ctx)
    sell_on_days(ctx, clock, owner)
    monkeypatch.setattr(sale_line_csv, "CHUNK", 1)
    seen: list[tuple[int, int]] = []
    stream = io.StringIO()
    written = export_sale_lines(
        ctx, owner, date(2026, 3, 10), date(2026, 3, 12), stream, progress=lambda *a: seen.append(a)
    )
    with ctx.unit_of_work(readonly=True) as session:
        in_range = SaleItem.local_date.between(date(2026, 3, 10), date(2026, 3, 12))
        expected = session.scalar(select(func.count()).select_from(SaleItem).where(in_range))
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert written == len(rows) == expected == 3
    assert seen[-1] == (3, 3)
    first = rows[0]
    assert (first["created_at_local"], first["local_date"]) == ("2026-03-10 23:30:00", "2026-03-10")
    assert (first["till"], first["cashier"], first["unit_price"]) == (
        "till-1",
        "Olga Owner",
        "3.75",
    )
    assert rows[-1]["product"] == "日本茶 🍵"
    assert any(row["product"] == "'=SUM(A1:A9)" for row in rows)


def test_sale_line_export_checks_its_dates_and_role(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    manager = make_user(ctx, owner, Role.MANAGER)
    with pytest.raises(ValidationError):
        export_sale_lines(ctx, owner, date(2026, 3, 2), date(2026, 3, 1), io.StringIO())
    with pytest.raises(ValidationError):
        export_sale_lines(ctx, owner, "2026-03-01", date(2026, 3, 1), io.StringIO())  # type: ignore[arg-type]
    with pytest.raises(PermissionDeniedError):
        export_sale_lines(ctx, manager, date(2026, 3, 1), date(2026, 3, 1), io.StringIO())
    assert export_sale_lines(ctx, owner, date(2026, 3, 1), date(2026, 3, 1), io.StringIO()) == 0


def test_a_cancelled_export_leaves_no_file(
    ctx: ServiceContext, clock: FakeClock, tmp_path: Path
) -> None:
    owner = make_owner(ctx)
    sell_on_days(ctx, clock, owner)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "lines.csv"
    with pytest.raises(ValidationError, match="cancelled"):
        export_sale_lines(
            ctx, owner, date(2026, 3, 1), date(2026, 3, 31), target, cancel=lambda: True
        )
    assert list((tmp_path / "out").iterdir()) == []


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=20), min_size=1, max_size=6))
def test_escaped_cells_survive_a_csv_round_trip(cells: list[str]) -> None:
    stream = io.StringIO(newline="")
    csv.writer(stream).writerow([csv_files.escape_cell(cell) for cell in cells])
    stream.seek(0)
    read = next(csv.reader(stream))
    assert [csv_files.unescape_cell(cell) for cell in read] == cells
    assert not any(cell.startswith(csv_files.FORMULA_STARTS) for cell in read)


def test_a_new_category_from_csv_takes_its_tax_rate_or_the_shop_default(
    ctx: ServiceContext,
) -> None:
    owner = make_owner(ctx)
    shop = replace(ctx, default_tax_bp=1900)
    wine = catalog.create_category(shop, owner, name="Wine", tax_rate_bp=1900)
    text = (
        f"{EXPORT_HEADER}\n"
        "Bakery,BR-1,,Bread,2.50,5,7\n"
        "Bakery,BR-2,,Rolls,0.40,5,\n"
        "Household,HH-1,,Soap,1.99,3,\n"
        "Wine,WN-1,,Red,9.99,3,7.5\n"
    )
    result = import_products(shop, owner, io.StringIO(text))
    assert result.ok and result.categories_created == 2
    rates = {c.name: c.tax_rate_bp for c in catalog.list_categories(shop, owner).items}
    assert rates == {"Bakery": 700, "Household": 1900, "Wine": 750}
    changes = audit.list_audit(shop, owner, action=audit.TAX_RATE_CHANGED).items
    assert [(e.subject, e.detail["old_rate_bp"], e.detail["new_rate_bp"]) for e in changes] == [
        ("Wine", 1900, 750)
    ]
    created = audit.list_audit(shop, owner, action=audit.CATEGORY_CREATED).items
    assert sorted(e.subject for e in created) == ["Bakery", "Household", "Wine"]
    exported = io.StringIO()
    export_products(shop, owner, exported)
    rows = {row[1]: row[6] for row in csv.reader(io.StringIO(exported.getvalue()))}
    assert (rows["BR-1"], rows["HH-1"], rows["WN-1"]) == ("7", "19", "7.5")
    assert wine.tax_rate_bp == 1900


def test_one_category_with_two_rates_in_a_file_is_an_error_naming_the_lines(
    ctx: ServiceContext,
) -> None:
    owner = make_owner(ctx)
    text = (
        f"{EXPORT_HEADER}\n"
        "Bakery,BR-1,,Bread,2.50,5,7\n"
        "bakery,BR-2,,Rolls,0.40,5,19\n"
        "X,X-1,,Y,1,1,150\n"
    )
    result = import_products(ctx, owner, io.StringIO(text))
    assert [(e.line_number, e.field) for e in result.errors] == [(3, "tax_rate"), (4, "tax_rate")]
    assert "bakery has the tax rate 7 % on line 2" in result.errors[0].message
    assert catalog.list_categories(ctx, owner).total == 0
