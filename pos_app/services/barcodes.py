"""Product codes under their service name; the rules are in :mod:`pos_app.domain.barcodes`."""

from __future__ import annotations

from pos_app.domain.barcodes import (
    BAD_BARCODE,
    BAD_SKU,
    MAX_SKU_LENGTH,
    ean13_check_digit,
    is_valid_gtin,
    normalize_barcode,
    normalize_sku,
)

__all__ = [
    "BAD_BARCODE",
    "BAD_SKU",
    "MAX_SKU_LENGTH",
    "ean13_check_digit",
    "is_valid_gtin",
    "normalize_barcode",
    "normalize_sku",
]
