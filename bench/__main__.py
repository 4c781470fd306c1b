"""Run the whole benchmark suite of issue 4 and write bench/RESULTS.md.

Run from the repository root: ``.venv/bin/python -m bench`` (after ``.venv/bin/pip install -e '.[bench]'``).
``--quick`` is a smoke run (1,000 cases, 1 s per HTTP point, 5,000 evaluations for RSS) that writes
to ``--out`` only when given.  Every part is bounded in time; the whole suite takes about 6-9 minutes
on two shared cores.  All traffic stays on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from bench import report, workload

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _versions() -> str:
    found = []
    for package in ("durable-rules", "flask", "gunicorn", "zen-engine"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} missing")
    return ", ".join(found)


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=workload.ROOT, capture_output=True, text=True).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" with uncommitted changes" if git("status", "--porcelain") else "")


def _machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{model}, {len(os.sched_getaffinity(0))} usable cores, {platform.system()} {platform.release()}"


def _section(name: str, results: dict[str, Any], run: Callable[[], dict[str, Any]]) -> None:
    print(f"[bench] {name} …", file=sys.stderr, flush=True)
    began = time.monotonic()
    try:
        results[name] = run()
    except Exception as e:  # one failing part must not lose the others' measurements
        traceback.print_exc()
        results[name] = {"error": f"{type(e).__name__}: {str(e)[:300]}"}
    print(f"[bench] {name} done in {time.monotonic() - began:.0f} s", file=sys.stderr, flush=True)


def main() -> None:
    """Run every section, write the Markdown table, print it."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run (not written unless --out)")
    parser.add_argument("--out", type=Path, help=f"where to write the Markdown (default {RESULTS})")
    args = parser.parse_args()
    count, seconds, evaluations = (1000, 1.0, 5000) if args.quick else (workload.COUNT, 5.0, 100_000)

    from bench import http_service, inprocess, peer_zen, scale

    began = time.monotonic()
    results: dict[str, Any] = {}
    _section("inprocess", results, lambda: inprocess.run(count))
    _section("peer", results, lambda: peer_zen.run(count))
    _section("http", results, lambda: http_service.run(seconds))
    # the RSS loop gets what is left of a 9-minute budget (at least 60 s; it says so if it stops early)
    _section("scale", results, lambda: scale.run(evaluations, max(60.0, 540 - (time.monotonic() - began))))
    results["meta"] = {
        "command": "python -m bench" + (" --quick" if args.quick else ""),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(), "machine": _machine(), "python": platform.python_version(),
        "versions": _versions(), "elapsed": time.monotonic() - began,
    }
    text = report.render(results)
    out = args.out or (None if args.quick else RESULTS)
    if out:
        out.write_text(text, encoding="utf-8")
        print(f"[bench] wrote {out}", file=sys.stderr)
    print(text)


if __name__ == "__main__":
    main()
