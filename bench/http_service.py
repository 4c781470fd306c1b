"""The HTTP service under gunicorn (2 workers, loopback) against a bare Flask echo, same configuration.

A load generator in a second process (wrk with bench/wrk_post.lua, or bench/loadgen.py when wrk is
missing) POSTs the seeded household bodies for a fixed time at 1, 8 and 32 connections, interleaving
the apps in every round.  The service also runs a second time on the python backend (its own SQLite
log, the same server configuration), so each run shows what the backend choice is worth, and a third
time with its log on a RAM disk (/dev/shm: the same commits, but an fsync there writes nothing to a
disk), so each run also shows what the durable commit costs, and a fourth time with both: the python
backend logging in RAM, the most the two deployment choices could give together.  Two floor apps
(bench/wsgi.py ``floor``, on each backend) do only what every answer needs by the design: evaluate, and
commit input and answer durably; they bound any /evaluate making one durable commit per answer.  The RAM rows are
measurements, never a way to deploy: a decision logged in RAM is lost with the machine.  Reads the CPU
time the workers spent per request, and VmRSS of the service's workers after loading and after serving.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench import procfs, workload

HERE = Path(__file__).resolve().parent
FLOOR = "floor: echo + evaluation + one durable commit"
FLOOR_PYTHON = "floor, python backend"
# name -> (WSGI app, environment of its gunicorn); "/evaluate" is the service as deployed (durable backend)
APPS = {"/evaluate": ("bench.wsgi:app", {}),
        "/evaluate, python backend": ("bench.wsgi:app", {"LANSHAN_BACKEND": "python"}),
        "bare echo": ("bench.wsgi:echo", {}),
        FLOOR: ("bench.wsgi:floor", {}),
        FLOOR_PYTHON: ("bench.wsgi:floor", {"LANSHAN_BACKEND": "python"})}
IN_RAM = "/evaluate, decision log in RAM (not durable)"
BOTH = "/evaluate, python backend, log in RAM (not durable)"
RAM_DISK = Path("/dev/shm")
CLIENTS = (1, 8, 32)
BODIES = 1000
WORKERS = 2


def find_wrk() -> tuple[str | None, str]:
    """Return the wrk path, installing the Debian package when root and it is missing; or why not."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found, "" if found else "wrk not installed"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "install", "-y", "-q", "wrk"], ["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "wrk"]):
        try:
            subprocess.run(command, env=env, capture_output=True, timeout=180, check=False)
        except subprocess.TimeoutExpired:
            break
        if shutil.which("wrk"):
            return shutil.which("wrk"), ""
    return None, "apt-get install wrk failed"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(app: str, scratch: Path, env: dict[str, str] | None = None,
             log_dir: Path | None = None) -> Iterator[dict[str, Any]]:
    """Run gunicorn for ``app`` (with ``env`` added) on a free loopback port until both workers loaded it.

    Its decision log is a SQLite file in ``log_dir`` (default: ``scratch``).
    """
    port = _free_port()
    ready = scratch / f"ready-{port}"
    ready.mkdir()
    log = open(scratch / f"gunicorn-{port}.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:bench.gunicorn_conf", "-b", f"127.0.0.1:{port}", app],
        # the service logs every decision (a durable SQLite commit each): to a scratch file, not the repo's
        cwd=workload.ROOT, env={**os.environ, "BENCH_READY_DIR": str(ready),
                                "LANSHAN_DATABASE_URL": str((log_dir or scratch) / f"decisions-{port}.sqlite3"),
                                **(env or {})},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while len(list(ready.iterdir())) < WORKERS:
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = (scratch / f"gunicorn-{port}.log").read_text(errors="replace")[-1500:]
                raise RuntimeError(f"gunicorn {app} did not start: {tail}")
            time.sleep(0.1)
        time.sleep(0.5)
        yield {"url": f"http://127.0.0.1:{port}/evaluate", "master": process.pid,
               "workers": procfs.children(process.pid)}
    finally:
        process.terminate()  # the master stops its own workers
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()


def post(url: str, body: str) -> tuple[int, Any]:
    """POST one body; return the HTTP status (the load must be answered with 200s) and the answer."""
    req = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as response:
        return int(response.status), json.loads(response.read())


def floor_agreement(servers: dict[str, dict[str, Any]], lines: list[str], count: int = 50) -> dict[str, int]:
    """How many of the first ``count`` bodies each floor answers exactly as /evaluate (decision ids aside):
    a floor that did less work than the service would not be a floor."""
    def answer(name: str, body: str) -> Any:
        found = post(servers[name]["url"], body)[1]
        found.pop("decision_id", None)
        return found

    expected = [answer("/evaluate", body) for body in lines[:count]]
    return {name: sum(answer(name, body) == e for body, e in zip(lines[:count], expected, strict=True))
            for name in (FLOOR, FLOOR_PYTHON) if name in servers}


