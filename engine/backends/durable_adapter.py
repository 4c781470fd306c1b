"""The one module that knows durable_rules, driven by the safe recipe of durable-rules-notes.md.

- A ``Host`` whose background dispatcher never starts (no timer threads: crash 2 of the notes).
- One ruleset per compiled case kind, under a unique versioned name (names cannot be reused).
- Per evaluation: one fresh sid, a sentinel fact with a rule that always fires (so the state can be
  deleted safely and no batch is empty), every fact with a unique ``id``; each phase's batch asserted
  at once into the same sid, the actions run synchronously in the caller's thread, ``delete_state``
  in ``finally``.  Facts of phase n carry the type ``<scope>@n`` so only phase-n rules see them.
- Facts carry only integers, booleans and strings (the atoms of ``conditions.py``); a null atom is
  left out, so every durable comparison on it is false, as in the reference semantics.
- A catch-all rule per scope joins the scope's facts with a fact that never exists, so a fact that
  matches no real rule is still "handled" (no ``MessageNotHandledException``) and fires nothing.
- ``$or`` fires once per true branch: results are a set.
- One process-wide lock: the native core never releases the GIL, so threads gain nothing.
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..conditions import NEVER, All, AnyOf, Node, Test
from ..errors import RulesError
from ..policy import Rule

_IMPORT_ERROR: Exception | None = None
try:  # durable_rules builds on CPython 3.11 and 3.12 only
    import durable_rules_engine
    from durable.engine import Host
except ImportError as e:  # pragma: no cover - exercised only on unsupported Pythons
    Host = None
    _IMPORT_ERROR = e

SENTINEL = "__sentinel__"
NOWHERE = "__never__"
CASE_SCOPE = "__case__"
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_LOCK = threading.Lock()
_SIDS = itertools.count(1)
_NAMES = itertools.count(1)


class DurableUnavailable(RulesError):
    """durable_rules could not be imported on this Python; choose the python backend."""


_HOST: Any = None


def _host() -> Any:
    """Create the process's one quiet Host on first use."""
    global _HOST
    if _HOST is None:
        if Host is None:
            raise DurableUnavailable(f"durable_rules 无法在此 Python 上导入（{_IMPORT_ERROR}）；"
                                     "请设置 LANSHAN_BACKEND=python")

        class QuietHost(Host):  # type: ignore[misc, valid-type]
            """A Host without its background dispatcher and timer threads (crash 2 of the notes)."""

            def _run(self) -> None:
                return

        _HOST = QuietHost()
    return _HOST


class _Handle:
    def __init__(self, name: str):
        self.name = name
        self.fired: list[tuple[str, str]] = []  # filled by the actions of the current evaluation
        self.errors: list[BaseException] = []
        self.sentinel_fired = False


def _scope(scope: str | None, phase: int) -> str:
    return f"{CASE_SCOPE if scope is None else scope}@{phase}"


def _test(node: Test) -> dict[str, Any]:
    if node.op == "==":
        test: dict[str, Any] = {node.field: node.value}
    else:
        test = {_OPS[node.op]: {node.field: node.value}}
    if node.null_passes:
        return {"$or": [test, {"$nex": {node.field: 1}}]}
    return test


def _translate(node: Node) -> dict[str, Any] | None:
    """Turn a normal-form tree into a durable_rules expression (None: always true)."""
    if isinstance(node, Test):
        return _test(node)
    parts = [p for p in (_translate(child) for child in node.parts)]
    if isinstance(node, All):
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else {"$and": kept}
    assert isinstance(node, AnyOf)
    if any(p is None for p in parts):
        return None
    return parts[0] if len(parts) == 1 else {"$or": parts}


class DurableBackend:
    """Decides conditions with durable_rules (the default backend)."""

    name = "durable"

    def prepare(self, label: str, rules: list[Rule]) -> _Handle:
        """Register one ruleset for a case kind's rules (all phases) under a fresh name."""
        name = f"r{next(_NAMES)}_{''.join(c if c.isalnum() else '_' for c in label)}"
        handle = _Handle(name)

        def action(rule_id: str) -> Any:
            def run(c: Any) -> None:
                try:
                    handle.fired.append((rule_id, c.m["id"]))
                except BaseException as e:  # an action's exception never reaches the caller
                    handle.errors.append(e)

            return run

        def sentinel(c: Any) -> None:
            handle.sentinel_fired = True

        definition: dict[str, Any] = {"sentinel": {"all": [{"m": {"t": SENTINEL}}], "run": sentinel}}
        phases = {r.phase for r in rules} | {1}
        scopes = {_scope(r.scope, p) for r in rules for p in phases} | {_scope(None, p) for p in phases}
        for index, scope in enumerate(sorted(scopes)):
            definition[f"handled_{index}"] = {
                "all": [{"m": {"t": scope}}, {"never": {"t": NOWHERE}}],
                "run": action("__never__"),
            }
        for index, rule in enumerate(rules):
            if rule.condition.tree == NEVER:
                continue
            condition = _translate(rule.condition.tree)
            scope_test = {"t": _scope(rule.scope, rule.phase)}
            expression = scope_test if condition is None else {"$and": [scope_test, condition]}
            definition[f"rule_{index}"] = {"all": [{"m": expression}], "run": action(rule.id)}
        with _LOCK:
            # register_rulesets mutates what it is given (it deletes "run"): hand it a copy
            _host().register_rulesets({name: {k: dict(v) for k, v in definition.items()}})
        return handle

    @contextmanager
    def session(self, handle: _Handle) -> Iterator[Callable[[int, list[Any]], set[tuple[str, Any]]]]:
        """One case's evaluation: one sid for all its phases, deleted at the end (only if an action fired)."""
        sid = str(next(_SIDS))
        host = _host()
        with _LOCK:
            handle.fired.clear()
            handle.errors.clear()
            handle.sentinel_fired = False
            ids: dict[str, int | None] = {}

            def decide(phase: int, facts: list[tuple[str | None, int | None, Any]]) -> set[tuple[str, Any]]:
                batch: list[dict[str, Any]] = []
                if not handle.sentinel_fired:
                    batch.append({"id": "s", "sid": sid, "t": SENTINEL})
                for n, (scope, index, atoms) in enumerate(facts):
                    fact_id = f"p{phase}f{n}"
                    ids[fact_id] = index
                    values = atoms.complete() if hasattr(atoms, "complete") else atoms
                    fact = {k: v for k, v in values.items() if v is not None}
                    fact.update({"id": fact_id, "sid": sid, "t": _scope(scope, phase)})
                    batch.append(fact)
                handle.fired.clear()
                host.assert_facts(handle.name, batch)
                if handle.errors:
                    raise RulesError(f"durable_rules 动作出错：{handle.errors[0]!r}")
                return {(rule_id, ids[fact_id]) for rule_id, fact_id in handle.fired}

            try:
                yield decide
            finally:
                if handle.sentinel_fired:  # deleting a state where nothing fired kills the process
                    host.delete_state(handle.name, sid)

    def retire(self, handle: _Handle) -> None:
        """Free a ruleset once no evaluation can use it again (after a reload has drained).

        durable_rules has no public unregister: drop the host's references and free the native
        ruleset with ``delete_ruleset``, as durable-rules-notes.md describes for hot reloads.
        """
        with _LOCK:
            host = _host()
            ruleset = host._ruleset_directory.pop(handle.name, None)
            if ruleset is None:
                return
            host._ruleset_list.remove(ruleset)
            durable_rules_engine.delete_ruleset(ruleset._handle)
