"""Products to and from CSV on the catalog screen: export, all-or-nothing import, cancel, roles."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from pos_app.services import catalog, product_csv
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.paging import PageRequest
from pos_app.services.roles import Role
from pos_app.ui.catalog import CatalogScreen, csv_actions
from pos_app.ui.catalog.csv_actions import ImportErrorsDialog
from pos_app.ui.progress import run_with_progress
from pos_app.ui.session import UiSession
from tests.ui.conftest import ScreenOpener

SessionFor = Callable[[Role], UiSession]
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
HEADER = "category,sku,barcode,name,price,stock"


@pytest.fixture
def open_screen(screen_opener: ScreenOpener) -> Callable[[UiSession], CatalogScreen]:
    def make(session: UiSession) -> CatalogScreen:
        screen = screen_opener(CatalogScreen, session)
        assert isinstance(screen, CatalogScreen)
        return screen

    return make


@pytest.fixture
def manager_screen(
    open_screen: Callable[[UiSession], CatalogScreen], session_for: SessionFor
) -> CatalogScreen:
    return open_screen(session_for(Role.MANAGER))


@pytest.fixture
def manager(session_for: SessionFor) -> UserSession:
    return session_for(Role.MANAGER).user


def catalog_state(ctx: ServiceContext, actor: UserSession) -> list[tuple[str, str, int, int]]:
    page = catalog.list_products(ctx, actor, page=PageRequest(limit=1000), sort="id")
    assert not page.has_more
    return [(p.sku, p.name, p.price_cents, p.quantity) for p in page.items]


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def run_import(qtbot: Any, screen: CatalogScreen, path: Path) -> tuple[str, bool]:
    with qtbot.waitSignal(screen.message, timeout=20_000) as blocker:
        assert screen.csv.import_products(path) is not None
    text, is_error = blocker.args
    return text, is_error


def test_export_writes_the_header_and_one_row_per_product(
    qtbot: Any,
    manager_screen: CatalogScreen,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[Path] = []
    target = tmp_path / "out.csv"

    def ask(_parent: Any, suggested: Path) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(csv_actions, "ask_save_path", ask)
    with qtbot.waitSignal(manager_screen.message, timeout=5000) as blocker:
        manager_screen.csv.export_button.click()
    assert blocker.args == [f"Exported 4 products to {target}.", False]
    assert asked[0].name.startswith("products-") and asked[0].suffix == ".csv"
    assert asked[0].name == manager_screen.csv.default_export_name()
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert ",".join(rows[0]) == HEADER + ",tax_rate,sold_by,scale_code"
    assert sorted(row[1] for row in rows[1:]) == [
        "CHOC-MILK",
        "COLA-330",
        "CRISP-SALT",
        "WATER-500",
    ]
    assert ["Drinks", "COLA-330", rows[1][2], "Cola 330 ml", "1.50", "20", "0", "piece", ""] in rows


def test_cancelling_the_save_dialog_writes_nothing(
    manager_screen: CatalogScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_actions, "ask_save_path", lambda *_args: None)
    assert manager_screen.csv.export_products() is False
    assert not manager_screen.csv.busy


def test_importing_a_good_file_creates_and_updates_products_and_refreshes_the_table(
    qtbot: Any,
    manager_screen: CatalogScreen,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_csv(
        tmp_path / "good.csv",
        [
            "Drinks,COLA-330,,Cola 330 ml,1.75,25",
            "Bakery,BREAD-RYE,,Rye bread,3.20,8",
            "Bakery,BUN-SEED,,Seeded bun,0.90,",
        ],
    )
    monkeypatch.setattr(csv_actions, "ask_open_path", lambda _parent: path)
    with qtbot.waitSignal(manager_screen.message, timeout=10_000) as blocker:
        manager_screen.csv.import_button.click()
    assert blocker.args == ["Imported: 2 new, 1 updated, 1 new categories.", False]
    qtbot.waitUntil(lambda: manager_screen.products.rowCount() == 6, timeout=5000)
    rows = {p.sku: p for p in manager_screen.products.rows()}
    assert rows["COLA-330"].price_cents == 175 and rows["COLA-330"].quantity == 25
    assert rows["BREAD-RYE"].category_name == "Bakery" and rows["BREAD-RYE"].quantity == 8
    assert rows["BUN-SEED"].quantity == 0
    assert manager_screen.count_label.text() == "6 products"
    assert manager_screen.csv.import_button.isEnabled()


def test_a_file_with_bad_rows_lists_every_line_and_changes_nothing(
    qtbot: Any,
    manager_screen: CatalogScreen,
    ui_ctx: ServiceContext,
    manager: UserSession,
    tmp_path: Path,
) -> None:
    before = catalog_state(ui_ctx, manager)
    path = write_csv(
        tmp_path / "bad.csv",
        [
            "Drinks,COLA-330,,Cola 330 ml,1.75,25",
            "Bakery,BREAD-RYE,,Rye bread,three euros,8",
            "Bakery,BUN-SEED,,Seeded bun,0.90,-4",
            "Bakery,,,No sku,1.00,1",
        ],
    )
    text, is_error = run_import(qtbot, manager_screen, path)
    assert is_error and "Nothing was imported" in text
    dialog = manager_screen.csv.errors_dialog
    assert isinstance(dialog, ImportErrorsDialog)
    assert dialog.isVisible()
    lines = dialog.lines()
    assert [line.split(",")[0] for line in lines] == ["Line 3", "Line 4", "Line 5"]
    assert lines[0].startswith("Line 3, price: ")
    assert lines[1].startswith("Line 4, stock: ")
    assert lines[2].startswith("Line 5, sku: ")
    assert dialog.table.rowCount() == 3
    assert [dialog.table.item(row, 0).text() for row in range(3)] == ["3", "4", "5"]
    assert "Nothing was imported" in dialog.heading.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "\n".join(lines) + "\n"
    assert catalog_state(ui_ctx, manager) == before
    dialog.close()


def test_cancel_during_a_big_import_leaves_the_catalog_unchanged(
    qtbot: Any,
    manager_screen: CatalogScreen,
    ui_ctx: ServiceContext,
    manager: UserSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = catalog_state(ui_ctx, manager)
    rows = [f"Bulk,BULK-{n:05d},,Bulk item {n},1.00,{n % 7}" for n in range(3000)]
    path = write_csv(tmp_path / "big.csv", rows)
    clicked = threading.Event()
    real_import = product_csv.import_products

    def import_waiting_for_the_click(
        ctx: ServiceContext, actor: UserSession, source: Any, progress: Any, cancel: Any
    ) -> product_csv.CsvImportResult:
        def report(done: int, total: int) -> None:
            progress(done, total)
            clicked.wait(10)  # the person's click lands while the import is under way

        return real_import(ctx, actor, source, report, cancel)

    monkeypatch.setattr(product_csv, "import_products", import_waiting_for_the_click)
    dialog = manager_screen.csv.import_products(path)
    assert dialog is not None
    with qtbot.waitSignal(dialog.progressed, timeout=20_000) as progressed:
        pass
    assert progressed.args == [500, 3000]
    assert dialog.bar.maximum() == 3000 and dialog.bar.value() == 500
    with qtbot.waitSignal(manager_screen.message, timeout=20_000) as blocker:
        dialog.cancel_button.click()
        assert dialog.label.text() == "Cancelling…"
        assert not dialog.cancel_button.isEnabled()
        clicked.set()
    assert blocker.args == ["Import cancelled; nothing was changed.", True]
    assert catalog_state(ui_ctx, manager) == before
    assert manager_screen.csv.import_button.isEnabled()


def test_the_progress_dialog_reports_progress_and_delivers_the_result(qtbot: Any) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    results: list[int] = []

    def op(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> int:
        for done in range(1, 4):
            progress(done, 3)
        return -1 if cancelled() else 42

    dialog = run_with_progress(owner, "Counting", op, results.append, pytest.fail, text="Counting…")
    assert dialog.objectName() == "progressDialog"
    with qtbot.waitSignal(dialog.progressed, timeout=5000, check_params_cb=lambda d, t: d == 3):
        pass
    qtbot.waitUntil(lambda: results == [42], timeout=5000)


def test_the_shortcuts_open_the_file_choices(
    qtbot: Any, manager_screen: CatalogScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(csv_actions, "ask_open_path", lambda _p: asked.append("open"))
    monkeypatch.setattr(csv_actions, "ask_save_path", lambda _p, _s: asked.append("save"))
    with qtbot.waitActive(manager_screen):
        manager_screen.show()
        manager_screen.activateWindow()
    qtbot.keyClick(manager_screen.product_view, Qt.Key.Key_I, SHIFT_CTRL)
    qtbot.keyClick(manager_screen.product_view, Qt.Key.Key_E, SHIFT_CTRL)
    assert asked == ["open", "save"]
    assert "Ctrl+Shift+I" in manager_screen.csv.import_button.toolTip()
    assert "Ctrl+Shift+E" in manager_screen.csv.export_button.toolTip()


def test_a_cashier_cannot_import_or_export(
    open_screen: Callable[[UiSession], CatalogScreen],
    session_for: SessionFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = open_screen(session_for(Role.CASHIER))
    assert not screen.csv.import_button.isEnabled()
    assert not screen.csv.export_button.isEnabled()
    monkeypatch.setattr(csv_actions, "ask_open_path", pytest.fail)
    monkeypatch.setattr(csv_actions, "ask_save_path", pytest.fail)
    assert screen.csv.import_products() is None
    assert screen.csv.export_products() is False
