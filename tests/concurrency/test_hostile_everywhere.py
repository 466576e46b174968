"""Hostile input to every public service function, generated from one table.

The functions that act for someone come from the role matrix's table (with its builders of valid
arguments); the ones without an actor are listed here. For each example one parameter (the actor
included) gets a hostile value: a wrong type, a number no column holds, text no backend stores,
or a valid value broken one level down (a list with a bad element, a dataclass with a bad field).
The call must succeed or raise a ``PosError``; when it is refused, every table is exactly as it
was (a failed log-in may only add its audit row and count the failure).

The shop is the role matrix's, built once per backend; each service commits its own work as in
production, and a fingerprint of every table is taken just before and after the call.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import importlib
import inspect
import io
import pkgutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, MetaData, select

import pos_app.services
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.services import (
    access,
    analytics,
    auth,
    barcodes,
    cart_lines,
    catalog,
    categories,
    checkout,
    csv_files,
    held_sales,
    money,
    paging,
    payments,
    product_csv,
    promotion_drafts,
    receipts,
    sessions,
    settlement,
    tax,
    validation,
)
from pos_app.services.errors import PosError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.payments import PaymentIn
from tests.factories import PASSWORD
from tests.services import test_role_matrix as matrix

SQLITE_EXAMPLES = 140  # per function
MYSQL_EXAMPLES = 12
STATS: Counter[str] = Counter()  # "examples", "untyped", "functions", and "seconds <backend>"
FUNCTIONS: set[str] = set()

HOSTILE: list[Any] = [
    None, 1.5, float("nan"), float("inf"), -1, 0, 2**31, 2**64, -(2**64), 2**20000, True,
    b"\x00", bytearray(b"x"), [], {}, (), [None], {"a": 1}, object(),
    "", " ", "\ud800", "a\udfffb", "nul\x00byte", "x" * 100_000, "\u202eevil\u202c",
    "'; DROP TABLE products; --", "=cmd|' /C calc'!A0", "1e30", "1e999999999", "NaN", "-0",
    "99999999999999999999999", "\N{PILE OF POO}",
]  # fmt: skip
CSV_CELLS: list[str] = [
    "1e30",
    "1e999999999",
    "NaN",
    "inf",
    "-1",
    "9" * 40,
    "0.001",
    "\ud800",
    "nul\x00",
    "x" * 100_000,
    '=HYPERLINK("http://x")',
    "'; DROP TABLE products; --",
    "\u202e",
    "",
    " ",
    '"',
    "a,b",
]


def _with_field(valid: Any, name: str, bad: Any) -> Any:
    """``valid`` with one field ``bad``; a dataclass that checks its fields when made (a
    PageRequest) is forged past that check, as careless or hostile calling code could."""
    try:
        return dataclasses.replace(valid, **{name: bad})
    except PosError:
        forged = copy.copy(valid)
        object.__setattr__(forged, name, bad)
        return forged


def _mutations(valid: Any) -> list[Any]:
    """Hostile values for a parameter whose valid value is ``valid``, plus ``valid`` itself."""
    found: list[Any] = [valid, *HOSTILE]
    if isinstance(valid, list | tuple) and valid:
        found += [type(valid)([bad]) for bad in HOSTILE[:12]]
        found += [type(valid)([valid[0], bad]) for bad in (None, "x", -1, 2**64)]
        found += [type(valid)(_mutations(valid[0])[i] for _ in valid) for i in range(1, 12)]
    if dataclasses.is_dataclass(valid) and not isinstance(valid, type):
        for field in dataclasses.fields(valid):
            found += [_with_field(valid, field.name, bad) for bad in [*HOSTILE[:20], "5"]]
    if isinstance(valid, str) and valid:
        found += [valid + "\ud800", valid + "\x00", valid * 10_000]
    if isinstance(valid, int) and not isinstance(valid, bool):
        found += [valid + 2**63, -valid - 1]
    return found


Args = tuple[tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class Target:
    function: Callable[..., Any]
    build: Callable[[matrix.Shop], Args]  # valid arguments after ``ctx`` (the actor first)
    may_touch: frozenset[str] = frozenset()  # tables a refused call may still change


DOOR = "door@shop.test"  # an account only hostile log-ins use (they may lock it)


def _login_args(shop: matrix.Shop) -> Args:
    return matrix.args(DOOR, PASSWORD)


def _fresh_token(shop: matrix.Shop) -> str:
    """A session of an account of its own (a hostile call may change its password)."""
    email = f"token{next(matrix._serial)}@shop.test"
    auth.register_user(shop.ctx, shop.owner, email=email, password=PASSWORD, first_name="T",
                       last_name="Oken")  # fmt: skip
    return auth.login(shop.ctx, email, PASSWORD).session.token


def _csv_file(shop: matrix.Shop) -> Args:
    rows = (
        f"category,sku,barcode,name,price,stock\nHostile,HX-{next(matrix._serial)},,Item,1.00,1\n"
    )
    return matrix.args(shop.manager, io.StringIO(rows))


EAN = "4006381333931"
TEN_OFF = Discount(DiscountKind.PERCENT, 1000, "loyal customer")
FAILED_LOGIN = frozenset({"audit_log", "users"})
WITHOUT_ACTOR: dict[str, Target] = {
    "auth.login": Target(auth.login, _login_args, FAILED_LOGIN),
    "sessions.logout": Target(sessions.logout, lambda s: matrix.args(_fresh_token(s))),
    "auth.current_user": Target(auth.current_user, lambda s: matrix.args(s.owner.token)),
    "auth.change_password": Target(
        auth.change_password, lambda s: matrix.args(_fresh_token(s), PASSWORD, PASSWORD)
    ),
    "auth.count_users": Target(auth.count_users, lambda s: matrix.args()),
    "auth.normalize_email": Target(auth.normalize_email, lambda s: matrix.args("a@shop.test")),
    "auth.parse_role": Target(auth.parse_role, lambda s: matrix.args("cashier")),
    "auth.validate_name": Target(auth.validate_name, lambda s: matrix.args("Ann", "name", "name")),
    "auth.validate_password": Target(auth.validate_password, lambda s: matrix.args(PASSWORD)),
    "auth.validate_timezone": Target(auth.validate_timezone, lambda s: matrix.args("UTC")),
    "analytics.validate_query": Target(
        analytics.validate_query,
        lambda s: matrix.args(analytics.SalesQuery(*matrix.WEEK, analytics.Bucket.DAILY)),
    ),
    "catalog.product_field_problems": Target(
        catalog.product_field_problems, lambda s: matrix.args("Tea", "T-1", None)
    ),
    "categories.clean_description": Target(
        categories.clean_description, lambda s: matrix.args("Tea")
    ),
    "categories.slugify": Target(categories.slugify, lambda s: matrix.args("Green tea")),
    "csv_files.escape_cell": Target(csv_files.escape_cell, lambda s: matrix.args("=1+1")),
    "csv_files.unescape_cell": Target(csv_files.unescape_cell, lambda s: matrix.args("'=1+1")),
    "product_csv.import_products(file)": Target(product_csv.import_products, _csv_file),
    "money.parse_money": Target(money.parse_money, lambda s: matrix.args("12.50")),
    "promotion_drafts.checked_promotion": Target(
        promotion_drafts.checked_promotion, lambda s: matrix.args(matrix._draft(s))
    ),
    "held_sales.check_unit": Target(
        held_sales.check_unit, lambda s: matrix.args(HeldLine(1, 1), "piece")
    ),
    "held_sales.clean_discount": Target(held_sales.clean_discount, lambda s: matrix.args(TEN_OFF)),
    "held_sales.clean_line": Target(held_sales.clean_line, lambda s: matrix.args(HeldLine(1, 1))),
    "paging.check_page": Target(
        paging.check_page, lambda s: matrix.args(paging.PageRequest(0, 10))
    ),
    "receipts.is_refund_number": Target(receipts.is_refund_number, lambda s: matrix.args("R-1")),
    "receipts.parse_receipt_number": Target(
        receipts.parse_receipt_number, lambda s: matrix.args("1")
    ),
    "receipts.receipt_number": Target(receipts.receipt_number, lambda s: matrix.args(1)),
    "receipts.refund_number": Target(receipts.refund_number, lambda s: matrix.args(1)),
    "settlement.clean_approver": Target(settlement.clean_approver, lambda s: matrix.args(None)),
    "settlement.clean_discount": Target(settlement.clean_discount, lambda s: matrix.args(TEN_OFF)),
    "settlement.clean_cart_discount": Target(
        settlement.clean_cart_discount, lambda s: matrix.args(TEN_OFF)
    ),
    "settlement.clean_line_discounts": Target(
        settlement.clean_line_discounts, lambda s: matrix.args({1: TEN_OFF}, [1])
    ),
    "settlement.clean_overrides": Target(settlement.clean_overrides, lambda s: matrix.args({})),
    "tax.parse_tax_rate": Target(tax.parse_tax_rate, lambda s: matrix.args("19")),
    "tax.check_rate": Target(tax.check_rate, lambda s: matrix.args(1900)),
    "tax.plain_rate": Target(tax.plain_rate, lambda s: matrix.args(1900)),
    "analytics.check_range": Target(analytics.check_range, lambda s: matrix.args(*matrix.WEEK)),
    "barcodes.is_valid_gtin": Target(barcodes.is_valid_gtin, lambda s: matrix.args(EAN)),
    "barcodes.normalize_barcode": Target(barcodes.normalize_barcode, lambda s: matrix.args(EAN)),
    "barcodes.normalize_sku": Target(barcodes.normalize_sku, lambda s: matrix.args("TEA-1")),
    "cart_lines.merge_lines": Target(
        cart_lines.merge_lines, lambda s: matrix.args([checkout.PurchaseLine(1, 2)])
    ),
    "payments.validate_payments": Target(
        payments.validate_payments, lambda s: matrix.args(500, [PaymentIn("cash", 500)])
    ),
    "validation.check_bool": Target(validation.check_bool, lambda s: matrix.args(True, "f")),
    "validation.check_id": Target(validation.check_id, lambda s: matrix.args(1, "id", "id")),
    "validation.check_int": Target(
        validation.check_int, lambda s: matrix.args(1, "n", "number", minimum=0, maximum=9)
    ),
    "access.is_token": Target(access.is_token, lambda s: matrix.args(s.owner.token)),
    "validation.is_text": Target(validation.is_text, lambda s: matrix.args("Tea")),
    "validation.check_date": Target(
        validation.check_date, lambda s: matrix.args(matrix.TODAY, "d")
    ),
    "validation.check_file_path": Target(
        validation.check_file_path, lambda s: matrix.args("a.csv")
    ),
    "validation.check_items": Target(
        validation.check_items, lambda s: matrix.args([1], "lines", "lines", max_items=5)
    ),
    "validation.clean_search": Target(validation.clean_search, lambda s: matrix.args("tea")),
    "validation.clean_text": Target(
        validation.clean_text, lambda s: matrix.args("Tea", "name", "name", max_length=20)
    ),
}

# Public names that take no input from a person: they run inside a unit of work a service has
# opened (a Session, Connection, ORM row or SQL expression comes in), make fresh ids, read a
# file the till itself wrote, back up the database file by its URL, or format and total amounts
# the services computed (checked where they came in), or join the staff names a service read,
# or lay out for a printer the receipts, slips and labels a service returned, or keep as JSON and
# price the lines of a cart a service has checked and held, or price, settle and audit a sale
# whose cart a service has checked.
# ``legacy_cents`` raises the importer's own skip-this-row signal, which ``import_legacy`` catches.
INTERNAL_ANNOTATIONS = (
    "Session",
    "Connection",
    "Transaction",
    "User",
    "Select",
    "ColumnElement",
    "SQLColumn",
)
NOT_INPUT = {
    "access.approval_claims",
    "access.approval_subject",
    "access.check_role",
    "access.hash_token",
    "access.check_approver",
    "access.pyjwt",
    "analytics_breakdowns.breakdown",
    "analytics_breakdowns.overall_figures",
    "analytics_breakdowns.report_names",
    "audit.changes",
    "backup.backup_sqlite",
    "backup.restore_sqlite",
    "checkout.new_sale_uuid",
    "context.retry_when_busy",
    "csv_files.source_name",
    "demo_catalog.demo_barcode",
    "demo_calendar.days_with_counts",
    "demo_calendar.sale_times",
    "demo_calendar.summer_of",
    "inventory.is_low_stock",
    "legacy_import.legacy_sale_uuid",
    "legacy_source.legacy_url",
    "legacy_source.read_legacy",
    "open_cart.journal_path",
    "open_cart.load",
    "open_cart.remove",
    "open_cart.save",
    "paging.check_sort",
    "product_queries.count_ceiling",
    "product_queries.like_escaped",
    "product_queries.name_contains",
    "product_queries.product_query",
    "product_queries.product_search",
    "refunds.new_refund_uuid",
    "rollups.category_set",
    "rollups.category_set_key",
    "rollups.category_set_row",
    "rollups.local_hours",
    "settlement.check_overrides_in_cart",
    "settlement.approve_overrides",
    "settlement.is_audited",
    "settlement.sale_tenders",
    "settlement.settlement_of",
    "sale_terms.whole_sale",
    "sale_terms.written_sale",
    "sale_terms.sellable_lines",
    "sale_terms.out_of_stock_lines",
    "sale_outcome.not_committed",
    "sale_outcome.found_after_a_lost_answer",
    "sale_memory.remember",
    "sale_memory.recall",
    "sale_memory.forget",
    "access.decode_token",
    "legacy_import.legacy_cents",
    "analytics.bucket_bounds",
    "barcodes.ean13_check_digit",
    "cart_lines.bad_quantity",
    "money.decimal_to_minor",
    "money.minor_to_decimal",
    "money.format_money",
    "money.format_plain",
    "payments.change_due",
    "settlement.priced_line",
    "tax.format_rate",
    "tax.tax_contained",
    "tax.tax_summary",
    "tax.taxed_line",
    "label_layout.encode",
    "label_layout.label_slip",
    "label_layout.shelf_labels",
    "receipts.full_name",
    "receipt_text.printer_test_slip",
    "receipt_text.rate_codes",
    "receipt_text.receipt_slip",
    "receipt_text.refund_slip",
    "receipt_text.zreport_slip",
    "slip_layout.columns_row",
    "slip_layout.fit",
    "slip_layout.pair",
    "slip_layout.setting_lines",
    "slip_layout.wrap",
    "till_promotions.forget_cached_promotions",
    "till_promotions.rule_of",
    "till_promotions.with_targets",
    "held_sale_json.approved_by_of",
    "held_sale_json.discount_json",
    "held_sale_json.held_line_json",
    "held_sale_json.held_lines_of",
    "held_sale_pricing.held_line_info",
    "held_sale_pricing.price_held_cart",
}


# Parameters the calling code sets, never a person: callbacks, a check's field name, label
# and bounds, and the product ids of a cart that purchase has already checked.
SET_BY_CODE = {
    "progress", "cancel", "field", "label", "minimum", "maximum", "max_length", "required",
    "multiline", "max_items", "cart",
}  # fmt: skip


def _with_actor(name: str) -> Target:
    entry = matrix.TABLE[name]

    def build(shop: matrix.Shop) -> Args:
        positional, keywords = entry.build(shop, shop.owner)
        return (shop.owner, *positional), keywords

    touch = FAILED_LOGIN if name == "auth.approve" else frozenset()
    return Target(entry.function, build, touch)


TARGETS: dict[str, Target] = {name: _with_actor(name) for name in matrix.TABLE} | WITHOUT_ACTOR


def public_functions() -> dict[str, Callable[..., Any]]:
    """Every public function a module of ``pos_app.services`` defines or re-exports from the
    domain (``tax.parse_tax_rate`` is known by its service name)."""
    found: dict[str, Callable[..., Any]] = {}
    for module_info in pkgutil.iter_modules(pos_app.services.__path__):
        module = importlib.import_module(f"pos_app.services.{module_info.name}")
        exported = getattr(module, "__all__", None)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            own = function.__module__ == module.__name__
            from_domain = function.__module__.startswith("pos_app.domain") and (
                exported is not None and name in exported
            )
            if not name.startswith("_") and (own or from_domain):
                found[f"{module_info.name}.{name}"] = function
    return found


def _internal(function: Callable[..., Any]) -> bool:
    return any(
        any(word in str(parameter.annotation) for word in INTERNAL_ANNOTATIONS)
        for parameter in inspect.signature(function).parameters.values()
    )


def test_every_public_service_function_gets_hostile_input() -> None:
    covered = {name.split("(")[0] for name in TARGETS}
    missing = sorted(
        name
        for name, function in public_functions().items()
        if name not in covered and name not in NOT_INPUT and not _internal(function)
    )
    assert missing == [], f"add these to WITHOUT_ACTOR in {__name__}: {missing}"
    assert all(TARGETS[name].function is matrix.TABLE[name].function for name in matrix.TABLE)


def dump_digest(engine: Engine, metadata: MetaData, skip: frozenset[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name in skip:
                continue
            digest.update(table.name.encode())
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@dataclass
class Backend:
    shop: matrix.Shop
    metadata: MetaData
    examples: int
    watcher: sqlite3.Connection | None  # SQLite: a connection of its own that sees commits

    def fingerprint(self, skip: frozenset[str] = frozenset()) -> str:
        """Equal before and after a call only if the call committed nothing (outside ``skip``).

        On SQLite ``PRAGMA data_version`` on another connection changes with every commit any
        other connection makes, which is stricter than comparing rows and far cheaper; where a
        refused call may change some tables, and on MariaDB, every other table is read.
        """
        if self.watcher is not None and not skip:
            return str(self.watcher.execute("PRAGMA data_version").fetchone()[0])
        return dump_digest(self.shop.ctx.database.engine, self.metadata, skip)


@pytest.fixture(scope="module", params=matrix.BACKENDS)
def backend(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    mysql_session_url: str | None,
) -> Iterator[Backend]:
    folder = tmp_path_factory.mktemp(f"hostile-{request.param}")
    # An export to a relative name such as "1e30" succeeds; it must land here, not in the repo.
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        yield from _backend(request.param, folder, sqlite_template, mysql_session_url)


def _backend(
    name: str, folder: Path, sqlite_template: Path, mysql_session_url: str | None
) -> Iterator[Backend]:
    shop = matrix.open_shop(name, folder, sqlite_template, mysql_session_url)
    auth.register_user(
        shop.ctx, shop.owner, email=DOOR, password=PASSWORD, first_name="D", last_name="Oor"
    )
    metadata = MetaData()
    metadata.reflect(shop.ctx.database.engine)
    started = time.perf_counter()
    if name == "sqlite":
        watcher = sqlite3.connect(folder / "till.sqlite3", isolation_level=None)
        yield Backend(shop, metadata, SQLITE_EXAMPLES, watcher)
        watcher.close()
    else:
        yield Backend(shop, metadata, MYSQL_EXAMPLES, None)
    STATS[f"seconds {name}"] += round(time.perf_counter() - started)
    shop.ctx.database.dispose()


def _short(value: Any) -> str:
    if isinstance(value, int) and abs(value) > 2**100:
        return "<huge int>"
    text = repr(value)
    return text if len(text) < 80 else text[:60] + f"...<{len(text)} chars>"


def _untyped(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"


def run_hostile(backend: Backend, name: str, data: st.DataObject) -> None:
    target = TARGETS[name]
    shop = backend.shop
    positional, keywords = target.build(shop)
    signature = inspect.signature(target.function)
    takes_ctx = next(iter(signature.parameters), None) == "ctx"
    lead = (shop.ctx,) if takes_ctx else ()
    bound = signature.bind_partial(*lead, *positional, **keywords)
    names = [n for n in signature.parameters if n != "ctx" and n not in SET_BY_CODE]
    if names:
        parameter = data.draw(st.sampled_from(names), label="parameter")
        default = signature.parameters[parameter].default
        valid = bound.arguments.get(
            parameter, None if default is inspect.Parameter.empty else default
        )
        bound.arguments[parameter] = data.draw(st.sampled_from(_mutations(valid)), label="value")
    before = backend.fingerprint(target.may_touch) if takes_ctx else ""
    STATS["examples"] += 1
    FUNCTIONS.add(name)
    try:
        target.function(*bound.args, **bound.kwargs)
    except PosError as error:
        assert str(error).strip(), "an error without a message"
        after = backend.fingerprint(target.may_touch) if takes_ctx else ""
        assert after == before, f"{name} was refused but changed the database"
    except Exception as error:
        STATS["untyped"] += 1
        shown = {k: _short(v) for k, v in bound.arguments.items() if k != "ctx"}
        raise AssertionError(
            f"{name}{shown} raised an untyped {_untyped(error)}: {error}"
        ) from error


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_call_succeeds_or_is_refused_cleanly(backend: Backend, name: str) -> None:
    @settings(
        max_examples=backend.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate),  # a failure names its value; shrinking is slow
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        run_hostile(backend, name, data)

    check()


@pytest.mark.parametrize("cell", range(6))
def test_hostile_cells_in_a_products_file_are_named_row_errors(backend: Backend, cell: int) -> None:
    columns = ["category", "sku", "barcode", "name", "price", "stock"]

    @settings(
        max_examples=backend.examples // 3 + 1,
        deadline=None,
        database=None,
        phases=(Phase.explicit, Phase.generate),
    )
    @given(value=st.sampled_from(CSV_CELLS))
    def check(value: str) -> None:
        cells = ["Hostile", f"HC-{next(matrix._serial)}", "", "Item", "1.00", "1"]
        cells[cell] = value
        source = io.StringIO(",".join(columns) + "\n" + ",".join(cells) + "\n")
        shop = backend.shop
        before = backend.fingerprint()
        STATS["examples"] += 1
        FUNCTIONS.add("product_csv.import_products(file)")
        try:
            result = product_csv.import_products(shop.ctx, shop.manager, source)
        except PosError:
            result = None
        except Exception as error:
            STATS["untyped"] += 1
            raise AssertionError(f"import raised an untyped {_untyped(error)}") from error
        if result is None or result.errors:
            after = backend.fingerprint()
            assert after == before

    check()
