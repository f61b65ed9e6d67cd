"""Derived sandbox images: the base image plus one task requirement set, built once per distinct set.

The tag is `autocoderl-sandbox-env:<hash of base tag + set key>`, so a changed base image or set
gives a new image and an unchanged one is reused. The build context holds only the wheels the base
lacks (downloaded by the host) and pip's own wheel; the build has no network and installs with
--no-index --no-deps into the image's /opt/venv as root, so the code under test (uid 10001 on a
read-only root) can never write into it. Labels carry the set and the installed versions.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Mapping
from typing import Any

from sandbox.environments import EnvironmentInfo
from sandbox.image import image_exists
from sandbox.requirements import RequirementsError, RequirementSet, Resolution, Target, resolve

ENV_REPO = "autocoderl-sandbox-env"
REQUIREMENTS_LABEL = "autocoderl.env.requirements"
PACKAGES_LABEL = "autocoderl.env.packages"
BASE_LABEL = "autocoderl.env.base"
DOCKERFILE = """\
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
USER 0:0
COPY wheels/ /tmp/wheels/
COPY lock.txt /tmp/lock.txt
RUN set -eu; \\
    pip_wheel="$(ls /tmp/wheels/pip-*.whl)"; \\
    /opt/venv/bin/python "$pip_wheel/pip" install --no-index --no-deps --find-links /tmp/wheels \\
        --no-cache-dir --require-virtualenv -r /tmp/lock.txt; \\
    rm -rf /tmp/wheels /tmp/lock.txt
USER 10001:10001
"""


def derived_tag(base_tag: str, key: str) -> str:
    digest = hashlib.sha256(f"{base_tag}\0{key}".encode()).hexdigest()[:16]
    return f"{ENV_REPO}:{digest}"


def find_derived(client: Any, base_tag: str, reqs: RequirementSet, key: str) -> EnvironmentInfo | None:
    """The derived image of `reqs` when it was built before (read back from its labels)."""
    tag = derived_tag(base_tag, key)
    if not image_exists(client, tag):
        return None
    labels = client.api.inspect_image(tag)["Config"].get("Labels") or {}
    return EnvironmentInfo("image", tag, base_tag, reqs.requirements, json.loads(labels.get(PACKAGES_LABEL, "{}")))


def build_derived(client: Any, base_tag: str, reqs: RequirementSet, key: str, base: Mapping[str, str],
                  target: Target, echo: Callable[[str], None]) -> EnvironmentInfo:
    """Resolve `reqs` on the host, then build (or reuse) its derived image.

    Raises:
        RequirementsError: unresolvable set, or the offline build failed.
    """
    if (found := find_derived(client, base_tag, reqs, key)) is not None:
        return found
    resolution = resolve(reqs, base, target, echo)
    if not resolution.packages:  # e.g. an extra whose dependencies the base already has
        return EnvironmentInfo("image", base_tag, base_tag, reqs.requirements)
    tag = derived_tag(base_tag, key)
    labels = {REQUIREMENTS_LABEL: json.dumps(list(reqs.requirements)),
              PACKAGES_LABEL: json.dumps(resolution.packages, sort_keys=True), BASE_LABEL: base_tag}
    echo(f"building {tag} for {', '.join(reqs.requirements)} on {base_tag}")
    stream = client.api.build(fileobj=_context(resolution), custom_context=True, tag=tag, rm=True, forcerm=True,
                              pull=False, network_mode="none", buildargs={"BASE_IMAGE": base_tag}, labels=labels,
                              decode=True)
    for chunk in stream:
        if "error" in chunk:
            raise RequirementsError(f"installing {', '.join(reqs.requirements)} into {tag} failed: "
                                    f"{chunk['error'].strip()[-800:]}", requirements=reqs.requirements,
                                    runner="docker")
        if line := (chunk.get("stream") or "").rstrip():
            echo(line)
    if not image_exists(client, tag):
        raise RequirementsError(f"building {tag} produced no image", requirements=reqs.requirements,
                                runner="docker")
    return EnvironmentInfo("image", tag, base_tag, reqs.requirements, resolution.packages)


def _context(resolution: Resolution) -> io.BytesIO:
    """A tar build context: the Dockerfile, lock.txt and wheels/ (only what the base lacks, plus pip)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in (("Dockerfile", DOCKERFILE.encode()), ("lock.txt", resolution.lock_text().encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for wheel in sorted(resolution.wheels.glob("*.whl")):
            tar.add(wheel, arcname=f"wheels/{wheel.name}")
    buffer.seek(0)
    return buffer
