"""The Python load generator, used only when wrk is not available.

Run: ``python -m bench.loadgen URL BODIES_FILE CONCURRENCY SECONDS``: CONCURRENCY threads, each with
its own connection, POST the bodies in turn for SECONDS; prints one JSON line.  It is limited by the
GIL, so at high concurrency it measures less than wrk would.
"""
from __future__ import annotations

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def _client(url: str, bodies: list[bytes], start: int, stop_at: float, out: list[float], errors: list[int]) -> None:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=10)
    headers = {"Content-Type": "application/json"}
    i = start
    while time.perf_counter() < stop_at:
        body = bodies[i % len(bodies)]
        i += 1
        began = time.perf_counter()
        try:
            conn.request("POST", parts.path, body, headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            errors.append(0)
            conn.close()
            continue
        out.append(time.perf_counter() - began)


def main() -> None:
    """Drive the URL and print requests/s, p50 and p99 in ms, and the error count."""
    url, path, concurrency, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    with open(path, "rb") as f:
        bodies = f.read().splitlines()
    latencies: list[float] = []
    errors: list[int] = []
    began = time.perf_counter()
    stop_at = began + seconds
    threads = [threading.Thread(target=_client, args=(url, bodies, n * 97, stop_at, latencies, errors))
               for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(json.dumps({"requests": len(latencies), "rps": len(latencies) / elapsed, "p50_ms": cuts[49] * 1000,
                      "p99_ms": cuts[98] * 1000, "errors": len(errors)}))


if __name__ == "__main__":
    main()
