"""Every screen and dialog fits a 1024x768 till screen, at the default font and one step larger.

The real look (font, style sheet) is applied, since that is what makes widgets wide. A window
fits when its minimum size (what its layouts need) leaves room for the window decorations, and
the widgets a cashier cannot do without lie inside the part of it that shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services import catalog, checkout, inventory, receipts, shifts
from pos_app.services.access import PRICE_APPROVAL, UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.csv_files import RowError
from pos_app.services.payments import CASH, PaymentIn
from pos_app.services.roles import Role
from pos_app.ui.analytics.screen import AnalyticsScreen
from pos_app.ui.approval import ApprovalDialog
from pos_app.ui.audit.screen import AuditScreen
from pos_app.ui.catalog.columns import CategoryColumn, ProductColumn
from pos_app.ui.catalog.csv_actions import ImportErrorsDialog
from pos_app.ui.catalog.dialogs import CategoryDialog, ProductDialog
from pos_app.ui.catalog.screen import CatalogScreen
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.checkout.approval_dialog import ApprovalDialog as CheckoutApprovalDialog
from pos_app.ui.checkout.cart_line import Column
from pos_app.ui.checkout.cart_view import MIN_PRODUCT_WIDTH
from pos_app.ui.checkout.held_dialog import RecallDialog
from pos_app.ui.checkout.pay_dialog import PayDialog
from pos_app.ui.checkout.receipt_dialog import ReceiptDialog
from pos_app.ui.inventory.columns import MovementColumn
from pos_app.ui.inventory.dialogs import AdjustDialog
from pos_app.ui.inventory.screen import InventoryScreen
from pos_app.ui.lock import LockDialog
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.progress import ProgressDialog
from pos_app.ui.receipts.screen import ReceiptsScreen, SummaryColumn
from pos_app.ui.session import UiSession
from pos_app.ui.shifts.history import ShiftColumn
from pos_app.ui.shifts.screen import ShiftScreen
from pos_app.ui.shifts.zreport_dialog import ZReportDialog
from pos_app.ui.shortcut_help import ShortcutEntry, ShortcutHelpDialog
from pos_app.ui.style import BASE_POINT_SIZE, apply_style
from pos_app.ui.tasks import pending_tasks
from pos_app.ui.users.dialogs import UserDialog
from tests.factories import open_till
from tests.ui.conftest import Seed

SCREEN = QSize(1024, 768)
# What a window manager takes: a title bar and thin borders.
DECORATIONS = QSize(10, 40)
USABLE = SCREEN - DECORATIONS
FONT_SIZES = (BASE_POINT_SIZE, BASE_POINT_SIZE + 1)

SessionFor = Callable[[Role], UiSession]


@pytest.fixture(params=FONT_SIZES, ids=lambda size: f"{size}pt")
def styled(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[int]:
    """The till's real look at a font size; the tests' plain look again afterwards."""
    font, sheet, style = QFont(qapp.font()), qapp.styleSheet(), qapp.style().name()
    apply_style(qapp, request.param)
    yield request.param
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setStyle(style)


def assert_fits(window: QWidget) -> None:
    hint, minimum = window.minimumSizeHint(), window.minimumSize()
    for what, size in (("minimumSizeHint", hint), ("minimumSize", minimum)):
        assert size.width() <= USABLE.width(), f"{what} is {size.width()} px wide"
        assert size.height() <= USABLE.height(), f"{what} is {size.height()} px tall"


def assert_inside(window: QWidget, *widgets: QWidget) -> None:
    shown = window.size().boundedTo(USABLE)
    visible = QRect(0, 0, shown.width(), shown.height())
    for widget in widgets:
        assert widget.isVisible(), f"{widget.objectName()} is hidden"
        corner = widget.mapTo(window, widget.rect().topLeft())
        rect = QRect(corner, widget.size())
        assert visible.contains(rect), f"{widget.objectName()} at {rect} is outside {visible}"


def show_at_till_size(qtbot: QtBot, window: QWidget) -> None:
    window.resize(USABLE)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    QApplication.processEvents()


def open_dialog(qtbot: QtBot, dialog: QDialog) -> QDialog:
    """Shown as Qt would: at its size hint, but never larger than the screen."""
    qtbot.addWidget(dialog)
    dialog.resize(dialog.sizeHint().boundedTo(USABLE))
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    return dialog


def buttons_of(dialog: QDialog) -> list[QWidget]:
    return [button for button in dialog.findChildren(QPushButton) if button.isVisible()]


@pytest.mark.parametrize("role", list(Role))
def test_every_screen_of_every_role_fits_1024_by_768(
    qtbot: QtBot, styled: int, session_for: SessionFor, ui_settings: Settings, role: Role
) -> None:
    window = MainWindow(session_for(role), ui_settings)
    qtbot.addWidget(window)
    show_at_till_size(qtbot, window)
    for key in window.screens:
        window.show_screen(key)
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
        QApplication.processEvents()
        assert_fits(window)
    window.show_screen("checkout")
    QApplication.processEvents()
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    toolbar_buttons = [window.toolbar.widgetForAction(a) for a in window.screen_actions.values()]
    assert_inside(window, checkout.total_label, checkout.pay_button, window.statusBar())
    assert_inside(window, *toolbar_buttons)


def sell_many_lines(ctx: ServiceContext, owner: UserSession, count: int) -> int:
    category = catalog.create_category(ctx, owner, name="Many lines").id
    lines = []
    for number in range(count):
        product = catalog.create_product(
            ctx,
            owner,
            name=f"Line product number {number}",
            category_id=category,
            sku=f"MANY-{number:03d}",
            price_cents=100 + number,
            initial_stock=5,
        )
        lines.append(PurchaseLine(product.id, 1))
    total = sum(100 + number for number in range(count))
    result = checkout.purchase(ctx, owner, lines, payments=(PaymentIn(CASH, total),))
    assert result.sale_id is not None
    return result.sale_id


def test_a_sale_of_27_lines_keeps_the_receipt_buttons_on_screen(
    qtbot: QtBot,
    styled: int,
    ui_ctx: ServiceContext,
    ui_settings: Settings,
    session_for: SessionFor,
) -> None:
    owner = session_for(Role.OWNER).user
    sale_id = sell_many_lines(ui_ctx, owner, 27)
    receipt = receipts.get_receipt(ui_ctx, owner, sale_id)
    dialog = open_dialog(qtbot, ReceiptDialog(receipt, ui_settings))
    assert_fits(dialog)
    assert_inside(dialog, *buttons_of(dialog), dialog.status_label)
    text = dialog.text
    assert text.verticalScrollBar().maximum() > 0, "the long receipt scrolls inside the dialog"


def test_the_z_report_fits(
    qtbot: QtBot, styled: int, ui_ctx: ServiceContext, ui_seed: Seed, session_for: SessionFor
) -> None:
    cashier = session_for(Role.CASHIER).user
    report = shifts.close_shift(ui_ctx, cashier, 0)  # the seeded shift
    dialog = open_dialog(qtbot, ZReportDialog(session_for(Role.CASHIER), report))
    assert_fits(dialog)
    assert_inside(dialog, *buttons_of(dialog))


def test_the_small_dialogs_fit(
    qtbot: QtBot,
    styled: int,
    ui_ctx: ServiceContext,
    ui_settings: Settings,
    session_for: SessionFor,
    products: dict[str, ProductInfo],
) -> None:
    manager = session_for(Role.MANAGER)
    categories = catalog.list_categories(ui_ctx, manager.user).items
    level = inventory.list_stock(ui_ctx, manager.user).items[0]
    errors = [RowError(n, "price", "'abc' is not an amount of money.") for n in range(2, 400)]
    dialogs: list[QDialog] = [
        LoginDialog(ui_ctx, ui_settings),
        LockDialog(manager),
        PayDialog(1234, manager.fmt, lambda _payments: None),  # type: ignore[arg-type, return-value]
        ProductDialog(manager, categories, products["COLA-330"]),
        CategoryDialog(manager),
        AdjustDialog(manager, level),
        ImportErrorsDialog(errors),
        RecallDialog(manager),
        UserDialog(session_for(Role.OWNER)),
        ShortcutHelpDialog("Checkout", [ShortcutEntry(f"F{n}", "Something") for n in range(40)]),
        ApprovalDialog(manager, "A refund of €80.00 is above €50.00; a manager must approve it."),
        CheckoutApprovalDialog(
            ui_ctx, manager.user, PRICE_APPROVAL, "A price below cost needs a manager's approval."
        ),
        ProgressDialog("Import products", "Importing products.csv…"),
    ]
    for dialog in dialogs:
        open_dialog(qtbot, dialog)
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        assert_fits(dialog)
        assert_inside(dialog, *buttons_of(dialog))
        dialog.hide()


def test_the_cart_keeps_product_names_readable_and_shows_skus_when_there_is_room(
    qtbot: QtBot, styled: int, session_for: SessionFor, ui_settings: Settings
) -> None:
    window = MainWindow(session_for(Role.CASHIER), ui_settings)
    qtbot.addWidget(window)
    show_at_till_size(qtbot, window)
    checkout_screen = window.screens["checkout"]
    assert isinstance(checkout_screen, CheckoutScreen)
    view = checkout_screen.cart_view
    a_long_name = view.fontMetrics().horizontalAdvance("Wholemeal bread loaf") + 16
    assert view.isColumnHidden(Column.SKU)
    assert view.columnWidth(Column.PRODUCT) >= a_long_name

    window.resize(QSize(1366, 768) - DECORATIONS)
    qtbot.waitUntil(lambda: not view.isColumnHidden(Column.SKU), timeout=5000)
    assert view.columnWidth(Column.PRODUCT) >= MIN_PRODUCT_WIDTH
    a_whole_sku = view.fontMetrics().horizontalAdvance("DAI-W012")
    assert view.columnWidth(Column.SKU) > a_whole_sku


def test_the_owners_periods_table_shows_whole_titles_without_a_sideways_scroll(
    qtbot: QtBot, styled: int, session_for: SessionFor, ui_settings: Settings
) -> None:
    window = MainWindow(session_for(Role.OWNER), ui_settings)
    qtbot.addWidget(window)
    show_at_till_size(qtbot, window)
    window.show_screen("analytics")
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    QApplication.processEvents()
    analytics = window.screens["analytics"]
    assert isinstance(analytics, AnalyticsScreen)
    periods = analytics.bucket_view
    header = periods.horizontalHeader()
    if styled == BASE_POINT_SIZE:  # one step larger, a short sideways scroll may appear
        assert header.length() <= periods.viewport().width()
    for column in range(periods.model().columnCount()):
        assert periods.columnWidth(column) >= header.sectionSizeHint(column)  # no title cut


def at_till_size(qtbot: QtBot, session: UiSession, settings: Settings, key: str) -> MainWindow:
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    show_at_till_size(qtbot, window)
    window.show_screen(key)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    QApplication.processEvents()
    return window


def assert_no_sideways_scroll(view: QTableView) -> None:
    header = view.horizontalHeader()
    assert header.length() <= view.viewport().width(), f"{view.objectName()} scrolls sideways"
    assert view.horizontalScrollBar().maximum() == 0, f"{view.objectName()} scrolls sideways"


def readable(view: QTableView, text: str) -> int:
    """The width that shows ``text`` whole in one of the view's cells."""
    return view.fontMetrics().horizontalAdvance(text) + 16


