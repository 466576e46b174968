"""What this till read for its recent sales, so that the next one can skip its read.

A sale reads its session's state and its products in one statement (see
:mod:`pos_app.db.sale_state`). The texts of that read are kept here, per database, per session
and till, and per product. A later sale of products all kept here sends a check that the
database still holds exactly these texts instead of the read, in the same round trip as its
stock takes and writes; if anything changed (a price, the account, the shift), the check fails,
nothing is written and the sale reads afresh, which keeps the new texts. What is kept here is
therefore only ever a guess that the database confirms.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from typing import TypeVar

from pos_app.db.engine import Database
from pos_app.db.sale_state import ReadTexts
from pos_app.services.context import ServiceContext

MAX_SESSIONS = 32
MAX_PRODUCTS = 20_000
K = TypeVar("K")


class _Memory:
    def __init__(self) -> None:
        self.states: OrderedDict[tuple[str, str], str] = OrderedDict()
        self.products: OrderedDict[int, str] = OrderedDict()


def remember(ctx: ServiceContext, token_hash: str, texts: ReadTexts) -> None:
    """Keep what a sale on this till, in the session of ``token_hash``, read."""
    with _lock:
        memory = _memories.setdefault(ctx.database, _Memory())
        _keep(memory.states, (token_hash, ctx.till_id), texts.state, MAX_SESSIONS)
        for product_id, text in texts.products.items():
            if product_id:  # not the row of no product
                _keep(memory.products, product_id, text, MAX_PRODUCTS)


def recall(ctx: ServiceContext, token_hash: str, product_ids: Iterable[int]) -> ReadTexts | None:
    """What a sale of ``product_ids`` on this till, in this session, would read, if all of it
    is kept here."""
    with _lock:
        memory = _memories.get(ctx.database)
        if memory is None:
            return None
        state = memory.states.get((token_hash, ctx.till_id))
        products = {product_id: memory.products.get(product_id) for product_id in product_ids}
    if state is None or not products:
        return None
    known = {product_id: text for product_id, text in products.items() if text is not None}
    if len(known) < len(products):
        return None
    return ReadTexts(state, known)


def forget(ctx: ServiceContext) -> None:
    """Keep nothing for this database any more."""
    with _lock:
        _memories.pop(ctx.database, None)


def _keep(kept: OrderedDict[K, str], key: K, text: str, limit: int) -> None:
    kept[key] = text
    kept.move_to_end(key)
    while len(kept) > limit:
        kept.popitem(last=False)


_memories: weakref.WeakKeyDictionary[Database, _Memory] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


__all__ = ["MAX_PRODUCTS", "MAX_SESSIONS", "forget", "recall", "remember"]
