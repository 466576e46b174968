"""What the catalog's product table asks the database for, and the line counting its rows.

Typing further into the filter only narrows what is shown: when the last answer found every
match of the text typed so far, the next query looks among those products alone rather than
scanning the whole catalogue again.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from pos_app.services import catalog
from pos_app.services.catalog import ProductInfo, ProductPage
from pos_app.services.paging import Page, PageRequest
from pos_app.ui.models import Fetch
from pos_app.ui.session import UiSession
from pos_app.ui.translation import number


@dataclass(frozen=True)
class _Matches:
    search: str
    category_id: int | None
    ids: tuple[int, ...]


class ProductListing:
    """The product filter (text and category) and the fetch that applies it."""

    def __init__(self, session: UiSession) -> None:
        self._session = session
        self.search = ""
        self.category_id: int | None = None
        self._matches: _Matches | None = None

    def fetch(self) -> Fetch[ProductInfo]:
        ctx, actor = self._session.ctx, self._session.user
        search, category_id = self.search, self.category_id
        known = self._matches
        within = None
        if (
            known is not None
            and known.category_id == category_id
            and known.search
            and search != known.search
            and search.startswith(known.search)
        ):
            within = known.ids

        def fetch(offset: int, limit: int, sort: str | None, descending: bool) -> Page[ProductInfo]:
            if within is not None:
                return catalog.refine_products(
                    ctx,
                    actor,
                    within,
                    page=PageRequest(offset, limit),
                    sort=sort or "name",
                    descending=descending,
                    category_id=category_id,
                    search=search or None,
                )
            return catalog.list_products(
                ctx,
                actor,
                page=PageRequest(offset, limit),
                sort=sort or "name",
                descending=descending,
                category_id=category_id,
                search=search or None,
            )

        return fetch

    def remember(self, page: Page[ProductInfo] | None) -> None:
        """Keep the matches of the answer now shown (it is for the current filter)."""
        if isinstance(page, ProductPage) and page.offset == 0:
            if page.matches is not None and self.search:
                self._matches = _Matches(self.search, self.category_id, page.matches)
            else:
                self._matches = None

    def forget(self) -> None:
        """Products may have changed: the next query looks at the whole catalogue."""
        self._matches = None


def count_text(shown: int, page: Page[ProductInfo] | None, total: int) -> str:
    """'12 products', '200 of 5,310 products loaded …', or '100 of 250+ products loaded …'."""
    exact = not isinstance(page, ProductPage) or page.total_is_exact
    amount = number(total) if exact else f"{number(total)}+"
    if shown < total:
        return QCoreApplication.translate(
            "ProductCount", "{0} of {1} products loaded — scroll for more"
        ).format(number(shown), amount)
    if total == 1 and exact:
        return QCoreApplication.translate("ProductCount", "1 product")
    return QCoreApplication.translate("ProductCount", "{0} products").format(amount)
