"""Refunds against a receipt: choose lines and quantities, pay back, print the slip."""

from pos_app.ui.refunds.screen import RefundsScreen

__all__ = ["RefundsScreen"]
