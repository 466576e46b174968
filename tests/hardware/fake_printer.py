"""A network receipt printer for tests: a socket server on 127.0.0.1 that records what it
receives, answers the DLE EOT status queries, and decodes the ESC/POS stream far enough to
check text lines, cuts, drawer kicks, barcodes and QR codes.

Modes: ``ok``; ``paper_out`` (answers that the roll is empty); ``silent`` (accepts and reads
but never answers); ``disconnect`` (hangs up in the middle of the job).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field

from escpos.codepages import CodePages
from escpos.printer import Dummy

ESC, GS, DLE = 0x1B, 0x1D, 0x10
PAPER_OK = 0x12
PAPER_OUT = 0x72
ONLINE = 0x12
_CODE_PAGES = Dummy().profile.codePages


@dataclass
class Decoded:
    lines: list[str] = field(default_factory=list)
    cuts: list[str] = field(default_factory=list)
    kicks: int = 0
    barcodes: list[tuple[str, str]] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)
    images: int = 0


def _codec(page: int) -> str:
    name = _CODE_PAGES.get(str(page), "CP437")
    try:
        codec = CodePages.get_encoding_name(name)
        "".encode(codec)
        return str(codec)
    except (LookupError, KeyError, TypeError):
        return "cp437"


_FIXED = {  # command bytes after ESC / GS -> how many parameter bytes follow
    (ESC, ord("@")): 0,
    (ESC, ord("!")): 1,
    (ESC, ord("E")): 1,
    (ESC, ord("a")): 1,
    (ESC, ord("-")): 1,
    (ESC, ord("G")): 1,
    (ESC, ord("M")): 1,
    (ESC, ord("{")): 1,
    (ESC, ord("V")): 1,
    (ESC, ord("3")): 1,
    (ESC, ord("2")): 0,
    (ESC, ord("d")): 1,
    (GS, ord("!")): 1,
    (GS, ord("B")): 1,
    (GS, ord("h")): 1,
    (GS, ord("w")): 1,
    (GS, ord("f")): 1,
    (GS, ord("H")): 1,
    (GS, ord("b")): 1,
    (GS, ord("L")): 2,
}


def decode(data: bytes) -> Decoded:
    out = Decoded()
    codec = "cp437"
    line = bytearray()
    text: list[str] = []
    i = 0

    def flush_bytes() -> None:
        if line:
            text.append(line.decode(codec, errors="replace"))
            line.clear()

    while i < len(data):
        byte = data[i]
        if byte == 0x0A:
            flush_bytes()
            out.lines.append("".join(text))
            text.clear()
            i += 1
        elif byte == DLE and data[i + 1 : i + 2] == b"\x04":
            i += 3
        elif byte in (ESC, GS) and i + 1 < len(data):
            command = data[i + 1]
            key = (byte, command)
            if key == (ESC, ord("t")):
                flush_bytes()
                codec = _codec(data[i + 2])
                i += 3
            elif key == (ESC, ord("p")):
                out.kicks += 1
                i += 5
            elif key == (GS, ord("V")):
                mode = data[i + 2]
                out.cuts.append("full" if mode in (0, 48, 65) else "partial")
                i += 4 if mode >= 65 else 3
            elif key == (GS, ord("k")):
                kind = data[i + 2]
                names = {2: "EAN13", 67: "EAN13", 73: "CODE128"}
                if kind < 65:  # function A: the data ends with NUL
                    end = data.index(0, i + 3)
                    payload, i = data[i + 3 : end].decode("ascii"), end + 1
                else:  # function B: a length byte, then the data
                    length = data[i + 3]
                    payload = data[i + 4 : i + 4 + length].decode("ascii")
                    i += 4 + length
                out.barcodes.append((names.get(kind, str(kind)), payload))
            elif key == (GS, ord("(")) and data[i + 2] == ord("k"):
                size = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + size]
                if body[:3] == b"1P0":
                    out.qr_codes.append(body[3:].decode("utf-8"))
                i += 5 + size
            elif key == (GS, ord("v")):
                width = data[i + 4] + 256 * data[i + 5]
                height = data[i + 6] + 256 * data[i + 7]
                out.images += 1
                i += 8 + width * height
            elif key in _FIXED:
                i += 2 + _FIXED[key]
            else:
                raise AssertionError(f"unknown command {data[i : i + 3]!r} at {i}")
        else:
            line.append(byte)
            i += 1
    flush_bytes()
    if text:
        out.lines.append("".join(text))
    return out


class FakePrinter:
    """Serves one connection after another until stopped; ``received`` holds every job."""

    def __init__(self, mode: str = "ok") -> None:
        self.mode = mode
        self.jobs: list[bytes] = []
        self.connections = 0
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", 0))
        self._server.listen(8)
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def decoded(self, jobs: int = 1, timeout_s: float = 3.0) -> Decoded:
        """What the printer got, once ``jobs`` connections have ended."""
        deadline = time.monotonic() + timeout_s
        while len(self.jobs) < jobs and time.monotonic() < deadline:
            time.sleep(0.01)
        with self._lock:
            return decode(b"".join(self.jobs))

    def job_count(self) -> int:
        with self._lock:
            return len([job for job in self.jobs if job])

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._server.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with connection:
                self._handle(connection)

    def _handle(self, connection: socket.socket) -> None:
        connection.settimeout(0.2)
        received = bytearray()
        queries = 0
        while not self._stop.is_set():
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            received += chunk
            if self._answer(connection, self._queries(chunk), queries):
                break
            queries += len(self._queries(chunk))
        self._keep(bytes(received))

    def _answer(self, connection: socket.socket, queries: list[int], before: int) -> bool:
        """Answer status queries; True when this printer hangs up now."""
        for number, query in enumerate(queries, start=before + 1):
            if self.mode == "disconnect" and number > 1:
                # the job was sent after the first query: hang up before its end is confirmed
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                return True
            if self.mode == "silent":
                continue
            paper = PAPER_OUT if self.mode == "paper_out" else PAPER_OK
            connection.sendall(bytes([paper if query == 4 else ONLINE]))
        return False

    @staticmethod
    def _queries(chunk: bytes) -> list[int]:
        found = []
        start = 0
        while (index := chunk.find(b"\x10\x04", start)) != -1 and index + 2 < len(chunk):
            found.append(chunk[index + 2])
            start = index + 3
        return found

    def _keep(self, data: bytes) -> None:
        body = data.replace(b"\x10\x04\x04", b"").replace(b"\x10\x04\x01", b"")
        with self._lock:
            self.jobs.append(body)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
