"""Shelf labels: what each label says and the bars of its code, for a PDF sheet or a receipt
printer. Plain data, no Qt and no I/O.

A product with a valid EAN-13 gets its EAN-13 (the bars come from python-barcode's encoding);
any other barcode, or the SKU when there is none, is set as Code 128 so the label still scans.
Prices per kilogram are not printed: the catalog has no products sold by weight.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pos_app.domain.weights import format_price_per_kg
from pos_app.services.barcodes import is_valid_gtin
from pos_app.services.errors import ValidationError
from pos_app.services.money import format_money
from pos_app.services.product_queries import ProductInfo
from pos_app.services.slip_layout import Code, Cut, Slip, SlipLayout, TextLine, fit, wrap

EAN13 = "EAN-13"
CODE128 = "Code 128"
MAX_COPIES = 99
MAX_LABELS = 2000


@dataclass(frozen=True)
class ShelfLabel:
    product_id: int
    name: str
    price: str
    code: str  # the digits or text under the bars
    symbology: str  # EAN13 or CODE128
    modules: str  # '1' a bar module, '0' a space, left to right

    @property
    def guard_positions(self) -> frozenset[int]:
        """EAN-13 guard bars (start, centre, end) reach lower than the others."""
        if self.symbology != EAN13:
            return frozenset()
        return frozenset((0, 2, 46, 48, 92, 94))


def encode(product: ProductInfo) -> tuple[str, str, str]:
    """(text under the bars, symbology, modules) for a product."""
    barcode = (product.barcode or "").strip()
    if len(barcode) == 13 and is_valid_gtin(barcode):
        return barcode, EAN13, _modules("ean13", barcode)
    text = barcode or product.sku
    from barcode.errors import BarcodeError

    try:
        return text, CODE128, _modules("code128", text)
    except BarcodeError as exc:
        raise ValidationError(f"{product.name}: '{text}' cannot be set as a barcode.") from exc


def _modules(kind: str, text: str) -> str:
    # Imported here: the catalog screen loads this module at start-up, labels are rare.
    from barcode import get_barcode_class

    built: list[str] = get_barcode_class(kind)(text).build()
    return "".join(built)


def shelf_labels(
    products: Iterable[tuple[ProductInfo, int]], currency: str, locale: str = "en_US"
) -> list[ShelfLabel]:
    """One label per copy asked for each product, in the order given."""
    labels: list[ShelfLabel] = []
    for product, copies in products:
        if isinstance(copies, bool) or not isinstance(copies, int) or not 0 <= copies <= MAX_COPIES:
            raise ValidationError(f"Print between 0 and {MAX_COPIES} labels of a product.")
        code, symbology, modules = encode(product)
        label = ShelfLabel(
            product.id,
            product.name,
            _shelf_price(product, currency, locale),
            code,
            symbology,
            modules,
        )
        labels.extend([label] * copies)
    if not labels:
        raise ValidationError("Choose at least one label to print.")
    if len(labels) > MAX_LABELS:
        raise ValidationError(f"Print at most {MAX_LABELS} labels at once.")
    return labels


def _shelf_price(product: ProductInfo, currency: str, locale: str) -> str:
    """The price a shelf shows: per kg for goods sold by weight, per piece otherwise."""
    if product.is_weighed:
        return format_price_per_kg(product.price_cents, currency, locale)
    return format_money(product.price_cents, currency, locale)


def label_slip(labels: Iterable[ShelfLabel], layout: SlipLayout) -> Slip:
    """Labels one after another on a receipt roll, each cut off on its own."""
    blocks: list[TextLine | Code | Cut] = []
    width = layout.columns
    for label in labels:
        for line in wrap(label.name, width)[:2]:
            blocks.append(TextLine(line, bold=True, align="center"))
        blocks.append(TextLine(fit(label.price, width // 2), large=True, align="center"))
        blocks.append(Code("EAN13" if label.symbology == EAN13 else "CODE128", label.code))
        blocks.append(Cut(partial=layout.partial_cut))
    return Slip("shelf labels", tuple(blocks), width)


__all__ = [
    "CODE128",
    "EAN13",
    "ShelfLabel",
    "encode",
    "label_slip",
    "shelf_labels",
]
