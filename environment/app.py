"""The server: OpenEnv routes (/ws, /reset, /step, /state, /schema, /metadata, /mcp) from the
official HTTPEnvServer, plus /health, /tasks, /web and the local-dev per-task routes.

Every HTTP error answers a typed body `{"code", "detail", "errors"?}` (environment/errors.py), the shape of
the /ws error frames, and never echoes more than an excerpt of the request.
"""

from __future__ import annotations

import gc
import logging
import logging.config
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

import environment.openenv_compat  # noqa: F401 - before openenv: skips its Gradio UI

# isort: split
from openenv.core.env_server.http_server import HTTPEnvServer
from openenv.core.env_server.serialization import serialize_observation
from openenv.core.env_server.types import ConcurrencyConfig
from pydantic import ValidationError

from environment.config import Settings, load_settings
from environment.env import AutoCodeEnv, Backend, EnvError
from environment.errors import HTTP_CODES, VALIDATION_ERROR, http_error, http_validation_error
from environment.logs import log_config, print_line
from environment.models import ReviewAction, ReviewObservation, ReviewState
from environment.protocol_guard import ProtocolGuard
from sandbox.harness.hardening import make_non_dumpable

WEB_PAGE = Path(__file__).resolve().parent / "web" / "index.html"
log = logging.getLogger("autocoderl")
STATELESS_STEP = ("HTTP /reset and /step are stateless (OpenEnv): every request gets a fresh environment, so this "
                  "/step has no episode. Play an episode over the WebSocket at /ws (reset, then steps on one "
                  "connection), or use POST /dev/{easy|medium|hard}/reset, then /dev/{easy|medium|hard}/step")
"""What `POST /step` answers: a fresh environment never saw the client's earlier `POST /reset`."""


class ServedEnv(AutoCodeEnv):
    """AutoCodeEnv as the server runs it: an unexpected exception (a bug, not a typed EnvError) is logged with
    its traceback before the framework turns it into an EXECUTION_ERROR frame or a 500."""

    def reset(self, *args: Any, **kwargs: Any) -> ReviewObservation:
        try:
            return super().reset(*args, **kwargs)
        except EnvError:
            raise
        except Exception:
            log.exception("reset failed")
            raise

    def step(self, *args: Any, **kwargs: Any) -> ReviewObservation:
        try:
            return super().step(*args, **kwargs)
        except EnvError:
            raise
        except Exception:
            log.exception("step failed")
            raise


def build_backend(settings: Settings) -> Backend:
    backend = Backend.create(settings)
    for folder, reason in backend.tasks.problems.items():
        log.warning("skipped task folder %s: %s", folder, reason)
    return backend


def task_listing(backend: Backend) -> dict[str, Any]:
    """What /tasks shows: opaque ids and selectors, never a task's bug category, CWE or location."""
    tasks = backend.tasks.tasks.values()
    return {
        "count": len(backend.tasks.tasks),
        "tasks": [{"id": t.public_id, "title": t.spec.title, "difficulty": t.spec.difficulty,
                   "split": t.spec.split} for t in sorted(tasks, key=lambda t: t.public_id)],
        "selectors": {
            "task_name": dict(Counter(t.spec.difficulty for t in tasks)),
            "category": dict(Counter(b for t in tasks for b in {x.category for x in t.spec.bugs})),
            "cwe": dict(Counter(c for t in tasks for c in set(t.spec.cwes))),
            "tier": dict(Counter(str(t.spec.tier) for t in tasks if t.spec.tier)),
            "split": dict(Counter(t.spec.split for t in tasks)),
        },
        "skipped_folders": len(backend.tasks.problems),
    }


def create_server(settings: Settings | None = None, backend: Backend | None = None) -> FastAPI:
    settings = settings or load_settings()
    backend = backend or build_backend(settings)
    server = HTTPEnvServer(lambda: ServedEnv(backend), ReviewAction, ReviewObservation,
                           concurrency_config=ConcurrencyConfig(max_concurrent_envs=settings.max_concurrent_envs,
                                                                session_timeout=settings.session_timeout_s),
                           env_name="autocoderl", state_cls=ReviewState)
    app = FastAPI(title="AutoCodeRL", version="0.1.0",
                  description="OpenEnv environment: review and fix buggy Python mini repos; every fix really runs.")
    app.state.backend = backend
    # uvicorn turns SIGTERM/SIGINT into a shutdown: release the runner (pooled containers, sweep by label)
    app.router.on_shutdown.append(backend.runner.close)

    _register_error_handlers(app)

    @app.get("/health", tags=["Health"])
    def health() -> dict[str, Any]:
        runner = backend.runner
        return {"status": "healthy", "runner": runner.name, "isolation": runner.isolation.value,
                "isolation_note": getattr(runner, "isolation_note", ""),
                "image": getattr(runner, "image", None), "active_sessions": len(server._sessions),
                "max_sessions": settings.max_concurrent_envs, "tasks": len(backend.tasks.tasks),
                "fix_policy": settings.fix_policy, **backend.interpreter_report(),
                "base_environment": runner.environments.base_info.to_dict(),
                "environments": runner.environments.describe()}

    @app.get("/tasks", tags=["Environment Info"])
    def tasks() -> dict[str, Any]:
        return task_listing(backend)

    @app.get("/web", response_class=HTMLResponse, include_in_schema=False)
    def web() -> HTMLResponse:
        return HTMLResponse(WEB_PAGE.read_text() if WEB_PAGE.exists() else "<h1>AutoCodeRL</h1>")

    _register_dev_routes(app, backend)
    server.register_routes(app)
    wrapped = ProtocolGuard(app, settings.max_message_bytes)
    app.state.guard = wrapped
    return app


