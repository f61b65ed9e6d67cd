#!/usr/bin/env bash
# Build the Hugging Face Space image (autocoderl-space:<content hash> and :latest) unless an image with that
# content hash label exists. Works offline: wheels and .debs are downloaded by the host, and the base is the
# sandbox image's debootstrap Debian (made when missing) unless a registry answers. Prints the tag.
# A thin wrapper: hashing, staging and the build live in scripts/space_image.py (reusing sandbox/image.py).
#   scripts/build_space_image.sh [--offline] [--base IMAGE]      build when missing
#   scripts/build_space_image.sh --force [...]                   rebuild
# Run it:  docker run --rm --user 1000 -e PORT=7860 -p 7860:7860 autocoderl-space:latest
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
command="ensure"
args=()
for arg in "$@"; do
    if [ "$arg" = "--force" ]; then command="build"; else args+=("$arg"); fi
done
exec "$PYTHON" scripts/space_image.py "$command" "${args[@]}"
