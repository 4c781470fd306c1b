"""The one module that knows durable_rules, driven by the safe recipe of durable-rules-notes.md.

The native core is driven directly, as durable's own ``Host`` drives it (``durable/engine.py``,
``do_actions`` and ``_flush_actions``), without the parts this engine does not use:

- No ``Host``, so no background dispatcher or timer threads (crash 2 of the notes).
- One ruleset per compiled case kind, under a unique versioned name (names cannot be reused).
- Per evaluation: one fresh sid; each phase's facts asserted as one JSON batch (never an empty one:
  crash 3), every fact with a unique integer ``id``; then ``start_action_for_state`` and
  ``complete_and_start_action`` until no action is left, reading only the action name and the fact
  ``id`` of each message, and ``abandon_action`` if reading one fails.  Facts of phase n carry the
  type ``<scope>@n`` so only phase-n rules see them.
- No ``update_state`` between actions: natively it only re-asserts the state fact (``$s``), which
  these rules never test and these actions never change.
- ``delete_state`` frees an action context that only a started action initialises (crash 1): a sid
  is deleted, in ``finally``, only after an action started in it.  A sentinel fact, with a rule that
  always fires, is asserted at the end only if no rule fired.
- Facts carry only integers, booleans and strings (the atoms of ``conditions.py``), at most 254
  fields: the core stops reading a batch, silently, at a fact it cannot parse or with 255 fields
  (and if that is the first fact, the state it reports is garbage).  A null atom is left out, so
  every durable comparison on it is false, as in the reference semantics.
- A fact that matches no rule is not stored (result code 1), so no catch-all rules are needed; an
  identical fact asserted twice (code 2) cannot happen with unique ids and is an error.
- ``$or`` fires once per true branch: results are a set.
- One process-wide lock: the native core never releases the GIL, so threads gain nothing.
"""
from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..conditions import NEVER, All, AnyOf, Node, Test
from ..errors import RulesError
from ..policy import Rule

_IMPORT_ERROR: Exception | None = None
try:  # durable_rules builds on CPython 3.11 and 3.12 only
    import durable_rules_engine as _native
except ImportError as e:  # pragma: no cover - exercised only on unsupported Pythons
    _native = None
    _IMPORT_ERROR = e

SENTINEL = "__sentinel__"
CASE_SCOPE = "__case__"
_SENTINEL_ACTION = "sentinel"
_RESERVED = frozenset({"id", "sid", "t"})
_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_MESSAGE_MIDDLE = '":{"m":{"id":'  # between the action name and the fact id: one fact per action
_HANDLED = (0, 1)  # assert result codes: 1 = some fact matched no rule (not stored); 2 = seen twice, 3 = queued
_MAX_PROPERTIES = 254  # per fact: at 255 the core stops reading the batch there, without an error
_INT_LIMIT = 2**63  # the native parser reads integers as long long
_MAX_LEAKED_SIDS = 64  # far below the 1,024 live sids after which the core segfaults (crash 6)
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_LOCK = threading.Lock()
_SIDS = itertools.count(1)
_NAMES = itertools.count(1)
_REGISTERED: dict[str, _Handle] = {}


class DurableUnavailable(RulesError):
    """durable_rules could not be imported on this Python; choose the python backend."""


class _Handle:
    """A registered native ruleset and what its action names mean."""

    def __init__(self, name: str, native: int, rule_ids: dict[str, str | None]):
        self.name = name
        self.native: int | None = native  # None once retired: native handle numbers are reused
        self.rule_ids = rule_ids  # action name -> rule id (None for the sentinel)
        self.leaked_sids = 0


def _native_module() -> Any:
    if _native is None:
        raise DurableUnavailable(f"durable_rules 无法在此 Python 上导入（{_IMPORT_ERROR}）；"
                                 "请设置 LANSHAN_BACKEND=python")
    return _native


