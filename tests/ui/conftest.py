"""UI fixtures: a seeded SQLite database per test (copied from a template), sessions by role,
settings in a temporary directory, and a check that no background work outlives a test."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.db.engine import Database, create_database
from pos_app.services import auth, catalog, shifts
from pos_app.services.access import UserSession
from pos_app.services.barcodes import ean13_check_digit
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role, UserInfo
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from pos_app.ui.translation import install_translators
from tests.conftest import fast_hasher

PASSWORDS = {
    Role.OWNER: "owner-pass-1",
    Role.MANAGER: "manager-pass-1",
    Role.CASHIER: "cashier-pass-1",
}
EMAILS = {role: f"{role.value}@shop.test" for role in Role}
NAMES = {
    Role.OWNER: ("Olga", "Owner"),
    Role.MANAGER: ("Max", "Manager"),
    Role.CASHIER: ("Cara", "Cashier"),
}
SECRET = "ui-test-secret-" + "x" * 32


def barcode(stem: str) -> str:
    return stem + ean13_check_digit(stem)


# sku -> (name, category, price in cents, stock, barcode stem)
PRODUCTS = {
    "COLA-330": ("Cola 330 ml", "Drinks", 150, 20, "400638133393"),
    "WATER-500": ("Still water 500 ml", "Drinks", 99, 30, "500011263792"),
    "CRISP-SALT": ("Crisps, sea salt", "Snacks", 199, 10, "501234500001"),
    "CHOC-MILK": ("Milk chocolate bar", "Snacks", 249, 3, "501234500002"),
}


@dataclass(frozen=True)
class Seed:
    template: Path
    users: dict[Role, UserInfo]
    products: dict[str, ProductInfo]


def make_settings(data_dir: Path, url: str, idle_lock_minutes: int = 10) -> Settings:
    return Settings(
        database_url=url,
        data_dir=data_dir,
        timezone=ZoneInfo("Europe/Berlin"),
        currency="EUR",
        till_id="till-ui",
        idle_lock_minutes=idle_lock_minutes,
        low_stock_threshold=5,
        shop_name="Corner Shop",
        shop_address="1 Market Street, Springfield",
        default_tax_bp=0,
    )


def make_ctx(database: Database) -> ServiceContext:
    return ServiceContext(
        database=database,
        timezone=ZoneInfo("Europe/Berlin"),
        till_id="till-ui",
        jwt_secret=SECRET,
        password_hasher=fast_hasher(),
    )


def seed_catalog(ctx: ServiceContext, owner: UserSession) -> dict[str, ProductInfo]:
    categories: dict[str, int] = {}
    products: dict[str, ProductInfo] = {}
    for sku, (name, category, price, stock, stem) in PRODUCTS.items():
        if category not in categories:
            categories[category] = catalog.create_category(ctx, owner, name=category).id
        products[sku] = catalog.create_product(
            ctx,
            owner,
            name=name,
            category_id=categories[category],
            sku=sku,
            price_cents=price,
            barcode=barcode(stem),
            initial_stock=stock,
        )
    return products


@pytest.fixture(scope="session")
def ui_seed(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Seed:
    """Users of every role and a small catalog, seeded once and copied for each test."""
    path = tmp_path_factory.mktemp("ui-template") / "seeded.sqlite3"
    shutil.copyfile(sqlite_template, path)
    database = create_database(f"sqlite:///{path}")
    ctx = make_ctx(database)
    users = {
        Role.OWNER: auth.register_user(
            ctx,
            None,
            email=EMAILS[Role.OWNER],
            password=PASSWORDS[Role.OWNER],
            first_name=NAMES[Role.OWNER][0],
            last_name=NAMES[Role.OWNER][1],
        )
    }
    owner = auth.login(ctx, EMAILS[Role.OWNER], PASSWORDS[Role.OWNER]).session
    for role in (Role.MANAGER, Role.CASHIER):
        users[role] = auth.register_user(
            ctx,
            owner,
            email=EMAILS[role],
            password=PASSWORDS[role],
            first_name=NAMES[role][0],
            last_name=NAMES[role][1],
            role=role,
        )
    products = seed_catalog(ctx, owner)
    # The cashier's shift is open on the till, so the tests sell without being asked for a float.
    cashier = auth.login(ctx, EMAILS[Role.CASHIER], PASSWORDS[Role.CASHIER]).session
    shifts.open_shift(ctx, cashier, 0)
    auth.logout(ctx, owner.token)
    database.dispose()
    return Seed(template=path, users=users, products=products)


@pytest.fixture(scope="session", autouse=True)
def private_qsettings(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    """QSettings of the tests live in a temporary directory, never in the person's profile."""
    QCoreApplication.setOrganizationName("TillTests")
    QCoreApplication.setApplicationName("TillTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path_factory.mktemp("qs"))
    )


