"""``pos-app report``: sales per period, and the owner's insights (best and slowest sellers,
the average sale, sales by hour of day and by day of week) as tables or CSV.
``pos-app unshifted``: the sales and refunds on no shift's Z report, to reconcile."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from pos_app.cli.common import PROG, Commands, day, positive, sentence, service_context
from pos_app.cli.tables import Table, print_table, print_tables, write_csv

if TYPE_CHECKING:
    from pos_app.config import Settings
    from pos_app.services.access import UserSession
    from pos_app.services.context import ServiceContext
    from pos_app.services.insights import ProductSales
    from pos_app.services.shifts import UnshiftedEntry

BUCKETS = ("daily", "weekly", "monthly", "yearly", "none")
REPORT_HEADER = ["start", "end", "sales", "units", "revenue"]
INSIGHTS = ("average", "top", "by_hour", "by_weekday")
FLAGS = {"top": "--top", "by_hour": "--by-hour", "by_weekday": "--by-weekday"}
FLAGS["average"] = "--average"
RANKED_HEADER = ["#", "sku", "product", "category", "sales", "units", "revenue"]
RANKED_CSV_HEADER = ["list", "rank", "product_id", "sku", "product", "category", "sales"]
RANKED_CSV_HEADER += ["units", "revenue"]
HOUR_HEADER = ["hour", "sales", "units", "revenue"]
WEEKDAY_HEADER = ["weekday", "days", "sales", "units", "revenue"]
AVERAGE_HEADER = ["sales", "units", "revenue", "average sale"]
AVERAGE_CSV_HEADER = ["sales", "units", "revenue", "average_sale"]
UNSHIFTED_HEADER = ["kind", "receipt", "till", "when", "cashier", "amount"]
USAGE = 2

Plain = Callable[[int], str]  # minor units as a plain decimal in the shop's currency


def register(commands: Commands) -> None:
    report = commands.add_parser(
        "report", help="sales per day, week, month or year; best and slowest sellers; busy hours"
    )
    report.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--bucket", choices=BUCKETS, default="daily")
    report.add_argument("--category", type=int, action="append", default=[], metavar="ID")
    report.add_argument("--product", type=int, action="append", default=[], metavar="ID")
    report.add_argument("--format", choices=("table", "csv"), default="table")
    insight = report.add_argument_group(
        "insights", "show these instead of the sales per period (only one with --format csv)"
    )
    insight.add_argument(
        "--top", type=positive, metavar="N", help="the N best sellers and the N slowest movers"
    )
    insight.add_argument(
        "--rank-by",
        choices=("units", "revenue"),
        default="units",
        help="what --top ranks by (default: units)",
    )
    insight.add_argument("--by-hour", action="store_true", help="sales per hour of the day")
    insight.add_argument("--by-weekday", action="store_true", help="sales per day of the week")
    insight.add_argument("--average", action="store_true", help="the average sale")
    report.set_defaults(handler=report_command)
    unshifted = commands.add_parser(
        "unshifted",
        help="sales and refunds rung with no shift open (on no Z report), to reconcile",
    )
    unshifted.add_argument("--format", choices=("table", "csv"), default="table")
    unshifted.set_defaults(handler=unshifted_command)


def unshifted_command(args: argparse.Namespace, settings: Settings) -> int:
    """Every sale and refund on no shift, newest first; nothing is changed."""
    from pos_app import bootstrap
    from pos_app.services.csv_files import escape_cell
    from pos_app.services.receipts import receipt_number

    with service_context(settings) as ctx, bootstrap.system_session(ctx) as owner:
        entries = _all_unshifted(ctx, owner)
    zone, plain = settings.timezone, settings.shop_format.plain
    rows = [
        [entry.kind, receipt_number(entry.sale_id), entry.till_id,
         entry.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), entry.cashier_name,
         ("-" if entry.kind == "refund" else "") + plain(entry.total_cents)]
        for entry in entries
    ]  # fmt: skip
    if args.format == "csv":
        write_csv(sys.stdout, UNSHIFTED_HEADER, [[escape_cell(c) for c in row] for row in rows])
        return 0
    if not rows:
        print("Every sale and refund is on a shift's Z report.")
        return 0
    print_table(sys.stdout, UNSHIFTED_HEADER, rows, align="lllllr")
    return 0


def _all_unshifted(ctx: ServiceContext, owner: UserSession) -> list[UnshiftedEntry]:
    from pos_app.services import shifts
    from pos_app.services.paging import MAX_PAGE_SIZE, PageRequest

    entries: list[UnshiftedEntry] = []
    while True:
        next_rows = PageRequest(len(entries), MAX_PAGE_SIZE)
        page = shifts.unshifted_entries(ctx, owner, page=next_rows)
        entries.extend(page.items)
        if not page.has_more:
            return entries


def report_command(args: argparse.Namespace, settings: Settings) -> int:
    chosen = [name for name in INSIGHTS if getattr(args, name) not in (None, False)]
    if chosen and (args.category or args.product):
        return _usage("--category and --product filter the sales per period, not the insights")
    if args.format == "csv" and len(chosen) > 1:
        flags = ", ".join(FLAGS[name] for name in chosen)
        return _usage(f"--format csv shows one table at a time; choose one of {flags}")
    from pos_app import bootstrap

    with service_context(settings) as ctx, bootstrap.system_session(ctx) as owner:
        if not chosen:
            return _sales_per_period(ctx, owner, args)
        if args.format == "csv":
            _insight_csv(ctx, owner, args, chosen[0])
            return 0
        tables = [table for name in chosen for table in _insight_tables(ctx, owner, args, name)]
    print_tables(sys.stdout, tables)
    return 0


def _usage(message: str) -> int:
    print(f"{PROG}: {sentence(message)[:-1]} (see '{PROG} report --help').", file=sys.stderr)
    return USAGE


def _sales_per_period(ctx: ServiceContext, owner: UserSession, args: argparse.Namespace) -> int:
    from pos_app.services import analytics

    query = analytics.SalesQuery(
        start=args.start, end=args.end, bucket=analytics.Bucket(args.bucket),
        product_ids=tuple(args.product), category_ids=tuple(args.category),
    )  # fmt: skip
    report = analytics.sales_data(ctx, owner, query)
    plain = ctx.shop_format.plain
    rows = [
        [row.start.isoformat(), row.end.isoformat(), str(row.sales), str(row.units),
         plain(row.revenue_cents)]
        for row in report.buckets
    ]  # fmt: skip
    if args.format == "csv":
        write_csv(sys.stdout, REPORT_HEADER, rows)
        return 0
    total = ["Total", "", str(report.sales), str(report.units), plain(report.revenue_cents)]
    print_table(sys.stdout, REPORT_HEADER, rows, total)
    return 0


def _range(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"


def _figures(sales: int, units: int, revenue_cents: int, plain: Plain) -> list[str]:
    return [str(sales), str(units), plain(revenue_cents)]


def _insight_tables(
    ctx: ServiceContext, owner: UserSession, args: argparse.Namespace, name: str
) -> list[Table]:
    from pos_app.services import insights

    start, end, when = args.start, args.end, _range(args.start, args.end)
    plain = ctx.shop_format.plain
    if name == "top":
        by, limit = args.rank_by, args.top
        best = insights.top_sellers(ctx, owner, start, end, by=by, limit=limit)
        slow = insights.slow_movers(ctx, owner, start, end, by=by, limit=limit)
        return [
            Table(RANKED_HEADER, _ranked_rows(best, plain), align="rlllrrr",
                  title=f"Top sellers by {by}, {when}"),
            Table(RANKED_HEADER, _ranked_rows(slow, plain), align="rlllrrr",
                  title=f"Slow movers by {by} (active products), {when}"),
        ]  # fmt: skip
    if name == "by_hour":
        hours = insights.sales_by_hour(ctx, owner, start, end)
        rows = [
            [f"{h.hour:02d}:00", *_figures(h.sales, h.units, h.revenue_cents, plain)] for h in hours
        ]
        total = ["Total", *_sums([[h.sales, h.units, h.revenue_cents] for h in hours], plain)]
        return [Table(HOUR_HEADER, rows, total, "lrrr", f"Sales by hour of day, {when}")]
    if name == "by_weekday":
        days = insights.sales_by_weekday(ctx, owner, start, end)
        rows = [
            [d.name, str(d.days), *_figures(d.sales, d.units, d.revenue_cents, plain)] for d in days
        ]
        total = [
            "Total",
            str(sum(d.days for d in days)),
            *_sums([[d.sales, d.units, d.revenue_cents] for d in days], plain),
        ]
        return [Table(WEEKDAY_HEADER, rows, total, "lrrrr", f"Sales by day of week, {when}")]
    average = insights.average_sale(ctx, owner, start, end)
    row = [*_figures(average.sales, average.units, average.revenue_cents, plain)]
    row.append(plain(average.average_cents))
    return [Table(AVERAGE_HEADER, [row], align="rrrr", title=f"Average sale, {when}")]


def _ranked_rows(products: list[ProductSales], plain: Plain) -> list[list[str]]:
    """A weighed product's units are shown in kg ('3.455 kg')."""
    from pos_app.domain.weights import format_weight

    return [
        [str(rank), p.sku, p.name, p.category_name, str(p.sales),
         format_weight(p.units) if p.weighed else str(p.units), plain(p.revenue_cents)]
        for rank, p in enumerate(products, start=1)
    ]  # fmt: skip


