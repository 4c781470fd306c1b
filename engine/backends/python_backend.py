"""The compiled pure-Python backend: the same normal-form conditions, decided by plain Python closures."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..conditions import NEVER, compile_tree
from ..policy import Rule

Fired = set[tuple[str, Any]]
Facts = list[tuple[str | None, int | None, Any]]
Compiled = dict[int, list[tuple[str, str | None, Callable[[Any], bool]]]]


class PythonBackend:
    """Decides conditions in-process; runs on any Python the engine runs on."""

    name = "python"

    def prepare(self, label: str, rules: list[Rule]) -> Compiled:
        """Compile each rule's normal-form tree into closures, by phase; a rule that can never hold is dropped."""
        compiled: Compiled = {}
        for r in rules:
            if r.condition.tree != NEVER:
                compiled.setdefault(r.phase, []).append((r.id, r.scope, compile_tree(r.condition.tree)))
        return compiled

    @contextmanager
    def session(self, handle: Compiled) -> Iterator[Callable[[int, Facts], Fired]]:
        """Open one case's evaluation; ``decide(phase, facts)`` returns the (rule id, index) pairs that hold."""

        def decide(phase: int, facts: Facts) -> Fired:
            by_scope: dict[str | None, list[tuple[int | None, Any]]] = {}
            for scope, index, atoms in facts:
                by_scope.setdefault(scope, []).append((index, atoms))
            fired: Fired = set()
            for rule_id, scope, holds in handle.get(phase, ()):
                for index, atoms in by_scope.get(scope, ()):
                    if holds(atoms):
                        fired.add((rule_id, index))
            return fired

        yield decide

    def retire(self, handle: Any) -> None:
        """Nothing to free: the handle is ordinary Python data."""
