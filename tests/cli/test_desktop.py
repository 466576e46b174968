from __future__ import annotations

import configparser
import struct
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from pos_app.cli import desktop
from tests.cli.conftest import run


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="freedesktop.org menus only")
def test_install_desktop_puts_the_entry_and_icons_in_the_users_menu(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = env / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    code, out, err = run(capsys, "install-desktop")
    assert code == 0, err
    entry = read_entry(home / "applications" / "till-pos.desktop")
    assert entry["Type"] == "Application" and entry["Name"] == "Till"
    assert entry["Icon"] == "till-pos" and entry["Terminal"] == "false"
    command = entry["Exec"].removesuffix(" run")
    assert Path(command).name == "pos-app" and Path(command).is_absolute()
    icons = home / "icons" / "hicolor"
    ElementTree.parse(icons / "scalable" / "apps" / "till-pos.svg")
    for size in desktop.PNG_SIZES:
        assert png_size(icons / f"{size}x{size}" / "apps" / "till-pos.png") == (size, size)
    assert "application menu" in out


def test_a_launcher_path_with_spaces_is_quoted_as_the_specification_says() -> None:
    assert desktop.exec_argument("/opt/till/bin/pos-app") == "/opt/till/bin/pos-app"
    assert desktop.exec_argument("/home/ann/My Apps/pos-app") == '"/home/ann/My Apps/pos-app"'
    assert desktop.exec_argument("/srv/$till/50%/pos-app") == '"/srv/\\\\$till/50%%/pos-app"'
    entry = desktop.desktop_entry("/home/ann/My Apps/pos-app")
    assert 'Exec="/home/ann/My Apps/pos-app" run\n' in entry


def test_the_packaged_icons_are_the_sizes_their_names_say() -> None:
    for size in desktop.PNG_SIZES:
        path = Path(str(desktop.resources() / f"till-pos-{size}.png"))
        assert png_size(path) == (size, size)
