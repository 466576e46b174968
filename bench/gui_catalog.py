"""Catalog figures for bench/gui.py: shop-like product names, opening the catalog screen, and
filter-as-you-type measured from the keystroke to the model showing that filter's rows."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from pos_app.config import Settings
from pos_app.services.access import UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

BRANDS = [
    "Alpine",
    "Farmhouse",
    "Golden",
    "Harvest",
    "Island",
    "Juniper",
    "Kingsley",
    "Lakeside",
    "Meadow",
    "Northern",
    "Oakwood",
    "Pioneer",
    "Queens",
    "Riverside",
    "Summit",
    "Tidewater",
    "Bella",
    "Crown",
    "Delta",
    "Evergreen",
]
ITEMS = [
    "Whole milk",
    "Oat milk",
    "Greek yogurt",
    "Cheddar cheese",
    "Butter",
    "Orange juice",
    "Apple juice",
    "Sparkling water",
    "Still water",
    "Cola",
    "Lemonade",
    "Green tea",
    "Black tea",
    "Ground coffee",
    "Coffee beans",
    "Milk chocolate",
    "Dark chocolate",
    "Chocolate cookies",
    "Oat biscuits",
    "Potato crisps",
    "Tortilla chips",
    "Salted peanuts",
    "Cashews",
    "Granola",
    "Corn flakes",
    "Porridge oats",
    "Basmati rice",
    "Spaghetti",
    "Penne",
    "Tomato sauce",
    "Pesto",
    "Olive oil",
    "Sunflower oil",
    "Red lentils",
    "Chickpeas",
    "Kidney beans",
    "Tuna",
    "Sardines",
    "Peanut butter",
    "Strawberry jam",
    "Honey",
    "Maple syrup",
    "White bread",
    "Rye bread",
    "Bagels",
    "Shampoo",
    "Conditioner",
    "Toothpaste",
    "Hand soap",
    "Dish soap",
    "Laundry liquid",
    "Paper towels",
    "Toilet paper",
    "Dog food",
    "Cat food",
    "Batteries AA",
    "Light bulb",
    "Notebook",
    "Ballpoint pens",
    "Quinoa",
]
VARIANTS = ("", "Organic ", "Light ", "Classic ", "Extra ", "Family ", "Mini ", "Premium ")
SIZES = ("100 g", "250 g", "500 g", "1 kg", "330 ml", "500 ml", "1 l", "2 l", "6 pack", "12 pack")
# What a manager types into the filter, one character at a time (common to rare).
WORDS = ("chocolate", "sparkling", "organic quinoa", "juniper pesto 1 kg", "SKU-0421")
TIMEOUT_MS = 20_000


def product_names(count: int, seed: int = 11) -> Iterator[str]:
    """``count`` names like 'Meadow Organic Dark chocolate 250 g', in a shuffled order."""
    combos = len(BRANDS) * len(ITEMS) * len(VARIANTS) * len(SIZES)
    order = random.Random(seed).sample(range(combos), min(count, combos))
    for n in range(count):
        k = order[n % len(order)]
        k, size = divmod(k, len(SIZES))
        k, variant = divmod(k, len(VARIANTS))
        brand, item = divmod(k, len(ITEMS))
        yield f"{BRANDS[brand]} {VARIANTS[variant]}{ITEMS[item]} {SIZES[size]}"


def matches(product: ProductInfo, text: str) -> bool:
    folded = text.casefold()
    return (
        folded in product.name.casefold()
        or product.sku.casefold().startswith(folded)
        or (product.barcode or "").startswith(text)
    )


def wait_for(signal: object, timeout_ms: int = TIMEOUT_MS) -> None:
    """Block in an event loop until ``signal`` fires (no busy polling stealing the GIL)."""
    loop = QEventLoop()
    fired: list[bool] = []

    def done() -> None:
        fired.append(True)
        loop.quit()

    signal.connect(done)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(done)  # type: ignore[attr-defined]
    if not fired:
        raise SystemExit("the catalog did not load in time")


def settle(screen: CatalogScreen) -> None:
    """Let background work finish and the screen paint, as it has before a person types."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    loop = QEventLoop()
    while pending_tasks() and time.monotonic() < deadline:
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    QApplication.processEvents()


