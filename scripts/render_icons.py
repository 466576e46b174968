"""Render the application icon's PNG sizes from its SVG (run after changing the SVG):

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

FOLDER = Path(__file__).resolve().parents[1] / "pos_app" / "resources" / "desktop"
SIZES = (48, 64, 128, 256)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(FOLDER / "till-pos.svg"))
    if not renderer.isValid():
        print("till-pos.svg is not a valid SVG.", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(FOLDER / f"till-pos-{size}.png"))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