def _registered() -> set[str]:
    """Names of the rulesets registered and not yet retired."""
    return set(_REGISTERED)


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
        if node.field in _RESERVED:
            raise RulesError(f"原子字段名“{node.field}”与 durable_rules 的保留字段冲突")
        return _test(node)
    parts = [_translate(child) for child in node.parts]
    if isinstance(node, All):
        kept = [p for p in parts if p is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else {"$and": kept}
    assert isinstance(node, AnyOf)
    if any(p is None for p in parts):
        return None
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _fact(fact_id: int, sid: str, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """One fact for the batch: ``id`` first (``_action`` reads it there), null atoms left out."""
    fact: dict[str, Any] = {"id": fact_id, "sid": sid, "t": kind}
    for name, value in values.items():
        if value is None:
            continue
        cls = type(value)
        if not (cls is str or cls is bool or (cls is int and -_INT_LIMIT < value < _INT_LIMIT)):
            raise RulesError(f"durable_rules 只接受整数、布尔值和字符串，原子字段 {name} 是 {value!r}")
        fact[name] = value
    if len(fact) > _MAX_PROPERTIES:
        raise RulesError(f"一个事实有 {len(fact)} 个字段，durable_rules 最多读 {_MAX_PROPERTIES} 个")
    return fact


def _action(message: str) -> tuple[str, int]:
    """Read the action name and the fact id of one action message, ``{"<action>":{"m":{"id":<n>,…}}}``.

    The core copies each fact's text verbatim, and ``_fact`` writes ``id`` first, as an integer.
    """
    end = message.index('"', 2)
    if not message.startswith(_MESSAGE_MIDDLE, end):
        raise RulesError(f"durable_rules 的动作消息不是预期的格式：{message[:120]}")
    start = end + len(_MESSAGE_MIDDLE)
    return message[2:end], int(message[start:message.index(",", start)])


class _Evaluation:
    """One case's sid, the facts it was sent, and what fired."""

    def __init__(self, handle: _Handle, native: Any):
        if handle.native is None:
            raise RulesError(f"规则集 {handle.name} 已退役，不能再用于求值")
        if handle.leaked_sids >= _MAX_LEAKED_SIDS:
            raise RulesError(f"规则集 {handle.name} 有 {handle.leaked_sids} 个无法安全删除的会话，拒绝继续求值")
        self.handle = handle
        self.ruleset: int = handle.native
        self.native = native
        self.sid = str(next(_SIDS))
        self.indexes: list[int | None] = []  # fact id -> the list element's index (None: the case)
        self.asserted = False  # the sid may exist in the core
        self.started = False  # an action started in this sid: deleting it is now safe

    def decide(self, phase: int, facts: list[tuple[str | None, int | None, Any]]) -> set[tuple[str, Any]]:
        """Assert one phase's facts and return the (rule id, index) pairs whose rule fired."""
        batch = []
        for scope, index, atoms in facts:
            values = atoms.complete() if hasattr(atoms, "complete") else atoms
            batch.append(_fact(len(self.indexes), self.sid, _scope(scope, phase), values))
            self.indexes.append(index)
        fired: set[tuple[str, Any]] = set()
        if batch:  # an empty batch kills the process (crash 3)
            self._assert(batch, fired)
        return fired

    def _assert(self, batch: list[dict[str, Any]], fired: set[tuple[str, Any]]) -> None:
        self.asserted = True
        code, state = self.native.assert_facts(self.ruleset, _ENCODE(batch))
        self._run_actions(state, fired)  # even after a refused fact: the others were asserted
        if code not in _HANDLED:
            raise RulesError(f"durable_rules 未接受这批事实（结果码 {code}）")

    def _run_actions(self, state: int, fired: set[tuple[str, Any]]) -> None:
        """Take every pending action of the sid in turn, as durable's ``_flush_actions`` does."""
        native, ruleset = self.native, self.ruleset
        started = native.start_action_for_state(ruleset, state)
        if started is None:
            return
        self.started = True
        message: str | None = started[1]
        rule_ids, indexes = self.handle.rule_ids, self.indexes
        while message is not None:
            try:
                action, fact_id = _action(message)
                rule_id = rule_ids[action]
                if rule_id is not None:
                    fired.add((rule_id, indexes[fact_id]))
                message = native.complete_and_start_action(ruleset, state)
            except BaseException:
                native.abandon_action(ruleset, state)
                raise

    def close(self) -> None:
        """Delete the sid, first firing the sentinel if no action has started in it yet."""
        if not self.asserted:
            return  # the sid never reached the core
        try:
            if not self.started:
                sentinel = {"id": len(self.indexes), "sid": self.sid, "t": SENTINEL}
                self.indexes.append(None)
                self._assert([sentinel], set())
        finally:
            if self.started:
                self.native.delete_state(self.ruleset, self.sid)
            else:  # deleting it would kill the process: leave it, and count it
                self.handle.leaked_sids += 1


class DurableBackend:
    """Decides conditions with durable_rules (the default backend)."""

    name = "durable"

    def prepare(self, label: str, rules: list[Rule]) -> _Handle:
        """Register one ruleset for a case kind's rules (all phases) under a fresh name."""
        native = _native_module()
        name = f"r{next(_NAMES)}_{''.join(c if c.isalnum() else '_' for c in label)}"
        rule_ids: dict[str, str | None] = {_SENTINEL_ACTION: None}
        definition: dict[str, Any] = {_SENTINEL_ACTION: {"all": [{"m": {"t": SENTINEL}}]}}
        for index, rule in enumerate(rules):
            if rule.condition.tree == NEVER:
                continue
            condition = _translate(rule.condition.tree)
            scope_test = {"t": _scope(rule.scope, rule.phase)}
            expression = scope_test if condition is None else {"$and": [scope_test, condition]}
            action = f"rule_{index}"  # action names are written raw into the core's JSON: keep them plain
            definition[action] = {"all": [{"m": expression}]}
            rule_ids[action] = rule.id
        with _LOCK:
            handle = _Handle(name, native.create_ruleset(name, json.dumps(definition, ensure_ascii=False)), rule_ids)
            _REGISTERED[name] = handle
        return handle

    @contextmanager
    def session(self, handle: _Handle) -> Iterator[Callable[[int, list[Any]], set[tuple[str, Any]]]]:
        """One case's evaluation: one sid for all its phases, deleted at the end."""
        native = _native_module()
        with _LOCK:
            evaluation = _Evaluation(handle, native)
            try:
                yield evaluation.decide
            finally:
                evaluation.close()

    def retire(self, handle: _Handle) -> None:
        """Free a ruleset once no evaluation can use it again (after a reload has drained).

        durable_rules has no public unregister: free the native ruleset with ``delete_ruleset``, as
        durable-rules-notes.md describes for hot reloads, and mark the handle so it is never used again
        (the core hands the same handle number to the next ruleset it creates).
        """
        with _LOCK:
            if handle.native is None:
                return
            native, handle.native = handle.native, None
            _REGISTERED.pop(handle.name, None)
            _native_module().delete_ruleset(native)
