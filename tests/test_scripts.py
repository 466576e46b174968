"""The set-up script that run.sh and test.sh source: a half-made .venv is rebuilt, and the
install is recorded only when pip succeeded. Runs on a tiny project, not on Till itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
TINY = """\
[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "tiny-till-check"
version = "0.1"

[project.optional-dependencies]
dev = []

[tool.setuptools]
packages = ["tiny"]
"""

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts"),
]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPTS / "_venv.sh", tmp_path / "scripts" / "_venv.sh")
    (tmp_path / "scripts" / "probe.sh").write_text(
        '#!/usr/bin/env bash\nsource "$(dirname "$0")/_venv.sh" || exit 1\necho READY\n',
        encoding="utf-8",
    )
    (tmp_path / "pyproject.toml").write_text(TINY, encoding="utf-8")
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "__init__.py").write_text("", encoding="utf-8")
    return tmp_path


def pip_settings() -> dict[str, str]:
    """What pip needs from this environment (its index, cache and proxy), and nothing of Till."""
    keep = ("PIP_", "HOME", "XDG_CACHE_HOME", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")
    return {k: v for k, v in os.environ.items() if k.upper().startswith(keep)}


def set_up(checkout: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(checkout / "scripts" / "probe.sh")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**pip_settings(), "PATH": "/usr/bin:/bin", "PYTHON": sys.executable},
    )


def test_a_venv_left_without_pip_is_named_and_rebuilt(checkout: Path) -> None:
    venv.create(checkout / ".venv", with_pip=False)
    result = set_up(checkout)
    assert result.returncode == 0, result.stderr
    assert ".venv is incomplete" in result.stderr
    assert result.stdout.strip() == "READY"
    assert (checkout / ".venv" / ".installed").exists()
    assert (
        subprocess.run(
            [str(checkout / ".venv" / "bin" / "python"), "-m", "pip", "--version"],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


def test_a_failed_install_is_not_recorded_and_is_tried_again(checkout: Path) -> None:
    (checkout / "pyproject.toml").write_text(TINY + "broken = [\n", encoding="utf-8")
    failed = set_up(checkout)
    assert failed.returncode == 1
    assert "the next run tries again" in failed.stderr
    assert "READY" not in failed.stdout
    assert not (checkout / ".venv" / ".installed").exists()
    (checkout / "pyproject.toml").write_text(TINY, encoding="utf-8")
    again = set_up(checkout)
    assert again.returncode == 0, again.stderr
    assert "Installing" in again.stderr
    assert (checkout / ".venv" / ".installed").exists()
