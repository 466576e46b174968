"""A till starting up as ``pos-app run`` does, without the window: upgrade, then seed the demo shop.

``python -m tests.concurrency.startproc URL DATA_DIR SALES`` prints ``ready``, starts once a line
arrives on stdin, and prints a JSON summary: whether it had to wait, what it seeded, or its error.
"""

from __future__ import annotations

import functools
import json
import sys
import time

from pos_app import bootstrap
from pos_app.config import ConfigError, load_settings
from pos_app.services import demo_data


def main(argv: list[str]) -> int:
    url, data_dir, sales = argv[0], argv[1], int(argv[2])
    settings = load_settings({"POS_DATABASE_URL": url, "POS_DATA_DIR": data_dir, "TZ": "UTC"})
    # The demo shop of a real first start has a year of sales; a few keep the test short.
    demo_data.seed_demo = functools.partial(demo_data.seed_demo, sales=sales, days=7)  # type: ignore[method-assign]
    waited: list[str] = []
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.time()
    summary: dict[str, object] = {"waited": waited, "started": started}
    try:
        ctx = bootstrap.open_context(settings, on_wait=waited.append)
        try:
            seeded = bootstrap.ensure_demo_data(ctx, on_wait=waited.append)
        finally:
            ctx.database.dispose()
        summary["seeded_users"] = 0 if seeded is None else seeded.users
        summary["seeded_sales"] = 0 if seeded is None else seeded.sales
    except ConfigError as exc:
        summary["error"] = str(exc)
    summary["finished"] = time.time()
    print(json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
