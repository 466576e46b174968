"""Cash drawer openings: recorded, audited, and counted on the shift's Z report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pos_app.services import audit, drawer, shifts
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, PermissionDeniedError, ValidationError
from tests.conftest import FakeClock
from tests.factories import make_staff


def test_a_no_sale_needs_a_manager(ctx: ServiceContext) -> None:
    staff = make_staff(ctx, open_shift=False)
    shifts.open_shift(ctx, staff.cashier, 10_000)
    with pytest.raises(PermissionDeniedError, match="managers and owners"):
        drawer.no_sale(ctx, staff.cashier, "Change for a note")


@pytest.mark.parametrize("reason", ["", "  ", "ok", 42])
def test_a_no_sale_needs_a_reason(ctx: ServiceContext, reason: object) -> None:
    staff = make_staff(ctx, open_shift=False)
    shifts.open_shift(ctx, staff.manager, 10_000)
    with pytest.raises(ValidationError) as caught:
        drawer.no_sale(ctx, staff.manager, reason)  # type: ignore[arg-type]
    assert caught.value.field == "reason"


def test_a_no_sale_needs_an_open_shift(ctx: ServiceContext) -> None:
    staff = make_staff(ctx, open_shift=False)
    with pytest.raises(ConflictError, match="open one"):
        drawer.no_sale(ctx, staff.manager, "Change for a note")


def test_a_no_sale_is_audited_with_its_reason(ctx: ServiceContext) -> None:
    staff = make_staff(ctx, open_shift=False)
    shift = shifts.open_shift(ctx, staff.manager, 10_000)
    recorded = drawer.no_sale(ctx, staff.manager, "  Change for a 50 note ")
    assert recorded.reason == "Change for a 50 note"
    events = audit.list_audit(ctx, staff.owner, action=audit.NO_SALE).items
    assert len(events) == 1
    assert events[0].user_id == staff.manager.id
    assert events[0].detail == {"reason": "Change for a 50 note", "shift_id": shift.id}


def test_z_report_counts_this_shifts_openings_and_lists_no_sales(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    staff = make_staff(ctx, open_shift=False)
    drawer.record_opening(ctx, staff.cashier, drawer.SALE, "R00000001")  # before the shift
    shift = shifts.open_shift(ctx, staff.cashier, 10_000)
    clock.advance(minutes=5)
    drawer.record_opening(ctx, staff.cashier, drawer.SALE, "R00000002")
    drawer.record_opening(ctx, staff.cashier, drawer.REFUND, "F00000001")
    drawer.no_sale(ctx, staff.manager, "Change for a 50 note")
    drawer.record_opening(replace(ctx, till_id="till-2"), staff.manager, drawer.SALE, "R3")
    clock.advance(minutes=5)
    report = shifts.close_shift(ctx, staff.cashier, 10_000)
    drawer.record_opening(ctx, staff.cashier, drawer.SALE, "R00000009")  # after it closed
    assert report.drawer_openings == 3
    assert [(entry.user_name, entry.reason) for entry in report.no_sales] == [
        (staff.manager.full_name, "Change for a 50 note")
    ]
    assert shifts.z_report(ctx, staff.cashier, shift.id).drawer_openings == 3


def test_an_opening_names_a_sale_or_a_refund(ctx: ServiceContext) -> None:
    staff = make_staff(ctx, open_shift=False)
    with pytest.raises(ValidationError):
        drawer.record_opening(ctx, staff.cashier, "birthday", "R1")