def open_catalog(session: UiSession) -> tuple[float, CatalogScreen]:
    """Milliseconds from constructing the screen to its first page of products in the model."""
    start = time.perf_counter()
    screen = CatalogScreen(session)
    screen.resize(1280, 800)
    screen.show()
    wait_for(screen.products.loaded)
    elapsed = (time.perf_counter() - start) * 1000
    if screen.products.rowCount() == 0:
        raise SystemExit("the catalog opened empty")
    return elapsed, screen


def type_word(screen: CatalogScreen, word: str) -> tuple[list[float], list[float]]:
    """Type ``word`` one character at a time. Per keystroke: milliseconds from setText to that
    filter's rows in the model, and to the table repainted with them (events drained, as they
    are between two keystrokes of a person)."""
    in_model, painted = [], []
    for end in range(1, len(word) + 1):
        text = word[:end]
        start = time.perf_counter()
        screen.filter_field.setText(text)
        if screen.products.is_loading:  # not when the filter is unchanged (a trailing space)
            wait_for(screen.products.loaded)
        in_model.append((time.perf_counter() - start) * 1000)
        QApplication.processEvents()
        painted.append((time.perf_counter() - start) * 1000)
        rows = screen.products.rows()
        if not all(matches(row, text.strip()) for row in rows):
            raise SystemExit(f"the filter {text!r} shows rows that do not match")
    return in_model, painted


def catalog_figures(
    ctx: ServiceContext, settings: Settings, user: UserSession, label: str
) -> dict[str, float]:
    """Open the catalog 5 times and type every word in WORDS; returns figures named by label."""
    session = UiSession(ctx, settings, user)
    opens = []
    for _ in range(5):
        elapsed, screen = open_catalog(session)
        opens.append(elapsed)
        settle(screen)
        screen.close()
        screen.deleteLater()
    _, screen = open_catalog(session)
    settle(screen)
    keystrokes: list[float] = []
    repainted: list[float] = []
    per_word: dict[str, list[float]] = {}
    for word in WORDS:
        per_word[word], painted = type_word(screen, word)
        keystrokes += per_word[word]
        repainted += painted
        screen.filter_field.setText("")
        wait_for(screen.products.loaded)
        settle(screen)
    screen.close()
    figures = {
        f"{label}_catalog_open_median_ms": round(statistics.median(opens), 1),
        f"{label}_catalog_open_max_ms": round(max(opens), 1),
        f"{label}_filter_p50_ms": round(statistics.median(keystrokes), 1),
        f"{label}_filter_p95_ms": round(percentile(keystrokes, 0.95), 1),
        f"{label}_filter_max_ms": round(max(keystrokes), 1),
        f"{label}_filter_painted_p95_ms": round(percentile(repainted, 0.95), 1),
    }
    print(
        f"[{label}] catalog open (construct, show, first page in the model): "
        f"median {figures[f'{label}_catalog_open_median_ms']} ms, "
        f"max {figures[f'{label}_catalog_open_max_ms']} ms (5 opens)"
    )
    for word, samples in per_word.items():
        shown = " ".join(f"{s:.0f}" for s in samples)
        print(f"[{label}]   typing {word!r}: {shown} ms")
    print(
        f"[{label}] filter as you type (setText to rows in the model): "
        f"p50 {figures[f'{label}_filter_p50_ms']} ms, p95 {figures[f'{label}_filter_p95_ms']} ms, "
        f"max {figures[f'{label}_filter_max_ms']} ms ({len(keystrokes)} keystrokes); "
        f"to the table repainted: p50 {statistics.median(repainted):.1f} ms, "
        f"p95 {figures[f'{label}_filter_painted_p95_ms']} ms"
    )
    return figures


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
