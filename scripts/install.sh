#!/usr/bin/env bash
# Install AutoCodeRL on a fresh Debian/Ubuntu machine (Python 3.11 + pip present).
#   scripts/install.sh           system tools (bubblewrap) + the package and its Python deps
#   scripts/install.sh --test    also the test extras ([dev,ray,train]), Chromium (for /web tests), a Docker engine and the sandbox image
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

packages=(bubblewrap)
if [ "${1:-}" = "--test" ]; then
    packages+=(chromium docker.io debootstrap)
fi
missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if command -v apt-get >/dev/null 2>&1; then
    # Debian's python3.11 runs code under test on every runner (sandbox/interpreter.py): keep it installed and at
    # the version the mirror serves, so the sandbox image can be given exactly the same build.
    interpreter=(python3.11 python3.11-minimal libpython3.11-minimal libpython3.11-stdlib)
    if [ "${#missing[@]}" -gt 0 ] || [ -z "${AUTOCODERL_SKIP_APT_UPDATE:-}" ]; then
        $SUDO apt-get update -qq || echo "install: apt-get update failed; using the package lists at hand" >&2
    fi
    if apt-cache show python3.11 >/dev/null 2>&1; then
        for pkg in "${interpreter[@]}"; do
            installed=$(dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null || true)
            candidate=$(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')
            [ "$installed" = "$candidate" ] || missing+=("$pkg")
        done
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "install: apt-get install ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
fi

if [ "${1:-}" = "--test" ]; then
    "$PYTHON" -m pip install -q --disable-pip-version-check -e ".[dev,ray,train]"
    bash scripts/ensure_docker.sh
    bash scripts/build_sandbox_image.sh
else
    "$PYTHON" -m pip install -q --disable-pip-version-check -e .
fi
# The local runner's base venv (the sandbox's pinned base set) and the venvs of any task requirements.
"$PYTHON" -m environment.cli sandbox build --runner local
echo "install: done"
