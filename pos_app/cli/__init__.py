"""The ``pos-app`` command line; ``main`` is the console script's entry point."""

from __future__ import annotations

from pos_app.cli.app import main
from pos_app.cli.progress import ProgressBar

__all__ = ["ProgressBar", "main"]
