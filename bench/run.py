"""``make bench``: build (or reuse) a database per size, start gunicorn on each, and
measure every endpoint interleaved request by request (size A, size B, A, B…), the
heavy jobs in child processes, the activities API's throughput beside a plain
``values()`` baseline, and the PDF engine's own cost per row (``bench.pdf_floor``).
Writes ``bench/results.json`` and prints the table.

Exit status: 0 when the bench ran, whatever the figures (missed targets included);
non-zero when it could not run or measure (a database, a server or a child failed,
a page answered with a server error or a job crashed)."""

import argparse
import datetime as dt
import json
import os
import platform
import subprocess  # noqa: S404 (the bench runs its own commands)
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from . import pdf_floor, report
from .databases import ROOT, a_write_happened, child_env, clear_cache, ensure
from .http import Server, headers_for, request, run_child, throughput


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def parse() -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", default=env("BENCH_SIZES") or "1000,100000")
    p.add_argument("--samples", type=int, default=int(env("BENCH_SAMPLES") or 20))
    p.add_argument(
        "--after-write-samples",
        type=int,
        default=int(env("BENCH_AFTER_WRITE_SAMPLES") or 3),
        help="requests per endpoint each right after a write (the caches' keys renewed)",
    )
    p.add_argument("--heavy-samples", type=int, default=int(env("BENCH_HEAVY_SAMPLES") or 1))
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--throughput-seconds", type=float, default=float(env("BENCH_TP_SECONDS") or 15))
    p.add_argument(
        "--limit",
        type=float,
        default=float(env("BENCH_LIMIT") or 30),
        help="seconds after which a request counts as too slow and is not repeated",
    )
    p.add_argument("--heavy-limit", type=float, default=float(env("BENCH_HEAVY_LIMIT") or 600))
    p.add_argument(
        "--floor-rows",
        type=int,
        default=int(env("BENCH_FLOOR_ROWS") or 1000),
        help="rows printed to measure the PDF engine's own cost per row (bench.pdf_floor)",
    )
    p.add_argument(
        "--out", type=Path, default=Path(env("BENCH_OUT") or ROOT / "bench" / "results.json")
    )
    return p.parse_args()


def machine() -> dict:
    def read(path: str) -> str:
        try:
            return Path(path).read_text()
        except OSError:
            return ""

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            line.split()[1]
            for line in read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": commit,
        "load_average_at_start": list(os.getloadavg()),
    }


def postgres_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return row[0] if row else "?"


def probe(url: str, limit: float) -> dict:
    walk = os.environ.get("BENCH_WALK_LIMIT") or "600"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.probe", str(limit), walk],
        env=child_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            return json.loads(line[len("BENCH-RESULT ") :])
    raise RuntimeError(f"the probe printed no result:\n{done.stderr[-3000:]}")


def measure_latency(args, sizes, servers, probes) -> list[dict]:
    names = [e["name"] for e in probes[sizes[0]]["endpoints"]]
    rows = []
    for name in names:
        row: dict = {"name": name, "sizes": {}}
        for s in sizes:
            e = next(x for x in probes[s]["endpoints"] if x["name"] == name)
            row["group"], row["role"] = e["group"], e["role"]
            row["sizes"][str(s)] = {
                "path": e["path"],
                "method": e["method"],
                "queries": e.get("queries"),
                "queries_after_write": e.get("queries_after_write"),
                "status": e.get("status"),
                "bytes": e.get("bytes"),
                "notes": e.get("notes", []),
                "too_slow": e.get("too_slow"),
                "_samples": [],
                "_after_write": [],
                "_endpoint": e,
            }
        rows.append(row)
    # One pass first, not counted: what the portal caches until the next write is then
    # cached, as it is between two writes in production. The samples measure that
    # state; the passes "after a write" (below) the first request after any save.
    passes = [("warm-up", None)] + [("sample", "_samples")] * args.samples
    passes += [("after a write", "_after_write")] * args.after_write_samples
    for number, (kind, key) in enumerate(passes):
        log(f"latency: {kind} ({number + 1} of {len(passes)} passes)")
        for row in rows:
            for s in sizes:
                cell = row["sizes"][str(s)]
                if cell["too_slow"]:
                    continue
                e = cell["_endpoint"]
                if kind == "after a write":
                    a_write_happened(servers[s].url)
                headers = headers_for(probes[s], e["role"], e["method"])
                try:
                    status, size, seconds = request(
                        servers[s].port,
                        e["method"],
                        e["path"],
                        headers,
                        e["body"],
                        timeout=args.limit,
                    )
                except TimeoutError:
                    cell["too_slow"] = args.limit
                    continue
                except OSError as exc:  # the worker died or closed the connection
                    cell["error"] = repr(exc)
                    cell["too_slow"] = args.limit
                    continue
                cell["status"], cell["bytes"] = status, size
                if key:
                    cell[key].append(seconds)
                if seconds > args.limit:
                    cell["too_slow"] = args.limit
    small, large = str(sizes[0]), str(sizes[-1])
    for row in rows:
        for cell in row["sizes"].values():
            cell.update(report.summarise(cell.pop("_samples")))
            cell["after_write"] = report.summarise(cell.pop("_after_write"))
            cell.pop("_endpoint")
        row["targets"] = report.endpoint_targets(row, small, large)
    return rows


