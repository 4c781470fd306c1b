"""Two processes committing to one SQLite WAL file: a kernel lock against SQLite's busy handler.

Run: ``.venv/bin/python -m bench.log_contention``.  Each of two processes (as two gunicorn workers)
makes 400 durable commits (``synchronous=FULL``) of a 3 kB row, with 0.5 ms of other work between
them, either queuing on ``flock`` of a file beside the database (what ``decision_log.py`` does) or
leaving the wait to SQLite's busy handler, which sleeps 1, 2, 5, ... ms between tries.  Prints the
wall time and the commit latencies, both ways, two interleaved rounds.
"""
from __future__ import annotations

import fcntl
import multiprocessing
import os
import sqlite3
import tempfile
import time
from pathlib import Path

COMMITS = 400


def _worker(path: str, use_flock: bool, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    lock = os.open(f"{path}-writers.lock", os.O_RDWR | os.O_CREAT, 0o600)
    latencies = []
    for _ in range(COMMITS):
        began = time.perf_counter()
        if use_flock:
            fcntl.flock(lock, fcntl.LOCK_EX)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t (body) VALUES (?)", ("x" * 3000,))
        connection.execute("COMMIT")
        if use_flock:
            fcntl.flock(lock, fcntl.LOCK_UN)
        latencies.append(time.perf_counter() - began)
        time.sleep(0.0005)  # the rest of a request
    latencies.sort()
    results.put((latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]))


def measure(use_flock: bool, folder: Path) -> str:
    """Run the two writers once and describe the result."""
    path = str(folder / f"log-{time.monotonic_ns()}.sqlite3")
    with sqlite3.connect(path, isolation_level=None) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    workers = [multiprocessing.Process(target=_worker, args=(path, use_flock, results)) for _ in range(2)]
    began = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - began
    found = [results.get() for _ in workers]
    return (f"{'flock' if use_flock else 'SQLite busy handler':20} wall {wall:.2f} s; commit p50 "
            f"{max(f[0] for f in found) * 1e3:.2f} ms, p99 {max(f[1] for f in found) * 1e3:.2f} ms")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="bench-log-") as tmp:
        for _ in range(2):
            for use in (True, False):
                print(measure(use, Path(tmp)))
