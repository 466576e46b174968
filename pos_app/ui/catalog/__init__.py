"""The catalog screen: categories and products, their forms, and (de)activation."""

from pos_app.ui.catalog.screen import CatalogScreen

__all__ = ["CatalogScreen"]
