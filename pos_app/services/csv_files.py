"""What every CSV file of the till shares: reading and writing files or streams, cells a
spreadsheet shows as text, row errors, and progress with cancelling."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pos_app.services.errors import ValidationError
from pos_app.services.validation import check_file_path

PathOrStream = str | os.PathLike[str] | IO[str]
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 500
_STREAM = {"yield_per": CHUNK}  # rows arrive in chunks: a large export never sits in memory


@dataclass(frozen=True)
class RowError:
    line_number: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line_number}, {self.field}: {self.message}"


def escape_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: formula-like values get a leading single quote."""
    if not isinstance(value, str):
        raise ValidationError("A cell must be text.", field="cell")
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    if not isinstance(value, str):
        raise ValidationError("A cell must be text.", field="cell")
    if value.startswith("'") and value[1:].lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


@contextmanager
def _writer(target: PathOrStream) -> Iterator[IO[str]]:
    """A text stream; a path is written to a temporary file renamed into place when complete."""
    if not isinstance(target, str | os.PathLike):
        if not hasattr(target, "write"):
            raise ValidationError("Choose a file to write to.", field="path")
        yield target
        return
    path = Path(check_file_path(target))
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as stream:
            yield stream
        os.replace(partial, path)
    except OSError as exc:
        raise ValidationError(f"Cannot write {path}: {exc.strerror}.", field="path") from None
    finally:
        partial.unlink(missing_ok=True)


def _checkpoint(
    done: int, total: int, progress: Progress | None, cancel: Cancel | None, message: str
) -> None:
    if cancel is not None and cancel():
        raise ValidationError(message)
    if progress is not None:
        progress(done, total)


def _read_records(source: PathOrStream) -> list[tuple[int, list[str]]]:
    """Every non-blank record with the line number it starts on."""
    if isinstance(source, str | os.PathLike):
        try:
            with Path(check_file_path(source)).open(encoding="utf-8-sig", newline="") as stream:
                return _read_records(stream)
        except OSError as exc:
            raise ValidationError(f"Cannot read {source}: {exc.strerror or exc}.") from None
    records: list[tuple[int, list[str]]] = []
    try:
        reader, previous = csv.reader(source, strict=True), 0
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((previous + 1, cells))
            previous = reader.line_num
    except (UnicodeDecodeError, csv.Error, TypeError):
        raise ValidationError("This is not a CSV file in UTF-8; save it as CSV UTF-8.") from None
    if records:
        records[0][1][0] = records[0][1][0].lstrip("\ufeff")
    return records


def source_name(source: PathOrStream) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return str(getattr(source, "name", "") or "")
