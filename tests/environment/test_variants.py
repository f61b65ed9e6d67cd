"""Procedural variants: deterministic, really different, still valid (buggy fails, reference passes, the
oracle solves them through the environment), and served with a fallback when validation fails."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from environment.corpus import variant_cache
from environment.corpus.baselines import compute_baseline
from environment.corpus.reorder import apply_order, layout
from environment.corpus.tasks import BUILTIN_TASKS_DIR, Task, TaskSpec, load_tasks
from environment.corpus.validation import _problems
from environment.corpus.variants import CODE_NAMES, make_variant
from environment.env import EnvError
from sandbox.local import LocalRunner

from .policies import oracle

ROOT = Path(__file__).resolve().parents[2]
TASKS = load_tasks([BUILTIN_TASKS_DIR]).tasks
SAMPLE = ["logic-bulk-discount", "multi-api-gateway", "syn-slots-bad-dedent", "sty-event-tags-mutable-default",
          "sec-export-plugin-exec", "multi-statement-ingest"]
SEED = 3


def package(task: Task) -> str:
    return next(p.split("/")[0] for p in task.repo if "/" in p and not p.startswith("tests/"))


def names_of_tests(task: Task) -> set[str]:
    files = [t for p, t in task.repo.items() if p.startswith("tests/test")] + list(task.hidden.values())
    return {n.name for text in files for n in ast.parse(text).body
            if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def trees(task: Task) -> tuple:
    return task.spec.model_dump_json(), task.repo, task.hidden, task.solution


# ---- pure transformations -------------------------------------------------------------------------

def test_same_seed_same_variant_and_seeds_differ() -> None:
    for task_id in SAMPLE:
        task = TASKS[task_id]
        first, again = make_variant(task, 11), make_variant(task, 11)
        assert trees(first) == trees(again)
        assert list(first.repo) == list(again.repo)
        others = {make_variant(task, seed).content_hash for seed in range(6)}
        assert len(others) == 6 and task.content_hash not in others
    assert len({package(make_variant(TASKS["logic-bulk-discount"], s)) for s in range(8)}) >= 3


def test_variants_do_not_depend_on_hash_randomisation() -> None:
    code = ("from environment.corpus.tasks import load_tasks; from environment.corpus.variants import make_variant; "
            f"ts = load_tasks().tasks; print([make_variant(ts[i], 5).content_hash for i in {SAMPLE!r}])")
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"}).stdout
    assert other == str([make_variant(TASKS[i], 5).content_hash for i in SAMPLE]) + "\n"


@pytest.mark.parametrize("seed", [0, 1])
def test_every_task_varies_names_and_keeps_bug_lines(seed: int) -> None:
    for task in TASKS.values():
        variant = make_variant(task, seed)
        old, new = package(task), package(variant)
        assert new != old and new in CODE_NAMES, task.id
        assert not any(p.startswith(old + "/") for p in (*variant.repo, *variant.solution)), task.id
        imports = re.compile(rf"^\s*(from|import)\s+{old}\b", re.M)
        assert not any(imports.search(text) for tree in (variant.repo, variant.hidden, variant.solution)
                       for text in tree.values()), task.id
        assert not names_of_tests(task) & names_of_tests(variant), task.id
        assert variant.spec.entry == (task.spec.entry and new + task.spec.entry[len(old):])
        for before, after in zip(task.spec.bugs, variant.spec.bugs, strict=True):
            assert after.file == new + before.file[len(old):]
            if before.line:  # the code name never occurs in the original, so mapping it back is exact
                assert variant.repo[after.file].splitlines()[after.line - 1].replace(new, old) == \
                    task.repo[before.file].splitlines()[before.line - 1], (task.id, before.file)
        assert variant.spec.id == task.spec.id and variant.root == task.root


def test_code_names_are_not_importable_modules() -> None:
    assert not [n for n in CODE_NAMES if n in sys.stdlib_module_names or importlib.util.find_spec(n)]


def synthetic(repo: dict[str, str], hidden: dict[str, str] | None = None) -> Task:
    spec = TaskSpec(id="synthetic", title="Adds shop.pricing", description="See `shop.pricing.total()` and "
                    "shop/pricing.py; the shop.db file stays.", difficulty="medium", entry="shop/pricing.py",
                    bugs=[{"file": "shop/pricing.py", "category": "logic", "severity": "low", "line": 1,
                           "hint": "shop.pricing rounds"}])
    return Task(spec=spec, root=Path("/nonexistent"), repo=repo, hidden=hidden or {}, solution={})


def test_package_rename_uses_tokens_not_text() -> None:
    source = ('import logging\nlogger = logging.getLogger("shop.pricing")  # see shop/pricing.py\n\n\n'
              'def total(shop):\n    return shop.total + 1\n')
    test = ('import shop.pricing\nfrom shop import pricing as p\n\n\n'
            'def test_total(monkeypatch):\n    shop = "shop"\n'
            '    monkeypatch.setattr("shop.pricing.total", lambda s: 0)\n'
            '    assert shop.pricing.total(None) == p.total(None) == 0\n'
            '    assert shop == "shop" and "shop.db" and f"{shop}.x"\n')
    variant = make_variant(synthetic({"shop/__init__.py": "", "shop/pricing.py": source,
                                      "tests/test_pricing.py": test}), 0)
    new = package(variant)
    src = variant.repo[f"{new}/pricing.py"]
    assert f'getLogger("{new}.pricing")  # see {new}/pricing.py' in src
    assert "def total(shop):\n    return shop.total + 1" in src  # a parameter called like the package stays
    visible = variant.repo["tests/test_pricing.py"]
    assert visible.startswith(f"import {new}.pricing\nfrom {new} import pricing as p\n")
    assert f'monkeypatch.setattr("{new}.pricing.total"' in visible and f"assert {new}.pricing.total" in visible
    assert 'shop = "shop"' in visible and '"shop.db"' in visible and 'f"{shop}.x"' in visible
    assert "def test_total(" not in visible and len(visible.splitlines()) == len(test.splitlines())
    spec = variant.spec
    assert spec.title == f"Adds {new}.pricing" and spec.bugs[0].hint == f"{new}.pricing rounds"
    assert spec.description == f"See `{new}.pricing.total()` and {new}/pricing.py; the shop.db file stays."


def test_reorder_keeps_decorators_comments_and_skips_unsafe_modules() -> None:
    text = ('"""Doc."""\nimport functools\n\nLIMIT = 3\n\n\n# about a\n@functools.cache\ndef a():\n    return b()\n'
            '\n\ndef b():\n    return LIMIT\n    # trailing note\n\n\nif __name__ == "__main__":\n    a()\n')
    lay = layout(text)
    assert lay is not None and lay.functions == ["a", "b"]
    swapped, mapping = apply_order(lay, ["b", "a"])
    assert swapped.index("def b") < swapped.index("# about a\n@functools.cache\ndef a")
    assert swapped.count("\n") == text.count("\n") and swapped.endswith('if __name__ == "__main__":\n    a()\n')
    assert "    return LIMIT\n    # trailing note\n" in swapped
    old, new = text.splitlines(), swapped.splitlines()
    assert all(old[i] == new[j] for i, j in enumerate(mapping))
    for unsafe in ("def a():\n    pass\n\n\nHANDLERS = {'a': a}\n\n\ndef b():\n    pass\n",
                   "def deco(f):\n    return f\n\n\n@deco\ndef b():\n    pass\n",
                   "def a():\n    pass\n\n\ndef a():\n    pass\n", "def a(:\n    pass\n",
                   "def a():\n    pass\n\n\nclass B:\n    pass\n\n\ndef c(b: B):\n    pass\n"):
        assert layout(unsafe) is None
    assert layout("from __future__ import annotations\n\n\ndef a(b: B):\n    pass\n\n\nclass B:\n    pass\n"
                  "\n\ndef c():\n    pass\n") is not None  # lazy annotations may move


# ---- served and validated for real ----------------------------------------------------------------

@pytest.fixture(scope="module")
def validated(backend) -> dict[str, tuple[Task, object]]:
    """The sample's variants with their reference runs (local runner), computed in parallel and shared
    with the backend's baseline cache (as `autocoderl tasks validate` does)."""
    runner = LocalRunner()
    variants = [make_variant(TASKS[task_id], SEED) for task_id in SAMPLE]
    with ThreadPoolExecutor(max_workers=6) as pool:
        baselines = list(pool.map(lambda v: compute_baseline(v, runner), variants))
    for variant, baseline in zip(variants, baselines, strict=True):
        backend.evaluator.baselines.put(variant, baseline)
    return {v.id: (v, b) for v, b in zip(variants, baselines, strict=True)}


