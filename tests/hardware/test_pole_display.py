"""The pole display: two lines of 20 characters, only the newest text is sent."""

from __future__ import annotations

import threading

from pos_app.hardware.connection import parse_display_url
from pos_app.hardware.pole_display import PoleDisplay, display_bytes, two_lines


def test_lines_are_cut_and_padded_to_twenty_characters() -> None:
    top, bottom = two_lines("Extra virgin olive oil 750 ml", "TOTAL €12.99")
    assert top == "Extra virgin olive o" and bottom == "TOTAL €12.99".ljust(20)
    data = display_bytes("A", "B")
    assert data.startswith(b"\x1b@\x1bt\x13\x0c\x0b") and len(data) == 7 + 40


def test_change_is_shown_and_a_dead_port_never_raises() -> None:
    sent: list[bytes] = []
    arrived = threading.Event()

    def writer(data: bytes) -> None:
        sent.append(data)
        arrived.set()
        raise OSError("unplugged")

    display = PoleDisplay(parse_display_url("serial:///dev/ttyUSB1"), writer=writer)
    try:
        display.show_change(1907, 93, lambda cents: f"€{cents / 100:.2f}")
        assert arrived.wait(2)
    finally:
        display.stop()
    assert sent[-1][7:].decode("cp858") == "TOTAL         €19.07CHANGE         €0.93"
