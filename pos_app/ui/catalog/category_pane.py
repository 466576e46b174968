"""The catalog's category list: its title, its New, Edit and Deactivate buttons, and its rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.services import catalog
from pos_app.services.catalog import CategoryInfo
from pos_app.services.paging import Page, PageRequest
from pos_app.ui.catalog.columns import CategoryColumn, fit_category_columns
from pos_app.ui.forms import button, enable_sql_sorting, table_view
from pos_app.ui.models import Fetch, PagedTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.style import set_role


class CategoryPane(QWidget):
    """The categories with their buttons; the catalog screen decides what the buttons do."""

    def __init__(
        self, categories: PagedTableModel[CategoryInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Categories"))
        set_role(title, "title")
        self.new_category_button = button(
            "newCategoryButton", self.tr("New…"), self.tr("New category")
        )
        self.edit_category_button = button(
            "editCategoryButton", self.tr("Edit…"), self.tr("Edit category")
        )
        self.category_active_button = button("categoryActiveButton", self.tr("Deactivate"))
        row = QHBoxLayout()
        for widget in (
            self.new_category_button,
            self.edit_category_button,
            self.category_active_button,
        ):
            row.addWidget(widget)
        row.addStretch(1)
        self.category_view = table_view("categoryTable", categories)
        enable_sql_sorting(self.category_view, CategoryColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.category_fit = fit_category_columns(self.category_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.category_view)


def category_fetch(session: UiSession) -> Fetch[CategoryInfo]:
    ctx, actor = session.ctx, session.user

    def fetch(offset: int, limit: int, sort: str | None, descending: bool) -> Page[CategoryInfo]:
        return catalog.list_categories(
            ctx,
            actor,
            page=PageRequest(offset, limit),
            sort=sort or "name",
            descending=descending,
        )

    return fetch
