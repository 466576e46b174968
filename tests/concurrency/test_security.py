"""Roles are checked by the services, private files stay private, logs keep no secrets."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pos_app.config import jwt_secret, load_settings
from pos_app.db.engine import create_database
from pos_app.db.migrate import upgrade_to_head
from pos_app.services import analytics, auth, catalog, checkout, inventory, users
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    AuthenticationError,
    PermissionDeniedError,
    SessionEndedError,
    ValidationError,
)
from pos_app.services.roles import Role
from pos_app.ui.app import setup_logging
from pos_app.ui.errors import UNEXPECTED, describe_error
from tests.factories import open_till

OWNER_PASSWORD = "owner-Secret-771"
CASHIER_PASSWORD = "cashier-Secret-552"


def staff(ctx: ServiceContext) -> dict[str, UserSession]:
    """Logged-in sessions of an owner, a manager and a cashier."""
    auth.register_user(
        ctx, None, email="owner@shop.test", password=OWNER_PASSWORD,
        first_name="Olga", last_name="Owner",
    )  # fmt: skip
    owner = auth.login(ctx, "owner@shop.test", OWNER_PASSWORD).session
    people = {"owner": owner}
    for role in (Role.MANAGER, Role.CASHIER):
        auth.register_user(
            ctx, owner, email=f"{role.value}@shop.test", password=CASHIER_PASSWORD,
            first_name=role.label, last_name="Staff", role=role,
        )  # fmt: skip
        people[role.value] = auth.login(ctx, f"{role.value}@shop.test", CASHIER_PASSWORD).session
    return people


def forbidden_calls(
    ctx: ServiceContext, product_id: int, category_id: int, owner_id: int
) -> dict[str, Callable[[UserSession], Any]]:
    query = analytics.SalesQuery(start=date(2026, 3, 1), end=date(2026, 3, 31))
    return {
        "restock": lambda a: inventory.add_stock(ctx, a, product_id, 5),
        "adjust stock": lambda a: inventory.adjust_stock(ctx, a, product_id, -1, "broken"),
        "create a product": lambda a: catalog.create_product(
            ctx, a, name="Gin", category_id=category_id, sku="GIN-1", price_cents=2500
        ),
        "change a price": lambda a: catalog.update_product(ctx, a, product_id, price_cents=1),
        "retire a product": lambda a: catalog.set_product_active(ctx, a, product_id, False),
        "create a category": lambda a: catalog.create_category(ctx, a, name="Spirits"),
        "rename a category": lambda a: catalog.update_category(ctx, a, category_id, name="X"),
        "read analytics": lambda a: analytics.sales_data(ctx, a, query),
        "list users": lambda a: users.list_users(ctx, a),
        "create a cashier": lambda a: auth.register_user(
            ctx, a, email="new@shop.test", password="new-pass-123", first_name="N", last_name="U"
        ),
        "create a manager": lambda a: auth.register_user(
            ctx,
            a,
            email="boss@shop.test",
            password="new-pass-123",
            first_name="N",
            last_name="U",
            role=Role.MANAGER,
        ),
        "promote someone": lambda a: users.change_role(ctx, a, a.id, Role.OWNER),
        "deactivate the owner": lambda a: users.set_user_active(ctx, a, owner_id, False),
        "reset a password": lambda a: users.reset_password(ctx, a, owner_id, "hijacked-pw-1"),
    }


MANAGER_MAY = {
    "restock",
    "adjust stock",
    "create a product",
    "change a price",
    "retire a product",
    "create a category",
    "rename a category",
    "create a cashier",
}


def test_a_cashier_can_sell_but_not_manage_stock_catalog_reports_or_people(
    ctx: ServiceContext,
) -> None:
    people = staff(ctx)
    category = catalog.create_category(ctx, people["owner"], name="Wine")
    wine = catalog.create_product(
        ctx, people["owner"], name="Red", category_id=category.id, sku="RED-1",
        price_cents=900, initial_stock=10,
    )  # fmt: skip
    calls = forbidden_calls(ctx, wine.id, category.id, people["owner"].id)

    for action, call in calls.items():
        with pytest.raises(PermissionDeniedError):
            call(people["cashier"])
        if action not in MANAGER_MAY:
            with pytest.raises(PermissionDeniedError):
                call(people["manager"])

    open_till(ctx, people["cashier"])
    sale = checkout.purchase(ctx, people["cashier"], [checkout.PurchaseLine(wine.id, 1)])
    assert sale.committed
    assert catalog.get_product(ctx, people["cashier"], wine.id).quantity == 9
    assert catalog.get_product(ctx, people["cashier"], wine.id).price_cents == 900
    assert [u.role for u in users.list_users(ctx, people["owner"])].count(Role.OWNER) == 1


def test_a_deactivated_owner_is_refused_like_anyone_else(ctx: ServiceContext) -> None:
    people = staff(ctx)
    auth.register_user(
        ctx, people["owner"], email="second@shop.test", password=OWNER_PASSWORD,
        first_name="Otto", last_name="Owner", role=Role.OWNER,
    )  # fmt: skip
    second = auth.login(ctx, "second@shop.test", OWNER_PASSWORD).session
    users.set_user_active(ctx, people["owner"], second.id, False)
    with pytest.raises(SessionEndedError, match="deactivated"):
        users.list_users(ctx, second)


def test_a_hand_built_account_proves_nothing(ctx: ServiceContext) -> None:
    people = staff(ctx)
    claimed = replace(people["cashier"].user, role=Role.OWNER)
    with pytest.raises(AuthenticationError):
        users.list_users(ctx, claimed)  # type: ignore[arg-type]
    # The cashier's real token with an owner's description: the database says cashier.
    with pytest.raises(PermissionDeniedError):
        users.list_users(ctx, UserSession(people["cashier"].token, claimed))


def test_the_sqlite_file_and_its_journal_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "shop" / "till.sqlite3"
    database = create_database(f"sqlite:///{path}")
    upgrade_to_head(database.engine)
    with database.engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM users"))
        for suffix in ("", "-wal", "-shm"):
            journal = Path(f"{path}{suffix}")
            assert journal.exists()
            assert stat.S_IMODE(journal.stat().st_mode) == 0o600, journal
    database.dispose()


def test_the_signing_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    settings = load_settings(
        env={"POS_DATA_DIR": str(tmp_path / "data"), "POS_TIMEZONE": "UTC"},
        dotenv_path=tmp_path / "absent.env",
    )
    secret = jwt_secret(settings)
    path = settings.data_dir / "jwt_secret"

    assert len(secret) >= 32
    assert jwt_secret(settings) == secret
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700


def test_failed_logins_leave_no_password_or_secret_in_the_log(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    log_file = tmp_path / "till.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s %(args)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        people = staff(ctx)
        wrong = "Wrong-Guess-0987"
        for email in ("owner@shop.test", "nobody@shop.test", "OWNER@shop.test"):
            with pytest.raises(AuthenticationError):
                auth.login(ctx, email, wrong)
        session = auth.login(ctx, "owner@shop.test", OWNER_PASSWORD)
        with pytest.raises(ValidationError):
            auth.change_password(ctx, session.token, wrong, "New-Secret-4242")
        logging.getLogger("pos_app").warning("marker: the log file works")
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()

    with ctx.database.engine.connect() as connection:
        hashes = list(connection.execute(text("SELECT password_hash FROM users")).scalars())
    logged = log_file.read_text(encoding="utf-8")
    assert "marker: the log file works" in logged
    for secret in (OWNER_PASSWORD, CASHIER_PASSWORD, wrong, ctx.jwt_secret, session.token, *hashes):
        assert secret not in logged
    assert len(hashes) == len(people)


class RecordingHasher(PasswordHasher):
    """The argon2 hasher, remembering the hashes it made so the test can look for them."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.made: list[str] = []

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        made = super().hash(password, salt=salt)
        self.made.append(made)
        return made


