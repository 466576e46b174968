"""Which screens the window has: one per task, each for a role and up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from pos_app.services.roles import Role
from pos_app.ui.analytics import AnalyticsScreen
from pos_app.ui.audit import AuditScreen
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.inventory import InventoryScreen
from pos_app.ui.promotions import PromotionsScreen
from pos_app.ui.receipts import ReceiptsScreen
from pos_app.ui.refunds import RefundsScreen
from pos_app.ui.session import UiSession
from pos_app.ui.shifts import ShiftScreen
from pos_app.ui.translation import QT_TRANSLATE_NOOP
from pos_app.ui.users import UsersScreen


@dataclass(frozen=True)
class ScreenSpec:
    key: str
    title: str
    icon: str
    role: Role
    factory: Callable[[UiSession, QWidget], QWidget]


SCREENS = (
    ScreenSpec(
        "checkout",
        QT_TRANSLATE_NOOP("Screen", "Checkout"),
        "checkout",
        Role.CASHIER,
        CheckoutScreen,
    ),
    ScreenSpec(
        "receipts", QT_TRANSLATE_NOOP("Screen", "Receipts"), "receipt", Role.CASHIER, ReceiptsScreen
    ),
    ScreenSpec(
        "refunds", QT_TRANSLATE_NOOP("Screen", "Refunds"), "refund", Role.CASHIER, RefundsScreen
    ),
    ScreenSpec("shift", QT_TRANSLATE_NOOP("Screen", "Shift"), "shift", Role.CASHIER, ShiftScreen),
    ScreenSpec(
        "catalog", QT_TRANSLATE_NOOP("Screen", "Catalog"), "catalog", Role.MANAGER, CatalogScreen
    ),
    ScreenSpec(
        "inventory",
        QT_TRANSLATE_NOOP("Screen", "Inventory"),
        "inventory",
        Role.MANAGER,
        InventoryScreen,
    ),
    ScreenSpec(
        "promotions",
        QT_TRANSLATE_NOOP("Screen", "Promotions"),
        "promotions",
        Role.MANAGER,
        PromotionsScreen,
    ),
    ScreenSpec(
        "analytics",
        QT_TRANSLATE_NOOP("Screen", "Analytics"),
        "analytics",
        Role.OWNER,
        AnalyticsScreen,
    ),
    ScreenSpec("users", QT_TRANSLATE_NOOP("Screen", "Users"), "users", Role.OWNER, UsersScreen),
    ScreenSpec("audit", QT_TRANSLATE_NOOP("Screen", "Audit"), "audit", Role.OWNER, AuditScreen),
)


def screens_for(role: Role) -> list[ScreenSpec]:
    return [spec for spec in SCREENS if role.allows(spec.role)]
