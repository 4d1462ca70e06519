"""The portal's own processes for the tests that need them as they run in
production: gunicorn and Celery workers in subprocesses, on the test's PostgreSQL
database and the CI's Redis, and a TCP port in front of Redis that a test closes and
opens to take the job queue down and bring it back."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


class BrokerPort:
    """A port that forwards to Redis while ``up()`` and refuses connections (and cuts
    those open) after ``down()``: the broker, unreachable or back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._server: socketserver.ThreadingTCPServer | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def up(self) -> None:
        port = self

        class Forward(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                upstream = socket.create_connection(port.target)
                with port._lock:
                    port._open.update((self.request, upstream))
                try:
                    pair = {self.request: upstream, upstream: self.request}
                    while True:
                        ready, _, _ = select.select(list(pair), [], [], 1)
                        for sock in ready:
                            data = sock.recv(65536)
                            if not data:
                                return
                            pair[sock].sendall(data)
                except OSError:
                    return
                finally:
                    upstream.close()

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", self.port), Forward)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


class Stack:
    """gunicorn and workers started by a test, stopped at its end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.processes: list[subprocess.Popen] = []

    def _start(self, name: str, args: list[str], **settings: str) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env={**self.env, **settings},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def web(self, workers: int = 2, name: str = "gunicorn") -> str:
        """A gunicorn server (``workers`` processes), its log ``<name>.log``; its
        address once it listens."""
        port = free_port()
        self._start(
            name,
            ["gunicorn", "pompidou.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
        )
        wait_for_port(port)
        return f"http://127.0.0.1:{port}"

    def worker(self, name: str = "worker", **settings: str) -> subprocess.Popen:
        """A Celery worker (solo pool), its log ``<name><n>.log``; ``settings`` are
        environment variables of its own."""
        n = sum(1 for p in self.processes if p.args[2] == "celery")
        return self._start(
            f"{name}{n}",
            [
                "celery",
                "-A",
                "pompidou",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{name}{n}-{os.getpid()}@%h",
            ],
            **settings,
        )

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
