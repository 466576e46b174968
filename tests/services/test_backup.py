from __future__ import annotations

import hashlib
import sqlite3
import stat
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pos_app.db.engine import create_database, create_engine_for
from pos_app.services import auth, backup, checkout
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from tests import dbutil
from tests.concurrency.tillproc import CASHIER_PASSWORD, check_database, seed_shop
from tests.conftest import fast_hasher
from tests.factories import open_till


@pytest.fixture
def shop(tmp_path: Path, sqlite_template: Path) -> str:
    url = dbutil.copy_sqlite(sqlite_template, tmp_path / "shop.sqlite3")
    engine = create_engine_for(url)
    seed_shop(engine)
    engine.dispose()
    return url


def sell(url: str, count: int, stop: threading.Event | None = None) -> int:
    ctx = ServiceContext(
        create_database(url),
        ZoneInfo("Europe/Berlin"),
        "till-b",
        "s" * 40,
        password_hasher=fast_hasher(),
    )
    cashier = auth.login(ctx, "cashier@till.test", CASHIER_PASSWORD).session
    open_till(ctx, cashier)
    sold = 0
    try:
        while sold < count and not (stop is not None and stop.is_set()):
            lines = [checkout.PurchaseLine(8 + sold % 40, 1), checkout.PurchaseLine(7, 2)]
            assert checkout.purchase(ctx, cashier, lines).committed
            sold += 1
    finally:
        ctx.database.dispose()
    return sold


def sales_in(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM sales").fetchone()[0])
    finally:
        connection.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def db_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def test_a_backup_taken_while_a_till_sells_is_whole_and_consistent(
    shop: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sell(shop, 300)
    monkeypatch.setattr(backup, "PAGES_PER_STEP", 1)
    stop = threading.Event()
    seller = threading.Thread(target=sell, args=(shop, 10**9, stop))
    seller.start()
    while sales_in(db_path(shop)) < 320:
        stop.wait(0.01)
    steps: list[tuple[int, int]] = []

    def slow_progress(done: int, total: int) -> None:
        steps.append((done, total))
        stop.wait(0.002)

    try:
        info = backup.backup_sqlite(shop, tmp_path / "copy.sqlite3", progress=slow_progress)
    finally:
        stop.set()
        seller.join()

    assert len(steps) > 10 and steps[-1][0] == steps[-1][1] == info.pages
    assert sales_in(db_path(shop)) > info.sales >= 320
    copy = sqlite3.connect(info.path)
    assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    copy.close()
    engine = create_engine_for(f"sqlite:///{info.path}")
    report = check_database(engine)
    engine.dispose()
    assert report.problems == {}
    assert report.sales == info.sales and report.items == 2 * info.sales
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600


def test_restoring_a_good_copy_brings_back_the_shop_as_it_was(shop: str, tmp_path: Path) -> None:
    sell(shop, 20)
    info = backup.backup_sqlite(shop, tmp_path / "copy.sqlite3")
    sell(shop, 15)
    assert sales_in(db_path(shop)) == 35

    restored = backup.restore_sqlite(info.path, shop)

    assert restored.sales == 20 and sales_in(db_path(shop)) == 20
    assert stat.S_IMODE(db_path(shop).stat().st_mode) == 0o600
    assert sell(shop, 5) == 5
    assert sales_in(db_path(shop)) == 25


@pytest.mark.parametrize("damage", ["garbage", "torn_page", "truncated"])
def test_a_damaged_copy_is_refused_and_the_database_stays_intact(
    shop: str, tmp_path: Path, damage: str
) -> None:
    sell(shop, 30)
    copy = backup.backup_sqlite(shop, tmp_path / "copy.sqlite3").path
    data = bytearray(copy.read_bytes())
    if damage == "garbage":
        data[:] = b"not a database at all" * 100
    elif damage == "torn_page":
        page = 4096
        for offset in range(2 * page, len(data) - page, page):
            data[offset : offset + 64] = b"\xff" * 64
    else:
        data[:] = data[: len(data) // 3]
    copy.write_bytes(bytes(data))
    before = digest(db_path(shop))

    with pytest.raises(ValidationError) as refused:
        backup.restore_sqlite(copy, shop)

    assert refused.value.field == "path"
    assert digest(db_path(shop)) == before
    assert sell(shop, 1) == 1 and sales_in(db_path(shop)) == 31
    assert not list(tmp_path.glob(".*.partial"))


def test_a_copy_from_another_schema_revision_is_refused(shop: str, tmp_path: Path) -> None:
    copy = backup.backup_sqlite(shop, tmp_path / "copy.sqlite3").path
    connection = sqlite3.connect(copy)
    connection.execute("UPDATE alembic_version SET version_num = 'ffff0000old'")
    connection.commit()
    connection.close()
    before = digest(db_path(shop))

    with pytest.raises(ValidationError, match="revision ffff0000old"):
        backup.restore_sqlite(copy, shop)
    assert digest(db_path(shop)) == before


def test_a_missing_backup_file_or_folder_is_a_readable_error(shop: str, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no backup file"):
        backup.restore_sqlite(tmp_path / "nope.sqlite3", shop)
    with pytest.raises(ValidationError, match="does not exist"):
        backup.backup_sqlite(shop, tmp_path / "missing" / "copy.sqlite3")
    with pytest.raises(ValidationError, match="other than the database"):
        backup.backup_sqlite(shop, db_path(shop))


def test_a_mysql_database_gets_the_mysqldump_command_without_its_password() -> None:
    url = "mysql+pymysql://till:s3cret-pw@db.shop.lan:3307/till"
    with pytest.raises(ValidationError) as raised:
        backup.backup_sqlite(url, Path("/tmp/x.sqlite3"))
    message = str(raised.value)
    assert "mysqldump --single-transaction" in message
    assert "--host=db.shop.lan --port=3307 --user=till -p till" in message
    assert "s3cret-pw" not in message
    with pytest.raises(ValidationError, match=r"mysql --host=db\.shop\.lan") as restore:
        backup.restore_sqlite(Path("/tmp/x.sql"), url)
    assert "s3cret-pw" not in str(restore.value)
