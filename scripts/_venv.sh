# Sourced by run.sh and test.sh: make sure .venv exists and holds this checkout with its dev tools.
# Reinstalls only when pyproject.toml changed since the last successful install. A .venv left
# half-made by an interrupted or failed first run (no Python, or no pip) is rebuilt.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"

venv_is_usable() {
    [ -x .venv/bin/python ] && .venv/bin/python -m pip --version >/dev/null 2>&1
}

create_venv() {
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "Till needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
        return 1
    }
    echo "Creating .venv ..." >&2
    "$PYTHON" -m venv .venv || {
        echo "Could not create .venv with $PYTHON (on Debian/Ubuntu: apt-get install python3-venv)." >&2
        rm -rf .venv
        return 1
    }
}

install_project() {
    echo "Installing Till and its dev tools into .venv ..." >&2
    rm -f .venv/.installed
    .venv/bin/python -m pip install --quiet --upgrade pip &&
        .venv/bin/python -m pip install --quiet -e '.[dev]' || {
        echo "Installing into .venv failed (see above); the next run tries again." >&2
        return 1
    }
    touch .venv/.installed
}

if [ -e .venv ] && ! venv_is_usable; then
    echo ".venv is incomplete (a failed or interrupted set-up left it without Python or pip); rebuilding it." >&2
    rm -rf .venv
fi
if [ ! -e .venv ]; then
    create_venv || exit 1
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    install_project || exit 1
fi