def test_the_catalog_tables_fit_1024_pixels_with_their_names_readable(
    qtbot: QtBot, styled: int, session_for: SessionFor, ui_settings: Settings
) -> None:
    window = at_till_size(qtbot, session_for(Role.MANAGER), ui_settings, "catalog")
    screen = window.screens["catalog"]
    assert isinstance(screen, CatalogScreen)
    categories, products = screen.category_view, screen.product_view
    assert categories.model().rowCount() > 0 and products.model().rowCount() > 0
    for view, name_column, name in (
        (categories, CategoryColumn.NAME, "Household"),
        (products, ProductColumn.NAME, "Chocolate muffin"),
    ):
        assert_no_sideways_scroll(view)
        assert view.columnWidth(name_column) >= readable(view, name)
    for column in (CategoryColumn.PRODUCTS, CategoryColumn.TAX):
        assert not categories.isColumnHidden(column)
        assert categories.columnWidth(column) >= categories.horizontalHeader().sectionSizeHint(
            column
        )
    for column in (ProductColumn.SKU, ProductColumn.CATEGORY, ProductColumn.PRICE):
        assert not products.isColumnHidden(column)

    window.resize(QSize(1366, 768) - DECORATIONS)
    qtbot.waitUntil(lambda: not products.isColumnHidden(ProductColumn.BARCODE), timeout=5000)
    assert_no_sideways_scroll(categories)
    assert_no_sideways_scroll(products)


