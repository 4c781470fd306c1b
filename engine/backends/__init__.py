"""Backends decide which rules fire; they see only atom fields (integers, booleans, strings).

A backend offers ``prepare(label, rules) -> handle`` (once, at load time), ``session(handle)``, a
context manager for one case that yields ``decide(phase, facts) -> fired``, and ``retire(handle)``.
``facts`` is a list of ``(scope, index, atoms)``: scope ``None`` with index ``None`` for the case
itself, and a list fact's path with the element's index for a ``for_each`` rule; ``atoms`` is a
mapping that computes a field when it is read, with ``complete()`` for all of them.  ``fired`` is
the set of ``(rule_id, index)`` whose condition holds.
"""
from __future__ import annotations

from typing import Any

BACKENDS = ("durable", "python")


def get_backend(name: str) -> Any:
    """Return the backend called ``name`` (``durable``, the default, or ``python``)."""
    if name == "python":
        from .python_backend import PythonBackend

        return PythonBackend()
    if name == "durable":
        from .durable_adapter import DurableBackend

        return DurableBackend()
    raise ValueError(f"未知的后端“{name}”，可用：{', '.join(BACKENDS)}")
