"""ESC/POS output to a fake network printer: text, cut, drawer kick, codes; and failures."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from pos_app.hardware import escpos_output
from pos_app.hardware.connection import DeviceTarget, parse_printer_url
from pos_app.hardware.escpos_output import (
    PrinterFault,
    PrinterState,
    PrintJob,
    send_job,
    slip_bytes,
)
from pos_app.services.receipt_text import receipt_slip
from tests.hardware import samples
from tests.hardware.fake_printer import FakePrinter, closed_port, decode


@pytest.fixture
def printer(request: pytest.FixtureRequest) -> Iterator[FakePrinter]:
    fake = FakePrinter(getattr(request, "param", "ok"))
    yield fake
    fake.stop()


def _receipt_job(*, kick: bool = False, code: str = "CODE128") -> PrintJob:
    slip = receipt_slip(samples.receipt(), samples.layout(42, code=code))
    return PrintJob(1, "receipt R00000042", slip, kick=kick)


def test_receipt_reaches_the_printer_with_text_code_and_cut(printer: FakePrinter) -> None:
    send_job(parse_printer_url(printer.url), _receipt_job(), 2.0)
    decoded = printer.decoded()
    assert "Organic whole milk 1 l             €2.58 A" in decoded.lines
    assert "TOTAL                               €19.07" in decoded.lines
    assert decoded.barcodes == [("CODE128", "{BR00000042")]
    assert decoded.cuts == ["partial"]
    assert decoded.kicks == 0


def test_cash_sale_kicks_the_drawer_before_the_paper(printer: FakePrinter) -> None:
    send_job(parse_printer_url(printer.url), _receipt_job(kick=True), 2.0)
    assert printer.decoded().kicks == 1
    assert printer.jobs[0].startswith(b"\x1bp\x00")


def test_a_qr_code_carries_the_receipt_number() -> None:
    decoded = decode(slip_bytes(_receipt_job(code="QR")))
    assert decoded.qr_codes == ["R00000042"]


def test_a_refused_connection_is_an_offline_printer() -> None:
    target = DeviceTarget(kind="tcp", host="127.0.0.1", port=closed_port())
    with pytest.raises(PrinterFault) as caught:
        send_job(target, _receipt_job(), 1.0)
    assert caught.value.state is PrinterState.OFFLINE
    assert "cannot be reached" in caught.value.message


@pytest.mark.parametrize("printer", ["paper_out"], indirect=True)
def test_an_empty_roll_is_reported_and_nothing_is_printed(printer: FakePrinter) -> None:
    with pytest.raises(PrinterFault) as caught:
        send_job(parse_printer_url(printer.url), _receipt_job(), 1.0)
    assert caught.value.state is PrinterState.PAPER_OUT
    assert printer.decoded().lines == []


@pytest.mark.parametrize("printer", ["silent"], indirect=True)
def test_a_printer_that_never_answers_fails_within_the_timeout(printer: FakePrinter) -> None:
    started = time.monotonic()
    with pytest.raises(PrinterFault) as caught:
        send_job(parse_printer_url(printer.url), _receipt_job(), 0.5)
    assert caught.value.state is PrinterState.OFFLINE
    assert "does not answer" in caught.value.message
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("printer", ["disconnect"], indirect=True)
def test_a_printer_hanging_up_mid_job_fails_the_job(printer: FakePrinter) -> None:
    with pytest.raises(PrinterFault) as caught:
        send_job(parse_printer_url(printer.url), _receipt_job(), 1.0)
    assert caught.value.state is PrinterState.OFFLINE


def test_status_query_can_be_turned_off_for_printers_that_cannot_answer(
    printer: FakePrinter,
) -> None:
    printer.mode = "silent"
    send_job(parse_printer_url(printer.url + "?status=0"), _receipt_job(), 0.5)
    assert printer.decoded().cuts == ["partial"]


def test_a_device_file_printer_gets_the_same_bytes(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.touch()
    send_job(parse_printer_url(f"file://{device}"), _receipt_job(kick=True), 1.0)
    assert device.read_bytes() == slip_bytes(_receipt_job(kick=True))


def test_a_logo_is_printed_as_a_raster_image_and_a_broken_one_is_skipped(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("1", (120, 40), 0).save(logo)
    layout = replace(samples.layout(42), logo=str(logo))
    slip = receipt_slip(samples.receipt(), layout)
    assert decode(slip_bytes(PrintJob(1, "r", slip))).images == 1
    logo.write_bytes(b"not a picture")
    decoded = decode(slip_bytes(PrintJob(1, "r", slip)))
    assert decoded.images == 0 and decoded.cuts == ["partial"]


class _Unopenable:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def open(self) -> None:
        raise self.error

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (ValueError("No backend available"), "need libusb"),
        (PermissionError(13, "Permission denied"), "udev rule"),
        (OSError(19, "No such device"), "cannot be reached"),
    ],
)
def test_why_a_printer_cannot_be_opened_is_told_plainly(
    monkeypatch: pytest.MonkeyPatch, error: Exception, words: str
) -> None:
    monkeypatch.setattr(escpos_output, "escpos_device", lambda *_args: _Unopenable(error))
    with pytest.raises(PrinterFault) as caught:
        send_job(parse_printer_url("usb://0x04b8:0x0202"), _receipt_job(), 1.0)
    assert words in caught.value.message
