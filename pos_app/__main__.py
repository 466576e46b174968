"""``python -m pos_app`` is the ``pos-app`` command."""

from __future__ import annotations

import sys

from pos_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
