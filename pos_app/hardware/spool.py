"""The print queue on disk: slips not yet printed survive closing the till.

One JSON file holds the waiting jobs, rewritten whole (through a temporary file and a rename)
whenever the queue changes. Drawer kicks are never kept: a drawer must not open when the till
starts the next morning.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from pos_app.services.receipt_text import Block, Code, Cut, Logo, Slip, TextLine

log = logging.getLogger(__name__)

VERSION = 1


def _block(block: Block) -> dict[str, Any]:
    if isinstance(block, TextLine):
        return {
            "text": block.text,
            "bold": block.bold,
            "large": block.large,
            "align": block.align,
        }
    if isinstance(block, Code):
        return {"code": block.kind, "data": block.data}
    if isinstance(block, Logo):
        return {"logo": block.path}
    return {"cut": "partial" if block.partial else "full"}


def _from_block(data: dict[str, Any]) -> Block:
    if "text" in data:
        return TextLine(
            str(data["text"]),
            bold=bool(data.get("bold")),
            large=bool(data.get("large")),
            align=data.get("align", "left"),
        )
    if "code" in data:
        return Code(data["code"], str(data["data"]))
    if "logo" in data:
        return Logo(str(data["logo"]))
    return Cut(partial=data.get("cut") != "full")


def save_slips(path: Path, slips: list[Slip]) -> None:
    """Write the waiting slips (an empty list removes the file)."""
    if not slips:
        path.unlink(missing_ok=True)
        return
    payload = {
        "version": VERSION,
        "slips": [
            {
                "title": slip.title,
                "columns": slip.columns,
                "blocks": [_block(block) for block in slip.blocks],
            }
            for slip in slips
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def load_slips(path: Path) -> list[Slip]:
    """The slips a previous run left unprinted; a damaged file is set aside, never fatal."""
    if not path.is_file():
        return []
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return [
            Slip(
                str(item["title"]),
                tuple(_from_block(block) for block in item["blocks"]),
                int(item["columns"]),
            )
            for item in payload["slips"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        damaged = path.with_suffix(".damaged")
        log.exception("the print spool %s cannot be read; it is kept as %s", path, damaged)
        os.replace(path, damaged)
        return []


__all__ = ["load_slips", "save_slips"]
