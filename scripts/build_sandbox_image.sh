#!/usr/bin/env bash
# Build the sandbox image (autocoderl-sandbox:<content hash> and :latest) unless that hash is already built.
# A thin wrapper: hashing, wheel download, the offline debootstrap base and the build live in sandbox/image.py.
#   scripts/build_sandbox_image.sh [--offline] [--base IMAGE]      build when missing
#   scripts/build_sandbox_image.sh --force [...]                   rebuild
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
command="ensure"
args=()
for arg in "$@"; do
    if [ "$arg" = "--force" ]; then command="build"; else args+=("$arg"); fi
done
exec "$PYTHON" -m sandbox.image "$command" "${args[@]}"
