#!/usr/bin/env bash
# Every check CI runs: lint, format, types, import layers, tests, and (for a full run, without
# arguments, or with TILL_CHECK_WHEEL=1) the built wheel installed and started outside the
# checkout. Arguments go to pytest.
set -uo pipefail
source "$(dirname "$0")/_venv.sh" || exit 1
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"

failed=()
step() {
    local name="$1"
    shift
    echo "== $name: $*" >&2
    "$@" || failed+=("$name")
}
step "ruff check" .venv/bin/ruff check .
step "ruff format" .venv/bin/ruff format --check .
step "mypy" .venv/bin/mypy pos_app
step "import layers" .venv/bin/lint-imports
step "pytest" .venv/bin/pytest -q "$@"
if [ $# -eq 0 ] || [ "${TILL_CHECK_WHEEL:-}" = 1 ]; then
    step "wheel" ./scripts/check_wheel.sh
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "All checks passed." >&2
