"""The compiled pure-Python backend: the same normal-form conditions, decided by plain Python."""
from __future__ import annotations

from typing import Any

from ..conditions import NEVER, compile_tree
from ..policy import Rule

Fired = set[tuple[str, Any]]


class PythonBackend:
    """Decides conditions in-process; runs on any Python the engine runs on."""

    name = "python"

    def prepare(self, label: str, rules: list[Rule]) -> list[tuple[str, str | None, Any]]:
        """Compile each rule's normal-form tree into closures; a rule that can never hold is dropped."""
        return [(r.id, r.scope, compile_tree(r.condition.tree)) for r in rules if r.condition.tree != NEVER]

    def decide(self, handle: list[tuple[str, str | None, Any]],
               facts: list[tuple[str | None, int | None, dict[str, Any]]]) -> Fired:
        """Return the (rule id, element index) pairs whose condition holds."""
        by_scope: dict[str | None, list[tuple[int | None, dict[str, Any]]]] = {}
        for scope, index, atoms in facts:
            by_scope.setdefault(scope, []).append((index, atoms))
        fired: Fired = set()
        for rule_id, scope, decide in handle:
            for index, atoms in by_scope.get(scope, ()):
                if decide(atoms):
                    fired.add((rule_id, index))
        return fired

    def retire(self, handle: Any) -> None:
        """Nothing to free: the handle is ordinary Python data."""
