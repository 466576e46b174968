# Sourced by run.sh and test.sh: make sure .venv exists and holds this checkout with its dev tools.
# Reinstalls only when pyproject.toml changed since the last install.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
        echo "Till needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
        exit 1
    }
    echo "Creating .venv ..." >&2
    "$PYTHON" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    echo "Installing Till and its dev tools into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[dev]'
    touch .venv/.installed
fi
