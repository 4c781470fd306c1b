"""Render the results of one run as the Markdown of bench/RESULTS.md."""
from __future__ import annotations

from typing import Any

from bench.http_service import FLOOR, FLOOR_PYTHON
from bench.targets import judge


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def _ratio(value: float, reference: float | None) -> str:
    return "—" if not reference else f"{value / reference:.3f}×"


def _error(section: dict[str, Any]) -> list[str]:
    return [f"Not measured: {section['error']}", ""]


def _rates(section: dict[str, Any], unit: str, peer: str | None = None) -> list[str]:
    if "error" in section:
        return _error(section)
    rates = section["rates"]
    limit = rates.get("limit", {}).get("median")
    reference = rates.get(peer, {}).get("median") if peer else None
    header = ["implementation", f"{unit}/s (median)", "rounds", "ratio to the limit"]
    if peer:
        header.append(f"ratio to {peer}")
    rows = []
    for name, r in rates.items():
        row = [name, f"{r['median']:,.0f}", " / ".join(f"{x:,.0f}" for x in r["rates"]), _ratio(r["median"], limit)]
        if peer:
            row.append(_ratio(r["median"], reference))
        rows.append(row)
    if limit is None:
        rows.append(["limit", section["limit"], "—", "—"] + (["—"] if peer else []))
    lines = _table(header, rows)
    agreed = section.get("limit_agreement")
    if agreed:
        lines += [f"The limit's items equal the python backend's on {agreed['identical']:,} of "
                  f"{agreed['compared']:,} sampled cases" + _differences(agreed), ""]
    return lines


def _differences(tally: dict[str, Any]) -> str:
    if tally["identical"] == tally["compared"]:
        return "."
    return (f" (largest difference {tally['largest_difference']} 元; first: " + tally["differences"][0] + ").")


def _http(section: dict[str, Any]) -> list[str]:
    if "error" in section:
        return _error(section)
    points = section["points"]
    rows = []
    for clients in points["/evaluate"]:
        bare = points["bare echo"][clients]
        for name, by_clients in points.items():
            p = by_clients[clients]
            rows.append([name, str(clients), f"{p['rps']:,.0f}", f"{p['p50_ms']:.1f}", f"{p['p99_ms']:.1f}",
                         f"{p['cpu_ms']:.2f}" if "cpu_ms" in p else "—", str(int(p["errors"])),
                         "—" if name == "bare echo" else f"{p['rps'] / bare['rps']:.0%}"])
    threads = f" ({section['threads']} threads each)" if section.get("threads", 1) > 1 else ""
    return [f"gunicorn, {section['workers']} {section.get('worker_class', 'sync')} workers{threads}, 127.0.0.1 "
            "(deploy/gunicorn.conf.py's choice); "
            f"load generator: {section['generator']}; "
            f"{section['seconds']:g} s per point, median of {section['rounds']} interleaved rounds; "
            f"{section['bodies']:,} seeded household bodies in turn; first answer: {section['status']}.", "",
            "The service is measured as deployed (durable_rules backend; every answer's decision is committed to "
            "SQLite with fsync before it is sent), and again on the python backend with the same kind of log. "
            "The row with the decision log in RAM (/dev/shm) makes the same commits where fsync writes nothing to a "
            "disk: it shows what the durable commit costs, and is not a way to run the service; the python backend "
            "with its log in RAM shows the most the two deployment choices could give together. "
            "The two floor rows are the bare echo plus only what every answer must have by the design (issues 2 "
            "and 6): the evaluation and one durable commit of the input and the answer, each worker writing its "
            "own SQLite file so that it never waits for the other; no request log, policy files, idempotency key "
            "or masking (bench/wsgi.py `floor`). Their ratio to the echo is the most any /evaluate that makes one "
            "durable commit per answer could reach (with sync workers no two answers of a worker can share one)"
            + "".join(f"; {name.split(':')[0]} answered {n} of {section['compared']} bodies exactly as /evaluate"
                      for name, n in section.get("floor_agreement", {}).items()) + ". "
            "Worker CPU is the user + system time the two workers spent per request: on two cores shared with "
            "the load generator, it bounds the requests per second.", "",
            *_table(["endpoint", "clients", "requests/s", "p50 ms", "p99 ms", "worker CPU ms/request", "errors",
                     "÷ bare echo"], rows)]


