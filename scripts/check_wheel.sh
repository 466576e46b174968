#!/usr/bin/env bash
# Build the wheel, install it with its dependencies into a fresh virtual environment outside the
# checkout, and use it from another folder the way a person would: version, database, demo data,
# and the window (offscreen) opened and closed again. Fails if any step does.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKOUT="$PWD"
PYTHON="${PYTHON:-python3}"
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/till-wheel.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
started=$SECONDS

say() { echo "-- wheel check: $*" >&2; }
die() { echo "wheel check FAILED: $*" >&2; exit 1; }

say "building the wheel"
"$PYTHON" -m pip wheel --quiet --no-deps --wheel-dir "$SCRATCH/dist" "$CHECKOUT" >&2
rm -rf "$CHECKOUT/build"
wheel=$(ls "$SCRATCH"/dist/till_pos-*.whl)
members=$("$PYTHON" -m zipfile -l "$wheel")
for member in pos_app/migrations/env.py pos_app/migrations/versions/0001_initial_schema.py \
    pos_app/resources/style.qss pos_app/resources/icons/till.svg \
    pos_app/resources/desktop/till-pos.desktop pos_app/resources/desktop/till-pos-256.png; do
    grep -q "^$member " <<<"$members" || die "the wheel lacks $member"
done

say "installing $(basename "$wheel") and its dependencies into a fresh environment"
"$PYTHON" -m venv "$SCRATCH/venv"
"$SCRATCH/venv/bin/python" -m pip install --quiet "$wheel" >&2
pos_app="$SCRATCH/venv/bin/pos-app"

# A person's machine: nothing from the checkout or the developer's settings.
mkdir -p "$SCRATCH/elsewhere" "$SCRATCH/home"
cd "$SCRATCH/elsewhere"
export HOME="$SCRATCH/home" XDG_DATA_HOME="$SCRATCH/home/.local/share"
export XDG_CONFIG_HOME="$SCRATCH/home/.config" XDG_STATE_HOME="$SCRATCH/home/.local/state"
unset POS_DATA_DIR POS_DATABASE_URL POS_DOTENV POS_TILL_ID PYTHONPATH
export QT_QPA_PLATFORM=offscreen

expected="pos-app $("$PYTHON" -c 'import re, sys; print(re.search(r"__version__ = \"(.+)\"", open(sys.argv[1]).read())[1])' "$CHECKOUT/pos_app/__init__.py")"
version=$("$pos_app" --version)
[ "$version" = "$expected" ] || die "pos-app --version said '$version', expected '$expected'"
say "$version"

"$pos_app" db upgrade >&2 || die "pos-app db upgrade"
"$pos_app" demo-data --sales 200 >&2 || die "pos-app demo-data --sales 200"
"$pos_app" report --from 2001-01-01 --to 2049-12-31 --bucket yearly --format csv >/dev/null ||
    die "pos-app report"

"$pos_app" install-desktop >&2 || die "pos-app install-desktop"
grep -q "^Exec=$pos_app run$" "$XDG_DATA_HOME/applications/till-pos.desktop" ||
    die "the menu entry does not start this installation's pos-app"

say "starting the window offscreen for 3 seconds"
status=0
timeout 90 "$pos_app" run --quit-after 3 2>"$SCRATCH/run.err" || status=$?
if [ "$status" -ne 0 ] || ! grep -q "the login window is shown" "$SCRATCH/run.err"; then
    cat "$SCRATCH/run.err" >&2
    die "the window did not open (exit status $status)"
fi

say "passed in $((SECONDS - started)) s"
