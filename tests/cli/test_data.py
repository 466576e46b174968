from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import TEMPLATE_SALES, assert_one_line_error, run, scalar
from tests.legacy_fixtures import EXPECTED_IMPORTED, build_legacy_sqlite

PRODUCTS_HEADER = "category,sku,barcode,name,price,stock\n"


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    return build_legacy_sqlite(tmp_path / "old-shop.db")


def test_import_legacy_prints_the_summary_and_a_second_run_adds_nothing(
    owner: Path, legacy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "import-legacy", str(legacy))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"Imported {EXPECTED_IMPORTED['users']} users, ")
    assert f"{EXPECTED_IMPORTED['sales']} sales" in lines[0]
    assert any(line.startswith("Skipped rows (") for line in lines)
    assert "100.0%" in err
    sales = scalar(owner, "SELECT count(*) FROM sales")
    assert sales == EXPECTED_IMPORTED["sales"]

    code, out, _ = run(capsys, "import-legacy", str(legacy))
    assert code == 0
    assert out.splitlines()[0] == (
        "Imported 0 users, 0 categories, 0 products, 0 stock movements, 0 sales, 0 sale items."
    )
    assert scalar(owner, "SELECT count(*) FROM sales") == sales


def test_import_legacy_names_a_source_it_cannot_use(
    owner: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "import-legacy", str(owner / "missing.db"))
    assert_one_line_error(result, 1, "missing.db")


def test_import_legacy_needs_an_owner_account(
    env: Path, legacy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_one_line_error(run(capsys, "import-legacy", str(legacy)), 1, "create-user")


@pytest.mark.usefixtures("ctrl_c_at_first_progress")
def test_ctrl_c_stops_the_legacy_import_with_nothing_written(
    owner: Path, legacy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "import-legacy", str(legacy))
    assert code == 130
    assert out == ""
    assert err.strip().splitlines()[-1] == "pos-app: Import cancelled; nothing was imported."
    assert scalar(owner, "SELECT count(*) FROM sales") == 0
    assert scalar(owner, "SELECT count(*) FROM users") == 1


def test_products_export_then_import_updates_every_product(
    seeded: date, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = env / "products.csv"
    code, out, _ = run(capsys, "products", "export", str(exported))
    assert code == 0
    count = scalar(env, "SELECT count(*) FROM products")
    assert f"Exported {count} products" in out
    with exported.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == [*PRODUCTS_HEADER.strip().split(","), "tax_rate", "sold_by", "scale_code"]
    assert len(rows) == 1 + count

    rows[1][4] = "123.45"
    with exported.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    code, out, err = run(capsys, "products", "import", str(exported))
    assert code == 0, err
    assert f"0 products created, {count} updated" in out
    sku = rows[1][1].replace("'", "''")
    assert scalar(env, f"SELECT price_cents FROM products WHERE sku = '{sku}'") == 12345


def test_products_export_to_a_missing_folder_is_one_sentence(
    seeded: date, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "products", "export", str(env / "no" / "such" / "dir.csv"))
    assert_one_line_error(result, 1, "dir.csv")


def test_a_products_file_with_bad_rows_imports_nothing_and_names_each_line(
    owner: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = owner / "new.csv"
    source.write_text(
        PRODUCTS_HEADER
        + "Bakery,BRD-1,,Rye bread,2.50,10\n"
        + "Bakery,BRD-2,,Spelt bread,two euros,5\n"
        + "Dairy,MLK-1,,Milk,0.99,-3\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "products", "import", str(source))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith("pos-app: line 3, price: ")
    assert lines[1].startswith("pos-app: line 4, stock: ")
    assert lines[-1] == (
        f"pos-app: Nothing was imported; fix the 2 problems above and import {source} again."
    )
    assert scalar(owner, "SELECT count(*) FROM products") == 0


def test_a_good_products_file_creates_products_and_categories(
    owner: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = owner / "new.csv"
    source.write_text(PRODUCTS_HEADER + "Bakery,BRD-1,,Rye bread,2.50,10\n", encoding="utf-8")
    code, out, _ = run(capsys, "products", "import", str(source))
    assert code == 0
    assert "1 products created, 0 updated, 1 new categories" in out
    assert scalar(owner, "SELECT quantity FROM inventories") == 10


@pytest.mark.usefixtures("ctrl_c_at_first_progress")
def test_ctrl_c_stops_the_products_import_with_nothing_written(
    owner: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = owner / "many.csv"
    rows = "".join(f"Pantry,P-{n},,Jar {n},1.00,1\n" for n in range(1200))
    source.write_text(PRODUCTS_HEADER + rows, encoding="utf-8")
    code, _, err = run(capsys, "products", "import", str(source))
    assert code == 130
    assert err.strip().splitlines()[-1] == "pos-app: Import cancelled; nothing was changed."
    assert scalar(owner, "SELECT count(*) FROM products") == 0
    assert scalar(owner, "SELECT count(*) FROM categories") == 0


def test_sales_export_writes_every_line_of_the_range(
    seeded: date, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = env / "sales.csv"
    start = (seeded - timedelta(days=400)).isoformat()
    args = ("sales", "export", "--from", start, "--to", seeded.isoformat(), str(target))
    code, out, err = run(capsys, *args)
    assert code == 0, err
    lines = scalar(env, "SELECT count(*) FROM sale_items")
    assert f"Exported {lines:,} sale lines" in out
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == lines
    assert len({row["sale_id"] for row in rows}) == TEMPLATE_SALES


def test_sales_export_refuses_a_range_that_ends_before_it_starts(
    seeded: date, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("sales", "export", "--from", "2025-02-01", "--to", "2025-01-01", str(env / "s.csv"))
    assert_one_line_error(run(capsys, *args), 1, "start date")
    assert not (env / "s.csv").exists()


@pytest.mark.parametrize("price", ["1e30", "1e999999999", "NaN", "9" * 40])
def test_a_price_no_till_can_hold_is_a_row_error_like_any_other(
    owner: Path, capsys: pytest.CaptureFixture[str], price: str
) -> None:
    source = owner / "huge.csv"
    source.write_text(PRODUCTS_HEADER + f"Bakery,BRD-1,,Rye bread,{price},10\n", encoding="utf-8")
    code, out, err = run(capsys, "products", "import", str(source))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[0].startswith("pos-app: line 2, price: ")
    assert "Unexpected" not in err
    assert scalar(owner, "SELECT count(*) FROM products") == 0
