"""``digest serve``: the web app (uvicorn) and the scheduler in one process.

The scheduler starts once uvicorn listens (a port in use starts nothing). SIGTERM or SIGINT:
the scheduler stops starting jobs, the send in flight lets each SMTP transaction finish and
records it (the rest stays pending for the next start), uvicorn closes its connections, and
the process exits 0 well within systemd's TimeoutStopSec=30. A second SIGINT stops at once.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.routing import BaseRoute

from digest import health, pipeline
from digest.config import Config
from digest.deliver import Transport
from digest.errors import DigestError
from digest.schedule import SERVE, DigestScheduler, Recorder, Result, reap_dead_runs
from digest.store import Store

log = logging.getLogger("digest.serve")

STOP_BUDGET = 27.0  # seconds from the signal to the exit: under systemd's TimeoutStopSec=30
HTTP_GRACE = 5  # seconds uvicorn waits for open connections at shutdown


def web_app(cfg: Config, store: Store) -> FastAPI:
    """The web app from digest.web, or a bare one when that package is missing."""
    try:
        from digest.web import create_app
    except ImportError:  # pragma: no cover - only before digest/web exists
        return FastAPI(title="digest", docs_url=None, redoc_url=None)
    return create_app(cfg, store)


def add_healthz(app: FastAPI, cfg: Config, store: Store, sched: DigestScheduler) -> None:
    """GET /healthz, ahead of the app's own routes: 200, or 503 with the scheduler down."""

    def healthz() -> JSONResponse:
        state = health.SchedulerState(running=sched.running, next_runs=sched.next_runs())
        try:
            data = health.report(cfg, store, now=pipeline.utcnow(), scheduler=state)
        except DigestError as e:
            data = {"status": "degraded", "problems": [str(e)],
                    "scheduler": {"running": state.running}}
        code = 200 if state.running else 503
        return JSONResponse(data, status_code=code, headers={"Cache-Control": "no-store"})

    app.add_api_route("/healthz", healthz, methods=["GET"], include_in_schema=False)
    routes: list[BaseRoute] = app.router.routes
    routes.insert(0, routes.pop())


class _Server(uvicorn.Server):
    """uvicorn, minus its own signal handling (it re-raises the signal after shutdown, which
    would end the process with -15 instead of 0), plus a hook once it listens."""

    on_started: Callable[[], None] = staticmethod(lambda: None)

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[object] | None = None) -> None:  # type: ignore[override]
        await super().startup(sockets=sockets)  # type: ignore[arg-type]
        if self.started and not self.should_exit:
            self.on_started()


def serve(
    cfg: Config,
    store: Store,
    *,
    host: str | None = None,
    port: int | None = None,
    transport: Callable[[], Transport] | None = None,
) -> int:
    """Run until SIGTERM/SIGINT; returns the exit code (0 after a clean stop)."""
    host, port = host or cfg.web.host, port or cfg.web.port
    if not cfg.workbench_password and host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s without DIGEST_WORKBENCH_PASSWORD: anyone who can reach it "
                    "sees the workbench and its subscriber list and can send test mail; set "
                    "it, or keep web.host on 127.0.0.1 behind an authenticating proxy", host)
    sched = DigestScheduler(cfg, store, transport=transport)
    app = web_app(cfg, store)
    add_healthz(app, cfg, store, sched)
    server = _Server(uvicorn.Config(
        app, host=host, port=port, log_config=None, proxy_headers=True,
        timeout_graceful_shutdown=HTTP_GRACE, lifespan="on",
    ))
    server.on_started = lambda: _start(sched, store)
    stopped_at: list[float] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stopped_at and signum == signal.SIGINT:
            server.force_exit = True
            return
        stopped_at.append(time.monotonic())
        log.info("%s: finishing the messages in flight, then exiting",
                 signal.Signals(signum).name)
        sched.stop.set()
        server.should_exit = True

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    recorder = Recorder(store, pipeline.utcnow)
    try:
        with recorder.run(SERVE) as out:
            try:
                server.run()
            except SystemExit:
                out.append(Result("failed", f"could not serve on {host}:{port}"))
                raise DigestError(f"cannot serve on {host}:{port} (see the log above)",
                                  hint="free the port, or set [web] port / --port") from None
            finally:
                left = STOP_BUDGET - (time.monotonic() - stopped_at[0]) if stopped_at else 20.0
                finished = sched.shutdown(timeout=max(1.0, left))
            out.append(Result("stopped" if finished else "failed",
                              "stopped cleanly" if finished else "work was still running"))
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if not finished:
        log.error("the jobs did not finish within %.0fs; exiting anyway", STOP_BUDGET)
        logging.shutdown()
        os._exit(1)  # the job threads cannot be joined; their ledger rows expire by lease
    log.info("stopped")
    return 0


def _start(sched: DigestScheduler, store: Store) -> None:
    try:
        reaped = reap_dead_runs(store, pipeline.utcnow())
    except DigestError as e:
        log.warning("could not tidy old runs: %s", e)
        reaped = 0
    if reaped:
        log.info("marked %d runs of ended processes as died", reaped)
    sched.start()
