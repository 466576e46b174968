"""The open cart's file: written atomically with mode 0600, read back, gone once settled."""

from __future__ import annotations

import json
import os
import stat
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.services import open_cart
from pos_app.services.access import PRICE_APPROVAL, ApprovalToken
from pos_app.services.open_cart import OpenCart, OpenCartLine
from pos_app.services.roles import Role, UserInfo

CART = OpenCart(
    sale_uuid="6f1c3a52-5d0e-4c59-9a0b-1c2d3e4f5a6b",
    user_id=3,
    user_name="Cara Cashier",
    saved_at=datetime(2026, 3, 10, 14, 30, tzinfo=UTC),
    lines=(OpenCartLine(7, "Cola", 2, 150), OpenCartLine(9, "Wine", 1, 1250, 999)),
)


def test_a_saved_cart_reads_back_the_same_and_only_its_owner_can_read_it(tmp_path: Path) -> None:
    path = open_cart.journal_path(tmp_path, "till 1/../x")
    assert path.parent == tmp_path and "/" not in path.name[len("open-cart-") :]
    open_cart.save(path, CART)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert open_cart.load(path) == CART
    assert CART.total_cents == 2 * 150 + 999
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    open_cart.remove(path)
    assert open_cart.load(path) is None
    open_cart.remove(path)  # removing twice is fine


def test_a_failed_write_leaves_the_previous_cart_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "open-cart-till.json"
    open_cart.save(path, CART)

    def broken_replace(source: str, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        open_cart.save(path, OpenCart(None, 3, "Cara", CART.saved_at, CART.lines[:1]))
    monkeypatch.undo()
    assert open_cart.load(path) == CART
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_damaged_file_is_no_cart(tmp_path: Path) -> None:
    path = tmp_path / "open-cart-till.json"
    path.write_text('{"lines": [{"product_id": "x"')
    assert open_cart.load(path) is None


def test_the_writer_keeps_the_newest_cart_off_the_callers_thread_and_removes_it_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "open-cart-till.json"
    writer = open_cart.JournalWriter(path)
    release = threading.Event()
    real_save = open_cart.save
    written: list[int] = []

    def slow_save(target: Path, cart: OpenCart) -> None:
        release.wait(5)  # the disk is slow: the caller must not wait for it
        written.append(len(cart.lines))
        real_save(target, cart)

    monkeypatch.setattr(open_cart, "save", slow_save)
    writer.keep(replace(CART, lines=CART.lines[:1]))
    writer.keep(CART)  # newer: the writer may skip the older state, never end on it
    assert not writer.flush(timeout=0.05)
    release.set()
    assert writer.flush(timeout=5)
    assert open_cart.load(path) == CART and written[-1] == 2
    writer.keep(None)
    assert writer.flush(timeout=5) and not path.exists()
    assert writer.take_error() is None


def test_a_failed_write_is_reported_once_and_the_next_one_tries_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "open-cart-till.json"
    writer = open_cart.JournalWriter(path)

    def full_disk(target: Path, cart: OpenCart) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(open_cart, "save", full_disk)
    writer.keep(CART)
    assert writer.flush(timeout=5)
    error = writer.take_error()
    assert isinstance(error, OSError) and writer.take_error() is None
    monkeypatch.undo()
    writer.keep(CART)
    assert writer.flush(timeout=5) and open_cart.load(path) == CART


def test_discounts_their_approvers_and_the_signed_approvals_are_kept(tmp_path: Path) -> None:
    manager = UserInfo(5, "max@shop.example", "Max", "Manager", Role.MANAGER, True)
    approval = ApprovalToken(
        "signed", manager, PRICE_APPROVAL, datetime(2026, 3, 10, 14, 32, tzinfo=UTC)
    )
    dented = Discount(DiscountKind.PERCENT, 500, "Dented", approver_id=5)
    cart = replace(
        CART,
        lines=(
            OpenCartLine(7, "Cola", 2, 150, discount=dented),
            OpenCartLine(9, "Wine", 1, 1250, 999, override_approver_id=5),
        ),
        cart_discount=Discount(DiscountKind.AMOUNT, 200, "Staff", approver_id=5),
        approvals=(approval,),
    )
    path = tmp_path / "cart.json"
    open_cart.save(path, cart)
    assert open_cart.load(path) == cart


def test_a_damaged_discount_or_approval_is_left_out_and_the_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "cart.json"
    open_cart.save(path, CART)
    stored = json.loads(path.read_text())
    stored["lines"][0]["discount"] = {"kind": "percent", "value": 999999, "reason": "x"}
    stored["cart_discount"] = "ten percent"
    stored["approvals"] = [{"token": "t", "approver": {"id": "x"}}, 7]
    path.write_text(json.dumps(stored))
    loaded = open_cart.load(path)
    assert loaded is not None and loaded.lines == CART.lines
    assert (loaded.cart_discount, loaded.approvals) == (None, ())


def test_the_writer_builds_the_cart_on_its_own_thread(tmp_path: Path) -> None:
    writer = open_cart.JournalWriter(tmp_path / "cart.json")
    built_on: list[str] = []

    def build() -> OpenCart:
        built_on.append(threading.current_thread().name)
        return CART

    writer.keep(build)
    assert writer.flush(5)
    assert open_cart.load(writer.path) == CART
    assert built_on == ["open-cart-writer"]


@pytest.mark.parametrize("damaged", [True, -1, "270", 10**12, 2.5])
def test_the_total_the_till_showed_is_kept_and_a_damaged_one_falls_back_to_the_lines(
    tmp_path: Path, damaged: object
) -> None:
    path = open_cart.journal_path(tmp_path, "till-1")
    shown = replace(CART, shown_total_cents=1100)
    open_cart.save(path, shown)
    assert open_cart.load(path) == shown and shown.total_cents == 1100

    raw = json.loads(path.read_text())
    raw["shown_total_cents"] = damaged
    path.write_text(json.dumps(raw))
    kept = open_cart.load(path)
    assert kept is not None and kept.shown_total_cents is None
    assert kept.total_cents == 2 * 150 + 999