def _scale(results: dict[str, Any]) -> list[str]:
    scale, http = results.get("scale", {}), results.get("http", {})
    rows = []
    if "error" in scale:
        rows.append(["scale", scale["error"]])
    for backend, t in scale.get("load", {}).items():
        rows.append([f"load + compile all bundled policies ({backend})",
                     f"{t['cold']:.2f} s first load in a fresh process; {t['warm']:.2f} s repeated ({t['runs']}, "
                     "medians)"])
    if "rss_after_load_mb" in http:
        rows.append(["RSS per /evaluate worker", f"{', '.join(map(str, http['rss_after_load_mb']))} MB after loading; "
                     f"{', '.join(map(str, http['rss_after_serving_mb']))} MB after serving"])
    rss = scale.get("rss")
    if rss:
        rows.append([f"RSS of an in-process loop ({rss['backend']})",
                     f"{rss['before_kb'] / 1024:.1f} MB after warm-up → {rss['after_kb'] / 1024:.1f} MB after "
                     f"{rss['evaluations']:,} evaluations ({rss['growth_pct']:+.1f}%)"])
    rows.append(["batch of 10,000 households through the batch path", scale.get("batch", "not available")])
    rows.append(["slowest batches the limits allow (texts at the 100,000-character bound; 1,000-element lists)",
                 scale.get("longest_batch", "not available")])
    return _table(["measure", "value"], rows)


def _floor(results: dict[str, Any]) -> list[str]:
    """Under the targets: how far the HTTP target is from what the design itself leaves possible."""
    points = results.get("http", {}).get("points", {})
    bare = points.get("bare echo", {}).get(8, {}).get("rps")
    floors = [(name, points[name][8]["rps"]) for name in (FLOOR, FLOOR_PYTHON) if 8 in points.get(name, {})]
    if not bare or not floors:
        return []
    reached = ", ".join(f"{rps / bare:.0%} ({'python' if name == FLOOR_PYTHON else 'durable'} backend)"
                        for name, rps in floors)
    return [f"The floor (section 3) at 8 clients, as a share of the bare endpoint: {reached}. The floor does "
            "nothing but parse, evaluate and make the one durable commit every answer needs before it is sent; "
            "where it stays under 50%, no /evaluate that makes one durable commit per answer can meet the HTTP "
            "target on this machine.", ""]


def render(results: dict[str, Any]) -> str:
    """Return the whole RESULTS.md text."""
    meta = results["meta"]
    verdicts = judge(results)
    zen = results.get("peer", {})
    lines = ["# Benchmark results", "",
             f"Produced by `{meta['command']}` on {meta['date']} at commit {meta['commit']}, in "
             f"{meta['elapsed']:.0f} s. Machine: {meta['machine']}. Python {meta['python']}; {meta['versions']}.",
             "Shared machines drift from run to run: compare the ratios, which are measured in the same run.", "",
             "## Targets (issue 4)", "",
             *_table(["target", "measured", "result"],
                     [[t, v, "not measured" if ok is None else ("met" if ok else "**missed**")]
                      for t, v, ok in verdicts]),
             *_floor(results),
             f"## 1. Households in-process, one core ({results.get('inprocess', {}).get('cases', 0):,} seeded "
             "households of bench/cases.py, interleaved rounds)", "",
             *_rates(results.get("inprocess", {"error": "not run"}), "households"),
             f"## 2. Peer: listing subsidies on {zen.get('cases', 0):,} seeded enterprises", "",
             "zen-engine " + zen.get("zen_version", "?") + ": a 9-row first-hit decision table looped over the events, "
             "evaluated through `ZenEngine({\"loader\": fn}).evaluate(key, context)` (the cached path); the "
             "once-per-type choice of the earliest event is done in Python after the call and timed with it.", "",
             *_rates(zen or {"error": "not run"}, "enterprises", peer="zen-engine")]
    if zen.get("zen_agreement"):
        a = zen["zen_agreement"]
        lines += [f"Same subsidy amounts as our engine (python backend) on {a['identical']:,} of {a['compared']:,} "
                  f"enterprises" + _differences(a) + " Paid amounts and the due figure are not in the table.", ""]
    lines += ["## 3. HTTP service", "", *_http(results.get("http", {"error": "not run"})),
              "## 4. Scale", "", *_scale(results)]
    return "\n".join(lines).rstrip() + "\n"
