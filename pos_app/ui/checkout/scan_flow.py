"""From a code scanned or typed to a line in the cart.

Codes wait in a queue while one is looked up in the background, so a scanner that types fast
loses nothing. The first line of a sale waits for the shift gate (a sale needs an open shift).
A product scanned in this sale a moment ago comes from a small cache instead of the database:
the usual "three of the same" costs one lookup. A weighed product typed by its code asks for
its weight; a scale label carries its own.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication

from pos_app.domain.cart_rules import quantity_refusal
from pos_app.services import product_lookup
from pos_app.services.catalog import ProductInfo
from pos_app.services.product_lookup import Scan
from pos_app.ui.checkout.product_picker import split_quantity
from pos_app.ui.checkout.sale_controller import SaleController
from pos_app.ui.checkout.shift_gate import ShiftGate
from pos_app.ui.checkout.weight_dialog import WeightDialog
from pos_app.ui.errors import describe_error
from pos_app.ui.tasks import run_in_background

CACHE_SIZE = 256
CACHE_SECONDS = 30.0


class RecentScans:
    """What the last codes scanned found, for a short while (the newest ``CACHE_SIZE``)."""

    def __init__(self, size: int = CACHE_SIZE, seconds: float = CACHE_SECONDS) -> None:
        self._size, self._seconds = size, seconds
        self._found: OrderedDict[str, tuple[float, Scan]] = OrderedDict()

    def get(self, code: str) -> Scan | None:
        entry = self._found.get(code)
        if entry is None or time.monotonic() - entry[0] > self._seconds:
            return None
        self._found.move_to_end(code)
        return entry[1]

    def put(self, code: str, scan: Scan) -> None:
        self._found[code] = (time.monotonic(), scan)
        self._found.move_to_end(code)
        while len(self._found) > self._size:
            self._found.popitem(last=False)

    def clear(self) -> None:
        self._found.clear()


class ScanFlow(QObject):
    def __init__(self, sale: SaleController) -> None:
        super().__init__(sale)
        self._sale = sale
        self._session = sale.session
        self._scans: deque[tuple[int, str]] = deque()
        self._looking_up = False
        self.recent = RecentScans()
        self.shift_gate = ShiftGate(sale.widget, sale.session, self._on_gate_report)
        sale.add_busy_check(self.busy)
        sale.sale_completed.connect(self.recent.clear)  # stock and prices may have moved

    def busy(self) -> bool:
        return self._looking_up or self.shift_gate.checking or bool(self._scans)

    def enter(self, text: str) -> None:
        """A code (with an optional ``3*`` quantity) from the scan field."""
        quantity, code = split_quantity(text)
        if refusal := quantity_refusal(quantity):
            self._sale.show_message(
                QCoreApplication.translate("CheckoutScreen", "Nothing was added. {0}").format(
                    refusal
                ),
                error=True,
            )
            QApplication.beep()
            return
        self._scans.append((quantity, code))
        self._start_next_lookup()

    def add_picked(self, product: ProductInfo) -> None:
        """A product chosen from the suggestions: one piece, or its weight asked."""
        if product.is_weighed:
            self._add_weighed(product)
        else:
            self._add_product(product, 1)

    def ask_weight(self, name: str, price_per_kg_cents: int) -> int | None:
        """The grams of a weighed product typed in the weight dialog, or None to go back."""
        grams = WeightDialog.ask(name, price_per_kg_cents, self._session.fmt, self._sale.widget)
        self._sale.focus_scan()
        return grams

    def _start_next_lookup(self) -> None:
        while not self._looking_up and not self.shift_gate.checking and self._scans:
            quantity, code = self._scans.popleft()
            known = self.recent.get(code)
            if known is not None:
                self._add_scanned(self._as_known_now(known), quantity)
                continue
            self._look_up(code, quantity)

    def _look_up(self, code: str, quantity: int) -> None:
        self._looking_up = True
        ctx, user = self._session.ctx, self._session.user
        run_in_background(
            self,
            lambda: product_lookup.scan_or_only_match(ctx, user, code),
            lambda scan: self._on_lookup_succeeded(code, scan, quantity),
            self._on_lookup_failed,
        )

    def _as_known_now(self, scan: Scan) -> Scan:
        """A remembered scan with the stock the cart knows now (counted since, say)."""
        in_stock = self._sale.cart.known_stock(scan.product.id)
        if in_stock is None:
            return scan
        return replace(scan, product=replace(scan.product, quantity=in_stock))

    def _on_lookup_succeeded(self, code: str, scan: Scan, quantity: int) -> None:
        self._looking_up = False
        self.recent.put(code, scan)
        self._add_scanned(scan, quantity)
        self._start_next_lookup()

    def _on_lookup_failed(self, error: BaseException) -> None:
        self._looking_up = False
        self._sale.show_message(describe_error(error), error=True)
        QApplication.beep()
        self._start_next_lookup()

    def _add_scanned(self, scan: Scan, quantity: int) -> None:
        product = scan.product
        if scan.grams is not None:
            if quantity != 1:
                self._sale.show_message(
                    "A scale label sells the weight on it; scan it once.", error=True
                )
            else:
                self._add_product(product, scan.grams, label_price_cents=scan.label_price_cents)
        elif product.is_weighed:
            self._add_weighed(product, quantity)
        else:
            self._add_product(product, quantity)

    def _add_weighed(self, product: ProductInfo, quantity: int = 1) -> None:
        """A weighed product whose code was typed or picked: its weight is asked."""
        if quantity != 1:
            self._sale.show_message(
                f"{product.name} is sold by weight; weigh it instead.", error=True
            )
            return
        grams = self.ask_weight(product.name, product.price_cents)
        if grams is not None:
            self._add_product(product, grams)

    def _add_product(
        self, product: ProductInfo, quantity: int, *, label_price_cents: int | None = None
    ) -> None:
        """Add ``quantity`` pieces, or grams of a weighed product (from a price label: its
        price)."""
        sale = self._sale
        if not product.is_active:
            sale.show_message(
                QCoreApplication.translate("CheckoutScreen", "{0} is no longer sold.").format(
                    product.name
                ),
                error=True,
            )
            return
        if refusal := sale.cart.adding_refusal(product.id, quantity, product.is_weighed):
            sale.show_message(
                QCoreApplication.translate("CheckoutScreen", "Nothing was added. {0}").format(
                    refusal
                ),
                error=True,
            )
            return
        if sale.cart.is_empty():
            self.shift_gate.check(
                lambda: self._start_sale(product, quantity, label_price_cents),
                self._on_shift_refused,
            )
            return
        self._add_line(product, quantity, label_price_cents)

    def _start_sale(
        self, product: ProductInfo, quantity: int, label_price_cents: int | None = None
    ) -> None:
        self._sale.start_sale()
        self._add_line(product, quantity, label_price_cents)
        self._start_next_lookup()

    def _on_shift_refused(self) -> None:
        self._scans.clear()
        self._sale.focus_scan()

    def _on_gate_report(self, text: str, error: bool) -> None:
        self._sale.show_message(text, error=error)

    def _add_line(
        self, product: ProductInfo, quantity: int, label_price_cents: int | None = None
    ) -> None:
        sale = self._sale
        row = sale.cart.add_product(product, quantity, label_price_cents=label_price_cents)
        if row < 0:  # refused by the cart, which said why
            return
        sale.select_row(row)
        line = sale.cart.line(row)
        if line.quantity > product.quantity:
            sale.warn_short(row)
        elif line.is_weighed:
            sale.show_message(
                QCoreApplication.translate("CheckoutScreen", "Added {0} ({1}).").format(
                    product.name, self._session.fmt.weight(quantity)
                )
            )
        else:
            sale.show_message(
                QCoreApplication.translate("CheckoutScreen", "Added {0} (quantity {1}).").format(
                    product.name, self._session.fmt.number(line.quantity)
                )
            )


__all__ = ["RecentScans", "ScanFlow"]