def test_the_audit_details_column_ends_inside_the_table_at_1024_pixels(
    qtbot: QtBot, styled: int, session_for: SessionFor, ui_settings: Settings
) -> None:
    window = at_till_size(qtbot, session_for(Role.OWNER), ui_settings, "audit")
    screen = window.screens["audit"]
    assert isinstance(screen, AuditScreen)
    table = screen.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=5000)
    assert_no_sideways_scroll(table)
    details = table.model().columnCount() - 1
    header = table.horizontalHeader()
    end = header.sectionViewportPosition(details) + header.sectionSize(details)
    assert end <= table.viewport().width()
    assert table.columnWidth(details) >= readable(table, "Total: €12.50, Tender: card")
    table_area = QRect(table.mapTo(window, table.rect().topLeft()), table.size())
    detail = screen.detail
    detail_area = QRect(detail.mapTo(window, detail.rect().topLeft()), detail.size())
    assert not table_area.intersects(detail_area), "the detail pane covers the table"
    assert_inside(window, table, detail)
    assert detail.width() >= 300 and detail.height() >= 150

    window.resize(QSize(1366, 768) - DECORATIONS)
    qtbot.waitUntil(lambda: screen.splitter.orientation() == Qt.Orientation.Horizontal)
    QApplication.processEvents()
    assert_no_sideways_scroll(table)
    assert all(not table.isColumnHidden(column) for column in range(details + 1))
    assert table.columnWidth(details) >= readable(table, "Total: €12.50, Tender: card")


