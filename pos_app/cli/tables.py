"""Aligned text tables and CSV on stdout."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import NamedTuple, TextIO


class Table(NamedTuple):
    """Rows of text cells; ``align`` has one letter per column, 'l' or 'r'."""

    header: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    align: str = ""
    title: str = ""


def print_table(
    out: TextIO,
    header: list[str],
    rows: Sequence[list[str]],
    total: list[str] | None = None,
    align: str = "",
) -> None:
    """Columns padded to their widest cell, a rule above the total. Without ``align`` the first
    two columns (dates) are left-aligned and the rest (numbers) right-aligned."""
    everything = [header, *rows, *([total] if total else [])]
    widths = [max(len(row[i]) for row in everything) for i in range(len(header))]
    sides = align or "ll" + "r" * (len(header) - 2)

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(width) if side == "r" else cell.ljust(width)
            for cell, width, side in zip(cells, widths, sides, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out.write(line(header) + "\n")
    for row in rows:
        out.write(line(row) + "\n")
    if total:
        out.write("-" * max(len(line(header)), len(line(total))) + "\n")
        out.write(line(total) + "\n")


def print_tables(out: TextIO, tables: Sequence[Table]) -> None:
    """Each table under its title, a blank line between them."""
    for position, table in enumerate(tables):
        if position:
            out.write("\n")
        if table.title:
            out.write(table.title + "\n")
        print_table(out, table.header, table.rows, table.total, table.align)


def write_csv(out: TextIO, header: list[str], rows: Sequence[Sequence[object]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
