"""The promotions screen (managers): what runs, what is planned, and the form to change them."""

from pos_app.ui.promotions.screen import PromotionsScreen

__all__ = ["PromotionsScreen"]
