"""`autocoderl` command line: serve, tasks list/validate, regrade, sandbox build, eval."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

from environment.config import LOG_LEVELS
from environment.corpus.tasks import load_tasks, task_dirs


def _tasks(args: argparse.Namespace):
    if getattr(args, "dir", None):
        return load_tasks([Path(args.dir)])
    return load_tasks(task_dirs(args.tasks_dir or ()))


def cmd_serve(args: argparse.Namespace) -> int:
    if args.tasks_dir:
        os.environ["AUTOCODERL_TASKS_DIR"] = ":".join(filter(None, [os.environ.get("AUTOCODERL_TASKS_DIR", ""),
                                                                    *args.tasks_dir]))
    if args.runner:
        os.environ["AUTOCODERL_RUNNER"] = args.runner
    if args.host:
        os.environ["HOST"] = args.host
    if args.port is not None:
        os.environ["PORT"] = str(args.port)
    if args.log_level:
        os.environ["AUTOCODERL_LOG_LEVEL"] = args.log_level
    from environment.app import main

    main()
    return 0


def cmd_tasks_list(args: argparse.Namespace) -> int:
    tasks = _tasks(args)
    print(f"{'task id':40} {'difficulty':10} {'category':12} {'cwe':9} {'tier':4} split")
    for task in sorted(tasks.tasks.values(), key=lambda t: t.id):
        s = task.spec
        print(f"{task.id:40} {s.difficulty:10} {s.primary_category or 'no_bug':12} {(s.cwes or ('-',))[0]:9} "
              f"{s.tier or '-'!s:4} {s.split}")
    for folder, reason in tasks.problems.items():
        print(f"SKIPPED {folder}: {reason}", file=sys.stderr)
    return 0


def _log_sandbox_steps() -> None:
    """Show the sandbox's own progress messages (building the base venv or image, ...) on stderr: the steps
    before the first task or requirement set can take minutes."""
    import logging

    logger = logging.getLogger("autocoderl")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def cmd_tasks_validate(args: argparse.Namespace) -> int:
    from environment.corpus.validation import TaskVerdict, validate_all
    from environment.progress import Progress
    from sandbox import make_runner

    _log_sandbox_steps()
    tasks = _tasks(args)
    selected = [t for t in sorted(tasks.tasks.values(), key=lambda t: t.id) if not args.only or t.id in args.only]
    runner = make_runner(args.runner)
    print(f"validating {len(selected)} task(s) with the {runner.name} runner ({runner.isolation.value})", flush=True)
    counts: Counter[str] = Counter()

    with Progress(len(selected), "validate") as progress:
        def done(verdict: TaskVerdict, seconds: float) -> None:
            counts[verdict.outcome] += 1
            progress.done(f"{verdict.outcome.upper():10} {verdict.task_id}", seconds,
                          postfix=", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
            if not verdict.ok and progress.bar is not None:  # a failure is worth seeing before the end
                progress.note(f"{verdict.outcome.upper()}: {verdict.task_id}: {verdict.detail}")

        verdicts = validate_all(selected, runner, workers=args.workers, on_done=done)
    width = max([len(v.task_id) for v in verdicts] + [10])
    for verdict in verdicts:
        print(f"{verdict.task_id:{width}}  {verdict.outcome.upper():10}  {verdict.detail}")
        for warning in verdict.warnings:
            print(f"{'':{width}}  {'WARNING':10}  {warning}")
        if args.record and verdict.ok and verdict.baseline is not None:
            (tasks.tasks[verdict.task_id].root / "baseline.json").write_text(verdict.baseline.to_json())
    for folder, reason in tasks.problems.items():
        print(f"{Path(folder).name:{width}}  {'INVALID':10}  {reason}")
    failed = [v for v in verdicts if not v.ok]
    print(f"\n{len(verdicts) - len(failed)} ok, {len(failed)} failed, {len(tasks.problems)} invalid folder(s)")
    return 1 if failed or tasks.problems else 0


def cmd_regrade(args: argparse.Namespace) -> int:
    from environment.regrade import regrade_dir

    results = regrade_dir(Path(args.dir))
    changed = [r for r in results if not r["same"]]
    for r in results:
        same = "same" if r["same"] else "DIFFERENT"
        print(f"{r['file']}: stored {r['stored']:.4f} regraded {r['regraded']:.4f} {same}")
    print(json.dumps({"regraded": len(results), "different": len(changed)}))
    return 1 if changed else 0


def cmd_sandbox_build(args: argparse.Namespace) -> int:
    """Build the base image (Docker) and every task requirement set's environment, ahead of time."""
    from environment.progress import Progress
    from sandbox.requirements import RequirementsError, RequirementSet
    from sandbox.types import SandboxError

    _log_sandbox_steps()
    tasks = _tasks(args)
    try:
        runner = _sandbox_runner(args.runner or "auto", build_image=True)
    except SandboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sets: dict[RequirementSet, list[str]] = {}
    for task in sorted(tasks.tasks.values(), key=lambda t: t.id):
        if task.spec.requirements:
            sets.setdefault(RequirementSet.of(task.spec.requirements), []).append(task.id)
    print(f"{runner.name} runner: base {runner.environments.base_info.id}; {len(sets)} task requirement set(s)",
          flush=True)
    failed = 0
    try:
        with Progress(len(sets), "sandbox build", unit="set") as progress:
            for reqs, ids in sets.items():
                wanted = ", ".join(reqs.requirements)
                if progress.bar is None:
                    progress.note(f"[{progress.count + 1}/{len(sets)}] preparing {wanted} ({', '.join(ids)})")
                started = time.monotonic()
                try:
                    info = runner.environments.get(reqs, echo=lambda line: progress.note(f"  | {line}", sys.stdout))
                except RequirementsError as exc:
                    failed += 1
                    progress.note(f"FAILED  {wanted}  ({', '.join(ids)}): {exc}", sys.stdout)
                    progress.done(f"FAILED {wanted}", time.monotonic() - started)
                    continue
                packages = ", ".join(f"{n}=={v}" for n, v in sorted(info.packages.items())) or "base set"
                progress.note(f"ready   {wanted}  -> {info.kind} {info.id} [{packages}]  ({', '.join(ids)})",
                              sys.stdout)
                progress.done(f"ready {wanted}", time.monotonic() - started)
    finally:
        runner.close()
    for folder, reason in tasks.problems.items():
        print(f"SKIPPED {folder}: {reason}", file=sys.stderr)
    return 1 if failed else 0


