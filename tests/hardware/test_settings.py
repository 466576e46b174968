"""The hardware settings: printer addresses, paper width, codes, cut and displays."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.config import ConfigError, load_settings
from pos_app.hardware.connection import DeviceTarget, parse_printer_url


def _load(tmp_path: Path, **values: str):  # type: ignore[no-untyped-def]
    env = {"POS_DATA_DIR": str(tmp_path), "POS_TIMEZONE": "UTC", **values}
    return load_settings(env, dotenv_path=tmp_path / "missing.env")


def test_defaults_keep_the_system_printer_and_42_columns(tmp_path: Path) -> None:
    settings = _load(tmp_path)
    assert settings.receipt_printer == "system"
    assert settings.printer_columns == 42
    assert settings.receipt_code == "code128" and settings.printer_cut == "partial"
    assert not settings.customer_display and settings.pole_display == ""


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("tcp://192.168.1.50:9100", DeviceTarget("tcp", host="192.168.1.50", port=9100)),
        ("tcp://printer.local", DeviceTarget("tcp", host="printer.local", port=9100)),
        ("usb://0x04b8:0x0202", DeviceTarget("usb", vendor_id=0x04B8, product_id=0x0202)),
        (
            "serial:///dev/ttyUSB0?baudrate=9600",
            DeviceTarget("serial", path="/dev/ttyUSB0", baudrate=9600),
        ),
        ("file:///dev/usb/lp0", DeviceTarget("file", path="/dev/usb/lp0")),
        ("tcp://10.0.0.9:9100?status=0", DeviceTarget("tcp", host="10.0.0.9", query_status=False)),
        ("PDF", DeviceTarget("pdf")),
    ],
)
def test_printer_addresses_are_understood(url: str, target: DeviceTarget) -> None:
    assert parse_printer_url(url) == target


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("POS_RECEIPT_PRINTER", "lp0", "not a printer address"),
        ("POS_RECEIPT_PRINTER", "tcp://:9100", "names no host"),
        ("POS_RECEIPT_PRINTER", "tcp://host:99999", "port"),
        ("POS_RECEIPT_PRINTER", "usb://04b8", "hex"),
        ("POS_RECEIPT_PRINTER", "serial://dev/ttyUSB0", "three slashes"),
        ("POS_RECEIPT_PRINTER", "serial:///dev/ttyUSB0?baudrate=12345", "baud rate"),
        ("POS_PRINTER_COLUMNS", "40", "58 mm"),
        ("POS_RECEIPT_CODE", "pdf417", "code128, qr"),
        ("POS_PRINTER_CUT", "half", "partial, full"),
        ("POS_CUSTOMER_DISPLAY", "maybe", "neither 1"),
        ("POS_POLE_DISPLAY", "tcp://10.0.0.2:9100", "serial port"),
    ],
)
def test_a_bad_hardware_setting_names_itself(
    tmp_path: Path, name: str, value: str, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, **{name: value})
    assert str(caught.value).startswith(name) and words in str(caught.value)


def test_the_settings_file_may_name_the_printer(tmp_path: Path) -> None:
    settings_file = tmp_path / "till.toml"
    settings_file.write_text(
        'receipt_printer = "tcp://10.0.0.5:9100"\nprinter_columns = 32\nreceipt_code = "qr"\n',
        encoding="utf-8",
    )
    settings = _load(tmp_path, POS_SETTINGS_FILE=str(settings_file))
    assert settings.receipt_printer == "tcp://10.0.0.5:9100"
    assert settings.printer_columns == 32 and settings.receipt_code == "qr"