@pytest.mark.parametrize("task_id", SAMPLE)
def test_variant_validates_and_the_oracle_solves_it(task_id: str, validated, backend, make_env, tmp_path,
                                                   monkeypatch) -> None:
    variant, baseline = validated[task_id]
    task = TASKS[task_id]
    assert _problems(variant, baseline) == []
    assert not baseline.solution_failing
    if task.spec.primary_category != "style":
        assert set(baseline.fail_to_pass) & set(baseline.hidden)
    assert not {t.split("::")[1] for t in baseline.tests} & names_of_tests(task)  # new test ids
    defs = re.compile(r"^def (\w+)", re.M)
    assert any(defs.findall(variant.repo[p]) != defs.findall(task.repo[p.replace(package(variant), package(task), 1)])
               for p in variant.source_files), "no function moved"
    monkeypatch.setattr(backend, "settings", dataclasses.replace(backend.settings, artifacts_dir=str(tmp_path)))
    env = make_env()
    assert oracle(env, variant, variant_seed=SEED) >= 0.95
    observation = env.state
    assert env.state.variant_seed == SEED and env.state.solved
    assert env._episode.task.content_hash == variant.content_hash  # noqa: SLF001
    steps = sorted(tmp_path.rglob("step-*.json"))
    assert steps and all(json.loads(p.read_text())["variant_seed"] == SEED for p in steps)
    first = env.reset(task_id=task_id, variant_seed=SEED)
    assert first.variant_seed == SEED and first.file_name == variant.entry_file
    assert first.file_name.startswith(package(variant) + "/") and observation.task_id == task.public_id


def test_failed_variant_falls_back_to_the_original(backend, make_env, monkeypatch) -> None:
    task = TASKS["logic-bulk-discount"]
    broken = dataclasses.replace(make_variant(task, 0), hidden={})  # no hidden test fails any more
    monkeypatch.setattr(variant_cache, "make_variant", lambda t, s: broken)
    env = make_env()
    observation = env.reset(task_id=task.id, variant_seed=424242)
    assert observation.variant_seed is None and env.state.variant_seed is None
    assert "Variant 424242 is not available" in observation.previous_action_feedback
    assert env._episode.task.content_hash == task.content_hash  # noqa: SLF001
    assert observation.file_name == task.entry_file


def test_variant_seed_must_be_an_integer(make_env) -> None:
    env = make_env()
    for bad in ("3", 1.5, True):
        with pytest.raises(EnvError) as excinfo:
            env.reset(task_id="logic-bulk-discount", variant_seed=bad)
        assert excinfo.value.code == "INVALID_RESET"
