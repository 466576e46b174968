"""The Z report's figures: what a shift took by tender and tax rate, paid back, voided, and the
cash its drawer should hold.

Every figure is summed from the sales, payments and refunds stored against the shift, so a Z report
read while the shift is open shows the figures so far; once it is closed, the cash expected is the
amount stored at the close.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.db.models import Payment, Refund, Sale, SaleItem, Shift
from pos_app.services.drawer import NoSale, openings_of_shift
from pos_app.services.payments import CARD, CASH
from pos_app.services.tax import TaxRateTotal

if TYPE_CHECKING:
    from pos_app.services.shifts import ShiftInfo


@dataclass(frozen=True)
class TenderTotal:
    tender: str
    count: int
    amount_cents: int


@dataclass(frozen=True)
class ZReport:
    shift: ShiftInfo
    sales_count: int
    revenue_cents: int
    tax: list[TaxRateTotal]
    tenders: list[TenderTotal]
    cash_tendered_cents: int
    change_given_cents: int
    refunds_count: int
    refunds_cents: int
    refund_tax_cents: int
    cash_refunds_cents: int
    card_refunds_cents: int
    voids_count: int
    voids_cents: int
    float_cents: int
    expected_cash_cents: int
    counted_cents: int | None
    difference_cents: int | None
    drawer_openings: int = 0
    no_sales: tuple[NoSale, ...] = ()
    discount_cents: int = 0

    @property
    def gross_cents(self) -> int:
        """Sales before promotions and discounts; ``revenue_cents`` is the net after them."""
        return self.revenue_cents + self.discount_cents


def cash_figures(session: Session, shift_id: int, float_cents: int) -> dict[str, int]:
    """Cash taken in and paid back during the shift, and what the drawer should hold for it."""
    cash_in = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_cents), 0))
        .join(Sale, Sale.id == Payment.sale_id)
        .where(Sale.shift_id == shift_id, Payment.tender == CASH)
    )
    cash_out = session.scalar(
        select(func.coalesce(func.sum(Refund.total_cents), 0)).where(
            Refund.shift_id == shift_id, Refund.tender == CASH
        )
    )
    cash_in, cash_out = int(cash_in or 0), int(cash_out or 0)
    return {"cash_in": cash_in, "cash_out": cash_out, "expected": float_cents + cash_in - cash_out}


def build_z_report(session: Session, info: ShiftInfo) -> ZReport:
    """The Z report of the shift ``info`` describes, from what is stored against it."""
    shift_id = info.id
    voids = session.execute(
        select(Shift.void_count, Shift.void_cents).where(Shift.id == shift_id)
    ).one()
    sales_count, revenue = session.execute(
        select(func.count(), func.coalesce(func.sum(Sale.total_cents), 0)).where(
            Sale.shift_id == shift_id
        )
    ).one()
    tax_rows = session.execute(
        select(
            SaleItem.tax_rate_bp,
            func.sum(SaleItem.revenue_cents),
            func.sum(SaleItem.tax_cents),
            func.sum(SaleItem.discount_cents),
        )
        .join(Sale, Sale.id == SaleItem.sale_id)
        .where(Sale.shift_id == shift_id)
        .group_by(SaleItem.tax_rate_bp)
        .order_by(SaleItem.tax_rate_bp)
    ).all()
    tax = [TaxRateTotal(rate, int(g), int(t), int(g) - int(t)) for rate, g, t, _ in tax_rows]
    discounts = sum(int(d) for *_, d in tax_rows)
    tender_rows = session.execute(
        select(
            Payment.tender,
            func.count(),
            func.sum(Payment.amount_cents),
            func.sum(Payment.tendered_cents),
            func.sum(Payment.change_cents),
        )
        .join(Sale, Sale.id == Payment.sale_id)
        .where(Sale.shift_id == shift_id)
        .group_by(Payment.tender)
    ).all()
    by_tender = {row[0]: row for row in tender_rows}
    tenders = [
        TenderTotal(t, int(by_tender[t][1]), int(by_tender[t][2]))
        if t in by_tender
        else TenderTotal(t, 0, 0)
        for t in (CASH, CARD)
    ]
    cash = by_tender.get(CASH)
    refund_rows = session.execute(
        select(
            Refund.tender,
            func.count(),
            func.sum(Refund.total_cents),
            func.sum(Refund.tax_cents),
        )
        .where(Refund.shift_id == shift_id)
        .group_by(Refund.tender)
    ).all()
    refunds = {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in refund_rows}
    figures = cash_figures(session, shift_id, info.float_cents)
    drawer = openings_of_shift(session, shift_id)
    expected = (
        info.expected_cash_cents if info.expected_cash_cents is not None else (figures["expected"])
    )
    return ZReport(
        shift=info,
        sales_count=int(sales_count),
        revenue_cents=int(revenue),
        tax=tax,
        tenders=tenders,
        cash_tendered_cents=int(cash[3]) if cash else 0,
        change_given_cents=int(cash[4]) if cash else 0,
        refunds_count=sum(count for count, _, _ in refunds.values()),
        refunds_cents=sum(total for _, total, _ in refunds.values()),
        refund_tax_cents=sum(tax_cents for _, _, tax_cents in refunds.values()),
        cash_refunds_cents=refunds.get(CASH, (0, 0, 0))[1],
        card_refunds_cents=refunds.get(CARD, (0, 0, 0))[1],
        voids_count=int(voids[0]),
        voids_cents=int(voids[1]),
        float_cents=info.float_cents,
        expected_cash_cents=expected,
        counted_cents=info.counted_cents,
        difference_cents=info.difference_cents,
        drawer_openings=drawer.count,
        no_sales=drawer.no_sales,
        discount_cents=discounts,
    )


__all__ = ["TenderTotal", "ZReport", "build_z_report", "cash_figures"]
