"""Finding, viewing and reprinting past receipts."""

from pos_app.ui.receipts.screen import ReceiptsScreen

__all__ = ["ReceiptsScreen"]