def _register_error_handlers(app: FastAPI) -> None:
    """Typed JSON bodies for every HTTP error: our EnvErrors (409), validation errors (422, the errors of a
    /ws VALIDATION_ERROR frame), and the framework's own HTTP errors (404, 405, ...)."""

    @app.exception_handler(EnvError)
    async def env_error(request: Request, exc: EnvError) -> JSONResponse:
        detail = str(exc).partition(": ")[2]
        if exc.code == "NOT_RESET":
            path = request.url.path
            detail = STATELESS_STEP if path == "/step" else \
                f"no episode yet: call POST {path.rsplit('/', 1)[0]}/reset first"
        return JSONResponse(http_error(exc.code, detail), status_code=409)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(http_validation_error(exc.errors()), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_exception(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 422 and isinstance(exc.detail, list):  # OpenEnv's /step: the action did not validate
            body = http_validation_error(exc.detail, "invalid action")
        else:
            code = HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
            body = http_error(VALIDATION_ERROR if exc.status_code == 422 else code, str(exc.detail))
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _register_dev_routes(app: FastAPI, backend: Backend) -> None:
    """Stateful per-difficulty routes for local development only (one shared episode per task_name;
    not for concurrent use; trainers use /ws)."""
    envs: dict[str, AutoCodeEnv] = {}
    lock = threading.Lock()

    def env_for(task_name: str) -> AutoCodeEnv:
        if task_name not in ("easy", "medium", "hard"):
            raise EnvError("INVALID_RESET", "task_name must be easy, medium or hard")
        with lock:
            return envs.setdefault(task_name, ServedEnv(backend))

    @app.post("/dev/{task_name}/reset", tags=["Local development"])
    def dev_reset(task_name: str, options: dict[str, Any] = Body(default_factory=dict)) -> dict[str, Any]:
        options = {k: v for k, v in options.items() if k != "task_name"}
        return serialize_observation(env_for(task_name).reset(task_name=task_name, **options))

    @app.post("/dev/{task_name}/step", tags=["Local development"])
    def dev_step(task_name: str, action: dict[str, Any] = Body(...)) -> Any:
        try:
            parsed = ReviewAction.model_validate(action)
        except ValidationError as exc:
            return JSONResponse(http_validation_error(exc.errors(include_url=False), "invalid action"),
                                status_code=422)
        return serialize_observation(env_for(task_name).step(parsed))

    @app.get("/dev/{task_name}/state", tags=["Local development"])
    def dev_state(task_name: str) -> dict[str, Any]:
        return env_for(task_name).state.model_dump()


def asgi_app(settings: Settings | None = None) -> ProtocolGuard:
    """The ASGI callable to serve: the FastAPI app behind the protocol guard."""
    return create_server(settings).state.guard


def start_line(url: str, backend: Backend) -> str:
    """The line `serve` prints once it listens: where, on which runner and isolation, with how many tasks."""
    tasks = backend.tasks
    skipped = f", {len(tasks.problems)} folder(s) skipped" if tasks.problems else ""
    local = url.replace("://0.0.0.0:", "://127.0.0.1:").replace("://[::]:", "://[::1]:")
    return (f"AutoCodeRL listening on {url} (runner {backend.runner.name}, isolation {backend.isolation}, "
            f"{len(tasks.tasks)} tasks{skipped}); web tester: {local}/web")


def main() -> None:
    import uvicorn

    make_non_dumpable()
    settings = load_settings()
    served: dict[str, Backend] = {}
    config = log_config(settings.log_level, lambda url: print_line(start_line(url, served["backend"])))
    logging.config.dictConfig(config)
    app = asgi_app(settings)
    served["backend"] = app.app.state.backend
    gc.freeze()  # the framework import leaves ~180k tracked objects; freezing them removes 100 ms GC pauses
    # uvloop + httptools when installed; no permessage-deflate: observations are large and the CPU is the
    # bottleneck on small machines (AUTOCODERL_WS_DEFLATE=1 turns it on for slow links)
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=config, ws_ping_interval=60,
                ws_ping_timeout=120, loop="auto", http="auto",
                ws_per_message_deflate=os.environ.get("AUTOCODERL_WS_DEFLATE", "0") == "1")


if __name__ == "__main__":
    main()