def refuse_password_changes(ctx: ServiceContext) -> None:
    """A trigger that makes the database itself fail the UPDATE of a password hash."""
    if ctx.database.is_sqlite:
        trigger = (
            "CREATE TRIGGER refuse_password_change BEFORE UPDATE OF password_hash ON users "
            "BEGIN SELECT RAISE(ABORT, 'password changes refused'); END"
        )
    else:
        trigger = (
            "CREATE TRIGGER refuse_password_change BEFORE UPDATE ON users FOR EACH ROW "
            "BEGIN IF NEW.password_hash <> OLD.password_hash THEN SIGNAL SQLSTATE '45000' "
            "SET MESSAGE_TEXT = 'password changes refused'; END IF; END"
        )
    with ctx.database.engine.begin() as connection:
        connection.execute(text(trigger))


def test_a_database_error_while_changing_a_password_logs_no_hash_or_password(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    hasher = RecordingHasher()
    ctx = replace(ctx, password_hasher=hasher)
    staff(ctx)
    session = auth.login(ctx, "owner@shop.test", OWNER_PASSWORD)
    new_password = "Brand-New-Secret-9090"
    refuse_password_changes(ctx)
    log_file = setup_logging(tmp_path)
    try:
        with pytest.raises(DBAPIError) as raised:
            auth.change_password(ctx, session.token, OWNER_PASSWORD, new_password)
        shown = describe_error(raised.value)
    finally:
        with ctx.database.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER refuse_password_change"))
        for handler in logging.getLogger().handlers[:]:
            if getattr(handler, "baseFilename", None) == str(log_file):
                logging.getLogger().removeHandler(handler)
                handler.close()

    logged = log_file.read_text(encoding="utf-8")
    assert "password changes refused" in logged, "the error was not logged"
    assert shown == UNEXPECTED
    new_hash = hasher.made[-1]
    for secret in (new_password, OWNER_PASSWORD, new_hash, new_hash.split("$")[-1], session.token):
        assert secret not in logged
    assert "$argon2" not in logged
