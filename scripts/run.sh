#!/usr/bin/env bash
# Start Till: set up .venv if needed; the first start creates the database and a demo shop.
# Arguments go to pos-app, e.g. ./scripts/run.sh report --from 2025-01-01 --to 2025-12-31
set -euo pipefail
source "$(dirname "$0")/_venv.sh"
exec .venv/bin/pos-app "$@"
