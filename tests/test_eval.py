"""`autocoderl eval`: the oracle solves sample tasks in-process, degenerate agents score zero, runs
resume (a torn last line included), the files parse, and the openai agent runs against a server."""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from environment.cli import build_parser
from environment.cli import main as cli_main
from environment.config import load_settings
from environment.corpus.tasks import load_tasks
from environment.env import Backend
from environment.evaluation.run import EvalConfig, EvalOutcome, run_eval, select_tasks, stratum
from environment.evaluation.summary import format_tables, pass_at_k, summarize
from sandbox.local import LocalRunner

from .openai_stub import StubLLM

ORACLE_TASKS = ["log-pagination-page-count", "logic-bulk-discount", "sec-newsletter-autoescape", "clean-loyalty-tiers"]
BUGGY_TASKS = ["log-pagination-page-count", "sec-orders-sql-injection", "syn-ledger-missing-colon",
               "logic-bulk-discount"]
RECORD_KEYS = {"task_id", "seed", "agent", "actions", "steps", "reward_breakdown", "reward", "solved", "status"}


@pytest.fixture(scope="module")
def backend() -> Backend:
    settings = load_settings({"AUTOCODERL_RUNNER": "local", "AUTOCODERL_MAX_PARALLEL_RUNS": "2"})
    return Backend(settings=settings, tasks=load_tasks(), runner=LocalRunner())


@pytest.fixture(scope="module")
def oracle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("oracle-run")


@pytest.fixture(scope="module")
def oracle_run(backend: Backend, oracle_dir: Path) -> EvalOutcome:
    cfg = EvalConfig(out=oracle_dir, agent="oracle", task_ids=ORACLE_TASKS, concurrency=2, progress=False)
    return run_eval(cfg, backend=backend, echo=lambda _: None)


