"""The till's shift: float, figures so far, closing with the drawer count, Z reports."""

from pos_app.ui.shifts.screen import ShiftScreen

__all__ = ["ShiftScreen"]
