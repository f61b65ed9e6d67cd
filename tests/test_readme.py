"""Every code block of README.md is run or checked, so the examples cannot drift from the code:

- the server is started with the README's own `serve` command, and its start-up line has the README's shape;
- each ```python block runs against that live server (or in-process, as written) and prints what its
  `print(...)  # <output>` comments say;
- each shell command names a script that exists, or parses with the CLI (flags that exist), as do the
  `autocoderl ...` commands quoted in the text;
- the printed outputs are what the commands print today: the oracle's summary tables (a real run) and the
  inference.py line formats (those tests/test_inference.py checks the real output against).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from environment.cli import build_parser
from tests.conftest import ROOT, first_line, free_port
from tests.test_inference import END, START, STEP

README = (ROOT / "README.md").read_text()
BLOCKS = [(lang, body) for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", README, re.M | re.S)]
PYTHON = [body for lang, body in BLOCKS if lang == "python"]
RUNNABLE = [body for body in PYTHON if "GRPOTrainer(" not in body]
"""Python blocks that run here; the TRL one starts a real training run on a hub model (checked below instead)."""
TRAINING = [body for body in PYTHON if "GRPOTrainer(" in body]
SHELL = [body for lang, body in BLOCKS if lang == "bash"]
OUTPUTS = [body for lang, body in BLOCKS if lang == ""]
README_URL = "http://127.0.0.1:8000"
SUBCOMMANDS = next(a.choices for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))


def output_block(first_word: str) -> str:
    """The README output block that starts with `first_word`."""
    found = [body for body in OUTPUTS if body.startswith(first_word)]
    assert len(found) == 1, f"README has {len(found)} output blocks starting with {first_word!r}"
    return found[0]


def test_every_block_is_covered() -> None:
    """A block in a language this test does not run, or an output block it does not check, fails here."""
    assert {lang for lang, _ in BLOCKS} <= {"python", "bash", ""}
    covered = ("AutoCodeRL listening on ", "[START] ", "by category ", "difficulty episodes", "2 node(s)", "bare ")
    assert len(OUTPUTS) == len(covered) and all(any(b.startswith(c) for c in covered) for b in OUTPUTS), OUTPUTS
    assert len(RUNNABLE) == 2 and len(TRAINING) == 1 and len(SHELL) == 4


@pytest.fixture(scope="module")
def readme_server() -> Iterator[tuple[str, str]]:
    """The server the README's command starts (what follows the install step), on a free loopback port with
    the local runner; yields its URL and its start-up line."""
    command = next(line for body in SHELL for line in body.splitlines() if "environment.cli serve" in line)
    serve = command.split("&&")[-1].split("#")[0].strip().rstrip("&").strip()
    assert serve == "python3 -m environment.cli serve", serve
    port = free_port()
    proc = subprocess.Popen([sys.executable, *shlex.split(serve)[1:]], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL,
                            env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "AUTOCODERL_RUNNER": "local"})
    try:
        line = first_line(proc)
        yield f"http://127.0.0.1:{port}", line
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def test_the_readme_serve_command_says_where_it_listens(readme_server: tuple[str, str]) -> None:
    url, line = readme_server
    shown = output_block("AutoCodeRL listening on ").strip()
    shape = re.escape(shown)
    for literal, pattern in ((r"http://0\.0\.0\.0:8000", r"http://[\d.]+:\d+"), (r"http://127\.0\.0\.1:8000", url),
                             (r"runner\ local", r"runner\ \w+"), (r"isolation\ bwrap", r"isolation\ \w+"),
                             (r"87\ tasks", r"\d+\ tasks")):
        assert literal in shape, (literal, shape)
        shape = shape.replace(literal, pattern)
    assert re.fullmatch(shape, line), (line, shown)
    assert url in line


@pytest.mark.parametrize("block", RUNNABLE, ids=[f"python-{i}" for i in range(len(RUNNABLE))])
def test_python_examples_run_and_print_what_they_say(block: str, readme_server: tuple[str, str],
                                                      tmp_path: Path) -> None:
    url, _ = readme_server
    script = tmp_path / "example.py"
    script.write_text(block.replace(README_URL, url))
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "AUTOCODERL_RUNNER": "local"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    promised = re.findall(r"^\s*print\(.*\)\s+#\s*(.+)$", block, re.M)
    for text in promised:
        assert text.strip() in proc.stdout, (text, proc.stdout[-3000:])


def test_the_examples_promise_a_correct_review() -> None:
    """The client example detects the bug where it is and fixes it (not a placeholder the server refuses); the
    gymnasium one reports a detection that earns the detect reward (what they print is checked above)."""
    client, gym = RUNNABLE
    assert "AutoCodeEnvClient" in client
    assert "# Issue confirmed (1/1 reported)." in client and "# solved: True" in client
    assert "gymnasium.make" in gym and "# reward: 0.3" in gym


def _commands(text: str) -> Iterator[str]:
    for line in text.splitlines():
        for part in re.split(r"&&|;", line.split(" #")[0]):
            part = part.strip().rstrip("&").strip()
            if part:
                yield part


def _check_command(command: str) -> None:
    words = shlex.split(command)
    if words[0] == "autocoderl" or words[:3] == ["python3", "-m", "environment.cli"]:
        args = words[1:] if words[0] == "autocoderl" else words[3:]
        if len(args) == 1:  # a command named in the text (`autocoderl regrade`): it exists
            assert args[0] in SUBCOMMANDS, f"README names a command the CLI lacks: {command!r}"
            return
        try:
            build_parser().parse_args(args)
        except SystemExit as exc:
            pytest.fail(f"README command does not parse: {command!r} (exit {exc.code})")
    elif words[0] in ("bash", "python3"):
        assert (ROOT / words[1]).is_file(), f"README names a missing script: {command!r}"
    elif words[0] == "docker":
        images = [w for w in words if w.startswith("autocoderl-")]
        assert images and all(w.split(":")[0] in ("autocoderl-space", "autocoderl-sandbox") for w in images), command
    else:
        assert words[0] == "export", f"README shell command this test does not know: {command!r}"


def test_shell_commands_and_quoted_commands_exist() -> None:
    commands = [c for body in SHELL for c in _commands(body)]
    assert "bash scripts/test.sh" in commands and "python3 inference.py" in commands
    quoted = [c for c in re.findall(r"`(autocoderl [^`]+)`", README) if not re.search(r"[\[\]|…<>]|\.\.\.", c)]
    assert len(quoted) >= 3, quoted
    for command in commands + quoted:
        _check_command(command)


def test_the_inference_sample_has_the_format_inference_prints() -> None:
    lines = output_block("[START] ").strip().splitlines()
    assert [line.split()[0] for line in lines] == ["[START]", "[STEP]", "[END]"]
    assert START.match(lines[0]) and STEP.match(lines[1]) and END.match(lines[2]), lines


@pytest.mark.slow
def test_the_oracle_tables_are_what_eval_prints(tmp_path: Path) -> None:
    """`autocoderl eval --agent oracle --split eval` (as the README quotes it; local runner) prints the README's
    tables, the per-CWE one aside."""
    command = "autocoderl eval --agent oracle --split eval"
    assert f"`{command}`" in README
    proc = subprocess.run([sys.executable, "-m", "environment.cli", *shlex.split(command)[1:], "--runner", "local",
                           "--out", str(tmp_path), "--no-progress"], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    tables = re.search(r"^by category .*?^all .*?$", proc.stdout, re.M | re.S)
    assert tables, proc.stdout
    printed = re.sub(r"^by cwe .*?\n\n", "", tables.group(0), flags=re.M | re.S)
    assert printed.strip() == output_block("by category ").strip()


def test_the_training_example_uses_what_the_example_module_exports() -> None:
    """The TRL block starts a real run on a hub model (not here): it compiles, and what it imports from the
    project exists (tests/test_trl_training.py runs the same trainer path on a tiny local model)."""
    (block,) = TRAINING
    compile(block, "README-training", "exec")
    from examples import trl_grpo_rollout

    for name in re.findall(r"from examples\.trl_grpo_rollout import (.+)", block)[0].split(","):
        assert hasattr(trl_grpo_rollout, name.strip()), name


def test_the_benchmark_outputs_have_the_shape_the_benchmarks_print() -> None:
    tokens = output_block("difficulty episodes").splitlines()
    assert [line.split()[0] for line in tokens[1:]] == ["easy", "medium", "hard", "all"]
    assert "ratio" in output_block("2 node(s)")
    source = (ROOT / "benchmarks" / "bench_container_floor.py").read_text()
    rows = [re.match(r"(\S+(?: hand)?) +([\d.]+) s CPU +([\d.]+) ms wall", line) for line in
            output_block("bare ").splitlines()]
    assert all(rows) and [row.group(1) for row in rows] == re.findall(r'measure\("([^"]+)"', source)
