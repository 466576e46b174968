"""No cart is ever lost: it is kept on disk while it is rung up, and settled before leaving.

Every change of the cart rewrites a small file in the data dir (``services.open_cart``, written
off the UI thread so a scan never waits for the disk); paying, parking or voiding the cart
removes it. On the next start after a crash the checkout offers the
cart back (same sale id) or voids it with every line in the audit log. Logging out or quitting with
lines in the cart asks first: park it, void it (audited with every line), or go back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from pos_app.domain.discounts import Discount
from pos_app.services import catalog, checkout, held_sales, open_cart, voids
from pos_app.services.access import ApprovalToken
from pos_app.services.catalog import ProductInfo
from pos_app.services.errors import PosError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.held_sale_pricing import HeldLineInfo
from pos_app.services.open_cart import OpenCart, OpenCartLine
from pos_app.ui.checkout.kept_cart import held_lines, kept_lines, recalled_facts, recalled_lines
from pos_app.ui.checkout.sale_controller import SaleController
from pos_app.ui.errors import describe_error
from pos_app.ui.tasks import run_in_background

PARK, VOID, BACK = "park", "void", "back"
RESTORE = "restore"
FLUSH_SECONDS = 5.0
Done = Callable[[bool], None]


def ask_open_cart(parent: QWidget, lines: int, total: str, leaving: str) -> str:
    """Park, void or go back (tests replace this)."""
    box = QMessageBox(parent)
    box.setObjectName("openCartQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("checkout.cart_keeper", "The cart is not empty"))
    # tr on the class, whose name is the context (PySide6's stubs know only the method).
    question = CartKeeper.tr(
        "The cart has %Ln line(s), {0}. What happens to it before you {1}?",  # type: ignore[arg-type]
        "",
        lines,  # type: ignore[arg-type]
    )
    box.setText(question.format(total, leaving))
    box.setInformativeText(
        QCoreApplication.translate(
            "checkout.cart_keeper",
            "Park it to finish the sale later at any till, or void it (the void is recorded).",
        )
    )
    park = box.addButton(
        QCoreApplication.translate("checkout.cart_keeper", "Park the sale"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    void = box.addButton(
        QCoreApplication.translate("checkout.cart_keeper", "Void the cart"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    back = box.addButton(
        QCoreApplication.translate("checkout.cart_keeper", "Go back"),
        QMessageBox.ButtonRole.RejectRole,
    )
    box.setDefaultButton(park)
    box.setEscapeButton(back)
    box.exec()
    if not shiboken6.isValid(box):  # the window went away under the question: keep the cart
        return BACK
    clicked = box.clickedButton()
    return PARK if clicked is park else VOID if clicked is void else BACK


def ask_restore(parent: QWidget, cart: OpenCart, total: str, when: str) -> str:
    """Restore the cart left by a crash, or void it (tests replace this); BACK if unanswered."""
    box = QMessageBox(parent)
    box.setObjectName("restoreCartQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("checkout.cart_keeper", "Unfinished sale"))
    question = CartKeeper.tr(  # on the class, as in ask_open_cart
        "The till stopped during a sale: %Ln line(s), {0}, rung up by {1} at {2}. "  # type: ignore[arg-type]
        "Put it back in the cart?",
        "",
        len(cart.lines),  # type: ignore[arg-type]
    )
    box.setText(question.format(total, cart.user_name, when))
    restore = box.addButton(
        QCoreApplication.translate("checkout.cart_keeper", "Restore the sale"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.addButton(
        QCoreApplication.translate("checkout.cart_keeper", "Void it"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    box.setDefaultButton(restore)
    box.exec()
    if not shiboken6.isValid(box):  # the window went away: the file stays for the next start
        return BACK
    return RESTORE if box.clickedButton() is restore else VOID


def still_valid(cart: OpenCart, user_id: int, now: datetime) -> dict[int, ApprovalToken]:
    """The signed approvals kept with the cart that can still be used: signed for the person
    logged in now, and not run out."""
    if cart.user_id != user_id:
        return {}
    return {
        approval.id: approval
        for approval in cart.approvals
        if approval.expires_at is not None and approval.expires_at > now
    }


class CartKeeper(QObject):
    def __init__(self, sale: SaleController) -> None:
        super().__init__(sale)
        self._sale = sale
        self._session = sale.session
        settings = self._session.settings
        self.path = open_cart.journal_path(settings.data_dir, self._session.ctx.till_id)
        self.writer = open_cart.JournalWriter(self.path)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.flush)
        self.settling = False
        self._offered = False
        self._warned = False
        sale.add_busy_check(lambda: self.settling)
        sale.cart.changed.connect(self.keep)

    # kept on disk

    def current(self) -> OpenCart:
        return self._snapshot()()

    def _snapshot(self) -> Callable[[], OpenCart]:
        """What the file must show, taken now; the cart is put together on the writer's thread."""
        user, model = self._session.user, self._sale.cart
        rows, sale_uuid = model.lines(), self._sale.sale_uuid
        cart_discount, approvals = model.cart_discount, model.approvals.tokens()
        kept_lines, shown_total = model.cart.lines, model.total_cents

        def build() -> OpenCart:
            approver_ids = {line.product_id: line.approver_id for line in kept_lines}
            lines = tuple(
                OpenCartLine(
                    line.product_id,
                    line.name,
                    quantity,
                    line.unit_price_cents,
                    line.override_cents,
                    line.sold_by,
                    label_price,
                    line.discount,
                    approver_ids.get(line.product_id),
                )
                for line in rows
                for quantity, label_price in line.sold_parts()
            )
            now = datetime.now(UTC)
            return OpenCart(
                sale_uuid,
                user.id,
                user.full_name,
                now,
                lines,
                cart_discount,
                tuple(approvals.values()),
                shown_total,
            )

        return build

    def keep(self) -> None:
        """Have the cart written to disk (or the file removed once it is empty)."""
        self.writer.keep(None if self._sale.cart.is_empty() else self._snapshot())
        if self.writer.take_error() is not None and not self._warned:
            # An earlier write failed: said at the next change, as the writer is not the UI.
            self._warned = True
            self._sale.show_message(
                self.tr(
                    "The cart could not be saved on this computer; finish the sale before "
                    "closing the till."
                ),
                error=True,
            )

    def flush(self, timeout: float = FLUSH_SECONDS) -> bool:
        """Wait until the file shows the cart as it is now (before quitting, and in tests)."""
        return self.writer.flush(timeout)

    # offered back after a crash

    def offer_back(self) -> None:
        if self._offered:
            return
        self._offered = True
        cart = open_cart.load(self.path)
        if cart is None or not self._sale.cart.is_empty():
            return
        money = self._session.money(cart.total_cents)
        when = self._session.when(cart.saved_at)
        choice = ask_restore(self._sale.widget, cart, money, when)
        if choice == RESTORE:
            self._restore(cart)
        elif choice == VOID:
            lines = kept_lines(cart.lines)
            reason = "unfinished sale found at start"
            self._void(lines, cart.cart_discount, reason, lambda _ok: None)

    def _restore(self, cart: OpenCart) -> None:
        ctx, user = self._session.ctx, self._session.user

        def products() -> dict[int, ProductInfo]:
            found: dict[int, ProductInfo] = {}
            for line in cart.lines:
                try:
                    found[line.product_id] = catalog.get_product(ctx, user, line.product_id)
                except PosError:
                    continue
            return found

        self.settling = True
        run_in_background(
            self._sale,
            products,
            lambda found: self._on_restore_loaded(cart, found),
            lambda error: self._on_restore_loaded(cart, {}),
        )

    def _on_restore_loaded(self, cart: OpenCart, products: dict[int, ProductInfo]) -> None:
        self.settling = False
        lines = [
            HeldLineInfo(
                line.product_id,
                line.name,
                products[line.product_id].sku if line.product_id in products else "",
                line.quantity,
                line.unit_price_cents,
                line.price_override_cents,
                discount=line.discount,
                override_approver_id=line.override_approver_id,
                sold_by=line.sold_by,
                label_price_cents=line.label_price_cents,
            )
            for line in cart.lines
        ]
        approvals = still_valid(cart, self._session.user.id, datetime.now(UTC))
        self._sale.restore(
            recalled_lines(lines),
            recalled_facts(lines, products),
            cart_discount=cart.cart_discount,
            sale_uuid=cart.sale_uuid or checkout.new_sale_uuid(),
            approvals=approvals,
        )
        self.keep()
        self._sale.show_message(self._restored_message(len(lines)))

    def _restored_message(self, count: int) -> str:
        text = self.tr(
            "The unfinished sale is back in the cart (%Ln line(s)); "
            "check it with the customer and take payment.",
            "",
            count,
        )
        if self._sale.cart.approvals.run_out():
            text += " " + self.tr(
                "Its approval has run out: a manager or the owner approves the changed prices "
                "and discounts again at Pay."
            )
        return text

    # settled before leaving

    def settle(self, choice: str, done: Done) -> None:
        """Park or void the cart in the background, then ``done(succeeded)``."""
        if choice == PARK:
            self._park(done)
        elif choice == VOID:
            cart = self._sale.cart
            self._void(held_lines(cart.cart), cart.cart_discount, "log out or quit", done)
        else:
            done(False)

    def _park(self, done: Done) -> None:
        sale = self._sale
        ctx, user = self._session.ctx, self._session.user
        lines = held_lines(sale.cart.cart)
        cart_discount = sale.cart.cart_discount
        approval = sale.cart.approvals.approver()
        hold_uuid = sale.ensure_sale_uuid()
        label = f"Parked at log-out by {user.full_name}"
        self.settling = True
        run_in_background(
            sale,
            lambda: held_sales.hold_cart(
                ctx,
                user,
                lines,
                label,
                hold_uuid=hold_uuid,
                cart_discount=cart_discount,
                approval=approval,
            ),
            lambda _cart: self._on_settled(done, "The sale was parked; recall it with F8."),
            lambda error: self._on_settle_failed(done, "parked", error),
        )

    def _void(
        self, lines: list[HeldLine], cart_discount: Discount | None, reason: str, done: Done
    ) -> None:
        """Void the cart: the service counts it at what the sale would have charged."""
        ctx, user = self._session.ctx, self._session.user
        self.settling = True
        run_in_background(
            self._sale,
            lambda: voids.void_cart(ctx, user, lines, cart_discount, reason=reason),
            lambda _amount: self._on_settled(done, "The cart was voided and the void recorded."),
            lambda error: self._on_settle_failed(done, "voided", error),
        )

    def _on_settled(self, done: Done, message: str) -> None:
        self.settling = False
        self._sale.reset()
        self.writer.keep(None)
        self._sale.show_message(message)
        done(True)

    def _on_settle_failed(self, done: Done, what: str, error: BaseException) -> None:
        self.settling = False
        self._sale.show_message(
            self.tr("The cart was not {0}: {1} It is still here.").format(
                what, describe_error(error)
            ),
            error=True,
        )
        done(False)


__all__ = ["BACK", "PARK", "RESTORE", "VOID", "CartKeeper", "ask_open_cart", "ask_restore"]
