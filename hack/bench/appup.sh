#!/usr/bin/env bash
# Kept for muscle memory: the appup measurements now live in hack/bench/run (one table for everything).
#   hack/bench/appup.sh [--short]              publish appup Native AOT, then measure it
#   BIN=/path/to/appup hack/bench/appup.sh     measure an existing binary
# Knobs: RUNS (startup samples), DURATION (wrk seconds), SIDECAR_CONNECTIONS (wrk connections).
set -euo pipefail
[ -n "${BIN:-}" ] && export APPUP_BIN=$BIN
exec "$(dirname "$0")/run" --only appup "$@"
