from __future__ import annotations

import io

import pytest

from pos_app.cli.progress import ProgressBar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def feed(bar: ProgressBar, total: int) -> None:
    for done in range(0, total + 1, 10):
        bar(done, total)
    bar.finish()


def test_on_a_terminal_the_bar_is_redrawn_in_place() -> None:
    stream = Terminal()
    feed(ProgressBar("Writing sales", unit="sales", stream=stream), 1000)
    text = stream.getvalue()
    assert text.startswith("\rWriting sales [")
    assert "100.0%" in text and "[" + "#" * ProgressBar.WIDTH + "]" in text
    assert text.count("\n") == 1 and text.endswith("\n")


def test_elsewhere_a_few_plain_lines_without_carriage_returns() -> None:
    stream = io.StringIO()
    feed(ProgressBar("Writing sales", unit="sales", stream=stream), 1000)
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue() and "#" not in stream.getvalue()
    assert [line.split(":")[1].split()[0] for line in lines] == [
        "0.0%", "25.0%", "50.0%", "75.0%", "100.0%",
    ]  # fmt: skip
    assert lines[-1].startswith("Writing sales: 100.0%  1,000/1,000 sales")


def test_a_closed_or_plain_stream_counts_as_no_terminal() -> None:
    closed = io.StringIO()
    closed.close()
    assert ProgressBar("x", unit="rows", stream=closed).interactive is False


def test_the_command_line_writes_plain_lines_when_stderr_is_captured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ProgressBar("Copying", unit="pages")(5, 5)
    err = capsys.readouterr().err
    assert err.startswith("Copying: 100.0%  5/5 pages  ") and err.endswith("pages/s\n")
    assert "\r" not in err
