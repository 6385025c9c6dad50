#!/usr/bin/env bash
# Runs the whole suite: lint (ruff), types (mypy --strict), then pytest. pytest's exit code 5 (no tests collected) is a failure, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests bench || exit 1
.venv/bin/mypy || exit 1
.venv/bin/pytest "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit $status
