"""Shelf labels from the Catalog: choose products, set copies, write an A4 PDF sheet."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from pos_app.services.roles import Role
from pos_app.ui import printing
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.hardware.labels import LabelsDialog
from pos_app.ui.inventory import InventoryScreen
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from tests.ui.conftest import ScreenOpener

SessionFor = Callable[[Role], UiSession]
PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def _select_rows(screen: CatalogScreen, rows: list[int]) -> None:
    selection = screen.product_view.selectionModel()
    for row in rows:
        index = screen.products.index(row, 0)
        selection.select(
            index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )


def _open_labels(screen_opener: ScreenOpener, session: UiSession, rows: list[int]) -> LabelsDialog:
    screen = screen_opener(CatalogScreen, session)
    assert isinstance(screen, CatalogScreen)
    _select_rows(screen, rows)
    dialog = screen.open_labels_dialog()
    assert dialog is not None
    return dialog


def test_labels_of_two_products_are_written_as_an_a4_pdf(
    qtbot: QtBot,
    screen_opener: ScreenOpener,
    session_for: SessionFor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = _open_labels(screen_opener, session_for(Role.MANAGER), [0, 1])
    assert dialog.table.rowCount() == 2
    assert dialog.table.item(0, 2).text().startswith("EAN-13 ")
    dialog.copies[0].setValue(20)
    dialog.copies[1].setValue(3)
    dialog.start.setValue(5)
    target = tmp_path / "labels.pdf"
    monkeypatch.setattr(printing, "ask_pdf_path", lambda _parent, _suggested: target)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.written is not None, timeout=10_000)
    # 23 labels starting at position 5 of 24 fill the first sheet and spill onto a second
    assert dialog.status.text() == f"23 labels on 2 pages saved to {target}."
    assert len(PAGE.findall(target.read_bytes())) == 2


def test_no_copies_at_all_is_explained_and_writes_nothing(
    screen_opener: ScreenOpener,
    session_for: SessionFor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = _open_labels(screen_opener, session_for(Role.MANAGER), [0])
    dialog.copies[0].setValue(0)
    monkeypatch.setattr(printing, "ask_pdf_path", lambda *_args: tmp_path / "never.pdf")
    dialog.create_button.click()
    assert dialog.status.text() == "Choose at least one label to print."
    assert not (tmp_path / "never.pdf").exists()


def test_without_a_selection_the_catalog_says_what_to_do(
    screen_opener: ScreenOpener, session_for: SessionFor
) -> None:
    screen = screen_opener(CatalogScreen, session_for(Role.MANAGER))
    assert isinstance(screen, CatalogScreen)
    screen.product_view.clearSelection()
    screen.product_view.setCurrentIndex(screen.products.index(-1, -1))
    messages: list[tuple[str, bool]] = []
    screen.message.connect(lambda text, error: messages.append((text, error)))
    assert screen.open_labels_dialog() is None
    assert messages == [("Select the products to label first.", True)]


def test_the_products_of_a_restock_get_their_labels(
    qtbot: QtBot,
    session_for: SessionFor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = InventoryScreen(session_for(Role.MANAGER))
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    assert not screen.restock_labels_button.isEnabled()
    for code in ("COLA-330", "WATER-500", "COLA-330"):
        screen.restock_panel.code_field.setText(code)
        with qtbot.waitSignal(screen.restock_panel.restocked, timeout=5000):
            screen.restock_panel.add_button.click()
    assert screen.restock_labels_button.text() == "Labels for restocked (2)…"
    screen.restock_labels_button.click()
    qtbot.waitUntil(lambda: screen.labels_dialog is not None, timeout=5000)
    dialog = screen.labels_dialog
    assert dialog is not None
    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert names == ["Cola 330 ml", "Still water 500 ml"]
    target = tmp_path / "restock.pdf"
    monkeypatch.setattr(printing, "ask_pdf_path", lambda *_args: target)
    dialog.create_button.click()
    qtbot.waitUntil(lambda: dialog.written == target, timeout=10_000)
    assert len(PAGE.findall(target.read_bytes())) == 1