def measure_heavy(args, sizes, urls, probes) -> list[dict]:
    jobs = [
        ("CSV export of every activity", "csv", ["csv"]),
        ("XLSX export of every activity", "xlsx", ["xlsx"]),
        ("annual programme compile, a year of 5,000 rows (PDF+DOCX)", "compile", None),
    ]
    out = []
    for name, key, job_args in jobs:
        row: dict = {"name": name, "job": key, "sizes": {}}
        for sample in range(args.heavy_samples):
            for s in sizes:
                command = job_args or ["compile", str(probes[s]["compile_year"])]
                log(f"{key} at {s} (sample {sample + 1})")
                result = run_child(urls[s], *command, timeout=args.heavy_limit)
                best = row["sizes"].get(str(s))
                if best is None or (
                    result.get("ok") and result["seconds"] < best.get("seconds", 1e9)
                ):
                    row["sizes"][str(s)] = result
        row["targets"] = report.heavy_targets(key, row["sizes"][str(sizes[-1])])
        out.append(row)
    return out


def measure_pdf_floor(args, url: str, heavy: list[dict], size: int) -> dict:
    """The PDF engine's own cost per row in each layout of ``bench.pdf_floor``, and what
    it makes of the compiled year's rows printed once each."""
    variants = {}
    for variant in pdf_floor.VARIANTS:
        log(f"PDF floor: {variant}, 0 and {args.floor_rows} rows")
        empty = run_child(url, "pdf-floor", variant, "0", timeout=args.heavy_limit)
        full = run_child(url, "pdf-floor", variant, str(args.floor_rows), timeout=args.heavy_limit)
        variants[variant] = pdf_floor.per_row(empty, full)
        variants[variant]["empty_peak_mb"] = empty["peak_mb"]
    compiled = next((j for j in heavy if j["job"] == "compile"), None)
    rows = ((compiled or {}).get("sizes", {}).get(str(size)) or {}).get("rows")
    return {"variants": variants, "compile_rows": rows}


def measure_throughput(args, size, server, probe_result) -> dict:
    path = "/api/v1/activities/?page_size=100"
    headers = headers_for(probe_result, None, "GET")
    half = args.throughput_seconds / 2
    api = {"requests": 0, "failed": 0, "seconds": 0.0}
    base = {"requests": 0, "failed": 0, "seconds": 0.0}
    for _ in range(2):  # API, baseline, API, baseline: the same conditions for both
        for target, route in ((api, path), (base, "/bench/baseline/activities/")):
            log(f"throughput: {route} with {args.clients} clients for {half:.0f} s")
            r = throughput(server.port, route, headers, args.clients, half)
            for k in ("requests", "failed", "seconds"):
                target[k] += r[k]
    for t in (api, base):
        t["per_second"] = round(t["requests"] / t["seconds"], 2) if t["seconds"] else 0.0
    ratio = round(api["per_second"] / base["per_second"], 3) if base["per_second"] else None
    return {"size": size, "clients": args.clients, "api": api, "baseline": base, "ratio": ratio}


def main() -> int:
    args = parse()
    sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    results: dict = {
        "machine": machine(),
        "sizes": sizes,
        "config": vars(args) | {"out": str(args.out)},
    }
    urls, generation = {}, {}
    for s in sizes:
        urls[s], generation[str(s)] = ensure(s, log)
    results["generation_seconds"] = generation
    results["machine"]["postgresql"] = postgres_version(urls[sizes[-1]])
    probes = {}
    for s in sizes:
        log(f"probing {s}: sessions, resolved URLs, query counts")
        probes[s] = probe(urls[s], args.limit)
    for s in sizes:  # nothing cached by an earlier run or the probe
        log(f"cache of {s}: {clear_cache(urls[s])} keys cleared")
    servers = {s: Server(urls[s]) for s in sizes}
    logdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        for s, server in servers.items():
            server.start(logdir / f"gunicorn-{s}.log")
        log(
            f"gunicorn on {', '.join(f'{s}: {v.port}' for s, v in servers.items())} (logs in {logdir})"
        )
        for s, server in servers.items():  # the first requests warm each worker
            for e in probes[s]["endpoints"][:5]:
                request(
                    server.port,
                    "GET",
                    e["path"],
                    headers_for(probes[s], e["role"], "GET"),
                    timeout=args.limit,
                )
        results["endpoints"] = measure_latency(args, sizes, servers, probes)
        results["throughput"] = measure_throughput(
            args, sizes[-1], servers[sizes[-1]], probes[sizes[-1]]
        )
        results["worker_peak_mb"] = {str(s): v.worker_peaks_mb() for s, v in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    results["heavy"] = measure_heavy(args, sizes, urls, probes)
    results["pdf_floor"] = measure_pdf_floor(args, urls[sizes[-1]], results["heavy"], sizes[-1])
    results["machine"]["load_average_at_end"] = list(os.getloadavg())
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(report.table(results))
    print(f"\nWritten {args.out}")
    broken = (
        [
            f"{row['name']} at {size}: {cell.get('error') or cell.get('status')}"
            for row in results["endpoints"]
            for size, cell in row["sizes"].items()
            if cell.get("error") or (cell.get("status") or 0) >= 500
        ]
        + [
            f"{job['name']} at {size}: failed"
            for job in results["heavy"]
            for size, r in job["sizes"].items()
            if not r.get("ok") and not r.get("timed_out")
        ]
        + [
            f"PDF floor, {variant}: failed"
            for variant, r in results["pdf_floor"]["variants"].items()
            if not r["ok"]
        ]
    )
    if broken:
        print("\nThe bench could not measure:\n  " + "\n  ".join(broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
