"""``pos-app print-test``: a test receipt to a (fake) network printer from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import assert_one_line_error, run
from tests.hardware.fake_printer import FakePrinter, closed_port


def test_prints_a_test_receipt_and_kicks_the_drawer(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_PRINTER_COLUMNS", "32")
    printer = FakePrinter()
    try:
        code, out, _err = run(capsys, "print-test", "--printer", printer.url, "--drawer")
        decoded = printer.decoded()
    finally:
        printer.stop()
    assert code == 0
    assert "Test receipt sent to 127.0.0.1" in out and "32 columns" in out
    assert "12345678901234567890123456789012" in decoded.lines
    assert decoded.kicks == 1 and decoded.cuts == ["partial"]
    assert decoded.barcodes == [("CODE128", "{BTEST-0001")]


def test_uses_the_configured_printer(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    printer = FakePrinter()
    monkeypatch.setenv("POS_RECEIPT_PRINTER", printer.url)
    monkeypatch.setenv("POS_RECEIPT_CODE", "qr")
    try:
        code, _out, _err = run(capsys, "print-test")
        decoded = printer.decoded()
    finally:
        printer.stop()
    assert code == 0
    assert decoded.kicks == 0 and decoded.qr_codes == ["TEST-0001"]


def test_an_unreachable_printer_is_one_sentence(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"tcp://127.0.0.1:{closed_port()}"
    result = run(capsys, "print-test", "--printer", url)
    assert_one_line_error(result, 1, "cannot be reached")


@pytest.mark.parametrize(
    ("url", "words"),
    [("lpt1", "not a printer address"), ("usb://epson", "hex"), ("system", "ESC/POS")],
)
def test_a_bad_or_non_escpos_printer_is_refused(
    env: Path, capsys: pytest.CaptureFixture[str], url: str, words: str
) -> None:
    assert_one_line_error(run(capsys, "print-test", "--printer", url), 1, words)


def test_a_bad_setting_names_itself(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_PRINTER_COLUMNS", "40")
    assert_one_line_error(run(capsys, "print-test"), 1, "POS_PRINTER_COLUMNS")
