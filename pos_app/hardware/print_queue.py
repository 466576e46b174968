"""The till's print queue: jobs go to the printer on a worker thread, in order, and stay queued
until they printed.

A sale never waits for paper: ``submit`` returns at once. When the printer is off, out of paper
or unreachable, the job at the head stays, the state says why, and the worker tries again after
``retry_s`` seconds or at once on ``retry_now`` (the cashier fixed the printer). A drawer kick
is never sent late: a job that failed loses its kick, so the drawer does not spring open
minutes after the customer left.

Listeners are called on the worker thread; a GUI hands them on to its own thread.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_app.hardware.connection import DeviceTarget
from pos_app.hardware.escpos_output import (
    DEFAULT_TIMEOUT_S,
    PrinterFault,
    PrinterState,
    PrintJob,
    send_job,
)
from pos_app.hardware.spool import load_slips, save_slips
from pos_app.services.receipt_text import Slip

log = logging.getLogger(__name__)

DEFAULT_RETRY_S = 15.0
UNEXPECTED_FAULT = "The receipt printer reported an error."
Sender = Callable[[DeviceTarget, PrintJob, float], None]


@dataclass(frozen=True)
class QueueStatus:
    state: PrinterState
    message: str
    pending: int


StateListener = Callable[[QueueStatus], None]
JobListener = Callable[[PrintJob], None]


class PrintQueue:
    def __init__(
        self,
        target: DeviceTarget,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        retry_s: float = DEFAULT_RETRY_S,
        sender: Sender = send_job,
        spool: Path | None = None,
    ) -> None:
        self.target = target
        self._spool = spool
        self._timeout_s = timeout_s
        self._retry_s = retry_s
        self._sender = sender
        self._jobs: deque[PrintJob] = deque()
        self._ids = itertools.count(1)
        self._wake = threading.Condition()
        self._retry_requested = False
        self._stopping = False
        self._busy = False
        self._failures = 0
        self._state_listeners: list[StateListener] = []
        self._printed_listeners: list[JobListener] = []
        self._dropped_kick_listeners: list[JobListener] = []
        for slip in load_slips(spool) if spool is not None else []:
            self._jobs.append(PrintJob(next(self._ids), slip.title, slip))
        self._status = QueueStatus(PrinterState.READY, "Receipt printer ready.", len(self._jobs))
        self._thread = threading.Thread(target=self._run, name="print-queue", daemon=True)
        self._thread.start()

    # listeners

    def on_state(self, listener: StateListener) -> None:
        self._state_listeners.append(listener)

    def on_printed(self, listener: JobListener) -> None:
        self._printed_listeners.append(listener)

    def on_kick_dropped(self, listener: JobListener) -> None:
        self._dropped_kick_listeners.append(listener)

    # the till's side

    def submit(self, title: str, slip: Slip | None, *, kick: bool = False) -> PrintJob:
        """Queue a slip (and/or a drawer kick); returns at once."""
        job = PrintJob(next(self._ids), title, slip, kick)
        with self._wake:
            self._jobs.append(job)
            self._retry_requested = True  # a new job is a good moment to try a silent printer
            self._wake.notify_all()
        return job

    def retry_now(self) -> None:
        with self._wake:
            self._retry_requested = True
            self._wake.notify_all()

    def pending(self) -> list[PrintJob]:
        with self._wake:
            return list(self._jobs)

    @property
    def status(self) -> QueueStatus:
        with self._wake:
            return self._status

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until every job printed (True), or a new attempt failed or time ran out (False)."""
        with self._wake:
            failures = self._failures
            self._wake.wait_for(
                lambda: (not self._jobs and not self._busy) or self._failures > failures,
                timeout_s,
            )
            return not self._jobs

    def stop(self, timeout_s: float = 5.0) -> None:
        """End the worker; nobody is called back any more, even by a send still under way."""
        with self._wake:
            self._stopping = True
            left = [job.title for job in self._jobs]
            self._state_listeners = []
            self._printed_listeners = []
            self._dropped_kick_listeners = []
            self._wake.notify_all()
        if left:
            log.warning("the till closed with %d slip(s) unprinted: %s", len(left), ", ".join(left))
        self._thread.join(timeout_s)

    # the worker

    def _run(self) -> None:
        while True:
            job = self._next_job()
            if job is None:
                return
            self._set_status(PrinterState.PRINTING, f"Printing {job.title}…")
            try:
                self._sender(self.target, job, self._timeout_s)
            except PrinterFault as fault:
                self._failed(job, fault)
                continue
            except Exception:
                log.exception("printing %s failed unexpectedly", job.title)
                self._failed(job, PrinterFault(PrinterState.ERROR, UNEXPECTED_FAULT))
                continue
            self._printed(job)

    def _next_job(self) -> PrintJob | None:
        with self._wake:
            while not self._jobs and not self._stopping:
                self._wake.wait()
            if self._stopping:
                return None
            self._busy = True
            self._retry_requested = False
            job = self._jobs[0]
        self._save_spool()
        return job

    def _save_spool(self) -> None:
        """Keep the waiting slips on disk (never their kicks) so a restart prints them."""
        if self._spool is None:
            return
        with self._wake:
            slips = [job.slip for job in self._jobs if job.slip is not None]
        try:
            save_slips(self._spool, slips)
        except OSError:
            log.exception("the print spool %s cannot be written", self._spool)

    def _printed(self, job: PrintJob) -> None:
        with self._wake:
            self._jobs.popleft()
            self._busy = False
            left = len(self._jobs)
        self._save_spool()
        self._set_status(PrinterState.READY, "Receipt printer ready.", left)
        for listener in self._listeners(self._printed_listeners):
            listener(job)

    def _failed(self, job: PrintJob, fault: PrinterFault) -> None:
        with self._wake:
            if job.slip is None:
                self._jobs.popleft()
            # The printer is away: every kick waiting now would open the drawer too late.
            dropped = [queued for queued in self._jobs if queued.kick]
            if job.slip is None and job.kick:
                dropped.insert(0, job)
            self._jobs = deque(queued.without_kick() for queued in self._jobs)
            self._busy = False
            self._status = QueueStatus(fault.state, fault.message, len(self._jobs))
            self._failures += 1
            self._wake.notify_all()
            status = self._status
        self._save_spool()
        for listener in self._listeners(self._state_listeners):
            listener(status)
        for kicked in dropped:
            for kick_listener in self._listeners(self._dropped_kick_listeners):
                kick_listener(kicked)
        self._pause_before_retry()

    def _pause_before_retry(self) -> None:
        with self._wake:
            self._wake.wait_for(lambda: self._retry_requested or self._stopping, self._retry_s)
            self._retry_requested = False

    def _set_status(self, state: PrinterState, message: str, pending: int | None = None) -> None:
        with self._wake:
            left = len(self._jobs) if pending is None else pending
            self._status = QueueStatus(state, message, left)
            self._wake.notify_all()
            status = self._status
        for listener in self._listeners(self._state_listeners):
            listener(status)

    def _listeners(self, listeners: list[Callable[[Any], None]]) -> list[Callable[[Any], None]]:
        with self._wake:
            return [] if self._stopping else list(listeners)


__all__ = ["DEFAULT_RETRY_S", "PrintQueue", "QueueStatus"]
