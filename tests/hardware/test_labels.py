"""Shelf label content and codes: EAN-13 from a valid barcode, Code 128 otherwise."""

from __future__ import annotations

import pytest

from pos_app.hardware.escpos_output import PrintJob, slip_bytes
from pos_app.services.errors import ValidationError
from pos_app.services.label_layout import CODE128, EAN13, encode, label_slip, shelf_labels
from pos_app.services.product_queries import ProductInfo
from pos_app.services.receipt_text import SlipLayout
from tests.hardware.fake_printer import decode


def product(barcode: str | None, sku: str = "COLA-330", price: int = 150) -> ProductInfo:
    return ProductInfo(1, "Cola 330 ml", "", 1, "Drinks", sku, barcode, price, True, 5)


def test_a_valid_ean13_is_drawn_as_ean13_with_95_modules() -> None:
    code, symbology, modules = encode(product("4006381333931"))
    assert (code, symbology) == ("4006381333931", EAN13)
    assert len(modules) == 95
    assert modules.startswith("101") and modules.endswith("101")
    assert modules[45:50] == "01010"  # the centre guard


def test_other_barcodes_and_the_sku_fall_back_to_code128() -> None:
    assert encode(product("12345670"))[:2] == ("12345670", CODE128)
    assert encode(product(None))[:2] == ("COLA-330", CODE128)
    assert encode(product("4006381333932"))[1] == CODE128  # wrong check digit


def test_copies_repeat_labels_and_bad_counts_are_refused() -> None:
    labels = shelf_labels([(product("4006381333931"), 3), (product(None), 0)], "EUR")
    assert [label.price for label in labels] == ["€1.50"] * 3
    with pytest.raises(ValidationError, match="at least one"):
        shelf_labels([(product(None), 0)], "EUR")
    with pytest.raises(ValidationError, match="between 0 and 99"):
        shelf_labels([(product(None), 100)], "EUR")


def test_a_weighed_product_is_labelled_with_its_price_per_kg() -> None:
    cheese = ProductInfo(
        2, "Gouda", "", 1, "Cheese", "GOUDA", None, 1290, True, 5000, sold_by="weight"
    )
    labels = shelf_labels([(cheese, 1), (product(None), 1)], "EUR")
    assert [label.price for label in labels] == ["€12.90/kg", "€1.50"]
    german = shelf_labels([(cheese, 1)], "EUR", "de_DE")
    assert german[0].price == "12,90\xa0€/kg"


def test_labels_on_the_receipt_printer_carry_name_price_code_and_a_cut_each() -> None:
    labels = shelf_labels([(product("4006381333931"), 1), (product(None), 1)], "EUR")
    slip = label_slip(labels, SlipLayout(columns=32))
    decoded = decode(slip_bytes(PrintJob(1, "labels", slip)))
    assert decoded.lines.count("Cola 330 ml") == 2
    assert decoded.barcodes == [("EAN13", "4006381333931"), ("CODE128", "{BCOLA-330")]
    assert decoded.cuts == ["partial", "partial"]
