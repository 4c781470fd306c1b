"""Find the hand-written limit functions (bench/limit.py) without depending on them being there."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

LimitFn = Callable[[dict[str, Any]], dict[str, Any]]


def find(name: str) -> tuple[LimitFn | None, str]:
    """Return ``(bench.limit.<name>, "")`` or ``(None, why it is not available)``."""
    try:
        module = importlib.import_module("bench.limit")
    except ImportError as e:
        return None, f"not available (bench/limit.py: {e})"
    except Exception as e:  # a half-written limit module must not stop the other measurements
        return None, f"not available (bench/limit.py does not import: {type(e).__name__}: {e})"
    fn = getattr(module, name, None)
    if not callable(fn):
        return None, f"not available (bench/limit.py has no {name})"
    return fn, ""