def _sums(rows: list[list[int]], plain: Plain) -> list[str]:
    sales, units, revenue = (sum(row[i] for row in rows) for i in range(3))
    return _figures(sales, units, revenue, plain)


def _insight_csv(
    ctx: ServiceContext, owner: UserSession, args: argparse.Namespace, name: str
) -> None:
    from pos_app.domain.weights import format_kg
    from pos_app.services import insights
    from pos_app.services.csv_files import escape_cell

    start, end, plain = args.start, args.end, ctx.shop_format.plain
    rows: list[list[object]]
    if name == "top":
        rows = []
        for label, rank in (("top", insights.top_sellers), ("slow", insights.slow_movers)):
            for position, p in enumerate(
                rank(ctx, owner, start, end, by=args.rank_by, limit=args.top), start=1
            ):
                texts = [escape_cell(text) for text in (p.sku, p.name, p.category_name)]
                money = plain(p.revenue_cents)
                units = format_kg(p.units) if p.weighed else p.units  # kg with 3 decimals
                rows.append([label, position, p.product_id, *texts, p.sales, units, money])
        write_csv(sys.stdout, RANKED_CSV_HEADER, rows)
    elif name == "by_hour":
        hours = insights.sales_by_hour(ctx, owner, start, end)
        rows = [[h.hour, h.sales, h.units, plain(h.revenue_cents)] for h in hours]
        write_csv(sys.stdout, HOUR_HEADER, rows)
    elif name == "by_weekday":
        days = insights.sales_by_weekday(ctx, owner, start, end)
        rows = [[d.name, d.days, d.sales, d.units, plain(d.revenue_cents)] for d in days]
        write_csv(sys.stdout, WEEKDAY_HEADER, rows)
    else:
        a = insights.average_sale(ctx, owner, start, end)
        rows = [[a.sales, a.units, plain(a.revenue_cents), plain(a.average_cents)]]
        write_csv(sys.stdout, AVERAGE_CSV_HEADER, rows)
