"""The print queue: jobs never block the caller, wait while the printer is away, print in order
when it is back, and a late drawer kick is dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.hardware.connection import DeviceTarget, parse_printer_url
from pos_app.hardware.escpos_output import PrinterFault, PrinterState, PrintJob
from pos_app.hardware.print_queue import PrintQueue, QueueStatus
from pos_app.services.receipt_text import receipt_slip
from tests.hardware import samples
from tests.hardware.fake_printer import FakePrinter

SLIP = receipt_slip(samples.receipt(), samples.layout(42))


class FlakyPrinter:
    """A sender that fails while ``down`` is set and records what it printed."""

    def __init__(self) -> None:
        self.down = threading.Event()
        self.printed: list[PrintJob] = []
        self.attempts = 0

    def __call__(self, target: DeviceTarget, job: PrintJob, timeout_s: float) -> None:
        self.attempts += 1
        if self.down.is_set():
            raise PrinterFault(PrinterState.PAPER_OUT, "The receipt printer is out of paper.")
        self.printed.append(job)


@pytest.fixture
def flaky() -> FlakyPrinter:
    return FlakyPrinter()


@pytest.fixture
def queue(flaky: FlakyPrinter) -> Iterator[PrintQueue]:
    target = DeviceTarget(kind="tcp", host="127.0.0.1")
    print_queue = PrintQueue(target, retry_s=30.0, sender=flaky)
    yield print_queue
    print_queue.stop()


def test_jobs_print_in_order(queue: PrintQueue, flaky: FlakyPrinter) -> None:
    queue.submit("one", SLIP)
    queue.submit("two", SLIP)
    assert queue.wait_idle(3)
    assert [job.title for job in flaky.printed] == ["one", "two"]
    assert queue.status.state is PrinterState.READY


def test_a_failed_job_stays_queued_and_prints_on_retry(
    queue: PrintQueue, flaky: FlakyPrinter
) -> None:
    states: list[QueueStatus] = []
    queue.on_state(states.append)
    flaky.down.set()
    queue.submit("receipt", SLIP)
    assert not queue.wait_idle(3)
    assert queue.status.state is PrinterState.PAPER_OUT
    assert [job.title for job in queue.pending()] == ["receipt"]
    flaky.down.clear()
    queue.retry_now()
    assert queue.wait_idle(3)
    assert [job.title for job in flaky.printed] == ["receipt"]
    assert [status.state for status in states][-1] is PrinterState.READY
    assert PrinterState.PAPER_OUT in [status.state for status in states]


def test_a_failed_kick_is_never_sent_late(queue: PrintQueue, flaky: FlakyPrinter) -> None:
    dropped: list[PrintJob] = []
    queue.on_kick_dropped(dropped.append)
    flaky.down.set()
    queue.submit("drawer", None, kick=True)
    queue.submit("receipt", SLIP, kick=True)
    assert not queue.wait_idle(3)
    flaky.down.clear()
    queue.retry_now()
    assert queue.wait_idle(3)
    assert [(job.title, job.kick) for job in flaky.printed] == [("receipt", False)]
    assert [job.title for job in dropped] == ["drawer", "receipt"]


def test_submit_returns_at_once_even_when_the_printer_hangs() -> None:
    release = threading.Event()

    def stuck(target: DeviceTarget, job: PrintJob, timeout_s: float) -> None:
        release.wait(5)

    print_queue = PrintQueue(DeviceTarget(kind="tcp", host="x"), sender=stuck)
    try:
        for number in range(20):
            print_queue.submit(f"job {number}", SLIP)
        assert len(print_queue.pending()) == 20
    finally:
        release.set()
        assert print_queue.wait_idle(5)
        print_queue.stop()


def test_queue_prints_to_a_network_printer_that_comes_back() -> None:
    fake = FakePrinter("paper_out")
    print_queue = PrintQueue(parse_printer_url(fake.url), timeout_s=1.0, retry_s=30.0)
    try:
        print_queue.submit("receipt", SLIP)
        assert not print_queue.wait_idle(3)
        assert print_queue.status.state is PrinterState.PAPER_OUT
        fake.mode = "ok"
        print_queue.retry_now()
        assert print_queue.wait_idle(3)
        assert fake.decoded(jobs=2).cuts == ["partial"]
    finally:
        print_queue.stop()
        fake.stop()


def test_unprinted_slips_survive_a_restart_without_their_kick(
    tmp_path: Path, flaky: FlakyPrinter
) -> None:
    spool = tmp_path / "print-queue.json"
    target = DeviceTarget(kind="tcp", host="127.0.0.1")
    flaky.down.set()
    first = PrintQueue(target, retry_s=30.0, sender=flaky, spool=spool)
    first.submit("receipt R1", SLIP, kick=True)
    first.submit("receipt R2", SLIP)
    assert not first.wait_idle(3)
    first.stop()
    assert spool.is_file()
    flaky.down.clear()
    second = PrintQueue(target, retry_s=30.0, sender=flaky, spool=spool)
    try:
        assert second.wait_idle(3)
    finally:
        second.stop()
    assert [(job.title, job.kick) for job in flaky.printed] == [
        ("Receipt R00000042", False),
        ("Receipt R00000042", False),
    ]
    assert flaky.printed[0].slip == SLIP
    assert not spool.exists()


def test_a_damaged_spool_is_set_aside(tmp_path: Path, flaky: FlakyPrinter) -> None:
    spool = tmp_path / "print-queue.json"
    spool.write_text("{not json", encoding="utf-8")
    print_queue = PrintQueue(DeviceTarget(kind="tcp", host="x"), sender=flaky, spool=spool)
    print_queue.stop()
    assert print_queue.pending() == []
    assert (tmp_path / "print-queue.damaged").read_text(encoding="utf-8") == "{not json"
