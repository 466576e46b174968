"""Typed SQLAlchemy models: the shop's tables and nothing else, one module per subject.

Importing this package registers every table on ``Base.metadata``. Money is integer minor units
(cents); timestamps are UTC; ``local_date`` columns hold the shop's local calendar day of a sale,
fixed at write time so reports never re-derive it.
"""

from pos_app.db.models.audit import AuditEntry
from pos_app.db.models.base import NAMING_CONVENTION, Base, fk, table_of
from pos_app.db.models.catalog import (
    MAX_TAX_RATE_BP,
    MOVEMENT_REASONS,
    Category,
    Inventory,
    Product,
    ProductSearchTerm,
    StockMovement,
)
from pos_app.db.models.people import ROLES, Token, User
from pos_app.db.models.promotions import PROMOTION_KINDS, Promotion, PromotionTarget
from pos_app.db.models.rollups import (
    CATEGORY_SET_KEY_LENGTH,
    DailyCategorySales,
    DailyCategorySet,
    DailyProductSales,
    HourlySales,
    PeriodProductSales,
)
from pos_app.db.models.sales import TENDERS, Payment, Refund, RefundItem, Sale, SaleItem
from pos_app.db.models.tills import HeldCart, Shift

__all__ = [
    "CATEGORY_SET_KEY_LENGTH",
    "MAX_TAX_RATE_BP",
    "MOVEMENT_REASONS",
    "NAMING_CONVENTION",
    "PROMOTION_KINDS",
    "ROLES",
    "TENDERS",
    "AuditEntry",
    "Base",
    "Category",
    "DailyCategorySales",
    "DailyCategorySet",
    "DailyProductSales",
    "HeldCart",
    "HourlySales",
    "Inventory",
    "Payment",
    "PeriodProductSales",
    "Product",
    "ProductSearchTerm",
    "Promotion",
    "PromotionTarget",
    "Refund",
    "RefundItem",
    "Sale",
    "SaleItem",
    "Shift",
    "StockMovement",
    "Token",
    "User",
    "fk",
    "table_of",
]
