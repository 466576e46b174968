"""``pos-app install-desktop``: Till in the desktop's application menu (freedesktop.org: Linux
and the BSDs), with its icon, for the user running the command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.cli.common import PROG, Commands, fail

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from pos_app.config import Settings

APP_ID = "till-pos"
DESKTOP_FILE = f"{APP_ID}.desktop"
PNG_SIZES = (48, 64, 128, 256)
RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")


def resources() -> Traversable:
    """The packaged menu entry and icons (importlib.resources only when installing them)."""
    from importlib.resources import files

    return files("pos_app") / "resources" / "desktop"


def register(commands: Commands) -> None:
    desktop = commands.add_parser(
        "install-desktop", help="add Till with its icon to your desktop's application menu"
    )
    desktop.set_defaults(handler=install_desktop_command)


def install_desktop_command(_args: argparse.Namespace, _settings: Settings) -> int:
    if sys.platform in ("win32", "darwin"):
        return fail("install-desktop is for Linux desktops; this system has its own menus")
    try:
        written = install_desktop(data_home(os.environ), launcher())
    except OSError as exc:
        return fail(f"Could not add Till to the menu ({exc.strerror or exc}: {exc.filename})")
    refresh_caches(data_home(os.environ))
    for path in written:
        print(f"Wrote {path}")
    print("Till is in your application menu (under Office); log out and in if it is not yet.")
    return 0


def data_home(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME``, by default ``~/.local/share``: where a user's menu entries live."""
    return Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launcher() -> str:
    """The ``pos-app`` of this installation, by full path: a desktop session's PATH often lacks
    the folder pip or pipx put it in."""
    beside = Path(sys.executable).with_name(PROG)
    if beside.exists():
        return str(beside)
    import shutil

    found = shutil.which(PROG)
    return found or PROG


def exec_argument(argument: str) -> str:
    """One argument of an ``Exec`` key as the Desktop Entry Specification wants it written:
    quoted when it holds a reserved character, ``"`$\\`` escaped inside the quotes, ``%``
    doubled, then every backslash doubled again as the file's string escaping."""
    text = argument.replace("%", "%%")
    if any(c in text for c in RESERVED):
        text = '"' + "".join("\\" + c if c in '"`$\\' else c for c in text) + '"'
    return text.replace("\\", "\\\\")


def desktop_entry(command: str) -> str:
    """The packaged entry with ``Exec`` pointing at ``command``."""
    lines = (resources() / DESKTOP_FILE).read_text(encoding="utf-8").splitlines()
    exec_line = f"Exec={exec_argument(command)} run"
    return "".join((exec_line if line.startswith("Exec=") else line) + "\n" for line in lines)


def install_desktop(home: Path, command: str) -> list[Path]:
    """Write the menu entry and the icons under ``home``; returns the files written."""
    icons = home / "icons" / "hicolor"
    targets = {home / "applications" / DESKTOP_FILE: desktop_entry(command).encode("utf-8")}
    packaged = resources()
    targets[icons / "scalable" / "apps" / f"{APP_ID}.svg"] = (
        packaged / f"{APP_ID}.svg"
    ).read_bytes()
    for size in PNG_SIZES:
        source = packaged / f"{APP_ID}-{size}.png"
        targets[icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = source.read_bytes()
    for path, content in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return list(targets)


def refresh_caches(home: Path) -> None:
    """Tell the menu and the icon theme about the new files, where those tools are installed;
    desktops that watch the folders need neither."""
    import shutil
    import subprocess

    for command in (
        ["update-desktop-database", str(home / "applications")],
        [
            "gtk-update-icon-cache",
            "--quiet",
            "--ignore-theme-index",
            str(home / "icons" / "hicolor"),
        ],
    ):
        if shutil.which(command[0]):
            subprocess.run(command, check=False, capture_output=True, timeout=30)
