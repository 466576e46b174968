"""How audit entries read: action names, a one-line summary of the details, the full detail."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTableView

from pos_app.services import audit
from pos_app.services.audit import AuditEvent
from pos_app.services.tax import format_rate
from pos_app.ui.column_fit import WIDEST_MOMENT, ColumnFit
from pos_app.ui.models import Column
from pos_app.ui.session import UiSession
from pos_app.ui.translation import QT_TRANSLATE_NOOP, translated

ACTION_LABELS = {
    audit.LOGIN: QT_TRANSLATE_NOOP("AuditAction", "Logged in"),
    audit.LOGIN_FAILED: QT_TRANSLATE_NOOP("AuditAction", "Failed log-in"),
    audit.VOID_LINE: QT_TRANSLATE_NOOP("AuditAction", "Line voided"),
    audit.VOID_CART: QT_TRANSLATE_NOOP("AuditAction", "Cart voided"),
    audit.PRICE_OVERRIDE: QT_TRANSLATE_NOOP("AuditAction", "Price changed"),
    audit.REFUND: QT_TRANSLATE_NOOP("AuditAction", "Refund"),
    audit.SHIFT_OPEN: QT_TRANSLATE_NOOP("AuditAction", "Shift opened"),
    audit.SHIFT_CLOSE: QT_TRANSLATE_NOOP("AuditAction", "Shift closed"),
    audit.USER_CREATED: QT_TRANSLATE_NOOP("AuditAction", "User created"),
    audit.ROLE_CHANGED: QT_TRANSLATE_NOOP("AuditAction", "Role changed"),
    audit.USER_ACTIVE_CHANGED: QT_TRANSLATE_NOOP("AuditAction", "User (de)activated"),
    audit.PASSWORD_RESET: QT_TRANSLATE_NOOP("AuditAction", "Password reset"),
    audit.TAX_RATE_CHANGED: QT_TRANSLATE_NOOP("AuditAction", "Tax rate changed"),
    audit.STOCK_COUNTED: QT_TRANSLATE_NOOP("AuditAction", "Stock counted at the till"),
    audit.STOCK_CHANGED: QT_TRANSLATE_NOOP("AuditAction", "Stock changed"),
    audit.CATEGORY_CREATED: QT_TRANSLATE_NOOP("AuditAction", "Category created"),
    audit.CATEGORY_CHANGED: QT_TRANSLATE_NOOP("AuditAction", "Category changed"),
    audit.PRODUCT_CREATED: QT_TRANSLATE_NOOP("AuditAction", "Product created"),
    audit.PRODUCT_CHANGED: QT_TRANSLATE_NOOP("AuditAction", "Product changed"),
    audit.CSV_IMPORT: QT_TRANSLATE_NOOP("AuditAction", "Products imported (CSV)"),
    audit.LOGOUT: QT_TRANSLATE_NOOP("AuditAction", "Logged out"),
    audit.APPROVAL: QT_TRANSLATE_NOOP("AuditAction", "Manager approval"),
    audit.DRAWER_OPEN: QT_TRANSLATE_NOOP("AuditAction", "Drawer opened"),
    audit.NO_SALE: QT_TRANSLATE_NOOP("AuditAction", "No sale"),
    audit.DISCOUNT: QT_TRANSLATE_NOOP("AuditAction", "Discount given"),
    audit.PROMOTION_CREATED: QT_TRANSLATE_NOOP("AuditAction", "Promotion created"),
    audit.PROMOTION_CHANGED: QT_TRANSLATE_NOOP("AuditAction", "Promotion changed"),
    audit.PROMOTION_ENDED: QT_TRANSLATE_NOOP("AuditAction", "Promotion ended"),
}
SUMMARY_LIMIT = 160


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return translated("AuditAction", label) if label else action.replace("_", " ").capitalize()


def key_label(key: str) -> str:
    for suffix in ("_cents", "_bp", "_id"):
        if key.endswith(suffix) and key != suffix.lstrip("_"):
            key = key[: -len(suffix)] + (" id" if suffix == "_id" else "")
    return key.replace("_", " ").capitalize()


def value_text(key: str, value: object, money: Callable[[int], str]) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and key.endswith("_cents"):
        return money(value)
    if isinstance(value, int) and key.endswith("_bp"):
        return format_rate(value)
    if key == "changes" and isinstance(value, dict):
        return "; ".join(_change_text(name, change, money) for name, change in value.items())
    if isinstance(value, list):
        return "; ".join(_item_text(item, money) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key_label(k)}: {value_text(k, v, money)}" for k, v in value.items())
    return str(value)


def _change_text(name: str, change: object, money: Callable[[int], str]) -> str:
    """``price_cents: [349, 399]`` reads 'Price: €3.49 → €3.99'."""
    if isinstance(change, list) and len(change) == 2:
        old, new = (value_text(name, value, money) for value in change)
        return f"{key_label(name)}: {old} → {new}"
    return f"{key_label(name)}: {value_text(name, change, money)}"


def _item_text(item: object, money: Callable[[int], str]) -> str:
    """A ``[line id, quantity]`` pair reads '2 of #17'; a dict reads as its fields."""
    if isinstance(item, list) and len(item) == 2:
        return f"{item[1]} of #{item[0]}"
    if isinstance(item, dict):
        return value_text("", item, money)
    return str(item)


def _shown(value: object) -> bool:
    return value is not None and value != "" and value != []


def _money_first(item: tuple[str, object]) -> bool:
    return not item[0].endswith("_cents")


def summary(event: AuditEvent, money: Callable[[int], str]) -> str:
    """``Total: €3.00, Tender: card, …`` (amounts first, empty values left out), one line."""
    text = ", ".join(
        f"{key_label(key)}: {value_text(key, value, money)}"
        for key, value in sorted(event.detail.items(), key=_money_first)
        if _shown(value)
    )
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1] + "…"


def detail_html(event: AuditEvent, session: UiSession) -> str:
    """Everything about one entry, for the side panel."""
    when = session.when(event.created_at, seconds=True)
    head = [
        (QCoreApplication.translate("AuditDetail", "When"), when),
        (
            QCoreApplication.translate("AuditDetail", "Who"),
            event.user_name or "—",
        ),
        (QCoreApplication.translate("AuditDetail", "Till"), event.till_id),
        (
            QCoreApplication.translate("AuditDetail", "Action"),
            action_label(event.action),
        ),
        (
            QCoreApplication.translate("AuditDetail", "Subject"),
            event.subject or "—",
        ),
    ]
    details = [
        (key_label(key), value_text(key, value, session.money))
        for key, value in event.detail.items()
    ]
    return (
        f"<h3>{escape(action_label(event.action))} <span style='color:#5c6b7a;'>"
        f"#{event.id}</span></h3>{_table(head)}"
        + (f"<h4>Details</h4>{_table(details)}" if details else "<p>No further details.</p>")
    )


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='color:#5c6b7a; padding-right:12px;'>{escape(left)}</td>"
        f"<td>{escape(right)}</td></tr>"
        for left, right in rows
    )
    return f"<table cellspacing='0' cellpadding='2'>{cells}</table>"


class AuditColumn(IntEnum):
    TIME = 0
    USER = 1
    TILL = 2
    ACTION = 3
    SUBJECT = 4
    DETAILS = 5


def fit_audit_columns(view: QTableView, session: UiSession) -> ColumnFit:
    """The details take what is left; the till steps aside first, then the subject (both are
    in the detail pane of the chosen entry)."""
    return ColumnFit(
        view,
        stretch=AuditColumn.DETAILS,
        minimum="Total: €12.50, Tender: card",
        samples={
            AuditColumn.TIME: session.when(WIDEST_MOMENT, seconds=True),
            AuditColumn.USER: "Olivia Hartmann",
            AuditColumn.TILL: "till-01",
            AuditColumn.ACTION: action_label(audit.PRICE_OVERRIDE),
            AuditColumn.SUBJECT: "owner@till.example",
        },
        spare=(AuditColumn.SUBJECT, AuditColumn.TILL),
    )


def audit_columns(session: UiSession) -> list[Column[AuditEvent]]:
    return [
        Column(
            QCoreApplication.translate("audit.columns", "Time"),
            lambda row: session.when(row.created_at, seconds=True),
        ),
        Column(
            QCoreApplication.translate("audit.columns", "User"), lambda row: row.user_name or "—"
        ),
        Column(QCoreApplication.translate("audit.columns", "Till"), lambda row: row.till_id),
        Column(
            QCoreApplication.translate("audit.columns", "Action"),
            lambda row: action_label(row.action),
            tooltip=lambda row: action_label(row.action),
        ),
        Column(QCoreApplication.translate("audit.columns", "Subject"), lambda row: row.subject),
        Column(
            QCoreApplication.translate("audit.columns", "Details"),
            lambda row: summary(row, session.money),
            tooltip=lambda row: summary(row, session.money),
        ),
    ]