@pytest.fixture(scope="session", autouse=True)
def english_catalog(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The English catalog, as the till loads it at start: the texts with a count read "1 line"
    or "2 lines"."""
    install_translators(qapp, "en_US", tmp_path_factory.mktemp("i18n"))


@pytest.fixture
def ui_database(ui_seed: Seed, tmp_path: Path) -> Iterator[Database]:
    target = tmp_path / "till.sqlite3"
    shutil.copyfile(ui_seed.template, target)
    database = create_database(f"sqlite:///{target}")
    yield database
    database.dispose()


@pytest.fixture
def ui_ctx(ui_database: Database) -> ServiceContext:
    return make_ctx(ui_database)


@pytest.fixture
def closed_till(ui_ctx: ServiceContext, ui_seed: Seed) -> None:
    """Close the seeded shift, for tests that open their own (or sell into none)."""
    cashier = auth.login(ui_ctx, EMAILS[Role.CASHIER], PASSWORDS[Role.CASHIER]).session
    shifts.close_shift(ui_ctx, cashier, 0)


@pytest.fixture
def ui_settings(ui_database: Database, tmp_path: Path) -> Settings:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    return make_settings(data_dir, str(ui_database.engine.url))


@pytest.fixture
def products(ui_seed: Seed) -> dict[str, ProductInfo]:
    return ui_seed.products


@pytest.fixture
def session_for(ui_ctx: ServiceContext, ui_settings: Settings) -> Callable[[Role], UiSession]:
    """Log a seeded user of ``role`` in through the service and wrap it as the UI sees it."""

    def make(role: Role) -> UiSession:
        result = auth.login(ui_ctx, EMAILS[role], PASSWORDS[role])
        return UiSession(ui_ctx, ui_settings, result.session)

    return make


@pytest.fixture(autouse=True)
def no_background_work_left(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves QThreadPool work running or an answer undelivered.

    Requests qtbot so this runs its teardown before qtbot closes the test's widgets, and keeps
    the widgets given to ``qtbot.addWidget`` alive until pending deferred deletions have run
    (a widget destroyed with one of its children's deleteLater still queued crashes Qt).
    """
    kept: list[object] = []
    add_widget = qtbot.addWidget

    def add_and_keep(
        widget: QWidget, *, before_close_func: Callable[[QWidget], None] | None = None
    ) -> None:
        kept.append(widget)
        add_widget(widget, before_close_func=before_close_func)

    monkeypatch.setattr(qtbot, "addWidget", add_and_keep)
    yield
    left = pending_tasks()
    finished = QThreadPool.globalInstance().waitForDone(5000)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    kept.clear()
    assert finished, "background work was still running 5 s after the test"
    assert left == 0, f"the test ended with {left} background task(s) not delivered"


ScreenOpener = Callable[[Callable[[UiSession], QWidget], UiSession], QWidget]


@pytest.fixture
def screen_opener(qtbot: QtBot) -> Iterator[ScreenOpener]:
    """Build a screen, load it, and keep it alive until its background work is delivered."""
    screens: list[QWidget] = []

    def make(build: Callable[[UiSession], QWidget], session: UiSession) -> QWidget:
        screen = build(session)
        qtbot.addWidget(screen)
        screens.append(screen)
        refresh = getattr(screen, "refresh", None)
        if callable(refresh):
            refresh()
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        return screen

    yield make
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    screens.clear()