LONG_NOTE = (
    "Delivery from the wholesaler on the morning run, two cases were damaged and went back "
    "with the driver; credit note promised by Friday"
)


def test_a_long_movement_note_stretches_and_shows_whole_in_its_tooltip_at_1024_pixels(
    qtbot: QtBot,
    styled: int,
    ui_ctx: ServiceContext,
    session_for: SessionFor,
    ui_settings: Settings,
    products: dict[str, ProductInfo],
) -> None:
    manager = session_for(Role.MANAGER)
    inventory.add_stock(ui_ctx, manager.user, products["COLA-330"].id, 6, note=LONG_NOTE)
    window = at_till_size(qtbot, manager, ui_settings, "inventory")
    screen = window.screens["inventory"]
    assert isinstance(screen, InventoryScreen)
    screen.filter_field.setFocus()
    qtbot.keyClicks(screen.filter_field, "COLA-330")
    qtbot.waitUntil(lambda: screen.stock.rowCount() == 1, timeout=5000)
    assert screen.count_label.text().startswith("1 product ·")
    qtbot.keyClick(screen.filter_field, Qt.Key.Key_Down)
    movements = screen.movement_view
    qtbot.waitUntil(lambda: movements.model().rowCount() >= 2, timeout=5000)
    QApplication.processEvents()
    assert_no_sideways_scroll(movements)
    assert_no_sideways_scroll(screen.stock_view)
    assert movements.columnWidth(MovementColumn.NOTE) >= readable(movements, "Delivery from the")
    assert not movements.isColumnHidden(MovementColumn.USER)
    header = movements.horizontalHeader()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) == movements.viewport().width()
    model = movements.model()
    row = next(
        r
        for r in range(model.rowCount())
        if model.index(r, MovementColumn.NOTE).data() == LONG_NOTE
    )
    tip = model.index(row, MovementColumn.NOTE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == LONG_NOTE


SHIFTS_TO_SCROLL = 25


def test_past_shifts_fit_1024_pixels_with_the_difference_shown(
    qtbot: QtBot,
    styled: int,
    ui_ctx: ServiceContext,
    session_for: SessionFor,
    ui_settings: Settings,
) -> None:
    manager = session_for(Role.MANAGER)
    for _ in range(SHIFTS_TO_SCROLL):  # the vertical scroll bar takes its width too
        open_till(ui_ctx, manager.user, 10_000)
        shifts.close_shift(ui_ctx, manager.user, 9_950)
    window = at_till_size(qtbot, manager, ui_settings, "shift")
    screen = window.screens["shift"]
    assert isinstance(screen, ShiftScreen)
    assert screen.history is not None
    table = screen.history.table
    qtbot.waitUntil(lambda: table.model().rowCount() == SHIFTS_TO_SCROLL, timeout=5000)
    assert table.verticalScrollBar().isVisible()
    assert_no_sideways_scroll(table)
    always = (ShiftColumn.OPENED, ShiftColumn.DIFFERENCE)
    for column in (*always, ShiftColumn.CLOSED) if styled == BASE_POINT_SIZE else always:
        assert not table.isColumnHidden(column)
        assert table.columnWidth(column) >= readable(table, table.model().index(0, column).data())
    assert table.columnWidth(ShiftColumn.BY) >= readable(table, "Cara Stone")

    window.resize(QSize(1366, 768) - DECORATIONS)
    wider = (ShiftColumn.CLOSED, ShiftColumn.ID, ShiftColumn.TILL)
    qtbot.waitUntil(lambda: not any(map(table.isColumnHidden, wider)), timeout=5000)
    assert_no_sideways_scroll(table)


def test_a_days_receipts_fit_1024_pixels_beside_the_receipt(
    qtbot: QtBot,
    styled: int,
    ui_ctx: ServiceContext,
    session_for: SessionFor,
    ui_settings: Settings,
    products: dict[str, ProductInfo],
) -> None:
    cashier = session_for(Role.CASHIER)
    for _ in range(RECEIPTS_TO_SCROLL):
        checkout.purchase(ui_ctx, cashier.user, [PurchaseLine(products["COLA-330"].id, 1)])
    window = at_till_size(qtbot, cashier, ui_settings, "receipts")
    screen = window.screens["receipts"]
    assert isinstance(screen, ReceiptsScreen)
    table = screen.table
    qtbot.waitUntil(lambda: table.model().rowCount() >= RECEIPTS_TO_SCROLL, timeout=5000)
    assert table.verticalScrollBar().isVisible()
    assert_no_sideways_scroll(table)
    for column in (SummaryColumn.RECEIPT, SummaryColumn.TIME, SummaryColumn.TOTAL):
        assert not table.isColumnHidden(column)
        assert table.columnWidth(column) >= readable(table, table.model().index(0, column).data())
    assert table.columnWidth(SummaryColumn.CASHIER) >= readable(table, "Cara Stone")


RECEIPTS_TO_SCROLL = 19  # one more than a 1024x768 screen shows; the cola has 20 in stock
