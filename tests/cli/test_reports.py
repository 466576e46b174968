from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.conftest import (
    TEMPLATE_SALES,
    Run,
    assert_one_line_error,
    database_file,
    run,
    scalar,
)


def year_to(today: date) -> tuple[str, ...]:
    return (
        "report",
        "--from",
        (today - timedelta(days=364)).isoformat(),
        "--to",
        today.isoformat(),
    )


def csv_rows(result: Run) -> list[list[str]]:
    assert result[0] == 0, result[2]
    return list(csv.reader(io.StringIO(result[1])))


def test_monthly_csv_report_over_a_year_has_a_row_per_month(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    start = (seeded - timedelta(days=364)).isoformat()
    rows = csv_rows(run(capsys, *year_to(seeded), "--bucket", "monthly", "--format", "csv"))
    assert rows[0] == ["start", "end", "sales", "units", "revenue"]
    assert len(rows) - 1 in {12, 13}
    assert rows[1][0] == start and rows[-1][1] == seeded.isoformat()
    assert sum(int(row[2]) for row in rows[1:]) == TEMPLATE_SALES
    assert all(row[4].count(".") == 1 and len(row[4].split(".")[1]) == 2 for row in rows[1:])


def test_table_report_is_aligned_with_a_total_row(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *year_to(seeded), "--bucket", "monthly")
    assert code == 0
    lines = out.rstrip("\n").splitlines()
    assert lines[0].split() == ["start", "end", "sales", "units", "revenue"]
    assert len(lines) - 3 in {12, 13}
    assert set(lines[-2]) == {"-"}
    assert lines[-1].startswith("Total") and lines[-1].split()[1] == str(TEMPLATE_SALES)
    assert len({len(line) for line in lines[1:-2]}) == 1


def test_report_filters_by_category(seeded: date, capsys: pytest.CaptureFixture[str]) -> None:
    day = seeded.isoformat()
    base = ("report", "--from", "2000-01-01", "--to", day, "--bucket", "none", "--format", "csv")
    everything = csv_rows(run(capsys, *base))
    bakery = csv_rows(run(capsys, *base, "--category", "1"))
    assert 0 < int(bakery[1][3]) < int(everything[1][3])


def test_top_lists_best_sellers_and_slow_movers_as_tables(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *year_to(seeded), "--top", "3")
    assert code == 0, err
    best, slow = out.strip().split("\n\n")
    best_lines, slow_lines = best.splitlines(), slow.splitlines()
    assert best_lines[0].startswith("Top sellers by units, ")
    assert slow_lines[0].startswith("Slow movers by units")
    assert best_lines[1].split() == ["#", "sku", "product", "category", "sales", "units", "revenue"]
    assert len(best_lines) == 2 + 3 and len(slow_lines) == 2 + 3
    units = [int(line.split()[-2].replace(",", "")) for line in best_lines[2:]]
    assert units == sorted(units, reverse=True)
    slowest = int(slow_lines[2].split()[-2].replace(",", ""))
    assert slowest <= units[-1]


def test_top_by_revenue_as_csv_is_one_table_with_both_lists(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    args = (*year_to(seeded), "--top", "2", "--rank-by", "revenue", "--format", "csv")
    rows = csv_rows(run(capsys, *args))
    assert rows[0] == [
        "list", "rank", "product_id", "sku", "product", "category", "sales", "units", "revenue"
    ]  # fmt: skip
    assert [(row[0], row[1]) for row in rows[1:]] == [
        ("top", "1"), ("top", "2"), ("slow", "1"), ("slow", "2")
    ]  # fmt: skip
    assert float(rows[1][8]) >= float(rows[2][8]) >= float(rows[3][8])


def test_sales_by_hour_has_24_rows_adding_up_to_every_sale(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = csv_rows(run(capsys, *year_to(seeded), "--by-hour", "--format", "csv"))
    assert rows[0] == ["hour", "sales", "units", "revenue"]
    assert [int(row[0]) for row in rows[1:]] == list(range(24))
    assert sum(int(row[1]) for row in rows[1:]) == TEMPLATE_SALES

    code, out, _ = run(capsys, *year_to(seeded), "--by-hour")
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("Sales by hour of day")
    assert lines[2].startswith("00:00") and lines[-1].split()[:2] == ["Total", str(TEMPLATE_SALES)]


def test_weekday_and_average_tables_agree_on_the_totals(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *year_to(seeded), "--by-weekday", "--average")
    assert code == 0
    average, weekdays = out.strip().split("\n\n")
    average_lines, weekday_lines = average.splitlines(), weekdays.splitlines()
    assert average_lines[0].startswith("Average sale, ")
    sales, units, revenue, per_sale = average_lines[2].split()
    assert sales == str(TEMPLATE_SALES)
    assert weekday_lines[0].startswith("Sales by day of week")
    assert [line.split()[0] for line in weekday_lines[2:9]] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
    ]  # fmt: skip
    assert weekday_lines[-1].split() == ["Total", "365", sales, units, revenue]
    cents = int(revenue.replace(",", "").replace(".", ""))
    assert abs(int(per_sale.replace(".", "")) - cents / TEMPLATE_SALES) <= 0.5

    rows = csv_rows(run(capsys, *year_to(seeded), "--average", "--format", "csv"))
    assert rows == [
        ["sales", "units", "revenue", "average_sale"],
        [sales, units.replace(",", ""), revenue.replace(",", ""), per_sale],
    ]


def test_insights_refuse_csv_of_two_tables_and_category_filters(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    both = run(capsys, *year_to(seeded), "--by-hour", "--average", "--format", "csv")
    assert_one_line_error(both, 2, "--average, --by-hour")
    filtered = run(capsys, *year_to(seeded), "--top", "5", "--category", "1")
    assert_one_line_error(filtered, 2, "--category")
    assert_one_line_error(run(capsys, *year_to(seeded), "--top", "0"), 2, "--top")


def test_insights_refuse_a_range_that_ends_before_it_starts(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "report", "--from", "2025-02-01", "--to", "2025-01-01", "--by-hour")
    assert_one_line_error(result, 1, "first day")


def test_unshifted_lists_the_sales_on_no_z_report_and_changes_nothing(
    seeded: date, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "unshifted")
    assert (code, out) == (0, "Every sale and refund is on a shift's Z report.\n")
    connection = sqlite3.connect(database_file(env))
    with connection:
        connection.execute("UPDATE sales SET shift_id = NULL WHERE id IN (3, 5)")
    connection.close()
    rows = csv_rows(run(capsys, "unshifted", "--format", "csv"))
    assert rows[0] == ["kind", "receipt", "till", "when", "cashier", "amount"]
    assert sorted(row[1] for row in rows[1:]) == ["R00000003", "R00000005"]
    assert scalar(env, "SELECT count(*) FROM sales WHERE shift_id IS NULL") == 2
    table = run(capsys, "unshifted")[1].splitlines()
    assert table[0].split() == ["kind", "receipt", "till", "when", "cashier", "amount"]
    assert len(table) == 3
