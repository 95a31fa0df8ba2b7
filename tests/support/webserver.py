"""The web app under uvicorn in a thread on a loopback port, for tests that need real HTTP.

    with serving(cfg) as base_url:
        httpx.get(base_url + "/healthz")
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from digest.config import Config
from digest.web import create_app
from tests.support.smtpserver import free_port


@contextmanager
def serving(cfg: Config, port: int | None = None) -> Iterator[str]:
    """Serve ``create_app(cfg)``; yields its base URL and stops it afterwards."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(cfg), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
