"""The targets of issue 4, each judged met or missed on this run's measurements."""
from __future__ import annotations

from typing import Any

Verdict = tuple[str, str, bool | None]  # target, measured value, met (None: not measured)


def _get(results: dict[str, Any], *path: Any) -> Any:
    node: Any = results
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def judge(results: dict[str, Any]) -> list[Verdict]:
    """Return every target with its measured value and whether it is met."""
    verdicts: list[Verdict] = []

    def add(target: str, value: float | None, fmt: str, ok: Any) -> None:
        verdicts.append((target, "not measured" if value is None else fmt.format(value),
                         None if value is None else bool(ok(value))))

    add("durable backend ≥ 1,500 households/s (one core)",
        _get(results, "inprocess", "rates", "durable", "median"), "{:,.0f}/s", lambda v: v >= 1500)
    add("python backend ≥ 20,000 households/s (one core)",
        _get(results, "inprocess", "rates", "python", "median"), "{:,.0f}/s", lambda v: v >= 20000)
    ours = _get(results, "http", "points", "/evaluate", 8, "rps")
    bare = _get(results, "http", "points", "bare echo", 8, "rps")
    add("/evaluate ≥ 50% of the bare endpoint at 8 clients",
        None if ours is None or not bare else 100 * ours / bare, "{:.0f}%", lambda v: v >= 50)
    add("/evaluate p99 < 50 ms at 32 clients",
        _get(results, "http", "points", "/evaluate", 32, "p99_ms"), "{:.1f} ms", lambda v: v < 50)
    cold = [_get(results, "scale", "load", b, "cold") for b in ("durable", "python")]
    add("policies load < 1 s (first load in a fresh process, slower backend)",
        None if None in cold else max(cold), "{:.2f} s", lambda v: v < 1)
    rss = (_get(results, "http", "rss_after_load_mb") or []) + (_get(results, "http", "rss_after_serving_mb") or [])
    add("< 150 MB RSS per gunicorn worker (largest, after loading and after serving)",
        max(rss) if rss else None, "{:.1f} MB", lambda v: v < 150)
    growth = _get(results, "scale", "rss")
    value = None if not growth else growth["growth_pct"]
    full = bool(growth) and growth["evaluations"] >= growth["requested"]
    add(f"RSS growth ≤ 5% after {growth['requested']:,} evaluations" if growth else "RSS growth ≤ 5%",
        value, "{:+.1f}%" + ("" if full or not growth else f" (only {growth['evaluations']:,} done in time)"),
        lambda v: v <= 5 and full)
    return verdicts
