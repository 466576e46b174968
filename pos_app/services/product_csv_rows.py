"""Reading a products CSV: the header, each row's cells, and the checks across rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pos_app.domain.weights import SoldBy, check_sold_by, parse_weight
from pos_app.services.barcodes import normalize_barcode, normalize_sku
from pos_app.services.csv_files import RowError, unescape_cell
from pos_app.services.errors import PosError, ValidationError
from pos_app.services.money import parse_money
from pos_app.services.tax import parse_tax_rate, plain_rate
from pos_app.services.validation import clean_text

PRODUCT_COLUMNS = (
    "category", "sku", "barcode", "name", "price", "stock", "tax_rate", "sold_by", "scale_code"
)  # fmt: skip
# Files written before the tax rate, how a product is sold and its scale code were exported
# lack those columns; they still import, and what they leave out stays as stored.
OPTIONAL_COLUMNS = frozenset({"tax_rate", "sold_by", "scale_code"})
MAX_SCALE_CODE = 999_999
MAX_STOCK = 1_000_000_000


@dataclass(frozen=True)
class _ProductRow:
    line: int
    category: str
    sku: str
    name: str
    price: int
    barcode: str | None
    stock_text: str
    sold_by: SoldBy | None
    scale_code: int | None
    sets_scale_code: bool
    stock: int | None = None
    tax_rate: int | None = None


def _check_header(line: int, header: list[str]) -> tuple[list[str], list[RowError]]:
    columns = [cell.strip().lower() for cell in header]
    expected = ", ".join(PRODUCT_COLUMNS)
    errors = [
        RowError(line, name or "header", f"Unknown column '{name}'; expected {expected}.")
        for name in columns
        if name not in PRODUCT_COLUMNS
    ]
    for name in PRODUCT_COLUMNS:
        if columns.count(name) > 1:
            errors.append(RowError(line, name, f"The column '{name}' appears more than once."))
        elif name not in columns and name not in OPTIONAL_COLUMNS:
            errors.append(RowError(line, name, f"The column '{name}' is missing."))
    return columns, errors


def _parse_stock(text: str, sold_by: str) -> int | None:
    """Pieces as a whole number, or kilograms with up to three decimals when sold by weight."""
    if not text:
        return None
    if sold_by == SoldBy.WEIGHT:
        return parse_weight(text, "stock", allow_zero=True, maximum=MAX_STOCK)
    if not (text.isascii() and text.isdigit() and int(text) <= MAX_STOCK):
        raise ValidationError(f"Enter the stock as a whole number from 0 to {MAX_STOCK:,}.")
    return int(text)


def _parse_scale_code(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_SCALE_CODE):
        raise ValidationError(f"Enter the scale code as a number from 1 to {MAX_SCALE_CODE:,}.")
    return int(text)


def _parsers(currency: str) -> dict[str, Callable[[str], Any]]:
    """Each column's reader; a price is a plain decimal with a dot (machine-readable, the way
    exports write it) and at most the currency's decimals."""
    parsers = dict(_PARSERS)
    parsers["price"] = lambda v: parse_money(v.strip(), "price", currency)
    return parsers


_PARSERS: dict[str, Callable[[str], Any]] = {
    "category": lambda v: clean_text(v, "category", "category", max_length=200),
    "sku": normalize_sku,
    "name": lambda v: clean_text(v, "name", "product name", max_length=200),
    "price": lambda v: parse_money(v.strip(), "price"),
    "barcode": normalize_barcode,
    "stock_text": str.strip,
    "tax_rate": lambda v: parse_tax_rate(v, "tax_rate") if v.strip() else None,
    "sold_by": lambda v: check_sold_by(v) if v.strip() else None,
    "scale_code": _parse_scale_code,
}
_COLUMN_OF = {"stock_text": "stock"}


def _parse_row(
    line: int, columns: list[str], cells: list[str], currency: str = "EUR"
) -> tuple[_ProductRow | None, list[RowError]]:
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        message = f"This row has {len(cells)} fields but the header has {len(columns)}."
        return None, [RowError(line, "row", message)]
    values = {name: unescape_cell(cell) for name, cell in zip(columns, cells, strict=False)}
    clean: dict[str, Any] = {}
    errors: list[RowError] = []
    for name, parse in _parsers(currency).items():
        try:
            clean[name] = parse(values.get(_COLUMN_OF.get(name, name), ""))
        except PosError as exc:
            errors.append(RowError(line, name, exc.message))
    _precheck_stock(line, clean["stock_text"], clean.get("sold_by"), errors)
    if errors:
        return None, errors
    return _ProductRow(line=line, sets_scale_code="scale_code" in columns, **clean), []


def _precheck_stock(line: int, text: str, sold_by: SoldBy | None, errors: list[RowError]) -> None:
    """Report a stock no product could hold with the rest of the file's mistakes; the stock is
    read for good once it is known whether a stored product is sold by weight."""
    whole = text.isascii() and text.isdigit()
    try:
        _parse_stock(text, sold_by or (SoldBy.PIECE if whole else SoldBy.WEIGHT))
    except PosError as exc:
        errors.append(RowError(line, "stock", exc.message))


def _validate(
    records: list[tuple[int, list[str]]], currency: str = "EUR"
) -> tuple[list[_ProductRow], list[RowError]]:
    columns, errors = _check_header(*(records[0] if records else (1, [])))
    if errors:
        return [], errors
    rows: list[_ProductRow] = []
    seen: dict[tuple[str, str], int] = {}
    rates: dict[str, tuple[int, int]] = {}
    for line, cells in records[1:]:
        row, row_errors = _parse_row(line, columns, cells, currency)
        errors += row_errors
        if row is not None and row.tax_rate is not None:
            first_line, rate = rates.setdefault(row.category.lower(), (line, row.tax_rate))
            if rate != row.tax_rate:
                message = (
                    f"{row.category} has the tax rate {plain_rate(rate)} % on line "
                    f"{first_line}; one category has one rate."
                )
                errors.append(RowError(line, "tax_rate", message))
        codes = (
            ("sku", row and row.sku.lower()),
            ("barcode", row and row.barcode),
            ("scale_code", row and row.scale_code and str(row.scale_code)),
        )
        for name, code in codes:
            first = seen.setdefault((name, code), line) if code else line
            if first != line:
                errors.append(RowError(line, name, f"The same {name} is on line {first}."))
        rows += [row] if row else []
    return rows, errors
