"""The cart being rung up, kept in a small file in the data dir so a crash never loses it.

The till writes the file on every change of the cart (to a temporary file, flushed, then renamed
over the old one, mode 0600) and removes it when the sale is paid, parked or voided. If the till
process dies or the computer loses power mid-sale, the next start on that till finds the file and
offers the cart back. The sale keeps its id, so a sale that did commit just before the crash is
found again instead of being sold twice.

The till hands each new state of the cart to a ``JournalWriter``, which writes it on a thread of
its own: the flush to disk costs milliseconds that a scan should not wait for. The newest state
wins, and the file on disk is always a whole cart (the previous one until the new one is flushed).

The file keeps the lines' and the cart's manual discounts, the id of whoever approved each changed
price and discount, and the signed approvals the till held (each valid for two minutes and for
this cashier only, so a till back within that time needs no new approval).
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pos_app.domain.discounts import Discount, make_discount
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MAX_CENTS
from pos_app.domain.weights import line_amount_cents
from pos_app.services.access import ApprovalToken
from pos_app.services.roles import Role, UserInfo

log = logging.getLogger(__name__)
MAX_LINES = 500
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class OpenCartLine:
    product_id: int
    name: str
    quantity: int
    unit_price_cents: int
    price_override_cents: int | None = None
    sold_by: str = "piece"  # 'weight': the quantity is grams, the price per kg
    label_price_cents: int | None = None  # a scale label's price for all of those grams
    discount: Discount | None = None
    override_approver_id: int | None = None

    @property
    def total_cents(self) -> int:
        price = (
            self.unit_price_cents
            if self.price_override_cents is None
            else (self.price_override_cents)
        )
        if self.label_price_cents is not None:
            return self.label_price_cents
        if self.sold_by == "weight":
            return line_amount_cents(price, self.quantity)
        return self.quantity * price


@dataclass(frozen=True)
class OpenCart:
    sale_uuid: str | None
    user_id: int
    user_name: str
    saved_at: datetime
    lines: tuple[OpenCartLine, ...]
    cart_discount: Discount | None = None
    approvals: tuple[ApprovalToken, ...] = ()
    # What the till showed as the total, after promotions and discounts (None in older files).
    shown_total_cents: int | None = None

    @property
    def total_cents(self) -> int:
        """The total the cashier last saw, else the lines at their prices."""
        if self.shown_total_cents is not None:
            return self.shown_total_cents
        return sum(line.total_cents for line in self.lines)


def journal_path(data_dir: Path, till_id: str) -> Path:
    return Path(data_dir) / f"open-cart-{_UNSAFE.sub('_', till_id)}.json"


def _payload(cart: OpenCart) -> dict[str, Any]:
    return {
        "sale_uuid": cart.sale_uuid,
        "user_id": cart.user_id,
        "user_name": cart.user_name,
        "saved_at": cart.saved_at.isoformat(),
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "price_override_cents": line.price_override_cents,
                "sold_by": line.sold_by,
                "label_price_cents": line.label_price_cents,
                "discount": _discount_json(line.discount),
                "override_approver_id": line.override_approver_id,
            }
            for line in cart.lines
        ],
        "cart_discount": _discount_json(cart.cart_discount),
        "approvals": [_approval_json(approval) for approval in cart.approvals],
        "shown_total_cents": cart.shown_total_cents,
    }


def _discount_json(discount: Discount | None) -> dict[str, Any] | None:
    if discount is None:
        return None
    return {
        "kind": discount.kind.value,
        "value": discount.value,
        "reason": discount.reason,
        "approver_id": discount.approver_id,
    }


def _approval_json(approval: ApprovalToken) -> dict[str, Any]:
    person = approval.approver
    expires = approval.expires_at
    return {
        "token": approval.token,
        "action": approval.action,
        "expires_at": None if expires is None else expires.isoformat(),
        "approver": {
            "id": person.id,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "role": person.role.value,
        },
    }


def save(path: Path, cart: OpenCart) -> None:
    """Replace the file atomically: a reader sees the old cart or the new one, never half."""
    data = json.dumps(_payload(cart), ensure_ascii=False).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".open-cart-", dir=path.parent)
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, data)
        os.fsync(handle)
    finally:
        os.close(handle)
    try:
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)


Snapshot = OpenCart | Callable[[], OpenCart] | None


class JournalWriter:
    """Keeps ``path`` in step with the cart from a thread of its own; the newest request wins.

    ``keep(cart)`` (or ``keep(None)`` to remove the file) returns at once; ``cart`` may be a
    function that builds the cart on the writer's thread. ``flush`` waits until the file shows
    the last request. A failed write is kept for ``take_error``, and the next request tries
    again. The thread waits ``IDLE_SECONDS`` for the next change before it ends, so a scan
    seldom pays for starting one.
    """

    IDLE_SECONDS = 30.0

    def __init__(self, path: Path) -> None:
        self.path = path
        self._changed = threading.Condition()
        self._wanted: Snapshot = None
        self._pending = False
        self._writing = False
        self._error: OSError | None = None
        self._thread: threading.Thread | None = None

    def keep(self, cart: Snapshot) -> None:
        with self._changed:
            self._wanted, self._pending = cart, True
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="open-cart-writer", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until the last request is on disk (or failed); False if ``timeout`` ran out."""
        with self._changed:
            return self._changed.wait_for(
                lambda: not self._pending and not self._writing, timeout=timeout
            )

    def take_error(self) -> OSError | None:
        """The last write's failure, once (None when it succeeded)."""
        with self._changed:
            error, self._error = self._error, None
            return error

    def _run(self) -> None:
        while True:
            with self._changed:
                if not self._changed.wait_for(lambda: self._pending, self.IDLE_SECONDS):
                    self._thread = None  # idle: the next request starts a thread
                    return
                wanted, self._pending, self._writing = self._wanted, False, True
            error = self._write(wanted)
            with self._changed:
                self._writing = False
                self._error = error
                self._changed.notify_all()

    def _write(self, wanted: Snapshot) -> OSError | None:
        try:
            cart = wanted() if callable(wanted) else wanted
        except Exception:  # a snapshot that cannot be built must not stop the writer
            log.exception("the cart could not be put in the file")
            return None
        try:
            if cart is None:
                remove(self.path)
            else:
                save(self.path, cart)
        except OSError as error:
            log.warning("the cart could not be kept in %s: %s", self.path, error)
            return error
        return None


