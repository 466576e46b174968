"""The catalog's product filter: typing further narrows the last answer, counts that are floors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pos_app.services import catalog
from pos_app.services.catalog import ProductInfo, ProductPage
from pos_app.services.roles import Role
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.catalog.listing import count_text
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

SessionFor = Callable[[Role], UiSession]


def names(screen: CatalogScreen) -> list[str]:
    return [product.name for product in screen.products.rows()]


def type_text(qtbot: Any, screen: CatalogScreen, text: str) -> None:
    screen.filter_field.setText(text)
    qtbot.waitUntil(lambda: not screen.products.is_loading and pending_tasks() == 0)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which service each product query went to."""
    made: list[str] = []
    for name in ("list_products", "refine_products"):
        real = getattr(catalog, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            made.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(catalog, name, spy)
    return made


def test_typing_further_looks_among_the_last_matches_and_refresh_looks_again(
    qtbot: Any, session_for: SessionFor, calls: list[str]
) -> None:
    screen = CatalogScreen(session_for(Role.MANAGER))
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: pending_tasks() == 0)
    type_text(qtbot, screen, "c")
    assert names(screen) == ["Cola 330 ml", "Crisps, sea salt", "Milk chocolate bar"]
    calls.clear()
    type_text(qtbot, screen, "ch")
    assert (names(screen), calls) == (["Milk chocolate bar"], ["refine_products"])
    type_text(qtbot, screen, "ch ")
    assert calls == ["refine_products"]  # the same filter: nothing asked again
    type_text(qtbot, screen, "c")
    type_text(qtbot, screen, "CO")
    assert names(screen) == ["Cola 330 ml", "Milk chocolate bar"]
    assert calls == ["refine_products", "list_products", "list_products"]
    screen.refresh()
    qtbot.waitUntil(lambda: pending_tasks() == 0)
    assert calls[-1] == "list_products"
    assert screen.count_label.text() == "2 products"


def page_of(total: int, *, exact: bool) -> ProductPage:
    return ProductPage(items=[], total=total, offset=0, limit=200, total_is_exact=exact)


@pytest.mark.parametrize(
    ("shown", "page", "total", "text"),
    [
        (1, page_of(1, exact=True), 1, "1 product"),
        (12, page_of(12, exact=True), 12, "12 products"),
        (200, page_of(5310, exact=True), 5310, "200 of 5,310 products loaded — scroll for more"),
        (200, page_of(1000, exact=False), 1000, "200 of 1,000+ products loaded — scroll for more"),
        (0, None, 0, "0 products"),
    ],
)
def test_the_count_line_says_when_a_total_is_a_floor(
    shown: int, page: ProductPage | None, total: int, text: str
) -> None:
    assert count_text(shown, page, total) == text


def test_product_pages_are_still_pages(products: dict[str, ProductInfo]) -> None:
    page = ProductPage(items=list(products.values()), total=9, offset=0, limit=4)
    assert page.has_more and page.total_is_exact and page.matches is None
