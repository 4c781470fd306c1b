"""Scale: load and compile time of all bundled policies, RSS growth over 100,000 evaluations, batch."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import workload
from engine import load_policies

BACKENDS = ("durable", "python")
COLD_RUNS = 3
WARM_RUNS = 5
BATCH_SIZE = 1000


def _probe(*args: str, timeout: float) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.probe", *args], cwd=workload.ROOT, capture_output=True,
                         text=True, timeout=timeout, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def load_times() -> dict[str, Any]:
    """Median seconds of the first load in fresh processes, and of repeated loads in this one."""
    times: dict[str, Any] = {}
    for backend in BACKENDS:
        cold = [_probe("load", backend, timeout=120)["seconds"] for _ in range(COLD_RUNS)]
        warm = []
        for _ in range(WARM_RUNS):
            start = time.perf_counter()
            load_policies(workload.POLICIES, backend=backend)
            warm.append(time.perf_counter() - start)
        times[backend] = {"cold": statistics.median(cold), "cold_all": cold, "warm": statistics.median(warm),
                          "runs": f"{COLD_RUNS} fresh processes, {WARM_RUNS} repeats"}
    return times


def rss_growth(evaluations: int, seconds: float, backend: str = "durable") -> dict[str, Any]:
    """VmRSS before and after ``evaluations`` evaluations in a fresh process (bounded by ``seconds``)."""
    return _probe("rss", backend, str(evaluations), str(seconds), timeout=seconds + 180)


def batch(count: int = 10_000, backend: str = "durable") -> str:
    """Time ``count`` households through ``POST /evaluate/batch`` (in-process test client, decisions logged)."""
    from server import create_app

    bodies = [json.dumps({"cases": chunk}, default=str) for chunk in
              (workload.households(count)[i:i + BATCH_SIZE] for i in range(0, count, BATCH_SIZE))]
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app({"BACKEND": backend, "DATABASE_URL": str(Path(scratch) / "decisions.sqlite3"),
                          "RELOAD_WATCH_SECONDS": 0})
        client = app.test_client()
        start = time.perf_counter()
        evaluated = rejected = 0
        for body in bodies:
            answer = client.post("/evaluate/batch", data=body, content_type="application/json").get_json()
            evaluated += answer["evaluated"]
            rejected += answer["rejected"]
        seconds = time.perf_counter() - start
        logged = app.extensions["lanshan.log"].count()
    return (f"{count:,} households in {len(bodies)} requests of {BATCH_SIZE} ({backend} backend, in-process "
            f"test client, each request one logged SQLite commit): {seconds:.1f} s, {count / seconds:,.0f} "
            f"households/s; {evaluated:,} answered, {rejected:,} rejected, {logged:,} decisions logged")


def longest_batch(backend: str = "durable") -> str:
    """Time the slowest batches the limits allow, up to the byte limit, each case its own: interpretation cases
    whose two texts are at MAX_TEXT in lines of a lone "#" (of the text shapes tried, lines of a, #, 一, 一、,
    # 一, the slowest per byte, as the text functions' work grows with headings), and listing cases with
    MAX_ITEMS events (found by audit 6 as the slowest per byte once texts are bounded)."""
    from engine.facts import MAX_ITEMS, MAX_TEXT

    base = json.loads((workload.ROOT / "examples" / "interpretation-case.json").read_text(encoding="utf-8"))
    text = ("#\n" * MAX_TEXT)[:MAX_TEXT]

    def texts(index: int) -> dict[str, Any]:
        tag = f"{index:06d}"
        return {**base, "facts": {**base["facts"], "document_text": tag + text[::-1][6:],
                                  "interpretation": {**base["facts"]["interpretation"], "text": tag + text[6:]}}}

    def events(index: int) -> dict[str, Any]:
        return {"policy": "listing", "facts": {"name": f"企业{index:06d}",
                                               "events": [{"type": "neeq_listing", "date": "2023-01-01"}] * MAX_ITEMS}}

    shapes = [(f"interpretation cases, two texts of {MAX_TEXT:,} characters each in lines of a lone #", texts),
              (f"listing cases of {MAX_ITEMS:,} events each", events)]
    return "; ".join(_time_batch(label, make, backend) for label, make in shapes)


def _time_batch(label: str, make: Any, backend: str) -> str:
    from server import create_app

    size = len(json.dumps(make(0)).encode())
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app({"BACKEND": backend, "DATABASE_URL": str(Path(scratch) / "decisions.sqlite3"),
                          "RELOAD_WATCH_SECONDS": 0})
        fits = (app.config["BATCH_MAX_BYTES"] - 100) // (size + 2)
        cases = [make(index) for index in range(min(app.config["BATCH_MAX_CASES"], fits))]
        body = json.dumps({"cases": cases})
        start = time.perf_counter()
        answer = app.test_client().post("/evaluate/batch", data=body, content_type="application/json").get_json()
        seconds = time.perf_counter() - start
    return (f"{len(cases)} {label}, {len(body) / 2**20:.1f} MiB ({backend} backend, in-process test client): "
            f"{seconds:.1f} s, against the 30 s worker timeout ({app.config['BATCH_SECONDS']} s batch budget); "
            f"{answer['evaluated']} answered, {answer['rejected']} not")


def run(evaluations: int = 100_000, seconds: float = 240) -> dict[str, Any]:
    """Measure load times, RSS growth, the batch path, and the slowest batch the limits allow."""
    return {"load": load_times(), "rss": rss_growth(evaluations, seconds), "batch": batch(),
            "longest_batch": longest_batch()}
