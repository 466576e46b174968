"""Where the refunds screen's widgets sit: the receipt and its lines on the left, what comes
back and how beneath them, the receipt or slip on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

if TYPE_CHECKING:
    from pos_app.ui.refunds.screen import RefundsScreen


def arrange(screen: RefundsScreen) -> None:
    search = QHBoxLayout()
    search.addWidget(screen.number_edit, 1)
    search.addWidget(screen.find_button)
    # Two rows, so the screen and the receipt preview still fit a 1024-pixel till screen.
    choice = QHBoxLayout()
    choice.addWidget(screen.all_button)
    choice.addWidget(screen.none_button)
    choice.addStretch(1)
    choice.addWidget(screen.total_label)
    reason = QHBoxLayout()
    reason.addWidget(screen.reason_label)
    reason.addWidget(screen.reason_field, 1)
    total = QHBoxLayout()
    total.addWidget(QLabel(QCoreApplication.translate("RefundsScreen", "Pay back:")))
    total.addWidget(screen.cash_radio)
    total.addWidget(screen.card_radio)
    total.addStretch(1)
    total.addWidget(screen.refund_button)
    left = QVBoxLayout()
    left.addLayout(search)
    left.addWidget(screen.receipt_label)
    left.addWidget(screen.lines_view, 1)
    left.addLayout(choice)
    left.addLayout(reason)
    left.addLayout(total)
    left.addWidget(screen.message_label)
    right = QVBoxLayout()
    right.addWidget(screen.preview_title)
    right.addWidget(screen.preview, 1)
    layout = QHBoxLayout(screen)
    layout.setContentsMargins(14, 14, 14, 14)
    layout.setSpacing(14)
    layout.addLayout(left, 1)
    layout.addLayout(right)
