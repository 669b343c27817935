#!/usr/bin/env bash
# Static gates CI runs before the tests; each prints its wall time. Run locally: `npm run check`.
set -euo pipefail
cd "$(dirname "$0")/.."
gate() {
  local name=$1; shift
  local t0=$SECONDS
  echo "[gate] $name"
  "$@"
  echo "[gate] $name passed in $((SECONDS - t0)) s"
}
gate typecheck npm run --silent typecheck
gate lint npm run --silent lint
gate layering npm run --silent check:deps
gate declared-dependencies npm run --silent check:imports
# Formatting gate: enabled once the tree has been formatted in one commit (`npm run format`).
if [ "${CURBWATCH_FORMAT_GATE:-off}" = on ]; then gate format npm run --silent format:check; fi