def load(path: Path) -> OpenCart | None:
    """The cart left in the file, or None when there is none (or it cannot be read)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return _parse(raw)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as error:
        log.warning("the unfinished cart in %s cannot be read: %s", path, error)
        return None


def _parse(raw: dict[str, Any]) -> OpenCart | None:
    lines = tuple(
        OpenCartLine(
            product_id=int(line["product_id"]),
            name=str(line["name"]),
            quantity=int(line["quantity"]),
            unit_price_cents=int(line["unit_price_cents"]),
            price_override_cents=None
            if line.get("price_override_cents") is None
            else int(line["price_override_cents"]),
            sold_by="weight" if line.get("sold_by") == "weight" else "piece",
            label_price_cents=None
            if line.get("label_price_cents") is None
            else int(line["label_price_cents"]),
            discount=_discount_of(line.get("discount")),
            override_approver_id=_id_or_none(line.get("override_approver_id")),
        )
        for line in raw["lines"][:MAX_LINES]
    )
    if not lines:
        return None
    uuid = raw.get("sale_uuid")
    return OpenCart(
        sale_uuid=str(uuid) if uuid else None,
        user_id=int(raw["user_id"]),
        user_name=str(raw["user_name"]),
        saved_at=datetime.fromisoformat(str(raw["saved_at"])),
        lines=lines,
        cart_discount=_discount_of(raw.get("cart_discount")),
        approvals=tuple(
            approval
            for item in raw.get("approvals") or ()
            if (approval := _approval_of(item)) is not None
        ),
        shown_total_cents=_amount_or_none(raw.get("shown_total_cents")),
    )


def _amount_or_none(raw: object) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= MAX_CENTS:
        return raw
    return None


def _id_or_none(raw: object) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0 else None


def _discount_of(raw: object) -> Discount | None:
    """The discount as the file has it, checked again; a damaged one is left out."""
    if not isinstance(raw, dict):
        return None
    try:
        discount = make_discount(raw.get("kind"), raw.get("value"), raw.get("reason"))
    except ValidationError:
        log.warning("a discount in the unfinished cart cannot be read: %r", raw)
        return None
    return discount.approved_by(_id_or_none(raw.get("approver_id")))


def _approval_of(raw: object) -> ApprovalToken | None:
    """A signed approval the till held; the services check its signature when it is used."""
    if not isinstance(raw, dict):
        return None
    try:
        person = raw["approver"]
        expires = raw.get("expires_at")
        return ApprovalToken(
            token=str(raw["token"]),
            approver=UserInfo(
                id=int(person["id"]),
                email=str(person["email"]),
                first_name=str(person["first_name"]),
                last_name=str(person["last_name"]),
                role=Role(person["role"]),
                is_active=True,
            ),
            action=str(raw["action"]),
            expires_at=None if expires is None else datetime.fromisoformat(str(expires)),
        )
    except (TypeError, ValueError, KeyError, AttributeError):
        log.warning("an approval in the unfinished cart cannot be read")
        return None


__all__ = ["JournalWriter", "OpenCart", "OpenCartLine", "journal_path", "load", "remove", "save"]
