"""Requests to gunicorn: one timed request, a server's life, and throughput under
concurrent clients."""

import http.client
import json
import os
import socket
import subprocess  # noqa: S404 (the bench starts its own gunicorn)
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .databases import ROOT, child_env

WORKERS = 2
TIMEOUT = 120  # gunicorn's worker timeout, as in docker-compose.yml


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str  # the database's
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self, log: Path) -> None:
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "pompidou.wsgi:application",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            f"--timeout={TIMEOUT}",
            f"--bind=127.0.0.1:{self.port}",
        ]
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, env=child_env(self.url), cwd=ROOT, stdout=out, stderr=out
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/healthz", timeout=5)[0] == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}; see {log}")

    def worker_peaks_mb(self) -> list[float]:
        """The peak resident memory (VmHWM) of each worker so far."""
        if self.process is None:
            return []
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        peaks = []
        for child in children:
            try:
                for line in Path(f"/proc/{child}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return peaks

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def headers_for(probe: dict, role: str | None, method: str) -> dict[str, str]:
    headers = {"Host": "127.0.0.1", "Accept-Language": "en"}
    cookies = {}
    if role:
        cookies[probe["session_cookie"]] = probe["cookies"][role]
    if method == "POST":
        cookies[probe["csrf_cookie"]] = probe["csrf"]
        headers["X-CSRFToken"] = probe["csrf"]
        headers["Content-Type"] = "application/json"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return headers


def request(
    port: int,
    method: str,
    path: str,
    headers: dict | None = None,
    body: dict | None = None,
    timeout: float = 60,
) -> tuple[int, int, float]:
    """(status, bytes, seconds) of one request on a new connection (gunicorn's sync
    workers close each one), timed from sending to the last byte read."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    payload = json.dumps(body).encode() if body is not None else None
    try:
        started = time.perf_counter()
        conn.request(method, path, body=payload, headers=headers or {})
        response = conn.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, size, time.perf_counter() - started
    finally:
        conn.close()


def throughput(
    port: int, path: str, headers: dict, clients: int, seconds: float
) -> dict[str, float | int]:
    """Requests per second that ``clients`` concurrent clients get for ``seconds``."""
    done: list[int] = []
    failed: list[int] = []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client() -> None:
        while time.monotonic() < stop:
            try:
                status = request(port, "GET", path, headers, timeout=TIMEOUT)[0]
            except OSError:
                status = 0
            with lock:
                (done if status == 200 else failed).append(status)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "requests": len(done),
        "failed": len(failed),
        "seconds": round(elapsed, 2),
        "per_second": round(len(done) / elapsed, 2),
    }


# A job whose resident memory passes this is stopped (and reported as failed), so a
# runaway compile cannot take the machine's memory from everything else.
CHILD_MAX_MB = int(os.environ.get("BENCH_CHILD_MAX_MB") or 4096)


def _memory_guard(process: subprocess.Popen) -> None:
    # Reads /proc only: the parent reaps the child with os.wait4 for its accounting.
    status = Path(f"/proc/{process.pid}/status")
    while True:
        try:
            rss = [line for line in status.read_text().splitlines() if line.startswith("VmRSS:")]
        except OSError:
            return
        if not rss:  # exited (a zombie has no memory)
            return
        if int(rss[0].split()[1]) > CHILD_MAX_MB * 1024:
            process.kill()
            return
        time.sleep(0.5)


def run_child(url: str, *args: str, timeout: float) -> dict:
    """Run ``python -m bench.child ARGS`` against ``url``: its result, wall time, CPU
    time and peak resident memory (from the kernel's accounting of the child)."""
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.child", *args],
        env=child_env(url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    guard = threading.Thread(target=_memory_guard, args=(process,), daemon=True)
    guard.start()
    assert process.stdout is not None
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    result: dict = {}
    for line in output.splitlines():
        if line.startswith("BENCH-RESULT "):
            result = json.loads(line[len("BENCH-RESULT ") :])
    return {
        **result,
        "ok": process.returncode == 0 and bool(result),
        "wall_seconds": round(time.monotonic() - started, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "timed_out": time.monotonic() - started >= timeout,
        "memory_limit_mb": CHILD_MAX_MB,
    }
