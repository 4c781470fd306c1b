"""The compiled pure-Python backend: the same normal-form conditions, decided by generated Python code.

At load time each phase gets, per scope, one generated function (``conditions.compile_decider``)
that computes the atoms its rules read, straight from the case, and returns the rules that hold.
The closures of ``conditions.compile_tree`` over the lazy atom mapping stay the reference: a phase
whose generated code raises is decided again by them, so an error is exactly theirs.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..codegen import recovery
from ..conditions import NEVER, Atom, compile_decider, compile_tree
from ..expressions import Env
from ..policy import Rule

Fired = set[tuple[str, Any]]
Facts = list[tuple[str | None, int | None, Any]]
Hit = tuple[int, int | None, Any]  # rule's place in its phase, index in its list (None: the case itself), element


@dataclass
class Compiled:
    """One case kind's rules: closures by phase, and per phase and scope the generated decider."""

    closures: dict[int, list[tuple[str, str | None, Callable[[Any], bool]]]] = field(default_factory=dict)
    # the deciders return each holding rule's place among its phase's rules (Phase.rules: the file's order)
    generated: dict[int, dict[str | None, Callable[[Any], list[int]]]] = field(default_factory=dict)
    ids: dict[int, list[str]] = field(default_factory=dict)  # phase -> its rules' ids, by place

    @functools.cached_property
    def session(self) -> Session:
        """The one session of these rules: it holds nothing of a case, so it serves every case."""
        return Session(Decider(self))


class PythonBackend:
    """Decides conditions in-process; runs on any Python the engine runs on."""

    name = "python"

    def prepare(self, label: str, rules: list[Rule]) -> Compiled:
        """Compile each rule's normal-form tree, by phase; a rule that can never hold is dropped."""
        compiled = Compiled()
        place: dict[str, int] = {}
        for r in rules:
            place[r.id] = len(compiled.ids.setdefault(r.phase, []))
            compiled.ids[r.phase].append(r.id)
        groups: dict[tuple[int, str | None], list[Rule]] = {}
        for r in rules:
            if r.condition.tree != NEVER:
                compiled.closures.setdefault(r.phase, []).append((r.id, r.scope, compile_tree(r.condition.tree)))
                groups.setdefault((r.phase, r.scope), []).append(r)
        generated: dict[int, dict[str | None, Callable[[Any], list[int]]]] = {}
        for (phase, scope), members in groups.items():
            atoms: dict[str, Atom] = {a.field: a for r in members for a in r.condition.atoms}
            decider = compile_decider([(place[r.id], r.condition.tree) for r in members], list(atoms.values()),
                                      f"{label} phase {phase} {scope or 'case'}")
            if decider is None:
                return compiled  # no generated code: every phase is decided by the closures
            generated.setdefault(phase, {})[scope] = decider
        compiled.generated = generated
        return compiled

    def session(self, handle: Compiled) -> Session:
        """Open one case's evaluation; ``decide(phase, facts)`` returns the (rule id, index) pairs that hold."""
        return handle.session

    def retire(self, handle: Any) -> None:
        """Nothing to free: the handle is ordinary Python data."""


def decide(handle: Compiled, phase: int, facts: Facts) -> Fired:
    """Decide one phase of one case with the generated deciders (with the closures when there are none)."""
    if not handle.generated:
        return by_closures(handle, phase, facts)
    deciders = handle.generated.get(phase, {})  # a phase without one has no rule that can hold
    ids = handle.ids.get(phase, [])
    fired: Fired = set()
    try:
        for scope, index, atoms in facts:
            decider = deciders.get(scope)
            if decider is not None:
                for place in decider(atoms.env):
                    fired.add((ids[place], index))
    except Exception:  # the closures raise the reference error (the first atom that fails, in their order)
        return _RECOVER(handle, phase, facts)
    return fired


class Decider:
    """``decide(phase, facts)`` for one kind's rules, and ``ordered``, the same decision read straight from the case."""

    __slots__ = ("handle",)

    def __init__(self, handle: Compiled):
        self.handle = handle

    def __call__(self, phase: int, facts: Facts) -> Fired:
        return decide(self.handle, phase, facts)

    def ordered(self, phase: int, env: Env, lists: dict[str, list[tuple[int, Any]]]) -> list[Hit] | None:
        """The (place, index, element) triples that hold in one phase (place: the rule's among the phase's rules),
        each rule's elements in list order.

        The generated deciders read the case's ``Env`` directly, so no atom mapping is made. Returns
        None when there are no generated deciders, or when one raises: the caller then decides with
        ``decide``, whose closures raise the reference error.
        """
        if not self.handle.generated:
            return None
        found: list[Hit] = []
        try:
            for scope, decider in self.handle.generated.get(phase, {}).items():
                if scope is None:
                    found += [(place, None, None) for place in decider(env)]
                    continue
                for index, element in lists.get(scope, ()):
                    element_env = Env(env.facts, env.params, env.derived, env.quantities, element)
                    found += [(place, index, element) for place in decider(element_env)]
        except Exception:  # noqa: BLE001 - decided again by the caller, with the reference closures
            return None
        return found


class Session:
    """The context manager ``session`` returns: entering it gives the ``Decider``; leaving it has nothing to close."""

    __slots__ = ("decide",)

    def __init__(self, decide: Decider):
        self.decide = decide

    def __enter__(self) -> Decider:
        return self.decide

    def __exit__(self, *exc_info: object) -> None:
        return None


def by_closures(handle: Compiled, phase: int, facts: Facts) -> Fired:
    """Decide one phase with the closures over the lazy atom mappings (the reference)."""
    by_scope: dict[str | None, list[tuple[int | None, Any]]] = {}
    for scope, index, atoms in facts:
        by_scope.setdefault(scope, []).append((index, atoms))
    fired: Fired = set()
    for rule_id, scope, holds in handle.closures.get(phase, ()):
        for index, atoms in by_scope.get(scope, ()):
            if holds(atoms):
                fired.add((rule_id, index))
    return fired


_RECOVER = recovery(by_closures, "decide")
