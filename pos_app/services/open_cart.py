"""The cart being rung up, kept in a small file in the data dir so a crash never loses it.

The till writes the file on every change of the cart (to a temporary file, flushed, then renamed
over the old one, mode 0600) and removes it when the sale is paid, parked or voided. If the till
process dies or the computer loses power mid-sale, the next start on that till finds the file and
offers the cart back. The sale keeps its id, so a sale that did commit just before the crash is
found again instead of being sold twice.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class OpenCart:
    sale_uuid: str | None
    user_id: int
    user_name: str
    saved_at: datetime
    lines: tuple[OpenCartLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(
            line.quantity
            * (
                line.unit_price_cents
                if line.price_override_cents is None
                else line.price_override_cents
            )
            for line in self.lines
        )


def journal_path(data_dir: Path, till_id: str) -> Path:
    return Path(data_dir) / f"open-cart-{_UNSAFE.sub('_', till_id)}.json"


def save(path: Path, cart: OpenCart) -> None:
    """Replace the file atomically: a reader sees the old cart or the new one, never half."""
    payload = asdict(cart)
    payload["saved_at"] = cart.saved_at.isoformat()
    data = json.dumps(payload, ensure_ascii=False).encode()
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
    )


__all__ = ["OpenCart", "OpenCartLine", "journal_path", "load", "remove", "save"]
