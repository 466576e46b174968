"""A till process that sends the sale or refund the parent names, at the parent's signal.

``python -m tests.concurrency.sameid URL TILL_ID`` prints ``ready``, then for each line
``sale UUID PRODUCT_ID QUANTITY`` or ``refund UUID SALE_ID ITEM_ID QUANTITY`` on stdin sends that
purchase or refund at once and prints one JSON line: the id it was answered with, or the error.
"""

from __future__ import annotations

import json
import sys

from pos_app.services import checkout, refunds
from pos_app.services.errors import PosError
from tests.concurrency.tillproc import Till


def answer(till: Till, command: list[str]) -> dict[str, object]:
    try:
        if command[0] == "sale":
            line = checkout.PurchaseLine(product_id=int(command[2]), quantity=int(command[3]))
            result = checkout.purchase(till.ctx, till.cashier, [line], sale_uuid=command[1])
            return {"committed": result.committed, "id": result.sale_id}
        item = (int(command[3]), int(command[4]))
        info = refunds.refund(
            till.ctx,
            till.cashier,
            int(command[2]),
            [item],
            reason="Changed mind",
            refund_uuid=command[1],
        )
        return {"committed": True, "id": info.id}
    except PosError as exc:
        return {"committed": False, "id": None, "error": f"{type(exc).__name__}: {exc}"}


def main(argv: list[str]) -> int:
    till = Till(argv[0], argv[1], seed=0)
    print("ready", flush=True)
    for line in sys.stdin:
        print(json.dumps(answer(till, line.split())), flush=True)
    till.ctx.database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