def read_results(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def test_oracle_solves_the_sample_tasks(oracle_run: EvalOutcome) -> None:
    overall = oracle_run.summary["all"][0]
    assert overall.episodes == len(ORACLE_TASKS) and oracle_run.ran == len(ORACLE_TASKS)
    assert overall.mean_reward >= 0.95 and overall.solve_rate == 1.0, [
        (r["task_id"], r["reward"], r["error"]) for r in oracle_run.records]
    assert min(r["reward"] for r in oracle_run.records) >= 0.95 and not oracle_run.broken_tasks
    security = {g.name: g for g in oracle_run.summary["category"]}["security"]
    assert security.secure_and_correct == 1.0
    assert {g.name for g in oracle_run.summary["cwe"]} == {"CWE-79"}


def test_run_files_exist_and_parse(oracle_run: EvalOutcome, oracle_dir: Path) -> None:
    records = read_results(oracle_dir)
    assert sorted(r["task_id"] for r in records) == sorted(ORACLE_TASKS)
    for record in records:
        assert set(record) >= RECORD_KEYS and record["agent"] == "oracle" and record["status"] == "ok"
        assert len(record["actions"]) == len(record["steps"]) == len(record["step_rewards"])
        assert abs(sum(record["step_rewards"]) - record["reward"]) < 1e-3
    medium = next(r for r in records if r["task_id"] == "logic-bulk-discount")
    assert [a["action_type"] for a in medium["actions"]] == ["detect_bug", "suggest_fix", "apply_fix",
                                                            "predict_severity", "request_changes"]
    assert medium["steps"][2]["execution"]["solved"] is True and medium["reward_breakdown"]["apply"] > 0
    meta = json.loads((oracle_dir / "metadata.json").read_text())
    assert meta["agent"] == {"agent": "oracle"} and meta["runner"]["mode"] == "in-process"
    assert meta["runner"]["runner"] == "local" and meta["runner"]["isolation"]
    assert len(meta["task_set_version"]) == 16 and meta["started"] and meta["finished"]
    assert "corpus_version" not in meta, "one task-set version: the selection's"
    assert all(r["categories"] == [r["category"]] for r in records)
    html = (oracle_dir / "report.html").read_text()
    assert html.startswith("<!doctype html>") and html.count("<svg") == 2 and "</html>" in html
    for external in ("src=", "href=", "<link", "@import", "url(", "<script"):
        assert external not in html


def test_resume_does_nothing_new(backend: Backend, oracle_run: EvalOutcome, oracle_dir: Path) -> None:
    before = (oracle_dir / "results.jsonl").read_text()
    cfg = EvalConfig(out=oracle_dir, agent="oracle", task_ids=ORACLE_TASKS, concurrency=2, progress=False)
    again = run_eval(cfg, backend=backend, echo=lambda _: None)
    assert again.ran == 0 and again.skipped == len(ORACLE_TASKS)
    assert (oracle_dir / "results.jsonl").read_text() == before
    assert again.summary["all"][0].mean_reward == oracle_run.summary["all"][0].mean_reward
    assert json.loads((oracle_dir / "metadata.json").read_text())["runs"] == 2


def test_another_agent_cannot_resume_into_the_same_directory(backend: Backend, oracle_run: EvalOutcome,
                                                              oracle_dir: Path) -> None:
    with pytest.raises(ValueError, match="holds a run of 'oracle'"):
        run_eval(EvalConfig(out=oracle_dir, agent="noop", task_ids=ORACLE_TASKS, progress=False), backend=backend)


@pytest.mark.parametrize("agent", ["noop", "approve"])
def test_degenerate_agents_score_zero_on_buggy_tasks(agent: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / agent
    status = cli_main(["eval", "--agent", agent, "--task-ids", ",".join(BUGGY_TASKS), "--k", "3", "--runner", "local",
                       "--concurrency", "3", "--out", str(out), "--no-progress"])
    assert status == 0
    printed = capsys.readouterr().out
    assert "by category" in printed and "by cwe" in printed and "by tier" in printed and "pass@3" in printed
    records = read_results(out)
    assert len(records) == 3 * len(BUGGY_TASKS)
    assert all(r["reward"] == 0.0 and not r["solved"] for r in records), [(r["task_id"], r["reward"]) for r in records]
    summary = json.loads((out / "metadata.json").read_text())["summary"]["all"][0]
    assert summary["solve_rate"] == 0.0 and summary["pass@3"] == 0.0 and summary["episodes"] == 12


def test_torn_and_stale_lines_are_rerun(backend: Backend, tmp_path: Path) -> None:
    cfg = EvalConfig(out=tmp_path, agent="approve", task_ids=["clean-loyalty-tiers", "sec-orders-sql-injection"],
                     seeds=[0, 1], progress=False)
    assert run_eval(cfg, backend=backend).ran == 4
    lines = (tmp_path / "results.jsonl").read_text().splitlines(keepends=True)
    stale = json.loads(lines[0]) | {"task_hash": "0" * 16}  # recorded against other task content
    torn = lines[-1][: len(lines[-1]) // 2]  # a write cut short by a kill
    (tmp_path / "results.jsonl").write_text(json.dumps(stale) + "\n" + "".join(lines[1:-1]) + torn)
    again = run_eval(cfg, backend=backend, echo=lambda _: None)
    assert again.ran == 2 and again.skipped == 2
    lines = read_results(tmp_path)  # every line parses again
    assert len(lines) == 5
    records = list({(r["task_id"], r["seed"]): r for r in lines}.values())
    assert len(records) == 4 and len(again.records) == 4
    assert all(r["task_hash"] != "0" * 16 for r in again.records)
    clean = [r for r in records if r["task_id"] == "clean-loyalty-tiers"]
    assert clean and all(not r["solved"] and r["reward"] == 0.0 for r in clean)  # approving unseen: no evidence


def test_openai_agent_against_a_server(server_url: str, tmp_path: Path) -> None:
    # the first episode (ids in order): a detection that names the bug's category, file and line, then severity
    script = ['{"action_type": "detect_bug", "bug_category": "security", "file": "devcli/tokencache.py", "line": 35}',
              "not json", '{"action_type": "predict_severity", "severity": "critical"}']
    with StubLLM(script) as stub:
        cfg = EvalConfig(out=tmp_path, agent="openai", task_ids=["sec-invite-code-random", "sec-cli-token-file-chmod"],
                         concurrency=1, url=server_url, progress=False,
                         agent_options={"model": "stub-model", "base_url": stub.base_url, "api_key": "x"})
        outcome = run_eval(cfg)
    assert outcome.ran == 2 and outcome.env_errors == 0
    first, second = sorted(outcome.records, key=lambda r: r["task_id"])
    assert [a["action_type"] for a in first["actions"]] == ["detect_bug", "predict_severity", "request_changes"]
    assert first["steps"][0]["reward"] > 0, "the detection names the bug's category, file and line"
    assert first["model"] == "stub-model" and first["public_task_id"]
    assert [a["action_type"] for a in second["actions"]] == ["request_changes"]
    meta = json.loads((tmp_path / "metadata.json").read_text())
    assert meta["agent"]["model"] == "stub-model" and meta["runner"]["mode"] == "server"
    assert meta["runner"]["runner"] == "local" and meta["runner"]["url"] == server_url


def test_pass_at_k_is_the_unbiased_estimator() -> None:
    for n in range(1, 7):
        for c in range(n + 1):
            outcomes = [True] * c + [False] * (n - c)
            for k in range(1, n + 1):
                subsets = list(itertools.combinations(outcomes, k))
                exact = sum(any(s) for s in subsets) / len(subsets)
                assert abs(pass_at_k(n, c, k) - exact) < 1e-12
    with pytest.raises(ValueError):
        pass_at_k(2, 1, 3)


def test_outside_tasks_with_requirements_record_their_environment(tmp_path: Path) -> None:
    """Each task's environment (venv key, requirements, installed versions) lands in metadata.json and every
    graded step's execution report; the oracle solves tasks that import a library outside the base set."""
    outside = Path(__file__).resolve().parent / "fixtures" / "outside_tasks"
    settings = load_settings({"AUTOCODERL_RUNNER": "local", "AUTOCODERL_PREPARE_ENVIRONMENTS": "lazy"})
    backend = Backend(settings=settings, tasks=load_tasks([outside]), runner=LocalRunner())
    outcome = run_eval(EvalConfig(out=tmp_path, agent="oracle", concurrency=2, progress=False), backend=backend,
                       echo=lambda _: None)
    assert outcome.ran == 2 and all(r["solved"] for r in outcome.records), outcome.records
    metadata = json.loads((tmp_path / "metadata.json").read_text())
    environments = metadata["task_environments"]
    assert set(environments) == {"sec-jwt-session-verify", "logic-jwt-refresh-window"}
    assert len({e["id"] for e in environments.values()}) == 1
    assert all(e["kind"] == "venv" and e["packages"]["pyjwt"].startswith("2.") for e in environments.values())
    assert metadata["runner"]["base_environment"]["id"].startswith("base-")


@pytest.mark.slow
def test_the_oracle_earns_full_marks_on_every_task_of_the_corpus(backend: Backend, tmp_path: Path) -> None:
    """`autocoderl eval --agent oracle` over the whole corpus: at least 0.95 and solved on every single task."""
    outcome = run_eval(EvalConfig(out=tmp_path, agent="oracle", concurrency=2, progress=False), backend=backend,
                       echo=lambda _: None)
    assert len(outcome.records) == len(backend.tasks.tasks) and outcome.env_errors == 0
    low = {r["task_id"]: (r["reward"], r["solved"]) for r in outcome.records if r["reward"] < 0.95 or not r["solved"]}
    assert low == {} and outcome.broken_tasks == {}


CORPUS = load_tasks()


def test_limit_draws_a_sample_stratified_by_category() -> None:
    """--limit takes every category before any twice, then in proportion to category sizes; the same seed gives
    the same sample, another seed another one (not the first ids alphabetically: all clean decoys)."""
    strata = Counter(stratum(t) for t in CORPUS.tasks.values())
    five = select_tasks(CORPUS, EvalConfig(out=Path("unused"), limit=5))
    assert len(five) == 5 and len({stratum(t) for t in five}) == 5 and not all(t.spec.no_bug for t in five)
    assert five == select_tasks(CORPUS, EvalConfig(out=Path("unused"), limit=5, sample_seed=0))
    samples = {tuple(t.id for t in select_tasks(CORPUS, EvalConfig(out=Path("unused"), limit=5, sample_seed=seed)))
               for seed in range(8)}
    assert len(samples) > 1
    assert {stratum(t) for t in select_tasks(CORPUS, EvalConfig(out=Path("unused"), limit=len(strata)))} == set(strata)
    thirty = Counter(stratum(t) for t in select_tasks(CORPUS, EvalConfig(out=Path("unused"), limit=30)))
    total = sum(strata.values())
    assert sum(thirty.values()) == 30
    assert all(abs(thirty[c] - 30 * n / total) < 1.5 for c, n in strata.items()), (thirty, strata)
    security = select_tasks(CORPUS, EvalConfig(out=Path("unused"), category="security", task_name="easy", limit=3))
    assert len(security) == 3 and all("security" in {b.category for b in t.spec.bugs} for t in security)


def test_category_no_bug_selects_the_clean_repos() -> None:
    args = build_parser().parse_args(["eval", "--category", "no_bug", "--limit", "2", "--sample-seed", "3"])
    assert (args.category, args.limit, args.sample_seed) == ("no_bug", 2, 3)
    clean = select_tasks(CORPUS, EvalConfig(out=Path("unused"), category="no_bug"))
    assert clean and [t.id for t in clean] == sorted(t.id for t in CORPUS.tasks.values() if t.spec.no_bug)


def test_a_multi_bug_task_counts_under_each_of_its_categories() -> None:
    multi = next(t for t in CORPUS.tasks.values() if len({b.category for b in t.spec.bugs}) > 1)
    categories = sorted({b.category for b in multi.spec.bugs})
    records = [{"task_id": multi.id, "seed": 0, "category": stratum(multi), "categories": categories, "cwes": [],
                "tier": None, "solved": True, "reward": 1.0},
               {"task_id": "clean-x", "seed": 0, "category": "no_bug", "categories": ["no_bug"], "cwes": [],
                "tier": None, "solved": False, "reward": 0.0}]
    summary = summarize(records)
    rows = {g.name: g for g in summary["category"]}
    assert set(rows) == {*categories, "no_bug"} and all(rows[c].episodes == rows[c].tasks == 1 for c in categories)
    assert summary["all"][0].episodes == 2
    table = format_tables(summary)
    assert all(re.search(rf"^{c} +1 +1 +1\.000", table, re.M) for c in categories), table
