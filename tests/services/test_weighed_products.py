"""Products sold by weight in the catalogue and the stock: a price per kg, stock in grams."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import insert

from pos_app.db.models import Sale, SaleItem
from pos_app.domain.scale_labels import parse_layout
from pos_app.services import (
    catalog,
    held_sale_json,
    held_sales,
    inventory,
    product_csv,
    product_csv_rows,
    product_lookup,
)
from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, OutOfStockError, PosError, ValidationError
from tests.factories import Staff, make_category, make_staff


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    return make_staff(ctx)


@pytest.fixture
def deli(ctx: ServiceContext, staff: Staff) -> CategoryInfo:
    return make_category(ctx, staff.manager, "Deli")


def new_cheese(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo, **changes: object
) -> ProductInfo:
    fields: dict[str, object] = {
        "name": "Gouda",
        "category_id": deli.id,
        "sku": "GOUDA",
        "price_cents": 1290,
        "sold_by": "weight",
        "scale_code": 12345,
        "initial_stock": 5250,
    }
    fields.update(changes)
    return catalog.create_product(ctx, staff.manager, **fields)  # type: ignore[arg-type]


def test_a_product_sold_by_weight_keeps_its_price_per_kg_scale_code_and_grams(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    assert (cheese.sold_by, cheese.is_weighed, cheese.scale_code) == ("weight", True, 12345)
    assert (cheese.price_cents, cheese.quantity) == (1290, 5250)
    assert catalog.get_product(ctx, staff.cashier, cheese.id) == cheese
    level = inventory.list_stock(ctx, staff.manager, search="Gouda").items[0]
    assert (level.quantity, level.is_weighed) == (5250, True)


def test_products_are_sold_per_piece_unless_told_otherwise(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    roll = catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45
    )
    assert (roll.sold_by, roll.is_weighed, roll.scale_code) == ("piece", False, None)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sold_by": "litre"}, "sold_by"),
        ({"sold_by": None}, "sold_by"),
        ({"scale_code": 0}, "scale_code"),
        ({"scale_code": 1_000_000}, "scale_code"),
        ({"scale_code": "12345"}, "scale_code"),
        ({"scale_code": True}, "scale_code"),
    ],
)
def test_bad_ways_of_selling_and_scale_codes_are_refused(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        new_cheese(ctx, staff, deli, **changes)
    assert raised.value.field == field
    assert catalog.list_products(ctx, staff.manager).total == 0


def test_only_a_product_sold_by_weight_has_a_scale_code(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    with pytest.raises(ValidationError, match="Only a product sold by weight") as raised:
        new_cheese(ctx, staff, deli, sold_by="piece", initial_stock=0)
    assert raised.value.field == "scale_code"
    cheese = new_cheese(ctx, staff, deli, initial_stock=0)
    with pytest.raises(ValidationError, match="Only a product sold by weight"):
        catalog.update_product(ctx, staff.manager, cheese.id, sold_by="piece")
    changed = catalog.update_product(
        ctx, staff.manager, cheese.id, sold_by="piece", scale_code=None
    )
    assert (changed.sold_by, changed.scale_code) == ("piece", None)
    text = CSV_HEADER + "Deli,P,,P,1.00,1,piece,5\n"
    result = product_csv.import_products(ctx, staff.manager, io.StringIO(text))
    assert [error.field for error in result.errors] == ["scale_code"]


def test_a_scale_code_belongs_to_one_product(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    with pytest.raises(ConflictError, match="scale code 12345") as raised:
        new_cheese(ctx, staff, deli, sku="EDAM", name="Edam")
    assert raised.value.field == "scale_code"
    edam = new_cheese(ctx, staff, deli, sku="EDAM", name="Edam", scale_code=12346)
    with pytest.raises(ConflictError, match="scale code 12345"):
        catalog.update_product(ctx, staff.manager, edam.id, scale_code=12345)
    same = catalog.update_product(ctx, staff.manager, cheese.id, scale_code=12345)
    assert same.scale_code == 12345


def test_update_sets_clears_and_keeps_the_scale_code(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    kept = catalog.update_product(ctx, staff.manager, cheese.id, price_cents=1390)
    assert (kept.scale_code, kept.price_cents) == (12345, 1390)
    cleared = catalog.update_product(ctx, staff.manager, cheese.id, scale_code=None)
    assert cleared.scale_code is None
    assert catalog.update_product(ctx, staff.manager, cheese.id, scale_code=7).scale_code == 7


def test_a_product_without_stock_or_sales_may_change_how_it_is_sold(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli, initial_stock=0, scale_code=None)
    by_piece = catalog.update_product(ctx, staff.manager, cheese.id, sold_by="piece")
    assert by_piece.sold_by == "piece"
    again = catalog.update_product(ctx, staff.manager, cheese.id, sold_by="weight")
    assert again.sold_by == "weight"


def test_stock_in_grams_keeps_a_product_sold_by_weight(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    with pytest.raises(ConflictError, match="counted in grams") as raised:
        catalog.update_product(ctx, staff.manager, cheese.id, sold_by="piece")
    assert raised.value.field == "sold_by"
    assert catalog.get_product(ctx, staff.manager, cheese.id).sold_by == "weight"


def test_past_sales_keep_a_product_sold_per_piece(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    roll = catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45
    )
    now = ctx.now()
    with ctx.unit_of_work() as session:
        sale_id = session.execute(
            insert(Sale).values(
                uuid="00000000-0000-0000-0000-000000000001", user_id=staff.cashier.id,
                till_id="till-1", created_at=now, local_date=ctx.local_date(now),
                total_cents=45,
            )
        ).inserted_primary_key[0]  # fmt: skip
        session.execute(
            insert(SaleItem).values(
                sale_id=sale_id, product_id=roll.id, category_id=deli.id,
                local_date=ctx.local_date(now), quantity=1, unit_price_cents=45,
                revenue_cents=45,
            )
        )  # fmt: skip
        session.commit()
    with pytest.raises(ConflictError, match="counted in pieces"):
        catalog.update_product(ctx, staff.manager, roll.id, sold_by="weight")


def test_restock_and_corrections_of_a_weighed_product_count_grams(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    assert inventory.add_stock(ctx, staff.manager, cheese.id, 2500).quantity == 7750
    assert inventory.adjust_stock(ctx, staff.manager, cheese.id, -455, "Cut").quantity == 7295
    history = inventory.movement_history(ctx, staff.manager, cheese.id).items
    assert [m.quantity_change for m in history] == [-455, 2500, 5250]


def test_too_little_stock_of_a_weighed_product_is_told_in_kg(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli, initial_stock=300)
    with pytest.raises(OutOfStockError) as raised:
        inventory.adjust_stock(ctx, staff.manager, cheese.id, -455, "Cut")
    assert raised.value.message == "Cannot remove 0.455 kg of Gouda: only 0.300 kg in stock."
    assert catalog.get_product(ctx, staff.manager, cheese.id).quantity == 300


CSV_HEADER = "category,sku,barcode,name,price,stock,sold_by,scale_code\n"


def test_csv_export_writes_the_price_per_kg_stock_in_kg_and_scale_code(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    new_cheese(ctx, staff, deli)
    stream = io.StringIO()
    product_csv.export_products(ctx, staff.manager, stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows == [
        list(product_csv_rows.PRODUCT_COLUMNS),
        ["Deli", "GOUDA", "", "Gouda", "12.90", "5.250", "0", "weight", "12345"],
    ]


def test_csv_import_creates_weighed_products_with_stock_in_kg(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    text = CSV_HEADER + "Deli,EDAM,,Edam,10.90,2.5,weight,222\nDeli,ROLL,,Roll,0.45,12,,\n"
    result = product_csv.import_products(ctx, staff.manager, io.StringIO(text))
    assert result.ok, result.errors
    edam = product_lookup.find_product(ctx, staff.cashier, "EDAM")
    roll = product_lookup.find_product(ctx, staff.cashier, "ROLL")
    assert (edam.sold_by, edam.quantity, edam.price_cents, edam.scale_code) == (
        "weight", 2500, 1090, 222
    )  # fmt: skip
    assert (roll.sold_by, roll.quantity, roll.scale_code) == ("piece", 12, None)


def test_a_csv_round_trip_keeps_weighed_products_exactly(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli, initial_stock=1)
    stream = io.StringIO()
    product_csv.export_products(ctx, staff.manager, stream)
    result = product_csv.import_products(ctx, staff.manager, io.StringIO(stream.getvalue()))
    assert (result.ok, result.updated) == (True, 1)
    assert catalog.get_product(ctx, staff.manager, cheese.id) == cheese


def test_a_file_without_the_new_columns_keeps_how_products_are_sold(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    text = "category,sku,barcode,name,price,stock\nDeli,GOUDA,,Gouda,13.90,6.1\n"
    result = product_csv.import_products(ctx, staff.manager, io.StringIO(text))
    assert result.ok, result.errors
    after = catalog.get_product(ctx, staff.manager, cheese.id)
    assert (after.sold_by, after.scale_code, after.price_cents, after.quantity) == (
        "weight", 12345, 1390, 6100
    )  # fmt: skip


def test_bad_weighed_rows_are_reported_and_nothing_is_written(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    new_cheese(ctx, staff, deli)
    text = CSV_HEADER + (
        "Deli,A,,A,1.00,1.2345,weight,1\n"
        "Deli,B,,B,1.00,1.5,piece,2\n"
        "Deli,C,,C,1.00,1,litre,3\n"
        "Deli,D,,D,1.00,1,weight,0\n"
        "Deli,E,,E,1.00,1,weight,12345\n"
        "Deli,F,,F,1.00,1,weight,77\n"
        "Deli,G,,G,1.00,1,weight,77\n"
    )
    result = product_csv.import_products(ctx, staff.manager, io.StringIO(text))
    found = {(error.line_number, error.field) for error in result.errors}
    assert found == {
        (2, "stock"),
        (3, "stock"),
        (4, "sold_by"),
        (5, "scale_code"),
        (8, "scale_code"),
    }
    assert catalog.list_products(ctx, staff.manager).total == 1
    text = CSV_HEADER + "Deli,E,,E,1.00,1,weight,12345\n"
    clash = product_csv.import_products(ctx, staff.manager, io.StringIO(text))
    assert [str(error) for error in clash.errors] == [
        "Line 2, scale_code: The scale code 12345 already belongs to GOUDA."
    ]


def test_a_csv_row_cannot_change_how_a_stocked_product_is_sold(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    text = CSV_HEADER + "Deli,GOUDA,,Gouda,12.90,5,piece,12345\n"
    result = product_csv.import_products(ctx, staff.manager, io.StringIO(text))
    assert [error.field for error in result.errors] == ["sold_by"]
    assert catalog.get_product(ctx, staff.manager, cheese.id) == cheese


def test_two_products_may_swap_their_scale_codes_in_one_file(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    new_cheese(ctx, staff, deli)
    new_cheese(ctx, staff, deli, sku="EDAM", name="Edam", scale_code=2)
    text = CSV_HEADER + "Deli,GOUDA,,Gouda,12.90,5.25,weight,2\nDeli,EDAM,,Edam,12.90,5.25,,12345\n"
    result = product_csv.import_products(ctx, staff.manager, io.StringIO(text))
    assert result.ok, result.errors
    assert product_lookup.find_product(ctx, staff.cashier, "EDAM").scale_code == 12345
    assert product_lookup.find_product(ctx, staff.cashier, "GOUDA").scale_code == 2


def label(prefix: str, item_code: int, value: int) -> str:
    rule = parse_layout("gs1-de").rule_for(prefix)
    assert rule is not None
    return rule.make(prefix, item_code, value)


def test_a_weight_label_scans_as_its_product_and_weight(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    scan = product_lookup.scan_code(ctx, staff.cashier, label("28", 12345, 455))
    assert scan == product_lookup.Scan(cheese, 455, None)


def test_a_price_label_keeps_its_price_and_derives_the_weight(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    scan = product_lookup.scan_code(ctx, staff.cashier, label("21", 12345, 587))
    assert scan == product_lookup.Scan(cheese, 455, 587)  # 5.87 / 12.90 per kg = 0.45504 kg


def test_an_ordinary_code_scans_without_a_weight(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    assert product_lookup.scan_code(ctx, staff.cashier, "gouda") == product_lookup.Scan(cheese)
    assert product_lookup.scan_code(ctx, staff.cashier, "12345") == product_lookup.Scan(cheese)
    assert product_lookup.find_product(ctx, staff.cashier, "12345") == cheese


def test_a_product_whose_own_barcode_looks_like_a_label_is_found_by_it(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    code = label("28", 1, 1)
    roll = catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45,
        barcode=code,
    )  # fmt: skip
    assert product_lookup.scan_code(ctx, staff.cashier, code) == product_lookup.Scan(roll)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (label("28", 999, 455), "No product has the scale code 999"),
        (label("28", 12345, 0), "shows no weight"),
        (label("21", 12345, 0), "carries no price"),
        (label("28", 12345, 455)[:-1] + "0", "check digit is wrong"),
    ],
)
def test_labels_that_cannot_be_sold_say_why(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo, code: str, message: str
) -> None:
    new_cheese(ctx, staff, deli)
    with pytest.raises(PosError, match=message) as raised:
        product_lookup.scan_code(ctx, staff.cashier, code)
    assert raised.value.field in ("code", "barcode")


def test_the_low_stock_threshold_counts_kilograms_of_a_weighed_product(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli, initial_stock=4_999)
    roll = catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45,
        initial_stock=4_999,
    )  # fmt: skip
    low = inventory.low_stock(ctx, staff.manager, 5).items
    assert [level.product_id for level in low] == [cheese.id]  # 4.999 kg <= 5 kg
    assert inventory.is_low_stock(low[0], 5)
    listed = inventory.list_stock(ctx, staff.manager, below=5000).items
    assert {level.product_id for level in listed} == {cheese.id, roll.id}


def test_a_held_cart_keeps_grams_and_a_label_price_of_weighed_lines(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo
) -> None:
    cheese = new_cheese(ctx, staff, deli)
    roll = catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45,
        initial_stock=100,
    )  # fmt: skip
    lines = [
        held_sale_json.HeldLine(cheese.id, 12_455),
        held_sale_json.HeldLine(cheese.id, 455, label_price_cents=590),
        held_sale_json.HeldLine(roll.id, 3),
    ]
    held = held_sales.hold_cart(ctx, staff.cashier, lines, "Deli order")
    again = held_sales.recall(ctx, staff.cashier, held.id)
    assert [(line.quantity, line.sold_by, line.label_price_cents) for line in again.lines] == [
        (12_455, "weight", None), (455, "weight", 590), (3, "piece", None)
    ]  # fmt: skip
    assert again.total_cents == 16_067 + 590 + 135


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"quantity": 10_001}, "between 1 and 10,000"),
        ({"quantity": 1, "label_price_cents": 100}, "scale label"),
    ],
)
def test_a_held_line_of_pieces_keeps_the_piece_rules(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo, line: dict[str, int], message: str
) -> None:
    roll = catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45
    )
    with pytest.raises(ValidationError, match=message):
        held_sales.hold_cart(ctx, staff.cashier, [held_sale_json.HeldLine(roll.id, **line)])


def test_the_open_cart_journal_keeps_weighed_lines_and_their_labels(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from pos_app.services import open_cart
    from pos_app.services.open_cart import OpenCart, OpenCartLine

    lines = (
        OpenCartLine(7, "Gouda", 457, 1290, None, "weight", 590),
        OpenCartLine(7, "Gouda", 300, 1290, None, "weight"),
        OpenCartLine(8, "Roll", 3, 45),
    )
    cart = OpenCart("u", 1, "Cara", datetime(2026, 12, 5, tzinfo=UTC), lines)
    path = tmp_path / "open-cart.json"
    open_cart.save(path, cart)
    again = open_cart.load(path)
    assert again is not None and again.lines == lines
    assert again.total_cents == 590 + 387 + 135