def cmd_sandbox_prune(args: argparse.Namespace) -> int:
    """Remove base/derived images and venvs that neither this checkout nor the loaded tasks use."""
    from sandbox.prune import remove_images, remove_paths, stale_images, stale_venvs
    from sandbox.requirements import RequirementSet
    from sandbox.types import SandboxError

    sets = {RequirementSet.of(t.spec.requirements) for t in _tasks(args).tasks.values() if t.spec.requirements}
    verb = "would remove" if args.dry_run else "removed"
    kinds = ["docker", "local"] if args.runner == "all" else [args.runner]
    for kind in kinds:
        try:
            runner = _sandbox_runner(kind, build_image=False)
        except SandboxError as exc:
            print(f"{kind}: skipped ({exc})")
            continue
        try:
            keys = {k for k in (runner.environments.key(reqs) for reqs in sets) if k}
            if kind == "docker":
                from sandbox.derived_image import derived_tag

                keep = {runner.image, *(derived_tag(runner.image, key) for key in keys)}
                tags = stale_images(runner.client, keep)
                results = {tag: "would remove" for tag in tags} if args.dry_run else remove_images(runner.client, tags)
                for tag, outcome in results.items():
                    print(f"docker: {outcome}: {tag}")
                print(f"docker: kept {len(keep)} image(s) in use ({runner.image} and {len(keys)} derived)")
            else:
                paths = stale_venvs({runner.environments.base_info.id, *keys})
                if not args.dry_run:
                    remove_paths(paths)
                for path in paths:
                    print(f"local: {verb}: {path}")
                print(f"local: kept the base venv {runner.environments.base_info.id} and {len(keys)} derived")
        finally:
            runner.close()
    return 0


def _sandbox_runner(kind: str, *, build_image: bool):
    """A runner without a container pool whose environments `sandbox build`/`prune` handle: Docker (with
    `build_image`, its base image built first when missing) when an engine answers or was asked for, else the
    local runner.

    Raises:
        SandboxError: docker was asked for and is unusable.
    """
    from sandbox.types import SandboxError

    if kind in ("auto", "docker"):
        try:
            from sandbox.docker_runner import DockerRunner
            from sandbox.image import ensure_image

            if build_image:
                print(f"base image: {ensure_image(echo=lambda line: print(f'  | {line}', flush=True))}", flush=True)
            return DockerRunner(pool_size=0)
        except (ImportError, SandboxError):
            if kind == "docker":
                raise
    from sandbox.local import LocalRunner

    return LocalRunner()


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _seeds(value: str) -> list[int]:
    try:
        return [int(v) for v in _csv(value)]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seeds takes comma-separated integers, got {value!r}") from None


def cmd_eval(args: argparse.Namespace) -> int:
    from environment.evaluation.run import EvalConfig, print_outcome, run_eval

    if args.k < 1 or args.concurrency < 1:
        print("autocoderl eval: --k and --concurrency must be at least 1", file=sys.stderr)
        return 2
    seeds = args.seeds or list(range(args.k))
    out = Path(args.out or f"runs/eval-{args.agent}")
    options = {k: v for k, v in {"model": args.model, "base_url": args.api_base}.items() if v}
    cfg = EvalConfig(out=out, agent=args.agent, task_ids=args.task_ids or [], task_name=args.task_name,
                     category=args.category, cwe=args.cwe, tier=args.tier, split=args.split, seeds=seeds,
                     limit=args.limit, sample_seed=args.sample_seed, concurrency=args.concurrency, url=args.url,
                     runner=args.runner, tasks_dirs=args.tasks_dir or [], agent_options=options,
                     progress=not args.no_progress)
    try:
        outcome = run_eval(cfg)
    except ValueError as exc:
        print(f"autocoderl eval: {exc}", file=sys.stderr)
        return 2
    return print_outcome(outcome, cfg)


