"""The text layout of receipts, refund slips and Z reports in 32, 42 and 48 columns.

The expected files are what the paper shows; ``UPDATE_EXPECTED=1`` writes them anew after a
deliberate change of layout (then read the diff before committing).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pos_app.services.money import ShopFormat
from pos_app.services.receipt_text import (
    Code,
    Cut,
    Slip,
    TextLine,
    fit,
    pair,
    receipt_slip,
    refund_slip,
    setting_lines,
    wrap,
    zreport_slip,
)
from pos_app.ui.documents import zreport_html
from tests.hardware import samples

EXPECTED = Path(__file__).parent / "expected"
WIDTHS = (32, 42, 48)


def _check(slip: Slip, name: str) -> None:
    path = EXPECTED / name
    text = slip.plain_text()
    if os.environ.get("UPDATE_EXPECTED") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _widths_fit(slip: Slip, columns: int) -> None:
    for block in slip.blocks:
        if isinstance(block, TextLine):
            used = len(block.text) * (2 if block.large else 1)
            assert used <= columns, block.text


@pytest.mark.parametrize("columns", WIDTHS)
def test_receipt_matches_the_expected_paper(columns: int) -> None:
    slip = receipt_slip(samples.receipt(), samples.layout(columns))
    _widths_fit(slip, columns)
    _check(slip, f"receipt_{columns}.txt")


@pytest.mark.parametrize("columns", WIDTHS)
def test_refund_slip_matches_the_expected_paper(columns: int) -> None:
    slip = refund_slip(samples.refund(), samples.layout(columns), timezone=samples.ZONE)
    _widths_fit(slip, columns)
    _check(slip, f"refund_{columns}.txt")


@pytest.mark.parametrize("columns", WIDTHS)
def test_zreport_matches_the_expected_paper(columns: int) -> None:
    slip = zreport_slip(samples.zreport(), samples.layout(columns), timezone=samples.ZONE)
    _widths_fit(slip, columns)
    _check(slip, f"zreport_{columns}.txt")


def test_receipt_ends_with_its_number_as_a_code_then_the_cut() -> None:
    slip = receipt_slip(samples.receipt(), samples.layout(42, code="QR"))
    assert slip.blocks[-2] == Code("QR", "R00000042")
    assert slip.blocks[-1] == Cut(partial=True)


def test_a_reprint_says_copy() -> None:
    slip = receipt_slip(samples.receipt(), samples.layout(42), copy=True)
    assert any(line.strip() == "COPY" for line in slip.lines())


def test_total_is_bold_and_the_shop_name_large() -> None:
    blocks = receipt_slip(samples.receipt(), samples.layout(42)).blocks
    texts = [block for block in blocks if isinstance(block, TextLine)]
    assert texts[0] == TextLine("Corner Shop", bold=True, large=True, align="center")
    assert any(block.bold and block.text.startswith("TOTAL") for block in texts)


def test_zreport_lists_drawer_openings_and_the_no_sale_reason() -> None:
    lines = zreport_slip(samples.zreport(), samples.layout(42), timezone=samples.ZONE).lines()
    assert any(line.startswith("Drawer openings") and line.endswith("3") for line in lines)
    assert any("12:15 Max Manager" in line for line in lines)
    assert any("Change for a 50 note" in line for line in lines)


def test_layout_helpers_cut_and_pad_to_the_width() -> None:
    assert pair("Apples", "€1.00", 16) == "Apples     €1.00"
    assert pair("A very long product name", "€1.00", 16) == "A very lo… €1.00"
    assert fit("abcdef", 4) == "abc…"
    assert wrap("one two three", 7) == ["one two", "three"]
    assert setting_lines("a| b |\nc") == ["a", "b", "c"]


def test_the_html_z_report_shows_the_drawer_openings_too() -> None:
    html = zreport_html(
        samples.zreport(), ShopFormat(), shop_name="Corner Shop", timezone=samples.ZONE
    )
    assert "Drawer openings" in html and "Change for a 50 note" in html
