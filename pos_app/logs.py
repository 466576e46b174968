"""The one log of an installation: ``till.log`` in the data folder, rotated, readable by its owner
only, written by the window and the ``pos-app`` command alike."""

from __future__ import annotations

import logging
import os
import stat
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FILE = "till.log"
MAX_BYTES = 2_000_000
BACKUPS = 3
PRIVATE = stat.S_IRUSR | stat.S_IWUSR


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose files (the current one and each new one after a rotation) are
    created 0600: the log names users, tills and database hosts."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, PRIVATE)  # a file made 0644 by an older version
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(data_dir: Path) -> Path:
    """Log INFO and above to ``<data dir>/till.log``; returns the file's path. Idempotent."""
    path = data_dir / LOG_FILE
    root = logging.getLogger()
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
