"""Selling at the till."""

from pos_app.ui.checkout.screen import CheckoutScreen

__all__ = ["CheckoutScreen"]
