"""Turn an agent's fix (full file contents or a unified diff) into new file texts, strictly.

Hand-written rather than shelling out to `patch`/`git apply`: it never touches a filesystem,
accepts edits to existing files only, and applies hunks exactly (a small line offset is tolerated,
fuzz is not), so what gets graded is exactly what the agent wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
MAX_OFFSET = 40


class PatchError(ValueError):
    """The diff is malformed or does not apply; the message says where."""


def _strip_prefix(path: str) -> str:
    path = path.split("\t")[0].strip()
    if path.startswith(("a/", "b/")):
        path = path[2:]
    return path


def parse_diff(diff: str) -> dict[str, list[tuple[int, list[str]]]]:
    """Split a unified diff into {path: [(old_start, hunk_lines), ...]}."""
    files: dict[str, list[tuple[int, list[str]]]] = {}
    lines = diff.splitlines()
    current: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("--- "):
            if i + 1 >= len(lines) or not lines[i + 1].startswith("+++ "):
                raise PatchError(f"line {i + 1}: '---' header without '+++'")
            old, new = _strip_prefix(line[4:]), _strip_prefix(lines[i + 1][4:])
            if old == "/dev/null" or new == "/dev/null":
                raise PatchError("creating or deleting files is not allowed; edit existing source files")
            if old != new:
                raise PatchError(f"renames are not allowed ({old} -> {new})")
            current = new
            files.setdefault(current, [])
            i += 2
            continue
        match = _HUNK.match(line)
        if match:
            if current is None:
                raise PatchError(f"line {i + 1}: hunk before any file header")
            old_len = int(match.group(2) or 1)
            new_len = int(match.group(4) or 1)
            body: list[str] = []
            i += 1
            seen_old = seen_new = 0
            while i < len(lines) and (seen_old < old_len or seen_new < new_len):
                hl = lines[i]
                if hl.startswith("\\"):
                    i += 1
                    continue
                tag = hl[:1] or " "
                if tag not in " +-":
                    raise PatchError(f"line {i + 1}: unexpected hunk line {hl[:40]!r}")
                seen_old += tag in " -"
                seen_new += tag in " +"
                body.append(tag + hl[1:])
                i += 1
            if seen_old != old_len or seen_new != new_len:
                raise PatchError(f"hunk at old line {match.group(1)} has wrong line counts")
            files[current].append((int(match.group(1)), body))
            continue
        i += 1
    if not files or not any(files.values()):
        raise PatchError("no hunks found in the diff")
    return files


def _apply_hunks(text: str, hunks: list[tuple[int, list[str]]], path: str) -> str:
    lines = text.splitlines()
    trailing_newline = text.endswith("\n")
    delta = 0
    for old_start, body in hunks:
        old = [h[1:] for h in body if h[0] in " -"]
        new = [h[1:] for h in body if h[0] in " +"]
        anchor = max(old_start - 1 + delta, 0) if old_start else 0
        for offset in sorted(range(-MAX_OFFSET, MAX_OFFSET + 1), key=abs):
            pos = anchor + offset
            if 0 <= pos <= len(lines) - len(old) and lines[pos:pos + len(old)] == old:
                lines[pos:pos + len(old)] = new
                delta += len(new) - len(old)
                break
        else:
            raise PatchError(f"{path}: hunk at line {old_start} does not match the file")
    return "\n".join(lines) + ("\n" if trailing_newline or not lines else "")


def apply_fix(current: Mapping[str, str], files: Mapping[str, str] | None, diff: str | None) -> dict[str, str]:
    """New texts of the files the fix touches (full contents win; a diff applies to `current`).

    Raises:
        PatchError: the diff does not parse or apply, or names a file that does not exist.
    """
    changed = dict(files or {})
    if diff:
        for path, hunks in parse_diff(diff).items():
            base = changed.get(path, current.get(path))
            if base is None:
                raise PatchError(f"{path}: no such file in the repo")
            changed[path] = _apply_hunks(base, hunks, path)
    return changed
