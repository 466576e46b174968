"""A small bar chart for the insight tabs (sales per hour, per weekday).

A standalone matplotlib Figure in a FigureCanvasQTAgg; pyplot is never used.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from pos_app.ui.analytics.chart import BAR_COLOUR, GRID_COLOUR, TEXT_COLOUR

MUTED_COLOUR = "#5c6b7a"


class BarChart(QWidget):
    """One series of labelled bars; ``show_message`` for no data or an error."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.figure = Figure(figsize=(8, 2.6), dpi=100, layout="constrained")
        self.figure.set_facecolor("#ffffff")
        self.canvas = FigureCanvasQTAgg(self.figure)  # type: ignore[no-untyped-call]
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.axes = self.figure.add_subplot()
        self.show_message(self.tr("Nothing loaded yet."))

    def _reset(self) -> None:
        self.axes.clear()
        self.axes.tick_params(colors=TEXT_COLOUR, labelsize=9)
        for side, spine in self.axes.spines.items():
            spine.set_visible(side in ("left", "bottom"))

    def show_message(self, text: str) -> None:
        self._reset()
        self.axes.set_xticks([])
        self.axes.set_yticks([])
        for spine in self.axes.spines.values():
            spine.set_visible(False)
        self.axes.text(
            0.5, 0.5, text, ha="center", va="center", color=MUTED_COLOUR, fontsize=11,
            transform=self.axes.transAxes,
        )  # fmt: skip
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]

    def show_bars(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        *,
        title: str,
        ylabel: str,
        integer: bool = True,
        label_every: int = 1,
    ) -> None:
        self._reset()
        positions = list(range(len(values)))
        self.axes.bar(positions, list(values), width=0.75, color=BAR_COLOUR, alpha=0.85)
        self.axes.set_xticks(positions[::label_every], list(labels)[::label_every])
        self.axes.set_xlim(-0.6, len(values) - 0.4)
        self.axes.set_ylim(bottom=0, top=max(1.0, max(values, default=0.0)) * 1.1)
        self.axes.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=integer))
        self.axes.set_ylabel(ylabel, color=TEXT_COLOUR, fontsize=9)
        self.axes.grid(axis="y", color=GRID_COLOUR)
        self.axes.set_axisbelow(True)
        self.axes.set_title(title, fontsize=10, color=TEXT_COLOUR, loc="left")
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]

    def bar_count(self) -> int:
        return len(self.axes.patches)

    def bar_heights(self) -> list[float]:
        return [float(patch.get_height()) for patch in self.axes.patches]  # type: ignore[attr-defined]

    def export_png(self, path: str | Path) -> None:
        self.figure.savefig(str(path), format="png", dpi=150, facecolor="#ffffff")
