"""Real servers for the service tests: ``hvpscore serve`` in a subprocess on a free local port,
called over HTTP. Two are started once per session, side by side:

* ``server`` — the defaults (no token, default limits);
* ``guarded`` — a token, small limits (4 MiB body, 5 records, 0.5 s of work, 2,000,000 claim
  characters) and one allowed CORS origin.

Each server's stderr (the JSON access log) is kept in a file the tests read.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

TOKEN = "s3cret-token-for-tests"
ORIGIN = "https://agency.example.cn"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m hvpscore serve ARGS`` on a free port; ``url``, ``log_lines()``, ``stop()``."""

    def __init__(self, log_path: Path, args=(), env=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        full_env = {k: v for k, v in os.environ.items() if k != "HVPSCORE_API_TOKEN"}
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hvpscore", "serve", "--port", str(self.port), "--lang", "en",
             *args],
            stdout=self._log, stderr=subprocess.STDOUT, env=full_env)

    def wait(self, timeout: float = 240.0) -> Server:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n"
                                   + self.log_path.read_text("utf-8", "replace"))
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"server did not answer in {timeout} s:\n"
                           + self.log_path.read_text("utf-8", "replace"))

    def log_lines(self) -> list[dict]:
        """The JSON lines of the server's log so far (access and error lines)."""
        self._log.flush()
        out = []
        for line in self.log_path.read_text("utf-8", "replace").splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def wait_lines(self, keep, n: int, timeout: float = 15.0) -> list[dict]:
        """At least ``n`` log lines for which ``keep(line)`` holds (an access line is written
        just after its response has been sent, so it may trail the response a little)."""
        t0 = time.monotonic()
        while True:
            got = [x for x in self.log_lines() if keep(x)]
            if len(got) >= n or time.monotonic() - t0 > timeout:
                return got
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@pytest.fixture(scope="session")
def _servers(tmp_path_factory):
    d = tmp_path_factory.mktemp("servers")
    default = Server(d / "default.log")
    guarded = Server(d / "guarded.log",
                     ["--max-body-mb", "4", "--max-batch-rows", "5", "--timeout", "0.5",
                      "--max-claims-chars", "2000000", "--cors-origin", ORIGIN, "--no-docs"],
                     env={"HVPSCORE_API_TOKEN": TOKEN})
    try:
        yield default.wait(), guarded.wait()
    finally:
        default.stop()
        guarded.stop()


@pytest.fixture(scope="session")
def server(_servers) -> Server:
    """The service with its defaults: no token, default limits."""
    return _servers[0]


@pytest.fixture(scope="session")
def guarded(_servers) -> Server:
    """The service with a token (``TOKEN``), small limits and one CORS origin (``ORIGIN``)."""
    return _servers[1]


@pytest.fixture(scope="session")
def token() -> str:
    """The token the ``guarded`` server requires."""
    return TOKEN


@pytest.fixture(scope="session")
def auth() -> dict[str, str]:
    """Headers that pass the ``guarded`` server's token check."""
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="session")
def origin() -> str:
    """The one CORS origin the ``guarded`` server allows."""
    return ORIGIN
