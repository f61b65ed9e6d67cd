#!/usr/bin/env bash
# Install everything the tests need (Docker engine and sandbox image included), then run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
exec "${PYTHON:-python3}" -m pytest -q "$@"
