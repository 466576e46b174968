"""Scanning the same product again in a sale needs no second lookup, and keeps what the till
has learnt since (a stock count)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from pos_app.services import product_lookup
from pos_app.services.roles import Role
from pos_app.ui.checkout import scan_flow
from pos_app.ui.session import UiSession
from tests.ui.till_helpers import open_checkout, scan

SessionFor = Callable[[Role], UiSession]


def test_a_product_scanned_again_is_not_looked_up_again(
    qtbot: QtBot, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = product_lookup.scan_or_only_match

    def counting(ctx: object, user: object, code: str) -> product_lookup.Scan:
        looked_up.append(code)
        return real(ctx, user, code)  # type: ignore[arg-type]

    monkeypatch.setattr(scan_flow.product_lookup, "scan_or_only_match", counting)
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    for code in ("COLA-330", "COLA-330", "WATER-500", "3*COLA-330"):
        scan(qtbot, screen, code)
    assert looked_up == ["COLA-330", "WATER-500"]
    assert [line.quantity for line in screen.cart_model.lines()] == [5, 1]
    assert screen.message_label.text() == "Added Cola 330 ml (quantity 5)."


def test_a_remembered_scan_keeps_the_stock_counted_since(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "COLA-330")
    product_id = screen.cart_model.line(0).product_id
    screen.cart_model.set_stock(product_id, 77)
    scan(qtbot, screen, "COLA-330")
    assert screen.cart_model.line(0).in_stock == 77


def test_remembered_scans_run_out_and_the_oldest_go_first() -> None:
    recent = scan_flow.RecentScans(size=2, seconds=60)
    first, second, third = (object() for _ in range(3))
    recent.put("a", first)  # type: ignore[arg-type]
    recent.put("b", second)  # type: ignore[arg-type]
    assert recent.get("a") is first
    recent.put("c", third)  # type: ignore[arg-type]
    assert (recent.get("b"), recent.get("a"), recent.get("c")) == (None, first, third)
    stale = scan_flow.RecentScans(seconds=-1)  # every entry already too old
    stale.put("a", first)  # type: ignore[arg-type]
    assert stale.get("a") is None