def drive(wrk: str | None, url: str, bodies: Path, clients: int, seconds: float) -> dict[str, float]:
    """Load ``url`` from a second process for ``seconds``; return rps, p50/p99 ms and errors."""
    if wrk:
        done = subprocess.run(
            [wrk, "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
             "-s", str(HERE / "wrk_post.lua"), url, "--", str(bodies)],
            capture_output=True, text=True, timeout=seconds + 30, check=False)
        line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
        if done.returncode or line is None:
            raise RuntimeError(f"wrk exited {done.returncode}: {(done.stderr or done.stdout)[-500:]}")
        got = {k: float(v) for k, v in (field.split("=") for field in line.split()[1:])}
        return {"rps": got["requests"] / (got["duration_us"] / 1e6), "p50_ms": got["p50_us"] / 1000,
                "p99_ms": got["p99_us"] / 1000, "requests": got["requests"],
                "errors": sum(got[k] for k in ("connect", "read", "write", "status", "timeout"))}
    out = subprocess.run([sys.executable, "-m", "bench.loadgen", url, str(bodies), str(clients), str(seconds)],
                         cwd=workload.ROOT, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def measure(wrk: str | None, server: dict[str, Any], bodies: Path, clients: int, seconds: float) -> dict[str, float]:
    """``drive`` one server, adding the CPU time (user + system) its workers spent per request, in ms."""
    before = sum(procfs.cpu_seconds(pid) for pid in server["workers"])
    point = drive(wrk, server["url"], bodies, clients, seconds)
    spent = sum(procfs.cpu_seconds(pid) for pid in server["workers"]) - before
    return {**point, "cpu_ms": 1000 * spent / point["requests"] if point["requests"] else float("nan")}


def _rss_mb(pids: list[int]) -> list[float]:
    return [round(procfs.rss_kb(pid) / 1024, 1) for pid in pids]


def run(seconds: float = 5.0, rounds: int = 3, clients: tuple[int, ...] = CLIENTS) -> dict[str, Any]:
    """Measure every app at each client count, interleaved over ``rounds``; medians per point."""
    wrk, why = find_wrk()
    generator = "wrk (" + subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split("[")[0].strip() \
        + ", 1 thread, bench/wrk_post.lua)" if wrk else f"python bench/loadgen.py ({why})"
    apps: dict[str, tuple[str, dict[str, str], Path | None]] = {name: (a, env, None) for name, (a, env) in APPS.items()}
    with tempfile.TemporaryDirectory(prefix="bench-http-") as tmp, ExitStack() as stack:
        scratch = Path(tmp)
        if RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK):
            ram = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-http-", dir=RAM_DISK)))
            apps[IN_RAM] = ("bench.wsgi:app", {}, ram)
            apps[BOTH] = ("bench.wsgi:app", {"LANSHAN_BACKEND": "python"}, ram)
        samples: dict[str, dict[int, list[dict[str, float]]]] = {name: {c: [] for c in clients} for name in apps}
        bodies = scratch / "households.jsonl"
        lines = workload.household_bodies(BODIES)
        bodies.write_text("\n".join(lines) + "\n", encoding="ascii")
        servers = {name: stack.enter_context(gunicorn(app, scratch, env, log_dir))
                   for name, (app, env, log_dir) in apps.items()}
        rss_loaded = _rss_mb(servers["/evaluate"]["workers"])
        statuses = {name: post(s["url"], lines[0])[0] for name, s in servers.items()}
        agreement = floor_agreement(servers, lines)
        for s in servers.values():  # warm-up, not reported
            drive(wrk, s["url"], bodies, 8, 1)
        for r in range(rounds):
            for c in clients:
                for name in list(apps)[r % len(apps):] + list(apps)[:r % len(apps)]:  # no app always first
                    samples[name][c].append(measure(wrk, servers[name], bodies, c, seconds))
        rss_served = _rss_mb(servers["/evaluate"]["workers"])
    points = {name: {c: _median_point(runs) for c, runs in by_clients.items()} for name, by_clients in samples.items()}
    return {"generator": generator, "seconds": seconds, "rounds": rounds, "workers": WORKERS, "bodies": BODIES,
            "worker_class": os.environ.get("LANSHAN_WORKER_CLASS", "sync"),
            "threads": int(os.environ.get("LANSHAN_THREADS", "1")),
            "status": statuses, "floor_agreement": agreement, "compared": min(50, BODIES),
            "points": points, "rss_after_load_mb": rss_loaded, "rss_after_serving_mb": rss_served}


def _median_point(runs: list[dict[str, float]]) -> dict[str, Any]:
    return {"rps": statistics.median(r["rps"] for r in runs), "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs), "errors": sum(r["errors"] for r in runs),
            "cpu_ms": statistics.median(r["cpu_ms"] for r in runs),
            "rps_all": [round(r["rps"], 1) for r in runs]}


if __name__ == "__main__":  # a quick look at one configuration: python -m bench.http_service [seconds] [rounds]
    found = run(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0, int(sys.argv[2]) if len(sys.argv) > 2 else 1,
                (8, 32))
    for endpoint, by_clients in found["points"].items():
        for clients, point in by_clients.items():
            print(f"{endpoint:26} c={clients:<3} {point['rps']:8.0f} rps  p50 {point['p50_ms']:6.1f}  "
                  f"p99 {point['p99_ms']:6.1f} ms  worker CPU {point['cpu_ms']:.2f} ms/request  "
                  f"errors {point['errors']}")
