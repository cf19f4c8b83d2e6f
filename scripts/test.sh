#!/usr/bin/env bash
# The whole test suite, after installing what it needs (see scripts/setup.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
bash scripts/setup.sh
.venv/bin/python -m ruff check src tests benchmarks
exec .venv/bin/python -m pytest "$@"