def _add_eval(sub: argparse._SubParsersAction) -> None:
    from environment.evaluation import AGENTS

    ev = sub.add_parser("eval", help="run an agent over a task selection and summarise (resumable)")
    ev.add_argument("--agent", choices=AGENTS, default="oracle")
    ev.add_argument("--task-ids", type=_csv, help="comma-separated task ids (real or opaque t-...)")
    ev.add_argument("--task-name", choices=["easy", "medium", "hard"], help="difficulty")
    ev.add_argument("--category", choices=["syntax", "logic", "security", "performance", "style", "no_bug"],
                    help="tasks with a bug of this category (no_bug: the already-correct decoy repos)")
    ev.add_argument("--cwe", help="e.g. CWE-89")
    ev.add_argument("--tier", type=int, choices=[1, 2, 3, 4])
    ev.add_argument("--split", choices=["train", "eval"])
    ev.add_argument("--seeds", type=_seeds, help="comma-separated seeds (one episode per task and seed)")
    ev.add_argument("--k", type=int, default=1, help="samples per task (seeds 0..k-1) for pass@k")
    ev.add_argument("--limit", type=int, help="at most this many tasks: a sample stratified by category (every "
                                              "category first, then in proportion), drawn with --sample-seed")
    ev.add_argument("--sample-seed", type=int, default=0, help="seed of the --limit sample (default 0)")
    ev.add_argument("--concurrency", type=int, default=4, help="concurrent sessions")
    ev.add_argument("--url", help="AutoCodeRL server URL (default: an in-process environment)")
    ev.add_argument("--runner", choices=["auto", "docker", "local"], help="in-process runner")
    ev.add_argument("--tasks-dir", action="append")
    ev.add_argument("--out", help="run directory (default runs/eval-<agent>); an existing one is resumed")
    ev.add_argument("--model", help="openai agent: model name (default MODEL_NAME)")
    ev.add_argument("--api-base", help="openai agent: endpoint (default API_BASE_URL)")
    ev.add_argument("--no-progress", action="store_true", help="no progress bar")
    ev.set_defaults(func=cmd_eval)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autocoderl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the OpenEnv server")
    serve.add_argument("--host", help="address to listen on (default HOST or 0.0.0.0; 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, help="port (default PORT or 8000; 0: any free port)")
    serve.add_argument("--tasks-dir", action="append", help="extra task folder root (repeatable)")
    serve.add_argument("--runner", choices=["auto", "docker", "local"])
    serve.add_argument("--log-level", choices=LOG_LEVELS,
                       help="debug (every WebSocket message) | info (access log, default) | warning | error; "
                            "default AUTOCODERL_LOG_LEVEL or info")
    serve.set_defaults(func=cmd_serve)
    tasks = sub.add_parser("tasks", help="list or validate task folders").add_subparsers(dest="tasks_cmd",
                                                                                       required=True)
    listing = tasks.add_parser("list")
    listing.add_argument("--tasks-dir", action="append")
    listing.set_defaults(func=cmd_tasks_list)
    validate = tasks.add_parser("validate", help="run every task's gold/buggy checks in the sandbox")
    validate.add_argument("dir", nargs="?", help="a folder of task folders (default: built-in + AUTOCODERL_TASKS_DIR)")
    validate.add_argument("--tasks-dir", action="append")
    validate.add_argument("--only", nargs="*", help="task ids to validate")
    validate.add_argument("--record", action="store_true", help="write baseline.json into each valid task")
    validate.add_argument("--runner", choices=["auto", "docker", "local"])
    validate.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    validate.set_defaults(func=cmd_tasks_validate)
    regrade = sub.add_parser("regrade", help="grade stored episode artifacts again (no execution)")
    regrade.add_argument("dir")
    regrade.set_defaults(func=cmd_regrade)
    sandbox = sub.add_parser("sandbox", help="sandbox image management").add_subparsers(dest="sandbox_cmd",
                                                                                      required=True)
    build = sandbox.add_parser("build", help="build the sandbox image and every task requirement set's "
                                             "environment (derived image or venv) ahead of time")
    build.add_argument("--tasks-dir", action="append", help="extra task folder root (repeatable)")
    build.add_argument("--runner", choices=["auto", "docker", "local"],
                       help="docker: base + derived images; local: venvs (default: docker when an engine answers)")
    build.set_defaults(func=cmd_sandbox_build)
    prune = sandbox.add_parser("prune", help="remove images and venvs of older checkouts or of requirement sets "
                                             "no loaded task declares")
    prune.add_argument("--tasks-dir", action="append", help="extra task folder root whose sets are kept (repeatable)")
    prune.add_argument("--runner", choices=["all", "docker", "local"], default="all")
    prune.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    prune.set_defaults(func=cmd_sandbox_prune)
    _add_eval(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
