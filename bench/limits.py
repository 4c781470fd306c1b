"""Find the hand-written limit functions (bench/limit.py) without depending on them being there.

The limit takes the facts as the engine holds them after validation (Decimal numbers, ``date`` dates);
when bench/limit.py offers ``normalise_household`` / ``normalise_enterprise`` the harness converts
the JSON-ish facts with them before timing, so the conversion is not part of the limit's time.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

LimitFn = Callable[[dict[str, Any]], Any]
NORMALISERS = {"household_limit": "normalise_household", "listing_limit": "normalise_enterprise"}


def _identity(facts: dict[str, Any]) -> dict[str, Any]:
    return facts


def find(name: str) -> tuple[LimitFn | None, LimitFn, str]:
    """Return ``(bench.limit.<name>, its facts normaliser, "")`` or ``(None, _, why it is not available)``."""
    try:
        module = importlib.import_module("bench.limit")
    except ImportError as e:
        return None, _identity, f"not available (bench/limit.py: {e})"
    except Exception as e:  # a half-written limit module must not stop the other measurements
        return None, _identity, f"not available (bench/limit.py does not import: {type(e).__name__}: {e})"
    fn = getattr(module, name, None)
    if not callable(fn):
        return None, _identity, f"not available (bench/limit.py has no {name})"
    normalise = getattr(module, NORMALISERS.get(name, ""), None)
    return fn, normalise if callable(normalise) else _identity, ""


def prepare(fn: LimitFn, normalise: LimitFn, cases: list[dict[str, Any]]) -> tuple[list[Any], str]:
    """Normalise every case's facts and run the limit on each once (a check and a warm-up).

    Returns the normalised facts, and "" or why the limit cannot be timed.
    """
    ready: list[Any] = []
    failures = 0
    first = ""
    for case in cases:
        try:
            facts = normalise(case["facts"])
            fn(facts)
            ready.append(facts)
        except Exception as e:  # a broken limit is reported, not fatal
            failures += 1
            first = first or f"{type(e).__name__}: {e}"
    if failures:
        return [], f"not available (raised on {failures} of {len(cases)} cases; first: {first})"
    return ready, ""
