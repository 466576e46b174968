"""The analytics screen: revenue and sales over time, by category and by product."""

from pos_app.ui.analytics.screen import AnalyticsScreen

__all__ = ["AnalyticsScreen"]
