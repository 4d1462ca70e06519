"""The targets of the performance work and the table of a run against them."""

import statistics

MEDIAN_MS, P95_MS, GROWTH, API_RATIO = 150, 300, 1.5, 0.5
HEAVY_TARGETS = {
    # job: (seconds, megabytes or None)
    "csv": (5, 150),
    "xlsx": (20, None),
    "compile": (20, 400),
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summarise(samples: list[float]) -> dict:
    ms = [s * 1000 for s in samples]
    if not ms:
        return {"samples": 0}
    return {
        "samples": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
    }


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "met" if ok else "MISSED"


def endpoint_targets(row: dict, small: str, large: str) -> dict:
    big, little = row["sizes"].get(large, {}), row["sizes"].get(small, {})
    if big.get("too_slow"):  # slower than the bench's limit: every target missed
        return {
            "median": False,
            "p95": False,
            "growth": False,
            "growth_ratio": None,
            "after_write": False,
        }
    median, p95 = big.get("median_ms"), big.get("p95_ms")
    growth = (
        round(median / little["median_ms"], 2)
        if median is not None and little.get("median_ms")
        else None
    )
    cold = (big.get("after_write") or {}).get("median_ms")
    return {
        "median": None if median is None else median < MEDIAN_MS,
        "p95": None if p95 is None else p95 < P95_MS,
        "growth": None if growth is None or small == large else growth <= GROWTH,
        "growth_ratio": growth,
        # The first request after a write (its cached figures renewed) within the p95.
        "after_write": None if cold is None else cold < P95_MS,
    }


def heavy_targets(job: str, result: dict) -> dict:
    seconds, megabytes = HEAVY_TARGETS[job]
    if not result.get("ok"):
        return {"time": False, "memory": False if megabytes else None}
    return {
        "time": result["seconds"] < seconds,
        "memory": None if megabytes is None else result["peak_mb"] < megabytes,
    }


def table(results: dict) -> str:
    sizes = [str(s) for s in results["sizes"]]
    lines = []
    head = f"{'endpoint':34} " + " ".join(
        f"{'q@' + s:>8} {'med@' + s:>11} {'p95@' + s:>11}" for s in sizes
    )
    head += f" {'write@' + sizes[-1]:>13}"
    lines.append(head + f" {'×':>6}  median<{MEDIAN_MS}  p95<{P95_MS}  ×≤{GROWTH}  write<{P95_MS}")
    lines.append("-" * len(lines[0]))
    for row in results["endpoints"]:
        cells = []
        for s in sizes:
            r = row["sizes"].get(s, {})
            q = r.get("queries")
            if r.get("too_slow"):
                cells.append(
                    f"{'-' if q is None else q:>8} {'>' + str(int(r['too_slow'])) + ' s':>11} {'':>11}"
                )
                continue
            cells.append(
                f"{'-' if q is None else q:>8} {_ms(r.get('median_ms')):>11} {_ms(r.get('p95_ms')):>11}"
            )
        cold = (row["sizes"].get(sizes[-1], {}).get("after_write") or {}).get("median_ms")
        cells.append(f"{_ms(cold):>13}")
        t = row["targets"]
        growth = "-" if t["growth_ratio"] is None else f"{t['growth_ratio']:.2f}"
        status = {s: row["sizes"].get(s, {}).get("status") for s in sizes}
        bad = [f"{s}:{v}" for s, v in status.items() if v not in (200, None)]
        lines.append(
            f"{row['name'][:34]:34} "
            + " ".join(cells)
            + f" {growth:>6}  {verdict(t['median']):>10}  {verdict(t['p95']):>7}  {verdict(t['growth']):>6}"
            + f"  {verdict(t.get('after_write')):>9}"
            + (f"  (HTTP {' '.join(bad)})" if bad else "")
        )
    lines.append("")
    lines.append(
        f"{'job':34} "
        + " ".join(f"{'s@' + s:>10} {'MB@' + s:>10}" for s in sizes)
        + "  time  memory"
    )
    for job in results["heavy"]:
        cells = []
        for s in sizes:
            r = job["sizes"].get(s, {})
            secs = (
                f"{r['seconds']:.1f}"
                if r.get("ok")
                else ("timeout" if r.get("timed_out") else "failed")
            )
            cells.append(f"{secs:>10} {r.get('peak_mb', '-'):>10}")
        t = job["targets"]
        lines.append(
            f"{job['name'][:34]:34} "
            + " ".join(cells)
            + f"  {verdict(t['time'])}  {verdict(t['memory'])}"
        )
    lines.extend(floor_lines(results))
    tp = results.get("throughput")
    if tp:
        lines.append("")
        lines.append(
            f"throughput at {tp['size']} with {tp['clients']} clients: API {tp['api']['per_second']} req/s, "
            f"baseline {tp['baseline']['per_second']} req/s, ratio {tp['ratio']} "
            f"(target ≥{API_RATIO}: {verdict(tp['ratio'] >= API_RATIO if tp['ratio'] is not None else None)})"
        )
    return "\n".join(lines)


def least_for(rows: int, cost: dict) -> tuple[float, float]:
    """The seconds and peak megabytes of printing ``rows`` rows at a layout's ``cost``
    per row (``bench.pdf_floor.per_row``), the engine's start included."""
    return (
        rows * cost["ms_per_row"] / 1000,
        cost["empty_peak_mb"] + rows * cost["kb_per_row"] / 1024,
    )


def floor_lines(results: dict) -> list[str]:
    """The PDF engine's cost per row (``bench.pdf_floor``), and the least it takes to
    print the compiled year's rows once each in each layout."""
    floor = results.get("pdf_floor")
    if not floor:
        return []
    rows = floor.get("compile_rows")
    lines = [
        "",
        f"PDF engine, per row printed ({'the compiled year: ' + format(rows, ',') + ' rows, each once' if rows else 'no compiled year'}):",
    ]
    for variant, r in floor["variants"].items():
        text = f"  {variant:11} {r['ms_per_row']:6.2f} ms, {r['kb_per_row']:6.1f} KB a row"
        if rows:
            seconds, megabytes = least_for(rows, r)
            text += f"  → at least {seconds:.0f} s and {megabytes:.0f} MB"
        lines.append(text + ("" if r["ok"] else "  (failed)"))
    return lines


def _ms(value) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def markdown(results: dict) -> str:
    """The figures as a Markdown table (for the README): ``python -m bench.report``."""
    sizes = [str(s) for s in results["sizes"]]
    head = "| | " + " | ".join(f"queries, median / p95 at {int(s):,}" for s in sizes)
    head += f" | after a write at {int(sizes[-1]):,}: queries, median"
    lines = [head + " | × | targets |", "|---" * (len(sizes) + 4) + "|"]
    for row in results["endpoints"]:
        cells = []
        for s in sizes:
            r = row["sizes"].get(s, {})
            if r.get("too_slow"):
                cells.append(f"{r.get('queries') or '–'}, over {int(r['too_slow'])} s")
            else:
                cells.append(
                    f"{r.get('queries', '–')}, {_ms(r.get('median_ms'))} / {_ms(r.get('p95_ms'))}"
                )
        big = row["sizes"].get(sizes[-1], {})
        cold = (big.get("after_write") or {}).get("median_ms")
        cells.append(f"{big.get('queries_after_write') or '–'}, {_ms(cold)}")
        t = row["targets"]
        growth = "–" if t["growth_ratio"] is None else f"{t['growth_ratio']:.2f}"
        names = {
            "median": "median",
            "p95": "p95",
            "growth": "growth",
            "after_write": "after a write",
        }
        missed = [label for k, label in names.items() if t.get(k) is False]
        lines.append(
            f"| {row['name']} | "
            + " | ".join(cells)
            + f" | {growth} | {'missed: ' + ', '.join(missed) if missed else 'met'} |"
        )
    for job in results["heavy"]:
        cells = []
        for s in sizes:
            r = job["sizes"].get(s, {})
            cells.append(
                f"{r['seconds']:.1f} s, {r['peak_mb']:.0f} MB"
                if r.get("ok")
                else ("timed out" if r.get("timed_out") else "failed")
            )
        t = job["targets"]
        missed = [k for k in ("time", "memory") if t[k] is False]
        lines.append(
            f"| {job['name']} | "
            + " | ".join(cells)
            + f" | | | {'missed: ' + ', '.join(missed) if missed else 'met'} |"
        )
    floor = results.get("pdf_floor")
    if floor:
        rows = floor.get("compile_rows")
        lines += [
            "",
            f"| PDF engine, layout | per row printed | the compiled year's {rows or 0:,} rows, each once |",
            "|---|---|---|",
        ]
        for variant, r in floor["variants"].items():
            seconds, megabytes = least_for(rows or 0, r)
            least = f"at least {seconds:.0f} s and {megabytes:,.0f} MB" if rows else "–"
            lines.append(
                f"| {variant} | {r['ms_per_row']:.2f} ms, {r['kb_per_row']:.0f} KB | {least} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    data = json.loads(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results.json").read_text())
    print(markdown(data))
