"""With POS_LOCALE=de_DE every screen, dialog, hardware window and receipt is in German.

Each screen and dialog is opened with the German catalog installed and every text on it is
walked (titles, labels, buttons, actions, table headers, tooltips, placeholders). A text with
words that is neither German from the catalog nor data from the database fails the test.

When it fails: mark the text for translation (``self.tr("...")`` in a widget,
``QCoreApplication.translate("Context", "...")`` elsewhere), run
``scripts/update_translations.sh``, translate what it lists in
``pos_app/resources/i18n/till_de.ts`` and run the script again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services import catalog, checkout, inventory, receipts, shifts
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.csv_files import RowError
from pos_app.services.payments import CARD, CASH, PaymentIn
from pos_app.services.roles import Role
from pos_app.ui.catalog.csv_actions import ImportErrorsDialog
from pos_app.ui.catalog.dialogs import CategoryDialog, ProductDialog
from pos_app.ui.checkout.held_dialog import RecallDialog
from pos_app.ui.checkout.pay_dialog import PayDialog
from pos_app.ui.checkout.receipt_dialog import ReceiptDialog
from pos_app.ui.hardware import no_sale
from pos_app.ui.hardware.customer_display import CustomerDisplay
from pos_app.ui.hardware.devices import CompletedSale
from pos_app.ui.hardware.labels import LabelsDialog
from pos_app.ui.inventory.dialogs import AdjustDialog
from pos_app.ui.lock import LockDialog
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from pos_app.ui.shifts.zreport_dialog import ZReportDialog
from pos_app.ui.tasks import pending_tasks
from pos_app.ui.translation import install_translators
from pos_app.ui.users.dialogs import UserDialog
from tests.ui.conftest import Seed
from tests.ui.visible_texts import untranslated, visible_texts

SessionFor = Callable[[Role], UiSession]
WHAT_TO_DO = (
    "mark these texts with self.tr() or QCoreApplication.translate(), run "
    "scripts/update_translations.sh, translate what it lists in "
    "pos_app/resources/i18n/till_de.ts and run it again"
)


@pytest.fixture
def german(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    installed = install_translators(qapp, "de_DE", tmp_path)
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    install_translators(qapp, "en_US", tmp_path)


@pytest.fixture
def german_session(
    german: None, session_for: SessionFor, ui_settings: Settings
) -> Callable[[Role], UiSession]:
    settings = replace(ui_settings, locale="de_DE")

    def make(role: Role) -> UiSession:
        session = session_for(role)
        ctx = replace(session.ctx, currency=settings.currency, locale=settings.locale)
        return replace(session, settings=settings, ctx=ctx)

    return make


def shop_data(seed: Seed, settings: Settings) -> list[str]:
    """Texts that come from the database or the settings, not from the code."""
    data = [settings.shop_name, settings.shop_address, settings.till_id]
    for user in seed.users.values():
        data += [user.full_name, user.email, user.first_name, user.last_name]
    for product in seed.products.values():
        data += [product.name, product.sku, product.category_name]
    return data


# The clock and the database's address are data, not words to translate.
DATA_WIDGETS = frozenset({"statusClock", "statusDatabase"})


def assert_german(widget: QWidget, data: list[str]) -> None:
    QApplication.processEvents()
    shown = [(where, text) for where, text in visible_texts(widget) if where not in DATA_WIDGETS]
    left = untranslated(shown, data)
    assert not left, f"{len(left)} English texts on {widget.objectName()}: {left[:8]}; {WHAT_TO_DO}"


def test_every_screen_is_in_german(qtbot: QtBot, german_session: SessionFor, ui_seed: Seed) -> None:
    session = german_session(Role.OWNER)
    window = MainWindow(session, session.settings)
    qtbot.addWidget(window)
    window.resize(1014, 728)
    window.show()
    qtbot.waitExposed(window)
    data = shop_data(ui_seed, session.settings)
    for key in window.screens:
        window.show_screen(key)
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
        assert_german(window, data)


def test_every_dialog_is_in_german(
    qtbot: QtBot,
    german_session: SessionFor,
    ui_ctx: ServiceContext,
    ui_seed: Seed,
    products: dict[str, ProductInfo],
) -> None:
    manager = german_session(Role.MANAGER)
    owner = german_session(Role.OWNER)
    categories = catalog.list_categories(ui_ctx, manager.user).items
    level = inventory.list_stock(ui_ctx, manager.user).items[0]
    errors = [RowError(2, "price", "The amount cannot be negative.")]
    dialogs: list[QDialog] = [
        LoginDialog(manager.ctx, manager.settings),
        LockDialog(manager),
        PayDialog(1234, manager.fmt, lambda _payments: None),  # type: ignore[arg-type, return-value]
        ProductDialog(manager, categories, products["COLA-330"]),
        CategoryDialog(manager),
        AdjustDialog(manager, level),
        ImportErrorsDialog(errors),
        RecallDialog(manager),
        UserDialog(owner),
    ]
    data = shop_data(ui_seed, manager.settings)
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        assert_german(dialog, data)
        dialog.hide()


def test_the_receipt_and_the_z_report_are_in_german(
    qtbot: QtBot,
    german_session: SessionFor,
    ui_ctx: ServiceContext,
    ui_seed: Seed,
    products: dict[str, ProductInfo],
) -> None:
    cashier = german_session(Role.CASHIER)
    lines = [PurchaseLine(products["COLA-330"].id, 2), PurchaseLine(products["CRISP-SALT"].id, 1)]
    payments = [PaymentIn(CARD, 200), PaymentIn(CASH, 299, 500)]
    sale = checkout.purchase(ui_ctx, cashier.user, lines, payments=payments)
    assert sale.sale_id is not None
    receipt = receipts.get_receipt(ui_ctx, cashier.user, sale.sale_id)
    dialog = ReceiptDialog(receipt, cashier.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    data = shop_data(ui_seed, cashier.settings)
    assert_german(dialog, data)
    report = shifts.close_shift(ui_ctx, cashier.user, 0)  # the seeded shift
    z = ZReportDialog(cashier, report)
    qtbot.addWidget(z)
    z.show()
    assert_german(z, data)


def test_the_till_hardware_windows_and_dialogs_are_in_german(
    qtbot: QtBot, german_session: SessionFor, ui_seed: Seed, products: dict[str, ProductInfo]
) -> None:
    manager = german_session(Role.MANAGER)
    data = shop_data(ui_seed, manager.settings)
    labels = LabelsDialog(manager, [products["COLA-330"], products["CRISP-SALT"]], None)
    reason = no_sale.reason_dialog(None)
    display = CustomerDisplay(manager.settings.shop_name, manager.money)
    for widget in (labels, reason, display):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        assert_german(widget, data)
    display.on_sale_completed(CompletedSale(1, 1234, 266, paid_cash=True))
    assert_german(display, data)
    display.on_sale_completed(CompletedSale(2, 1234, 0, paid_cash=False))
    assert_german(display, data)
    display.show_welcome()
    assert_german(display, data)
    assert display.change_label.text() == "" and "Willkommen" in display.message_label.text()


def test_the_german_till_buttons_show_their_whole_text_and_german_keys_at_1024_pixels(
    qtbot: QtBot, german_session: SessionFor
) -> None:
    session = german_session(Role.CASHIER)
    window = MainWindow(session, session.settings)
    qtbot.addWidget(window)
    window.resize(1014, 728)
    window.show()
    qtbot.waitExposed(window)
    checkout = window.screens["checkout"]
    cut = [
        button.text()
        for button in checkout.findChildren(QPushButton)
        if button.isVisible() and button.sizeHint().width() > button.width()
    ]
    assert cut == []
    assert checkout.price_button.text() == "Preis ändern  (Strg+P)"
