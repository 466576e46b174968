"""The paged table model: lazy pages, SQL sorting, stale answers dropped, Qt's model rules kept."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from sqlalchemy import func, insert, select

from pos_app.db.models import Inventory, Product
from pos_app.services import catalog
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.paging import Page, PageRequest
from pos_app.services.roles import Role
from pos_app.ui.models import Column, PagedTableModel, RowTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    price_cents: int


COLUMNS = [
    Column[Item]("Name", lambda item: item.name, sort_key="name"),
    Column[Item]("Price", lambda item: item.price_cents, align_right=True, sort_key="price"),
    Column[Item]("Note", lambda item: None),
]


class FakeSource:
    """A 'database' of ``size`` items that records every query it answers."""

    def __init__(self, size: int, prefix: str = "item") -> None:
        self.size = size
        self.prefix = prefix
        self.calls: list[tuple[int, int, str | None, bool]] = []

    def __call__(self, offset: int, limit: int, sort: str | None, descending: bool) -> Page[Item]:
        self.calls.append((offset, limit, sort, descending))
        end = min(self.size, offset + limit)
        numbers = range(offset, end)
        if descending:
            numbers = range(self.size - 1 - offset, self.size - 1 - end, -1)
        items = [Item(n, f"{self.prefix} {n:06d}", n * 10) for n in numbers]
        return Page(items=items, total=self.size, offset=offset, limit=limit)


@pytest.fixture(autouse=True)
def no_task_left_running(qtbot: Any) -> Any:
    yield
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def loaded_model(qtbot: Any, source: FakeSource, **kwargs: Any) -> PagedTableModel[Item]:
    model = PagedTableModel[Item](COLUMNS, source, **kwargs)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.refresh()
    return model


def test_only_the_first_page_of_a_hundred_thousand_rows_is_fetched(qtbot: Any) -> None:
    source = FakeSource(100_000)
    model = loaded_model(qtbot, source)
    assert model.rowCount() == 200
    assert model.total == 100_000
    assert source.calls == [(0, 200, None, False)]
    assert model.canFetchMore(QModelIndex())


def test_fetch_more_appends_the_next_page(qtbot: Any) -> None:
    source = FakeSource(450)
    model = loaded_model(qtbot, source, sort_key="name")
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.fetchMore(QModelIndex())
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert [call[0] for call in source.calls] == [0, 200, 400]
    assert not model.canFetchMore(QModelIndex())


def test_a_view_scrolled_to_the_end_fetches_more(qtbot: Any) -> None:
    source = FakeSource(1000)
    model = loaded_model(qtbot, source)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(400, 300)
    view.show()
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() >= 400, timeout=5000)


def test_sorting_by_a_header_queries_again_with_the_sort_key(qtbot: Any) -> None:
    source = FakeSource(300)
    model = loaded_model(qtbot, source, sort_key="name")
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(1, Qt.SortOrder.DescendingOrder)
    assert source.calls[-1] == (0, 200, "price", True)
    # the model shows the order the query returned; it never sorts rows itself
    assert model.row_at(0) == Item(299, "item 000299", 2990)


def test_a_column_without_a_sort_key_does_not_query(qtbot: Any) -> None:
    source = FakeSource(10)
    model = loaded_model(qtbot, source)
    model.sort(2, Qt.SortOrder.AscendingOrder)
    assert len(source.calls) == 1


def test_a_newer_filter_drops_the_answer_of_an_older_one(qtbot: Any) -> None:
    release = threading.Event()
    slow_source = FakeSource(50, prefix="stale")

    def slow(offset: int, limit: int, sort: str | None, descending: bool) -> Page[Item]:
        release.wait(5)
        return slow_source(offset, limit, sort, descending)

    model = PagedTableModel[Item](COLUMNS, slow)
    model.refresh()
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_filter(FakeSource(3, prefix="fresh"))
    release.set()
    qtbot.waitUntil(lambda: len(slow_source.calls) == 1, timeout=5000)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    assert [item.name for item in model.rows()] == ["fresh 000000", "fresh 000001", "fresh 000002"]


def test_user_role_returns_the_row_and_numbers_are_right_aligned(qtbot: Any) -> None:
    model = loaded_model(qtbot, FakeSource(5))
    index = model.index(2, 1)
    assert model.data(index, Qt.ItemDataRole.UserRole) == Item(2, "item 000002", 20)
    assert model.row_at(index) == Item(2, "item 000002", 20)
    assert model.data(index) == "20"
    alignment = model.data(index, Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert model.data(model.index(0, 2)) == ""
    assert model.row_at(99) is None


def test_a_failing_query_reports_one_sentence(qtbot: Any) -> None:
    def broken(offset: int, limit: int, sort: str | None, descending: bool) -> Page[Item]:
        raise RuntimeError("boom")

    model = PagedTableModel[Item](COLUMNS, broken)
    with qtbot.waitSignal(model.failed, timeout=5000) as blocker:
        model.refresh()
    assert "Something went wrong" in blocker.args[0]
    assert not model.canFetchMore(QModelIndex())


def test_paged_model_keeps_the_rules_of_qt_models(qtbot: Any, qtmodeltester: Any) -> None:
    model = loaded_model(qtbot, FakeSource(450))
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_row_model_keeps_the_rules_of_qt_models(qtbot: Any, qtmodeltester: Any) -> None:
    model = RowTableModel[Item](COLUMNS)
    model.set_rows([Item(1, "a", 100), Item(2, "b", 200)])
    model.replace_where(lambda item: item.id == 2, Item(2, "c", 300))
    assert model.row_at(1) == Item(2, "c", 300)
    qtmodeltester.check(model)


def test_a_hundred_thousand_products_open_with_one_page_from_the_database(
    qtbot: Any, ui_ctx: ServiceContext, session_for: Callable[[Role], UiSession]
) -> None:
    category_id = catalog.list_categories(ui_ctx, session_for(Role.OWNER).user).items[0].id
    now = datetime.now(UTC)
    count = 100_000
    with ui_ctx.database.engine.begin() as connection:
        first = connection.execute(select(func.max(Product.id))).scalar_one() + 1
        connection.execute(
            insert(Product),
            [
                {"id": first + n, "name": f"Bulk item {n:06d}", "description": "",
                 "category_id": category_id, "sku": f"BULK-{n:06d}", "barcode": None,
                 "price_cents": 100 + n % 900, "is_active": True,
                 "created_at": now, "updated_at": now}
                for n in range(count)
            ],
        )  # fmt: skip
        connection.execute(
            insert(Inventory),
            [
                {"product_id": first + n, "quantity": n % 50, "updated_at": now}
                for n in range(count)
            ],
        )
    manager = session_for(Role.MANAGER)
    calls: list[int] = []

    def fetch(offset: int, limit: int, sort: str | None, descending: bool) -> Page[ProductInfo]:
        calls.append(offset)
        return catalog.list_products(
            ui_ctx, manager.user, page=PageRequest(offset, limit), sort=sort or "name",
            descending=descending,
        )  # fmt: skip

    columns = [Column[ProductInfo]("Name", lambda p: p.name, sort_key="name")]
    model = PagedTableModel[ProductInfo](columns, fetch)
    started = time.perf_counter()
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.refresh()
    elapsed = time.perf_counter() - started
    assert model.total == count + 4
    assert model.rowCount() == 200
    assert calls == [0]
    assert elapsed < 3, f"the first page took {elapsed:.2f} s"
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    assert model.row_at(0).name == "Still water 500 ml"  # type: ignore[union-attr]
    assert calls == [0, 0]
