"""The inventory screen: stock levels, low-stock warnings, restocking and adjustments."""

from pos_app.ui.inventory.screen import InventoryScreen

__all__ = ["InventoryScreen"]
