#!/usr/bin/env bash
# Runs the whole suite: lint (ruff), types (mypy --strict), then pytest on two processes. pytest's exit code 5 (no tests collected) is a failure, not a pass.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests bench || exit 1
.venv/bin/mypy || exit 1
# Two processes (the machines have two cores); one test file stays on one process, so its
# module fixtures are built once. PYTEST_WORKERS=0 runs everything in this process.
.venv/bin/pytest -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit $status
